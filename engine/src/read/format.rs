//! The one face of a delivery format: what [`CurFile`](crate::read::file::CurFile)
//! asks of a Parquet file and of a CSV report, each implementing it once.

use bytes::Bytes;

use crate::error::Result;
use crate::fold::batch::Fold;
use crate::read::outline::{DetailScan, Outline, RowSlice, ScanKind};
use crate::read::source::ReadStats;
use crate::schema::columns::Column;

/// An opened delivery, of whatever format.
pub(crate) trait Format {
    /// What opening the file learned.
    fn outline(&self) -> &Outline;

    /// The byte ranges (start, length) a scan of `slice` will most likely read,
    /// to read ahead of time (in parallel); none for a format read as a stream.
    fn prefetch_ranges(&self, _slice: RowSlice, _kind: ScanKind) -> Vec<(u64, u64)> {
        Vec::new()
    }

    /// Reads the rows of `slice` in the columns `kind` needs, starting with
    /// bytes already read (start offset, bytes), handing each batch to `fold`;
    /// tells how many more reads it made.
    fn read(
        &self,
        slice: RowSlice,
        kind: ScanKind,
        prefetched: Vec<(u64, Bytes)>,
        progress: &mut dyn FnMut(u64),
        fold: &mut Fold<'_>,
    ) -> Result<ReadStats>;

    /// Reads `slice` for an on-demand scan: the explorer's columns that `scan`
    /// reads ([`DetailScan::reads`]), and `detail`'s values as the batches' detail.
    fn read_detail(
        &self,
        slice: RowSlice,
        detail: Option<&Column>,
        scan: &DetailScan,
        progress: &mut dyn FnMut(u64),
        fold: &mut Fold<'_>,
    ) -> Result<ReadStats>;
}

//! The one face of every delivery: a [`CurFile`] is a Parquet file or a CSV
//! report (plain, gzip'd or zipped), told apart by its first bytes
//! ([`sniff`](crate::read::sniff)), never by its name alone. Either is opened,
//! outlined, planned and scanned the same way; what a file is and how it is
//! read are described in [`outline`](crate::read::outline).

use bytes::Bytes;
use parquet::file::reader::ChunkReader;

use crate::error::{Error, Result};
use crate::fold::batch::{Batch, Fold};
use crate::fold::check::{CheckKernel, Findings};
use crate::fold::commitments::{CommitmentKernel, Commitments, Paying};
use crate::fold::cube::Cube;
use crate::fold::cube_kernel::CubeKernel;
use crate::fold::invoices::{InvoiceKernel, Invoices};
use crate::fold::kernel::Kernel;
use crate::fold::tally::Tally;
use crate::read::format::Format;
use crate::read::outline::{Dates, DetailScan, Outline, RowSlice, ScanKind};
use crate::read::parquet::ParquetFile;
use crate::read::sniff::{self, Container};
use crate::read::source::ReadStats;
use crate::read::text::TextFile;
use crate::schema::columns::Column;

impl DetailScan {
    /// The kernel that folds what this scan keeps, as finely as it keeps dates.
    fn kernel(&self) -> CubeKernel {
        CubeKernel::keeping(self.keep.clone(), self.dates == Dates::Months)
            .blanking(&self.blanked())
            .in_pricing_currency(self.measure == Some(crate::vocab::dimension::Measure::Pricing))
    }
}

/// An opened CUR or FOCUS file, ready to scan. `R` is where the bytes come from:
/// a file on disk, bytes in memory, or (in the browser) a `Blob` read by ranges.
///
/// Progress is told in units of work: rows for Parquet, bytes of the file for
/// CSV (whose rows are unknown until read); [`Piece::work`](crate::read::plan::Piece)
/// is the total of the same units.
pub struct CurFile<R: ChunkReader> {
    inner: Inner<R>,
}

// One file is opened once and kept: the size of the larger variant is of no account.
#[allow(clippy::large_enum_variant)]
enum Inner<R: ChunkReader> {
    Parquet(ParquetFile<R>),
    Text(TextFile<R>),
}

impl<R: ChunkReader + 'static> Inner<R> {
    /// The format's one face, which every scan goes through.
    fn format(&self) -> &dyn Format {
        match self {
            Inner::Parquet(file) => file,
            Inner::Text(file) => file,
        }
    }
}

impl<R: ChunkReader + 'static> CurFile<R> {
    /// Opens a file by what its bytes are.
    pub fn open(reader: R) -> Result<Self> {
        Self::open_prefetched(reader, None, Vec::new())
    }

    /// Opens a file called `name`: a name ending in `.parquet` must hold Parquet
    /// (a CSV renamed `.parquet` is refused, rather than read as something it
    /// does not claim to be); any other name is read by what its bytes are.
    pub fn open_named(reader: R, name: &str) -> Result<Self> {
        Self::open_prefetched(reader, Some(name), Vec::new())
    }

    /// [`open_named`](Self::open_named) (or [`open`](Self::open) without a name),
    /// with some of the [`footer_ranges`](crate::read::source::footer_ranges)
    /// already read (start offset, bytes).
    pub fn open_prefetched(reader: R, name: Option<&str>, mut prefetched: Vec<(u64, Bytes)>) -> Result<Self> {
        let length = reader.len();
        if length == 0 {
            return Err(Error::Empty);
        }
        // The same head Parquet's envelope check reads: read once, or not at all when prefetched.
        let head = crate::read::source::head(&reader, &mut prefetched)?;
        let named_parquet = name.is_some_and(|name| name.to_ascii_lowercase().ends_with(".parquet"));
        let inner = match Container::of(&head) {
            Some(container) if !named_parquet => Inner::Text(TextFile::open(reader, container)?),
            Some(_) => {
                let found = sniff::describe(&head);
                return Err(Error::NotParquet {
                    found: format!(
                        "{found}, though its name ends in .parquet (rename it to .csv, .csv.gz or .csv.zip to read it as CSV)"
                    ),
                });
            }
            None => Inner::Parquet(ParquetFile::open_prefetched(reader, prefetched)?),
        };
        Ok(CurFile { inner })
    }

    /// What opening the file learned.
    pub fn outline(&self) -> &Outline {
        self.inner.format().outline()
    }

    /// Scans one slice for the costs page, calling `progress` with the work done
    /// (rows, or bytes for CSV) since the last call.
    pub fn scan(&self, slice: RowSlice, progress: &mut dyn FnMut(u64)) -> Result<Tally> {
        self.scan_prefetched(slice, Vec::new(), progress).map(|(tally, _)| tally)
    }

    /// The whole file's tally: its pieces, as [`plan`](crate::read::plan::plan)
    /// cuts it for `workers`, scanned one after another and merged. What a caller
    /// without threads of its own (a test, the fuzzer) does.
    pub fn scan_all(&self, workers: usize) -> Result<Tally> {
        self.whole(workers, |slice| self.scan(slice, &mut |_| {}), Tally::merge)
    }

    /// The whole file by `scan` of each of its pieces (as `plan` cuts it for
    /// `workers`), one after another, merged in order.
    fn whole<T: Default>(
        &self,
        workers: usize,
        scan: impl Fn(RowSlice) -> Result<T>,
        merge: fn(&mut T, &T),
    ) -> Result<T> {
        let mut all = T::default();
        for piece in crate::read::plan::plan(&[(0, self.outline())], workers) {
            merge(&mut all, &scan(piece.slice)?);
        }
        Ok(all)
    }

    /// What the commitments (Savings Plans, Reserved Instances) of one slice
    /// cost, used and covered.
    pub fn scan_commitments(
        &self,
        slice: RowSlice,
        prefetched: Vec<(u64, Bytes)>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Commitments> {
        self.scan_commitment_resources(slice, Paying::Nothing, prefetched, progress)
    }

    /// What the rows of one slice get wrong (`schema::rules`), their numbers
    /// counted from the file's first row.
    pub fn scan_check(
        &self,
        slice: RowSlice,
        prefetched: Vec<(u64, Bytes)>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Findings> {
        let outline = self.outline();
        let before: u64 = outline.row_groups.iter().take(slice.row_group).map(|g| g.rows).sum();
        let mut kernel = CheckKernel::new(outline.columns.format, before + slice.first_row);
        self.read(slice, ScanKind::Check, prefetched, progress, &mut |batch| kernel.add(batch))?;
        Ok(kernel.finish())
    }

    /// The total per invoice of one slice's rows.
    pub fn scan_invoices(
        &self,
        slice: RowSlice,
        prefetched: Vec<(u64, Bytes)>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Invoices> {
        let mut kernel = InvoiceKernel::default();
        self.read(slice, ScanKind::Invoices, prefetched, progress, &mut |batch| kernel.add(batch))?;
        Ok(kernel.finish())
    }

    /// [`scan_check`](Self::scan_check) of the whole file.
    pub fn scan_all_check(&self, workers: usize) -> Result<Findings> {
        self.whole(workers, |slice| self.scan_check(slice, Vec::new(), &mut |_| {}), Findings::merge)
    }

    /// [`scan_commitments`](Self::scan_commitments) with what `paying`'s
    /// commitments paid per resource and account (`Commitments::covered`):
    /// a read of the resource column too, made when asked for (not for
    /// [`Paying::Nothing`], which is the commitments' scan itself).
    pub fn scan_commitment_resources(
        &self,
        slice: RowSlice,
        paying: Paying,
        prefetched: Vec<(u64, Bytes)>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Commitments> {
        let kind = if paying == Paying::Nothing { ScanKind::Commitments } else { ScanKind::CommitmentResources };
        let mut kernel = CommitmentKernel::paying(paying);
        self.read(slice, kind, prefetched, progress, &mut |batch| kernel.add(batch))?;
        Ok(kernel.finish())
    }

    /// [`scan_commitment_resources`](Self::scan_commitment_resources) of the whole file.
    pub fn scan_all_commitment_resources(&self, workers: usize, paying: &Paying) -> Result<Commitments> {
        let scan = |slice| self.scan_commitment_resources(slice, paying.clone(), Vec::new(), &mut |_| {});
        self.whole(workers, scan, Commitments::merge)
    }

    /// [`scan_commitments`](Self::scan_commitments) of the whole file.
    pub fn scan_all_commitments(&self, workers: usize) -> Result<Commitments> {
        self.scan_all_commitment_resources(workers, &Paying::Nothing)
    }

    /// [`scan_all`](Self::scan_all) with [`scan_covered`](Self::scan_covered).
    pub fn scan_all_covered(&self, workers: usize) -> Result<Tally> {
        self.whole(workers, |slice| self.scan_covered(slice, &mut |_| {}), Tally::merge)
    }

    /// The whole file's explorer cube, as [`scan_all`](Self::scan_all) reads its tally.
    pub fn explore_all(&self, workers: usize) -> Result<Cube> {
        let scan = |slice| Ok(self.explore_prefetched(slice, Vec::new(), &mut |_| {}, usize::MAX, &mut |_| {})?.0);
        self.whole(workers, scan, Cube::merge)
    }

    /// The byte ranges (start, length) a scan of `slice` will most likely read,
    /// to read ahead of time (in parallel); none for CSV, which is read as a stream.
    pub fn prefetch_ranges(&self, slice: RowSlice, kind: ScanKind) -> Vec<(u64, u64)> {
        self.inner.format().prefetch_ranges(slice, kind)
    }

    /// [`scan`](Self::scan), starting with bytes already read (start offset, bytes),
    /// and telling how many more reads it made.
    pub fn scan_prefetched(
        &self,
        slice: RowSlice,
        prefetched: Vec<(u64, Bytes)>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(Tally, ReadStats)> {
        let mut kernel = Kernel::default();
        let stats = self.read(slice, ScanKind::Costs, prefetched, progress, &mut |batch| kernel.add(batch))?;
        Ok((kernel.finish(), stats))
    }

    /// [`scan`](Self::scan), with the list cost of usage a commitment paid (the
    /// command line's scan when that usage is counted at its on-demand price):
    /// the tally is [`priced`](Tally::priced).
    pub fn scan_covered(&self, slice: RowSlice, progress: &mut dyn FnMut(u64)) -> Result<Tally> {
        let mut kernel = Kernel::default();
        self.read(slice, ScanKind::Covered, Vec::new(), progress, &mut |batch| kernel.add(batch))?;
        let mut tally = kernel.finish();
        tally.priced = true;
        Ok(tally)
    }

    /// Scans one slice for the explorer. The cube grows with the distinct labels
    /// and days it meets, so whenever it holds `part_cells` cells it goes to
    /// `part` and a new one starts: a slice of any size is scanned in one pass with
    /// bounded memory. The parts and the cube returned merge to the slice's cube;
    /// if the scan fails, the parts already given are of an incomplete slice.
    pub fn explore_prefetched(
        &self,
        slice: RowSlice,
        prefetched: Vec<(u64, Bytes)>,
        progress: &mut dyn FnMut(u64),
        part_cells: usize,
        part: &mut dyn FnMut(Cube),
    ) -> Result<(Cube, ReadStats)> {
        let mut kernel = DetailScan::explorer().kernel();
        let stats = self.read(slice, ScanKind::Explore, prefetched, progress, &mut |batch| {
            kernel.add(batch)?;
            if kernel.cells() >= part_cells {
                part(kernel.take_part(true));
            }
            Ok(())
        })?;
        Ok((kernel.take_part(false), stats))
    }

    /// Scans one slice on demand into a cube whose [`Detail`](crate::Dimension::Detail)
    /// slot holds the values of `column` (as text; "" where a row has none, and
    /// on every row when the file lacks it: `None`). Find the column of a tag,
    /// cost category or resource with [`Detail::column`](crate::Detail::column).
    /// `scan` says what else is read and which rows are kept. Parts go to
    /// `part` as in [`explore_prefetched`](Self::explore_prefetched).
    pub fn explore_detail(
        &self,
        slice: RowSlice,
        column: Option<&Column>,
        scan: &DetailScan,
        progress: &mut dyn FnMut(u64),
        part_cells: usize,
        part: &mut dyn FnMut(Cube),
    ) -> Result<Cube> {
        let mut kernel = scan.kernel();
        let fold = &mut |batch: &Batch<'_>| {
            kernel.add(batch)?;
            if kernel.cells() >= part_cells {
                part(kernel.take_part(true));
            }
            Ok(())
        };
        self.inner.format().read_detail(slice, column, scan, progress, fold)?;
        Ok(kernel.take_part(false))
    }

    /// Reads `slice` in the columns `kind` needs, whatever the format, handing
    /// each batch to `fold`.
    fn read(
        &self,
        slice: RowSlice,
        kind: ScanKind,
        prefetched: Vec<(u64, Bytes)>,
        progress: &mut dyn FnMut(u64),
        fold: &mut Fold<'_>,
    ) -> Result<ReadStats> {
        self.inner.format().read(slice, kind, prefetched, progress, fold)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::outline::Delivery;
    use crate::read::sniff::Container;

    const CSV: &str = "lineItem/LineItemType,product/servicecode,lineItem/UnblendedCost\nUsage,AmazonS3,10\nUsage,AmazonEC2,20\nTax,AmazonS3,60\n";

    #[test]
    fn a_file_is_told_by_its_bytes_and_read_through_one_face() {
        let file = CurFile::open(Bytes::from_static(CSV.as_bytes())).unwrap();
        assert_eq!(file.outline().delivery, Delivery::Csv(Container::Plain));
        assert!(file.prefetch_ranges(RowSlice::WHOLE, ScanKind::Costs).is_empty(), "a stream is not read ahead");
        let tally = file.scan_all(2).unwrap();
        assert_eq!(tally.rows, 3);
        let usage: f64 = tally.cells().filter(|(k, _)| k.line_item_type == "Usage").map(|(_, c)| c.cost.value()).sum();
        assert_eq!(usage, 30.0);
        assert_eq!(file.explore_all(2).unwrap().len(), 3);
    }

    #[test]
    fn a_name_ending_in_parquet_must_hold_parquet() {
        let error =
            CurFile::open_named(Bytes::from_static(CSV.as_bytes()), "report.parquet").err().unwrap().to_string();
        assert!(error.contains("it is CSV text starting with") && error.contains("rename it to .csv"), "{error}");
        let error = CurFile::open(Bytes::from_static(b"\x00\x01\x02\x03 not a report")).err().unwrap().to_string();
        assert!(error.contains("it starts with the bytes 00 01 02 03 instead of PAR1"), "{error}");
        assert!(matches!(CurFile::open(Bytes::new()), Err(Error::Empty)));
    }
}

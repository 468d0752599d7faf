//! The one face of every delivery: a [`CurFile`] is a Parquet file or a CSV
//! report (plain, gzip'd or zipped), told apart by its first bytes, never by its
//! name alone. Either is opened, outlined, planned and scanned the same way.

use bytes::Bytes;
use parquet::file::reader::ChunkReader;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fold::batch::{Batch, Fold};
use crate::fold::cube::{Cube, Dimension};
use crate::fold::cube_kernel::CubeKernel;
use crate::fold::kernel::Kernel;
use crate::fold::tally::Tally;
use crate::read::parquet::ParquetFile;
use crate::read::source::ReadStats;
use crate::read::text::{Container, TextFile};
use crate::schema::catalogue::Field;
use crate::schema::columns::{Column, CurColumns, OptionalColumns};

/// What opening a file learned: enough to plan the work and to explain the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outline {
    /// How the file is delivered.
    pub delivery: Delivery,
    /// The columns the costs page reads, and the report's flavour.
    pub columns: CurColumns,
    /// The optional columns the file has and ducks can use (currency, and the explorer's).
    pub optional: OptionalColumns,
    /// How many top-level columns the file has.
    pub column_count: usize,
    /// Their names, as the file spells them: where a tag or a resource is
    /// looked for ([`Detail::column`](crate::Detail::column)).
    #[serde(default)]
    pub names: Vec<String>,
    /// Rows in the file; 0 for CSV, whose rows are known only once read.
    pub rows: u64,
    /// The row groups, in file order (none for CSV).
    pub row_groups: Vec<RowGroupOutline>,
    /// The file's size in bytes.
    pub bytes: u64,
    /// Things the reader of the figures should know about this file.
    pub notes: Vec<String>,
}

/// How a file is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delivery {
    /// Apache Parquet: read by column and by row group, in slices.
    Parquet,
    /// CSV text, read as one stream from start to end.
    Csv(Container),
}

impl Delivery {
    /// How people call it.
    pub fn label(self) -> &'static str {
        match self {
            Delivery::Parquet => "Parquet",
            Delivery::Csv(Container::Plain) => "CSV",
            Delivery::Csv(Container::Gzip) => "gzip'd CSV",
            Delivery::Csv(Container::Zip) => "CSV in a ZIP archive",
        }
    }
}

/// One row group, as the planner sees it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RowGroupOutline {
    /// Rows in the row group.
    pub rows: u64,
    /// Compressed bytes of the three needed column chunks: the I/O a scan costs.
    pub bytes: u64,
}

/// A run of rows inside one row group: the unit of work of a scan. A CSV file is
/// read whole, as [`RowSlice::WHOLE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowSlice {
    /// Index of the row group in the file.
    pub row_group: usize,
    /// First row, counted from the start of the row group.
    pub first_row: u64,
    /// Number of rows.
    pub rows: u64,
}

impl RowSlice {
    /// The whole of a file read as one stream (CSV).
    pub const WHOLE: RowSlice = RowSlice { row_group: 0, first_row: 0, rows: 0 };
}

/// How finely an on-demand scan keeps dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dates {
    /// Not at all: every cell is undated.
    Undated,
    /// By month (each cell on its month's first day), as the explorer's own cube.
    Months,
    /// By day: for a view by day or between days within a month.
    Days,
}

/// What an on-demand scan reads besides its detail column, kept to what the
/// question needs, so that a dimension of many values (the resource) is not
/// multiplied by labels and days nobody asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetailScan {
    /// How finely dates are kept.
    pub dates: Dates,
    /// The optional text dimensions read (the service, line item type,
    /// currency and unit always are); the others are left blank.
    pub labels: Vec<Dimension>,
    /// Rows kept: per text dimension (the detail included), the labels kept.
    /// Rows other labels carry are not folded in at all.
    pub keep: Vec<(Dimension, Vec<String>)>,
}

impl DetailScan {
    /// What the explorer's own scan reads: every label, by month. Days multiply
    /// the cells by up to 31 (1.7M cells against 0.19M for the benchmark's 10M
    /// rows, most of the explorer's time and memory), so a view that needs them
    /// reads them on demand.
    pub fn explorer() -> DetailScan {
        DetailScan { dates: Dates::Months, labels: Dimension::ALL.to_vec(), keep: Vec::new() }
    }

    /// The kernel that folds what this scan keeps, as finely as it keeps dates.
    fn kernel(&self) -> CubeKernel {
        CubeKernel::keeping(self.keep.clone(), self.dates == Dates::Months)
    }

    /// Whether a cube of this scan can answer one that needs `needed`.
    pub fn covers(&self, needed: &DetailScan) -> bool {
        let fine = |d: Dates| match d {
            Dates::Undated => 0,
            Dates::Months => 1,
            Dates::Days => 2,
        };
        fine(self.dates) >= fine(needed.dates)
            && needed.labels.iter().all(|d| self.labels.contains(d) || d.field().is_none())
            // A scan that kept fewer rows cannot answer for more.
            && self.keep.iter().all(|(d, kept)| {
                needed.keep.iter().any(|(n, wanted)| n == d && wanted.iter().all(|w| kept.contains(w)))
            })
    }
}

/// Whether an on-demand scan reads the optional column of `field`: amounts
/// always (they add no cells), the day only when dated, a label only when its
/// dimension is among `labels` or is a denomination (currency, unit).
pub(crate) fn detail_reads(field: Field, dated: bool, labels: &[Dimension]) -> bool {
    if field == Field::UsageStart {
        return dated;
    }
    match Dimension::LABELS.into_iter().find(|d| d.field() == Some(field)) {
        Some(Dimension::Currency | Dimension::Unit) | None => true,
        Some(dimension) => labels.contains(&dimension),
    }
}

/// What a scan computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScanKind {
    /// Per (line item type, service, currency) sums of the cost: the costs page.
    Costs,
    /// The explorer's [`Cube`]: more columns, more measures.
    Explore,
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
                let found = crate::read::text::describe(&head);
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
        match &self.inner {
            Inner::Parquet(file) => file.outline(),
            Inner::Text(file) => file.outline(),
        }
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
        let mut tally = Tally::default();
        for piece in crate::read::plan::plan(&[(0, self.outline())], workers) {
            tally.merge(&self.scan(piece.slice, &mut |_| {})?);
        }
        Ok(tally)
    }

    /// The whole file's explorer cube, as [`scan_all`](Self::scan_all) reads its tally.
    pub fn explore_all(&self, workers: usize) -> Result<Cube> {
        let mut cube = Cube::default();
        for piece in crate::read::plan::plan(&[(0, self.outline())], workers) {
            let (part, _) = self.explore_prefetched(piece.slice, Vec::new(), &mut |_| {}, usize::MAX, &mut |_| {})?;
            cube.merge(&part);
        }
        Ok(cube)
    }

    /// The byte ranges (start, length) a scan of `slice` will most likely read,
    /// to read ahead of time (in parallel); none for CSV, which is read as a stream.
    pub fn prefetch_ranges(&self, slice: RowSlice, kind: ScanKind) -> Vec<(u64, u64)> {
        match &self.inner {
            Inner::Parquet(file) => file.prefetch_ranges(slice, kind),
            Inner::Text(_) => Vec::new(),
        }
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
        let dated = scan.dates != Dates::Undated;
        let labels = &scan.labels;
        let fold = &mut |batch: &Batch<'_>| {
            kernel.add(batch)?;
            if kernel.cells() >= part_cells {
                part(kernel.take_part(true));
            }
            Ok(())
        };
        match &self.inner {
            Inner::Parquet(file) => file.read_detail(slice, column, dated, labels, progress, fold)?,
            Inner::Text(file) => file.read_detail(slice, column, dated, labels, progress, fold)?,
        };
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
        match &self.inner {
            Inner::Parquet(file) => file.read(slice, kind, prefetched, progress, fold),
            // A CSV file is read as a stream from its start: nothing is read ahead.
            Inner::Text(file) => file.read(slice, kind, progress, fold),
        }
    }
}

//! Splitting the work of a scan into pieces that workers (threads natively, Web
//! Workers in the browser) can share.

use serde::{Deserialize, Serialize};

use crate::read::outline::{Delivery, Outline, RowSlice};

/// A piece smaller than this costs more in setup (a page walk, a reader) than the
/// parallelism wins back.
const MIN_PIECE_ROWS: u64 = 32 * 1024;

/// One unit of work: a slice of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    /// The file, as an index into the caller's list.
    pub file: usize,
    /// The rows to scan.
    pub slice: RowSlice,
    /// An estimate of the compressed bytes the piece reads.
    pub bytes: u64,
    /// The work the scan's progress counts to: its rows for Parquet, the file's
    /// bytes for CSV.
    pub work: u64,
}

/// Splits every row group of `files` (pairs of the caller's file index and its
/// outline) into pieces for `workers` workers, largest first.
///
/// Row groups are the natural pieces; a row group larger than a worker's share
/// (CUR files often have a single one) is cut into as many row ranges as it has
/// shares. Cutting costs reading: a scan of a later range also reads the page
/// headers before it (and, where pages are small, the pages), so a row group is
/// cut no finer than the workers need.
pub fn plan(files: &[(usize, &Outline)], workers: usize) -> Vec<Piece> {
    let workers = workers.max(1) as u64;
    // Rows and bytes are what files claim: sums and products are taken in u128
    // (and saturate), so no claim can wrap them.
    let total_bytes: u128 = files
        .iter()
        .flat_map(|(_, outline)| &outline.row_groups)
        .map(|group| u128::from(group.bytes.max(1)))
        .chain(files.iter().filter(|(_, o)| o.delivery != Delivery::Parquet).map(|(_, o)| u128::from(o.bytes)))
        .sum();
    let share = if workers == 1 { u128::MAX } else { total_bytes.div_ceil(u128::from(workers)).max(1) };
    let narrow = |value: u128| u64::try_from(value).unwrap_or(u64::MAX);

    let mut pieces = Vec::new();
    for &(file, outline) in files {
        // A CSV file is one stream, read whole by one worker: several files are
        // read in parallel, one file is not cut.
        if outline.delivery != Delivery::Parquet {
            pieces.push(Piece { file, slice: RowSlice::WHOLE, bytes: outline.bytes, work: outline.bytes });
            continue;
        }
        for (row_group, group) in outline.row_groups.iter().enumerate().filter(|(_, group)| group.rows > 0) {
            let wanted = narrow(u128::from(group.bytes.max(1)).div_ceil(share));
            let parts = wanted.min(group.rows / MIN_PIECE_ROWS).max(1);
            let mut first_row = 0;
            for part in 0..parts {
                let end = narrow(u128::from(group.rows) * u128::from(part + 1) / u128::from(parts));
                let rows = end - first_row;
                pieces.push(Piece {
                    file,
                    slice: RowSlice { row_group, first_row, rows },
                    bytes: narrow(u128::from(group.bytes) * u128::from(rows) / u128::from(group.rows)),
                    work: rows,
                });
                first_row = end;
            }
        }
    }
    pieces.sort_by_key(|piece| std::cmp::Reverse(piece.bytes));
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::outline::RowGroupOutline;
    use crate::schema::columns::{Column, CurColumns, CurFormat};

    fn outline(groups: &[(u64, u64)]) -> Outline {
        let column = |name: &str| Column { index: 0, name: name.into(), key: None };
        Outline {
            delivery: Delivery::Parquet,
            bytes: groups.iter().fold(0, |sum, g| sum.saturating_add(g.1)),
            columns: CurColumns {
                format: CurFormat::LegacyCur,
                line_item_type: column("t"),
                service: column("s"),
                cost: column("c"),
            },
            optional: Default::default(),
            column_count: 3,
            names: vec!["t".into(), "s".into(), "c".into()],
            rows: groups.iter().fold(0, |sum, g| sum.saturating_add(g.0)),
            row_groups: groups.iter().map(|&(rows, bytes)| RowGroupOutline { rows, bytes }).collect(),
            notes: vec![],
        }
    }

    /// Every row of every row group is in exactly one piece.
    #[track_caller]
    fn assert_covers(pieces: &[Piece], files: &[(usize, &Outline)]) {
        for &(file, outline) in files {
            for (row_group, group) in outline.row_groups.iter().enumerate() {
                let mut slices: Vec<RowSlice> = pieces
                    .iter()
                    .filter(|p| p.file == file && p.slice.row_group == row_group)
                    .map(|p| p.slice)
                    .collect();
                slices.sort_by_key(|s| s.first_row);
                let mut next = 0;
                for slice in slices {
                    assert_eq!(slice.first_row, next);
                    next += slice.rows;
                }
                assert_eq!(next, group.rows);
            }
        }
    }

    #[test]
    fn one_big_row_group_is_split_across_workers() {
        let big = outline(&[(1_000_000, 12_000_000)]);
        let files = [(0, &big)];
        let pieces = plan(&files, 2);
        assert_eq!(pieces.len(), 2);
        assert_covers(&pieces, &files);
    }

    #[test]
    fn one_worker_reads_whole_row_groups() {
        let big = outline(&[(1_000_000, 12_000_000), (10, 100)]);
        let files = [(3, &big)];
        let pieces = plan(&files, 1);
        assert_eq!(pieces.len(), 2);
        assert!(pieces.iter().all(|p| p.file == 3));
        assert_covers(&pieces, &files);
    }

    #[test]
    fn small_row_groups_are_not_cut_and_empty_ones_are_skipped() {
        let small = outline(&[(1000, 10_000), (0, 0), (40_000, 400_000)]);
        let other = outline(&[(5, 50)]);
        let files = [(0, &small), (1, &other)];
        let pieces = plan(&files, 8);
        assert_eq!(pieces.len(), 3);
        assert_eq!(pieces[0].slice.rows, 40_000, "largest first");
        assert_covers(&pieces, &files);
    }

    #[test]
    fn a_csv_file_is_one_piece_read_whole() {
        let mut csv = outline(&[]);
        (csv.delivery, csv.bytes) = (Delivery::Csv(crate::read::sniff::Container::Gzip), 5_000_000);
        let parquet = outline(&[(100_000, 1_000_000)]);
        let pieces = plan(&[(0, &csv), (1, &parquet)], 4);
        assert_eq!(pieces[0], Piece { file: 0, slice: RowSlice::WHOLE, bytes: 5_000_000, work: 5_000_000 });
        assert_eq!(pieces.iter().filter(|p| p.file == 1).map(|p| p.work).sum::<u64>(), 100_000);
    }

    /// Counts no file could hold (as a lying footer claims them) neither wrap nor panic.
    #[test]
    fn claimed_counts_at_the_limit_do_not_wrap() {
        let huge = outline(&[(u64::MAX, u64::MAX), (u64::MAX / 3, u64::MAX - 1)]);
        let files = [(0, &huge)];
        let pieces = plan(&files, 8);
        assert!(pieces.len() > 2);
        assert_covers(&pieces, &files);
    }
}

//! The explorer's data: costs by service, account, region, usage type,
//! operation, line item type, currency, unit and day, for five measures. Built by the scan,
//! merged across workers, then queried in memory (see `query`), so every change
//! of grouping or filter recomputes without reading a file again.

use std::collections::HashMap;
use std::ops::Range;

use crate::fold::sum::CompensatedSum;
use crate::vocab::dimension::{Dimension, MEASURES, Measure, TEXT_DIMENSIONS};

pub use super::cube_index::CellKey;
use super::cube_index::{CellIndex, Fx};
pub use super::cube_wire::CubeColumns;
use super::cube_wire::SUM_PARTS;
/// What a cell adds up, kept together so that adding a row touches one place.
#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    rows: u64,
    null_costs: u64,
    sums: [CompensatedSum; MEASURES],
}

/// Costs by (text labels, day).
#[derive(Debug, Clone, Default)]
pub struct Cube {
    labels: [Vec<String>; TEXT_DIMENSIONS],
    label_ids: [HashMap<String, u32, Fx>; TEXT_DIMENSIONS],
    keys: Vec<[u32; TEXT_DIMENSIONS]>,
    days: Vec<i32>,
    totals: Vec<Totals>,
    index: CellIndex,
    /// The first and last day of the rows folded in (a cube by month keeps its
    /// cells' days as months, and this the days).
    span: Option<(i32, i32)>,
    /// Rows the scan read, kept or not (a question's scan keeps only its own
    /// rows); not carried across the worker boundary.
    read: u64,
}

impl Cube {
    /// The id of `label` in text dimension `slot`, adding it if new.
    pub fn label_id(&mut self, slot: usize, label: &str) -> u32 {
        if let Some(&id) = self.label_ids[slot].get(label) {
            return id;
        }
        let id = self.labels[slot].len() as u32;
        self.labels[slot].push(label.to_owned());
        self.label_ids[slot].insert(label.to_owned(), id);
        id
    }

    /// The labels of text dimension `slot`, by id.
    pub fn labels(&self, slot: usize) -> &[String] {
        &self.labels[slot]
    }

    /// How many distinct labels of text dimension `slot` some cell carries (a
    /// label can be known and carried by none: a dictionary entry no row used).
    pub fn labels_in_use(&self, slot: usize) -> usize {
        let mut used = vec![false; self.labels[slot].len()];
        for i in 0..self.len() {
            used[self.at(i).labels[slot] as usize] = true;
        }
        used.into_iter().filter(|&u| u).count()
    }

    /// The id of an existing label.
    pub fn find_label(&self, slot: usize, label: &str) -> Option<u32> {
        self.label_ids[slot].get(label).copied()
    }

    /// The index of the cell with this key, adding an empty one if new.
    #[inline]
    pub fn cell_index(&mut self, key: CellKey) -> usize {
        if let Some(cell) = self.index.get(&key) {
            return cell as usize;
        }
        let cell = self.keys.len();
        self.index.insert(key, cell as u32, &self.keys, &self.days);
        self.keys.push(key.0);
        self.days.push(key.1);
        self.totals.push(Totals::default());
        cell
    }

    /// Adds one row's measures (in [`Measure::ALL`] order) to a cell.
    #[inline]
    pub fn add(&mut self, cell: usize, costs: [f64; MEASURES], null_cost: bool) {
        let totals = &mut self.totals[cell];
        totals.rows += 1;
        totals.null_costs += u64::from(null_cost);
        for (sum, cost) in totals.sums.iter_mut().zip(costs) {
            sum.add(cost);
        }
    }

    /// Gives the cube the labels its cells carry, and only those: its cells'
    /// label ids so far are another numbering (a scan's, with `label` giving
    /// each id's text), renumbered in the order cells first carry them. A
    /// scan's part then carries its own labels, not every label the scan met
    /// before it (with millions of resource ids, each part carried them all).
    pub fn relabel<'a>(&mut self, label: impl Fn(usize, u32) -> &'a str) {
        const UNSEEN: u32 = u32::MAX;
        let mut renumber: [Vec<u32>; TEXT_DIMENSIONS] = Default::default();
        self.labels = Default::default();
        self.label_ids = Default::default();
        let mut keys = std::mem::take(&mut self.keys);
        for key in &mut keys {
            for (slot, id) in key.iter_mut().enumerate() {
                let (old, map) = (*id as usize, &mut renumber[slot]);
                if map.len() <= old {
                    map.resize(old + 1, UNSEEN);
                }
                if map[old] == UNSEEN {
                    map[old] = self.label_id(slot, label(slot, *id));
                }
                *id = map[old];
            }
        }
        // The keys changed in place, so their index is built again.
        self.keys = keys;
        self.index = CellIndex::default();
        for cell in 0..self.keys.len() {
            let key = (self.keys[cell], self.days[cell]);
            self.index.insert(key, cell as u32, &self.keys[..cell], &self.days[..cell]);
        }
    }

    /// Notes that rows from `first` to `last` (days) were folded in.
    pub fn note_days(&mut self, first: i32, last: i32) {
        self.span = Some(self.span.map_or((first, last), |(a, b)| (a.min(first), b.max(last))));
    }

    /// The first and last day of the rows folded in, if any had a day: as noted
    /// by the scan, else (a cube made cell by cell) the cells' own days.
    pub fn day_span(&self) -> Option<(i32, i32)> {
        self.span.or_else(|| crate::vocab::dates::span_of(self.days.iter().copied()))
    }

    /// Folds another cube in (its label ids are mapped to this one's).
    pub fn merge(&mut self, other: &Cube) {
        self.read += other.read;
        let part = other.to_columns();
        let labels = self.map_labels(&part);
        self.merge_columns(&part, &labels, 0..part.cells());
    }

    /// Rows read by the scans folded in here (in this process), whether the
    /// scan kept them or not.
    pub fn rows_read(&self) -> u64 {
        self.read
    }

    /// Notes that a scan read `rows` more rows.
    pub fn note_read(&mut self, rows: u64) {
        self.read += rows;
    }

    /// How many cells there are.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are no cells.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Cell `i`: its labels, day and counts (its sums: [`sum`](Self::sum)).
    pub fn at(&self, i: usize) -> CubeCell<'_> {
        let totals = &self.totals[i];
        CubeCell { labels: &self.keys[i], day: self.days[i], rows: totals.rows, null_costs: totals.null_costs }
    }

    /// The cell's sum of `measure`, with its carried error (for exact totals).
    pub fn sum(&self, i: usize, measure: Measure) -> &CompensatedSum {
        &self.totals[i].sums[measure.index()]
    }

    /// The cube as flat columns, for moving between threads as typed arrays.
    pub fn to_columns(&self) -> CubeColumns {
        CubeColumns {
            labels: self.labels.clone(),
            keys: self.keys.iter().flatten().copied().collect(),
            days: self.days.clone(),
            rows: self.totals.iter().map(|t| t.rows as f64).collect(),
            null_costs: self.totals.iter().map(|t| t.null_costs as f64).collect(),
            sums: self.totals.iter().flat_map(|t| t.sums.iter().flat_map(CompensatedSum::parts)).collect(),
            span: self.span,
        }
    }

    /// Gives every label of a part an id in this cube: per text dimension, the
    /// part's label id → this cube's.
    pub fn map_labels(&mut self, part: &CubeColumns) -> LabelMap {
        std::array::from_fn(|slot| part.labels[slot].iter().map(|label| self.label_id(slot, label)).collect())
    }

    /// Adds cells `cells` of a [checked](CubeColumns::check) part, whose labels
    /// `labels` maps. A part can be added a range at a time, so a caller that must
    /// stay responsive (the page's main thread) can pause between ranges.
    pub fn merge_columns(&mut self, part: &CubeColumns, labels: &LabelMap, cells: Range<usize>) {
        if let Some((first, last)) = part.span {
            self.note_days(first, last);
        }
        // The cells first, then the sums (as the kernel does: lookups in flight together).
        let found: Vec<usize> = cells
            .clone()
            .map(|i| {
                let key = std::array::from_fn(|slot| labels[slot][part.keys[i * TEXT_DIMENSIONS + slot] as usize]);
                self.cell_index((key, part.days[i]))
            })
            .collect();
        for (i, cell) in cells.zip(found) {
            let totals = &mut self.totals[cell];
            totals.rows += part.rows[i] as u64;
            totals.null_costs += part.null_costs[i] as u64;
            for (m, sum) in totals.sums.iter_mut().enumerate() {
                let at = i * SUM_PARTS + 2 * m;
                sum.merge(&CompensatedSum::from_parts(part.sums[at], part.sums[at + 1]));
            }
        }
    }
}

/// One cell of a [`Cube`], as [`Cube::at`] gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CubeCell<'a> {
    /// The label id of each text dimension, in [`Dimension::LABELS`] order.
    pub labels: &'a [u32; TEXT_DIMENSIONS],
    /// The day (days since 1970-01-01), or `NO_DAY`.
    pub day: i32,
    /// Rows folded into the cell.
    pub rows: u64,
    /// Of those, rows whose cost was null.
    pub null_costs: u64,
}

impl CubeCell<'_> {
    /// The label id of `dimension` (a text dimension).
    pub fn label(&self, dimension: Dimension) -> Option<u32> {
        dimension.slot().map(|slot| self.labels[slot])
    }
}

/// Per text dimension, a part's label ids mapped to a cube's.
pub type LabelMap = [Vec<u32>; TEXT_DIMENSIONS];

/// A scan hands its cube on once it holds this many cells (about 25 MB as
/// columns): the page's workers post it, `ducks group` folds it in, so a slice
/// of tens of millions of rows needs no more memory than one of a million.
pub const PART_CELLS: usize = 1 << 18;

#[cfg(test)]
mod tests {
    use super::*;

    fn cube(rows: &[(&str, &str, i32, f64)]) -> Cube {
        let mut cube = Cube::default();
        for &(service, account, day, cost) in rows {
            let key = [
                cube.label_id(0, service),
                cube.label_id(1, account),
                cube.label_id(2, ""),
                cube.label_id(3, ""),
                cube.label_id(4, ""),
                cube.label_id(5, "Usage"),
                cube.label_id(6, "USD"),
                cube.label_id(7, "Hrs"),
                cube.label_id(8, "AWS"),
                cube.label_id(9, ""),
            ];
            let cell = cube.cell_index((key, day));
            cube.add(cell, [cost; MEASURES], false);
        }
        cube
    }

    #[test]
    fn same_key_same_cell() {
        let cube = cube(&[("AmazonS3", "1", 5, 1.0), ("AmazonS3", "1", 5, 2.0), ("AmazonS3", "1", 6, 4.0)]);
        assert_eq!(cube.len(), 2);
        assert_eq!(cube.sum(0, Measure::Unblended).value(), 3.0);
    }

    #[test]
    fn keys_find_their_cell_while_the_index_widens_and_when_they_do_not_pack() {
        // Ids and days that grow past every width, then keys of more than 128
        // bits, then days that do not pack: each key keeps its one cell.
        let mut cube = Cube::default();
        let mut expected: HashMap<CellKey, usize> = HashMap::new();
        let mut seed = 7u64;
        let mut next = |limit: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % limit
        };
        let day = |n: u64| 19_000 + n as i32;
        let mut keys: Vec<CellKey> = Vec::new();
        for round in 0..3u32 {
            for _ in 0..2_000 {
                let limit = [4, 1 << 12, 1 << 31][round as usize];
                let labels = std::array::from_fn(|slot| next(if slot % 2 == 0 { limit } else { 3 }) as u32);
                let day = match next(10) {
                    0 => crate::vocab::dates::NO_DAY,
                    1 if round == 2 => -40_000,
                    n => day(n),
                };
                keys.push((labels, day));
            }
        }
        for (i, key) in keys.iter().enumerate() {
            if i == 4_000 {
                assert!(cube.index.wide.is_none(), "12-bit ids still pack");
                assert!(cube.index.layout[0].0 >= 12);
            }
            let cell = cube.cell_index(*key);
            assert_eq!(*expected.entry(*key).or_insert(cell), cell, "key {i}");
            cube.add(cell, [1.0; MEASURES], false);
        }
        assert_eq!(cube.len(), expected.len());
        assert!(cube.index.wide.is_some(), "31-bit ids in five dimensions do not pack");
        for (key, &cell) in &expected {
            assert_eq!((cube.keys[cell], cube.days[cell]), *key);
            assert_eq!(cube.cell_index(*key), cell);
        }
        let rows: u64 = (0..cube.len()).map(|i| cube.at(i).rows).sum();
        assert_eq!(rows, keys.len() as u64);
    }

    #[test]
    fn labels_no_cell_carries_are_not_in_use() {
        let mut cube = cube(&[("AmazonS3", "1", 5, 1.0), ("AmazonEC2", "1", 5, 2.0)]);
        cube.label_id(0, "");
        assert_eq!((cube.labels(0).len(), cube.labels_in_use(0)), (3, 2));
    }

    #[test]
    fn merging_maps_labels_by_name() {
        let mut a = cube(&[("AmazonS3", "1", 5, 1.0)]);
        let b = cube(&[("AmazonEC2", "2", 5, 2.0), ("AmazonS3", "1", 5, 4.0)]);
        a.merge(&b);
        assert_eq!(a.len(), 2);
        let s3 = a.find_label(0, "AmazonS3").unwrap();
        let cell = (0..a.len()).find(|&i| a.at(i).label(Dimension::Service) == Some(s3)).unwrap();
        assert_eq!(a.sum(cell, Measure::Amortized).value(), 5.0);
        assert_eq!(a.at(cell).rows, 2);
    }

    #[test]
    fn columns_round_trip_and_bad_ones_are_refused() {
        let original = cube(&[("AmazonS3", "1", 5, 0.1), ("AmazonEC2", "2", 7, 0.2)]);
        let columns = original.to_columns();
        columns.check().unwrap();
        let mut back = Cube::default();
        let labels = back.map_labels(&columns);
        back.merge_columns(&columns, &labels, 0..columns.cells());
        assert_eq!(back.to_columns(), columns);
        let mut broken = columns.clone();
        broken.keys[0] = 99;
        assert!(broken.check().is_err());
        let mut broken = columns.clone();
        broken.days.pop();
        assert!(broken.check().is_err());
        let mut broken = columns;
        broken.labels[0].push(broken.labels[0][0].clone());
        assert!(broken.check().is_err());
    }

    #[test]
    fn label_slots_follow_the_label_order() {
        for (slot, dimension) in Dimension::LABELS.into_iter().enumerate() {
            assert_eq!(dimension.slot(), Some(slot), "{dimension:?}");
        }
        // The explorer offers every text dimension but the on-demand one.
        let text = Dimension::ALL.iter().filter(|d| d.slot().is_some()).count();
        assert_eq!(text, TEXT_DIMENSIONS - 1);
        assert!(!Dimension::ALL.contains(&Dimension::Detail));
    }

    #[test]
    fn measures_know_their_place_and_denomination() {
        for (index, measure) in Measure::ALL.into_iter().enumerate() {
            assert_eq!(measure.index(), index, "{measure:?}");
            assert!(measure.denomination().slot().is_some(), "{measure:?} is counted in a text dimension");
            assert_eq!(measure.is_money(), measure.denomination() == Dimension::Currency, "{measure:?}");
        }
    }

    #[test]
    fn dimension_and_measure_keys_round_trip() {
        for d in Dimension::ALL {
            assert_eq!(Dimension::from_key(d.key()), Some(d));
        }
        for m in Measure::ALL {
            assert_eq!(Measure::from_key(m.key()), Some(m));
        }
    }
}

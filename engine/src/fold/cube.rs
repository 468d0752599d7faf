//! The explorer's data: costs by service, account, region, usage type,
//! operation, line item type, currency, unit and day, for five measures. Built by the scan,
//! merged across workers, then queried in memory (see `query`), so every change
//! of grouping or filter recomputes without reading a file again.

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fold::sum::CompensatedSum;
use crate::vocab::dimension::{Dimension, MEASURES, Measure, TEXT_DIMENSIONS};

/// rustc's Fx hash: the cell index is looked up once per row, and SipHash would
/// cost more than the rest of the row's work. Its keys are label ids and days
/// (small numbers the scan gives out), never text from a file.
type Fx = rustc_hash::FxBuildHasher;

/// A cell's key: the ids of its text labels and its day.
pub type CellKey = ([u32; TEXT_DIMENSIONS], i32);

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
}

/// Cell keys → cell, looked up once per row of a scan. A key is packed into two
/// words (each label id in as many bits as its dimension needs so far, the day
/// in 17), which hash in one folded multiplication and compare in two
/// instructions; hashing and comparing the 40-byte key was most of the
/// explorer's scan. When ids outgrow their bits the index is rebuilt wider
/// (seldom: a width grows with headroom), and a cube whose keys do not fit two
/// words keys them in full.
#[derive(Debug, Clone, Default)]
struct CellIndex {
    /// Per text dimension: its bits in a packed key, its word and its shift in it.
    layout: [(u32, usize, u32); TEXT_DIMENSIONS],
    packed: HashMap<Packed, u32, PackedHash>,
    /// Every key in full, once some key does not pack.
    wide: Option<HashMap<CellKey, u32, Fx>>,
}

/// A packed cell key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Packed([u64; 2]);

impl std::hash::Hash for Packed {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Folded multiplication (as in foldhash): every bit of both words
        // reaches both the high bits (hashbrown's tag) and the low ones (its bucket).
        let product = u128::from(self.0[0] ^ 0x243F_6A88_85A3_08D3) * u128::from(self.0[1] ^ 0x1319_8A2E_0370_7344);
        state.write_u64((product as u64) ^ ((product >> 64) as u64));
    }
}

/// Hands on the one word [`Packed`] hashes to.
#[derive(Debug, Clone, Copy, Default)]
struct Premixed(u64);

impl std::hash::Hasher for Premixed {
    fn write(&mut self, bytes: &[u8]) {
        // Only `Packed` is hashed with this; any other use still spreads.
        for &byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type PackedHash = std::hash::BuildHasherDefault<Premixed>;

/// Bits of the day in a packed key: 0 for [`NO_DAY`](crate::vocab::dates::NO_DAY),
/// else days since 1970-01-01 plus one (to the year 2328; other days do not pack).
const DAY_BITS: u32 = 17;

/// Bits added beyond what an id needs when a width grows, so it grows seldom.
const HEADROOM_BITS: u32 = 2;

impl CellIndex {
    fn day_field(day: i32) -> Option<u64> {
        if day == crate::vocab::dates::NO_DAY {
            return Some(0);
        }
        u32::try_from(day).ok().map(|d| u64::from(d) + 1).filter(|&d| d < 1 << DAY_BITS)
    }

    /// The packed key, if every id fits its width and the day packs.
    #[inline]
    fn pack(&self, (labels, day): &CellKey) -> Option<Packed> {
        // The day is the low bits of the first word; labels are laid out above it.
        let mut words = [Self::day_field(*day)?, 0];
        for (&id, &(width, word, shift)) in labels.iter().zip(&self.layout) {
            if u64::from(id) >> width != 0 {
                return None;
            }
            words[word] |= u64::from(id) << shift;
        }
        Some(Packed(words))
    }

    fn get(&self, key: &CellKey) -> Option<u32> {
        match &self.wide {
            Some(wide) => wide.get(key).copied(),
            // Every key indexed packs as the widths are, so one that does not is new.
            None => self.packed.get(&self.pack(key)?).copied(),
        }
    }

    /// Makes room for `key` (wider widths, or keys in full) and indexes the
    /// cells `keys` / `days` hold again.
    fn widen(&mut self, key: &CellKey, keys: &[[u32; TEXT_DIMENSIONS]], days: &[i32]) {
        let mut layout = self.layout;
        // Widths first, then each dimension in the first word with room (a
        // dimension is never split between words).
        for ((width, _, _), &id) in layout.iter_mut().zip(&key.0) {
            let needed = u32::BITS - id.leading_zeros();
            if needed > *width {
                *width = (needed + HEADROOM_BITS).min(u32::BITS);
            }
        }
        let mut used = [DAY_BITS, 0];
        let mut fits = Self::day_field(key.1).is_some();
        for (width, word, shift) in &mut layout {
            match used.iter().position(|&u| u + *width <= u64::BITS) {
                Some(w) => {
                    (*word, *shift) = (w, used[w]);
                    used[w] += *width;
                }
                None => fits = false,
            }
        }
        let cells = keys.iter().copied().zip(days.iter().copied());
        if fits {
            self.layout = layout;
            self.packed.clear();
            for (cell, key) in cells.enumerate() {
                let packed = self.pack(&key).expect("every indexed key fits the wider widths");
                self.packed.insert(packed, cell as u32);
            }
        } else {
            self.packed = HashMap::default();
            self.wide = Some(cells.enumerate().map(|(cell, key)| (key, cell as u32)).collect());
        }
    }

    /// Indexes a new cell, first making room for its key if it does not pack
    /// (`keys` / `days` are the cells indexed so far).
    fn insert(&mut self, key: CellKey, cell: u32, keys: &[[u32; TEXT_DIMENSIONS]], days: &[i32]) {
        if self.wide.is_none() && self.pack(&key).is_none() {
            self.widen(&key, keys, days);
        }
        match &mut self.wide {
            Some(wide) => {
                wide.insert(key, cell);
            }
            None => {
                let packed = self.pack(&key).expect("a key is packable once widened for it");
                self.packed.insert(packed, cell);
            }
        }
    }
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
        let part = other.to_columns();
        let labels = self.map_labels(&part);
        self.merge_columns(&part, &labels, 0..part.cells());
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

/// Numbers per cell in [`CubeColumns::sums`]: a (value, carried error) pair per measure.
const SUM_PARTS: usize = 2 * MEASURES;

/// A cube as flat columns: per cell, its label ids, a day, rows, null costs and
/// a (value, carried error) pair per measure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CubeColumns {
    /// The labels of each text dimension, by id.
    pub labels: [Vec<String>; TEXT_DIMENSIONS],
    /// [`TEXT_DIMENSIONS`] label ids per cell.
    pub keys: Vec<u32>,
    /// The day of each cell.
    pub days: Vec<i32>,
    /// Rows per cell.
    pub rows: Vec<f64>,
    /// Null costs per cell.
    pub null_costs: Vec<f64>,
    /// [`SUM_PARTS`] numbers per cell: (value, error) of each measure, in [`Measure::ALL`] order.
    pub sums: Vec<f64>,
    /// The first and last day of its rows ([`Cube::day_span`]).
    #[serde(default)]
    pub span: Option<(i32, i32)>,
}

impl CubeColumns {
    /// How many cells the part holds.
    pub fn cells(&self) -> usize {
        self.days.len()
    }

    /// Checks that the columns agree with each other (they cross a worker
    /// boundary): lengths match, labels are unique, label ids exist.
    pub fn check(&self) -> Result<()> {
        let broken = |what: &str| Err(Error::Corrupt { detail: format!("an explorer part is inconsistent ({what})") });
        let cells = self.cells();
        if self.keys.len() != cells * TEXT_DIMENSIONS
            || self.rows.len() != cells
            || self.null_costs.len() != cells
            || self.sums.len() != cells * SUM_PARTS
        {
            return broken("column lengths differ");
        }
        for labels in &self.labels {
            let distinct: std::collections::HashSet<&String> = labels.iter().collect();
            if distinct.len() != labels.len() {
                return broken("a label appears twice");
            }
        }
        let out_of_range = self
            .keys
            .chunks_exact(TEXT_DIMENSIONS)
            .any(|key| key.iter().zip(&self.labels).any(|(&id, labels)| id as usize >= labels.len()));
        if out_of_range {
            return broken("a label id is out of range");
        }
        if self.span.is_some_and(|(first, last)| first > last) {
            return broken("its last day is before its first");
        }
        Ok(())
    }
}

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
                cube.label_id(8, ""),
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

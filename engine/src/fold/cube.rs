//! The explorer's data: costs by service, account, region, usage type,
//! operation, line item type, currency, unit and day, for five measures. Built by the scan,
//! merged across workers, then queried in memory (see `query`), so every change
//! of grouping or filter recomputes without reading a file again.

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fold::sum::CompensatedSum;
use crate::schema::catalogue::Field;

/// How many text labels a cell key has: one per [`Dimension::LABELS`].
pub const TEXT_DIMENSIONS: usize = 9;

/// What costs can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dimension {
    /// The service code (the costs page's grouping).
    Service,
    /// The account that used the resource.
    Account,
    /// The region.
    Region,
    /// The usage type.
    UsageType,
    /// The operation.
    Operation,
    /// The line item type (FOCUS: charge category).
    LineItemType,
    /// The currency of the amounts.
    Currency,
    /// The unit of the usage quantity.
    Unit,
    /// What an on-demand scan was asked for ([`Detail`](crate::Detail): a tag, a
    /// cost category, the resource): too many values to keep otherwise, so
    /// empty in the explorer's own cube.
    Detail,
    /// The calendar month of the usage.
    Month,
    /// The day of the usage.
    Day,
}

impl Dimension {
    /// The text dimensions, in the order of a cell key's labels.
    pub const LABELS: [Dimension; TEXT_DIMENSIONS] = [
        Dimension::Service,
        Dimension::Account,
        Dimension::Region,
        Dimension::UsageType,
        Dimension::Operation,
        Dimension::LineItemType,
        Dimension::Currency,
        Dimension::Unit,
        Dimension::Detail,
    ];

    /// Every dimension the explorer's own cube answers, in the order a picker
    /// shows them: the text ones, then time. [`Detail`](Self::Detail) is not
    /// among them: only an on-demand scan fills it.
    pub const ALL: [Dimension; TEXT_DIMENSIONS + 1] = {
        let mut all = [Dimension::Day; TEXT_DIMENSIONS + 1];
        let mut i = 0;
        while i < TEXT_DIMENSIONS - 1 {
            all[i] = Self::LABELS[i];
            i += 1;
        }
        all[TEXT_DIMENSIONS - 1] = Dimension::Month;
        all
    };

    const _DETAIL_IS_LAST: () = assert!(matches!(Self::LABELS[TEXT_DIMENSIONS - 1], Dimension::Detail));

    /// Its slot in a cell key, for the text dimensions (its place in [`LABELS`](Self::LABELS)).
    pub const fn slot(self) -> Option<usize> {
        match self {
            Dimension::Service => Some(0),
            Dimension::Account => Some(1),
            Dimension::Region => Some(2),
            Dimension::UsageType => Some(3),
            Dimension::Operation => Some(4),
            Dimension::LineItemType => Some(5),
            Dimension::Currency => Some(6),
            Dimension::Unit => Some(7),
            Dimension::Detail => Some(8),
            Dimension::Month | Dimension::Day => None,
        }
    }

    /// The optional column a text dimension is read from; `None` for the service
    /// and the line item type (required columns) and for the dates.
    pub const fn field(self) -> Option<Field> {
        match self {
            Dimension::Account => Some(Field::Account),
            Dimension::Region => Some(Field::Region),
            Dimension::UsageType => Some(Field::UsageType),
            Dimension::Operation => Some(Field::Operation),
            Dimension::Currency => Some(Field::Currency),
            Dimension::Unit => Some(Field::Unit),
            Dimension::Service | Dimension::LineItemType | Dimension::Detail | Dimension::Month | Dimension::Day => {
                None
            }
        }
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            Dimension::Service => "Service",
            Dimension::Account => "Account",
            Dimension::Region => "Region",
            Dimension::UsageType => "Usage type",
            Dimension::Operation => "Operation",
            Dimension::LineItemType => "Line item type",
            Dimension::Currency => "Currency",
            Dimension::Unit => "Unit",
            Dimension::Detail => "Detail",
            Dimension::Month => "Month",
            Dimension::Day => "Day",
        }
    }

    /// A short stable name, for links and files.
    pub fn key(self) -> &'static str {
        match self {
            Dimension::Service => "service",
            Dimension::Account => "account",
            Dimension::Region => "region",
            Dimension::UsageType => "usage-type",
            Dimension::Operation => "operation",
            Dimension::LineItemType => "line-item-type",
            Dimension::Currency => "currency",
            Dimension::Unit => "unit",
            Dimension::Detail => "detail",
            Dimension::Month => "month",
            Dimension::Day => "day",
        }
    }

    /// The dimension with this [`key`](Self::key).
    pub fn from_key(key: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.key() == key)
    }
}

/// Which cost is summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Measure {
    /// `line_item_unblended_cost` / FOCUS `BilledCost` (the costs page's).
    Unblended,
    /// `line_item_net_unblended_cost` / FOCUS `BilledCost`: after private pricing.
    NetUnblended,
    /// Reservations and Savings Plans spread over the usage they cover
    /// (the CID formula) / FOCUS `EffectiveCost`.
    Amortized,
    /// `pricing_public_on_demand_cost` / FOCUS `ListCost`: at public on-demand prices.
    List,
    /// `line_item_usage_amount` / FOCUS `ConsumedQuantity`: how much was used, in
    /// its unit (not money).
    Usage,
}

/// How many measures a cell sums.
pub const MEASURES: usize = Measure::ALL.len();

impl Measure {
    /// Every measure.
    pub const ALL: [Measure; 5] =
        [Measure::Unblended, Measure::NetUnblended, Measure::Amortized, Measure::List, Measure::Usage];

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            Measure::Unblended => "Unblended",
            Measure::NetUnblended => "Net unblended",
            Measure::Amortized => "Amortized",
            Measure::List => "List (on-demand)",
            Measure::Usage => "Usage quantity",
        }
    }

    /// A short stable name, for links and files.
    pub fn key(self) -> &'static str {
        match self {
            Measure::Unblended => "unblended",
            Measure::NetUnblended => "net-unblended",
            Measure::Amortized => "amortized",
            Measure::List => "list",
            Measure::Usage => "usage",
        }
    }

    /// The measure with this [`key`](Self::key).
    pub fn from_key(key: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.key() == key)
    }

    /// What its sums are counted in, and never added across: the currency for
    /// costs, the unit for the usage quantity. A group's `currency` holds it.
    pub const fn denomination(self) -> Dimension {
        match self {
            Measure::Usage => Dimension::Unit,
            _ => Dimension::Currency,
        }
    }

    /// Whether it is an amount of money (the usage quantity is not).
    pub const fn is_money(self) -> bool {
        !matches!(self, Measure::Usage)
    }

    /// Its place in [`ALL`](Self::ALL), and in a cell's sums.
    pub const fn index(self) -> usize {
        match self {
            Measure::Unblended => 0,
            Measure::NetUnblended => 1,
            Measure::Amortized => 2,
            Measure::List => 3,
            Measure::Usage => 4,
        }
    }
}

/// rustc's Fx hash: the cell index is looked up once per row, and SipHash would
/// cost more than the rest of the row's work.
type Fx = rustc_hash::FxBuildHasher;

/// A cell's key: the ids of its text labels and its day.
pub type CellKey = ([u32; TEXT_DIMENSIONS], i32);

/// Costs by (text labels, day).
#[derive(Debug, Clone, Default)]
pub struct Cube {
    labels: [Vec<String>; TEXT_DIMENSIONS],
    label_ids: [HashMap<String, u32, Fx>; TEXT_DIMENSIONS],
    keys: Vec<[u32; TEXT_DIMENSIONS]>,
    days: Vec<i32>,
    rows: Vec<u64>,
    null_costs: Vec<u64>,
    sums: Vec<[CompensatedSum; MEASURES]>,
    index: HashMap<CellKey, u32, Fx>,
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
    pub fn cell_index(&mut self, key: CellKey) -> usize {
        if let Some(&index) = self.index.get(&key) {
            return index as usize;
        }
        let index = self.keys.len();
        self.keys.push(key.0);
        self.days.push(key.1);
        self.rows.push(0);
        self.null_costs.push(0);
        self.sums.push(Default::default());
        self.index.insert(key, index as u32);
        index
    }

    /// Adds one row's measures (in [`Measure::ALL`] order) to a cell.
    #[inline]
    pub fn add(&mut self, cell: usize, costs: [f64; MEASURES], null_cost: bool) {
        self.rows[cell] += 1;
        self.null_costs[cell] += u64::from(null_cost);
        for (sum, cost) in self.sums[cell].iter_mut().zip(costs) {
            sum.add(cost);
        }
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
        CubeCell { labels: &self.keys[i], day: self.days[i], rows: self.rows[i], null_costs: self.null_costs[i] }
    }

    /// The cell's sum of `measure`, with its carried error (for exact totals).
    pub fn sum(&self, i: usize, measure: Measure) -> &CompensatedSum {
        &self.sums[i][measure.index()]
    }

    /// The cube as flat columns, for moving between threads as typed arrays.
    pub fn to_columns(&self) -> CubeColumns {
        CubeColumns {
            labels: self.labels.clone(),
            keys: self.keys.iter().flatten().copied().collect(),
            days: self.days.clone(),
            rows: self.rows.iter().map(|&r| r as f64).collect(),
            null_costs: self.null_costs.iter().map(|&r| r as f64).collect(),
            sums: self.sums.iter().flatten().flat_map(|s| s.parts()).collect(),
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
        for i in cells {
            let key = std::array::from_fn(|slot| labels[slot][part.keys[i * TEXT_DIMENSIONS + slot] as usize]);
            let cell = self.cell_index((key, part.days[i]));
            self.rows[cell] += part.rows[i] as u64;
            self.null_costs[cell] += part.null_costs[i] as u64;
            for (m, sum) in self.sums[cell].iter_mut().enumerate() {
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

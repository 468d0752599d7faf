//! Partial aggregates: what a scan of one slice of one file produces, and what the
//! workers send back to be merged.
//!
//! A tally keeps the cost per (line item type, service) pair rather than only the
//! usage rows, so which types count as usage can change without reading the file
//! again, and the costs page can say how much each type holds.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::sum::CompensatedSum;

/// Cost and row counts of the rows that share one line item type and one service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CellTotals {
    /// Rows in this cell.
    pub rows: u64,
    /// Rows whose cost was null; they count as 0.
    pub null_costs: u64,
    /// Rows whose cost was NaN or infinite; they count as 0 and are reported.
    pub invalid_costs: u64,
    /// Sum of the cost column.
    pub cost: CompensatedSum,
}

impl CellTotals {
    fn merge(&mut self, other: &CellTotals) {
        self.rows += other.rows;
        self.null_costs += other.null_costs;
        self.invalid_costs += other.invalid_costs;
        self.cost.merge(&other.cost);
    }
}

/// One cell of a tally, as sent between workers and the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The line item type (FOCUS: charge category) as written in the file; null reads as "".
    pub line_item_type: String,
    /// The service as written in the file; null reads as "".
    pub service: String,
    /// The totals.
    #[serde(flatten)]
    pub totals: CellTotals,
}

/// Per (line item type, service) totals of some rows, mergeable in any order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "TallyWire", into = "TallyWire")]
pub struct Tally {
    /// Rows scanned.
    pub rows: u64,
    cells: HashMap<(String, String), CellTotals>,
}

impl Tally {
    /// An empty tally of `rows` scanned rows; cells come with [`Tally::add`].
    pub fn new(rows: u64) -> Tally {
        Tally { rows, cells: HashMap::new() }
    }

    /// Adds totals for one (line item type, service) pair.
    pub fn add(&mut self, line_item_type: &str, service: &str, totals: &CellTotals) {
        match self.cells.get_mut(&(line_item_type.to_owned(), service.to_owned())) {
            Some(cell) => cell.merge(totals),
            None => {
                self.cells.insert((line_item_type.to_owned(), service.to_owned()), totals.clone());
            }
        }
    }

    /// Folds another tally into this one.
    pub fn merge(&mut self, other: &Tally) {
        self.rows += other.rows;
        for ((line_item_type, service), totals) in &other.cells {
            self.add(line_item_type, service, totals);
        }
    }

    /// The cells, in no particular order.
    pub fn cells(&self) -> impl Iterator<Item = (&str, &str, &CellTotals)> {
        self.cells.iter().map(|((line_item_type, service), totals)| (line_item_type.as_str(), service.as_str(), totals))
    }
}

/// The serialised form: a list is both smaller than a map keyed by pairs and
/// representable in JSON.
#[derive(Serialize, Deserialize)]
struct TallyWire {
    rows: u64,
    cells: Vec<Cell>,
}

impl From<TallyWire> for Tally {
    fn from(wire: TallyWire) -> Self {
        let mut tally = Tally { rows: wire.rows, cells: HashMap::with_capacity(wire.cells.len()) };
        for cell in wire.cells {
            tally.add(&cell.line_item_type, &cell.service, &cell.totals);
        }
        tally
    }
}

impl From<Tally> for TallyWire {
    fn from(tally: Tally) -> Self {
        let mut cells: Vec<Cell> = tally
            .cells
            .into_iter()
            .map(|((line_item_type, service), totals)| Cell { line_item_type, service, totals })
            .collect();
        cells.sort_by(|a, b| (&a.line_item_type, &a.service).cmp(&(&b.line_item_type, &b.service)));
        TallyWire { rows: tally.rows, cells }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn totals(rows: u64, cost: f64) -> CellTotals {
        let mut sum = CompensatedSum::default();
        sum.add(cost);
        CellTotals { rows, cost: sum, ..CellTotals::default() }
    }

    #[test]
    fn merge_adds_matching_cells_and_keeps_the_rest() {
        let mut a = Tally::new(3);
        a.add("Usage", "AmazonS3", &totals(2, 1.5));
        a.add("Tax", "AmazonS3", &totals(1, 0.1));
        let mut b = Tally::new(2);
        b.add("Usage", "AmazonS3", &totals(1, 2.25));
        b.add("Usage", "AmazonEC2", &totals(1, 4.0));
        a.merge(&b);
        assert_eq!(a.rows, 5);
        let mut cells: Vec<_> =
            a.cells().map(|(t, s, c)| (t.to_owned(), s.to_owned(), c.rows, c.cost.value())).collect();
        cells.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
        assert_eq!(
            cells,
            [
                ("Tax".into(), "AmazonS3".into(), 1, 0.1),
                ("Usage".into(), "AmazonEC2".into(), 1, 4.0),
                ("Usage".into(), "AmazonS3".into(), 3, 3.75),
            ]
        );
    }

    #[test]
    fn survives_a_json_round_trip() {
        let mut tally = Tally::new(7);
        tally.add("Usage", "", &totals(7, 0.1 + 0.2));
        let text = serde_json::to_string(&tally).unwrap();
        assert_eq!(serde_json::from_str::<Tally>(&text).unwrap(), tally);
    }
}

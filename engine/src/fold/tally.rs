//! Partial aggregates: what a scan of one slice of one file produces, and what the
//! workers send back to be merged.
//!
//! A tally keeps the cost per (line item type, service) pair rather than only the
//! usage rows, so which types count as usage can change without reading the file
//! again, and the costs page can say how much each type holds.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::fold::sum::CompensatedSum;

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
    /// Rows with a public on-demand (list) cost, where the files have the column.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub list_rows: u64,
    /// Sum of their list cost: what usage paid by a commitment (at 0 unblended)
    /// would have cost on demand.
    #[serde(default, skip_serializing_if = "is_nothing")]
    pub list_cost: CompensatedSum,
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

fn is_nothing(sum: &CompensatedSum) -> bool {
    *sum == CompensatedSum::default()
}

impl CellTotals {
    /// Adds another cell's totals.
    pub fn merge(&mut self, other: &CellTotals) {
        self.rows += other.rows;
        self.null_costs += other.null_costs;
        self.invalid_costs += other.invalid_costs;
        self.cost.merge(&other.cost);
        self.list_rows += other.list_rows;
        self.list_cost.merge(&other.list_cost);
    }
}

/// Which rows a cell of a tally holds: those sharing a line item type, a service
/// and a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellKey<'a> {
    /// The line item type (FOCUS: charge category) as written in the file; null reads as "".
    pub line_item_type: &'a str,
    /// The service as written in the file; null reads as "".
    pub service: &'a str,
    /// The currency code (`USD` where the file has none).
    pub currency: &'a str,
}

/// One cell of a tally, as sent between workers and the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The line item type (FOCUS: charge category) as written in the file; null reads as "".
    pub line_item_type: String,
    /// The service as written in the file; null reads as "".
    pub service: String,
    /// The currency code.
    pub currency: String,
    /// The totals.
    #[serde(flatten)]
    pub totals: CellTotals,
}

/// Per (line item type, service, currency) totals of some rows, mergeable in any order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "TallyWire", into = "TallyWire")]
pub struct Tally {
    /// Rows scanned.
    pub rows: u64,
    cells: HashMap<(String, String, String), CellTotals>,
    /// Services' display names where the files carry one; `None` where they
    /// carry several (no one name is right).
    names: BTreeMap<String, Option<String>>,
    /// The part of `cells` whose rows had no service code and were named by
    /// their product code (so the original service's rule can leave them out).
    fell_back: HashMap<(String, String, String), CellTotals>,
    /// Whether the list cost of usage a commitment paid was looked for (a
    /// covered scan, or the explorer's cube); a plain costs scan does not read it.
    pub priced: bool,
}

impl Tally {
    /// An empty tally of `rows` scanned rows; cells come with [`Tally::add`].
    pub fn new(rows: u64) -> Tally {
        Tally { rows, cells: HashMap::new(), names: BTreeMap::new(), fell_back: HashMap::new(), priced: false }
    }

    /// Records the display name of `service` seen in some rows (`None`: several
    /// names). A second, different name leaves the service with none.
    pub fn name(&mut self, service: &str, name: Option<&str>) {
        let name = name.filter(|name| !name.is_empty()).map(str::to_owned);
        match self.names.get_mut(service) {
            None => {
                self.names.insert(service.to_owned(), name);
            }
            Some(known) if *known != name => *known = None,
            Some(_) => {}
        }
    }

    /// The display name of `service`, if the files carry exactly one (and it is not the code itself).
    pub fn name_of(&self, service: &str) -> Option<&str> {
        self.names.get(service)?.as_deref().filter(|name| *name != service)
    }

    /// Adds totals for one cell.
    pub fn add(&mut self, key: CellKey<'_>, totals: &CellTotals) {
        let owned = (key.line_item_type.to_owned(), key.service.to_owned(), key.currency.to_owned());
        match self.cells.get_mut(&owned) {
            Some(cell) => cell.merge(totals),
            None => {
                self.cells.insert(owned, totals.clone());
            }
        }
    }

    /// Records that `totals`, already added to the cell `key`, are of rows
    /// whose service code was empty and whose service is their product code.
    pub fn add_fell_back(&mut self, key: CellKey<'_>, totals: &CellTotals) {
        let owned = (key.line_item_type.to_owned(), key.service.to_owned(), key.currency.to_owned());
        self.fell_back.entry(owned).or_default().merge(totals);
    }

    /// Sets the list cost of the cell `key` (if the tally has it): `rows` of
    /// its rows priced, at `sum` in all.
    pub fn set_list(&mut self, key: CellKey<'_>, rows: u64, sum: CompensatedSum) {
        let owned = (key.line_item_type.to_owned(), key.service.to_owned(), key.currency.to_owned());
        if let Some(cell) = self.cells.get_mut(&owned) {
            cell.list_rows = rows.min(cell.rows);
            cell.list_cost = sum;
        }
    }

    /// The rows named by their product code, per cell (each also in [`cells`](Self::cells)).
    pub fn fell_back(&self) -> impl Iterator<Item = (CellKey<'_>, &CellTotals)> {
        self.fell_back.iter().map(|((line_item_type, service, currency), totals)| {
            (CellKey { line_item_type, service, currency }, totals)
        })
    }

    /// Folds another tally into this one.
    pub fn merge(&mut self, other: &Tally) {
        self.rows += other.rows;
        self.priced |= other.priced;
        for (key, totals) in other.cells() {
            self.add(key, totals);
        }
        for (key, totals) in other.fell_back() {
            self.add_fell_back(key, totals);
        }
        for (service, name) in &other.names {
            self.name(service, name.as_deref());
        }
    }

    /// The cells, in no particular order.
    pub fn cells(&self) -> impl Iterator<Item = (CellKey<'_>, &CellTotals)> {
        self.cells.iter().map(|((line_item_type, service, currency), totals)| {
            (CellKey { line_item_type, service, currency }, totals)
        })
    }

    /// The currencies of the cells, in order.
    pub fn currencies(&self) -> Vec<&str> {
        let mut currencies: Vec<&str> = self.cells.keys().map(|(_, _, currency)| currency.as_str()).collect();
        currencies.sort_unstable();
        currencies.dedup();
        currencies
    }

    /// The line item types, with their row counts, most rows first (then by name).
    pub fn line_item_types(&self) -> Vec<(String, u64)> {
        let mut rows: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
        for (key, cell) in self.cells() {
            *rows.entry(key.line_item_type).or_default() += cell.rows;
        }
        let mut types: Vec<(String, u64)> = rows.into_iter().map(|(t, n)| (t.to_owned(), n)).collect();
        types.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        types
    }
}

/// The serialised form: a list is both smaller than a map keyed by tuples and
/// representable in JSON.
#[derive(Serialize, Deserialize)]
struct TallyWire {
    rows: u64,
    cells: Vec<Cell>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    names: BTreeMap<String, Option<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    fell_back: Vec<Cell>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    priced: bool,
}

impl From<TallyWire> for Tally {
    fn from(wire: TallyWire) -> Self {
        let mut tally = Tally {
            rows: wire.rows,
            cells: HashMap::with_capacity(wire.cells.len()),
            names: wire.names,
            fell_back: HashMap::new(),
            priced: wire.priced,
        };
        for cell in wire.cells {
            tally.add(cell.key(), &cell.totals);
        }
        for cell in wire.fell_back {
            tally.add_fell_back(cell.key(), &cell.totals);
        }
        tally
    }
}

impl Cell {
    fn key(&self) -> CellKey<'_> {
        CellKey { line_item_type: &self.line_item_type, service: &self.service, currency: &self.currency }
    }
}

/// Cells as a list in a stable order.
fn listed(cells: HashMap<(String, String, String), CellTotals>) -> Vec<Cell> {
    let mut cells: Vec<Cell> = cells
        .into_iter()
        .map(|((line_item_type, service, currency), totals)| Cell { line_item_type, service, currency, totals })
        .collect();
    cells.sort_by(|a, b| a.key().cmp(&b.key()));
    cells
}

impl From<Tally> for TallyWire {
    fn from(tally: Tally) -> Self {
        TallyWire {
            rows: tally.rows,
            cells: listed(tally.cells),
            names: tally.names,
            fell_back: listed(tally.fell_back),
            priced: tally.priced,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key<'a>(line_item_type: &'a str, service: &'a str) -> CellKey<'a> {
        CellKey { line_item_type, service, currency: "USD" }
    }

    fn totals(rows: u64, cost: f64) -> CellTotals {
        let mut sum = CompensatedSum::default();
        sum.add(cost);
        CellTotals { rows, cost: sum, ..CellTotals::default() }
    }

    #[test]
    fn merge_adds_matching_cells_and_keeps_the_rest() {
        let mut a = Tally::new(3);
        a.add(key("Usage", "AmazonS3"), &totals(2, 1.5));
        a.add(key("Tax", "AmazonS3"), &totals(1, 0.1));
        let mut b = Tally::new(3);
        b.add(key("Usage", "AmazonS3"), &totals(1, 2.25));
        b.add(key("Usage", "AmazonEC2"), &totals(1, 4.0));
        b.add(CellKey { currency: "EUR", ..key("Usage", "AmazonEC2") }, &totals(1, 3.0));
        a.merge(&b);
        assert_eq!(a.rows, 6);
        let mut cells: Vec<_> = a.cells().map(|(k, c)| (k, c.rows, c.cost.value())).collect();
        cells.sort_by_key(|cell| cell.0);
        assert_eq!(
            cells,
            [
                (key("Tax", "AmazonS3"), 1, 0.1),
                (CellKey { currency: "EUR", ..key("Usage", "AmazonEC2") }, 1, 3.0),
                (key("Usage", "AmazonEC2"), 1, 4.0),
                (key("Usage", "AmazonS3"), 3, 3.75),
            ]
        );
        assert_eq!(a.currencies(), ["EUR", "USD"], "currencies are kept apart");
        assert_eq!(a.line_item_types(), [("Usage".to_owned(), 5), ("Tax".to_owned(), 1)]);
    }

    #[test]
    fn a_service_with_two_names_has_none() {
        let mut a = Tally::new(0);
        a.name("AmazonEC2", Some("Amazon Elastic Compute Cloud"));
        a.name("AWSDataTransfer", Some("Amazon Elastic Compute Cloud"));
        let mut b = Tally::new(0);
        b.name("AWSDataTransfer", Some("Amazon Simple Storage Service"));
        b.name("AmazonEC2", Some("Amazon Elastic Compute Cloud"));
        b.name("AmazonCloudWatch", Some("AmazonCloudWatch"));
        a.merge(&b);
        assert_eq!(a.name_of("AmazonEC2"), Some("Amazon Elastic Compute Cloud"));
        assert_eq!(a.name_of("AWSDataTransfer"), None, "data transfer rows name the service that moved the data");
        assert_eq!(a.name_of("AmazonCloudWatch"), None, "a name that is the code says nothing");
        let text = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Tally>(&text).unwrap(), a);
    }

    #[test]
    fn survives_a_json_round_trip() {
        let mut tally = Tally::new(7);
        tally.add(key("Usage", ""), &totals(7, 0.1 + 0.2));
        let text = serde_json::to_string(&tally).unwrap();
        assert_eq!(serde_json::from_str::<Tally>(&text).unwrap(), tally);
    }
}

//! What a file is, as every room that reads or plans one says it: its outline
//! (columns, rows, row groups, notes), how it is delivered, the slices of rows
//! a scan takes, and what an on-demand scan keeps. Pure description: it imports
//! the schema and the vocabulary, never a reader.

use serde::{Deserialize, Serialize};

use crate::read::sniff::Container;
use crate::schema::catalogue::{CHECK_FIELDS, COMMITMENT_FIELDS, COSTS_FIELDS, Field, INVOICE_FIELDS};
use crate::schema::columns::{Column, CurColumns, OptionalColumns};
use crate::schema::detail::Detail;
use crate::vocab::dimension::{Dimension, Measure};

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

/// Where this file keeps what an on-demand scan reads: the one place the page
/// and the command line ask, so both find a tag, a cost category, the resource
/// or the accounts' names the same way in every flavour.
impl Outline {
    /// The column holding `detail` (with its key, inside a column of pairs).
    pub fn detail_column(&self, detail: &Detail) -> Option<Column> {
        detail.column(&self.names, self.columns.format)
    }

    /// The column of key → value pairs where `detail`'s kind lives (CUR 2.0's
    /// `resource_tags`, FOCUS `Tags`), for a census of its keys.
    pub fn pairs_column(&self, detail: &Detail) -> Option<Column> {
        detail.pairs_column(&self.names, self.columns.format)
    }

    /// The keys of `detail`'s kind with a column of their own (legacy CUR's
    /// `resource_tags_user_team`).
    pub fn named_keys(&self, detail: &Detail) -> Vec<String> {
        detail.names_in_columns(&self.names, self.columns.format)
    }

    /// The column of the accounts' names (CUR 2.0, FOCUS), where the file has one.
    pub fn account_name_column(&self) -> Option<Column> {
        Detail::account_name_column(&self.names, self.columns.format)
    }
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
    /// The one measure asked for, whose amount columns alone are read (the
    /// others' sums are left as the unblended cost); `None`: every measure.
    #[serde(default)]
    pub measure: Option<Measure>,
}

impl DetailScan {
    /// What every scan's cells carry, listed or not: the line item type (the
    /// usage rule is applied to the cube), the currency (amounts in two are
    /// never added), the detail (its column is the scan's), the dates.
    const ALWAYS: [Dimension; 5] =
        [Dimension::LineItemType, Dimension::Currency, Dimension::Detail, Dimension::Month, Dimension::Day];

    /// What the explorer's own scan reads: every label, by month. Days multiply
    /// the cells by up to 31 (1.7M cells against 0.19M for the benchmark's 10M
    /// rows, most of the explorer's time and memory), so a view that needs them
    /// reads them on demand.
    pub fn explorer() -> DetailScan {
        DetailScan { dates: Dates::Months, labels: Dimension::ALL.to_vec(), keep: Vec::new(), measure: None }
    }

    /// A census of a column of key → value pairs (the detail): the pairs
    /// and the unblended cost, nothing else; its cells list every distinct set
    /// of pairs with the cost it covers (`answer::tags`).
    pub fn census() -> DetailScan {
        DetailScan { dates: Dates::Undated, labels: Vec::new(), keep: Vec::new(), measure: Some(Measure::Unblended) }
    }

    /// Whether this scan reads the optional column of `field`: the day only
    /// when dated; a label only when its dimension is among `labels` (the
    /// currency always: amounts in two are never added); an amount only when
    /// its measure is asked for (every measure's, without one); the rest (the
    /// product code a blank service takes) always.
    pub fn reads(&self, field: Field) -> bool {
        if field == Field::UsageStart {
            return self.dates != Dates::Undated;
        }
        if let Some(dimension) = Dimension::LABELS.into_iter().find(|d| d.field() == Some(field)) {
            return dimension == Dimension::Currency || self.labels.contains(&dimension);
        }
        match measure_of(field) {
            Some(measures) => self.measure.is_none_or(|asked| measures.contains(&asked)),
            None => true,
        }
    }

    /// The dimensions whose column is read whatever the scan (the service, the
    /// unit a measure of usage is counted in) or whose label a file's layout
    /// implies (the provider: AWS for CUR) but whose labels its cells leave
    /// blank, as it does not ask for them: their labels would multiply the
    /// cells without changing the answer.
    pub fn blanked(&self) -> Vec<Dimension> {
        [Dimension::Service, Dimension::Unit, Dimension::Provider]
            .into_iter()
            .filter(|d| !self.labels.contains(d))
            .collect()
    }

    /// Whether a cube of this scan can answer one that needs `needed`.
    pub fn covers(&self, needed: &DetailScan) -> bool {
        let fine = |d: Dates| match d {
            Dates::Undated => 0,
            Dates::Months => 1,
            Dates::Days => 2,
        };
        fine(self.dates) >= fine(needed.dates)
            // A scan of every measure (the explorer's) answers those its billing-currency cells hold.
            && match self.measure {
                None => needed.measure.is_none_or(Measure::in_billing_cells),
                own => own == needed.measure,
            }
            && needed.labels.iter().all(|d| self.labels.contains(d) || Self::ALWAYS.contains(d))
            // A scan that kept fewer rows cannot answer for more.
            && self.keep.iter().all(|(d, kept)| {
                needed.keep.iter().any(|(n, wanted)| n == d && wanted.iter().all(|w| kept.contains(w)))
            })
    }
}

/// The measures an amount column is read for, if `field` is one.
fn measure_of(field: Field) -> Option<&'static [Measure]> {
    match field {
        Field::NetUnblended => Some(&[Measure::NetUnblended]),
        Field::ListCost => Some(&[Measure::List]),
        Field::UsageAmount => Some(&[Measure::Usage]),
        // The pricing measure falls back to the amortized cost.
        Field::EffectiveCost | Field::ReservationArn => Some(&[Measure::Amortized, Measure::Pricing]),
        field if crate::fold::amortize::INPUTS.contains(&field) => Some(&[Measure::Amortized, Measure::Pricing]),
        Field::PricingEffectiveCost | Field::PricingCurrency => Some(&[Measure::Pricing]),
        _ => None,
    }
}

/// What a scan computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScanKind {
    /// Per (line item type, service, currency) sums of the cost: the costs page.
    Costs,
    /// The costs, with the list cost of usage a commitment paid: the command
    /// line's scan when that usage counts at its on-demand price (the page
    /// takes the price from the explorer's cube).
    Covered,
    /// The explorer's [`Cube`]: more columns, more measures.
    Explore,
    /// Per Savings Plan and reservation: what it cost, used and covered.
    Commitments,
    /// The same, with the resources and accounts whose usage they paid
    /// (a column as long as the bill: read when asked for).
    CommitmentResources,
    /// What the file gets wrong (`schema::rules`).
    Check,
    /// The files' total per invoice.
    Invoices,
}

impl ScanKind {
    /// Every kind, in declaration order: a reader keeps one projection per
    /// kind, at the kind's place here.
    pub const ALL: [ScanKind; 7] = [
        ScanKind::Costs,
        ScanKind::Covered,
        ScanKind::Explore,
        ScanKind::Commitments,
        ScanKind::CommitmentResources,
        ScanKind::Check,
        ScanKind::Invoices,
    ];

    /// Its place in [`ALL`](Self::ALL).
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Whether this scan reads the optional column of `field`.
    pub fn reads(self, field: Field) -> bool {
        match self {
            ScanKind::Costs => COSTS_FIELDS.contains(&field),
            ScanKind::Covered => COSTS_FIELDS.contains(&field) || field == Field::ListCost,
            ScanKind::Explore => field.explored(),
            ScanKind::Commitments => COMMITMENT_FIELDS.contains(&field),
            ScanKind::CommitmentResources => {
                COMMITMENT_FIELDS.contains(&field) || matches!(field, Field::Account | Field::ResourceId)
            }
            ScanKind::Check => CHECK_FIELDS.contains(&field),
            ScanKind::Invoices => INVOICE_FIELDS.contains(&field),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scan_kind_is_at_its_index() {
        assert!(ScanKind::ALL.iter().enumerate().all(|(at, kind)| kind.index() == at));
    }
}

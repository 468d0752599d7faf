//! The one planner of a question read from the files: what the page's
//! on-demand scans and `ducks group` read, so both read only what the
//! question needs.

use crate::answer::query::Filter;
use crate::read::outline::{Dates, DetailScan};
use crate::settings::usage::UsageRule;
use crate::vocab::dimension::{Dimension, Measure};

/// A question asked of the files: costs grouped by some dimensions, one
/// measure, the rows a filter and a usage rule keep, dates as fine as `dates`.
#[derive(Debug, Clone, Copy)]
pub struct Question<'a> {
    /// What the rows are grouped by (a tag, the resource: [`Dimension::Detail`]).
    pub by: &'a [Dimension],
    /// What is summed.
    pub measure: Measure,
    /// What is kept.
    pub filter: &'a Filter,
    /// Which line item types count.
    pub usage: &'a UsageRule,
    /// How finely dates are kept.
    pub dates: Dates,
}

impl Question<'_> {
    /// The scan that answers it: only the labels it groups or filters by and
    /// the measure's denomination (so its cells grow with its groups, not
    /// with the product of every label), and only the rows its filters and
    /// its usage rule keep, dropped inside the kernel by dictionary key. A
    /// detail's own filter is left to the query, so a page can still offer
    /// the detail's other values.
    pub fn scan(&self) -> DetailScan {
        let mut labels = Vec::new();
        let filtered = self.filter.labels.iter().map(|(d, _)| *d);
        for dimension in filtered.chain(self.by.iter().copied()).chain([self.measure.denomination()]) {
            if dimension.slot().is_some() && !labels.contains(&dimension) {
                labels.push(dimension);
            }
        }
        let mut keep: Vec<(Dimension, Vec<String>)> =
            self.filter.labels.iter().filter(|(d, _)| *d != Dimension::Detail).cloned().collect();
        if !self.usage.is_everything() {
            keep.push((Dimension::LineItemType, self.usage.types().map(str::to_owned).collect()));
        }
        DetailScan { dates: self.dates, labels, keep }
    }
}

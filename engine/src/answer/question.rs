//! The one planner of a question read from the files: what the page's
//! on-demand scans and `ducks group` read, so both read only what the
//! question needs.

use serde::{Deserialize, Serialize};

use crate::answer::query::{CurrencyTotal, Filter, GroupOf, GroupedMany, group_many};
use crate::fold::cube::Cube;
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
        DetailScan { dates: self.dates, labels, keep, measure: Some(self.measure) }
    }
}

/// A question as it crosses to a worker, with how its answer is sized: what a
/// worker answers for the parts of one [split](crate::CubeColumns::split).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asked {
    /// What the rows are grouped by.
    pub by: Vec<Dimension>,
    /// What is summed.
    pub measure: Measure,
    /// What is kept.
    pub filter: Filter,
    /// Which line item types count.
    pub usage: UsageRule,
    /// Groups kept per currency.
    pub top: usize,
    /// Only the groups one of whose labels holds this, if given.
    pub needle: Option<String>,
}

impl Asked {
    /// The question to plan its scan by ([`Question::scan`]), dates as fine as `dates`.
    pub fn question(&self, dates: Dates) -> Question<'_> {
        Question { by: &self.by, measure: self.measure, filter: &self.filter, usage: &self.usage, dates }
    }

    /// The label slots a split for this question cuts by.
    pub fn slots(&self) -> Vec<usize> {
        self.by.iter().filter_map(|d| d.slot()).collect()
    }

    /// The answer over `cube` (one part's groups, or all of them).
    pub fn answer(&self, cube: &Cube) -> Sized {
        let grouped = group_many(cube, &self.by, self.measure, &self.filter, &self.usage);
        Sized::of(grouped, self.top, self.needle.as_deref())
    }
}

/// A question's answer sized for a person: per currency its `top` largest
/// groups, with the total, rows and number of all of them. Parts answered
/// from disjoint groups (the parts of [`CubeColumns::split`](crate::CubeColumns::split))
/// [merge](Sized::merge) into the exact answer over all of them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sized {
    /// By currency (the largest total first), then by cost, highest first.
    pub groups: Vec<GroupOf>,
    /// The sum over every group, per currency, the largest first.
    pub totals: Vec<CurrencyTotal>,
    /// Rows kept.
    pub rows: u64,
    /// Groups in all (those not in `groups` included).
    pub count: u64,
}

impl Sized {
    /// `grouped` cut to its `top` largest groups per currency; with `needle`,
    /// only the groups one of whose labels holds it (any case), and the
    /// totals and count are of those.
    pub fn of(mut grouped: GroupedMany, top: usize, needle: Option<&str>) -> Sized {
        if let Some(needle) = needle.map(str::to_lowercase).filter(|n| !n.is_empty()) {
            grouped.groups.retain(|g| g.keys.iter().any(|k| k.to_lowercase().contains(&needle)));
            let mut totals: Vec<CurrencyTotal> = Vec::new();
            for group in &grouped.groups {
                add_to(
                    &mut totals,
                    CurrencyTotal { currency: group.currency.clone(), cost: group.cost, rows: group.rows },
                );
            }
            grouped.totals = totals;
            grouped.rows = grouped.totals.iter().map(|t| t.rows).sum();
        }
        let count = grouped.groups.len() as u64;
        Sized { groups: grouped.groups, totals: grouped.totals, rows: grouped.rows, count }.cut(top)
    }

    /// The parts' answers as one: their totals, rows and counts added, their
    /// groups (disjoint between parts) ranked together and cut to `top` per currency.
    pub fn merge(parts: Vec<Sized>, top: usize) -> Sized {
        let mut merged = Sized::default();
        for part in parts {
            merged.rows += part.rows;
            merged.count += part.count;
            merged.groups.extend(part.groups);
            for total in part.totals {
                add_to(&mut merged.totals, total);
            }
        }
        merged.cut(top)
    }

    /// The currencies by total, each currency's groups by cost, `top` of each.
    fn cut(mut self, top: usize) -> Sized {
        self.totals.sort_by(|a, b| b.cost.total_cmp(&a.cost).then_with(|| a.currency.cmp(&b.currency)));
        let rank = |currency: &str| self.totals.iter().position(|t| t.currency == currency);
        let mut groups = std::mem::take(&mut self.groups);
        groups.sort_by(|a, b| {
            rank(&a.currency)
                .cmp(&rank(&b.currency))
                .then_with(|| b.cost.total_cmp(&a.cost))
                .then_with(|| a.keys.cmp(&b.keys))
        });
        let mut kept: Vec<(String, usize)> = Vec::new();
        groups.retain(|g| match kept.iter_mut().find(|(c, _)| *c == g.currency) {
            Some((_, n)) if *n >= top => false,
            Some((_, n)) => {
                *n += 1;
                true
            }
            None => {
                kept.push((g.currency.clone(), 1));
                top > 0
            }
        });
        self.groups = groups;
        self
    }

    /// Per currency, what the groups not shown hold: the total less the shown
    /// groups (the "Other" row that makes the shown rows add up to the total).
    pub fn other(&self) -> Vec<CurrencyTotal> {
        self.totals
            .iter()
            .map(|total| {
                let shown = self.groups.iter().filter(|g| g.currency == total.currency);
                let (cost, rows) = shown.fold((0.0, 0), |(c, r), g| (c + g.cost, r + g.rows));
                CurrencyTotal { currency: total.currency.clone(), cost: total.cost - cost, rows: total.rows - rows }
            })
            .filter(|other| other.rows > 0)
            .collect()
    }
}

/// Adds `total` to its currency's total among `totals` (a new one if none).
fn add_to(totals: &mut Vec<CurrencyTotal>, total: CurrencyTotal) {
    match totals.iter_mut().find(|t| t.currency == total.currency) {
        Some(known) => {
            known.cost += total.cost;
            known.rows += total.rows;
        }
        None => totals.push(total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grouped(groups: &[(&str, &str, f64)]) -> GroupedMany {
        let groups: Vec<GroupOf> = groups
            .iter()
            .map(|&(key, currency, cost)| GroupOf { keys: vec![key.into()], currency: currency.into(), cost, rows: 1 })
            .collect();
        let mut totals: Vec<CurrencyTotal> = Vec::new();
        for g in &groups {
            add_to(&mut totals, CurrencyTotal { currency: g.currency.clone(), cost: g.cost, rows: g.rows });
        }
        GroupedMany { rows: groups.len() as u64, groups, totals }
    }

    #[test]
    fn parts_of_disjoint_groups_merge_into_the_exact_top() {
        let all = [("a", "USD", 5.0), ("b", "USD", 9.0), ("c", "USD", 1.0), ("d", "USD", 7.0), ("e", "EUR", 2.0)];
        let whole = Sized::of(grouped(&all), 2, None);
        let parts = vec![Sized::of(grouped(&all[..2]), 2, None), Sized::of(grouped(&all[2..]), 2, None)];
        let merged = Sized::merge(parts, 2);
        assert_eq!(merged, whole);
        let keys: Vec<&str> = merged.groups.iter().map(|g| g.keys[0].as_str()).collect();
        assert_eq!(keys, ["b", "d", "e"], "per currency its top two, the larger currency first");
        assert_eq!((merged.count, merged.rows), (5, 5));
        let other = merged.other();
        assert_eq!(other.len(), 1, "EUR has nothing more");
        assert_eq!((other[0].currency.as_str(), other[0].cost, other[0].rows), ("USD", 6.0, 2));
    }

    #[test]
    fn a_search_answers_for_the_matching_groups_only() {
        let found = Sized::of(
            grouped(&[("i-0ABC", "USD", 3.0), ("i-0abd", "USD", 4.0), ("vol-1", "USD", 9.0)]),
            10,
            Some("0ab"),
        );
        assert_eq!((found.count, found.totals[0].cost, found.groups[0].keys[0].as_str()), (2, 7.0, "i-0abd"));
    }
}

//! What changed: each group's cost in one month against the month before,
//! with the change and the percentage, over the months the files hold.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::answer::query::{Query, group_many};
use crate::fold::cube::Cube;
use crate::settings::usage::UsageRule;
use crate::vocab::dates::{format_month, month_start, parse_day, partial_months};
use crate::vocab::dimension::Dimension;

/// One group's month against the one before, in one currency (or unit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The group's label.
    pub key: String,
    /// The currency (the unit, for the usage quantity).
    pub currency: String,
    /// Its cost in the month before.
    pub previous: f64,
    /// Its cost in the month.
    pub current: f64,
    /// `current - previous`.
    pub change: f64,
    /// The change as a share of `previous` (0.25 is 25 % more); `None` when
    /// the group had nothing the month before.
    pub percent: Option<f64>,
}

/// A month against the one before it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MonthOverMonth {
    /// The months the kept rows have costs in (`2024-03`), in order.
    pub months: Vec<String>,
    /// The month compared (`2024-03`); `None` when no row has a date.
    pub month: Option<String>,
    /// The calendar month before it; `None` when the files hold no costs in it
    /// (then nothing is compared: a month the files lack is not a month of 0).
    pub previous: Option<String>,
    /// Which of the two months the files cover only in part (their rows start
    /// after its first day or end before its last).
    pub partial: Vec<String>,
    /// Every group with a cost in either month, the largest change (up or
    /// down) first.
    pub changes: Vec<Change>,
}

/// `query`'s groups in `month` (`2024-03`; the last month with costs when
/// `None` or not among them) against the calendar month before. The query's
/// dates are not applied: the two months are the dates.
pub fn month_over_month(cube: &Cube, query: &Query, usage: &UsageRule, month: Option<&str>) -> MonthOverMonth {
    let filter = crate::answer::query::Filter { from: None, to: None, ..query.filter.clone() };
    let by_time = matches!(query.group_by, Dimension::Month | Dimension::Day);
    let dimensions: Vec<Dimension> =
        if by_time { vec![Dimension::Month] } else { vec![query.group_by, Dimension::Month] };
    let grouped = group_many(cube, &dimensions, query.measure, &filter, usage);
    let month_of = |keys: &[String]| keys.last().cloned().unwrap_or_default();
    let mut months: Vec<String> =
        grouped.groups.iter().map(|g| month_of(&g.keys)).filter(|m| parse_day(&format!("{m}-01")).is_some()).collect();
    months.sort_unstable();
    months.dedup();
    let Some(current) =
        month.filter(|m| months.iter().any(|k| k == m)).map(str::to_owned).or_else(|| months.last().cloned())
    else {
        return MonthOverMonth { months, ..MonthOverMonth::default() };
    };
    let first = parse_day(&format!("{current}-01")).unwrap_or_default();
    let previous = format_month(month_start(first - 1));
    let partial: Vec<String> =
        partial_months(cube.day_span()).into_iter().filter(|m| *m == current || *m == previous).collect();
    if !months.contains(&previous) {
        return MonthOverMonth { months, month: Some(current), previous: None, partial, changes: Vec::new() };
    }
    // (group, currency) → (previous, current)
    let mut sums: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    for group in &grouped.groups {
        let at = month_of(&group.keys);
        let key = if by_time { "Total".to_owned() } else { group.keys[0].clone() };
        let entry = sums.entry((key, group.currency.clone())).or_default();
        if at == current {
            entry.1 += group.cost;
        } else if at == previous {
            entry.0 += group.cost;
        }
    }
    let mut changes: Vec<Change> = sums
        .into_iter()
        .filter(|(_, (before, now))| *before != 0.0 || *now != 0.0)
        .map(|((key, currency), (previous, current))| Change {
            key,
            currency,
            previous,
            current,
            change: current - previous,
            percent: (previous != 0.0).then(|| (current - previous) / previous.abs()),
        })
        .collect();
    changes.sort_by(|a, b| b.change.abs().total_cmp(&a.change.abs()).then_with(|| a.key.cmp(&b.key)));
    MonthOverMonth { months, month: Some(current), previous: Some(previous), partial, changes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::dates::day_of;
    use crate::vocab::dimension::MEASURES;

    fn cube(rows: &[(&str, i32, f64)]) -> Cube {
        let mut cube = Cube::default();
        for &(service, day, cost) in rows {
            let key = std::array::from_fn(|slot| match slot {
                0 => cube.label_id(slot, service),
                5 => cube.label_id(slot, "Usage"),
                6 => cube.label_id(slot, "USD"),
                _ => cube.label_id(slot, ""),
            });
            let cell = cube.cell_index((key, day));
            cube.add(cell, [cost; MEASURES], false);
        }
        cube
    }

    #[test]
    fn each_group_against_the_month_before() {
        let (jan, feb, mar) = (day_of(2024, 1, 5), day_of(2024, 2, 5), day_of(2024, 3, 5));
        let cube = cube(&[
            ("AmazonEC2", jan, 10.0),
            ("AmazonEC2", feb, 12.5),
            ("AmazonS3", jan, 4.0),
            ("AmazonS3", feb, 1.0),
            ("AWSGlue", feb, 3.0),
            ("AmazonEC2", mar, 1.0),
        ]);
        let usage = UsageRule::default();
        let february = month_over_month(&cube, &Query::default(), &usage, Some("2024-02"));
        assert_eq!(february.months, ["2024-01", "2024-02", "2024-03"]);
        assert_eq!((february.month.as_deref(), february.previous.as_deref()), (Some("2024-02"), Some("2024-01")));
        let rows: Vec<(&str, f64, f64, Option<f64>)> =
            february.changes.iter().map(|c| (c.key.as_str(), c.previous, c.current, c.percent)).collect();
        assert_eq!(
            rows,
            [("AWSGlue", 0.0, 3.0, None), ("AmazonS3", 4.0, 1.0, Some(-0.75)), ("AmazonEC2", 10.0, 12.5, Some(0.25))]
        );
        // The first month has no month before it in the files: nothing is compared.
        let january = month_over_month(&cube, &Query::default(), &usage, Some("2024-01"));
        assert_eq!((january.month.as_deref(), january.previous.as_deref()), (Some("2024-01"), None));
        assert!(january.changes.is_empty(), "not every service new against a month of 0");
        // The cube's rows run from Jan 5 to Mar 5: both ends are partial.
        assert_eq!(february.partial, ["2024-01"]);
        // By default the last month; a month the files lack is the last too.
        let last = month_over_month(&cube, &Query::default(), &usage, Some("2023-01"));
        assert_eq!(last.partial, ["2024-03"]);
        assert_eq!(last.month.as_deref(), Some("2024-03"));
        let ec2 = &last.changes.iter().find(|c| c.key == "AmazonEC2").unwrap();
        assert_eq!((ec2.previous, ec2.current, ec2.change), (12.5, 1.0, -11.5));
        // By month itself: one total.
        let by_month = Query { group_by: Dimension::Month, ..Query::default() };
        let total = month_over_month(&cube, &by_month, &usage, None);
        assert_eq!(
            total.changes.iter().map(|c| (c.key.as_str(), c.previous, c.current)).collect::<Vec<_>>(),
            [("Total", 16.5, 1.0)]
        );
        assert_eq!(month_over_month(&Cube::default(), &Query::default(), &usage, None), MonthOverMonth::default());
    }
}

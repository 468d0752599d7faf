//! Questions asked of a [`Cube`]: costs grouped by one dimension, filtered by
//! dates and labels, for one measure, and the same over time. Pure and in
//! memory, so the explorer recomputes on every keystroke without reading files.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::fold::amortize::{INPUTS, RULES};
use crate::fold::cube::{Cube, CubeCell};
use crate::fold::cube_index::Fx;
use crate::fold::sum::CompensatedSum;
use crate::schema::catalogue::Field;
use crate::schema::columns::OptionalColumns;
use crate::settings::usage::UsageRule;
use crate::vocab::dates::{NO_DAY, format_day, format_month, month_start};
use crate::vocab::dimension::{Dimension, Measure, TEXT_DIMENSIONS};

/// Which rows a view keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// First day kept (days since 1970-01-01), if bounded.
    pub from: Option<i32>,
    /// Last day kept, if bounded.
    pub to: Option<i32>,
    /// Per text dimension, the labels kept (no entry: all of them).
    pub labels: Vec<(Dimension, Vec<String>)>,
}

impl Filter {
    /// The labels kept for `dimension`, if it is filtered.
    pub fn labels_of(&self, dimension: Dimension) -> Option<&[String]> {
        self.labels.iter().find(|(d, _)| *d == dimension).map(|(_, labels)| labels.as_slice())
    }

    /// The filter with `dimension` limited to `labels` (an empty list lifts the limit).
    pub fn with_labels(&self, dimension: Dimension, labels: Vec<String>) -> Filter {
        let mut filter = self.clone();
        filter.labels.retain(|(d, _)| *d != dimension);
        if !labels.is_empty() {
            filter.labels.push((dimension, labels));
            filter.labels.sort_by_key(|(d, _)| Dimension::ALL.iter().position(|x| x == d));
        }
        filter
    }
}

/// One question: group by a dimension, sum a measure, keep what the filter keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    /// What rows are grouped by.
    pub group_by: Dimension,
    /// What is summed.
    pub measure: Measure,
    /// What is kept.
    pub filter: Filter,
}

impl Default for Query {
    fn default() -> Self {
        Query { group_by: Dimension::Service, measure: Measure::Unblended, filter: Filter::default() }
    }
}

/// One group's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// The label ("" when the files leave it empty; a date for months and days).
    pub key: String,
    /// The currency of `cost`, or its unit for the usage quantity ([`Measure::denomination`]):
    /// a group of rows in two currencies (or units) is two groups.
    pub currency: String,
    /// The summed measure.
    pub cost: f64,
    /// Rows in the group.
    pub rows: u64,
}

/// The sum of the kept rows of one currency (or unit, for the usage quantity).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrencyTotal {
    /// The currency.
    pub currency: String,
    /// The summed measure.
    pub cost: f64,
    /// Rows kept in this currency.
    pub rows: u64,
}

/// The answer to a [`Query`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Grouped {
    /// The groups: by currency (the largest first), then by cost, highest first
    /// (by date for months and days).
    pub groups: Vec<Group>,
    /// The sum over every group, per currency, the largest first.
    pub totals: Vec<CurrencyTotal>,
    /// Rows kept.
    pub rows: u64,
}

impl Grouped {
    /// The sum over every group, when they are all of one currency (0 when
    /// nothing is kept); `None` when they mix currencies, which are never added.
    pub fn total(&self) -> Option<f64> {
        match self.totals.as_slice() {
            [] => Some(0.0),
            [one] => Some(one.cost),
            _ => None,
        }
    }

    /// The one currency of the groups, if there is one.
    pub fn currency(&self) -> Option<&str> {
        match self.totals.as_slice() {
            [one] => Some(&one.currency),
            _ => None,
        }
    }
}

/// How fine a time axis is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Grain {
    /// Calendar months.
    Month,
    /// Days.
    Day,
}

/// Costs over time, one series per top group and one for the rest, in one currency.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OverTime {
    /// The periods, in order (`2024-03` or `2024-03-15`).
    pub periods: Vec<String>,
    /// The series, largest first; the last may be "Other".
    pub series: Vec<Series>,
    /// The currency of every value (the filter's, or the kept rows' largest).
    pub currency: Option<String>,
    /// Currencies of kept rows that the series leave out, as they cannot be added.
    pub left_out: Vec<String>,
}

/// One series of [`OverTime`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// The group it is for ("Other" for the rest).
    pub key: String,
    /// Its cost in each period.
    pub values: Vec<f64>,
}

/// The month or day label of rows without a date.
pub const NO_DATE: &str = "(no date)";

/// The label of the series that gathers the groups beyond the top ones.
pub const OTHER: &str = "Other";

const TYPE: usize = match Dimension::LineItemType.slot() {
    Some(slot) => slot,
    None => panic!("the line item type is a text dimension"),
};

/// The slot of what `measure`'s sums are counted in (its currency or unit).
fn denomination(measure: Measure) -> usize {
    match measure.denomination().slot() {
        Some(slot) => slot,
        None => unreachable!("a denomination is a text dimension (a test checks it)"),
    }
}

/// Which cells a filter and usage rule keep, decided once per label, not per cell.
struct Keep {
    labels: [Option<Vec<bool>>; TEXT_DIMENSIONS],
    types: Vec<bool>,
    from: i32,
    to: i32,
}

impl Keep {
    fn new(cube: &Cube, filter: &Filter, usage: &UsageRule) -> Keep {
        let labels = std::array::from_fn(|slot| {
            let wanted = filter.labels_of(Dimension::LABELS[slot])?;
            Some(cube.labels(slot).iter().map(|label| wanted.contains(label)).collect())
        });
        let types = cube.labels(TYPE).iter().map(|label| usage.counts(label)).collect();
        Keep { labels, types, from: filter.from.unwrap_or(i32::MIN), to: filter.to.unwrap_or(i32::MAX) }
    }

    fn keeps(&self, cell: &CubeCell<'_>) -> bool {
        let day = cell.day;
        let dated =
            self.from == i32::MIN && self.to == i32::MAX || (day != NO_DAY && self.from <= day && day <= self.to);
        dated
            && self.types[cell.labels[TYPE] as usize]
            && self
                .labels
                .iter()
                .enumerate()
                .all(|(slot, keep)| keep.as_ref().is_none_or(|k| k[cell.labels[slot] as usize]))
    }
}

/// The group id of a cell under `dimension`: a label id, or a day or month start.
fn group_id(dimension: Dimension, cell: &CubeCell<'_>, months: &mut HashMap<i32, i32>) -> i64 {
    let day = cell.day;
    match cell.label(dimension) {
        Some(id) => i64::from(id),
        None if day == NO_DAY => i64::from(NO_DAY),
        None if dimension == Dimension::Day => i64::from(day),
        None => i64::from(*months.entry(day).or_insert_with(|| month_start(day))),
    }
}

fn group_label(cube: &Cube, dimension: Dimension, id: i64) -> String {
    match dimension.slot() {
        Some(slot) => cube.labels(slot)[id as usize].clone(),
        None if id == i64::from(NO_DAY) => NO_DATE.into(),
        None if dimension == Dimension::Day => format_day(id as i32),
        None => format_month(id as i32),
    }
}

/// The question one level down from a group: keep only the group `key` of
/// `query.group_by` and break it down by the next natural dimension (a service
/// into its usage types, a usage type into its operations, a month into its days).
pub fn drill(query: &Query, key: &str) -> Query {
    use crate::vocab::dates::{day_of, parse_day};
    let mut next = query.clone();
    match query.group_by {
        Dimension::Month => {
            if let Some(first) = parse_day(&format!("{key}-01")) {
                let (year, month, _) = crate::vocab::dates::civil(first);
                let (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
                next.filter.from = Some(first);
                next.filter.to = Some(day_of(year, month, 1) - 1);
            }
            next.group_by = Dimension::Day;
        }
        Dimension::Day => {
            next.filter.from = parse_day(key);
            next.filter.to = parse_day(key);
            next.group_by = Dimension::Service;
        }
        dimension => {
            next.filter = query.filter.with_labels(dimension, vec![key.to_owned()]);
            next.group_by = match dimension {
                Dimension::Service => Dimension::UsageType,
                Dimension::UsageType => Dimension::Operation,
                Dimension::Operation => Dimension::Day,
                _ => Dimension::Service,
            };
        }
    }
    next
}

/// The kept cells of `cube` summed per (group ids under `dimensions`, currency
/// id), and per currency, the largest total first.
struct Sums {
    groups: Vec<(Vec<i64>, u32, CompensatedSum, u64)>,
    totals: Vec<(u32, CurrencyTotal)>,
}

impl Sums {
    fn new(cube: &Cube, dimensions: &[Dimension], measure: Measure, filter: &Filter, usage: &UsageRule) -> Sums {
        let keep = Keep::new(cube, filter, usage);
        let mut months = HashMap::new();
        let unit = denomination(measure);
        // Fx: a question by resource has a group per cell.
        let mut sums: HashMap<(Vec<i64>, u32), (CompensatedSum, u64), Fx> = HashMap::default();
        for i in 0..cube.len() {
            let cell = cube.at(i);
            if !keep.keeps(&cell) {
                continue;
            }
            let ids = dimensions.iter().map(|&d| group_id(d, &cell, &mut months)).collect();
            let entry = sums.entry((ids, cell.labels[unit])).or_default();
            entry.0.merge(cube.sum(i, measure));
            entry.1 += cell.rows;
        }
        let mut per_currency: HashMap<u32, (CompensatedSum, u64)> = HashMap::new();
        let groups = sums
            .into_iter()
            .map(|((ids, currency), (sum, rows))| {
                let total = per_currency.entry(currency).or_default();
                total.0.merge(&sum);
                total.1 += rows;
                (ids, currency, sum, rows)
            })
            .collect();
        let mut totals: Vec<(u32, CurrencyTotal)> = per_currency
            .into_iter()
            .map(|(id, (sum, rows))| {
                (id, CurrencyTotal { currency: cube.labels(unit)[id as usize].clone(), cost: sum.value(), rows })
            })
            .collect();
        totals.sort_by(|(_, a), (_, b)| b.cost.total_cmp(&a.cost).then_with(|| a.currency.cmp(&b.currency)));
        Sums { groups, totals }
    }

    /// The place of a currency id among the totals.
    fn rank(&self, currency: u32) -> Option<usize> {
        self.totals.iter().position(|(id, _)| *id == currency)
    }

    fn rows(&self) -> u64 {
        self.totals.iter().map(|(_, t)| t.rows).sum()
    }
}

/// Answers `query` over `cube`, counting the line item types `usage` counts.
pub fn group(cube: &Cube, query: &Query, usage: &UsageRule) -> Grouped {
    let sums = Sums::new(cube, &[query.group_by], query.measure, &query.filter, usage);
    let unit = denomination(query.measure);
    let mut groups: Vec<(i64, u32, Group)> = sums
        .groups
        .iter()
        .map(|(ids, currency, sum, rows)| {
            let group = Group {
                key: group_label(cube, query.group_by, ids[0]),
                currency: cube.labels(unit)[*currency as usize].clone(),
                cost: sum.value(),
                rows: *rows,
            };
            (ids[0], *currency, group)
        })
        .collect();
    if query.group_by.slot().is_some() {
        groups.sort_by(|(_, c, a), (_, d, b)| {
            sums.rank(*c).cmp(&sums.rank(*d)).then_with(|| b.cost.total_cmp(&a.cost)).then_with(|| a.key.cmp(&b.key))
        });
    } else {
        groups.sort_by_key(|(id, currency, _)| (sums.rank(*currency), *id));
    }
    Grouped {
        rows: sums.rows(),
        groups: groups.into_iter().map(|(_, _, group)| group).collect(),
        totals: sums.totals.into_iter().map(|(_, total)| total).collect(),
    }
}

/// One group of [`group_many`]: its label under each dimension asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupOf {
    /// The labels, in the order of the dimensions ("" where the files leave one empty).
    pub keys: Vec<String>,
    /// The currency of `cost` (the unit, for the usage quantity).
    pub currency: String,
    /// The summed measure.
    pub cost: f64,
    /// Rows in the group.
    pub rows: u64,
}

/// The answer of [`group_many`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupedMany {
    /// The groups, by currency (the largest first), then by cost, highest first.
    pub groups: Vec<GroupOf>,
    /// The sum over every group, per currency, the largest first.
    pub totals: Vec<CurrencyTotal>,
    /// Rows kept.
    pub rows: u64,
}

/// Costs grouped by several dimensions at once (service and account, a tag
/// and the month): one group per combination the kept rows hold.
pub fn group_many(
    cube: &Cube,
    dimensions: &[Dimension],
    measure: Measure,
    filter: &Filter,
    usage: &UsageRule,
) -> GroupedMany {
    let sums = Sums::new(cube, dimensions, measure, filter, usage);
    let unit = denomination(measure);
    let mut groups: Vec<(u32, GroupOf)> = sums
        .groups
        .iter()
        .map(|(ids, currency, sum, rows)| {
            let keys = dimensions.iter().zip(ids).map(|(&d, &id)| group_label(cube, d, id)).collect();
            let currency_label = cube.labels(unit)[*currency as usize].clone();
            (*currency, GroupOf { keys, currency: currency_label, cost: sum.value(), rows: *rows })
        })
        .collect();
    groups.sort_by(|(c, a), (d, b)| {
        sums.rank(*c).cmp(&sums.rank(*d)).then_with(|| b.cost.total_cmp(&a.cost)).then_with(|| a.keys.cmp(&b.keys))
    });
    GroupedMany {
        rows: sums.rows(),
        groups: groups.into_iter().map(|(_, group)| group).collect(),
        totals: sums.totals.into_iter().map(|(_, total)| total).collect(),
    }
}

/// `query` over time: one series for each of the `top` largest groups of
/// `query.group_by` and one for the rest, per period of `grain`. Cells without a
/// date are left out. Grouping by time itself gives one series, "Total".
///
/// The series are of one currency: the filter's if it keeps one, otherwise the
/// one with the largest total; the others are named in `left_out`.
pub fn over_time(cube: &Cube, query: &Query, usage: &UsageRule, grain: Grain, top: usize) -> OverTime {
    let by_time = matches!(query.group_by, Dimension::Month | Dimension::Day);
    let grouped = group(cube, query, usage);
    let Some(currency) = grouped.totals.first().map(|t| t.currency.clone()) else {
        return OverTime::default();
    };
    let left_out: Vec<String> = grouped.totals.iter().skip(1).map(|t| t.currency.clone()).collect();
    let denomination = query.measure.denomination();
    let query = &Query { filter: query.filter.with_labels(denomination, vec![currency.clone()]), ..query.clone() };
    let leaders: Vec<String> = if by_time {
        Vec::new()
    } else {
        grouped.groups.into_iter().filter(|g| g.currency == currency).take(top).map(|g| g.key).collect()
    };
    let period_dimension = if grain == Grain::Month { Dimension::Month } else { Dimension::Day };
    let keep = Keep::new(cube, &query.filter, usage);
    let mut months = HashMap::new();
    // (period, series index) → sum; the series index is leaders.len() for "Other".
    let mut sums: HashMap<(i64, usize), CompensatedSum> = HashMap::new();
    let leader_ids: HashMap<i64, usize> = match query.group_by.slot() {
        Some(slot) if !by_time => leaders
            .iter()
            .enumerate()
            .filter_map(|(i, label)| Some((i64::from(cube.find_label(slot, label)?), i)))
            .collect(),
        _ => HashMap::new(),
    };
    for i in 0..cube.len() {
        let cell = cube.at(i);
        if cell.day == NO_DAY || !keep.keeps(&cell) {
            continue;
        }
        let period = group_id(period_dimension, &cell, &mut months);
        let series = if by_time {
            0
        } else {
            let id = group_id(query.group_by, &cell, &mut months);
            leader_ids.get(&id).copied().unwrap_or(leaders.len())
        };
        sums.entry((period, series)).or_default().merge(cube.sum(i, query.measure));
    }
    let mut periods: Vec<i64> = sums.keys().map(|(period, _)| *period).collect();
    periods.sort_unstable();
    periods.dedup();
    let names: Vec<String> = if by_time {
        vec!["Total".to_owned()]
    } else {
        leaders.into_iter().chain(std::iter::once(OTHER.to_owned())).collect()
    };
    let series: Vec<Series> = names
        .into_iter()
        .enumerate()
        .map(|(index, key)| Series {
            key,
            values: periods.iter().map(|p| sums.get(&(*p, index)).map_or(0.0, CompensatedSum::value)).collect(),
        })
        .filter(|series| series.key != OTHER || series.values.iter().any(|&v| v != 0.0))
        .collect();
    OverTime {
        periods: periods.iter().map(|&p| group_label(cube, period_dimension, p)).collect(),
        series,
        currency: Some(currency),
        left_out,
    }
}

/// What the files cover, for the costs page: the days with costs, the usage
/// cost of each month (per currency), and how many accounts have usage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// The first and last day with costs, if any row has a date.
    pub span: Option<(i32, i32)>,
    /// Per month (`2024-03`), in order: its usage cost in one currency.
    pub months: Vec<Group>,
    /// Distinct accounts with usage rows (a blank account is not counted).
    pub accounts: usize,
    /// The months (`2024-03`) the files cover only in part.
    pub partial: Vec<String>,
}

/// The [`Coverage`] of the cube's rows that count under `usage`.
pub fn coverage(cube: &Cube, usage: &UsageRule) -> Coverage {
    let by = |group_by: Dimension| group(cube, &Query { group_by, ..Query::default() }, usage);
    let mut accounts: Vec<String> =
        by(Dimension::Account).groups.into_iter().map(|g| g.key).filter(|k| !k.is_empty()).collect();
    accounts.sort_unstable();
    accounts.dedup();
    let mut months = by(Dimension::Month).groups;
    months.sort_by(|a, b| a.key.cmp(&b.key).then_with(|| a.currency.cmp(&b.currency)));
    let span = cube.day_span();
    Coverage { span, months, accounts: accounts.len(), partial: crate::vocab::dates::partial_months(span) }
}

/// What a person should know about `measure` on files with these optional
/// columns (one entry per file) under `usage`: where it falls back to another
/// figure, or cannot differ from the unblended cost. Empty when it is what it says.
pub fn measure_notes(measure: Measure, files: &[&OptionalColumns], usage: &UsageRule) -> Vec<String> {
    let lacking = |field: Field| files.iter().filter(|f| f.get(field).is_none()).count();
    let of = |n: usize| {
        if files.len() == 1 { "The file has".to_owned() } else { format!("{n} of {} files have", files.len()) }
    };
    let mut notes = Vec::new();
    match measure {
        Measure::Unblended => {}
        Measure::Pricing => {
            let n = lacking(Field::PricingEffectiveCost);
            if n > 0 {
                notes.push(format!(
                    "{} no pricing currency cost column (FOCUS 1.2 PricingCurrencyEffectiveCost): their amortized cost, in their billing currency, is shown instead.",
                    of(n)
                ));
            }
        }
        Measure::NetUnblended => {
            let n = lacking(Field::NetUnblended);
            if n > 0 {
                notes.push(format!("{} no net unblended cost column: their unblended cost is shown instead.", of(n)));
            }
        }
        Measure::List => {
            let n = lacking(Field::ListCost);
            if n > 0 {
                notes.push(format!(
                    "{} no list (public on-demand) cost column: their unblended cost is shown instead.",
                    of(n)
                ));
            }
        }
        Measure::Usage => {
            let n = lacking(Field::UsageAmount);
            if n > 0 {
                notes.push(format!("{} no usage amount column: their usage counts as 0.", of(n)));
            }
            let n = lacking(Field::Unit);
            if n > 0 {
                notes.push(format!("{} no unit column: their usage is under a blank unit.", of(n)));
            }
        }
        Measure::Amortized => {
            // FOCUS carries the amortized cost ready made; the others need the rules' inputs.
            let ruled: Vec<&&OptionalColumns> =
                files.iter().filter(|f| f.get(Field::EffectiveCost).is_none()).collect();
            let without = ruled.iter().filter(|f| INPUTS.iter().all(|&field| f.get(field).is_none())).count();
            if without > 0 {
                notes.push(format!(
                    "{} no reservation or Savings Plan columns: their covered usage and fees count as 0 in the amortized cost.",
                    of(without)
                ));
            }
            let counted = usage.is_everything() || RULES.iter().any(|(line_item_type, _)| usage.counts(line_item_type));
            if !ruled.is_empty() && !counted {
                notes.push(
                    "The usage rule counts none of the reservation or Savings Plan line items, so the amortized cost equals the unblended cost here: count every line item to see the difference."
                        .to_owned(),
                );
            }
        }
    }
    notes
}

/// The line item types in the cube, with their row counts, most rows first.
pub fn line_item_types(cube: &Cube) -> Vec<(String, u64)> {
    let mut rows = vec![0u64; cube.labels(TYPE).len()];
    for i in 0..cube.len() {
        let cell = cube.at(i);
        rows[cell.labels[TYPE] as usize] += cell.rows;
    }
    let mut types: Vec<(String, u64)> = cube.labels(TYPE).iter().cloned().zip(rows).filter(|(_, n)| *n > 0).collect();
    types.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    types
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_say_when_they_fall_back() {
        use crate::schema::columns::{CurFormat, detect_optional};
        let legacy = detect_optional(&["line_item_usage_account_id"], CurFormat::LegacyCur);
        let full = detect_optional(
            &["line_item_net_unblended_cost", "reservation_effective_cost", "savings_plan_savings_plan_effective_cost"],
            CurFormat::LegacyCur,
        );
        let focus = detect_optional(&["EffectiveCost", "BilledCost"], CurFormat::Focus);
        let usage = UsageRule::default();
        assert!(measure_notes(Measure::Unblended, &[&legacy], &usage).is_empty());
        assert_eq!(
            measure_notes(Measure::NetUnblended, &[&legacy, &full], &usage),
            ["1 of 2 files have no net unblended cost column: their unblended cost is shown instead."]
        );
        let amortized = measure_notes(Measure::Amortized, &[&legacy], &usage);
        assert_eq!(amortized.len(), 2, "{amortized:?}");
        assert!(amortized[0].starts_with("The file has no reservation or Savings Plan columns"));
        assert!(amortized[1].contains("equals the unblended cost"));
        assert!(measure_notes(Measure::Amortized, &[&full], &UsageRule::everything()).is_empty());
        assert!(measure_notes(Measure::Amortized, &[&focus], &usage).is_empty(), "FOCUS has its own");
        let list = measure_notes(Measure::List, &[&legacy], &usage);
        assert!(list[0].contains("no list (public on-demand) cost column"), "{list:?}");
        assert_eq!(measure_notes(Measure::Usage, &[&legacy], &usage).len(), 2, "no amount, no unit");
    }
    use crate::settings::usage::UsagePreset;
    use crate::vocab::dates::day_of;

    /// (service, account, region, type, day, unblended, amortized)
    fn cube(rows: &[(&str, &str, &str, &str, i32, f64, f64)]) -> Cube {
        let mut cube = Cube::default();
        for &(service, account, region, line_item_type, day, unblended, amortized) in rows {
            let key = [
                cube.label_id(0, service),
                cube.label_id(1, account),
                cube.label_id(2, region),
                cube.label_id(3, ""),
                cube.label_id(4, ""),
                cube.label_id(5, line_item_type),
                cube.label_id(6, "USD"),
                // Usage is ten units per dollar, in hours for EC2 and GB-months for the rest.
                cube.label_id(7, if service == "AmazonEC2" { "Hrs" } else { "GB-Mo" }),
                cube.label_id(8, "AWS"),
                cube.label_id(9, ""),
            ];
            let cell = cube.cell_index((key, day));
            cube.add(cell, [unblended, unblended, amortized, unblended * 1.5, unblended * 10.0, amortized], false);
        }
        cube
    }

    fn sample() -> Cube {
        let (jan, feb) = (day_of(2024, 1, 10), day_of(2024, 2, 3));
        cube(&[
            ("AmazonEC2", "111", "us-east-1", "Usage", jan, 10.0, 10.0),
            ("AmazonEC2", "222", "eu-west-1", "Usage", feb, 5.0, 5.0),
            ("AmazonEC2", "111", "us-east-1", "DiscountedUsage", feb, 0.0, 3.0),
            ("AmazonS3", "111", "eu-west-1", "Usage", jan, 2.0, 2.0),
            ("AmazonS3", "222", "us-east-1", "Tax", feb, 0.5, 0.5),
            ("AWSGlue", "222", "us-east-1", "Usage", NO_DAY, 1.0, 1.0),
        ])
    }

    fn keys(grouped: &Grouped) -> Vec<(&str, f64)> {
        grouped.groups.iter().map(|g| (g.key.as_str(), g.cost)).collect()
    }

    #[test]
    fn groups_by_each_dimension_with_the_same_total() {
        let cube = sample();
        let usage = UsageRule::default();
        for dimension in Dimension::ALL {
            let grouped = group(&cube, &Query { group_by: dimension, ..Query::default() }, &usage);
            assert_eq!(grouped.total(), Some(18.0), "{dimension:?}");
            assert_eq!(grouped.groups.iter().map(|g| g.cost).sum::<f64>(), 18.0);
        }
        let by_service = group(&cube, &Query::default(), &usage);
        assert_eq!(keys(&by_service), [("AmazonEC2", 15.0), ("AmazonS3", 2.0), ("AWSGlue", 1.0)]);
        let by_month = group(&cube, &Query { group_by: Dimension::Month, ..Query::default() }, &usage);
        assert_eq!(keys(&by_month), [("(no date)", 1.0), ("2024-01", 12.0), ("2024-02", 5.0)]);
    }

    #[test]
    fn groups_by_several_dimensions_each_combination_once() {
        let cube = sample();
        let usage = UsageRule::default();
        let by = [Dimension::Service, Dimension::Month];
        let grouped = group_many(&cube, &by, Measure::Unblended, &Filter::default(), &usage);
        let found: Vec<(Vec<&str>, f64)> =
            grouped.groups.iter().map(|g| (g.keys.iter().map(String::as_str).collect(), g.cost)).collect();
        assert_eq!(
            found,
            [
                (vec!["AmazonEC2", "2024-01"], 10.0),
                (vec!["AmazonEC2", "2024-02"], 5.0),
                (vec!["AmazonS3", "2024-01"], 2.0),
                (vec!["AWSGlue", "(no date)"], 1.0),
            ]
        );
        assert_eq!((grouped.rows, grouped.totals[0].cost), (4, 18.0));
        // One dimension gives what `group` gives, in the same order for text dimensions.
        let one = group_many(&cube, &[Dimension::Account], Measure::Amortized, &Filter::default(), &usage);
        let query = Query { group_by: Dimension::Account, measure: Measure::Amortized, ..Query::default() };
        let single = group(&cube, &query, &usage);
        assert_eq!(one.groups.iter().map(|g| (g.keys[0].as_str(), g.cost)).collect::<Vec<_>>(), keys(&single),);
    }

    #[test]
    fn filters_by_labels_dates_and_usage() {
        let cube = sample();
        let filter = Filter::default().with_labels(Dimension::Account, vec!["111".into()]);
        let query = Query { group_by: Dimension::Region, filter, ..Query::default() };
        assert_eq!(keys(&group(&cube, &query, &UsageRule::default())), [("us-east-1", 10.0), ("eu-west-1", 2.0)]);

        let february = Filter { from: Some(day_of(2024, 2, 1)), to: Some(day_of(2024, 2, 29)), labels: vec![] };
        let query = Query { filter: february, measure: Measure::Amortized, ..Query::default() };
        let grouped = group(&cube, &query, &UsagePreset::RunningUsage.rule());
        assert_eq!(keys(&grouped), [("AmazonEC2", 8.0)], "dated rows only, amortized, RI usage counted");
        let everything = group(&cube, &Query::default(), &UsagePreset::Everything.rule());
        assert_eq!(everything.total(), Some(18.5));
    }

    #[test]
    fn usage_quantities_are_added_per_unit_never_across() {
        let cube = sample();
        let query = Query { measure: Measure::Usage, ..Query::default() };
        let grouped = group(&cube, &query, &UsageRule::default());
        let units: Vec<(&str, f64)> = grouped.totals.iter().map(|t| (t.currency.as_str(), t.cost)).collect();
        assert_eq!(units, [("Hrs", 150.0), ("GB-Mo", 30.0)]);
        assert_eq!(grouped.total(), None, "hours and GB-months are not added");
        let s3 = grouped.groups.iter().find(|g| g.key == "AmazonS3").unwrap();
        assert_eq!((s3.currency.as_str(), s3.cost), ("GB-Mo", 20.0));
        let series = over_time(&cube, &query, &UsageRule::default(), Grain::Month, 5);
        assert_eq!((series.currency.as_deref(), series.left_out.as_slice()), (Some("Hrs"), &["GB-Mo".to_owned()][..]));
        let list = group(&cube, &Query { measure: Measure::List, ..Query::default() }, &UsageRule::default());
        assert_eq!(list.total(), Some(27.0));
    }

    #[test]
    fn over_time_keeps_the_top_groups_and_gathers_the_rest() {
        let cube = sample();
        let query = Query::default();
        let series = over_time(&cube, &query, &UsageRule::default(), Grain::Month, 1);
        assert_eq!(series.periods, ["2024-01", "2024-02"]);
        assert_eq!(series.series[0], Series { key: "AmazonEC2".into(), values: vec![10.0, 5.0] });
        assert_eq!(series.series[1], Series { key: OTHER.into(), values: vec![2.0, 0.0] });
        let total =
            over_time(&cube, &Query { group_by: Dimension::Day, ..query }, &UsageRule::default(), Grain::Day, 5);
        assert_eq!(total.series.len(), 1);
        assert_eq!(total.series[0].values.iter().sum::<f64>(), 17.0, "the undated cost is not on a time axis");
    }

    #[test]
    fn drilling_narrows_and_moves_down() {
        let query = Query::default();
        let into_ec2 = drill(&query, "AmazonEC2");
        assert_eq!(into_ec2.group_by, Dimension::UsageType);
        assert_eq!(into_ec2.filter.labels_of(Dimension::Service), Some(&["AmazonEC2".to_owned()][..]));
        let into_box = drill(&into_ec2, "BoxUsage");
        assert_eq!(into_box.group_by, Dimension::Operation);
        assert_eq!(into_box.filter.labels.len(), 2);
        let february = drill(&Query { group_by: Dimension::Month, ..Query::default() }, "2024-02");
        assert_eq!((february.filter.from, february.filter.to), (Some(day_of(2024, 2, 1)), Some(day_of(2024, 2, 29))));
        assert_eq!(february.group_by, Dimension::Day);
        let december = drill(&Query { group_by: Dimension::Month, ..Query::default() }, "2023-12");
        assert_eq!(december.filter.to, Some(day_of(2023, 12, 31)));
        let day = drill(&february, "2024-02-10");
        assert_eq!((day.filter.from, day.group_by), (Some(day_of(2024, 2, 10)), Dimension::Service));
    }

    #[test]
    fn spans_and_types() {
        let cube = sample();
        assert_eq!(cube.day_span(), Some((day_of(2024, 1, 10), day_of(2024, 2, 3))));
        assert_eq!(Cube::default().day_span(), None);
        assert_eq!(line_item_types(&cube)[0], ("Usage".to_owned(), 4));
    }
}

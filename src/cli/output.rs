//! Writing the report: JSON for programs, an aligned table for people.

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::SerializeMap;

use super::args::{By, GroupOptions};
use super::run::{CheckedFile, Grouping};
use crate::engine::commitments::{CommitmentReport, Coverage, CoverageBy, EXPIRY_STEPS};
use crate::engine::invoices::InvoiceRow;
use crate::engine::query::NO_DATE;
use crate::engine::{CommitmentKind, CostReport, Dimension, format};

/// Exactly one JSON object, numbers at full `f64` precision.
pub fn json(report: &CostReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, report).map_err(io::Error::other)?;
    writeln!(out)
}

/// An aligned table, amounts to the cent and rates to four places.
pub fn table(report: &CostReport, out: &mut dyn Write) -> io::Result<()> {
    let header = ["Service", "Undiscounted", "Multiplier", "Discounted", "Rate"];
    let mut rows: Vec<[String; 5]> = report
        .services
        .iter()
        .map(|s| {
            [
                format::label(&s.service).into_owned(),
                format::money(s.undiscounted, &s.currency),
                format::rate(s.multiplier),
                format::money(s.discounted, &s.currency),
                format::rate(s.rate),
            ]
        })
        .collect();
    let total_rows = rows.len();
    for total in &report.totals {
        let label = if report.totals.len() == 1 { "Total".to_owned() } else { format!("Total {}", total.currency) };
        rows.push([
            label,
            format::money(total.undiscounted, &total.currency),
            String::new(),
            format::money(total.discounted, &total.currency),
            total.blended_rate.map_or_else(|| "—".into(), format::rate),
        ]);
    }
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String; 5]| -> String {
        let mut text = format!("{:<w$}", cells[0], w = widths[0]);
        for (cell, width) in cells.iter().zip(widths).skip(1) {
            text.push_str(&format!("  {cell:>width$}"));
        }
        text.trim_end().to_owned()
    };
    writeln!(out, "{}", line(&header.map(String::from)))?;
    for (index, row) in rows.iter().enumerate() {
        if index == total_rows {
            writeln!(out, "{}", "-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1)))?;
        }
        writeln!(out, "{}", line(row))?;
    }
    let rate = match &report.total {
        Some(total) => {
            format!(
                "blended discount rate {}",
                total.blended_rate.map_or_else(|| "— (nothing spent)".into(), format::rate)
            )
        }
        None => {
            let currencies: Vec<&str> = report.totals.iter().map(|t| t.currency.as_str()).collect();
            format!("the files mix currencies ({}), which are never added", currencies.join(", "))
        }
    };
    writeln!(
        out,
        "\n{} {}, {} rows, {} usage rows, {} usage rows with a null cost; {rate}",
        report.files,
        if report.files == 1 { "file" } else { "files" },
        format::count(report.rows),
        format::count(report.usage_rows),
        format::count(report.null_costs),
    )?;
    for sentence in report.fell_back.iter().map(|f| f.sentence(format::money)) {
        writeln!(out, "{sentence}")?;
    }
    for covered in &report.covered {
        let sentence = covered.sentence(format::money);
        match covered.priced {
            true => writeln!(out, "{sentence}")?,
            false => writeln!(
                out,
                "{} (--covered-at-list reads their on-demand price and counts it).",
                sentence.trim_end_matches('.')
            )?,
        }
    }
    Ok(())
}

/// The total per invoice as a table: period, issuer, invoice, cost, rows.
pub fn invoices_table(rows: &[InvoiceRow], out: &mut dyn Write) -> io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "No rows in these files.");
    }
    let blank = |text: &str, instead: &str| if text.is_empty() { instead.to_owned() } else { text.to_owned() };
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            [
                blank(&r.period, "—"),
                blank(&r.issuer, "—"),
                blank(&r.invoice, "(not invoiced yet)"),
                format::money(r.cost, &r.currency),
                format::count(r.rows),
            ]
        })
        .collect();
    let header = ["Period", "Issuer", "Invoice", "Cost", "Rows"].map(String::from);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&cells) {
        let line = format!(
            "{:<a$}  {:<b$}  {:<c$}  {:>d$}  {:>e$}",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            a = widths[0],
            b = widths[1],
            c = widths[2],
            d = widths[3],
            e = widths[4]
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// `ducks check`'s report: per file its layout and rows, then each finding
/// with its count, its first rows and what to do.
pub fn check_report(checked: &[CheckedFile], out: &mut dyn Write) -> io::Result<()> {
    for file in checked {
        let check = &file.check;
        writeln!(out, "{}: {}, {} rows: {}", file.path, check.layout, format::count(check.rows), check.summary())?;
        for finding in &check.findings {
            writeln!(out, "  [{}] {}{}", finding.rule, finding.rows_said(), finding.message)?;
            writeln!(out, "      from {}", finding.source)?;
        }
    }
    Ok(())
}

/// The commitments as a table: one row each, the totals, and what ends soon.
pub fn commitments_table(report: &CommitmentReport, out: &mut dyn Write) -> io::Result<()> {
    if report.commitments.is_empty() {
        return writeln!(out, "No Savings Plan or reservation line items in these files.");
    }
    let header = ["Commitment", "Committed", "Used", "Unused", "On demand", "Saved", "Ends"];
    let mut rows: Vec<[String; 7]> = report
        .commitments
        .iter()
        .map(|c| {
            let kind = match c.kind {
                CommitmentKind::Reservation => "RI",
                CommitmentKind::SavingsPlan => "SP",
            };
            [
                format!("{kind} {}", format::shorten_middle(&c.arn, 40)),
                format::money(c.commitment, &c.currency),
                percent(c.utilization),
                format::money(c.unused, &c.currency),
                format::money(c.on_demand, &c.currency),
                c.savings.map_or_else(|| "—".into(), |s| format::money(s, &c.currency)),
                c.ends.clone().unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    for t in &report.totals {
        rows.push([
            format!("Total {}", t.currency),
            format::money(t.commitment, &t.currency),
            percent(t.utilization),
            format::money(t.unused, &t.currency),
            format::money(t.on_demand, &t.currency),
            format::money(t.savings, &t.currency),
            String::new(),
        ]);
    }
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String; 7]| {
        let mut text = format!("{:<w$}", cells[0], w = widths[0]);
        for (i, cell) in cells.iter().enumerate().skip(1) {
            if i == 6 {
                text.push_str(&format!("  {cell:<w$}", w = widths[i]));
            } else {
                text.push_str(&format!("  {cell:>w$}", w = widths[i]));
            }
        }
        text.trim_end().to_owned()
    };
    writeln!(out, "{}", line(&header.map(String::from)))?;
    for row in &rows {
        writeln!(out, "{}", line(row))?;
    }
    let last = report.span.as_ref().map_or("", |(_, last)| last.as_str());
    for days in EXPIRY_STEPS {
        let ending: Vec<String> = report
            .ending_within(days)
            .map(|c| format!("{} ({})", format::shorten_middle(&c.arn, 40), c.ends.as_deref().unwrap_or("?")))
            .collect();
        writeln!(
            out,
            "Ending within {days} days of {last}: {}",
            if ending.is_empty() { "none".into() } else { ending.join(", ") }
        )?;
    }
    if let Some(sentence) = report.without_fee() {
        writeln!(out, "Note: {sentence}.")?;
    }
    Ok(())
}

/// Coverage as a table: per group, covered and on-demand spend and the share covered.
pub fn coverage_table(coverage: &Coverage, by: CoverageBy, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "\nCoverage of eligible usage (at on-demand prices), by {}:", by.label().to_lowercase())?;
    let rows: Vec<[String; 4]> = coverage
        .groups
        .iter()
        .map(|g| (format::label(&g.key).into_owned(), g))
        .chain(coverage.totals.iter().map(|t| (format!("Total {}", t.currency), t)))
        .map(|(name, g)| {
            [name, format::money(g.covered, &g.currency), format::money(g.uncovered, &g.currency), percent(g.coverage)]
        })
        .collect();
    let header = [by.label(), "Covered", "On demand", "Coverage"].map(String::from);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let [a, b, c, d] = widths;
        writeln!(out, "{:<a$}  {:>b$}  {:>c$}  {:>d$}", row[0], row[1], row[2], row[3])?;
    }
    Ok(())
}

/// A share in the tables: `82.6%`, or a dash where there is none.
fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_owned(), |s| format!("{:.1}%", s * 100.0))
}

/// A group's labels, by dimension name, in the order asked for.
struct Keys<'a>(Vec<(String, Option<&'a str>)>);

impl Serialize for Keys<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// What a money measure's sums are in, or a quantity's: `currency` or `unit`,
/// whichever the measure has; `Some(None)` is written as null.
#[derive(Serialize)]
struct Denomination<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<Option<&'a str>>,
}

impl<'a> Denomination<'a> {
    fn new(money: bool, value: Option<&'a str>) -> Self {
        if money {
            Denomination { currency: Some(value), unit: None }
        } else {
            Denomination { currency: None, unit: Some(value) }
        }
    }

    fn none() -> Self {
        Denomination { currency: None, unit: None }
    }
}

#[derive(Serialize)]
struct GroupRow<'a> {
    keys: Keys<'a>,
    #[serde(flatten)]
    denomination: Denomination<'a>,
    cost: f64,
    rows: u64,
}

#[derive(Serialize)]
struct TotalRow<'a> {
    #[serde(flatten)]
    denomination: Denomination<'a>,
    cost: f64,
    rows: u64,
}

#[derive(Serialize)]
struct GroupReport<'a> {
    files: usize,
    rows: u64,
    by: Vec<String>,
    measure: &'static str,
    #[serde(flatten)]
    denomination: Denomination<'a>,
    groups: Vec<GroupRow<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    left_out: Option<usize>,
    total: Option<f64>,
    totals: Vec<TotalRow<'a>>,
}

/// A label as `ducks group --json` gives it: `null` for a row without the tag,
/// cost category or resource, or without a date.
fn json_label<'a>(by: &By, label: &'a str) -> Option<&'a str> {
    let empty = match by {
        By::Detail(_) => label.is_empty(),
        By::Cube(Dimension::Month | Dimension::Day) => label == NO_DATE,
        By::Cube(_) => false,
    };
    (!empty).then_some(label)
}

/// Exactly one JSON object: groups by cost, highest first; `currency` (or, for
/// the usage quantity, `unit`) is the groups' one currency or null when they
/// mix several, each group then carrying its own, and `total` is null.
pub fn group_json(grouping: &Grouping, options: &GroupOptions, out: &mut dyn Write) -> io::Result<()> {
    let grouped = &grouping.grouped;
    let money = options.measure.is_money();
    let one = match grouped.totals.as_slice() {
        [] => None,
        [one] => Some(one.currency.as_str()),
        _ => None,
    };
    let mixed = grouped.totals.len() > 1;
    let shown = options.top.unwrap_or(usize::MAX).min(grouped.groups.len());
    let report = GroupReport {
        files: grouping.files,
        rows: grouping.rows,
        by: options.by.iter().map(By::key).collect(),
        measure: options.measure.key(),
        denomination: Denomination::new(money, one),
        groups: grouped.groups[..shown]
            .iter()
            .map(|group| GroupRow {
                keys: Keys(
                    options.by.iter().zip(&group.keys).map(|(by, label)| (by.key(), json_label(by, label))).collect(),
                ),
                denomination: if mixed {
                    Denomination::new(money, Some(&group.currency))
                } else {
                    Denomination::none()
                },
                cost: group.cost,
                rows: group.rows,
            })
            .collect(),
        left_out: options.top.map(|_| grouping.count as usize - shown),
        total: if mixed { None } else { Some(grouped.totals.first().map_or(0.0, |t| t.cost)) },
        totals: grouped
            .totals
            .iter()
            .map(|t| TotalRow { denomination: Denomination::new(money, Some(&t.currency)), cost: t.cost, rows: t.rows })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &report).map_err(io::Error::other)?;
    writeln!(out)
}

/// An aligned table of the groups, the largest first, and their total.
pub fn group_table(grouping: &Grouping, options: &GroupOptions, out: &mut dyn Write) -> io::Result<()> {
    let grouped = &grouping.grouped;
    let money = options.measure.is_money();
    let figure = |value: f64, denomination: &str| {
        if money { format::money(value, denomination) } else { format::quantity(value, denomination) }
    };
    let shown = options.top.unwrap_or(usize::MAX).min(grouped.groups.len());
    let mut header: Vec<String> = options.by.iter().map(By::key).collect();
    header.push(if money { "Cost".into() } else { "Quantity".into() });
    header.push("Rows".into());
    let mut rows: Vec<Vec<String>> = grouped.groups[..shown]
        .iter()
        .map(|group| {
            let mut row: Vec<String> = options
                .by
                .iter()
                .zip(&group.keys)
                .map(|(by, label)| match by {
                    By::Detail(detail) if label.is_empty() => detail.empty_label().into(),
                    _ => format::label(label).into_owned(),
                })
                .collect();
            row.push(figure(group.cost, &group.currency));
            row.push(format::count(group.rows));
            row
        })
        .collect();
    let body = rows.len();
    for total in &grouped.totals {
        let mut row = vec![String::new(); options.by.len()];
        row[0] = if grouped.totals.len() == 1 {
            "Total".into()
        } else {
            format!("Total {}", format::label(&total.currency))
        };
        row.push(figure(total.cost, &total.currency));
        row.push(format::count(total.rows));
        rows.push(row);
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let labels = options.by.len();
    let line = |cells: &[String]| -> String {
        let mut text = String::new();
        for (index, (cell, &width)) in cells.iter().zip(&widths).enumerate() {
            if index > 0 {
                text.push_str("  ");
            }
            if index < labels {
                text.push_str(&format!("{cell:<width$}"))
            } else {
                text.push_str(&format!("{cell:>width$}"))
            }
        }
        text.trim_end().to_owned()
    };
    writeln!(out, "{}", line(&header))?;
    for (index, row) in rows.iter().enumerate() {
        if index == body {
            writeln!(out, "{}", "-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1)))?;
        }
        writeln!(out, "{}", line(row))?;
    }
    let more = grouping.count as usize - shown;
    let more = if more > 0 { format!("; {} more groups not shown", format::count(more as u64)) } else { String::new() };
    writeln!(
        out,
        "\n{} {}, {} rows read, {} rows grouped, {} {}{more}",
        grouping.files,
        if grouping.files == 1 { "file" } else { "files" },
        format::count(grouping.rows),
        format::count(grouped.rows),
        format::count(grouping.count),
        if grouping.count == 1 { "group" } else { "groups" },
    )
}

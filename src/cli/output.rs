//! Writing the report: JSON for programs, an aligned table for people.

use std::io::{self, Write};

use crate::engine::{CostReport, format};

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
    )
}

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
            let name = if s.service.is_empty() { "(no service)".to_owned() } else { s.service.clone() };
            [
                name,
                format::money(s.undiscounted),
                format::rate(s.multiplier),
                format::money(s.discounted),
                format::rate(s.rate),
            ]
        })
        .collect();
    rows.push([
        "Total".into(),
        format::money(report.total.undiscounted),
        String::new(),
        format::money(report.total.discounted),
        report.total.blended_rate.map_or_else(|| "—".into(), format::rate),
    ]);
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
    let total_row = rows.len() - 1;
    for (index, row) in rows.iter().enumerate() {
        if index == total_row {
            writeln!(out, "{}", "-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1)))?;
        }
        writeln!(out, "{}", line(row))?;
    }
    writeln!(
        out,
        "\n{} {}, {} rows, {} usage rows, {} usage rows with a null cost; blended discount rate {}",
        report.files,
        if report.files == 1 { "file" } else { "files" },
        format::count(report.rows),
        format::count(report.usage_rows),
        format::count(report.null_costs),
        report.total.blended_rate.map_or_else(|| "— (nothing spent)".into(), format::rate),
    )
}

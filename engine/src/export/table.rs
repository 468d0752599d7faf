//! Tables as CSV for spreadsheets. Text from the files is written so that a
//! spreadsheet shows it rather than evaluating it.

/// One CSV cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, quoted as needed.
    Text(String),
    /// A number at full precision.
    Number(f64),
}

/// A CSV document (RFC 4180, CRLF line ends) of a header and rows.
pub fn csv(header: &[&str], rows: impl IntoIterator<Item = Vec<Cell>>) -> String {
    csv_noted(&[], header, rows)
}

/// A CSV document led by `notes`, one `# ` line each (what the table is of:
/// the view and its filters), which `pandas.read_csv(comment='#')` and
/// DuckDB's `read_csv(comment = '#')` skip. Written by the `csv` crate
/// (quoting as RFC 4180 needs), cells defused and numbers shortened here.
pub fn csv_noted(notes: &[String], header: &[&str], rows: impl IntoIterator<Item = Vec<Cell>>) -> String {
    let mut out = String::new();
    for note in notes {
        out.push_str("# ");
        out.push_str(&note.replace(['\r', '\n'], " "));
        out.push_str("\r\n");
    }
    out.push_str(&records(Some(header), rows));
    out
}

/// More rows of a CSV document begun by [`csv_noted`], with no header: the
/// chunks of one written in parts.
pub fn csv_rows(rows: impl IntoIterator<Item = Vec<Cell>>) -> String {
    records(None, rows)
}

/// The header, if any, and the rows as CSV records.
fn records(header: Option<&[&str]>, rows: impl IntoIterator<Item = Vec<Cell>>) -> String {
    let mut writer = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new());
    // Writing to memory cannot fail; a record the crate refused would only be left out.
    if let Some(header) = header {
        let _ = writer.write_record(header.iter().map(|h| defused(h)));
    }
    for row in rows {
        let cells = row.into_iter().map(|cell| match cell {
            Cell::Text(value) => defused(&value),
            Cell::Number(value) if value.is_finite() => number(value),
            Cell::Number(_) => String::new(),
        });
        let _ = writer.write_record(cells);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A number to ten decimals at most, trailing zeros dropped: costs come to
/// at most ten decimals, so this is every digit they carry and none of a sum's
/// binary noise (`301.91643528000003` is `301.91643528`).
fn number(value: f64) -> String {
    if value.abs() >= 1e15 {
        return value.to_string();
    }
    let fixed = format!("{value:.10}");
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" { "0".to_owned() } else { trimmed.to_owned() }
}

fn defused(value: &str) -> String {
    // A cell starting like a formula would run as one in a spreadsheet
    // (`=HYPERLINK(...)` in a service name): a leading apostrophe keeps it text.
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_defuses() {
        let document = csv(
            &["service", "cost"],
            [
                vec![Cell::Text("AmazonS3".into()), Cell::Number(0.1 + 0.2)],
                vec![Cell::Text("a,\"b\"".into()), Cell::Number(-5.0)],
                vec![Cell::Text("=HYPERLINK(\"x\")".into()), Cell::Number(f64::NAN)],
            ],
        );
        assert_eq!(document, "service,cost\r\nAmazonS3,0.3\r\n\"a,\"\"b\"\"\",-5\r\n\"'=HYPERLINK(\"\"x\"\")\",\r\n");
    }

    #[test]
    fn numbers_carry_their_digits_and_no_noise_and_notes_lead() {
        let cell =
            |value: f64| csv(&["x"], [vec![Cell::Number(value)]]).trim_end().rsplit("\r\n").next().unwrap().to_owned();
        assert_eq!(cell(301.91643528000003), "301.91643528");
        assert_eq!(cell(0.0000000001), "0.0000000001");
        assert_eq!(cell(-1e-12), "0");
        assert_eq!(cell(1234.5), "1234.5");
        assert_eq!(cell(2e20), "200000000000000000000");
        let noted = csv_noted(&["view: by=region\nx".into()], &["x"], [vec![Cell::Number(1.0)]]);
        assert_eq!(noted, "# view: by=region x\r\nx\r\n1\r\n");
    }
}

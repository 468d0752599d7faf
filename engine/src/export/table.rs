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
    let mut out = String::new();
    let line = |cells: Vec<String>, out: &mut String| {
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    line(header.iter().map(|h| text(h)).collect(), &mut out);
    for row in rows {
        line(
            row.into_iter()
                .map(|cell| match cell {
                    Cell::Text(value) => text(&value),
                    Cell::Number(value) if value.is_finite() => value.to_string(),
                    Cell::Number(_) => String::new(),
                })
                .collect(),
            &mut out,
        );
    }
    out
}

fn text(value: &str) -> String {
    // A cell starting like a formula would run as one in a spreadsheet
    // (`=HYPERLINK(...)` in a service name): a leading apostrophe keeps it text.
    let value =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
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
        assert_eq!(
            document,
            "service,cost\r\nAmazonS3,0.30000000000000004\r\n\"a,\"\"b\"\"\",-5\r\n\"'=HYPERLINK(\"\"x\"\")\",\r\n"
        );
    }
}

//! What a file gets wrong, as a person reads it: its layout (which FOCUS
//! version its columns match, or which CUR), the rules its columns break
//! (mandatory FOCUS columns missing, versions mixed), and the rules its rows
//! break (`fold::check`), each with a count, the first rows and a sentence
//! saying what to do. The page's Diagnostics and `ducks check` print it.

use serde::Serialize;

use crate::fold::check::Findings;
use crate::read::outline::Outline;
use crate::schema::catalogue::CurFormat;
use crate::schema::rules::{FOCUS_MANDATORY, FOCUS_VERSIONS, Rule};

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule's key (`null-not-allowed`).
    pub rule: &'static str,
    /// The column.
    pub column: String,
    /// Rows that break it (0 for a rule on the columns themselves).
    pub count: u64,
    /// The first of them (1 for the first data row).
    pub rows: Vec<u64>,
    /// One offending value.
    pub example: Option<String>,
    /// What is wrong and what to do, in a sentence.
    pub message: String,
    /// Where the rule comes from.
    pub source: &'static str,
}

impl Finding {
    /// How many rows and which first, as a lead to its message: "7 rows (row
    /// 926, 927, …): "; nothing for a rule on the columns themselves.
    pub fn rows_said(&self) -> String {
        if self.count == 0 {
            return String::new();
        }
        let first: Vec<String> = self.rows.iter().map(u64::to_string).collect();
        let more = if self.count > self.rows.len() as u64 { ", …" } else { "" };
        let noun = if self.count == 1 { "row" } else { "rows" };
        format!("{} {noun} (row {}{more}): ", crate::vocab::format::count(self.count), first.join(", "))
    }
}

impl FileCheck {
    /// "nothing found", "1 finding", "3 findings".
    pub fn summary(&self) -> String {
        match self.findings.len() {
            0 => "nothing found".to_owned(),
            1 => "1 finding".to_owned(),
            n => format!("{n} findings"),
        }
    }
}

/// What one file gets wrong.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileCheck {
    /// Its layout: "FOCUS 1.2", "CUR 2.0", "legacy CUR".
    pub layout: String,
    /// Rows read.
    pub rows: u64,
    /// The findings, in the rules' order.
    pub findings: Vec<Finding>,
}

/// The FOCUS version a file's columns match: the latest whose new columns it
/// has, with the earlier versions whose columns it lacks though a later one's
/// are there (mixed).
fn focus_version(names: &[String]) -> (&'static str, Vec<(&'static str, &'static str)>) {
    let has = |column: &str| names.iter().any(|n| n == column);
    let present: Vec<(&str, Option<&str>)> =
        FOCUS_VERSIONS.iter().map(|(version, columns)| (*version, columns.iter().copied().find(|c| has(c)))).collect();
    let version = present.iter().find(|(_, found)| found.is_some()).map_or("1.0", |(version, _)| *version);
    // A later version's column without any of an earlier one's.
    let mut mixed = Vec::new();
    for (at, (_, found)) in present.iter().enumerate() {
        if let Some(column) = found
            && let Some((earlier, _)) = present[at + 1..].iter().find(|(_, f)| f.is_none())
        {
            mixed.push((*column, *earlier));
        }
    }
    (version, mixed)
}

/// The report of one file: its outline (for its columns) and what its rows broke.
pub fn check_file(outline: &Outline, found: &Findings) -> FileCheck {
    let format = outline.columns.format;
    let mut findings: Vec<Finding> = Vec::new();
    let finding = |rule: Rule, column: &str, count: u64, rows: Vec<u64>, example: Option<String>| {
        let facts = rule.facts();
        let mut message = format!("{column} {}", facts.what);
        if let Some(example) = &example {
            message.push_str(&format!(" (\"{example}\")"));
        }
        message.push_str(&format!(": {}.", facts.advice));
        Finding { rule: facts.key, column: column.to_owned(), count, rows, example, message, source: facts.source }
    };
    let layout = match format {
        CurFormat::Focus => {
            let names: Vec<String> = outline.names.iter().map(|n| n.trim().to_owned()).collect();
            let (version, mixed) = focus_version(&names);
            for (column, instead) in FOCUS_MANDATORY {
                let found = |c: &str| names.iter().any(|n| n == c);
                if !found(column) && !instead.is_some_and(found) {
                    findings.push(finding(Rule::MandatoryColumnMissing, column, 0, Vec::new(), None));
                }
            }
            for (column, earlier) in mixed {
                let mut f = finding(Rule::VersionsMixed, column, 0, Vec::new(), None);
                f.message = format!(
                    "{column} {} (FOCUS {earlier}'s are missing): {}.",
                    Rule::VersionsMixed.facts().what,
                    Rule::VersionsMixed.facts().advice
                );
                findings.push(f);
            }
            format!("FOCUS {version}")
        }
        CurFormat::Cur2 => "CUR 2.0".to_owned(),
        CurFormat::LegacyCur | CurFormat::LegacyCurCsvNames => "legacy CUR".to_owned(),
    };
    for breach in &found.breaches {
        findings.push(finding(breach.rule, &breach.column, breach.count, breach.rows.clone(), breach.example.clone()));
    }
    // In the table's order, then by column.
    let order = |key: &str| Rule::ALL.iter().position(|r| r.facts().key == key).unwrap_or(usize::MAX);
    findings.sort_by(|a, b| order(a.rule).cmp(&order(b.rule)).then_with(|| a.column.cmp(&b.column)));
    FileCheck { layout, rows: found.rows, findings }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_files_focus_version_is_the_latest_whose_columns_it_has() {
        assert_eq!(focus_version(&names(&["BilledCost"])), ("1.0", vec![]));
        assert_eq!(focus_version(&names(&["ServiceSubcategory"])), ("1.1", vec![]));
        assert_eq!(focus_version(&names(&["InvoiceId", "SkuMeter"])), ("1.2", vec![]));
        assert_eq!(focus_version(&names(&["ServiceProviderName", "InvoiceId", "SkuMeter"])), ("1.3", vec![]));
        assert_eq!(
            focus_version(&names(&["ContractApplied", "SkuMeter"])),
            ("1.3", vec![("ContractApplied", "1.2")]),
            "1.3's columns on 1.1's, without 1.2's"
        );
    }
}

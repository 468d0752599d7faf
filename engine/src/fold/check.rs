//! The check's kernel: per rule of `schema::rules` and column, how many rows
//! break it, the first few row numbers and one offending value. Each text
//! column is judged once per distinct value (its dictionary), not per row.
//! Mergeable in any order, like a tally.

use arrow_array::Array;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::fold::batch::Batch;
use crate::fold::cube_kernel::{amount_column, days};
use crate::fold::kernel::Interner;
use crate::schema::catalogue::{CurFormat, Field};
use crate::schema::rules::{ALLOWED_VALUES, CHARGE_CATEGORIES, CUR_LINE_ITEM_TYPES, JSON_COLUMNS, Rule, is_iso_4217};
use crate::vocab::dates::NO_DAY;

/// How many row numbers a finding keeps: the first ones in the file.
pub const FIRST_ROWS: usize = 5;

/// The rows of one file breaking one rule in one column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breach {
    /// The rule.
    pub rule: Rule,
    /// The column, as the file's layout names it.
    pub column: String,
    /// How many rows.
    pub count: u64,
    /// The first rows' numbers (1 for the first data row), at most [`FIRST_ROWS`].
    pub rows: Vec<u64>,
    /// One offending value, where there is one to show.
    pub example: Option<String>,
}

/// Everything the check found in the rows read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Findings {
    /// Rows read.
    pub rows: u64,
    /// What they break, in the order first met.
    pub breaches: Vec<Breach>,
}

impl Findings {
    /// Adds `other`'s rows and breaches (from another part of the same file, or another file's).
    pub fn merge(&mut self, other: &Findings) {
        self.rows += other.rows;
        for breach in &other.breaches {
            match self.breaches.iter_mut().find(|b| b.rule == breach.rule && b.column == breach.column) {
                Some(known) => {
                    known.count += breach.count;
                    known.rows.extend(&breach.rows);
                    known.rows.sort_unstable();
                    known.rows.dedup();
                    known.rows.truncate(FIRST_ROWS);
                    if known.example.is_none() {
                        known.example.clone_from(&breach.example);
                    }
                }
                None => self.breaches.push(breach.clone()),
            }
        }
    }

    /// Counts row `row` (1-based) as breaking `rule` in `column`.
    fn note(&mut self, rule: Rule, column: &str, row: u64, example: Option<&str>) {
        let breach = match self.breaches.iter_mut().position(|b| b.rule == rule && b.column == column) {
            Some(at) => &mut self.breaches[at],
            None => {
                self.breaches.push(Breach {
                    rule,
                    column: column.to_owned(),
                    count: 0,
                    rows: Vec::new(),
                    example: None,
                });
                self.breaches.last_mut().expect("just pushed")
            }
        };
        breach.count += 1;
        if breach.rows.len() < FIRST_ROWS {
            breach.rows.push(row);
        }
        if breach.example.is_none() {
            breach.example = example.map(|e| crate::vocab::format::shorten_middle(e, 60));
        }
    }
}

/// A text column judged once per distinct value.
#[derive(Default)]
struct Judged {
    values: Interner,
    ids: Vec<u32>,
    /// Per id: whether the value breaks the column's rule.
    wrong: Vec<bool>,
}

impl Judged {
    /// Encodes `column` and judges each new value with `wrong`.
    fn read(&mut self, column: &dyn Array, wrong: impl Fn(&str) -> bool) -> Result<()> {
        self.values.encode(column, &mut self.ids)?;
        while self.wrong.len() < self.values.len() {
            let value = self.values.label(self.wrong.len());
            self.wrong.push(wrong(value));
        }
        Ok(())
    }

    fn is_wrong(&self, row: usize) -> bool {
        self.wrong[self.ids[row] as usize]
    }

    fn value(&self, row: usize) -> &str {
        self.values.label(self.ids[row] as usize)
    }
}

/// Folds batches of one file, in order, into [`Findings`].
pub struct CheckKernel {
    format: CurFormat,
    /// The number of the next row read (1 for the file's first data row).
    next_row: u64,
    findings: Findings,
    types: Judged,
    services: Judged,
    products: Judged,
    currencies: Judged,
    pricing_currencies: Judged,
    commitments: Judged,
    allowed: Vec<Judged>,
    json: Vec<Judged>,
    starts: Vec<i32>,
    ends: Vec<i32>,
    period_starts: Vec<i32>,
    period_ends: Vec<i32>,
    effective: Vec<f64>,
    used: Vec<f64>,
    total: Vec<f64>,
    scratch: Vec<f64>,
}

impl CheckKernel {
    /// A kernel for a file of `format` whose rows start at row `first_row` (0 for the first).
    pub fn new(format: CurFormat, first_row: u64) -> CheckKernel {
        CheckKernel {
            format,
            next_row: first_row + 1,
            findings: Findings::default(),
            types: Judged::default(),
            services: Judged::default(),
            products: Judged::default(),
            currencies: Judged::default(),
            pricing_currencies: Judged::default(),
            commitments: Judged::default(),
            allowed: ALLOWED_VALUES.iter().map(|_| Judged::default()).collect(),
            json: JSON_COLUMNS.iter().map(|_| Judged::default()).collect(),
            starts: Vec::new(),
            ends: Vec::new(),
            period_starts: Vec::new(),
            period_ends: Vec::new(),
            effective: Vec::new(),
            used: Vec::new(),
            total: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// What was found.
    pub fn finish(self) -> Findings {
        self.findings
    }

    /// The name of a column as this file's layout spells it.
    fn name(&self, focus: &'static str, cur: &'static str) -> &'static str {
        if self.format == CurFormat::Focus { focus } else { cur }
    }

    /// Folds one batch in.
    pub fn add(&mut self, batch: &Batch<'_>) -> Result<()> {
        let rows = batch.rows();
        let first = self.next_row;
        self.next_row += rows as u64;
        self.findings.rows += rows as u64;
        let focus = self.format == CurFormat::Focus;
        let row_number = |row: usize| first + row as u64;

        // The line item type (FOCUS: the charge category).
        let known: &[&str] = if focus { &CHARGE_CATEGORIES } else { &CUR_LINE_ITEM_TYPES };
        self.types.read(batch.line_item_type, |t| !t.is_empty() && !known.contains(&t))?;
        let type_rule = if focus { Rule::ValueNotAllowed } else { Rule::UnknownLineItemType };
        let type_column = self.name("ChargeCategory", "line_item_line_item_type");
        for row in 0..rows {
            if self.types.is_wrong(row) {
                let value = self.types.value(row).to_owned();
                self.findings.note(type_rule, type_column, row_number(row), Some(&value));
            } else if focus && self.types.value(row).is_empty() {
                self.findings.note(Rule::NullNotAllowed, type_column, row_number(row), None);
            }
        }

        if focus {
            // The billed cost: never null.
            if let Some(nulls) = batch.cost.logical_nulls() {
                for row in (0..rows).filter(|&row| nulls.is_null(row)) {
                    self.findings.note(Rule::NullNotAllowed, "BilledCost", row_number(row), None);
                }
            }
            // Values from a fixed set.
            for (index, (field, column, allowed)) in ALLOWED_VALUES.iter().enumerate() {
                let Some(array) = batch.get(*field) else { continue };
                let judged = &mut self.allowed[index];
                judged.read(array, |v| !v.is_empty() && !allowed.contains(&v))?;
                for row in (0..rows).filter(|&row| judged.is_wrong(row)) {
                    let value = judged.value(row).to_owned();
                    self.findings.note(Rule::ValueNotAllowed, column, row_number(row), Some(&value));
                }
            }
            // JSON objects.
            for (index, (field, column)) in JSON_COLUMNS.iter().enumerate() {
                let Some(array) = batch.get(*field) else { continue };
                let judged = &mut self.json[index];
                judged.read(array, |v| {
                    !v.is_empty()
                        && !matches!(serde_json::from_str::<serde_json::Value>(v), Ok(serde_json::Value::Object(_)))
                })?;
                for row in (0..rows).filter(|&row| judged.is_wrong(row)) {
                    let value = judged.value(row).to_owned();
                    self.findings.note(Rule::JsonUnreadable, column, row_number(row), Some(&value));
                }
            }
            // A commitment's purchase is amortized over the usage it covers: no effective cost of its own.
            if let (Some(ids), Some(effective)) = (batch.get(Field::CommitmentId), batch.get(Field::EffectiveCost)) {
                self.commitments.read(ids, |_| false)?;
                amount_column(effective, &mut self.scratch, &mut self.effective)?;
                for row in 0..rows {
                    if self.types.value(row) == "Purchase"
                        && !self.commitments.value(row).is_empty()
                        && self.effective[row] != 0.0
                    {
                        let value = self.effective[row].to_string();
                        self.findings.note(
                            Rule::PurchaseWithEffectiveCost,
                            "EffectiveCost",
                            row_number(row),
                            Some(&value),
                        );
                    }
                }
            }
        } else {
            // A usage row with neither a service code nor a product code.
            self.services.read(batch.service, |_| false)?;
            let products = batch.get(Field::ProductCode);
            if let Some(products) = products {
                self.products.read(products, |_| false)?;
            }
            for row in 0..rows {
                if self.types.value(row) == "Usage"
                    && self.services.value(row).is_empty()
                    && products.is_none_or(|_| self.products.value(row).is_empty())
                {
                    self.findings.note(Rule::UsageWithoutService, "product_servicecode", row_number(row), None);
                }
            }
            // A Savings Plan's fee row: what was used is part of its total.
            if let (Some(used), Some(total)) =
                (batch.get(Field::SavingsPlanUsedCommitment), batch.get(Field::SavingsPlanTotalCommitment))
            {
                amount_column(used, &mut self.scratch, &mut self.used)?;
                amount_column(total, &mut self.scratch, &mut self.total)?;
                for row in 0..rows {
                    let (used, total) = (self.used[row], self.total[row]);
                    // Beyond a rounding of the file's own decimals.
                    if self.types.value(row) == "SavingsPlanRecurringFee" && used - total > 1e-9 * total.abs().max(1.0)
                    {
                        let value = format!("{used} of {total}");
                        self.findings.note(
                            Rule::CommitmentUsedAboveTotal,
                            "savings_plan_used_commitment",
                            row_number(row),
                            Some(&value),
                        );
                    }
                }
            }
            // A commitment's end before its start, by day.
            for (start, end, column) in [
                (Field::ReservationStart, Field::ReservationEnd, "reservation_end_time"),
                (Field::SavingsPlanStart, Field::SavingsPlanEnd, "savings_plan_end_time"),
            ] {
                let (Some(start), Some(end)) = (batch.get(start), batch.get(end)) else { continue };
                days(Some(start), rows, &mut self.period_starts);
                days(Some(end), rows, &mut self.period_ends);
                for row in 0..rows {
                    let (first, last) = (self.period_starts[row], self.period_ends[row]);
                    if first != NO_DAY && last != NO_DAY && last < first {
                        self.findings.note(Rule::CommitmentEndsBeforeStart, column, row_number(row), None);
                    }
                }
            }
        }

        // Currencies: ISO 4217, and the billing one never null in FOCUS.
        let billing = self.name("BillingCurrency", "line_item_currency_code");
        for (field, column, judged) in [
            (Field::Currency, billing, &mut self.currencies),
            (Field::PricingCurrency, "PricingCurrency", &mut self.pricing_currencies),
        ] {
            let Some(array) = batch.get(field) else { continue };
            judged.read(array, |v| !v.is_empty() && !is_iso_4217(v))?;
            for row in 0..rows {
                if judged.is_wrong(row) {
                    let value = judged.value(row).to_owned();
                    self.findings.note(Rule::CurrencyNotIso, column, row_number(row), Some(&value));
                } else if focus && field == Field::Currency && judged.value(row).is_empty() {
                    self.findings.note(Rule::NullNotAllowed, column, row_number(row), None);
                }
            }
        }

        // Periods, by day.
        let (start, end) = (batch.get(Field::UsageStart), batch.get(Field::ChargePeriodEnd));
        days(start, rows, &mut self.starts);
        days(end, rows, &mut self.ends);
        days(batch.get(Field::BillingPeriodStart), rows, &mut self.period_starts);
        days(batch.get(Field::BillingPeriodEnd), rows, &mut self.period_ends);
        let (start_name, end_name) = (
            self.name("ChargePeriodStart", "line_item_usage_start_date"),
            self.name("ChargePeriodEnd", "line_item_usage_end_date"),
        );
        for row in 0..rows {
            let (first_day, last_day) = (self.starts[row], self.ends[row]);
            if focus && start.is_some() && first_day == NO_DAY {
                self.findings.note(Rule::NullNotAllowed, start_name, row_number(row), None);
            }
            if focus && end.is_some() && last_day == NO_DAY {
                self.findings.note(Rule::NullNotAllowed, end_name, row_number(row), None);
            }
            if first_day != NO_DAY && last_day != NO_DAY && first_day > last_day {
                self.findings.note(Rule::ChargePeriodReversed, end_name, row_number(row), None);
            }
            let (period_start, period_end) = (self.period_starts[row], self.period_ends[row]);
            if first_day != NO_DAY
                && period_start != NO_DAY
                && period_end != NO_DAY
                && (first_day < period_start || first_day >= period_end)
            {
                self.findings.note(Rule::OutsideBillingPeriod, start_name, row_number(row), None);
            }
        }
        Ok(())
    }
}

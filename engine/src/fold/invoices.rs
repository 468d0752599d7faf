//! The files' total per invoice, as an invoice is issued: per invoice id, its
//! issuer, its billing period and currency, every line item's billed cost
//! (CUR `line_item_unblended_cost`, FOCUS `BilledCost`). Rows not yet invoiced
//! (CUR leaves `bill_invoice_id` empty until the month closes) are a group of
//! their own. Mergeable in any order, like a tally.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::fold::batch::Batch;
use crate::fold::cube_kernel::{amount_column, days};
use crate::fold::kernel::{Interner, encode_currency};
use crate::fold::sum::CompensatedSum;
use crate::schema::catalogue::Field;
use crate::vocab::dates::{NO_DAY, month_start};

/// One invoice's key: its id, issuer, billing period (its first day) and currency.
pub type InvoiceKey = (String, String, i32, String);

/// What the files hold of one invoice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InvoiceSums {
    /// Every line item's billed cost.
    pub cost: CompensatedSum,
    /// Rows.
    pub rows: u64,
}

/// The files' total per invoice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "Listed", into = "Listed")]
pub struct Invoices {
    /// Per invoice.
    pub invoices: BTreeMap<InvoiceKey, InvoiceSums>,
}

#[derive(Serialize, Deserialize)]
struct Listed {
    invoices: Vec<(InvoiceKey, InvoiceSums)>,
}

impl From<Listed> for Invoices {
    fn from(listed: Listed) -> Self {
        let mut invoices = Invoices::default();
        for (key, sums) in listed.invoices {
            invoices.add(key, &sums);
        }
        invoices
    }
}

impl From<Invoices> for Listed {
    fn from(invoices: Invoices) -> Self {
        Listed { invoices: invoices.invoices.into_iter().collect() }
    }
}

impl Invoices {
    fn add(&mut self, key: InvoiceKey, sums: &InvoiceSums) {
        let known = self.invoices.entry(key).or_default();
        known.cost.merge(&sums.cost);
        known.rows += sums.rows;
    }

    /// Folds another in.
    pub fn merge(&mut self, other: &Invoices) {
        for (key, sums) in &other.invoices {
            self.add(key.clone(), sums);
        }
    }
}

/// Accumulates the batches of one invoices scan.
#[derive(Default)]
pub struct InvoiceKernel {
    ids: Interner,
    issuers: Interner,
    currencies: Interner,
    id_of: Vec<u32>,
    issuer_of: Vec<u32>,
    currency_of: Vec<u32>,
    periods: Vec<i32>,
    starts: Vec<i32>,
    costs: Vec<f64>,
    scratch: Vec<f64>,
    sums: BTreeMap<(u32, u32, i32, u32), InvoiceSums>,
}

impl InvoiceKernel {
    /// Folds one batch in.
    pub fn add(&mut self, batch: &Batch<'_>) -> Result<()> {
        let rows = batch.rows();
        for (field, interner, out) in [
            (Field::InvoiceId, &mut self.ids, &mut self.id_of),
            (Field::InvoiceIssuer, &mut self.issuers, &mut self.issuer_of),
        ] {
            match batch.get(field) {
                Some(column) => interner.encode(column, out)?,
                None => {
                    let blank = interner.id(None);
                    out.clear();
                    out.resize(rows, blank);
                }
            }
        }
        encode_currency(&mut self.currencies, batch, &mut self.currency_of)?;
        days(batch.get(Field::BillingPeriodStart), rows, &mut self.periods);
        days(batch.get(Field::UsageStart), rows, &mut self.starts);
        amount_column(batch.cost, &mut self.scratch, &mut self.costs)?;
        for row in 0..rows {
            // Without a billing period column, the month the usage started.
            let period = match (self.periods[row], self.starts[row]) {
                (NO_DAY, NO_DAY) => NO_DAY,
                (NO_DAY, start) => month_start(start),
                (period, _) => period,
            };
            let sums =
                self.sums.entry((self.id_of[row], self.issuer_of[row], period, self.currency_of[row])).or_default();
            sums.cost.add(self.costs[row]);
            sums.rows += 1;
        }
        Ok(())
    }

    /// The totals of every invoice met.
    pub fn finish(self) -> Invoices {
        let mut invoices = Invoices::default();
        for ((id, issuer, period, currency), sums) in self.sums {
            let key = (
                self.ids.label(id as usize).to_owned(),
                self.issuers.label(issuer as usize).to_owned(),
                period,
                self.currencies.label(currency as usize).to_owned(),
            );
            invoices.add(key, &sums);
        }
        invoices
    }
}

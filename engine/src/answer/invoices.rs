//! The files' total per invoice, as a person ties them to the invoices they
//! received: one row per invoice id, issuer, billing period and currency.

use serde::{Deserialize, Serialize};

use crate::fold::invoices::Invoices;
use crate::vocab::dates::{NO_DAY, format_month};

/// One invoice's total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceRow {
    /// The invoice id; empty for rows not invoiced yet.
    pub invoice: String,
    /// Who issued it (CUR `bill_invoicing_entity`, FOCUS `InvoiceIssuerName`); empty where the files do not say.
    pub issuer: String,
    /// Its billing period (`2024-01`); empty where the files give none.
    pub period: String,
    /// The currency it is billed in.
    pub currency: String,
    /// Every line item's billed cost.
    pub cost: f64,
    /// Rows.
    pub rows: u64,
}

/// Every invoice, by billing period, then issuer, then id.
pub fn invoice_report(invoices: &Invoices) -> Vec<InvoiceRow> {
    let mut rows: Vec<InvoiceRow> = invoices
        .invoices
        .iter()
        .map(|((invoice, issuer, period, currency), sums)| InvoiceRow {
            invoice: invoice.clone(),
            issuer: issuer.clone(),
            period: if *period == NO_DAY { String::new() } else { format_month(*period) },
            currency: currency.clone(),
            cost: sums.cost.value(),
            rows: sums.rows,
        })
        .collect();
    rows.sort_by(|a, b| {
        (&a.period, &a.issuer, &a.invoice, &a.currency).cmp(&(&b.period, &b.issuer, &b.invoice, &b.currency))
    });
    rows
}

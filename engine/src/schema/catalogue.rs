//! The optional columns, in one table: what each holds and the names it goes by
//! in each flavour of the report. Detection, the projection of a scan, the
//! kernels and the SQL export all read this table; a new column is one row here.
//!
//! Names are in the canonical spelling of [`canonical`](super::columns::canonical),
//! so `lineItem/UsageAccountId` and `line_item_usage_account_id` both match the
//! first entry.

use serde::{Deserialize, Serialize};

/// The flavour of a Cost and Usage Report, told from its column names
/// (the rules of `cid/helpers/cur.py`, see docs in ARCHITECTURE.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CurFormat {
    /// Legacy CUR delivered for Athena: `line_item_unblended_cost`.
    LegacyCur,
    /// Legacy CUR whose CSV headers were kept as Parquet names: `lineItem/UnblendedCost`.
    LegacyCurCsvNames,
    /// CUR 2.0 from Data Exports (has `bill_payer_account_name`).
    Cur2,
    /// FOCUS 1.x from Data Exports: `BilledCost`, `ChargeCategory`.
    Focus,
}

impl CurFormat {
    /// The provider a file of this layout is from when it has no column
    /// saying so: AWS for every CUR layout; none for FOCUS, whose files name
    /// theirs in `ServiceProviderName` or `ProviderName`.
    pub fn provider(self) -> Option<&'static str> {
        match self {
            CurFormat::Focus => None,
            CurFormat::LegacyCur | CurFormat::LegacyCurCsvNames | CurFormat::Cur2 => Some("AWS"),
        }
    }

    /// A short name for people.
    pub fn label(self) -> &'static str {
        match self {
            CurFormat::LegacyCur => "legacy CUR",
            CurFormat::LegacyCurCsvNames => "legacy CUR (CSV column names)",
            CurFormat::Cur2 => "CUR 2.0",
            CurFormat::Focus => "FOCUS",
        }
    }
}

/// The currency of amounts in a file without a currency column, or whose rows
/// leave it blank: AWS bills in US dollars unless the account chose otherwise.
pub const ASSUMED_CURRENCY: &str = "USD";

/// An optional column's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Field {
    /// The currency the amounts are in (`USD`, `EUR`, `JPY`).
    Currency,
    /// The account that used the resource.
    Account,
    /// The region code.
    Region,
    /// The usage type (`BoxUsage:m5.large`).
    UsageType,
    /// The API operation.
    Operation,
    /// When the usage started (a timestamp, a date, or ISO 8601 text).
    UsageStart,
    /// Net unblended cost (after private pricing); FOCUS `BilledCost` already is.
    NetUnblended,
    /// FOCUS `EffectiveCost`: the amortized cost, ready made.
    EffectiveCost,
    /// Amortization input: `savings_plan_savings_plan_effective_cost`.
    SavingsPlanEffectiveCost,
    /// Amortization input: `savings_plan_total_commitment_to_date`.
    SavingsPlanTotalCommitment,
    /// Amortization input: `savings_plan_used_commitment`.
    SavingsPlanUsedCommitment,
    /// Amortization input: `reservation_effective_cost`.
    ReservationEffectiveCost,
    /// Amortization input: `reservation_unused_amortized_upfront_fee_for_billing_period`.
    ReservationUnusedUpfront,
    /// Amortization input: `reservation_unused_recurring_fee`.
    ReservationUnusedRecurring,
    /// Amortization input: the reservation's ARN (empty for fees of no reservation).
    ReservationArn,
    /// The service's display name beside its code (`Amazon Elastic Compute Cloud`).
    ServiceName,
    /// The public on-demand (list) cost: what the usage would cost at list prices.
    ListCost,
    /// How much was used, in [`Field::Unit`]s.
    UsageAmount,
    /// The unit of the usage amount (`Hrs`, `GB-Mo`, `Requests`).
    Unit,
    /// The product code, where the service code is another column: it names the
    /// service of rows whose service code is empty (EC2 Spot usage, RI fees).
    ProductCode,
    /// The Savings Plan a row belongs to (its ARN).
    SavingsPlanArn,
    /// A reservation's upfront fee amortized over the billing period (on its `RIFee` row).
    ReservationUpfrontForPeriod,
    /// When a reservation ends.
    ReservationEnd,
    /// When a Savings Plan ends.
    SavingsPlanEnd,
    /// FOCUS: the commitment a row belongs to (`CommitmentDiscountId`).
    CommitmentId,
    /// FOCUS: whether a commitment's row is its `Used` or `Unused` part.
    CommitmentStatus,
    /// FOCUS: the kind of commitment (`Savings Plan`, `Reserved Instance`, `Reservation`).
    CommitmentType,
    /// The cloud that provided the service: FOCUS 1.3 `ServiceProviderName`,
    /// before it `ProviderName` (deprecated in 1.3); CUR has none, being AWS's
    /// ([`CurFormat::provider`]).
    Provider,
    /// What the check reads (`schema::rules`): FOCUS `ChargeClass`.
    ChargeClass,
    /// FOCUS `ChargeFrequency`.
    ChargeFrequency,
    /// FOCUS `PricingCategory`.
    PricingCategory,
    /// FOCUS `CommitmentDiscountCategory`.
    CommitmentCategory,
    /// FOCUS 1.2 `PricingCurrency`.
    PricingCurrency,
    /// The end of the charge period: `line_item_usage_end_date`, FOCUS `ChargePeriodEnd`.
    ChargePeriodEnd,
    /// `bill_billing_period_start_date`, FOCUS `BillingPeriodStart`.
    BillingPeriodStart,
    /// `bill_billing_period_end_date`, FOCUS `BillingPeriodEnd` (exclusive).
    BillingPeriodEnd,
    /// FOCUS `Tags` as text (JSON).
    TagsJson,
    /// FOCUS 1.1 `SkuPriceDetails`.
    SkuPriceDetails,
    /// FOCUS 1.3 `ContractApplied`.
    ContractApplied,
    /// FOCUS 1.3 `AllocatedMethodDetails`.
    AllocatedMethodDetails,
    /// The resource, for what a commitment paid (`ScanKind::CommitmentResources`);
    /// the explorer reads it on demand as a detail.
    ResourceId,
    /// `reservation_start_time`, for the check (an end before its start).
    ReservationStart,
    /// `savings_plan_start_time`, likewise.
    SavingsPlanStart,
    /// FOCUS 1.2 `PricingCurrencyEffectiveCost`: the pricing measure's amounts.
    PricingEffectiveCost,
    /// The invoice, for the totals per invoice: CUR `bill_invoice_id`, FOCUS 1.2 `InvoiceId`.
    InvoiceId,
    /// Its issuer: CUR `bill_invoicing_entity`, FOCUS `InvoiceIssuerName`.
    InvoiceIssuer,
}

/// What a column holds, which decides how it is decoded and which types fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// Text the explorer groups by (read as a dictionary).
    Label,
    /// A point in time, folded to its day.
    Day,
    /// An amount of money.
    Amount,
    /// Text used by a rule, not grouped by.
    Text,
}

/// One row of the catalogue.
#[derive(Debug)]
pub struct Entry {
    /// The role.
    pub field: Field,
    /// What it holds.
    pub holds: Holds,
    /// Names in legacy CUR (Athena and CSV headers), best first.
    pub legacy: &'static [&'static str],
    /// Names in CUR 2.0, best first.
    pub cur2: &'static [&'static str],
    /// Names in FOCUS, best first.
    pub focus: &'static [&'static str],
}

impl Entry {
    /// The names this column may have in a report of `format`, best first.
    pub fn names(&self, format: CurFormat) -> &'static [&'static str] {
        match format {
            CurFormat::LegacyCur | CurFormat::LegacyCurCsvNames => self.legacy,
            CurFormat::Cur2 => self.cur2,
            CurFormat::Focus => self.focus,
        }
    }
}

/// A column with the same names in legacy CUR and CUR 2.0.
const fn cur(field: Field, holds: Holds, names: &'static [&'static str], focus: &'static [&'static str]) -> Entry {
    Entry { field, holds, legacy: names, cur2: names, focus }
}

/// Every optional column, in [`Field`] order.
pub const CATALOGUE: [Entry; 46] = [
    cur(Field::Currency, Holds::Label, &["line_item_currency_code"], &["billing_currency"]),
    cur(Field::Account, Holds::Label, &["line_item_usage_account_id"], &["sub_account_id"]),
    // CUR 2.0 renamed product_region to product_region_code.
    Entry {
        field: Field::Region,
        holds: Holds::Label,
        legacy: &["product_region", "product_region_code"],
        cur2: &["product_region_code", "product_region"],
        focus: &["region_id"],
    },
    cur(Field::UsageType, Holds::Label, &["line_item_usage_type"], &["x_usage_type", "sku_meter"]),
    cur(Field::Operation, Holds::Label, &["line_item_operation"], &["x_operation"]),
    cur(Field::UsageStart, Holds::Day, &["line_item_usage_start_date"], &["charge_period_start"]),
    cur(Field::NetUnblended, Holds::Amount, &["line_item_net_unblended_cost"], &["billed_cost"]),
    cur(Field::EffectiveCost, Holds::Amount, &[], &["effective_cost"]),
    cur(Field::SavingsPlanEffectiveCost, Holds::Amount, &["savings_plan_savings_plan_effective_cost"], &[]),
    cur(Field::SavingsPlanTotalCommitment, Holds::Amount, &["savings_plan_total_commitment_to_date"], &[]),
    cur(Field::SavingsPlanUsedCommitment, Holds::Amount, &["savings_plan_used_commitment"], &[]),
    cur(Field::ReservationEffectiveCost, Holds::Amount, &["reservation_effective_cost"], &[]),
    cur(
        Field::ReservationUnusedUpfront,
        Holds::Amount,
        &["reservation_unused_amortized_upfront_fee_for_billing_period"],
        &[],
    ),
    cur(Field::ReservationUnusedRecurring, Holds::Amount, &["reservation_unused_recurring_fee"], &[]),
    // Athena spells the CSV's `reservation/ReservationARN` letter by letter.
    cur(Field::ReservationArn, Holds::Text, &["reservation_reservation_a_r_n", "reservation_reservation_arn"], &[]),
    // CUR 2.0 keeps the name inside its `product` map (JSON text in its CSV):
    // `column['key']` names a key inside a column of key → value pairs.
    Entry {
        field: Field::ServiceName,
        holds: Holds::Text,
        legacy: &["product_product_name"],
        cur2: &["product['product_name']", "product_product_name"],
        focus: &["service_name"],
    },
    cur(Field::ListCost, Holds::Amount, &["pricing_public_on_demand_cost"], &["list_cost"]),
    // FOCUS also has PricingQuantity (in PricingUnit); the consumed quantity is the usage itself.
    cur(Field::UsageAmount, Holds::Amount, &["line_item_usage_amount"], &["consumed_quantity"]),
    cur(Field::Unit, Holds::Label, &["pricing_unit"], &["consumed_unit"]),
    // FOCUS's x_ServiceCode already is the product code (and its only service code).
    cur(Field::ProductCode, Holds::Label, &["line_item_product_code"], &[]),
    // What the commitments report reads (FOCUS describes commitments in columns
    // of its own: CommitmentDiscountId and its status).
    cur(Field::SavingsPlanArn, Holds::Text, &["savings_plan_savings_plan_a_r_n", "savings_plan_savings_plan_arn"], &[]),
    cur(
        Field::ReservationUpfrontForPeriod,
        Holds::Amount,
        &["reservation_amortized_upfront_fee_for_billing_period"],
        &[],
    ),
    cur(Field::ReservationEnd, Holds::Day, &["reservation_end_time"], &[]),
    cur(Field::SavingsPlanEnd, Holds::Day, &["savings_plan_end_time"], &[]),
    cur(Field::CommitmentId, Holds::Text, &[], &["commitment_discount_id"]),
    cur(Field::CommitmentStatus, Holds::Text, &[], &["commitment_discount_status"]),
    cur(Field::CommitmentType, Holds::Text, &[], &["commitment_discount_type"]),
    // FOCUS 1.3 deprecates ProviderName for ServiceProviderName (beside
    // HostProviderName, whose infrastructure it runs on).
    cur(Field::Provider, Holds::Label, &[], &["service_provider_name", "provider_name"]),
    // What the check reads (`schema::rules`).
    cur(Field::ChargeClass, Holds::Text, &[], &["charge_class"]),
    cur(Field::ChargeFrequency, Holds::Text, &[], &["charge_frequency"]),
    cur(Field::PricingCategory, Holds::Text, &[], &["pricing_category"]),
    cur(Field::CommitmentCategory, Holds::Text, &[], &["commitment_discount_category"]),
    cur(Field::PricingCurrency, Holds::Text, &[], &["pricing_currency"]),
    cur(Field::ChargePeriodEnd, Holds::Day, &["line_item_usage_end_date"], &["charge_period_end"]),
    cur(Field::BillingPeriodStart, Holds::Day, &["bill_billing_period_start_date"], &["billing_period_start"]),
    cur(Field::BillingPeriodEnd, Holds::Day, &["bill_billing_period_end_date"], &["billing_period_end"]),
    cur(Field::TagsJson, Holds::Text, &[], &["tags"]),
    cur(Field::SkuPriceDetails, Holds::Text, &[], &["sku_price_details"]),
    cur(Field::ContractApplied, Holds::Text, &[], &["contract_applied"]),
    cur(Field::AllocatedMethodDetails, Holds::Text, &[], &["allocated_method_details"]),
    cur(Field::ResourceId, Holds::Text, &["line_item_resource_id"], &["resource_id"]),
    cur(Field::ReservationStart, Holds::Day, &["reservation_start_time"], &[]),
    cur(Field::SavingsPlanStart, Holds::Day, &["savings_plan_start_time"], &[]),
    cur(Field::PricingEffectiveCost, Holds::Amount, &[], &["pricing_currency_effective_cost"]),
    cur(Field::InvoiceId, Holds::Text, &["bill_invoice_id"], &["invoice_id"]),
    cur(Field::InvoiceIssuer, Holds::Text, &["bill_invoicing_entity"], &["invoice_issuer_name"]),
];

impl Field {
    /// Whether the explorer's scan reads it (the service's name is the costs
    /// page's only; the commitments' own columns the commitments report's).
    pub fn explored(self) -> bool {
        !self.checked_only()
            && !matches!(
                self,
                Field::ServiceName
                    | Field::SavingsPlanArn
                    | Field::ReservationUpfrontForPeriod
                    | Field::ReservationEnd
                    | Field::SavingsPlanEnd
                    | Field::CommitmentId
                    | Field::CommitmentStatus
                    | Field::CommitmentType
                    | Field::ResourceId
                    | Field::InvoiceId
                    | Field::InvoiceIssuer
            )
    }
}

impl Field {
    /// Whether only the check reads it: a file's column it cannot read (FOCUS
    /// `Tags` as a Parquet map is no JSON to check) is left out without a note.
    pub fn checked_only(self) -> bool {
        // The currencies are the pricing measure's too.
        CHECK_FIELDS.contains(&self)
            && !COMMITMENT_FIELDS.contains(&self)
            && !matches!(self, Field::Currency | Field::PricingCurrency)
    }
}

/// The optional columns the check reads (`schema::rules`), besides type,
/// service and cost.
pub const CHECK_FIELDS: [Field; 24] = [
    Field::Currency,
    Field::UsageStart,
    Field::ProductCode,
    Field::EffectiveCost,
    Field::CommitmentId,
    Field::CommitmentStatus,
    Field::ChargeClass,
    Field::ChargeFrequency,
    Field::PricingCategory,
    Field::CommitmentCategory,
    Field::PricingCurrency,
    Field::ChargePeriodEnd,
    Field::BillingPeriodStart,
    Field::BillingPeriodEnd,
    Field::TagsJson,
    Field::SkuPriceDetails,
    Field::ContractApplied,
    Field::AllocatedMethodDetails,
    Field::SavingsPlanUsedCommitment,
    Field::SavingsPlanTotalCommitment,
    Field::ReservationStart,
    Field::ReservationEnd,
    Field::SavingsPlanStart,
    Field::SavingsPlanEnd,
];

/// The optional columns the invoices' totals read besides type, service and
/// cost: the invoice, its issuer, its billing period (or the usage's month)
/// and the currency.
pub const INVOICE_FIELDS: [Field; 5] =
    [Field::Currency, Field::InvoiceId, Field::InvoiceIssuer, Field::BillingPeriodStart, Field::UsageStart];

/// The optional columns the costs scan reads besides type, service and cost:
/// the currency (amounts are never added across currencies), the service's name
/// and the product code (the service of rows whose service code is empty). The
/// list cost, what usage a commitment paid would cost on demand, is not among
/// them: reading it made the costs of 10M rows 1.6x slower, so the page takes it
/// from the explorer's cube (the command line reads it when it counts it:
/// `ScanKind::Covered`).
pub const COSTS_FIELDS: [Field; 3] = [Field::Currency, Field::ServiceName, Field::ProductCode];

/// The optional columns the commitments report reads: each commitment's
/// identity and end, what it cost and what it covered.
pub const COMMITMENT_FIELDS: [Field; 18] = [
    Field::Currency,
    Field::UsageStart,
    Field::ListCost,
    Field::ReservationArn,
    Field::ReservationEffectiveCost,
    Field::ReservationUnusedUpfront,
    Field::ReservationUnusedRecurring,
    Field::ReservationUpfrontForPeriod,
    Field::ReservationEnd,
    Field::SavingsPlanArn,
    Field::SavingsPlanEffectiveCost,
    Field::SavingsPlanTotalCommitment,
    Field::SavingsPlanUsedCommitment,
    Field::SavingsPlanEnd,
    Field::EffectiveCost,
    Field::CommitmentId,
    Field::CommitmentStatus,
    Field::CommitmentType,
];

impl Field {
    /// Its row of the catalogue.
    pub fn entry(self) -> &'static Entry {
        // The catalogue is in `Field` order (a test checks it).
        &CATALOGUE[self as usize]
    }

    /// What it holds.
    pub fn holds(self) -> Holds {
        self.entry().holds
    }

    /// Every field, in catalogue order.
    pub fn all() -> impl Iterator<Item = Field> {
        CATALOGUE.iter().map(|entry| entry.field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::columns::canonical;

    #[test]
    fn the_catalogue_is_in_field_order_with_canonical_names() {
        for (index, entry) in CATALOGUE.iter().enumerate() {
            assert_eq!(entry.field as usize, index, "{:?}", entry.field);
            for name in entry.legacy.iter().chain(entry.cur2).chain(entry.focus) {
                assert_eq!(canonical(name), *name, "{:?}", entry.field);
            }
        }
    }
}

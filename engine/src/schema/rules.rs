//! What `ducks check` looks for in a file, in one table: each rule with the
//! layouts it applies to, where it comes from (a section of the FOCUS
//! specification, or AWS's CUR data dictionary) and what a person can do about
//! it. The values each rule allows are here too, written once; the kernel that
//! counts the rows breaking them is `fold::check`, the report `answer::check`.

use serde::{Deserialize, Serialize};

use super::catalogue::{CurFormat, Field};

/// One thing a file can get wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Rule {
    /// A column every FOCUS dataset must have is not there.
    MandatoryColumnMissing,
    /// The columns belong to more than one FOCUS version.
    VersionsMixed,
    /// A value is null where the specification forbids it.
    NullNotAllowed,
    /// A value outside the column's allowed set.
    ValueNotAllowed,
    /// A currency code that is not ISO 4217.
    CurrencyNotIso,
    /// A charge period that starts after it ends.
    ChargePeriodReversed,
    /// A charge period outside its billing period.
    OutsideBillingPeriod,
    /// A commitment purchase whose effective cost is not 0.
    PurchaseWithEffectiveCost,
    /// A JSON column whose value does not parse as a JSON object.
    JsonUnreadable,
    /// A CUR line item type AWS does not define.
    UnknownLineItemType,
    /// A CUR usage row with neither a service code nor a product code.
    UsageWithoutService,
    /// A Savings Plan's fee row whose used commitment is above its total.
    CommitmentUsedAboveTotal,
    /// A commitment that ends before it starts.
    CommitmentEndsBeforeStart,
}

/// Which files a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    /// FOCUS files.
    Focus,
    /// Every CUR layout (legacy and 2.0).
    Cur,
    /// Every file.
    Every,
}

/// A rule's facts (see [`Rule::facts`]).
#[derive(Debug, Clone, Copy)]
pub struct RuleFacts {
    /// A short stable name, for `--json` and the page.
    pub key: &'static str,
    /// The files it applies to.
    pub applies: Applies,
    /// What is wrong, after the column's name.
    pub what: &'static str,
    /// Where it comes from.
    pub source: &'static str,
    /// What it means and what to do, after the count and the column.
    pub advice: &'static str,
}

impl Rule {
    /// Every rule, in the order a report lists them.
    pub const ALL: [Rule; 13] = [
        Rule::MandatoryColumnMissing,
        Rule::VersionsMixed,
        Rule::NullNotAllowed,
        Rule::ValueNotAllowed,
        Rule::CurrencyNotIso,
        Rule::ChargePeriodReversed,
        Rule::OutsideBillingPeriod,
        Rule::PurchaseWithEffectiveCost,
        Rule::JsonUnreadable,
        Rule::UnknownLineItemType,
        Rule::UsageWithoutService,
        Rule::CommitmentUsedAboveTotal,
        Rule::CommitmentEndsBeforeStart,
    ];

    /// Everything known of a rule, in one table.
    pub const fn facts(self) -> RuleFacts {
        use Applies::*;
        const fn f(
            key: &'static str,
            applies: Applies,
            what: &'static str,
            source: &'static str,
            advice: &'static str,
        ) -> RuleFacts {
            RuleFacts { key, applies, what, source, advice }
        }
        match self {
            Rule::MandatoryColumnMissing => f(
                "mandatory-column-missing",
                Focus,
                "is missing, and FOCUS makes it mandatory",
                "FOCUS 1.0-1.3, each column's Feature Level: Mandatory",
                "tools that expect FOCUS will not find it; re-export with the provider's FOCUS export rather than a converted file",
            ),
            Rule::VersionsMixed => f(
                "versions-mixed",
                Focus,
                "belongs to a later FOCUS version than the columns beside it",
                "FOCUS 1.1, 1.2 and 1.3, the columns each version introduces",
                "the file carries columns of a later version without those of the one before; ducks reads what it finds, check the export's version setting",
            ),
            Rule::NullNotAllowed => f(
                "null-not-allowed",
                Focus,
                "is null, which FOCUS forbids",
                "FOCUS 1.0-1.3, each column's Nullability: MUST NOT be null",
                "these rows cannot be placed in time, in a currency or in a category; their costs count but cannot be grouped by that column",
            ),
            Rule::ValueNotAllowed => f(
                "value-not-allowed",
                Focus,
                "holds a value outside its allowed set",
                "FOCUS 1.0-1.3, each column's Allowed Values",
                "rules keyed on the allowed values (usage, commitments, corrections) pass these rows by",
            ),
            Rule::CurrencyNotIso => f(
                "currency-not-iso-4217",
                Every,
                "holds a code that is not ISO 4217",
                "FOCUS 1.0-1.3 BillingCurrency and 1.2 PricingCurrency: Value Format, ISO 4217 (CUR: line_item_currency_code)",
                "amounts are kept apart per currency code, so these are never added to another currency, but a converter may have written a symbol or a name",
            ),
            Rule::ChargePeriodReversed => f(
                "charge-period-reversed",
                Every,
                "is before the charge period starts",
                "FOCUS 1.0-1.3 ChargePeriodEnd: the exclusive end of the charge period, after its start (CUR: line_item_usage_end_date)",
                "these rows are dated by their start; the end is wrong in the export (compared by day)",
            ),
            Rule::OutsideBillingPeriod => f(
                "outside-billing-period",
                Every,
                "is outside the billing period",
                "FOCUS 1.0-1.3 ChargePeriodStart, within BillingPeriodStart and the exclusive BillingPeriodEnd (CUR: bill_billing_period_start_date / end_date)",
                "these rows are counted in the month they started, which is not the billing period they are invoiced in (compared by day)",
            ),
            Rule::PurchaseWithEffectiveCost => f(
                "purchase-with-effective-cost",
                Focus,
                "is not 0 on a commitment purchase",
                "FOCUS 1.0-1.3 EffectiveCost: 0 for a commitment purchase (ChargeCategory Purchase with a CommitmentDiscountId), whose cost is spread over the usage it covers",
                "the amortized measure counts these purchases twice, once here and once in the usage they cover",
            ),
            Rule::JsonUnreadable => f(
                "json-unreadable",
                Focus,
                "holds text that is not a JSON object",
                "FOCUS 1.0-1.3 Tags, 1.1 SkuPriceDetails, 1.3 ContractApplied and AllocatedMethodDetails: Value Format, a JSON object",
                "ducks reads no key from these values: tags in them are \"(untagged)\"",
            ),
            Rule::UnknownLineItemType => f(
                "unknown-line-item-type",
                Cur,
                "holds a type AWS does not define",
                "AWS Cost and Usage Report data dictionary, line_item_line_item_type",
                "no preset counts these rows as usage; pick their type in \"Counted as usage\" if it should",
            ),
            Rule::UsageWithoutService => f(
                "usage-without-service",
                Cur,
                "is empty on usage rows, and so is line_item_product_code",
                "AWS Cost and Usage Report data dictionary, product_servicecode and line_item_product_code",
                "their cost is shown under the service \"(none)\"",
            ),
            Rule::CommitmentUsedAboveTotal => f(
                "commitment-used-above-total",
                Cur,
                "is above savings_plan_total_commitment_to_date on a Savings Plan's fee row",
                "AWS Cost and Usage Report data dictionary, Savings Plans: the used commitment is the part of the total commitment to date that covered usage",
                "the plan's unused part comes out negative and its use above 100% on these rows, as written in the file",
            ),
            Rule::CommitmentEndsBeforeStart => f(
                "commitment-ends-before-start",
                Cur,
                "is before the commitment's start",
                "AWS Cost and Usage Report data dictionary, reservation_start_time / reservation_end_time and savings_plan_start_time / savings_plan_end_time",
                "the list of what ends soon takes the end as written (compared by day)",
            ),
        }
    }

    /// Whether it applies to a file of `format`.
    pub fn applies_to(self, format: CurFormat) -> bool {
        match self.facts().applies {
            Applies::Focus => format == CurFormat::Focus,
            Applies::Cur => format != CurFormat::Focus,
            Applies::Every => true,
        }
    }
}

/// FOCUS's mandatory columns (1.0 to 1.3), each with the 1.3 column that
/// stands for it (`ServiceProviderName` for the deprecated `ProviderName`).
pub const FOCUS_MANDATORY: [(&str, Option<&str>); 21] = [
    ("BilledCost", None),
    ("BillingAccountId", None),
    ("BillingAccountName", None),
    ("BillingCurrency", None),
    ("BillingPeriodEnd", None),
    ("BillingPeriodStart", None),
    ("ChargeCategory", None),
    ("ChargeClass", None),
    ("ChargeDescription", None),
    ("ChargePeriodEnd", None),
    ("ChargePeriodStart", None),
    ("ContractedCost", None),
    ("EffectiveCost", None),
    ("InvoiceIssuerName", None),
    ("ListCost", None),
    ("PricingQuantity", None),
    ("PricingUnit", None),
    ("ProviderName", Some("ServiceProviderName")),
    ("PublisherName", Some("HostProviderName")),
    ("ServiceCategory", None),
    ("ServiceName", None),
];

/// The columns each FOCUS version introduced, latest first: a file's version
/// is the latest whose columns it has.
pub const FOCUS_VERSIONS: [(&str, &[&str]); 3] = [
    ("1.3", &["ServiceProviderName", "HostProviderName", "ContractApplied", "AllocatedMethodId"]),
    ("1.2", &["InvoiceId", "PricingCurrency", "BillingAccountType", "SubAccountType"]),
    (
        "1.1",
        &["ServiceSubcategory", "CommitmentDiscountQuantity", "CommitmentDiscountUnit", "SkuMeter", "SkuPriceDetails"],
    ),
];

/// The text columns whose values a FOCUS file must take from a fixed set,
/// with that set (a null is allowed where the column may be null).
pub const ALLOWED_VALUES: [(Field, &str, &[&str]); 5] = [
    (Field::ChargeClass, "ChargeClass", &["Correction"]),
    (Field::ChargeFrequency, "ChargeFrequency", &["One-Time", "Recurring", "Usage-Based"]),
    (Field::CommitmentStatus, "CommitmentDiscountStatus", &["Used", "Unused"]),
    (Field::CommitmentCategory, "CommitmentDiscountCategory", &["Spend", "Usage"]),
    (Field::PricingCategory, "PricingCategory", &["Standard", "Dynamic", "Committed", "Other"]),
];

/// FOCUS's charge categories (the `ChargeCategory` column, which ducks reads as
/// the line item type).
pub const CHARGE_CATEGORIES: [&str; 5] = ["Usage", "Purchase", "Tax", "Credit", "Adjustment"];

/// The line item types AWS's CUR data dictionary defines.
pub const CUR_LINE_ITEM_TYPES: [&str; 17] = [
    "Usage",
    "DiscountedUsage",
    "SavingsPlanCoveredUsage",
    "SavingsPlanNegation",
    "SavingsPlanRecurringFee",
    "SavingsPlanUpfrontFee",
    "RIFee",
    "Fee",
    "Tax",
    "Credit",
    "Refund",
    "EdpDiscount",
    "PrivateRateDiscount",
    "BundledDiscount",
    "Discount",
    "DistributorDiscount",
    "SppDiscount",
];

/// The FOCUS columns that hold a JSON object.
pub const JSON_COLUMNS: [(Field, &str); 4] = [
    (Field::TagsJson, "Tags"),
    (Field::SkuPriceDetails, "SkuPriceDetails"),
    (Field::ContractApplied, "ContractApplied"),
    (Field::AllocatedMethodDetails, "AllocatedMethodDetails"),
];

/// ISO 4217's active alphabetic codes.
const ISO_4217: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP \
    BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL \
    GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK \
    LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN \
    PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT \
    TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR \
    XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG ZWL";

/// Whether `code` is an ISO 4217 currency code.
pub fn is_iso_4217(code: &str) -> bool {
    code.len() == 3 && ISO_4217.split_whitespace().any(|c| c == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_its_facts_once() {
        let keys: std::collections::BTreeSet<_> = Rule::ALL.iter().map(|r| r.facts().key).collect();
        assert_eq!(keys.len(), Rule::ALL.len());
        assert!(
            Rule::ALL
                .iter()
                .all(|r| [r.facts().what, r.facts().source, r.facts().advice].iter().all(|t| !t.is_empty()))
        );
        assert!(Rule::ChargePeriodReversed.applies_to(CurFormat::Focus));
        assert!(!Rule::NullNotAllowed.applies_to(CurFormat::Cur2));
        assert!(Rule::OutsideBillingPeriod.applies_to(CurFormat::Cur2));
        assert!(Rule::UnknownLineItemType.applies_to(CurFormat::LegacyCurCsvNames));
    }

    #[test]
    fn currency_codes() {
        assert!(is_iso_4217("USD") && is_iso_4217("EUR") && is_iso_4217("JPY"));
        assert!(!is_iso_4217("usd") && !is_iso_4217("$") && !is_iso_4217("EURO") && !is_iso_4217("ABC"));
    }
}

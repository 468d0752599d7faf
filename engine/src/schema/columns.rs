//! Which columns of a Cost and Usage Report hold the line item type, the service
//! and the cost, whatever the report's flavour.
//!
//! Names are compared in one canonical spelling (snake case, lower case, `/` and
//! `:` as `_`), so the Athena names of legacy CUR and CUR 2.0
//! (`line_item_unblended_cost`), legacy CUR exported with CSV headers
//! (`lineItem/UnblendedCost`), title-cased exports (`Line_Item_Unblended_Cost`) and
//! FOCUS (`BilledCost`) all meet. This module knows names only; types are checked
//! where the file is read.

use serde::{Deserialize, Serialize};

// The flavour is the catalogue's word (its names are per flavour); it is
// re-exported here, where detection tells it.
pub use super::catalogue::CurFormat;
use super::catalogue::{ASSUMED_CURRENCY, CATALOGUE, Field};
use crate::error::{Error, Result};

/// One column of the file: its position among the top-level fields and its name as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// Index among the schema's top-level fields.
    pub index: usize,
    /// The name exactly as the file spells it.
    pub name: String,
    /// For a value kept inside a column of key → value pairs (CUR 2.0's `product`,
    /// JSON text in its CSV): the key. The row's value is the one under it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// The columns the costs analysis reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurColumns {
    /// The report's flavour.
    pub format: CurFormat,
    /// `line_item_line_item_type` or FOCUS `ChargeCategory`.
    pub line_item_type: Column,
    /// The service code (`product_servicecode`, falling back to the product code)
    /// or, for FOCUS, `x_ServiceCode` falling back to `ServiceName`.
    pub service: Column,
    /// `line_item_unblended_cost` or FOCUS `BilledCost`.
    pub cost: Column,
}

/// A name a role accepts: canonical spelling plus the spellings shown to people.
struct Candidate {
    canonical: &'static str,
    shown: &'static str,
}

/// What a column is for and which names may hold it, best first, per family.
struct Role {
    what: &'static str,
    cur: &'static [Candidate],
    focus: &'static [Candidate],
}

const LINE_ITEM_TYPE: Role = Role {
    what: "line item type",
    cur: &[Candidate {
        canonical: "line_item_line_item_type",
        shown: "line_item_line_item_type (lineItem/LineItemType)",
    }],
    focus: &[Candidate { canonical: "charge_category", shown: "ChargeCategory" }],
};

const SERVICE: Role = Role {
    what: "service",
    cur: &[
        Candidate { canonical: "product_servicecode", shown: "product_servicecode (product/servicecode)" },
        Candidate { canonical: "line_item_product_code", shown: "line_item_product_code (lineItem/ProductCode)" },
    ],
    focus: &[
        Candidate { canonical: "x_service_code", shown: "x_ServiceCode" },
        Candidate { canonical: "service_name", shown: "ServiceName" },
    ],
};

const COST: Role = Role {
    what: "cost",
    cur: &[Candidate {
        canonical: "line_item_unblended_cost",
        shown: "line_item_unblended_cost (lineItem/UnblendedCost)",
    }],
    focus: &[Candidate { canonical: "billed_cost", shown: "BilledCost" }],
};

/// Finds the line item type, service and cost columns among `names`, the file's
/// top-level field names in schema order.
///
/// Fails with [`Error::MissingColumn`] naming every accepted spelling when a role has
/// no column, and with [`Error::AmbiguousColumn`] when two columns share the chosen name.
pub fn detect(names: &[&str]) -> Result<CurColumns> {
    let canonical_names: Vec<String> = names.iter().map(|name| canonical(name)).collect();
    let has = |wanted: &str| canonical_names.iter().any(|name| name == wanted);
    // FOCUS 1.3's other dataset: the contracts' commitments, beside the costs.
    if has("contract_commitment_id") && !has("billed_cost") {
        return Err(Error::NotCostData {
            what:
                "a FOCUS 1.3 ContractCommitment dataset (the contracts' commitments: their cost, quantity and period)"
                    .into(),
            advice:
                "ducks reads the cost and usage dataset delivered beside it, whose ContractApplied column names the \
                     commitments each charge drew on"
                    .into(),
        });
    }

    let format = if has("billed_cost") && has("charge_category") {
        CurFormat::Focus
    } else if has("bill_payer_account_name") {
        CurFormat::Cur2
    } else if names.iter().any(|name| name.contains('/')) {
        CurFormat::LegacyCurCsvNames
    } else {
        CurFormat::LegacyCur
    };

    let find = |role: &Role| -> Result<Column> {
        let candidates = if format == CurFormat::Focus { role.focus } else { role.cur };
        for candidate in candidates {
            let matches: Vec<usize> = canonical_names
                .iter()
                .enumerate()
                .filter(|(_, name)| *name == candidate.canonical)
                .map(|(index, _)| index)
                .collect();
            match matches.as_slice() {
                [] => continue,
                [index] => return Ok(Column { index: *index, name: names[*index].to_owned(), key: None }),
                [first, ..] => {
                    return Err(Error::AmbiguousColumn {
                        role: role.what,
                        name: names[*first].to_owned(),
                        count: matches.len(),
                    });
                }
            }
        }
        Err(Error::MissingColumn { role: role.what, looked_for: looked_for(role), found: describe(names, role.what) })
    };

    Ok(CurColumns { format, line_item_type: find(&LINE_ITEM_TYPE)?, service: find(&SERVICE)?, cost: find(&COST)? })
}

/// What the reader of the figures should know about a file's columns.
pub fn notes(columns: &CurColumns, optional: &OptionalColumns, names: &[&str]) -> Vec<String> {
    let mut notes = Vec::new();
    if columns.format == CurFormat::Focus {
        // Only AWS's FOCUS ("with Amazon columns": x_ServiceCode, x_UsageType,
        // x_Operation) has an AWS data-transfer service to miss; other clouds'
        // files are not told about AWS.
        if optional.get(Field::UsageType).is_some_and(|c| canonical(&c.name) == "x_usage_type")
            || canonical(&columns.service.name) == "x_service_code"
        {
            notes.push(
                "FOCUS data has no AWSDataTransfer service: transfer costs are counted under the service that moved the data"
                    .into(),
            );
        }
        // FOCUS 1.3 splits shared costs over the resources that used them.
        if names.iter().any(|name| canonical(name) == "allocated_method_id") {
            notes.push(
                "Some costs may be split (AllocatedMethodId): group by Allocation method to see how much of the cost carries a split, by Allocated resource to see where it went"
                    .into(),
            );
        }
        // FOCUS 1.2 prices in a currency of its own beside the billing one.
        if optional.get(Field::PricingCurrency).is_some() {
            notes.push(
                "Amounts are in the billing currency (BillingCurrency), as invoiced; the measure \"Pricing currency (amortized)\" (--measure pricing) sums PricingCurrencyEffectiveCost in its PricingCurrency"
                    .into(),
            );
        }
        if canonical(&columns.service.name) == "service_name" {
            notes.push(
                "Services are FOCUS display names (no x_ServiceCode column); discounts are matched to them by name"
                    .into(),
            );
        }
    }
    if canonical(&columns.service.name) == "line_item_product_code" {
        notes.push(format!("No product_servicecode column: services are taken from {}", columns.service.name));
    }
    if optional.get(Field::Currency).is_none() {
        notes.push(format!("No currency column: the amounts are taken to be in {ASSUMED_CURRENCY}"));
    }
    notes
}

/// The one spelling names are compared in: snake case, lower case, separators as `_`.
///
/// `lineItem/UnblendedCost`, `Line_Item_Unblended_Cost` and `line_item_unblended_cost`
/// all become `line_item_unblended_cost`; `BilledCost` becomes `billed_cost`.
pub fn canonical(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    let mut previous: Option<char> = None;
    for c in name.trim().chars() {
        if matches!(c, '/' | ':' | ' ' | '-' | '.') {
            out.push('_');
        } else if c.is_uppercase() {
            if previous.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit()) {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
        previous = Some(c);
    }
    out
}

fn looked_for(role: &Role) -> String {
    let spell = |candidates: &[Candidate]| candidates.iter().map(|c| c.shown).collect::<Vec<_>>().join(" or ");
    format!("{} in CUR, {} in FOCUS", spell(role.cur), spell(role.focus))
}

/// A short account of the columns a file has, leading with the ones whose names
/// look related to what was missing, so the reader can spot a renamed column.
fn describe(names: &[&str], what: &str) -> String {
    const SHOWN: usize = 8;
    if names.is_empty() {
        return "no columns".into();
    }
    let keyword = what.split_whitespace().last().unwrap_or(what);
    let (related, others): (Vec<&str>, Vec<&str>) = names.iter().partition(|name| canonical(name).contains(keyword));
    let listed: Vec<&str> = related.iter().chain(others.iter()).take(SHOWN).copied().collect();
    let more = names.len().saturating_sub(listed.len());
    let count = if names.len() == 1 { "1 column".to_owned() } else { format!("{} columns", names.len()) };
    let tail = if more > 0 { format!(", and {more} more") } else { String::new() };
    format!("{count}: {}{tail}", listed.join(", "))
}

/// The optional columns a file has (see the [catalogue](super::catalogue)), each
/// where the file holds it. Old exports lack some; FOCUS names them differently.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionalColumns {
    /// In [`Field`] order, each field at most once.
    columns: Vec<(Field, Column)>,
}

impl OptionalColumns {
    /// The column holding `field`, if the file has one.
    pub fn get(&self, field: Field) -> Option<&Column> {
        self.columns.iter().find(|(f, _)| *f == field).map(|(_, column)| column)
    }

    /// Every column that is present, in [`Field`] order.
    pub fn present(&self) -> impl Iterator<Item = (Field, &Column)> {
        self.columns.iter().map(|(field, column)| (*field, column))
    }

    /// Leaves `field` out (the file has it, but it cannot be used).
    pub fn remove(&mut self, field: Field) {
        self.columns.retain(|(f, _)| *f != field);
    }
}

/// Finds the optional columns among `names`, for a report of `format`. A name
/// that appears twice is taken at its first place.
pub fn detect_optional(names: &[&str], format: CurFormat) -> OptionalColumns {
    let canonical_names: Vec<String> = names.iter().map(|name| canonical(name)).collect();
    // The product code is a fallback only beside a service code; without one it
    // is the service column itself.
    let has_service_code = canonical_names.iter().any(|name| name == SERVICE.cur[0].canonical);
    let columns = CATALOGUE
        .iter()
        .filter(|entry| entry.field != Field::ProductCode || has_service_code)
        .filter_map(|entry| {
            entry.names(format).iter().find_map(|wanted| {
                // `product['product_name']`: the key `product_name` inside the column `product`.
                let (wanted, key) = match wanted.split_once("['") {
                    Some((column, key)) => (column, Some(key.trim_end_matches("']").to_owned())),
                    None => (*wanted, None),
                };
                let index = canonical_names.iter().position(|name| name == wanted)?;
                Some((entry.field, Column { index, name: names[index].to_owned(), key }))
            })
        })
        .collect();
    OptionalColumns { columns }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(names: &[&str], format: CurFormat, expected: [&str; 3]) {
        let found = detect(names).unwrap();
        assert_eq!(found.format, format);
        assert_eq!(
            [found.line_item_type.name.as_str(), found.service.name.as_str(), found.cost.name.as_str()],
            expected
        );
    }

    #[test]
    fn canonical_spelling_meets_across_conventions() {
        for name in [
            "lineItem/UnblendedCost",
            "Line_Item_Unblended_Cost",
            "line_item_unblended_cost",
            "LINE_ITEM_UNBLENDED_COST",
        ] {
            assert_eq!(canonical(name), "line_item_unblended_cost", "{name}");
        }
        assert_eq!(canonical("product/servicecode"), "product_servicecode");
        assert_eq!(canonical("BilledCost"), "billed_cost");
        assert_eq!(canonical("x_ServiceCode"), "x_service_code");
    }

    #[test]
    fn detects_legacy_athena_names() {
        check(
            &["identity_line_item_id", "line_item_line_item_type", "line_item_unblended_cost", "product_servicecode"],
            CurFormat::LegacyCur,
            ["line_item_line_item_type", "product_servicecode", "line_item_unblended_cost"],
        );
    }

    #[test]
    fn detects_csv_style_names() {
        check(
            &["lineItem/LineItemType", "lineItem/UnblendedCost", "product/servicecode", "lineItem/ProductCode"],
            CurFormat::LegacyCurCsvNames,
            ["lineItem/LineItemType", "product/servicecode", "lineItem/UnblendedCost"],
        );
    }

    #[test]
    fn detects_cur2_and_falls_back_to_product_code() {
        check(
            &[
                "bill_payer_account_name",
                "line_item_line_item_type",
                "line_item_product_code",
                "line_item_unblended_cost",
            ],
            CurFormat::Cur2,
            ["line_item_line_item_type", "line_item_product_code", "line_item_unblended_cost"],
        );
    }

    #[test]
    fn detects_focus_preferring_service_code() {
        check(
            &["BilledCost", "ChargeCategory", "ServiceName", "x_ServiceCode"],
            CurFormat::Focus,
            ["ChargeCategory", "x_ServiceCode", "BilledCost"],
        );
        check(
            &["BilledCost", "ChargeCategory", "ServiceName"],
            CurFormat::Focus,
            ["ChargeCategory", "ServiceName", "BilledCost"],
        );
    }

    #[test]
    fn matches_names_ignoring_case() {
        check(
            &["Line_Item_Line_Item_Type", "Product_Servicecode", "Line_Item_Unblended_Cost"],
            CurFormat::LegacyCur,
            ["Line_Item_Line_Item_Type", "Product_Servicecode", "Line_Item_Unblended_Cost"],
        );
    }

    #[test]
    fn missing_cost_names_what_was_looked_for_and_found() {
        let error = detect(&["line_item_line_item_type", "product_servicecode", "line_item_blended_cost"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "No cost column found; looked for line_item_unblended_cost (lineItem/UnblendedCost) in CUR, \
             BilledCost in FOCUS. The file has 3 columns: line_item_blended_cost, line_item_line_item_type, product_servicecode. \
             ducks reads AWS Cost and Usage Reports (legacy CUR, or a CUR 2.0 or FOCUS 1.0 export from Billing \
             and Cost Management → Data Exports), as Parquet or CSV"
        );
    }

    #[test]
    fn duplicate_names_are_refused_as_ambiguous() {
        let error = detect(&[
            "line_item_line_item_type",
            "product_servicecode",
            "line_item_unblended_cost",
            "Line_Item_Unblended_Cost",
        ])
        .unwrap_err();
        assert_eq!(error, Error::AmbiguousColumn { role: "cost", name: "line_item_unblended_cost".into(), count: 2 });
    }

    #[test]
    fn explore_columns_follow_the_format() {
        let legacy = detect_optional(
            &["lineItem/UsageAccountId", "product/region", "lineItem/UsageType", "lineItem/UsageStartDate"],
            CurFormat::LegacyCurCsvNames,
        );
        assert_eq!(legacy.get(Field::Account).unwrap().name, "lineItem/UsageAccountId");
        assert_eq!(legacy.get(Field::Region).unwrap().name, "product/region");
        assert_eq!(legacy.get(Field::UsageStart).unwrap().index, 3);
        assert!(legacy.get(Field::Operation).is_none() && legacy.get(Field::NetUnblended).is_none());

        let cur2 = detect_optional(&["product_region", "product_region_code"], CurFormat::Cur2);
        assert_eq!(cur2.get(Field::Region).unwrap().name, "product_region_code", "CUR 2.0 renamed the region column");

        let focus = detect_optional(
            &["SubAccountId", "RegionId", "SkuMeter", "ChargePeriodStart", "BilledCost", "EffectiveCost"],
            CurFormat::Focus,
        );
        assert_eq!(focus.get(Field::UsageType).unwrap().name, "SkuMeter");
        assert_eq!(focus.get(Field::EffectiveCost).unwrap().name, "EffectiveCost");
        assert_eq!(focus.present().count(), 6);
    }

    #[test]
    fn no_columns_at_all() {
        let error = detect(&[]).unwrap_err();
        assert!(error.to_string().contains("The file has no columns. ducks reads"), "{error}");
    }

    #[test]
    fn notes_follow_the_provider() {
        let notes_of = |names: &[&str]| {
            let found = detect(names).unwrap();
            notes(&found, &detect_optional(names, found.format), names)
        };
        let aws = notes_of(&["ChargeCategory", "BilledCost", "x_ServiceCode", "ServiceName", "BillingCurrency"]);
        assert!(aws.iter().any(|n| n.contains("AWSDataTransfer")), "{aws:?}");
        let azure = notes_of(&[
            "ChargeCategory",
            "BilledCost",
            "ServiceName",
            "BillingCurrency",
            "x_BilledCostInUsd",
            "ProviderName",
        ]);
        assert!(azure.iter().all(|n| !n.contains("AWS")), "{azure:?}");
        // Legacy CUR beside its product code: the product code names rows of no service code.
        let names =
            ["line_item_line_item_type", "product_servicecode", "line_item_unblended_cost", "line_item_product_code"];
        assert!(detect_optional(&names, CurFormat::LegacyCur).get(Field::ProductCode).is_some());
        let names = ["line_item_line_item_type", "line_item_unblended_cost", "line_item_product_code"];
        assert!(
            detect_optional(&names, CurFormat::LegacyCur).get(Field::ProductCode).is_none(),
            "it is the service itself"
        );
    }
}

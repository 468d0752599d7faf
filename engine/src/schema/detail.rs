//! The dimensions with too many values to keep in the explorer's cube: the
//! resource, a user tag, a cost category, the commitment that paid a row. Each is read on demand, by a scan of
//! just the columns it needs, into the cube's [`Detail`](crate::Dimension::Detail)
//! slot; this module says which column (and which key inside it) holds one.
//!
//! Where they live:
//! - the resource: `line_item_resource_id`, FOCUS `ResourceId`;
//! - a user tag `team`: legacy CUR's own column per tag (`resource_tags_user_team`,
//!   CSV `resourceTags/user:team`), CUR 2.0's `resource_tags` (key `user_team`),
//!   FOCUS `Tags` (key `user:team` or `team`);
//! - a cost category `Team`: legacy CUR's `cost_category_team` (CSV
//!   `costCategory/Team`), CUR 2.0's `cost_category`, FOCUS `x_CostCategories`
//!   (key `Team`);
//! - the Savings Plan or the reservation that paid a row: CUR's
//!   `savings_plan_savings_plan_a_r_n` and `reservation_reservation_a_r_n`;
//!   FOCUS names either in one column, `CommitmentDiscountId`, which both read
//!   there (its ids are the same ARNs, which say their kind);
//! - the invoice: CUR's `bill_invoice_id` (empty until AWS issues the
//!   month's invoice), FOCUS 1.2+ `InvoiceId`; its issuer, the host provider,
//!   the publisher, the charge class (FOCUS's corrections).
//!
//! The CUR 2.0 and FOCUS columns are key → value pairs: JSON text (CSV, and
//! some Parquet writers) or a Parquet map.

use serde::{Deserialize, Serialize};

use super::catalogue::{CATALOGUE, Entry, Field};
use super::columns::{Column, CurFormat, canonical};

/// A dimension read on demand.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Detail {
    /// The resource (an ARN or an id such as `i-0abc…`).
    Resource,
    /// A user tag, by its key as a person writes it (`team`, `CostCenter`).
    Tag(String),
    /// A cost category, by its name.
    CostCategory(String),
    /// The Savings Plan that paid a row (its ARN): the usage it covered.
    SavingsPlan,
    /// The reservation that paid a row (its ARN): the usage it covered.
    Reservation,
    /// The invoice a row is billed on: CUR `bill_invoice_id`, FOCUS 1.2+ `InvoiceId`.
    Invoice,
    /// Who issued the invoice: CUR `bill_invoicing_entity`, FOCUS `InvoiceIssuerName`.
    InvoiceIssuer,
    /// FOCUS 1.3 `HostProviderName`: whose infrastructure the service runs on.
    HostProvider,
    /// FOCUS `PublisherName`: who made the service (a marketplace seller, say).
    Publisher,
    /// FOCUS `ChargeClass`: `Correction` for rows correcting an earlier period.
    ChargeClass,
    /// FOCUS 1.3 `AllocatedMethodId`: how a shared cost was split, on its split rows.
    AllocationMethod,
    /// FOCUS 1.3 `AllocatedResourceId`: the resource a split row's cost went to.
    AllocatedResource,
    /// A tag of a split row (FOCUS 1.3 `AllocatedTags`), by its key: the
    /// tags of the resource the cost went to.
    AllocatedTag(String),
}

/// A column's catalogue entry, in a constant: the names a detail reads where
/// another scan reads the same column are the catalogue's.
const fn column(field: Field) -> &'static Entry {
    &CATALOGUE[field as usize]
}

/// What is known of a detail read from one column of its own, in one table
/// ([`Detail::fixed`]).
struct Fixed {
    key: &'static str,
    label: &'static str,
    /// How a row without it is shown.
    empty: &'static str,
    /// Its column's canonical names in CUR (legacy and 2.0), and in FOCUS.
    cur: &'static [&'static str],
    focus: &'static [&'static str],
    /// What to say when no file has its column.
    lacking: &'static str,
}

/// Canonical prefixes of legacy CUR's column per user tag and per cost category.
const TAG_PREFIX: &str = "resource_tags_user_";
const CATEGORY_PREFIX: &str = "cost_category_";

impl Detail {
    /// The details read from one column of their own, whatever the file (not a
    /// key a person names): offered wherever a file has their column.
    pub const FIXED: [Detail; 10] = [
        Detail::Resource,
        Detail::SavingsPlan,
        Detail::Reservation,
        Detail::Invoice,
        Detail::InvoiceIssuer,
        Detail::HostProvider,
        Detail::Publisher,
        Detail::ChargeClass,
        Detail::AllocationMethod,
        Detail::AllocatedResource,
    ];

    /// The facts of a detail read from one column of its own; `None` for a
    /// tag or a cost category, which a person names.
    const fn fixed(&self) -> Option<Fixed> {
        const fn f(
            key: &'static str,
            label: &'static str,
            empty: &'static str,
            cur: &'static [&'static str],
            focus: &'static [&'static str],
            lacking: &'static str,
        ) -> Option<Fixed> {
            Some(Fixed { key, label, empty, cur, focus, lacking })
        }
        match self {
            Detail::Resource => f(
                "resource",
                "Resource",
                "(no resource id)",
                column(Field::ResourceId).legacy,
                column(Field::ResourceId).focus,
                Self::NO_RESOURCE_IDS,
            ),
            Detail::SavingsPlan => f(
                "savings-plan",
                "Savings Plan",
                "(not covered by a Savings Plan)",
                column(Field::SavingsPlanArn).legacy,
                column(Field::CommitmentId).focus,
                "the files have no Savings Plan column (savings_plan_savings_plan_a_r_n; FOCUS CommitmentDiscountId): \
                 no usage in them was paid by a Savings Plan",
            ),
            Detail::Reservation => f(
                "reservation",
                "Reservation",
                "(not covered by a reservation)",
                column(Field::ReservationArn).legacy,
                column(Field::CommitmentId).focus,
                "the files have no reservation column (reservation_reservation_a_r_n; FOCUS CommitmentDiscountId): \
                 no usage in them was paid by a reservation",
            ),
            Detail::Invoice => f(
                "invoice",
                "Invoice",
                "(not invoiced yet)",
                column(Field::InvoiceId).legacy,
                column(Field::InvoiceId).focus,
                "the files have no invoice id column (bill_invoice_id; FOCUS 1.2+ InvoiceId), \
                 so their costs cannot be tied to invoices",
            ),
            Detail::InvoiceIssuer => f(
                "invoice-issuer",
                "Invoice issuer",
                "(no issuer)",
                column(Field::InvoiceIssuer).legacy,
                column(Field::InvoiceIssuer).focus,
                "the files have no invoice issuer column (bill_invoicing_entity; FOCUS InvoiceIssuerName)",
            ),
            Detail::HostProvider => f(
                "host-provider",
                "Host provider",
                "(no host provider)",
                &[],
                &["host_provider_name"],
                "the files have no host provider column (FOCUS 1.3 HostProviderName)",
            ),
            Detail::Publisher => f(
                "publisher",
                "Publisher",
                "(no publisher)",
                &[],
                &["publisher_name"],
                "the files have no publisher column (FOCUS PublisherName)",
            ),
            Detail::ChargeClass => f(
                "charge-class",
                "Charge class",
                "(regular)",
                &[],
                &["charge_class"],
                "the files have no charge class column (FOCUS ChargeClass): CUR marks its corrections with \
                 line item types such as Refund and Credit",
            ),
            Detail::AllocationMethod => f(
                "allocation-method",
                "Allocation method",
                "(not allocated)",
                &[],
                &["allocated_method_id"],
                "the files have no allocation column (FOCUS 1.3 AllocatedMethodId): none of their costs is split",
            ),
            Detail::AllocatedResource => f(
                "allocated-resource",
                "Allocated resource",
                "(not allocated)",
                &[],
                &["allocated_resource_id"],
                "the files have no allocated resource column (FOCUS 1.3 AllocatedResourceId): none of their costs is split",
            ),
            Detail::Tag(_) | Detail::CostCategory(_) | Detail::AllocatedTag(_) => None,
        }
    }

    /// Its short stable name: `resource`, `savings-plan`, `invoice`…,
    /// `tag:KEY`, `cost-category:NAME`.
    pub fn key(&self) -> String {
        match self {
            Detail::Tag(key) => format!("tag:{key}"),
            Detail::AllocatedTag(key) => format!("allocated-tag:{key}"),
            Detail::CostCategory(name) => format!("cost-category:{name}"),
            other => other.fixed().map_or_else(String::new, |fixed| fixed.key.into()),
        }
    }

    /// The detail with this [`key`](Self::key); `None` for anything else,
    /// including a tag or category without a name.
    pub fn from_key(key: &str) -> Option<Detail> {
        if let Some(fixed) = Self::FIXED.into_iter().find(|d| d.key() == key) {
            return Some(fixed);
        }
        let (kind, name) = key.split_once(':')?;
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        match kind {
            "tag" => Some(Detail::Tag(name.to_owned())),
            "allocated-tag" => Some(Detail::AllocatedTag(name.to_owned())),
            "cost-category" => Some(Detail::CostCategory(name.to_owned())),
            _ => None,
        }
    }

    /// A name for people: "Resource", "Tag team", "Cost category Team".
    pub fn label(&self) -> String {
        match self {
            Detail::Tag(key) => format!("Tag {key}"),
            Detail::AllocatedTag(key) => format!("Allocated tag {key}"),
            Detail::CostCategory(name) => format!("Cost category {name}"),
            other => other.fixed().map_or_else(String::new, |fixed| fixed.label.into()),
        }
    }

    /// What the files lack when none has a resource id column, and how to
    /// get one: said by the page and the command line alike.
    pub const NO_RESOURCE_IDS: &'static str = "the files have no resource id column (line_item_resource_id; FOCUS ResourceId): \
         turn on \"Include resource IDs\" in the export to see costs by resource";

    /// Whether it is read from one column of its own ([`FIXED`](Self::FIXED)).
    pub fn is_fixed(&self) -> bool {
        self.fixed().is_some()
    }

    /// How a row without it is shown: the explicit "untagged" group.
    pub fn empty_label(&self) -> &'static str {
        match self {
            Detail::Tag(_) => "(untagged)",
            Detail::AllocatedTag(_) => "(not allocated)",
            Detail::CostCategory(_) => "(no cost category)",
            other => other.fixed().map_or("", |fixed| fixed.empty),
        }
    }

    /// The column of a file with these top-level column `names` (as written)
    /// that holds it, with the key inside that column where it is one of key →
    /// value pairs; `None` when the file does not have it.
    pub fn column(&self, names: &[String], format: CurFormat) -> Option<Column> {
        let find = |wanted: &str, key: Option<String>| {
            let index = names.iter().position(|name| canonical(name) == wanted)?;
            Some(Column { index, name: names[index].clone(), key })
        };
        if let Some(fixed) = self.fixed() {
            let names = if format == CurFormat::Focus { fixed.focus } else { fixed.cur };
            return names.iter().find_map(|wanted| find(wanted, None));
        }
        match (self, format) {
            (Detail::Tag(key), CurFormat::LegacyCur | CurFormat::LegacyCurCsvNames) => {
                find(&format!("{TAG_PREFIX}{}", canonical(key)), None)
            }
            (Detail::Tag(key), CurFormat::Cur2) => find("resource_tags", Some(format!("user_{key}"))),
            // FOCUS writes user tags with the prefix or without it, depending on the provider.
            (Detail::Tag(key), CurFormat::Focus) => find("tags", Some(format!("user:{key}\n{key}"))),
            (Detail::CostCategory(name), CurFormat::LegacyCur | CurFormat::LegacyCurCsvNames) => {
                find(&format!("{CATEGORY_PREFIX}{}", canonical(name)), None)
            }
            (Detail::CostCategory(name), CurFormat::Cur2) => find("cost_category", Some(name.clone())),
            (Detail::CostCategory(name), CurFormat::Focus) => find("x_cost_categories", Some(name.clone())),
            (Detail::AllocatedTag(key), CurFormat::Focus) => find("allocated_tags", Some(key.clone())),
            _ => None,
        }
    }

    /// The column of account names beside the ids (CUR 2.0
    /// `line_item_usage_account_name`, FOCUS `SubAccountName`; legacy CUR has
    /// none), read as a detail to learn each account's name.
    pub fn account_name_column(names: &[String], format: CurFormat) -> Option<Column> {
        let wanted = match format {
            CurFormat::Cur2 => "line_item_usage_account_name",
            CurFormat::Focus => "sub_account_name",
            CurFormat::LegacyCur | CurFormat::LegacyCurCsvNames => return None,
        };
        let index = names.iter().position(|name| canonical(name) == wanted)?;
        Some(Column { index, name: names[index].clone(), key: None })
    }

    /// The column of key → value pairs that holds every value of this kind in
    /// a file of `format` (CUR 2.0's `resource_tags`), whose keys are learned
    /// only from the data; `None` where each tag has a column of its own (legacy
    /// CUR) or for the resource.
    pub fn pairs_column(&self, names: &[String], format: CurFormat) -> Option<Column> {
        let wanted = match (self, format) {
            (Detail::Tag(_), CurFormat::Cur2) => "resource_tags",
            (Detail::Tag(_), CurFormat::Focus) => "tags",
            (Detail::AllocatedTag(_), CurFormat::Focus) => "allocated_tags",
            (Detail::CostCategory(_), CurFormat::Cur2) => "cost_category",
            (Detail::CostCategory(_), CurFormat::Focus) => "x_cost_categories",
            _ => return None,
        };
        let index = names.iter().position(|name| canonical(name) == wanted)?;
        Some(Column { index, name: names[index].clone(), key: None })
    }

    /// The keys (tags) or names (cost categories) a file of `format` has a
    /// column for, as the column names spell them (legacy CUR). Empty for the
    /// other flavours, whose keys are in the data: see [`key_of_pair`].
    pub fn names_in_columns(&self, names: &[String], format: CurFormat) -> Vec<String> {
        let prefix = match (self, format) {
            (Detail::Tag(_), CurFormat::LegacyCur | CurFormat::LegacyCurCsvNames) => TAG_PREFIX,
            (Detail::CostCategory(_), CurFormat::LegacyCur | CurFormat::LegacyCurCsvNames) => CATEGORY_PREFIX,
            _ => return Vec::new(),
        };
        names
            .iter()
            .filter(|name| canonical(name).starts_with(prefix))
            .map(|name| {
                // The part after the prefix, as written: `resourceTags/user:CostCenter` → `CostCenter`.
                let cut = name
                    .rfind([':', '/'])
                    .map_or_else(|| canonical(name)[prefix.len()..].to_owned(), |at| name[at + 1..].to_owned());
                if cut.is_empty() { canonical(name)[prefix.len()..].to_owned() } else { cut }
            })
            .collect()
    }

    /// What to say of a question about this detail when no file has its
    /// column or no row has it: `None` when the files do know it (its rows are
    /// only empty); else a sentence naming the keys they hold (`known`: tags or
    /// cost categories, by name or found inside their columns of pairs), or,
    /// for the resource, that they have no resource ids. Lower case, to follow
    /// "ducks: " or to be capitalised.
    pub fn lacking(&self, known: &[String]) -> Option<String> {
        let (wanted, what) = match self {
            Detail::Tag(key) => (key, "tag"),
            Detail::AllocatedTag(key) => (key, "allocated tag"),
            Detail::CostCategory(name) => (name, "cost category"),
            other => return other.fixed().map(|fixed| fixed.lacking.into()),
        };
        if known.iter().any(|k| canonical(k) == canonical(wanted)) {
            return None;
        }
        let mut known = known.to_vec();
        known.sort_by_key(|k| canonical(k));
        known.dedup_by_key(|k| canonical(k));
        Some(if known.is_empty() {
            format!("the files have no {what} {wanted:?}, nor any other {what}")
        } else {
            format!("the files have no {what} {wanted:?}; the ones they have: {}", known.join(", "))
        })
    }

    /// The tag key or category name a key found inside a column of key → value
    /// pairs stands for (CUR 2.0's `user_team` → `team`); `None` for keys that
    /// are not of this kind (CUR 2.0's AWS tags, `aws_createdBy`).
    pub fn key_of_pair<'a>(&self, key: &'a str, format: CurFormat) -> Option<&'a str> {
        match (self, format) {
            (Detail::Tag(_), CurFormat::Cur2) => key.strip_prefix("user_"),
            (Detail::Tag(_), CurFormat::Focus) => Some(key.strip_prefix("user:").unwrap_or(key)),
            (Detail::AllocatedTag(_), CurFormat::Focus) => Some(key),
            (Detail::CostCategory(_), _) => Some(key),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn keys_round_trip_and_nameless_ones_are_refused() {
        for detail in
            [Detail::Tag("team".into()), Detail::CostCategory("Cost Centre".into()), Detail::AllocatedTag("app".into())]
                .into_iter()
                .chain(Detail::FIXED)
        {
            assert_eq!(Detail::from_key(&detail.key()), Some(detail));
        }
        assert_eq!(Detail::from_key("tag:"), None);
        assert_eq!(Detail::from_key("label:x"), None);
        assert_eq!(Detail::from_key("service"), None);
    }

    #[test]
    fn a_tag_is_found_in_every_layout() {
        let athena = names(&["line_item_unblended_cost", "resource_tags_user_cost_center"]);
        let found = Detail::Tag("cost_center".into()).column(&athena, CurFormat::LegacyCur).unwrap();
        assert_eq!((found.index, found.key), (1, None));
        let csv = names(&["lineItem/UnblendedCost", "resourceTags/user:CostCenter"]);
        let found = Detail::Tag("CostCenter".into()).column(&csv, CurFormat::LegacyCurCsvNames).unwrap();
        assert_eq!(found.name, "resourceTags/user:CostCenter");
        assert_eq!(
            Detail::Tag("CostCenter".into()).names_in_columns(&csv, CurFormat::LegacyCurCsvNames),
            ["CostCenter"]
        );
        assert_eq!(Detail::Tag("x".into()).names_in_columns(&athena, CurFormat::LegacyCur), ["cost_center"]);
        let cur2 = names(&["resource_tags", "cost_category"]);
        assert_eq!(
            Detail::Tag("team".into()).column(&cur2, CurFormat::Cur2).unwrap().key.as_deref(),
            Some("user_team")
        );
        assert_eq!(Detail::CostCategory("Team".into()).column(&cur2, CurFormat::Cur2).unwrap().index, 1);
        let focus = names(&["BilledCost", "Tags", "x_CostCategories"]);
        assert_eq!(
            Detail::Tag("team".into()).column(&focus, CurFormat::Focus).unwrap().key.as_deref(),
            Some("user:team\nteam")
        );
        assert_eq!(Detail::Tag("team".into()).column(&athena, CurFormat::LegacyCur), None);
        assert_eq!(Detail::Resource.column(&focus, CurFormat::Focus), None);
        assert_eq!(Detail::Tag("x".into()).key_of_pair("user_team", CurFormat::Cur2), Some("team"));
        assert_eq!(Detail::Tag("x".into()).key_of_pair("aws_createdBy", CurFormat::Cur2), None);
        assert_eq!(Detail::Tag("x".into()).key_of_pair("user:team", CurFormat::Focus), Some("team"));
    }

    #[test]
    fn the_commitment_that_paid_a_row_is_found_in_every_layout() {
        let cur2 = names(&["reservation_reservation_a_r_n", "savings_plan_savings_plan_a_r_n"]);
        assert_eq!(Detail::SavingsPlan.column(&cur2, CurFormat::Cur2).unwrap().index, 1);
        assert_eq!(Detail::Reservation.column(&cur2, CurFormat::LegacyCur).unwrap().index, 0);
        let csv = names(&["reservation/ReservationARN", "savingsPlan/SavingsPlanARN"]);
        assert_eq!(Detail::SavingsPlan.column(&csv, CurFormat::LegacyCurCsvNames).unwrap().index, 1);
        assert_eq!(Detail::Reservation.column(&csv, CurFormat::LegacyCurCsvNames).unwrap().index, 0);
        let focus = names(&["BilledCost", "CommitmentDiscountId"]);
        for detail in [Detail::SavingsPlan, Detail::Reservation] {
            assert_eq!(detail.column(&focus, CurFormat::Focus).unwrap().index, 1);
            assert!(detail.is_fixed() && detail.lacking(&[]).is_some());
        }
        assert_eq!(Detail::SavingsPlan.column(&names(&["line_item_unblended_cost"]), CurFormat::Cur2), None);
        assert_eq!(Detail::Invoice.column(&names(&["bill/InvoiceId"]), CurFormat::LegacyCurCsvNames).unwrap().index, 0);
        assert_eq!(Detail::Invoice.column(&names(&["x", "InvoiceId"]), CurFormat::Focus).unwrap().index, 1);
        let focus13 = names(&["HostProviderName", "PublisherName", "ChargeClass", "InvoiceIssuerName"]);
        for (at, detail) in [Detail::HostProvider, Detail::Publisher, Detail::ChargeClass, Detail::InvoiceIssuer]
            .into_iter()
            .enumerate()
        {
            assert_eq!(detail.column(&focus13, CurFormat::Focus).unwrap().index, at, "{detail:?}");
            assert_eq!(detail.column(&focus13, CurFormat::Cur2), None, "{detail:?}");
        }
        assert_eq!(
            Detail::InvoiceIssuer
                .column(&names(&["bill/InvoicingEntity"]), CurFormat::LegacyCurCsvNames)
                .unwrap()
                .index,
            0
        );
        assert_eq!(Detail::ChargeClass.empty_label(), "(regular)");
    }
}

//! The words every room of the engine shares about a question: what costs can
//! be grouped by ([`Dimension`]) and which cost is summed ([`Measure`]).

use serde::{Deserialize, Serialize};

use crate::schema::catalogue::Field;

/// A dimension's facts (see [`Dimension::facts`]).
struct Facts {
    slot: Option<usize>,
    field: Option<Field>,
    label: &'static str,
    key: &'static str,
}

/// How many text labels a cell key has: one per [`Dimension::LABELS`].
pub const TEXT_DIMENSIONS: usize = 10;

/// What costs can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dimension {
    /// The service code (the costs page's grouping).
    Service,
    /// The account that used the resource.
    Account,
    /// The region.
    Region,
    /// The usage type.
    UsageType,
    /// The operation.
    Operation,
    /// The line item type (FOCUS: charge category).
    LineItemType,
    /// The currency of the amounts.
    Currency,
    /// The unit of the usage quantity.
    Unit,
    /// The cloud that provided the service (FOCUS `ServiceProviderName` or
    /// `ProviderName`; AWS for every CUR layout).
    Provider,
    /// What an on-demand scan was asked for ([`Detail`](crate::Detail): a tag, a
    /// cost category, the resource): too many values to keep otherwise, so
    /// empty in the explorer's own cube.
    Detail,
    /// The calendar month of the usage.
    Month,
    /// The day of the usage.
    Day,
}

impl Dimension {
    /// The text dimensions, in the order of a cell key's labels.
    pub const LABELS: [Dimension; TEXT_DIMENSIONS] = [
        Dimension::Service,
        Dimension::Account,
        Dimension::Region,
        Dimension::UsageType,
        Dimension::Operation,
        Dimension::LineItemType,
        Dimension::Currency,
        Dimension::Unit,
        Dimension::Provider,
        Dimension::Detail,
    ];

    /// Every dimension the explorer's own cube answers, in the order a picker
    /// shows them: the text ones, then time. [`Detail`](Self::Detail) is not
    /// among them: only an on-demand scan fills it.
    pub const ALL: [Dimension; TEXT_DIMENSIONS + 1] = {
        let mut all = [Dimension::Day; TEXT_DIMENSIONS + 1];
        let mut i = 0;
        while i < TEXT_DIMENSIONS - 1 {
            all[i] = Self::LABELS[i];
            i += 1;
        }
        all[TEXT_DIMENSIONS - 1] = Dimension::Month;
        all
    };

    const _DETAIL_IS_LAST: () = assert!(matches!(Self::LABELS[TEXT_DIMENSIONS - 1], Dimension::Detail));

    /// Everything known of a dimension, in one table: its slot in a cell key
    /// (text dimensions), the optional column it is read from, its name for
    /// people and its key for links and files.
    const fn facts(self) -> Facts {
        use Dimension::*;
        const fn f(slot: Option<usize>, field: Option<Field>, label: &'static str, key: &'static str) -> Facts {
            Facts { slot, field, label, key }
        }
        match self {
            Service => f(Some(0), None, "Service", "service"),
            Account => f(Some(1), Some(Field::Account), "Account", "account"),
            Region => f(Some(2), Some(Field::Region), "Region", "region"),
            UsageType => f(Some(3), Some(Field::UsageType), "Usage type", "usage-type"),
            Operation => f(Some(4), Some(Field::Operation), "Operation", "operation"),
            LineItemType => f(Some(5), None, "Line item type", "line-item-type"),
            Currency => f(Some(6), Some(Field::Currency), "Currency", "currency"),
            Unit => f(Some(7), Some(Field::Unit), "Unit", "unit"),
            Provider => f(Some(8), Some(Field::Provider), "Provider", "provider"),
            Detail => f(Some(9), None, "Detail", "detail"),
            Month => f(None, None, "Month", "month"),
            Day => f(None, None, "Day", "day"),
        }
    }

    /// Its slot in a cell key, for the text dimensions (its place in [`LABELS`](Self::LABELS)).
    pub const fn slot(self) -> Option<usize> {
        self.facts().slot
    }

    /// The optional column a text dimension is read from; `None` for the service
    /// and the line item type (required columns), the detail and the dates.
    pub const fn field(self) -> Option<Field> {
        self.facts().field
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        self.facts().label
    }

    /// A short stable name, for links and files.
    pub fn key(self) -> &'static str {
        self.facts().key
    }

    /// The dimension with this [`key`](Self::key).
    pub fn from_key(key: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.key() == key)
    }
}

/// Which cost is summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Measure {
    /// `line_item_unblended_cost` / FOCUS `BilledCost` (the costs page's).
    Unblended,
    /// `line_item_net_unblended_cost` / FOCUS `BilledCost`: after private pricing.
    NetUnblended,
    /// Reservations and Savings Plans spread over the usage they cover
    /// (the CID formula) / FOCUS `EffectiveCost`.
    Amortized,
    /// `pricing_public_on_demand_cost` / FOCUS `ListCost`: at public on-demand prices.
    List,
    /// `line_item_usage_amount` / FOCUS `ConsumedQuantity`: how much was used, in
    /// its unit (not money).
    Usage,
    /// FOCUS 1.2 `PricingCurrencyEffectiveCost`, in `PricingCurrency`: the
    /// amortized cost in the currency the provider priced it in (rows without
    /// one: their amortized cost, in their billing currency).
    Pricing,
}

/// How many measures a cell sums.
pub const MEASURES: usize = Measure::ALL.len();

impl Measure {
    /// Every measure.
    pub const ALL: [Measure; 6] = [
        Measure::Unblended,
        Measure::NetUnblended,
        Measure::Amortized,
        Measure::List,
        Measure::Usage,
        Measure::Pricing,
    ];

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            Measure::Unblended => "Unblended",
            Measure::NetUnblended => "Net unblended",
            Measure::Amortized => "Amortized",
            Measure::List => "List (on-demand)",
            Measure::Usage => "Usage quantity",
            Measure::Pricing => "Pricing currency (amortized)",
        }
    }

    /// A short stable name, for links and files.
    pub fn key(self) -> &'static str {
        match self {
            Measure::Unblended => "unblended",
            Measure::NetUnblended => "net-unblended",
            Measure::Amortized => "amortized",
            Measure::List => "list",
            Measure::Usage => "usage",
            Measure::Pricing => "pricing",
        }
    }

    /// The measure with this [`key`](Self::key).
    pub fn from_key(key: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.key() == key)
    }

    /// What its sums are counted in, and never added across: the currency for
    /// costs, the unit for the usage quantity. A group's `currency` holds it.
    pub const fn denomination(self) -> Dimension {
        match self {
            Measure::Usage => Dimension::Unit,
            _ => Dimension::Currency,
        }
    }

    /// Whether it is an amount of money (the usage quantity is not).
    pub const fn is_money(self) -> bool {
        !matches!(self, Measure::Usage)
    }

    /// Its place in [`ALL`](Self::ALL), and in a cell's sums.
    pub const fn index(self) -> usize {
        match self {
            Measure::Unblended => 0,
            Measure::NetUnblended => 1,
            Measure::Amortized => 2,
            Measure::List => 3,
            Measure::Usage => 4,
            Measure::Pricing => 5,
        }
    }

    /// Whether the explorer's own cube, whose cells are in the billing
    /// currency, answers it: not the pricing currency's amounts, whose cells
    /// an on-demand scan keys by their own currency.
    pub const fn in_billing_cells(self) -> bool {
        !matches!(self, Measure::Pricing)
    }
}

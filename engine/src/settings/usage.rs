//! Which line item types count as usage. The original service counted `Usage`
//! only; other tools count more (the Cloud Intelligence Dashboards' "running
//! usage" also takes discounted and Savings Plan covered usage, for one), so the
//! presets below name theirs and the page lets people choose.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// A set of line item types (FOCUS: charge categories) whose rows count, or all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageRule {
    types: BTreeSet<String>,
    /// Every line item type counts, whatever `types` says.
    #[serde(default)]
    everything: bool,
    /// The original service's rule for services: rows with no service code are
    /// "(none)", not named by their product code.
    #[serde(default, skip_serializing_if = "is_false")]
    service_code_only: bool,
    /// Usage a commitment paid (0 unblended) counts at its public on-demand price.
    #[serde(default, skip_serializing_if = "is_false")]
    covered_at_list: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Default for UsageRule {
    /// The original service's rule, `line_item_line_item_type = 'Usage'`; FOCUS
    /// spells its charge category the same way.
    fn default() -> Self {
        UsagePreset::Original.rule()
    }
}

impl UsageRule {
    /// Exactly these types.
    pub fn of_types<'a>(types: impl IntoIterator<Item = &'a str>) -> UsageRule {
        UsageRule {
            types: types.into_iter().map(str::to_owned).collect(),
            everything: false,
            service_code_only: false,
            covered_at_list: false,
        }
    }

    /// Every line item type.
    pub fn everything() -> UsageRule {
        UsageRule { types: BTreeSet::new(), everything: true, service_code_only: false, covered_at_list: false }
    }

    /// Whether rows with no service code stay "(none)" (the original service's
    /// rule) rather than taking their product code.
    pub fn service_code_only(&self) -> bool {
        self.service_code_only
    }

    /// The rule with services named by their service code only, or not.
    pub fn with_service_code_only(&self, only: bool) -> UsageRule {
        UsageRule { service_code_only: only, ..self.clone() }
    }

    /// Whether usage paid by a commitment counts at its on-demand price.
    pub fn covered_at_list(&self) -> bool {
        self.covered_at_list
    }

    /// The rule with usage paid by a commitment counted at its on-demand price, or not.
    pub fn with_covered_at_list(&self, counted: bool) -> UsageRule {
        UsageRule { covered_at_list: counted, ..self.clone() }
    }

    /// Whether rows of this line item type count.
    pub fn counts(&self, line_item_type: &str) -> bool {
        self.everything || self.types.contains(line_item_type)
    }

    /// Whether every type counts.
    pub fn is_everything(&self) -> bool {
        self.everything
    }

    /// The types that count (empty when [`is_everything`](Self::is_everything)).
    pub fn types(&self) -> impl Iterator<Item = &str> {
        self.types.iter().map(String::as_str)
    }

    /// The rule with `line_item_type` counted or not.
    pub fn with(&self, line_item_type: &str, counted: bool) -> UsageRule {
        let mut rule = self.clone();
        if rule.everything {
            return rule;
        }
        if counted {
            rule.types.insert(line_item_type.to_owned());
        } else {
            rule.types.remove(line_item_type);
        }
        rule
    }

    /// The preset this rule's types are, if they are one (the service and
    /// commitment choices aside).
    pub fn preset(&self) -> Option<UsagePreset> {
        UsagePreset::ALL.into_iter().find(|preset| {
            let rule = preset.rule();
            rule.types == self.types && rule.everything == self.everything
        })
    }

    /// This rule's service and commitment choices on `other`'s types.
    pub fn choices_on(&self, other: UsageRule) -> UsageRule {
        UsageRule { service_code_only: self.service_code_only, covered_at_list: self.covered_at_list, ..other }
    }
}

/// What other tools count as usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UsagePreset {
    /// `Usage` only: the original ducks service (the default).
    Original,
    /// The Cloud Intelligence Dashboards' running usage: usage whether paid on
    /// demand, by a reservation or by a Savings Plan.
    RunningUsage,
    /// OpenCost: running usage plus enterprise and private-rate discounts.
    OpenCost,
    /// FOCUS `ChargeCategory = 'Usage'`: also Savings Plan negations and bundled discounts.
    Focus,
    /// Every line item, taxes, fees and credits included.
    Everything,
}

impl UsagePreset {
    /// Every preset, narrowest first.
    pub const ALL: [UsagePreset; 5] = [
        UsagePreset::Original,
        UsagePreset::RunningUsage,
        UsagePreset::OpenCost,
        UsagePreset::Focus,
        UsagePreset::Everything,
    ];

    /// The rule.
    pub fn rule(self) -> UsageRule {
        const RUNNING: [&str; 3] = ["Usage", "DiscountedUsage", "SavingsPlanCoveredUsage"];
        match self {
            UsagePreset::Original => UsageRule::of_types(["Usage"]),
            UsagePreset::RunningUsage => UsageRule::of_types(RUNNING),
            UsagePreset::OpenCost => {
                UsageRule::of_types(RUNNING.into_iter().chain(["EdpDiscount", "PrivateRateDiscount"]))
            }
            UsagePreset::Focus => UsageRule::of_types(RUNNING.into_iter().chain([
                "EdpDiscount",
                "PrivateRateDiscount",
                "SavingsPlanNegation",
                "BundledDiscount",
                "Discount",
            ])),
            UsagePreset::Everything => UsageRule::everything(),
        }
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            UsagePreset::Original => "Usage only (the original service)",
            UsagePreset::RunningUsage => "Running usage (Cloud Intelligence Dashboards)",
            UsagePreset::OpenCost => "OpenCost",
            UsagePreset::Focus => "FOCUS charge category Usage",
            UsagePreset::Everything => "Every line item",
        }
    }

    /// A short stable name, for links.
    pub fn key(self) -> &'static str {
        match self {
            UsagePreset::Original => "usage",
            UsagePreset::RunningUsage => "running",
            UsagePreset::OpenCost => "opencost",
            UsagePreset::Focus => "focus",
            UsagePreset::Everything => "all",
        }
    }

    /// The preset with this [`key`](Self::key).
    pub fn from_key(key: &str) -> Option<UsagePreset> {
        UsagePreset::ALL.into_iter().find(|preset| preset.key() == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_nest_and_are_recognised() {
        let sizes: Vec<usize> = UsagePreset::ALL[..4].iter().map(|p| p.rule().types().count()).collect();
        assert_eq!(sizes, [1, 3, 5, 8]);
        for preset in UsagePreset::ALL {
            assert_eq!(preset.rule().preset(), Some(preset));
            assert_eq!(UsagePreset::from_key(preset.key()), Some(preset));
        }
        assert!(UsagePreset::Everything.rule().counts("Tax"));
        assert!(!UsageRule::default().counts("DiscountedUsage"));
    }

    #[test]
    fn toggling_a_type() {
        let rule = UsageRule::default().with("Tax", true);
        assert!(rule.counts("Tax") && rule.counts("Usage"));
        assert_eq!(rule.preset(), None);
        assert_eq!(rule.with("Tax", false).preset(), Some(UsagePreset::Original));
    }
}

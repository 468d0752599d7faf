//! Discount multipliers per service: the price a customer pays is the undiscounted
//! cost times the multiplier of its service.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The table the original service shipped with. Services not listed pay full price.
pub const DEFAULT_MULTIPLIERS: [(&str, f64); 5] =
    [("AmazonS3", 0.88), ("AmazonEC2", 0.50), ("AWSDataTransfer", 0.70), ("AWSGlue", 0.95), ("AmazonGuardDuty", 0.25)];

/// Multipliers above this are taken for typing mistakes (88 for 0.88), not markups.
pub const MAX_MULTIPLIER: f64 = 10.0;

/// FOCUS files without `x_ServiceCode` name services by display name; these are
/// the display names of the services the default table discounts, so their
/// multipliers still apply.
const DISPLAY_NAMES: [(&str, &str); 5] = [
    ("Amazon Simple Storage Service", "AmazonS3"),
    ("Amazon Elastic Compute Cloud", "AmazonEC2"),
    ("AWS Data Transfer", "AWSDataTransfer"),
    ("AWS Glue", "AWSGlue"),
    ("Amazon GuardDuty", "AmazonGuardDuty"),
];

/// A discount table: multipliers by service code; every other service gets 1.
///
/// Serialised as a flat JSON object, `{"AmazonS3": 0.88, ...}`, the same shape the
/// command line reads (`--discounts`) and the page exports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "BTreeMap<String, f64>", into = "BTreeMap<String, f64>")]
pub struct Discounts {
    multipliers: BTreeMap<String, f64>,
}

impl Default for Discounts {
    fn default() -> Self {
        Discounts {
            multipliers: DEFAULT_MULTIPLIERS
                .iter()
                .map(|&(service, multiplier)| (service.to_owned(), multiplier))
                .collect(),
        }
    }
}

impl Discounts {
    /// A table with no discounts at all.
    pub fn none() -> Self {
        Discounts { multipliers: BTreeMap::new() }
    }

    /// Reads a table from JSON text, refusing anything that is not an object of
    /// service names to multipliers between 0 and [`MAX_MULTIPLIER`].
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text).map_err(|error| Error::Discounts(error.to_string()))
    }

    /// The table as JSON text, readable by [`Discounts::from_json`].
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.multipliers).unwrap_or_default()
    }

    /// The multiplier for a service as written in a file.
    pub fn multiplier(&self, service: &str) -> f64 {
        if let Some(&multiplier) = self.multipliers.get(service) {
            return multiplier;
        }
        DISPLAY_NAMES
            .iter()
            .find(|(display, _)| *display == service)
            .and_then(|(_, code)| self.multipliers.get(*code).copied())
            .unwrap_or(1.0)
    }

    /// Every service name [`multiplier`](Self::multiplier) gives a multiplier
    /// other than 1, with it: the codes of the table, and the display names
    /// that stand for them in FOCUS files without `x_ServiceCode`. The SQL
    /// export matches these, so it gives the page's figures.
    pub fn matched(&self) -> Vec<(String, f64)> {
        let mut matched: Vec<(String, f64)> = self.entries().map(|(name, m)| (name.to_owned(), m)).collect();
        for (display, code) in DISPLAY_NAMES {
            if !self.multipliers.contains_key(display)
                && let Some(&multiplier) = self.multipliers.get(code)
            {
                matched.push((display.to_owned(), multiplier));
            }
        }
        matched
    }

    /// Sets the multiplier of a service; 1 removes the entry.
    pub fn set(&mut self, service: &str, multiplier: f64) -> Result<()> {
        check(service, multiplier)?;
        if multiplier == 1.0 {
            self.multipliers.remove(service);
        } else {
            self.multipliers.insert(service.to_owned(), multiplier);
        }
        Ok(())
    }

    /// The services with a multiplier other than 1, by name.
    pub fn entries(&self) -> impl Iterator<Item = (&str, f64)> {
        self.multipliers.iter().map(|(service, &multiplier)| (service.as_str(), multiplier))
    }

    /// Which table this is, in words, to show beside every discounted figure: the
    /// product's example table is nobody's real contract.
    pub fn describe(&self) -> String {
        if self.multipliers.values().all(|&m| m == 1.0) {
            "no discounts (every service at full price)".into()
        } else if *self == Discounts::default() {
            "the example table (S3 0.88, EC2 0.50, data transfer 0.70, Glue 0.95, GuardDuty 0.25)".into()
        } else {
            let discounted = self.multipliers.values().filter(|&&m| m != 1.0).count();
            let plural = if discounted == 1 { "" } else { "s" };
            format!("your own table ({discounted} service{plural} discounted)")
        }
    }
}

fn check(service: &str, multiplier: f64) -> Result<()> {
    if service.trim().is_empty() {
        return Err(Error::Discounts("a service name is empty".into()));
    }
    if !(0.0..=MAX_MULTIPLIER).contains(&multiplier) {
        return Err(Error::Discounts(format!(
            "the multiplier for {service} is {multiplier}; multipliers run from 0 (free) to {MAX_MULTIPLIER}, and 1 is full price"
        )));
    }
    Ok(())
}

impl TryFrom<BTreeMap<String, f64>> for Discounts {
    type Error = Error;

    fn try_from(multipliers: BTreeMap<String, f64>) -> Result<Self> {
        for (service, &multiplier) in &multipliers {
            check(service, multiplier)?;
        }
        Ok(Discounts { multipliers })
    }
}

impl From<Discounts> for BTreeMap<String, f64> {
    fn from(discounts: Discounts) -> Self {
        discounts.multipliers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_describe_themselves() {
        assert!(Discounts::default().describe().starts_with("the example table"));
        assert!(Discounts::none().describe().starts_with("no discounts"));
        let mut own = Discounts::none();
        own.set("AWSLambda", 0.9).unwrap();
        assert_eq!(own.describe(), "your own table (1 service discounted)");
        own.set("AWSLambda", 1.0).unwrap();
        assert!(own.describe().starts_with("no discounts"), "all at 1.0 is no discount");
    }

    #[test]
    fn defaults_match_the_original_service() {
        let discounts = Discounts::default();
        assert_eq!(discounts.multiplier("AmazonS3"), 0.88);
        assert_eq!(discounts.multiplier("AmazonEC2"), 0.50);
        assert_eq!(discounts.multiplier("AWSDataTransfer"), 0.70);
        assert_eq!(discounts.multiplier("AWSGlue"), 0.95);
        assert_eq!(discounts.multiplier("AmazonGuardDuty"), 0.25);
        assert_eq!(discounts.multiplier("AWSLambda"), 1.0);
        assert_eq!(discounts.multiplier(""), 1.0);
    }

    #[test]
    fn focus_display_names_get_their_code_multiplier() {
        assert_eq!(Discounts::default().multiplier("Amazon Simple Storage Service"), 0.88);
    }

    #[test]
    fn json_round_trip() {
        let mut discounts = Discounts::default();
        discounts.set("AWSLambda", 0.9).unwrap();
        assert_eq!(Discounts::from_json(&discounts.to_json()).unwrap(), discounts);
    }

    #[test]
    fn refuses_out_of_range_and_non_objects() {
        for text in [
            r#"{"AmazonS3": -0.1}"#,
            r#"{"AmazonS3": 88}"#,
            r#"{"": 0.5}"#,
            "[1, 2]",
            r#"{"AmazonS3": "cheap"}"#,
            "not json",
        ] {
            assert!(matches!(Discounts::from_json(text), Err(Error::Discounts(_))), "{text}");
        }
    }

    #[test]
    fn setting_one_removes_the_entry() {
        let mut discounts = Discounts::default();
        discounts.set("AmazonS3", 1.0).unwrap();
        assert!(discounts.entries().all(|(service, _)| service != "AmazonS3"));
        assert!(discounts.set("AmazonS3", f64::NAN).is_err());
    }
}

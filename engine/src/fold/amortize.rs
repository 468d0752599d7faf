//! The amortized cost of a legacy CUR or CUR 2.0 row, from its line item type
//! (the Cloud Intelligence Dashboards' `amortized_cost`): reservations and Savings
//! Plans are spread over the usage they cover. The one statement of the rule: the
//! explorer's kernel evaluates it and the SQL export writes it out. FOCUS carries
//! the result ready made (`EffectiveCost`).

use crate::schema::catalogue::Field;

/// How a line item type's rows get their amortized cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amortize {
    /// The unblended cost, as it is.
    Unblended,
    /// Nothing: the cost is amortized over the usage it covers.
    Zero,
    /// The value of one column.
    Column(Field),
    /// One column less another.
    Difference(Field, Field),
    /// Two columns added.
    Sum(Field, Field),
    /// A fee: nothing when it belongs to a reservation (its ARN is not empty), as
    /// the reservation's usage carries it; the unblended cost otherwise.
    FeeUnlessReservation,
}

/// The line item types whose amortized cost differs from their unblended cost.
pub const RULES: [(&str, Amortize); 7] = [
    ("SavingsPlanCoveredUsage", Amortize::Column(Field::SavingsPlanEffectiveCost)),
    (
        "SavingsPlanRecurringFee",
        Amortize::Difference(Field::SavingsPlanTotalCommitment, Field::SavingsPlanUsedCommitment),
    ),
    ("SavingsPlanNegation", Amortize::Zero),
    ("SavingsPlanUpfrontFee", Amortize::Zero),
    ("DiscountedUsage", Amortize::Column(Field::ReservationEffectiveCost)),
    ("RIFee", Amortize::Sum(Field::ReservationUnusedUpfront, Field::ReservationUnusedRecurring)),
    ("Fee", Amortize::FeeUnlessReservation),
];

/// The amounts the rules read (the ARN aside).
pub const INPUTS: [Field; 6] = [
    Field::SavingsPlanEffectiveCost,
    Field::SavingsPlanTotalCommitment,
    Field::SavingsPlanUsedCommitment,
    Field::ReservationEffectiveCost,
    Field::ReservationUnusedUpfront,
    Field::ReservationUnusedRecurring,
];

/// The rule for rows of `line_item_type`.
pub fn rule(line_item_type: &str) -> Amortize {
    RULES.iter().find(|(name, _)| *name == line_item_type).map_or(Amortize::Unblended, |(_, rule)| *rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_is_read_by_a_rule_and_is_an_amount() {
        use crate::schema::catalogue::Holds;
        for field in INPUTS {
            assert_eq!(field.holds(), Holds::Amount);
            let read = RULES.iter().any(|(_, rule)| match *rule {
                Amortize::Column(a) => a == field,
                Amortize::Difference(a, b) | Amortize::Sum(a, b) => a == field || b == field,
                _ => false,
            });
            assert!(read, "{field:?}");
        }
        assert_eq!(rule("Usage"), Amortize::Unblended);
        assert_eq!(rule("RIFee"), Amortize::Sum(Field::ReservationUnusedUpfront, Field::ReservationUnusedRecurring));
    }
}

//! Compensated summation, so that totals over millions of rows stay exact to the
//! cent whatever order the rows (or the workers' partial sums) arrive in.

use serde::{Deserialize, Serialize};

/// A running sum carried as a value plus the rounding error lost so far
/// (Knuth's TwoSum, the error-free transformation behind Neumaier summation).
///
/// The error of the final [`value`](Self::value) is about one rounding of the true
/// sum plus a term in n·ε²·Σ|x|, so ten million rows of cents sum exactly; plain
/// `f64` addition drifts by n·ε·Σ|x|.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CompensatedSum {
    sum: f64,
    compensation: f64,
}

impl CompensatedSum {
    /// Adds one value.
    #[inline(always)]
    pub fn add(&mut self, x: f64) {
        let total = self.sum + x;
        let x_part = total - self.sum;
        self.compensation += (self.sum - (total - x_part)) + (x - x_part);
        self.sum = total;
    }

    /// Adds another partial sum, keeping both its value and its carried error.
    pub fn merge(&mut self, other: &CompensatedSum) {
        self.add(other.sum);
        self.compensation += other.compensation;
    }

    /// A sum from its two parts, as [`parts`](Self::parts) gave them.
    pub fn from_parts(sum: f64, compensation: f64) -> Self {
        CompensatedSum { sum, compensation }
    }

    /// The value and the carried error, for moving a sum without losing the error.
    pub fn parts(&self) -> [f64; 2] {
        [self.sum, self.compensation]
    }

    /// The best `f64` estimate of the sum.
    pub fn value(&self) -> f64 {
        self.sum + self.compensation
    }
}

impl FromIterator<f64> for CompensatedSum {
    fn from_iter<I: IntoIterator<Item = f64>>(values: I) -> Self {
        let mut sum = CompensatedSum::default();
        values.into_iter().for_each(|x| sum.add(x));
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_sum_is_zero() {
        assert_eq!(CompensatedSum::default().value(), 0.0);
    }

    #[test]
    fn recovers_what_naive_addition_loses() {
        let values = [1e16, 1.0, -1e16, 1.0];
        let naive: f64 = values.iter().sum();
        assert_eq!(naive, 1.0, "naive addition loses a unit here");
        assert_eq!(values.into_iter().collect::<CompensatedSum>().value(), 2.0);
    }

    #[test]
    fn cents_sum_exactly_in_any_order() {
        // A million amounts of 0.01 to 99.99 whose exact total is known in integer cents.
        let cents: Vec<i64> = (0..1_000_000_i64).map(|i| (i * 7919) % 9999 + 1).collect();
        let exact = cents.iter().sum::<i64>() as f64 / 100.0;
        let forward: CompensatedSum = cents.iter().map(|&c| c as f64 / 100.0).collect();
        let backward: CompensatedSum = cents.iter().rev().map(|&c| c as f64 / 100.0).collect();
        assert!((forward.value() - exact).abs() <= exact * 1e-15);
        assert_eq!(forward.value(), backward.value());
    }

    #[test]
    fn merging_partials_matches_one_pass() {
        let values: Vec<f64> = (0..10_000).map(|i| ((i * 37) % 1000) as f64 * 0.013 - 3.0).collect();
        let whole: CompensatedSum = values.iter().copied().collect();
        let mut merged = CompensatedSum::default();
        for chunk in values.chunks(777) {
            merged.merge(&chunk.iter().copied().collect());
        }
        assert!((merged.value() - whole.value()).abs() <= whole.value().abs() * 1e-15);
    }
}

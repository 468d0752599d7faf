//! How figures are written for people: currency to the cent, rates to four places.
//! The full-precision numbers stay underneath (and in the page's data attributes).

/// An amount in dollars, to the cent, with thousands separators: `-$1,234.50`.
pub fn money(amount: f64) -> String {
    if !amount.is_finite() {
        return "—".into();
    }
    let cents = format!("{:.2}", amount.abs());
    let (whole, fraction) = cents.split_once('.').unwrap_or((&cents, "00"));
    let sign = if amount < 0.0 && cents.bytes().any(|b| b.is_ascii_digit() && b != b'0') { "-" } else { "" };
    format!("{sign}${}.{fraction}", group_thousands(whole))
}

/// A rate or multiplier to four decimal places: `0.5375`.
pub fn rate(value: f64) -> String {
    if value.is_finite() { format!("{value:.4}") } else { "—".into() }
}

/// A count with thousands separators: `1,048,576`.
pub fn count(value: u64) -> String {
    group_thousands(&value.to_string())
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_to_the_cent() {
        assert_eq!(money(0.0), "$0.00");
        assert_eq!(money(80.625), "$80.62");
        assert_eq!(money(80.6251), "$80.63");
        assert_eq!(money(1234567.891), "$1,234,567.89");
        assert_eq!(money(-12.5), "-$12.50");
        assert_eq!(money(-0.001), "$0.00");
        assert_eq!(money(999.999), "$1,000.00");
        assert_eq!(money(f64::NAN), "—");
    }

    #[test]
    fn rates_to_four_places() {
        assert_eq!(rate(0.5375), "0.5375");
        assert_eq!(rate(0.88), "0.8800");
        assert_eq!(rate(1.0 / 3.0), "0.3333");
    }

    #[test]
    fn counts_grouped() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_048_576), "1,048,576");
    }
}

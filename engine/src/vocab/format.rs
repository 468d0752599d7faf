//! How figures are written for people: amounts in their currency, rates to four
//! places. The page and the command line write them the same way, from here; the
//! full-precision numbers stay underneath (and in the page's data attributes).

/// An amount in `currency` (an ISO 4217 code), to the currency's own minor unit,
/// with thousands separators and its symbol where it has a common one:
/// `-$1,234.50`, `€1,843.27`, `¥243,054`, `1,000.500 KWD`.
pub fn money(amount: f64, currency: &str) -> String {
    if !amount.is_finite() {
        return "—".into();
    }
    let places = minor_units(currency);
    let fixed = format!("{:.*}", places, amount.abs());
    let (whole, fraction) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let sign = if amount < 0.0 && fixed.bytes().any(|b| b.is_ascii_digit() && b != b'0') { "-" } else { "" };
    let number =
        if fraction.is_empty() { group_thousands(whole) } else { format!("{}.{fraction}", group_thousands(whole)) };
    match symbol(currency) {
        Some(symbol) => format!("{sign}{symbol}{number}"),
        None => format!("{sign}{number} {currency}"),
    }
}

/// `amount`, or 0 where it rounds to zero in `currency`'s minor unit (so it is
/// never written "-$0.00").
pub fn settled(amount: f64, currency: &str) -> f64 {
    let scale = 10f64.powi(minor_units(currency) as i32);
    if (amount * scale).round() == 0.0 { 0.0 } else { amount }
}

/// The digits after the decimal point of a currency's amounts (ISO 4217).
pub fn minor_units(currency: &str) -> usize {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI" | "VND"
        | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// The symbol of the currencies AWS bills in most often.
fn symbol(currency: &str) -> Option<&'static str> {
    Some(match currency {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        "KRW" => "₩",
        "CNY" => "CN¥",
        "AUD" => "A$",
        "CAD" => "CA$",
        "NZD" => "NZ$",
        "HKD" => "HK$",
        "BRL" => "R$",
        _ => return None,
    })
}

/// How an empty label (a service, account or region the files leave blank) is
/// shown: the one spelling used everywhere.
pub const EMPTY_LABEL: &str = "(none)";

/// A label as shown to people: itself, or [`EMPTY_LABEL`] when blank.
pub fn label(label: &str) -> std::borrow::Cow<'_, str> {
    if label.is_empty() { EMPTY_LABEL.into() } else { label.into() }
}

/// A usage quantity with its unit, to at most three decimals: `1,234.5 Hrs`,
/// `0.003 GB-Mo`; a blank unit is the [`EMPTY_LABEL`].
pub fn quantity(value: f64, unit: &str) -> String {
    if !value.is_finite() {
        return "—".into();
    }
    let fixed = format!("{:.3}", value.abs());
    let (whole, fraction) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let fraction = fraction.trim_end_matches('0');
    let sign = if value < 0.0 && fixed.bytes().any(|b| b.is_ascii_digit() && b != b'0') { "-" } else { "" };
    let number =
        if fraction.is_empty() { group_thousands(whole) } else { format!("{}.{fraction}", group_thousands(whole)) };
    format!("{sign}{number} {}", label(unit))
}

/// A rate or multiplier to four decimal places: `0.5375`.
pub fn rate(value: f64) -> String {
    if value.is_finite() { format!("{value:.4}") } else { "—".into() }
}

/// What a blended rate saves, as people say it: 0.8848 → "11.5 % saved"
/// (a rate above 1 costs more: "3.0 % more").
pub fn saving(rate: f64) -> String {
    if !rate.is_finite() {
        return "—".into();
    }
    let percent = (1.0 - rate) * 100.0;
    if percent >= 0.0 { format!("{percent:.1} % saved") } else { format!("{:.1} % more", -percent) }
}

/// Round values for a chart's axis from 0 to at least `max`, about `count` steps
/// of 1, 2 or 5 × 10ⁿ: `axis_ticks(13_160.0, 4)` is 0, 5,000, 10,000, 15,000.
/// The last tick is the axis's top. Nothing to show gives `[0.0]`.
pub fn axis_ticks(max: f64, count: usize) -> Vec<f64> {
    if !(max.is_finite() && max > 0.0) || count == 0 {
        return vec![0.0];
    }
    let rough = max / count as f64;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|&s| s >= rough).unwrap_or(10.0 * power);
    let steps = (max / step).ceil() as usize;
    (0..=steps).map(|i| i as f64 * step).collect()
}

/// `text` in at most `max` characters, cut in the middle: the start says what
/// kind of label it is, the end tells apart labels that share it (resource ids:
/// `arn:aws:ec2:…:instance/i-0abc123`, not three alike `arn:aws:ec2:us-e…`).
pub fn shorten_middle(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max || max < 3 {
        return text.to_owned();
    }
    let head = (max - 1) * 2 / 5;
    let tail = max - 1 - head;
    let start: String = text.chars().take(head).collect();
    let end: String = text.chars().skip(count - tail).collect();
    format!("{start}…{end}")
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
    fn quantities_carry_their_unit() {
        assert_eq!(quantity(1234.5, "Hrs"), "1,234.5 Hrs");
        assert_eq!(quantity(0.0004, "GB"), "0 GB");
        assert_eq!(quantity(-2.0, ""), "-2 (none)");
        assert_eq!(quantity(f64::NAN, "GB"), "—");
    }

    #[test]
    fn axis_ticks_are_round_and_reach_the_top() {
        assert_eq!(axis_ticks(13_160.0, 4), [0.0, 5_000.0, 10_000.0, 15_000.0]);
        assert_eq!(axis_ticks(1.0, 4), [0.0, 0.5, 1.0]);
        assert_eq!(axis_ticks(0.037, 3), [0.0, 0.02, 0.04]);
        assert_eq!(axis_ticks(100.0, 5), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(axis_ticks(0.0, 4), [0.0]);
        assert_eq!(axis_ticks(f64::NAN, 4), [0.0]);
    }

    #[test]
    fn savings_in_percent() {
        assert_eq!(saving(0.8848), "11.5 % saved");
        assert_eq!(saving(1.0), "0.0 % saved");
        assert_eq!(saving(1.03), "3.0 % more");
        assert_eq!(saving(f64::NAN), "—");
    }

    #[test]
    fn money_to_the_cent() {
        assert_eq!(money(0.0, "USD"), "$0.00");
        assert_eq!(money(80.625, "USD"), "$80.62");
        assert_eq!(money(80.6251, "USD"), "$80.63");
        assert_eq!(money(1234567.891, "USD"), "$1,234,567.89");
        assert_eq!(money(-12.5, "USD"), "-$12.50");
        assert_eq!(money(-0.001, "USD"), "$0.00");
        assert_eq!(money(999.999, "USD"), "$1,000.00");
        assert_eq!(money(f64::NAN, "USD"), "—");
    }

    #[test]
    fn long_labels_keep_their_start_and_their_distinguishing_end() {
        let a = "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc1234567890";
        let b = "arn:aws:ec2:us-east-1:123456789012:instance/i-0def9876543210";
        assert_eq!(shorten_middle(a, 24), "arn:aws:e…0abc1234567890");
        assert_ne!(shorten_middle(a, 24), shorten_middle(b, 24));
        assert_eq!(shorten_middle(a, 24).chars().count(), 24);
        assert_eq!(shorten_middle("AmazonEC2", 24), "AmazonEC2");
        assert_eq!(shorten_middle("ab", 1), "ab");
    }

    #[test]
    fn an_amount_that_rounds_to_zero_is_zero() {
        assert_eq!(settled(-1e-12, "USD").to_bits(), 0.0f64.to_bits());
        assert_eq!(settled(-0.004, "USD").to_bits(), 0.0f64.to_bits());
        assert_eq!(settled(-0.006, "USD"), -0.006);
        assert_eq!(settled(-0.4, "JPY").to_bits(), 0.0f64.to_bits());
        assert_eq!(settled(-0.0004, "KWD").to_bits(), 0.0f64.to_bits());
        assert!(settled(f64::NAN, "USD").is_nan());
    }

    #[test]
    fn money_in_its_own_currency() {
        assert_eq!(money(1843.27, "EUR"), "€1,843.27");
        assert_eq!(money(243_054.0, "JPY"), "¥243,054");
        assert_eq!(money(-0.4, "JPY"), "¥0");
        assert_eq!(money(1000.5, "KWD"), "1,000.500 KWD");
        assert_eq!(money(12.0, "CHF"), "12.00 CHF");
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

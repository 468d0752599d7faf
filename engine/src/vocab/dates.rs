//! Calendar days as numbers: days since 1970-01-01, the way the explorer keys
//! cost by day and month without a date library.

/// A cell with no usable date.
pub const NO_DAY: i32 = i32::MIN;

/// The first and last of `days`, leaving out [`NO_DAY`]; `None` if none is a day.
pub fn span_of(days: impl IntoIterator<Item = i32>) -> Option<(i32, i32)> {
    days.into_iter()
        .filter(|&day| day != NO_DAY)
        .fold(None, |span, day| Some(span.map_or((day, day), |(a, b): (i32, i32)| (a.min(day), b.max(day)))))
}

/// The civil date (year, month 1–12, day 1–31) of a day number
/// (Howard Hinnant's `civil_from_days`).
pub fn civil(day: i32) -> (i32, u32, u32) {
    let z = i64::from(day) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

/// The day number of a civil date (`days_from_civil`).
pub fn day_of(year: i32, month: u32, day: u32) -> i32 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (i64::from(month) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) as i32
}

/// `2024-03-15`.
pub fn format_day(day: i32) -> String {
    let (y, m, d) = civil(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `2024-03`.
pub fn format_month(day: i32) -> String {
    let (y, m, _) = civil(day);
    format!("{y:04}-{m:02}")
}

/// The first day of the month of `day`.
pub fn month_start(day: i32) -> i32 {
    let (y, m, _) = civil(day);
    day_of(y, m, 1)
}

/// Reads the date at the start of ISO 8601 text (`2024-03-15`, `2024-03-15T10:00:00Z`).
pub fn parse_day(text: &str) -> Option<i32> {
    let bytes = text.trim().as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| std::str::from_utf8(&bytes[range]).ok()?.parse::<u32>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let number = day_of(year as i32, month, day);
    // 2024-02-31 is not a date; its number would land in March.
    (civil(number) == (year as i32, month, day)).then_some(number)
}

/// Days a month's rows may start late or stop short and the month still be
/// whole: sparse or generated usage need not have rows every day, while a file
/// cut mid-month (an Azure export that stopped on the 16th) is far shorter.
const PARTIAL_SLACK_DAYS: i32 = 3;

/// The months (`2024-03`) the rows of `span` cover only in part: its first
/// month if the rows start more than [`PARTIAL_SLACK_DAYS`] after the 1st, its
/// last if they end more than that before the month's last day (a file cut
/// mid-month, or a month still being billed).
pub fn partial_months(span: Option<(i32, i32)>) -> Vec<String> {
    let Some((first, last)) = span else { return Vec::new() };
    let mut partial = Vec::new();
    if first - month_start(first) > PARTIAL_SLACK_DAYS {
        partial.push(format_month(first));
    }
    let month_end = month_start(month_start(last) + 31) - 1;
    if month_end - last > PARTIAL_SLACK_DAYS && !partial.contains(&format_month(last)) {
        partial.push(format_month(last));
    }
    partial
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_across_leap_years_and_centuries() {
        for day in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil(day);
            assert_eq!(day_of(y, m, d), day);
        }
        assert_eq!(format_day(0), "1970-01-01");
        assert_eq!(format_day(day_of(2024, 2, 29)), "2024-02-29");
        assert_eq!(format_month(day_of(2000, 12, 31)), "2000-12");
        assert_eq!(month_start(day_of(2024, 3, 15)), day_of(2024, 3, 1));
    }

    #[test]
    fn parses_iso_dates_and_refuses_the_rest() {
        assert_eq!(parse_day("2024-03-15"), Some(day_of(2024, 3, 15)));
        assert_eq!(parse_day("2024-03-15T23:00:00Z"), Some(day_of(2024, 3, 15)));
        assert_eq!(parse_day("2024-02-31"), None);
        assert_eq!(parse_day("15/03/2024"), None);
        assert_eq!(parse_day(""), None);
    }

    #[test]
    fn months_covered_in_part() {
        let span = |a: (i32, u32, u32), b: (i32, u32, u32)| Some((day_of(a.0, a.1, a.2), day_of(b.0, b.1, b.2)));
        assert_eq!(partial_months(span((2024, 1, 1), (2024, 3, 31))), Vec::<String>::new());
        assert_eq!(partial_months(span((2024, 2, 1), (2024, 2, 29))), Vec::<String>::new(), "a leap February");
        assert_eq!(partial_months(span((2025, 9, 1), (2025, 9, 16))), ["2025-09"]);
        assert_eq!(partial_months(span((2025, 9, 3), (2025, 9, 16))), ["2025-09"]);
        assert_eq!(
            partial_months(span((2024, 1, 4), (2024, 3, 28))),
            Vec::<String>::new(),
            "a few days short is whole"
        );
        assert_eq!(partial_months(span((2024, 1, 5), (2024, 12, 31))), ["2024-01"]);
        assert_eq!(partial_months(span((2024, 12, 1), (2025, 1, 2))), ["2025-01"]);
        assert_eq!(partial_months(None), Vec::<String>::new());
    }
}

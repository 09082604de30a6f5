//! Parsing the values exports put in their cells: dates in many formats,
//! money with currency signs and thousands separators.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// Formats tried, in order, for dates that are not ISO 8601. Day-first and
/// month-first forms are ambiguous; month-first (US) is tried first because
/// the tools that write slashes in their CSVs are mostly American.
const DATE_TIME_FORMATS: &[&str] = &[
    "%d/%b/%y %I:%M %p", // Jira: 12/Mar/24 3:41 PM
    "%d/%b/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%b %d, %Y %I:%M %p",
    "%B %d, %Y %I:%M %p",
    "%b %d, %Y %H:%M",
];

const DATE_FORMATS: &[&str] = &[
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%d/%b/%y",
];

/// The earliest and latest years painmap believes; anything else is a typo
/// or a placeholder (`0000-00-00`, `9999-12-31`).
const YEARS: std::ops::RangeInclusive<i16> = 1990..=2100;

/// Why a date could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateProblem {
    Unparseable,
    Implausible(i16),
}

/// Parses a date or date-time into seconds since the Unix epoch, UTC. Dates
/// without a time are taken at midnight UTC, and date-times without an
/// offset are taken as UTC.
pub fn parse_date(raw: &str) -> Result<i64, DateProblem> {
    let s = raw.trim();
    // Placeholder dates (year 0, 9999) may be outside what a timestamp can
    // hold, so the year is checked on the calendar date first.
    if let Some(d) = s.get(..10).and_then(|d| d.parse::<Date>().ok()) {
        if !YEARS.contains(&d.year()) {
            return Err(DateProblem::Implausible(d.year()));
        }
    }
    let ts = parse_any(s).ok_or(DateProblem::Unparseable)?;
    let year = ts.to_zoned_datetime(TimeZone::UTC).year();
    if !YEARS.contains(&year) {
        return Err(DateProblem::Implausible(year));
    }
    Ok(ts.as_second())
}

fn parse_any(s: &str) -> Option<Timestamp> {
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && s.len() >= 9 {
        // Unix time: milliseconds when it has 12 digits or more.
        let n: i64 = s.parse().ok()?;
        return if s.len() >= 12 {
            Timestamp::from_millisecond(n).ok()
        } else {
            Timestamp::from_second(n).ok()
        };
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some(ts);
    }
    if let Ok(dt) = s.parse::<DateTime>() {
        return dt
            .to_zoned_datetime(TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
    }
    if let Ok(d) = s.parse::<Date>() {
        return d
            .to_zoned_datetime(TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
    }
    // "2026-03-14 09:21:07 UTC", "2026-03-14 09:21:07 +0100".
    if let Some(rest) = s.strip_suffix(" UTC").or_else(|| s.strip_suffix(" GMT")) {
        return parse_any(rest);
    }
    if let Ok(z) =
        jiff::fmt::strtime::parse("%Y-%m-%d %H:%M:%S %z", s).and_then(|t| t.to_timestamp())
    {
        return Some(z);
    }
    for f in DATE_TIME_FORMATS {
        if let Ok(dt) = jiff::fmt::strtime::parse(f, s).and_then(|t| t.to_datetime()) {
            return dt
                .to_zoned_datetime(TimeZone::UTC)
                .ok()
                .map(|z| z.timestamp());
        }
    }
    for f in DATE_FORMATS {
        if let Ok(d) = jiff::fmt::strtime::parse(f, s).and_then(|t| t.to_date()) {
            return d
                .to_zoned_datetime(TimeZone::UTC)
                .ok()
                .map(|z| z.timestamp());
        }
    }
    None
}

/// Formats epoch seconds as an RFC 3339 UTC timestamp.
pub fn format_timestamp(secs: i64) -> String {
    Timestamp::from_second(secs).map_or_else(|_| secs.to_string(), |t| t.to_string())
}

/// Parses an amount of money or a count: `84000`, `"1,200"`, `$84,000.00`,
/// `1.2e3`, `€1.200,00`, `12 500`. `None` when it is not a number.
pub fn parse_number(raw: &str) -> Option<f64> {
    let s: String = raw
        .trim()
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '$' | '€' | '£' | '¥' | ' ' | '\u{a0}' | '\u{202f}' | '\''
            )
        })
        .collect();
    let s = s
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .trim_end_matches(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E');
    if s.is_empty() {
        return None;
    }
    if let Ok(v) = s.parse::<f64>() {
        return v.is_finite().then_some(v);
    }
    let last_comma = s.rfind(',');
    let last_dot = s.rfind('.');
    let cleaned = match (last_comma, last_dot) {
        // Both: whichever comes last is the decimal separator.
        (Some(c), Some(d)) if c > d => s.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => s.replace(',', ""),
        // Only commas: thousands if every group after the first has three
        // digits, else a decimal comma.
        (Some(_), None) => {
            let groups: Vec<&str> = s.split(',').collect();
            if groups.len() > 1 && groups[1..].iter().all(|g| g.len() == 3) {
                s.replace(',', "")
            } else if groups.len() == 2 {
                s.replace(',', ".")
            } else {
                return None;
            }
        }
        // Only dots and more than one: thousands separators (1.200.000).
        (None, Some(_)) if s.matches('.').count() > 1 => s.replace('.', ""),
        _ => return None,
    };
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> String {
        format_timestamp(parse_date(s).unwrap())
    }

    #[test]
    fn parses_the_common_date_shapes() {
        assert_eq!(day("2026-03-14"), "2026-03-14T00:00:00Z");
        assert_eq!(day("2026-03-14 09:21:07"), "2026-03-14T09:21:07Z");
        assert_eq!(day("2026-03-14T09:21:07+01:00"), "2026-03-14T08:21:07Z");
        assert_eq!(day("2026-03-14T09:21:07Z"), "2026-03-14T09:21:07Z");
        assert_eq!(day("12/Mar/24 3:41 PM"), "2024-03-12T15:41:00Z");
        assert_eq!(day("03/14/2026"), "2026-03-14T00:00:00Z");
        assert_eq!(day("1773480067"), "2026-03-14T09:21:07Z");
        assert_eq!(day("1773480067000"), "2026-03-14T09:21:07Z");
        assert_eq!(day("Mar 14, 2026"), "2026-03-14T00:00:00Z");
    }

    #[test]
    fn rejects_nonsense_and_placeholder_dates() {
        assert_eq!(parse_date("next tuesday"), Err(DateProblem::Unparseable));
        assert_eq!(parse_date(""), Err(DateProblem::Unparseable));
        assert_eq!(
            parse_date("9999-12-31"),
            Err(DateProblem::Implausible(9999))
        );
        assert_eq!(parse_date("0000-01-01"), Err(DateProblem::Implausible(0)));
    }

    #[test]
    fn parses_money_in_many_spellings() {
        assert_eq!(parse_number("84000"), Some(84000.0));
        assert_eq!(parse_number("1,200"), Some(1200.0));
        assert_eq!(parse_number("$84,000.00"), Some(84000.0));
        assert_eq!(parse_number("1.2e3"), Some(1200.0));
        assert_eq!(parse_number("€1.200,00"), Some(1200.0));
        assert_eq!(parse_number("12 500"), Some(12500.0));
        assert_eq!(parse_number("1.200.000"), Some(1_200_000.0));
        assert_eq!(parse_number("3,5"), Some(3.5));
        assert_eq!(parse_number("-4"), Some(-4.0));
        assert_eq!(parse_number("USD 1,000"), Some(1000.0));
        assert_eq!(parse_number("n/a"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("inf"), None);
    }
}

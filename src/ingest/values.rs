//! Parsing the values exports put in their cells: dates in many formats,
//! money with currency signs and thousands separators, HTML bodies, and the
//! odd shapes some tools give a cell (Jira's comment prefix, a review id
//! inside a link).

use std::borrow::Cow;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::escapes::{self, Piece};

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
pub const YEARS: std::ops::RangeInclusive<i16> = 1990..=2100;

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
    let s = trim(raw);
    if let Some(secs) = iso_utc(s) {
        return Ok(secs);
    }
    // Placeholder dates (year 0, 9999) may be outside what a timestamp can
    // hold, so the year is checked on the calendar date first. A date
    // that starts with four digits has them for its year: when they are
    // a plausible year (nearly every row), the check cannot fail and the
    // date is not parsed twice.
    let plausible_start = s
        .get(..4)
        .and_then(|y| {
            y.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| y.parse::<i16>())
        })
        .is_some_and(|y| y.is_ok_and(|y| YEARS.contains(&y)));
    if !plausible_start {
        if let Some(d) = s.get(..10).and_then(|d| d.parse::<Date>().ok()) {
            if !YEARS.contains(&d.year()) {
                return Err(DateProblem::Implausible(d.year()));
            }
        }
    }
    let ts = parse_any(s).ok_or(DateProblem::Unparseable)?;
    // The years in YEARS, from the first second of the first to the last
    // of the last, in UTC: comparing seconds spares working out the year.
    if !(PLAUSIBLE_FROM..PLAUSIBLE_UNTIL).contains(&ts.as_second()) {
        let year = ts.to_zoned_datetime(TimeZone::UTC).year();
        if !YEARS.contains(&year) {
            return Err(DateProblem::Implausible(year));
        }
    }
    Ok(ts.as_second())
}

/// How a numeric date with slashes whose first two numbers could both be
/// a month (`07/11/2026`) is read. A date that can be read only one way
/// (`14/03/2026`, `03/14/2026`) is read that way whatever the order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateOrder {
    /// `07/11/2026` is July 11 (US exports).
    #[default]
    MonthFirst,
    /// `07/11/2026` is 7 November (most of the world's spreadsheets).
    DayFirst,
}

impl DateOrder {
    pub fn name(self) -> &'static str {
        match self {
            DateOrder::MonthFirst => "month-first",
            DateOrder::DayFirst => "day-first",
        }
    }
}

/// What a date's slashes say about the order of day and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlashDate {
    /// Not a numeric date with slashes (ISO 8601, Unix time, `Mar 14`…).
    No,
    /// `07/11/2026`: either order gives a date.
    Either,
    /// `14/03/2026`: only day-first gives one.
    DayFirst,
    /// `03/14/2026`: only month-first gives one.
    MonthFirst,
}

/// [`parse_date`], reading a numeric date with slashes (`A/B/YYYY`, with
/// or without a time after it) in `order` when it could be either, and
/// the only way it works when not; with what the slashes said.
pub fn parse_date_in(raw: &str, order: DateOrder) -> (Result<i64, DateProblem>, SlashDate) {
    let s = trim(raw);
    let Some((a, b, rest)) = slash_numbers(s) else {
        return (parse_date(s), SlashDate::No);
    };
    let seen = match (a <= 12, b <= 12) {
        (true, true) => SlashDate::Either,
        (false, true) => SlashDate::DayFirst,
        (true, false) => SlashDate::MonthFirst,
        // Neither is a month: unreadable either way.
        (false, false) => return (Err(DateProblem::Unparseable), SlashDate::No),
    };
    let day_first = match seen {
        SlashDate::DayFirst => true,
        SlashDate::Either => order == DateOrder::DayFirst,
        _ => false,
    };
    if day_first {
        // The month-first formats read it with its numbers swapped.
        (parse_date(&format!("{b:02}/{a:02}{rest}")), seen)
    } else {
        (parse_date(s), seen)
    }
}

/// The first two numbers of `s` when it starts `A/B/YYYY` (one or two
/// digits each, a four-digit year), and what follows them (`/YYYY…`).
fn slash_numbers(s: &str) -> Option<(u32, u32, &str)> {
    let number = |s: &str| {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        if (1..=2).contains(&n) {
            Some((s[..n].parse::<u32>().ok()?, n))
        } else {
            None
        }
    };
    let (a, n) = number(s)?;
    let s = s[n..].strip_prefix('/')?;
    let (b, n) = number(s)?;
    let rest = &s[n..];
    let year = rest.strip_prefix('/')?;
    (year.len() >= 4 && year.as_bytes()[..4].iter().all(u8::is_ascii_digit)).then_some((a, b, rest))
}

/// The seconds of `s` when it has one of the shapes nearly every export
/// writes, with a year in [`YEARS`]: `2026-03-14`, `2026-03-14T09:21:07Z`,
/// or `2026-03-14 09:21:07` (a space or `T`, no offset: UTC). `None` for
/// anything else, which jiff then reads. Dates are in every row, and
/// jiff's general parsers took about 550 instructions a row, a tenth of
/// reading one; the result is checked against them in the tests.
fn iso_utc(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let time = match b.len() {
        10 => None,
        19 if matches!(b[10], b'T' | b' ') => Some(&b[11..19]),
        20 if b[10] == b'T' && b[19] == b'Z' => Some(&b[11..19]),
        _ => return None,
    };
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    // The number written in `b[at..at + n]`, if every byte is a digit.
    let num = |b: &[u8], at: usize, n: usize| -> Option<i64> {
        b[at..at + n].iter().try_fold(0i64, |v, &c| {
            let d = c.wrapping_sub(b'0');
            (d < 10).then(|| v * 10 + i64::from(d))
        })
    };
    let (year, month, day) = (num(b, 0, 4)?, num(b, 5, 2)?, num(b, 8, 2)?);
    if !YEARS.contains(&i16::try_from(year).ok()?) || !(1..=12).contains(&month) {
        return None;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=days_in_month).contains(&day) {
        return None;
    }
    let seconds = match time {
        None => 0,
        Some(t) => {
            if t[2] != b':' || t[5] != b':' {
                return None;
            }
            let (h, m, s) = (num(t, 0, 2)?, num(t, 3, 2)?, num(t, 6, 2)?);
            // A leap second (:60) is left to jiff.
            if h > 23 || m > 59 || s > 59 {
                return None;
            }
            h * 3600 + m * 60 + s
        }
    };
    Some(days_since_epoch(year, month, day) * 86_400 + seconds)
}

/// Days from 1970-01-01 to the date in the proleptic Gregorian calendar
/// (`month` 1–12): whole 400-year eras, counted from a year that starts
/// in March so that the leap day is the last day of its year.
fn days_since_epoch(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let march_month = (month + 9) % 12;
    let day_of_year = (153 * march_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719,468 days from 0000-03-01 to 1970-01-01.
    era * 146_097 + day_of_era - 719_468
}

/// 1990-01-01T00:00:00Z, the first second of [`YEARS`].
const PLAUSIBLE_FROM: i64 = 631_152_000;
/// 2101-01-01T00:00:00Z, the first second after [`YEARS`].
const PLAUSIBLE_UNTIL: i64 = 4_133_980_800;

/// Whether a timestamp (epoch seconds) falls in [`YEARS`], in UTC: the
/// dates painmap keeps.
pub fn plausible_second(secs: i64) -> bool {
    (PLAUSIBLE_FROM..PLAUSIBLE_UNTIL).contains(&secs)
}

/// `s` without the white space around it, as `str::trim` leaves it. Most
/// cells have none, which their first and last bytes show.
pub fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

fn parse_any(s: &str) -> Option<Timestamp> {
    if s.is_empty() {
        return None;
    }
    // Unix time, with a fraction or without ("1793527200.5", and the
    // "1793527200.0" a JSON float becomes): milliseconds when the whole
    // part has 12 digits or more. The fraction is dropped.
    let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
    if whole.len() >= 9
        && whole.bytes().all(|b| b.is_ascii_digit())
        && !fraction.is_empty()
        && fraction.bytes().all(|b| b.is_ascii_digit())
    {
        let n: i64 = whole.parse().ok()?;
        return if whole.len() >= 12 {
            Timestamp::from_millisecond(n).ok()
        } else {
            Timestamp::from_second(n).ok()
        };
    }
    // jiff reads offsets up to ±25:59; RFC 3339 and ISO 8601 stop at
    // ±23:59, and a larger one is a typo that would move the date.
    if offset_hours(s).is_some_and(|h| h > 23) {
        return None;
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

/// The hours of the UTC offset a date-time ends with (`+25:00`, `-0830`),
/// if it ends with one after a time.
fn offset_hours(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let at = match b.len() {
        n if n >= 9 && b[n - 3] == b':' && digits(n - 5..n - 3) && digits(n - 2..n) => n - 6,
        n if n >= 8 && digits(n - 4..n) => n - 5,
        _ => return None,
    };
    // After a time: "10:00:00+25:00", not a date's "2026-11-01".
    (matches!(b[at], b'+' | b'-') && b[..at].contains(&b':'))
        .then(|| s[at + 1..at + 3].parse().ok())
        .flatten()
}

/// Formats epoch seconds as an RFC 3339 UTC timestamp.
pub fn format_timestamp(secs: i64) -> String {
    Timestamp::from_second(secs).map_or_else(|_| secs.to_string(), |t| t.to_string())
}

/// The UTC day of epoch seconds, `YYYY-MM-DD`.
pub fn format_day(secs: i64) -> String {
    Timestamp::from_second(secs)
        .map_or_else(|_| secs.to_string(), |t| t.strftime("%Y-%m-%d").to_string())
}

/// Currency codes an amount may carry before or after it (`USD 1,000`,
/// `84000 EUR`). Other letters make a cell not a number, so that `12abc`
/// is reported rather than read as 12.
const CURRENCY_CODES: [&str; 24] = [
    "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK",
    "HUF", "INR", "BRL", "CNY", "HKD", "SGD", "ZAR", "MXN", "KRW", "ILS", "AED",
];

/// Magnitude suffixes of amounts in CRM exports and spreadsheets: `84k`,
/// `1.5M`, `$2MM`, `1.2bn`. Longest first.
const MAGNITUDES: [(&str, f64); 5] = [("bn", 1e9), ("mm", 1e6), ("k", 1e3), ("m", 1e6), ("b", 1e9)];

/// Parses an amount of money or a count: `84000`, `"1,200"`, `$84,000.00`,
/// `1.2e3`, `€1.200,00`, `12 500`, `USD 1,000`, `84k`, `$1.5M`. `None`
/// when it is not a number: `12abc`, `5 seats`, `n/a`.
pub fn parse_number(raw: &str) -> Option<f64> {
    // Most values are plain numbers: read them without building a cleaned
    // copy. A number that is not finite ("inf", "NaN") goes the long way,
    // which finds nothing.
    if let Ok(v) = trim(raw).parse::<f64>() {
        if v.is_finite() {
            return Some(v);
        }
    }
    let s: String = raw
        .trim()
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '$' | '€' | '£' | '¥' | '₹' | ' ' | '\u{a0}' | '\u{202f}' | '\''
            )
        })
        .collect();
    let mut s = s.as_str();
    // Byte offsets, compared as bytes: a code or suffix is ASCII, so a
    // match never cuts a character.
    let ends_with = |s: &str, end: &str| {
        s.len() > end.len()
            && s.as_bytes()[s.len() - end.len()..].eq_ignore_ascii_case(end.as_bytes())
    };
    for code in CURRENCY_CODES {
        if s.len() > code.len() && s.as_bytes()[..code.len()].eq_ignore_ascii_case(code.as_bytes())
        {
            s = &s[code.len()..];
        } else if ends_with(s, code) {
            s = &s[..s.len() - code.len()];
        }
    }
    let mut scale = 1.0;
    for (suffix, by) in MAGNITUDES {
        if ends_with(s, suffix) && s.as_bytes()[s.len() - suffix.len() - 1].is_ascii_digit() {
            s = &s[..s.len() - suffix.len()];
            scale = by;
            break;
        }
    }
    separated_number(s)
        .map(|v| v * scale)
        .filter(|v| v.is_finite())
}

/// A number written with thousands separators or a decimal comma:
/// `1,200`, `1.200,00`, `3,5`, `1.200.000`.
fn separated_number(s: &str) -> Option<f64> {
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

/// The number a rating cell starts with: `"10 - Extremely likely"` → 10,
/// `"4 stars"` → 4. `None` when the cell does not start with one.
pub fn leading_number(raw: &str) -> Option<f64> {
    let s = raw.trim();
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, rest) = s.split_at(end);
    if num.is_empty() || rest.starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    num.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The HTML elements [`html_to_text`] takes for tags, sorted.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "audio",
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "li",
    "link",
    "main",
    "mark",
    "meta",
    "nav",
    "ol",
    "option",
    "p",
    "picture",
    "pre",
    "q",
    "s",
    "samp",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "video",
];

/// Plain text from an HTML fragment (Intercom and Productboard bodies):
/// tags dropped, block tags turned into line breaks, `<script>` and
/// `<style>` dropped with their content, character references decoded.
/// A `<` that does not open a tag is kept, so `a < b` survives,
/// and so does one before a name that is no HTML element (`x<y or a>b`,
/// `<priya@nw.io>`).
pub fn html_to_text(html: &str) -> Cow<'_, str> {
    if !html.contains(['<', '&']) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('&') {
            match decode_entity(rest) {
                Some((c, len)) => {
                    out.push(c);
                    rest = &rest[len..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
            continue;
        }
        let opens_tag =
            rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let Some(end) = rest.find('>').filter(|_| opens_tag) else {
            out.push('<');
            rest = &rest[1..];
            continue;
        };
        let tag = &rest[1..end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        // Only HTML's own elements (and comments) are tags: in a plain
        // note, "x<y or a>b" and "<priya@nw.io>" are text.
        if !tag.starts_with('!') && HTML_ELEMENTS.binary_search(&name.as_str()).is_err() {
            out.push('<');
            rest = &rest[1..];
            continue;
        }
        rest = &rest[end + 1..];
        if (name == "script" || name == "style") && !tag.starts_with('/') {
            let close = format!("</{name}");
            let at = rest.to_ascii_lowercase().find(&close);
            rest = match at.and_then(|a| rest[a..].find('>').map(|e| a + e + 1)) {
                Some(skip) => &rest[skip..],
                None => "",
            };
            continue;
        }
        if matches!(
            name.as_str(),
            "br" | "p"
                | "div"
                | "li"
                | "ul"
                | "ol"
                | "tr"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "blockquote"
                | "pre"
                | "hr"
                | "table"
        ) {
            out.push('\n');
        } else if name == "td" || name == "th" {
            out.push(' ');
        }
    }
    out.push_str(rest);
    // Block tags leave runs of blank lines and indentation behind.
    let lines: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    Cow::Owned(lines.join("\n"))
}

/// Decodes the character reference at the start of `s` (`&amp;`, `&#39;`,
/// `&#x2019;`): the character and how many bytes it took.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let end = s[1..].find(';').filter(|&e| e > 0 && e <= 10)? + 1;
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        char::from_u32(code).filter(|c| *c != '\0')?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => ' ',
            "hellip" => '…',
            "mdash" => '—',
            "ndash" => '–',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "euro" => '€',
            "pound" => '£',
            "copy" => '©',
            "reg" => '®',
            "trade" => '™',
            "eacute" => 'é',
            "egrave" => 'è',
            "agrave" => 'à',
            "uuml" => 'ü',
            "ouml" => 'ö',
            "auml" => 'ä',
            "szlig" => 'ß',
            "ccedil" => 'ç',
            "ntilde" => 'ñ',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// A Jira comment cell without its `date;author;` prefix:
/// `"12/Mar/24 3:41 PM;557058:abc;The body"` → `"The body"`. Cells
/// without the prefix are returned whole.
pub fn strip_jira_comment(cell: &str) -> &str {
    let mut parts = cell.splitn(3, ';');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(date), Some(_author), Some(body)) if parse_date(date).is_ok() => body,
        _ => cell,
    }
}

/// The value of one query parameter of a link, percent-decoded: the review
/// id inside a Google Play `Review Link`. The whole cell when the link
/// does not have the parameter.
pub fn url_param<'a>(link: &'a str, name: &str) -> Cow<'a, str> {
    let query = link.split_once('?').map_or("", |(_, q)| q);
    let query = query.split('#').next().unwrap_or("");
    for pair in query.split('&') {
        if let Some((k, v)) = pair.split_once('=') {
            if k == name && !v.is_empty() {
                return Cow::Owned(percent_decode(v));
            }
        }
    }
    Cow::Borrowed(link)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Removes terminal escape sequences (CSI, OSC strings such as hyperlinks,
/// and the other control strings, as [`crate::escapes`] finds them) and
/// every other control character but tab and line breaks. Feedback text is untrusted:
/// what it hides from a terminal must not become a word ("31mwidget") in
/// tags, themes or a suggested roadmap either. Text without a control
/// character (nearly all) is left untouched after one scan.
pub fn strip_controls(text: &mut String) {
    // Without `||` or an early exit the scan vectorizes: it is on every
    // row, and finds nothing in nearly all.
    let suspect = text.bytes().fold(false, |acc, b| {
        acc | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0x7f) | (b == 0xc2)
    });
    if !suspect
        || !text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return;
    }
    let mut out = String::with_capacity(text.len());
    // A lone control character stands between words, so it becomes a
    // space (one, however many there are); a sequence is dropped whole.
    let mut spaced = false;
    for piece in escapes::pieces(text) {
        match piece {
            Piece::Sequence => {}
            Piece::Char(c) if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {
                if !out.is_empty() && !out.ends_with(char::is_whitespace) {
                    out.push(' ');
                    spaced = true;
                }
            }
            Piece::Char(c) => {
                if spaced && c.is_whitespace() {
                    out.pop();
                }
                spaced = false;
                out.push(c);
            }
        }
    }
    if spaced {
        out.pop();
    }
    *text = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_time_with_a_fraction_and_offsets_past_a_day() {
        let noon = parse_date("2026-11-01T10:00:00Z").unwrap();
        assert_eq!(parse_date(&noon.to_string()), Ok(noon));
        assert_eq!(parse_date(&format!("{noon}.5")), Ok(noon));
        assert_eq!(parse_date(&format!("{noon}.0")), Ok(noon));
        assert_eq!(parse_date(&format!("{noon}500.25")), Ok(noon));
        assert_eq!(
            parse_date(&format!("{noon}.")),
            Err(DateProblem::Unparseable)
        );
        assert_eq!(
            parse_date("2026-11-01T10:00:00+23:59"),
            Ok(noon - 23 * 3600 - 59 * 60)
        );
        assert_eq!(parse_date("2026-11-01T11:00:00+01:00"), Ok(noon));
        assert_eq!(parse_date("2026-11-01 11:00:00 +0100"), Ok(noon));
        for bad in [
            "2026-11-01T10:00:00+24:00",
            "2026-11-01T10:00:00+25:00",
            "2026-11-01T10:00:00-25:00",
            "2026-11-01 10:00:00 +2500",
        ] {
            assert_eq!(parse_date(bad), Err(DateProblem::Unparseable), "{bad}");
        }
    }

    #[test]
    fn control_sequences_leave_only_the_words() {
        let strip = |s: &str| {
            let mut t = s.to_string();
            strip_controls(&mut t);
            t
        };
        assert_eq!(strip("\u{1b}[31mwidget\u{1b}[0m is red"), "widget is red");
        assert_eq!(
            strip("see \u{1b}]8;;http://evil\u{7}click\u{1b}]8;;\u{7} here"),
            "see click here"
        );
        assert_eq!(
            strip("\u{9b}1;2Hmoved \u{1b}]0;title\u{1b}\\ok"),
            "moved ok"
        );
        assert_eq!(strip("bell\u{7} and\u{0} nul\u{7f}"), "bell and nul");
        assert_eq!(strip("one\u{7}two"), "one two");
        assert_eq!(strip("does\u{7}\u{9b} not work"), "does not work");
        // Tabs, line breaks, and text without controls are kept as they are.
        let plain = "caf\u{e9} \u{a3}5\tlines\r\nand more \u{a0}";
        assert_eq!(strip(plain), plain);
    }

    proptest::proptest! {
        /// No control character but tab and line breaks is left, C0, DEL
        /// or C1 (whose UTF-8 starts with 0xC2), wherever it stands.
        #[test]
        fn no_control_character_survives(
            s in "[a-z \t\r\n\u{0}-\u{1f}\u{7f}\u{80}-\u{9f}\u{a0}£é€\u{1b}\\[\\]0-9;m]{0,40}"
        ) {
            let mut t = s.clone();
            strip_controls(&mut t);
            proptest::prop_assert!(!t
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')));
            if !s.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
                proptest::prop_assert_eq!(t, s);
            }
        }
    }

    #[test]
    fn every_day_of_the_plausible_years_is_counted_as_jiff_counts_it() {
        let mut d = Date::new(1990, 1, 1).unwrap();
        let last = Date::new(2100, 12, 31).unwrap();
        loop {
            let s = d.to_string();
            let want = parse_any(&s).unwrap().as_second();
            assert_eq!(iso_utc(&s), Some(want), "{s}");
            assert_eq!(iso_utc(&format!("{s}T23:59:59Z")), Some(want + 86_399));
            if d == last {
                break;
            }
            d = d.tomorrow().unwrap();
        }
        assert_eq!(iso_utc("2023-02-29"), None);
        assert_eq!(iso_utc("2026-03-14T24:00:00Z"), None);
        assert_eq!(iso_utc("2026-03-14t09:21:07z"), None);
        assert_eq!(iso_utc("1989-12-31"), None);
    }

    #[test]
    fn the_plausible_years_are_these_seconds() {
        let second = |s: &str| s.parse::<Timestamp>().unwrap().as_second();
        assert_eq!(PLAUSIBLE_FROM, second("1990-01-01T00:00:00Z"));
        assert_eq!(PLAUSIBLE_UNTIL, second("2101-01-01T00:00:00Z"));
        assert_eq!(YEARS, 1990..=2100);
    }

    #[test]
    fn dates_at_the_edges_of_the_plausible_years() {
        assert_eq!(day("1990-01-01"), "1990-01-01T00:00:00Z");
        assert_eq!(day("2100-12-31T23:59:59Z"), "2100-12-31T23:59:59Z");
        assert_eq!(day("1990-01-01T00:30:00-01:00"), "1990-01-01T01:30:00Z");
        let implausible = |s| parse_date(s).unwrap_err();
        assert_eq!(
            implausible("1989-12-31T23:59:59Z"),
            DateProblem::Implausible(1989)
        );
        assert_eq!(
            implausible("2101-01-01T00:00:00Z"),
            DateProblem::Implausible(2101)
        );
        // A plausible calendar date whose UTC time falls outside, and the
        // other way round: the calendar date is checked first.
        assert_eq!(
            implausible("1990-01-01T00:30:00+01:00"),
            DateProblem::Implausible(1989)
        );
        assert_eq!(
            implausible("1989-12-31T23:30:00-01:00"),
            DateProblem::Implausible(1989)
        );
        assert_eq!(
            implausible("2100-12-31T23:30:00-01:00"),
            DateProblem::Implausible(2101)
        );
        assert_eq!(
            implausible("0000-01-01T00:00:00Z"),
            DateProblem::Implausible(0)
        );
        assert_eq!(implausible(" 9999-12-31 "), DateProblem::Implausible(9999));
        assert_eq!(implausible("4133980800"), DateProblem::Implausible(2101));
        assert_eq!(implausible("631151999"), DateProblem::Implausible(1989));
        assert_eq!(parse_date("2026-13-01"), Err(DateProblem::Unparseable));
        assert_eq!(parse_date("20x6-01-01"), Err(DateProblem::Unparseable));
    }

    /// `parse_date` as it was before it skipped the calendar check for
    /// dates that start with a plausible year and compared seconds.
    fn parse_date_in_two_steps(raw: &str) -> Result<i64, DateProblem> {
        let s = raw.trim();
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

    proptest::proptest! {
        #[test]
        fn dates_parse_as_in_two_steps(
            s in " ?(19[89][0-9]|20[0-9][0-9]|210[01]|0000|9999|[0-9]{4})-[01][0-9]-[0-3][0-9]\
                  ([T ][0-2][0-9]:[0-5][0-9](:[0-5][0-9])?(Z|[+-][01][0-9]:?[0-5][0-9])?)? ?\
                  |[0-9]{8,13}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}"
        ) {
            proptest::prop_assert_eq!(parse_date(&s), parse_date_in_two_steps(&s));
        }

        /// The fast path reads what jiff reads, and declines what it
        /// cannot be sure of.
        #[test]
        fn iso_fast_path_agrees_with_jiff(
            s in "(19[89][0-9]|20[0-9][0-9]|210[01]|[0-9]{4})-[0-9]{2}-[0-9]{2}\
                  ([T ][0-9]{2}:[0-9]{2}:[0-9]{2}Z?)?"
        ) {
            let jiff = parse_any(&s).map(|t| t.as_second());
            match iso_utc(&s) {
                Some(secs) => proptest::prop_assert_eq!(Some(secs), jiff),
                // Declined: outside the plausible years, not a date, a
                // leap second, or a space before the Z.
                None => proptest::prop_assert!(
                    jiff.is_none()
                        || !(PLAUSIBLE_FROM..PLAUSIBLE_UNTIL).contains(&jiff.unwrap_or(0))
                        || s.get(17..19) == Some("60")
                        || s.ends_with('Z') && s.as_bytes()[10] == b' ',
                    "{s} declined, but jiff reads {jiff:?}"
                ),
            }
        }

        /// The fast trim leaves what `str::trim` leaves.
        #[test]
        fn trim_is_str_trim(s in "[ a\t\n\r\x0b\x0c\u{85}\u{a0}\u{2003}\u{3000}é~!]{0,8}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }
    }

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
    fn parses_each_tools_own_date_format() {
        // Zendesk, with the account's offset.
        assert_eq!(day("2026-03-12 08:31:05 -0700"), "2026-03-12T15:31:05Z");
        // Salesforce API and report.
        assert_eq!(day("2026-03-12T08:31:05.000+0000"), "2026-03-12T08:31:05Z");
        assert_eq!(day("3/12/2026 8:31 AM"), "2026-03-12T08:31:00Z");
        // SurveyMonkey.
        assert_eq!(day("03/12/2026 08:31:05 PM"), "2026-03-12T20:31:05Z");
        // Typeform, HubSpot.
        assert_eq!(day("2026-03-12 08:31:05"), "2026-03-12T08:31:05Z");
        assert_eq!(day("2026-03-12 08:31"), "2026-03-12T08:31:00Z");
        // App Store Connect.
        assert_eq!(day("2026-03-12T08:31:05-07:00"), "2026-03-12T15:31:05Z");
        // Jira with a four-digit year and a 24-hour clock.
        assert_eq!(day("6/21/2026 16:14"), "2026-06-21T16:14:00Z");
        assert_eq!(day("12/Mar/26 3:41 PM"), "2026-03-12T15:41:00Z");
    }

    /// `parse_date_in` as a day like [`day`] gives, and what it saw.
    fn in_order(raw: &str, order: DateOrder) -> (String, SlashDate) {
        let (t, seen) = parse_date_in(raw, order);
        let t = t.map_or_else(|e| format!("{e:?}"), format_timestamp);
        (t, seen)
    }

    #[test]
    fn slash_dates_are_read_the_only_way_they_work_or_in_the_order_given() {
        use DateOrder::{DayFirst, MonthFirst};
        let either = |s: &str| (s.to_string(), SlashDate::Either);
        // Either way gives a date: the order decides.
        assert_eq!(
            in_order("07/11/2026", MonthFirst),
            either("2026-07-11T00:00:00Z")
        );
        assert_eq!(
            in_order("07/11/2026", DayFirst),
            either("2026-11-07T00:00:00Z")
        );
        assert_eq!(
            in_order("7/1/2026 8:31 AM", DayFirst),
            either("2026-01-07T08:31:00Z")
        );
        // One way only: that way, whatever the order.
        for order in [MonthFirst, DayFirst] {
            assert_eq!(
                in_order("14/03/2026", order),
                ("2026-03-14T00:00:00Z".into(), SlashDate::DayFirst)
            );
            assert_eq!(
                in_order(" 31/12/2026 23:59:01 ", order),
                ("2026-12-31T23:59:01Z".into(), SlashDate::DayFirst)
            );
            assert_eq!(
                in_order("03/14/2026 08:31:05 PM", order),
                ("2026-03-14T20:31:05Z".into(), SlashDate::MonthFirst)
            );
            // Neither number is a month, or it is not a slash date at all.
            assert_eq!(in_order("13/14/2026", order).0, "Unparseable");
            assert_eq!(
                in_order("2026-03-12 08:31:05", order),
                ("2026-03-12T08:31:05Z".into(), SlashDate::No)
            );
            assert_eq!(in_order("12/Mar/26 3:41 PM", order).1, SlashDate::No);
            assert_eq!(in_order("2026/03/04", order).1, SlashDate::No);
        }
        // A day the month does not have is not a date in that order.
        assert_eq!(in_order("31/04/2026", DayFirst).0, "Unparseable");
        assert_eq!(in_order("02/30/2026", MonthFirst).0, "Unparseable");
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
        // Not finite, however written: no number.
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number(" NaN "), None);
        assert_eq!(parse_number("-infinity"), None);
        assert_eq!(parse_number("1e999"), None);
        assert_eq!(parse_number("USD 1,000"), Some(1000.0));
        assert_eq!(parse_number("84000 eur"), Some(84000.0));
        assert_eq!(parse_number("84k"), Some(84000.0));
        assert_eq!(parse_number("$1.5M"), Some(1_500_000.0));
        assert_eq!(parse_number("2MM"), Some(2_000_000.0));
        assert_eq!(parse_number("1.2bn"), Some(1_200_000_000.0));
        assert_eq!(parse_number("€ 12,5k"), Some(12_500.0));
        assert_eq!(parse_number("USD 84K"), Some(84000.0));
        // Letters that are neither a currency code nor a magnitude.
        assert_eq!(parse_number("12abc"), None);
        assert_eq!(parse_number("5 seats"), None);
        assert_eq!(parse_number("k"), None);
        assert_eq!(parse_number("about 40"), None);
        assert_eq!(parse_number("7é"), None);
        // Text around the codes and suffixes may be any characters.
        for raw in [
            "c!\u{fffd}\u{fffd}",
            "é84k",
            "US€",
            "€€€€",
            "1é5m",
            "ééUSD",
            "\u{fffd}k",
        ] {
            assert_eq!(parse_number(raw), None, "{raw}");
        }
        assert_eq!(parse_number("€84k"), Some(84000.0));
        assert_eq!(parse_number("n/a"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("inf"), None);
    }

    #[test]
    fn leading_numbers_of_labelled_ratings() {
        assert_eq!(leading_number("10 - Extremely likely"), Some(10.0));
        assert_eq!(leading_number("4 stars"), Some(4.0));
        assert_eq!(leading_number("Extremely likely"), None);
        assert_eq!(leading_number("4th"), None);
    }

    #[test]
    fn html_bodies_become_plain_text() {
        assert_eq!(
            html_to_text("<p>Hi team,</p><p>SSO with <b>Okta</b> fails &amp; we&#39;re stuck&nbsp;&hellip;</p>"),
            "Hi team,\nSSO with Okta fails & we're stuck …"
        );
        assert_eq!(
            html_to_text("line one<br>line two<br/>"),
            "line one\nline two"
        );
        assert_eq!(html_to_text("a < b and c > d"), "a < b and c > d");
        assert_eq!(
            html_to_text("R&D team, &unknown; &#x2019;"),
            "R&D team, &unknown; ’"
        );
        assert_eq!(
            html_to_text("<style>p{color:red}</style>text<script>alert(1)</script> after"),
            "text after"
        );
        assert!(matches!(html_to_text("no markup"), Cow::Borrowed(_)));
        // A tag that never closes is text, not a reason to drop the rest.
        assert_eq!(html_to_text("x <a href=\"y"), "x <a href=\"y");
        // Plain notes keep what only looks like a tag.
        assert_eq!(
            html_to_text("export when x<y or a>b"),
            "export when x<y or a>b"
        );
        assert_eq!(
            html_to_text("Contact Priya <priya@nw.io> about <b>SSO</b>"),
            "Contact Priya <priya@nw.io> about SSO"
        );
        assert_eq!(html_to_text("<!-- note --><P>Hi</P>"), "Hi");
        // The list stays sorted, for the binary search.
        assert!(HTML_ELEMENTS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn jira_comment_prefixes_are_dropped() {
        assert_eq!(
            strip_jira_comment("12/Mar/24 3:41 PM;557058:abc-123;We need this; badly"),
            "We need this; badly"
        );
        assert_eq!(strip_jira_comment("just; a; comment"), "just; a; comment");
    }

    #[test]
    fn review_ids_come_out_of_links() {
        assert_eq!(
            url_param(
                "https://play.google.com/console/developers/1/app/2/user-feedback/review-details?reviewId=gp%3AAOqpTOE1&corpus=PUBLIC_REVIEWS",
                "reviewId"
            ),
            "gp:AOqpTOE1"
        );
        assert_eq!(
            url_param("https://example.test/r/1", "reviewId"),
            "https://example.test/r/1"
        );
    }

    proptest::proptest! {
        /// Month-first changes nothing parse_date could already read, and
        /// day-first reads a date with its two numbers swapped.
        #[test]
        fn slash_orders_agree_with_parse_date(a in 0u32..40, b in 0u32..40, y in 1985u32..2105, t in "( [0-2][0-9]:[0-5][0-9])?") {
            let s = format!("{a}/{b}/{y}{t}");
            let swapped = format!("{b:02}/{a:02}/{y}{t}");
            if let Ok(v) = parse_date(&s) {
                proptest::prop_assert_eq!(parse_date_in(&s, DateOrder::MonthFirst).0, Ok(v));
            }
            let (day_first, seen) = parse_date_in(&s, DateOrder::DayFirst);
            if seen == SlashDate::Either || seen == SlashDate::DayFirst {
                proptest::prop_assert_eq!(day_first, parse_date(&swapped));
            }
        }
    }

    proptest::proptest! {
        /// Untrusted cells never make the cleaners panic, whatever their
        /// bytes (multi-byte characters next to `<`, `&`, `;`, `%`).
        #[test]
        fn cleaners_take_any_text(s in "[<>&;#x%a-z0-9 é€😀/=?]{0,40}") {
            let _ = html_to_text(&s);
            let _ = strip_jira_comment(&s);
            let _ = url_param(&s, "reviewId");
            let _ = leading_number(&s);
            if !s.contains(['<', '&']) {
                proptest::prop_assert_eq!(html_to_text(&s), s.as_str());
            }
        }
    }
}

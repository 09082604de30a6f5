//! Making untrusted feedback text safe for where it is written.
//!
//! Feedback is written by strangers and reaches terminals, spreadsheets and
//! Markdown renderers. Each writer passes text through the function for its
//! medium.

use crate::escapes::{pieces, Piece};

/// For terminals: removes escape sequences (CSI, OSC and the other control
/// strings, as [`crate::escapes`] finds them) and every other control
/// character, and turns line breaks and tabs into spaces.
pub fn terminal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for piece in pieces(s) {
        match piece {
            Piece::Sequence => {}
            Piece::Char('\n' | '\r' | '\t') => out.push(' '),
            Piece::Char(c) if c.is_control() => {}
            // Bidirectional controls can make text read differently than it is.
            Piece::Char(c) if is_bidi_control(c) => {}
            Piece::Char(c) => out.push(c),
        }
    }
    out
}

/// The bidirectional formatting characters: the embeddings and overrides
/// (U+202A–U+202E), the isolates (U+2066–U+2069) and the marks (LRM,
/// RLM, ALM), which can move the characters around them on screen.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
    )
}

/// For CSV cells a spreadsheet will open: text that starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return is prefixed with `'` so it is shown
/// as text, not run as a formula (OWASP, "CSV Injection").
pub fn csv_cell(s: &str) -> String {
    let s = terminal_keep_newlines(s);
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

/// For messages of several lines on a terminal (errors, which may name a
/// file whose name holds escapes): line breaks are kept, and every other
/// control character and bidi override is shown as `\u{1b}`, not removed,
/// so that `nope\u{1b}[31m.csv` cannot pass for a file `nope.csv`.
pub fn terminal_lines(s: &str) -> String {
    escape_controls(s, true)
}

/// For a name on one line of a message, where two names must not look
/// alike unless they are: every control character (line breaks too) and
/// bidi override is shown as `\u{1b}`, not removed.
pub fn terminal_escaped(s: &str) -> String {
    escape_controls(s, false)
}

fn escape_controls(s: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' if keep_newlines => out.push(c),
            c if is_bidi_control(c) || c.is_control() => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

/// Control characters removed, but line breaks kept (CSV quotes them).
fn terminal_keep_newlines(s: &str) -> String {
    s.split('\n').map(terminal).collect::<Vec<_>>().join("\n")
}

/// For Markdown: escapes everything that could end a table cell, start a
/// link, an image, code or HTML, or a heading or list.
pub fn markdown(s: &str) -> String {
    let s = terminal(s);
    let mut out = String::with_capacity(s.len() + 8);
    // What starts a list item at the start of a line (a quote is one
    // line): `- `, `+ `, `1. ` (`*` and `1)` are escaped below anyway).
    // Line breaks are spaces by now, so only the start of the text counts.
    // A bare `-`, the placeholder of an empty cell, starts nothing there.
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let s = if s.starts_with("- ") || s.starts_with("+ ") {
        out.push('\\');
        &s[..]
    } else if digits > 0 && s[digits..].starts_with(". ") {
        out.push_str(&s[..digits]);
        out.push('\\');
        &s[digits..]
    } else {
        &s[..]
    };
    for word in s.split_inclusive(' ') {
        let bare = word.trim_end_matches(' ');
        if links_itself(bare) {
            // GitHub links a bare address by itself; in a code span it is
            // shown, not linked. Its `|` would still end a table cell.
            out.push_str(&code_span(&bare.replace('|', "/")));
            out.push_str(&word[bare.len()..]);
            continue;
        }
        for c in word.chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                '|' | '`' | '[' | ']' | '(' | ')' | '*' | '_' | '\\' | '!' | '#' | '~' => {
                    out.push('\\');
                    out.push(c);
                }
                c => out.push(c),
            }
        }
    }
    out
}

/// Whether GitHub's Markdown would turn a word into a link of its own: a
/// URL (`https://…`, `www.…`) or an e-mail address.
fn links_itself(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    lower.contains("://")
        || lower.contains("www.")
        || word
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
}

/// `s` as a code span: fenced by one backtick more than its longest run of
/// them, with a space inside the fences when it starts or ends with one.
fn code_span(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// For Markdown, text that reads best as code (an id): in a code span when
/// nothing in it needs escaping, else escaped like [`markdown`] and left
/// outside one, because backslash escapes and entities are shown literally
/// inside a code span, and a `|` in one still ends a table cell.
pub fn markdown_code(s: &str) -> String {
    let escaped = markdown(s);
    if !s.is_empty() && escaped == s {
        format!("`{s}`")
    } else {
        escaped
    }
}

/// Personal data in a quote replaced by placeholders: e-mail addresses by
/// `[email]`, card-like numbers (13 to 19 digits) by `[number]` and phone
/// numbers by `[phone]`.
///
/// The rules are plain on purpose, and err towards redacting: a long order
/// number may come out as `[phone]`. Dates, times, amounts with thousands
/// separators, decimals, versions and IP addresses are left alone.
///
/// Invisible format characters are dropped first, from the matching and
/// from the output alike: a zero-width space inside an address would
/// otherwise hide it from the rules and still reach the reader.
///
/// The rules read full-width forms as their ASCII letters (`ｊ＠ｅｘ．ｃｏｍ`,
/// `５５５－０１０２`), which East Asian keyboards type and which would
/// otherwise hide an address in plain sight, and the decimal digits of
/// other scripts as ASCII digits (`٠٥٥٥ ٠١٠ ٢٣٤٥`, `०५५५ ०१० २३४५`); text
/// that is not redacted keeps its own characters.
pub fn redact(s: &str) -> String {
    let shown: Vec<char> = s.chars().filter(|&c| !is_invisible(c)).collect();
    let chars: Vec<char> = shown.iter().map(|&c| narrow(c)).collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some(end) = email_at(&chars, i) {
            out.push_str("[email]");
            i = end;
        } else if let Some((end, placeholder)) = number_at(&chars, i) {
            out.push_str(placeholder);
            i = end;
        } else {
            out.push(shown[i]);
            i += 1;
        }
    }
    out
}

/// Where `s` holds what [`redact`] replaces (e-mail addresses, phone and
/// card-like numbers): byte ranges of `s`, in order. `themes` leaves these
/// words out, so `u0@x.com` makes no theme "com".
pub fn contact_spans(s: &str) -> Vec<std::ops::Range<usize>> {
    let shown: Vec<(usize, char)> = s
        .char_indices()
        .filter(|&(_, c)| !is_invisible(c))
        .collect();
    let chars: Vec<char> = shown.iter().map(|&(_, c)| narrow(c)).collect();
    let byte = |i: usize| shown.get(i).map_or(s.len(), |&(b, _)| b);
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let end = email_at(&chars, i).or_else(|| number_at(&chars, i).map(|(end, _)| end));
        match end {
            Some(end) => {
                spans.push(byte(i)..byte(end));
                i = end;
            }
            None => i += 1,
        }
    }
    spans
}

/// The ASCII character a full-width or small form stands for (U+FF01 to
/// U+FF5E, the ideographic space, the small commercial at and full stop),
/// else the character itself: one character for one, so positions agree.
fn narrow(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{fe6b}' => '@',
        '\u{fe52}' => '.',
        _ if (c as u32) < 0x660 => c,
        _ => other_digit(c).unwrap_or(c),
    }
}

/// The first code point (the zero) of each run of ten decimal digits
/// outside ASCII and the full-width forms, in Unicode's order: Arabic-Indic,
/// extended Arabic-Indic (Persian, Urdu), NKo, the Indic scripts from
/// Devanagari to Sinhala, Thai, Lao, Tibetan, Myanmar (two runs), Khmer,
/// Mongolian, Limbu, New Tai Lue, Tai Tham (two), Balinese, Sundanese,
/// Lepcha, Ol Chiki, Vai, Saurashtra, Kayah Li, Javanese, Myanmar
/// Extended-B, Cham, Meetei Mayek, Osmanya, the mathematical digits (bold,
/// double-struck, sans-serif, sans-serif bold, monospace) and the
/// segmented digits.
const DIGIT_ZEROS: [u32; 42] = [
    0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66,
    0x0de6, 0x0e50, 0x0ed0, 0x0f20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
    0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0,
    0x104a0, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1fbf0,
];

/// The ASCII digit a decimal digit of another script stands for.
fn other_digit(c: char) -> Option<char> {
    let c = c as u32;
    let i = DIGIT_ZEROS.partition_point(|&z| z <= c).checked_sub(1)?;
    let d = c - DIGIT_ZEROS[i];
    (d < 10).then(|| char::from(b'0' + d as u8))
}

/// Characters that show nothing: zero-width space, non-joiner and joiner,
/// word joiner and the invisible operators, the byte-order mark (a
/// zero-width no-break space inside text), the Mongolian vowel separator
/// and the soft hyphen.
/// `s` without its invisible characters (zero-width space, joiners, word
/// joiner, U+FEFF, soft hyphen), for words shown as keywords.
pub fn visible(s: &str) -> String {
    s.chars().filter(|&c| !is_invisible(c)).collect()
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{180e}' | '\u{ad}'
    )
}

fn is_local_part(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

/// The end of an e-mail address that starts at `i`, if one does.
fn email_at(chars: &[char], i: usize) -> Option<usize> {
    if i > 0 && is_local_part(chars[i - 1]) {
        return None;
    }
    let at = i + chars[i..].iter().take_while(|&&c| is_local_part(c)).count();
    if at == i || chars.get(at) != Some(&'@') {
        return None;
    }
    let domain_len = chars[at + 1..]
        .iter()
        .take_while(|&&c| c.is_alphanumeric() || c == '-' || c == '.')
        .count();
    // A sentence may end right after the address: "write to a@b.com."
    let mut end = at + 1 + domain_len;
    while end > at + 1 && matches!(chars[end - 1], '.' | '-') {
        end -= 1;
    }
    let domain: String = chars[at + 1..end].iter().collect();
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels.last()?;
    let valid = labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty())
        && tld.chars().count() >= 2
        && tld.chars().all(char::is_alphabetic);
    valid.then_some(end)
}

const NUMBER_SEPARATORS: [char; 4] = [' ', '-', '.', ')'];

/// The end of a phone or card-like number that starts at `i`, and its
/// placeholder.
fn number_at(chars: &[char], i: usize) -> Option<(usize, &'static str)> {
    let c = chars[i];
    let next_is_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
    let plus = c == '+' && next_is_digit;
    let paren = c == '(' && next_is_digit;
    if !(c.is_ascii_digit() || plus || paren) {
        return None;
    }
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '+') {
        return None;
    }
    // The middle of a dotted number ("19045.3693" in "10.0.19045.3693").
    if i > 1 && chars[i - 1] == '.' && chars[i - 2].is_ascii_digit() {
        return None;
    }
    // Digit groups and the separators between them: "+1 (555) 010-2345".
    let mut groups: Vec<usize> = Vec::new();
    let mut separators: Vec<char> = Vec::new();
    let mut j = if plus || paren { i + 1 } else { i };
    loop {
        let len = chars[j..].iter().take_while(|c| c.is_ascii_digit()).count();
        groups.push(len);
        j += len;
        // Up to two separator characters, e.g. ") ", then more digits.
        let sep = chars[j..]
            .iter()
            .take(2)
            .take_while(|c| NUMBER_SEPARATORS.contains(c) || **c == '(')
            .count();
        if sep == 0 || !chars.get(j + sep).is_some_and(char::is_ascii_digit) {
            break;
        }
        separators.extend(&chars[j..j + sep]);
        j += sep;
    }
    if chars.get(j).is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    let digits: usize = groups.iter().sum();
    let only = |allowed: &[char]| separators.iter().all(|c| allowed.contains(c));
    if (13..=19).contains(&digits) && !plus && !paren && only(&[' ', '-']) {
        return Some((j, "[number]"));
    }
    if !(7..=15).contains(&digits) || looks_like_date(&groups, &separators) {
        return None;
    }
    let phone = if plus || paren {
        true
    } else if separators.is_empty() {
        // Bare digits: short runs are amounts and counts, long ones phones.
        digits >= 9
    } else if only(&['.']) {
        // Dotted numbers are decimals, versions ("2026.11.0",
        // "10.0.19045.3693") and IP addresses, except in the one shape
        // phones are dotted in, 555.010.2345.
        groups == [3, 3, 4]
    } else {
        groups.len() >= 3 || groups == [3, 4] || digits >= 10
    };
    phone.then_some((j, "[phone]"))
}

/// `2026-10-30`, `30.10.2026`, `10-30-2026`, with one kind of separator.
fn looks_like_date(groups: &[usize], separators: &[char]) -> bool {
    if groups.len() < 3
        || separators.len() < 2
        || separators[0] != separators[1]
        || !matches!(separators[0], '-' | '.')
    {
        return false;
    }
    let day_or_month = |g: usize| (1..=2).contains(&g);
    let (a, b, c) = (groups[0], groups[1], groups[2]);
    (a == 4 && day_or_month(b) && day_or_month(c))
        || (day_or_month(a) && day_or_month(b) && (c == 4 || c == 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_show_control_characters_escaped_and_keep_lines() {
        assert_eq!(
            terminal_lines("nope\u{1b}[31m.csv: file not found\n  help: x\u{7}"),
            "nope\\u{1b}[31m.csv: file not found\n  help: x\\u{7}"
        );
        assert_eq!(terminal_lines("a\u{202e}b\rc"), "a\\u{202e}b\\u{d}c");
        // Bidi marks too, as the overrides and isolates.
        assert_eq!(terminal_lines("x\u{200f}y\u{61c}"), "x\\u{200f}y\\u{61c}");
        assert_eq!(terminal("Ann\u{200f}\u{2067}ie\u{200e}"), "Annie");
    }

    #[test]
    fn strips_escape_sequences() {
        assert_eq!(terminal("a\u{1b}[2Jb"), "ab");
        assert_eq!(
            terminal("\u{1b}]8;;http://evil\u{7}click\u{1b}]8;;\u{7}"),
            "click"
        );
        assert_eq!(terminal("\u{1b}]0;title\u{1b}\\x"), "x");
        assert_eq!(terminal("bell\u{7} nul\0 del\u{7f}"), "bell nul del");
        assert_eq!(terminal("two\nlines\ttab"), "two lines tab");
        assert_eq!(terminal("héllo ✓"), "héllo ✓");
    }

    fn read(s: &str) -> String {
        let mut t = s.to_string();
        crate::ingest::values::strip_controls(&mut t);
        t
    }

    #[test]
    fn terminal_output_and_reading_agree_on_where_sequences_end() {
        for s in [
            "\u{9b}31mred\u{9b}0m",
            "\u{1b}Pq#0;2;0;0;0\u{1b}\\ok",
            "\u{90}hidden\u{9c}ok",
            "\u{1b}_apc\u{1b}\\ok",
            "\u{1b}^pm\u{9c}ok",
            "\u{9d}8;;http://evil\u{1b}\\click",
            "see \u{1b}[31mred\u{1b}[0m here",
            "does\u{9b} not work",
        ] {
            let shown = terminal(s);
            assert_eq!(shown, read(s), "{s:?}");
            for hidden in ["31m", "0m", "q#0", "hidden", "apc", "pm", "evil"] {
                assert!(!shown.contains(hidden), "{s:?} shows {shown:?}");
            }
        }
    }

    #[test]
    fn neutralizes_formulas() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("fine = ok"), "fine = ok");
    }

    #[test]
    fn escapes_markdown() {
        assert_eq!(markdown("a|b"), "a\\|b");
        assert_eq!(markdown("- export list"), "\\- export list");
        assert_eq!(markdown("+ plus"), "\\+ plus");
        assert_eq!(markdown("12. numbered"), "12\\. numbered");
        assert_eq!(
            markdown("12 items, 3.5 each - ok"),
            "12 items, 3.5 each - ok"
        );
        // A word GitHub would link by itself is shown in a code span.
        assert_eq!(markdown("![x](http://e)"), "`![x](http://e)`");
        assert_eq!(
            markdown("see https://evil.example/a and www.evil.example, or me@x.test"),
            "see `https://evil.example/a` and `www.evil.example,` or `me@x.test`"
        );
        assert_eq!(markdown("a`b://c| d"), "``a`b://c/`` d");
        assert_eq!(markdown("`http://x`"), "`` `http://x` ``");
        assert_eq!(markdown("user@ host. x"), "user@ host. x");
        assert_eq!(markdown("<script>"), "&lt;script&gt;");
        assert_eq!(markdown("`code`"), "\\`code\\`");
    }

    #[test]
    fn markdown_code_spans_only_what_needs_no_escaping() {
        assert_eq!(markdown_code("sso"), "`sso`");
        assert_eq!(markdown_code("a_b"), "a\\_b");
        assert_eq!(markdown_code("x` | <img>"), "x\\` \\| &lt;img&gt;");
        assert_eq!(markdown_code("\u{1b}]8;;http://e\u{7}click"), "click");
        assert_eq!(markdown_code(""), "");
    }

    #[test]
    fn redacts_email_addresses() {
        assert_eq!(
            redact("write to ann.lee+pm@big-co.example.com today"),
            "write to [email] today"
        );
        assert_eq!(redact("mail me: bob@small.test."), "mail me: [email].");
        assert_eq!(redact("(zoë@exämple.de)"), "([email])");
        assert_eq!(redact("two: a@b.io,c@d.io"), "two: [email],[email]");
    }

    #[test]
    fn leaves_things_that_only_look_like_addresses() {
        assert_eq!(redact("ping @sam on slack"), "ping @sam on slack");
        assert_eq!(redact("meet@noon"), "meet@noon");
        assert_eq!(redact("user@localhost"), "user@localhost");
        assert_eq!(redact("a@b.c1"), "a@b.c1");
    }

    #[test]
    fn redacts_phone_numbers() {
        assert_eq!(redact("call +1 (555) 010-2345 now"), "call [phone] now");
        assert_eq!(redact("+44 20 7946 0958"), "[phone]");
        assert_eq!(redact("ring 07700 900123."), "ring [phone].");
        assert_eq!(redact("my cell is 5550102345"), "my cell is [phone]");
        assert_eq!(redact("desk: 555-0123"), "desk: [phone]");
        assert_eq!(redact("555.010.2345"), "[phone]");
        assert_eq!(redact("(030) 1234567"), "[phone]");
    }

    #[test]
    fn full_width_forms_do_not_hide_data_and_other_text_keeps_them() {
        assert_eq!(redact("mail j\u{ff20}example.com now"), "mail [email] now");
        assert_eq!(redact("ｊｏ＠ｅｘａｍｐｌｅ．ｃｏｍ"), "[email]");
        assert_eq!(redact("a\u{fe6b}b.io"), "[email]");
        assert_eq!(redact("call ５５５－０１０－２３４５"), "call [phone]");
        // Full-width text that holds no data is left as written.
        assert_eq!(redact("ＳＳＯ ２ｘ faster"), "ＳＳＯ ２ｘ faster");
        assert_eq!(
            redact("version ２０２６．１１．０"),
            "version ２０２６．１１．０"
        );
    }

    #[test]
    fn invisible_characters_neither_hide_data_nor_reach_the_output() {
        assert_eq!(redact("j\u{200b}@example.com"), "[email]");
        assert_eq!(
            redact("mail ann\u{200c}.lee@exam\u{200d}ple.com\u{feff} or call 555\u{2060}-0123"),
            "mail [email] or call [phone]"
        );
        assert_eq!(redact("ex\u{ad}port fails\u{180e}"), "export fails");
        assert_eq!(redact("555\u{200b}0102345"), "[phone]");
    }

    #[test]
    fn digits_of_other_scripts_do_not_hide_a_number() {
        // Arabic-Indic, Persian, Devanagari, Bengali, Thai, mathematical bold.
        for phone in [
            "٠٥٥٥ ٠١٠ ٢٣٤٥",
            "۰۵۵۵ ۰۱۰ ۲۳۴۵",
            "०५५५ ०१० २३४५",
            "০৫৫৫ ০১০ ২৩৪৫",
            "๐๕๕๕ ๐๑๐ ๒๓๔๕",
            "\u{1d7ce}\u{1d7d3}\u{1d7d3}\u{1d7d3} \u{1d7ce}\u{1d7cf}\u{1d7ce} \u{1d7d0}\u{1d7d1}\u{1d7d2}\u{1d7d3}",
        ] {
            assert_eq!(redact(&format!("call {phone} now")), "call [phone] now", "{phone}");
        }
        // A card number in Arabic-Indic digits.
        assert_eq!(redact("رقم ٤١١١ ١١١١ ١١١١ ١١١١"), "رقم [number]");
        // Text without a number keeps its digits as written.
        assert_eq!(redact("الإصدار ٢٠٢٦"), "الإصدار ٢٠٢٦");
        // Every zero starts a run of ten numeric characters, in order.
        for pair in DIGIT_ZEROS.windows(2) {
            assert!(pair[0] + 10 <= pair[1], "{:x}", pair[0]);
        }
        for &z in &DIGIT_ZEROS {
            for d in 0..10 {
                let c = char::from_u32(z + d).unwrap();
                assert!(c.is_numeric(), "{:x}", z + d);
                assert_eq!(other_digit(c), Some(char::from(b'0' + d as u8)));
            }
            if !DIGIT_ZEROS.contains(&(z + 10)) {
                assert_eq!(other_digit(char::from_u32(z + 10).unwrap()), None);
            }
        }
        assert_eq!(other_digit('a'), None);
        assert_eq!(other_digit('\u{065f}'), None);
    }

    #[test]
    fn redacts_card_like_numbers() {
        assert_eq!(
            redact("card 4111 1111 1111 1111 declined"),
            "card [number] declined"
        );
        assert_eq!(redact("4111-1111-1111-1111"), "[number]");
        assert_eq!(redact("4111111111111111"), "[number]");
    }

    #[test]
    fn leaves_dates_amounts_versions_and_counts() {
        for s in [
            "since 2026-10-30 14:22 it fails",
            "on 30.10.2026",
            "on 10-30-2026",
            "we pay $1,200,000 a year",
            "about 120000 rows",
            "3.14159265 is pi",
            "v2.14.1 and 10.15.7",
            "server 192.168.100.200",
            "10-20 seats, 1000-2000 users",
            "ticket #12345 from 2025",
            "SKU AB1234567890",
            "build 1234567.89",
            "export broken since 2026.11.0 on Windows 10.0.19045.3693",
            "Android 14.0.0.123456, app 7.31.2024.1105",
            "release 2026.1105.1",
        ] {
            assert_eq!(redact(s), s);
        }
    }

    proptest::proptest! {
        /// Without lone control characters, whose policies differ, what
        /// reaches a terminal is what was read.
        #[test]
        fn sequences_end_in_the_same_place_for_both(
            s in "[\u{1b}\u{9b}\u{9d}\u{90}\\[\\]\\\\P_^Xa-z0-9;: é]{0,40}"
        ) {
            proptest::prop_assert_eq!(terminal(&s), read(&s));
        }

        #[test]
        fn redaction_never_panics_and_is_stable(s in "[a-z0-9@.+() -]{0,40}|\\PC{0,40}") {
            let once = redact(&s);
            proptest::prop_assert_eq!(redact(&once), once.clone());
        }

        #[test]
        fn any_plain_address_in_text_is_redacted(
            before in "[a-z ]{0,12}",
            address in "[a-z][a-z0-9.]{0,8}@[a-z]{1,8}\\.[a-z]{2,4}",
            after in "[ ,;!?][a-z ]{0,12}",
        ) {
            let text = format!("{before} {address}{after}");
            let out = redact(&text);
            proptest::prop_assert!(!out.contains('@'), "{out}");
            proptest::prop_assert!(out.contains("[email]"));
        }
    }
}

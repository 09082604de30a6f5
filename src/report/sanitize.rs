//! Making untrusted feedback text safe for where it is written.
//!
//! Feedback is written by strangers and reaches terminals, spreadsheets and
//! Markdown renderers. Each writer passes text through the function for its
//! medium.

/// For terminals: removes ANSI CSI and OSC escape sequences and every other
/// control character, and turns line breaks and tabs into spaces.
pub fn terminal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.peek() {
                // CSI: ESC [ parameters, then a final byte in @..~.
                Some('[') => {
                    chars.next();
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                // OSC (hyperlinks, titles): ESC ] ... ended by BEL or ESC \.
                Some(']') => {
                    chars.next();
                    while let Some(c) = chars.next() {
                        if c == '\u{7}' {
                            break;
                        }
                        if c == '\u{1b}' {
                            if chars.peek() == Some(&'\\') {
                                chars.next();
                            }
                            break;
                        }
                    }
                }
                // Other two-byte escapes.
                Some(_) => {
                    chars.next();
                }
                None => {}
            },
            // C1 CSI and OSC introducers.
            '\u{9b}' | '\u{9d}' => {}
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            // Bidirectional overrides can make text read differently than it is.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out
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

/// Control characters removed, but line breaks kept (CSV quotes them).
fn terminal_keep_newlines(s: &str) -> String {
    s.split('\n').map(terminal).collect::<Vec<_>>().join("\n")
}

/// For Markdown: escapes everything that could end a table cell, start a
/// link, an image, code or HTML, or a heading or list.
pub fn markdown(s: &str) -> String {
    let s = terminal(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
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
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(markdown("![x](http://e)"), "\\!\\[x\\]\\(http://e\\)");
        assert_eq!(markdown("<script>"), "&lt;script&gt;");
        assert_eq!(markdown("`code`"), "\\`code\\`");
    }
}

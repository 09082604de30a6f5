//! Terminal escape sequences in untrusted text, found in one place.
//!
//! Feedback text loses its escape sequences twice: as it is read
//! ([`crate::ingest::values::strip_controls`]), so that what a sequence
//! hides does not become a word in tags and themes, and before it reaches a
//! terminal ([`crate::report::sanitize::terminal`]), which also sees ids,
//! titles and file names. The two differ in what they make of a lone
//! control character, a line break or a bidi override, but they must agree
//! on where a sequence ends: text that one took for a sequence's parameters
//! and the other for words would be hidden from one and shown by the other.
//! So both walk text with [`pieces`].
//!
//! A sequence is one of:
//! - CSI, `ESC [` or the C1 `U+009B`: parameter and intermediate bytes
//!   (`!` to `?`), then a final byte (`@` to `~`) if there is one. A space,
//!   which the standard allows as an intermediate but colours and cursor
//!   moves never use, ends it, so a stray CSI does not eat the next word.
//! - A control string, `ESC` then `]` (OSC: titles, hyperlinks), `P` (DCS),
//!   `X` (SOS), `^` (PM) or `_` (APC), or their C1 forms `U+009D`,
//!   `U+0090`, `U+0098`, `U+009E`, `U+009F`: everything through BEL, the C1
//!   ST `U+009C` or `ESC` (with the `\` of `ESC \`, if it follows). An
//!   unterminated string runs to the end of the text.
//! - An nF escape, `ESC`, intermediate bytes (`!` to `/`) and a final
//!   byte (`0` to `~`) if there is one: `ESC ( B` selects a character set.
//!   As in a CSI, a space does not count as an intermediate.
//! - Any other `ESC` with the character after it (a two-character escape),
//!   or a lone `ESC` at the end.

/// A character of text, or a whole escape sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    Char(char),
    /// An escape sequence, skipped whole.
    Sequence,
}

/// The text as characters and escape sequences, in order.
pub fn pieces(s: &str) -> Pieces<'_> {
    Pieces { rest: s }
}

pub struct Pieces<'a> {
    rest: &'a str,
}

impl Iterator for Pieces<'_> {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        let c = self.rest.chars().next()?;
        if is_introducer(c) {
            let len = sequence_len(self.rest).unwrap_or(c.len_utf8());
            self.rest = &self.rest[len..];
            Some(Piece::Sequence)
        } else {
            self.rest = &self.rest[c.len_utf8()..];
            Some(Piece::Char(c))
        }
    }
}

/// Whether `c` starts an escape sequence: ESC or a C1 introducer.
pub fn is_introducer(c: char) -> bool {
    matches!(
        c,
        '\u{1b}' | '\u{9b}' | '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}'
    )
}

/// If `s` starts with an escape sequence, how many bytes it spans.
pub fn sequence_len(s: &str) -> Option<usize> {
    let mut chars = s.chars();
    let first = chars.next()?;
    // Where the sequence's body starts, and whether it is a control string.
    let (body, string) = match first {
        '\u{1b}' => match chars.next() {
            Some('[') => (2, false),
            Some(']' | 'P' | 'X' | '^' | '_') => (2, true),
            Some('!'..='/') => {
                let bytes = s.as_bytes();
                let mut i = 2;
                while i < bytes.len() && (0x21..=0x2f).contains(&bytes[i]) {
                    i += 1;
                }
                if i < bytes.len() && (0x30..=0x7e).contains(&bytes[i]) {
                    i += 1;
                }
                return Some(i);
            }
            Some(other) => return Some(1 + other.len_utf8()),
            None => return Some(1),
        },
        '\u{9b}' => (first.len_utf8(), false),
        c if is_introducer(c) => (c.len_utf8(), true),
        _ => return None,
    };
    // Every byte a sequence ends on is ASCII, or the C1 ST (C2 9C); a byte
    // scan meets 0xC2 only as the lead byte of a character, so each end it
    // finds is on a character boundary.
    let bytes = s.as_bytes();
    let mut i = body;
    if string {
        while i < bytes.len() {
            match bytes[i] {
                0x07 => return Some(i + 1),
                0xc2 if bytes.get(i + 1) == Some(&0x9c) => return Some(i + 2),
                0x1b => {
                    return Some(if bytes.get(i + 1) == Some(&b'\\') {
                        i + 2
                    } else {
                        i + 1
                    })
                }
                _ => i += 1,
            }
        }
        return Some(bytes.len());
    }
    while i < bytes.len() && (0x21..=0x3f).contains(&bytes[i]) {
        i += 1;
    }
    if i < bytes.len() && (0x40..=0x7e).contains(&bytes[i]) {
        i += 1;
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> String {
        pieces(s)
            .map(|p| match p {
                Piece::Char(c) => c.to_string(),
                Piece::Sequence => "|".into(),
            })
            .collect()
    }

    #[test]
    fn finds_where_each_kind_of_sequence_ends() {
        assert_eq!(text("a\u{1b}[31mb\u{1b}[0m"), "a|b|");
        assert_eq!(text("\u{9b}1;2Hx"), "|x");
        // A space ends a CSI with no final byte: the word after it stays.
        assert_eq!(text("does\u{9b} not"), "does| not");
        assert_eq!(text("\u{1b}]8;;http://e\u{7}click"), "|click");
        assert_eq!(text("\u{1b}]0;title\u{1b}\\x"), "|x");
        assert_eq!(text("\u{1b}Pq#0;2\u{1b}\\ok"), "|ok");
        assert_eq!(text("\u{9d}title\u{9c}ok"), "|ok");
        assert_eq!(text("\u{1b}]never ends"), "|");
        assert_eq!(text("\u{1b}(B\u{1b}"), "||");
        assert_eq!(text("\u{1b}(Bok"), "|ok");
        assert_eq!(text("\u{1b}#8x"), "|x");
        assert_eq!(text("\u{1b}$)Ax"), "|x");
        // A space is not an intermediate, and a missing final byte ends it.
        assert_eq!(text("\u{1b}( no"), "| no");
        assert_eq!(text("\u{1b}(é"), "|é");
        assert_eq!(text("\u{1b}7x"), "|x");
        assert_eq!(text("\u{1b}é!"), "|!");
        assert_eq!(text("plain é ✓\n"), "plain é ✓\n");
    }

    proptest::proptest! {
        /// Any text splits into pieces without panicking, and the pieces
        /// of text without introducers are its characters.
        #[test]
        fn any_text_splits(s in "[\u{1b}\u{9b}\u{9c}\u{9d}\u{7}\\[\\]\\\\a-z0-9;: é😀]{0,40}") {
            let n = pieces(&s).count();
            proptest::prop_assert!(n <= s.chars().count());
            if !s.chars().any(is_introducer) {
                proptest::prop_assert_eq!(n, s.chars().count());
            }
        }
    }
}

//! JSON as painmap writes it: serde_json's, with the characters that can
//! take over a terminal or hide text escaped as `\uXXXX`.
//!
//! serde_json escapes the C0 controls, but JSON Lines are read on
//! terminals too (`painmap tag | less`, a CI log). A bidirectional
//! override (U+202E) in a customer's name reverses what follows it on
//! screen, a C1 control (U+009B) is a terminal's CSI, and U+2028 and
//! U+2029 break lines in some readers. Escaped, they are still the same
//! string to every JSON parser.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

use super::sanitize::is_bidi_control;

/// Writes `value` as one line of JSON.
pub fn to_writer<W: Write, T: Serialize + ?Sized>(w: W, value: &T) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, Safe(CompactFormatter));
    value.serialize(&mut ser)
}

/// Writes `value` as indented JSON.
pub fn to_writer_pretty<W: Write, T: Serialize + ?Sized>(
    w: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, Safe(PrettyFormatter::new()));
    value.serialize(&mut ser)
}

/// `value` as one line of JSON.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    to_writer(&mut out, value)?;
    // Only valid UTF-8 goes in, and escapes are ASCII.
    Ok(String::from_utf8(out).expect("JSON is UTF-8"))
}

/// Whether `c` is written as `\uXXXX`: DEL and the C1 controls, the
/// bidirectional marks, embeddings, overrides and isolates, and the line
/// and paragraph separators.
fn escaped(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}') || is_bidi_control(c)
}

/// A formatter that writes what [`escaped`] names as `\uXXXX`, and
/// everything else as `F` does.
struct Safe<F>(F);

impl<F: Formatter> Formatter for Safe<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices().filter(|&(_, c)| escaped(c)) {
            w.write_all(&fragment.as_bytes()[start..i])?;
            write!(w, "\\u{:04x}", u32::from(c))?;
            start = i + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    // The layout is `F`'s.
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_characters_are_escaped_and_read_back_the_same() {
        let text = "Acme\u{202e}live \u{9b}31m red\u{7f} \u{2028}line é ✓ \"q\"\n";
        let line = to_string(&serde_json::json!({ "text": text })).unwrap();
        assert_eq!(
            line,
            r#"{"text":"Acme\u202elive \u009b31m red\u007f \u2028line é ✓ \"q\"\n"}"#
        );
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back["text"], text);
        // Pretty output keeps serde_json's layout.
        let value = serde_json::json!({ "a": [1, "\u{2066}x"], "b": {} });
        let mut pretty = Vec::new();
        to_writer_pretty(&mut pretty, &value).unwrap();
        let plain = serde_json::to_string_pretty(&value).unwrap();
        assert_eq!(
            String::from_utf8(pretty).unwrap(),
            plain.replace('\u{2066}', "\\u2066")
        );
    }
}

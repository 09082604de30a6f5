//! What each ASCII byte is, for the byte-at-a-time fast paths of
//! normalizing and sentiment: one table load a byte instead of several
//! tests. A byte may be in several classes (`!` is a [`MARK`] and a
//! [`BREAK`]; a line break is [`SPACE`] and [`BREAK`]).

/// White space as `char::is_whitespace` has it on ASCII: these six bytes,
/// vertical tab included, unlike `u8::is_ascii_whitespace`.
pub const SPACE: u8 = 1;
pub const UPPER: u8 = 2;
pub const LOWER: u8 = 4;
pub const DIGIT: u8 = 8;
/// `!` or `?`.
pub const MARK: u8 = 16;
/// A byte after which a new clause starts ([`is_break`]).
pub const BREAK: u8 = 32;
/// A letter or a digit.
pub const ALNUM: u8 = UPPER | LOWER | DIGIT;

/// The characters after which a new clause starts.
#[inline]
pub const fn is_break(b: u8) -> bool {
    matches!(
        b,
        b'.' | b'!' | b'?' | b';' | b':' | b',' | b'(' | b')' | b'\n' | b'\r'
    )
}

static CLASSES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let mut c = match b {
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => SPACE,
            b'A'..=b'Z' => UPPER,
            b'a'..=b'z' => LOWER,
            b'0'..=b'9' => DIGIT,
            b'!' | b'?' => MARK,
            _ => 0,
        };
        if is_break(b) {
            c |= BREAK;
        }
        t[i] = c;
        i += 1;
    }
    t
};

/// The classes of byte `b`, 0 for none.
#[inline(always)]
pub fn class(b: u8) -> u8 {
    CLASSES[usize::from(b)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_is_classed_as_the_standard_library_would() {
        for b in 0..=255u8 {
            let c = class(b);
            assert_eq!(
                c & SPACE != 0,
                b.is_ascii() && char::from(b).is_whitespace(),
                "{b}"
            );
            assert_eq!(c & UPPER != 0, b.is_ascii_uppercase(), "{b}");
            assert_eq!(c & LOWER != 0, b.is_ascii_lowercase(), "{b}");
            assert_eq!(c & DIGIT != 0, b.is_ascii_digit(), "{b}");
            assert_eq!(c & ALNUM != 0, b.is_ascii_alphanumeric(), "{b}");
            assert_eq!(c & MARK != 0, b == b'!' || b == b'?', "{b}");
            assert_eq!(c & BREAK != 0, is_break(b), "{b}");
        }
    }
}

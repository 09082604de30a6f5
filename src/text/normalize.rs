//! One normalization pass per text: Unicode NFKC, lower case, tokens, and
//! the English Snowball stemmer.
//!
//! The result is the stems joined by single spaces, with a space at each end
//! (`" export keep time out "`). Phrases are normalized the same way, so an
//! automaton over that string matches whole tokens only: `" api "` can never
//! match inside `" rapid "`. Contractions are split (`can't` becomes
//! `can not`) so that phrases written either way agree.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

/// Turns text into its normalized token string. Cheap to share: it holds
/// only the stemmer tables.
pub struct Normalizer {
    stemmer: Stemmer,
}

impl std::fmt::Debug for Normalizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Normalizer")
    }
}

/// A normalized text. Reused between items to avoid allocating per item.
#[derive(Debug, Default, Clone)]
pub struct Normalized {
    /// `" stem stem stem "`.
    pub text: String,
    /// Byte offset in `text` where each token starts.
    pub starts: Vec<u32>,
    word: String,
}

impl Normalized {
    pub fn token_count(&self) -> usize {
        self.starts.len()
    }

    /// The index of the token that starts at byte `offset` of `text`.
    pub fn token_at(&self, offset: usize) -> usize {
        match self.starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// The tokens, in order.
    pub fn tokens(&self) -> impl Iterator<Item = &str> {
        self.text.split(' ').filter(|t| !t.is_empty())
    }
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer::new()
    }
}

impl Normalizer {
    pub fn new() -> Normalizer {
        Normalizer {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }

    /// Normalizes `input` into `out`, replacing what `out` held.
    pub fn normalize_into(&self, input: &str, out: &mut Normalized) {
        out.text.clear();
        out.starts.clear();
        out.text.push(' ');
        let mut word = std::mem::take(&mut out.word);
        word.clear();
        if input.is_ascii() {
            for c in input.chars() {
                self.feed(c.to_ascii_lowercase(), &mut word, out);
            }
        } else {
            for c in input.nfkc() {
                for lc in c.to_lowercase() {
                    self.feed(lc, &mut word, out);
                }
            }
        }
        self.flush(&mut word, out);
        out.word = word;
    }

    /// The normalized form of a phrase, as a pattern for the automaton
    /// (`" singl sign on "`), or `None` when it has no words.
    pub fn phrase(&self, input: &str) -> Option<String> {
        let mut n = Normalized::default();
        self.normalize_into(input, &mut n);
        (n.token_count() > 0).then_some(n.text)
    }

    /// The stems of a text, one string each.
    pub fn stems(&self, input: &str) -> Vec<String> {
        let mut n = Normalized::default();
        self.normalize_into(input, &mut n);
        n.tokens().map(str::to_string).collect()
    }

    #[inline]
    fn feed(&self, c: char, word: &mut String, out: &mut Normalized) {
        if c.is_alphanumeric() {
            word.push(c);
        } else if is_apostrophe(c) && !word.is_empty() {
            word.push('\'');
        } else {
            self.flush(word, out);
        }
    }

    fn flush(&self, word: &mut String, out: &mut Normalized) {
        let trimmed = word.trim_matches('\'');
        if trimmed.is_empty() {
            word.clear();
            return;
        }
        if let Some(base) = trimmed.strip_suffix("n't") {
            let base = match base {
                "ca" => "can",
                "wo" => "will",
                "sha" => "shall",
                "ai" => "is",
                b => b,
            };
            if !base.is_empty() {
                self.push_stem(base, out);
            }
            self.push_token("not", out);
        } else if trimmed == "cannot" {
            self.push_token("can", out);
            self.push_token("not", out);
        } else {
            let trimmed = trimmed.to_string();
            self.push_stem(&trimmed, out);
        }
        word.clear();
    }

    fn push_stem(&self, word: &str, out: &mut Normalized) {
        let stem = self.stemmer.stem(word);
        self.push_token(&stem, out);
    }

    fn push_token(&self, token: &str, out: &mut Normalized) {
        out.starts.push(out.text.len() as u32);
        out.text.push_str(token);
        out.text.push(' ');
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// Whether a string has anything that normalizes to a token.
pub fn has_word(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        let mut n = Normalized::default();
        Normalizer::new().normalize_into(s, &mut n);
        n.text
    }

    #[test]
    fn lowercases_tokenizes_and_stems() {
        assert_eq!(norm("Exporting EXPORTS, export!"), " export export export ");
        assert_eq!(norm(""), " ");
        assert_eq!(norm("  ...  "), " ");
    }

    #[test]
    fn nfkc_folds_compatibility_forms() {
        // Full-width letters and the "ﬁ" ligature become plain letters.
        assert_eq!(norm("ＳＳＯ"), " sso ");
        assert_eq!(norm("ﬁle"), norm("file"));
    }

    #[test]
    fn contractions_split_into_not() {
        assert_eq!(norm("can't"), " can not ");
        assert_eq!(norm("Can’t"), " can not ");
        assert_eq!(norm("cannot"), " can not ");
        assert_eq!(norm("won't"), " will not ");
        assert_eq!(norm("doesn't"), norm("does not"));
    }

    #[test]
    fn punctuation_separates_tokens() {
        assert_eq!(norm("single sign-on"), " singl sign on ");
        assert_eq!(norm("e-mail/slack"), " e mail slack ");
    }

    #[test]
    fn token_offsets_point_at_tokens() {
        let mut n = Normalized::default();
        Normalizer::new().normalize_into("the rapid api", &mut n);
        assert_eq!(n.token_count(), 3);
        let api = n.text.find(" api ").unwrap() + 1;
        assert_eq!(n.token_at(api), 2);
        assert_eq!(n.tokens().collect::<Vec<_>>(), ["the", "rapid", "api"]);
    }

    #[test]
    fn phrase_of_nothing_is_none() {
        assert_eq!(Normalizer::new().phrase("!!"), None);
        assert_eq!(
            Normalizer::new().phrase("Dark Mode").as_deref(),
            Some(" dark mode ")
        );
    }
}

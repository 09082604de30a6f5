//! Presets: the column layouts of real feedback tools' exports, detected
//! from the headers, so a PM can rank a raw export with no configuration.

use crate::item::RatingScale;

use super::columns::normalize_header;

/// One export layout. Column names are the export's own; they are compared
/// exactly first and then normalized (see [`normalize_header`]).
#[derive(Debug)]
pub struct Preset {
    pub name: &'static str,
    pub what: &'static str,
    /// Normalized headers that must all be present for detection. The
    /// preset with the most matching signature headers wins.
    pub signature: &'static [&'static str],
    pub id: &'static [&'static str],
    /// Joined in order to make the text.
    pub text: &'static [&'static str],
    pub created_at: &'static [&'static str],
    pub customer: &'static [&'static str],
    pub account: &'static [&'static str],
    pub value: &'static [&'static str],
    pub rating: &'static [&'static str],
    pub rating_scale: Option<RatingScale>,
    pub segment: &'static [&'static str],
    pub kind: &'static [&'static str],
}

pub const PRESETS: &[Preset] = &[Preset {
    name: "zendesk",
    what: "Zendesk tickets CSV (Reporting > CSV export)",
    signature: &["requester", "subject", "ticket_type", "created_at"],
    id: &["Id"],
    text: &["Subject", "Description"],
    created_at: &["Created at"],
    customer: &["Requester email", "Requester"],
    account: &["Organization"],
    value: &["ARR", "MRR"],
    rating: &[],
    rating_scale: None,
    segment: &["Plan"],
    kind: &["Ticket type"],
}];

/// The preset names, for validation and messages.
pub fn names() -> impl Iterator<Item = &'static str> {
    PRESETS.iter().map(|p| p.name)
}

pub fn by_name(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// The most specific preset whose signature the headers carry.
pub fn detect(headers: &[String]) -> Option<&'static Preset> {
    let norm: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    PRESETS
        .iter()
        .filter(|p| p.signature.iter().all(|s| norm.iter().any(|h| h == s)))
        .max_by_key(|p| p.signature.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_zendesk_by_headers() {
        let h: Vec<String> =
            "Id,Requester,Requester email,Subject,Description,Ticket type,Created at"
                .split(',')
                .map(String::from)
                .collect();
        assert_eq!(detect(&h).map(|p| p.name), Some("zendesk"));
        let h: Vec<String> = vec!["id".into(), "text".into()];
        assert!(detect(&h).is_none());
    }
}

//! Room slugs: the address part of a room's link, derived from its name the way La Suite Meet
//! (Django's `slugify`) derives it, and the lookup rules for an address someone typed.

use meet_types::RoomCode;
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

/// Django's `slugify`: accents dropped (NFKD, then ASCII only), lowercase, anything but letters,
/// digits, `_`, `-` and spaces removed, runs of spaces and hyphens made one hyphen, and hyphens and
/// underscores trimmed from both ends. "Réunion d'équipe" → `reunion-dequipe`.
pub fn slugify(name: &str) -> String {
    let ascii: String = name.nfkd().filter(char::is_ascii).collect();
    let kept: String = ascii
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-') || c.is_whitespace())
        .collect();
    let mut slug = String::with_capacity(kept.len());
    let mut pending_separator = false;
    for c in kept.trim().chars() {
        if c == '-' || c.is_whitespace() {
            pending_separator = true;
            continue;
        }
        if pending_separator && !slug.is_empty() {
            slug.push('-');
        }
        pending_separator = false;
        slug.push(c);
    }
    slug.trim_matches(|c| c == '-' || c == '_').to_owned()
}

/// How a room is designated in an address or API path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RoomKey {
    Id(Uuid),
    Slug(String),
}

impl RoomKey {
    /// The room a path segment designates: its UUID, or its slug. Meeting codes are matched
    /// ignoring case and with optional hyphens (`ABCDEFGHIJ` is `abc-defg-hij`); other names go
    /// through [`slugify`]. `None` when nothing is left of it.
    pub fn parse(key: &str) -> Option<Self> {
        if let Ok(id) = Uuid::parse_str(key) {
            return Some(Self::Id(id));
        }
        if let Ok(code) = RoomCode::parse_bare(key) {
            return Some(Self::Slug(code.into()));
        }
        let slug = slugify(key);
        (!slug.is_empty()).then_some(Self::Slug(slug))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_matches_django() {
        for (name, slug) in [
            ("abc-defg-hij", "abc-defg-hij"),
            ("My Standup", "my-standup"),
            ("Réunion d'équipe", "reunion-dequipe"),
            ("  --Weekly   sync--  ", "weekly-sync"),
            ("a_b  c", "a_b-c"),
            ("__x__", "x"),
            ("ÉTÉ 2026 !", "ete-2026"),
            ("日本語", ""),
            ("Ångström—Lab", "angstromlab"),
        ] {
            assert_eq!(slugify(name), slug, "{name:?}");
        }
    }

    #[test]
    fn keys_accept_ids_codes_and_names() {
        let id = Uuid::new_v4();
        assert_eq!(RoomKey::parse(&id.to_string()), Some(RoomKey::Id(id)));
        for code in ["abc-defg-hij", "ABC-DEFG-HIJ", "abcdefghij", "AbcDefgHij"] {
            assert_eq!(
                RoomKey::parse(code),
                Some(RoomKey::Slug("abc-defg-hij".into())),
                "{code}"
            );
        }
        assert_eq!(
            RoomKey::parse("My Standup"),
            Some(RoomKey::Slug("my-standup".into()))
        );
        assert_eq!(RoomKey::parse("!!!"), None);
    }
}

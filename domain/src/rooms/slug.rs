//! Room slugs: the address part of a room's link, derived from its name the way La Suite Meet
//! (Django's `slugify`) derives it, and the lookup rules for an address someone typed.
//!
//! Addresses fall in three disjoint kinds ([`RoomKey`]): a room's id, a meeting code, and any
//! other slug. Only a meeting code can name an unregistered room (one that exists only by its
//! address), and only Meet generates registered rooms with code-shaped slugs, so nobody can
//! take over a meeting others hold at an unregistered address, and no spelling of a registered
//! room's id can pass for an unregistered room sharing its LiveKit room.

use meet_types::RoomCode;
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

/// The longest room key considered, in characters: a slug is made from a name of at most
/// [`crate::rooms::MAX_NAME_CHARS`] characters and is never longer than it.
pub const MAX_KEY_CHARS: usize = 500;

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

/// Whether a room named `name` would have the address of a meeting code: such addresses are
/// Meet's to generate.
pub fn is_code_shaped(name: &str) -> bool {
    RoomCode::parse_bare(&slugify(name)).is_ok()
}

/// How a room is designated in an address or API path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RoomKey {
    /// A room's id.
    Id(Uuid),
    /// A meeting code: a registered room with that slug, else an unregistered room.
    Code(RoomCode),
    /// Any other slug: a registered room, or nothing.
    Slug(String),
}

impl RoomKey {
    /// The room a path segment designates. A key that is, or slugifies to, a UUID is an id;
    /// meeting codes are matched ignoring case and with optional hyphens (`ABCDEFGHIJ` is
    /// `abc-defg-hij`); other names go through [`slugify`]. `None` when nothing is left of it,
    /// or when it is longer than any room's address can be.
    pub fn parse(key: &str) -> Option<Self> {
        // Bytes first: counting the characters of a huge key would be work for nothing.
        if key.len() > 4 * MAX_KEY_CHARS || key.chars().count() > MAX_KEY_CHARS {
            return None;
        }
        if let Ok(id) = Uuid::parse_str(key) {
            return Some(Self::Id(id));
        }
        if let Ok(code) = RoomCode::parse_bare(key) {
            return Some(Self::Code(code));
        }
        let slug = slugify(key);
        if slug.is_empty() {
            return None;
        }
        if let Ok(id) = Uuid::parse_str(&slug) {
            return Some(Self::Id(id));
        }
        if let Ok(code) = RoomCode::parse_bare(&slug) {
            return Some(Self::Code(code));
        }
        Some(Self::Slug(slug))
    }

    /// The slug a registered room found by this key has, for keys that are not ids.
    pub fn slug(&self) -> Option<&str> {
        match self {
            Self::Id(_) => None,
            Self::Code(code) => Some(code.as_str()),
            Self::Slug(slug) => Some(slug),
        }
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

    fn code(text: &str) -> RoomKey {
        RoomKey::Code(RoomCode::parse_bare(text).expect("code"))
    }

    #[test]
    fn keys_accept_ids_codes_and_names() {
        let id = Uuid::new_v4();
        assert_eq!(RoomKey::parse(&id.to_string()), Some(RoomKey::Id(id)));
        for spelling in [
            "abc-defg-hij",
            "ABC-DEFG-HIJ",
            "abcdefghij",
            "AbcDefgHij",
            "abc defg hij",
            " abc-defg-hij ",
            "-abc-defg-hij",
        ] {
            assert_eq!(
                RoomKey::parse(spelling),
                Some(code("abc-defg-hij")),
                "{spelling:?}"
            );
        }
        assert_eq!(
            RoomKey::parse("My Standup"),
            Some(RoomKey::Slug("my-standup".into()))
        );
        assert_eq!(RoomKey::parse("!!!"), None);
    }

    #[test]
    fn a_key_that_slugifies_to_a_uuid_is_that_id() {
        let id = Uuid::new_v4();
        for spelling in [
            format!("-{id}"),
            format!("_{id}"),
            format!(".{id}"),
            format!("!{id}"),
            format!(" {id}"),
            format!("{id}-"),
            format!("--{id}__"),
            id.to_string().to_uppercase(),
            format!("{{{id}}}"),
            format!("日{id}"),
        ] {
            assert_eq!(
                RoomKey::parse(&spelling),
                Some(RoomKey::Id(id)),
                "{spelling:?}"
            );
        }
    }

    #[test]
    fn keys_longer_than_any_address_are_nothing() {
        assert_eq!(RoomKey::parse(&"a".repeat(MAX_KEY_CHARS + 1)), None);
        assert_eq!(RoomKey::parse(&"é".repeat(MAX_KEY_CHARS + 1)), None);
        assert!(RoomKey::parse(&"a".repeat(MAX_KEY_CHARS)).is_some());
    }

    #[test]
    fn code_shaped_names_are_recognised_in_any_spelling() {
        for name in [
            "abc-defg-hij",
            "ABC DEFG HIJ",
            "abcdefghij",
            "a1c-2efg-3ij",
            "-abc-defg-hij-",
        ] {
            assert!(is_code_shaped(name), "{name:?}");
        }
        for name in [
            "standup",
            "abc-defg-hijk",
            "ab-cdefg-hij",
            "Weekly sync 2026",
        ] {
            assert!(!is_code_shaped(name), "{name:?}");
        }
    }
}

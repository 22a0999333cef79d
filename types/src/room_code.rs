//! Meeting codes: the `abc-defg-hij` part of a meeting link.
//!
//! A code is ten letters or digits in groups of three, four and three. People type them in any
//! case, with or without the hyphens, or paste a whole meeting link; all of those parse to the
//! same canonical lowercase, hyphenated code. The same parser runs in the browser (as you type)
//! and on the server (routing, lookups), so both always agree.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Why a piece of text is not a meeting code. The messages are written for the person typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RoomCodeError {
    /// Nothing but whitespace.
    #[error("Enter a meeting code.")]
    Empty,
    /// A character that is neither a letter, a digit, nor a hyphen between groups.
    #[error("A meeting code has only letters and digits, like abc-defg-hij.")]
    InvalidCharacter,
    /// The beginning of a code: right so far, but too short.
    #[error("A meeting code has 10 letters or digits, like abc-defg-hij.")]
    Incomplete,
    /// Right characters, wrong length or grouping.
    #[error("A meeting code has 10 letters or digits, like abc-defg-hij.")]
    WrongShape,
}

/// A canonical meeting code, such as `abc-defg-hij`: always lowercase and hyphenated.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RoomCode(String);

/// Sizes of the three groups of a code.
const GROUPS: [usize; 3] = [3, 4, 3];

impl RoomCode {
    /// Parses what a person typed or pasted: a code in any case, with or without hyphens, or a
    /// meeting link whose last path segment is a code. Surrounding whitespace is ignored.
    pub fn parse(input: &str) -> Result<Self, RoomCodeError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(RoomCodeError::Empty);
        }
        Self::parse_bare(last_path_segment(trimmed))
    }

    /// Parses a code alone (no link): `abc-defg-hij`, `ABCDEFGHIJ`, `abc-defghij`, …
    /// Hyphens are optional but only allowed between the groups.
    pub fn parse_bare(input: &str) -> Result<Self, RoomCodeError> {
        if input.is_empty() {
            return Err(RoomCodeError::Empty);
        }
        if input
            .chars()
            .any(|c| !(c.is_ascii_alphanumeric() || c == '-'))
        {
            return Err(RoomCodeError::InvalidCharacter);
        }
        let mut canonical = String::with_capacity(12);
        let mut rest = input;
        for (index, size) in GROUPS.into_iter().enumerate() {
            if index > 0 {
                rest = rest.strip_prefix('-').unwrap_or(rest);
                canonical.push('-');
            }
            let Some(group) = rest.get(..size) else {
                let prefix = rest.bytes().all(|b| b.is_ascii_alphanumeric());
                return Err(if prefix {
                    RoomCodeError::Incomplete
                } else {
                    RoomCodeError::WrongShape
                });
            };
            if !group.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(RoomCodeError::WrongShape);
            }
            canonical.extend(group.chars().map(|c| c.to_ascii_lowercase()));
            rest = &rest[size..];
        }
        if rest.is_empty() {
            Ok(Self(canonical))
        } else {
            Err(RoomCodeError::WrongShape)
        }
    }

    /// Builds a code from ten lowercase letters or digits, as a generator produces them.
    pub fn from_chars(chars: [u8; 10]) -> Result<Self, RoomCodeError> {
        let text = std::str::from_utf8(&chars).map_err(|_| RoomCodeError::InvalidCharacter)?;
        Self::parse_bare(text)
    }

    /// The canonical text, e.g. `abc-defg-hij`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path of the meeting page, e.g. `/abc-defg-hij`.
    pub fn path(&self) -> String {
        format!("/{}", self.0)
    }
}

/// The last non-empty path segment of a pasted link, without query or fragment; the input itself
/// when it is not a link.
fn last_path_segment(input: &str) -> &str {
    if !input.contains('/') {
        return input;
    }
    let without_fragment = input.split('#').next().unwrap_or(input);
    let without_query = without_fragment
        .split('?')
        .next()
        .unwrap_or(without_fragment);
    without_query
        .rsplit('/')
        .find(|segment| !segment.is_empty())
        .unwrap_or(without_query)
}

impl fmt::Display for RoomCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for RoomCode {
    type Err = RoomCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for RoomCode {
    type Error = RoomCodeError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse_bare(&value)
    }
}

impl From<RoomCode> for String {
    fn from(code: RoomCode) -> Self {
        code.0
    }
}

impl AsRef<str> for RoomCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(input: &str) -> Result<String, RoomCodeError> {
        RoomCode::parse(input).map(String::from)
    }

    #[test]
    fn accepts_every_spelling_of_the_same_code() {
        for input in [
            "abc-defg-hij",
            "ABC-DEFG-HIJ",
            "abcdefghij",
            "AbCdEfGhIj",
            "abc-defghij",
            "abcdefg-hij",
            "  abc-defg-hij\n",
            "https://meet.example.org/abc-defg-hij",
            "https://meet.example.org/ABCDEFGHIJ?lang=fr#top",
            "meet.example.org/abc-defg-hij/",
        ] {
            assert_eq!(
                parsed(input).as_deref(),
                Ok("abc-defg-hij"),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn accepts_digits_like_the_original() {
        assert_eq!(parsed("a1c-2efg-h3j").as_deref(), Ok("a1c-2efg-h3j"));
    }

    #[test]
    fn refuses_empty_input() {
        assert_eq!(parsed(""), Err(RoomCodeError::Empty));
        assert_eq!(parsed("   "), Err(RoomCodeError::Empty));
    }

    #[test]
    fn refuses_foreign_characters() {
        assert_eq!(parsed("abc_defg_hij"), Err(RoomCodeError::InvalidCharacter));
        assert_eq!(parsed("abc defg hij"), Err(RoomCodeError::InvalidCharacter));
        assert_eq!(parsed("àbc-defg-hij"), Err(RoomCodeError::InvalidCharacter));
    }

    #[test]
    fn tells_the_beginning_of_a_code_from_a_wrong_one() {
        for input in [
            "a",
            "abc",
            "abc-",
            "abc-d",
            "ABC-DEFG",
            "abc-defg-",
            "abc-defg-hi",
            "abcdefghi",
        ] {
            assert_eq!(
                parsed(input),
                Err(RoomCodeError::Incomplete),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn refuses_wrong_lengths_and_misplaced_hyphens() {
        for input in [
            "abc-defg-hijk",
            "abcdefghijk",
            "ab-cdefg-hij",
            "abc--defg-hij",
            "abc-def-ghij",
            "-abc-defg-hij",
            "abc-defg-hij-",
            "ab-",
        ] {
            assert_eq!(
                parsed(input),
                Err(RoomCodeError::WrongShape),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn paths_and_display_use_the_canonical_form() {
        let code = RoomCode::parse("ABCDEFGHIJ").expect("valid code");
        assert_eq!(code.path(), "/abc-defg-hij");
        assert_eq!(code.to_string(), "abc-defg-hij");
    }

    #[test]
    fn serde_round_trips_and_refuses_bad_codes() {
        let code: RoomCode = serde_json::from_str("\"abc-defg-hij\"").expect("valid code");
        assert_eq!(
            serde_json::to_string(&code).expect("serialises"),
            "\"abc-defg-hij\""
        );
        assert!(serde_json::from_str::<RoomCode>("\"nope\"").is_err());
    }

    #[test]
    fn from_chars_builds_a_hyphenated_code() {
        let code = RoomCode::from_chars(*b"abcdefghij").expect("valid code");
        assert_eq!(code.as_str(), "abc-defg-hij");
        assert!(RoomCode::from_chars(*b"abc_efghij").is_err());
    }
}

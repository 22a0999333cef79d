//! The checks on what a moderation request names: a participant's identity and a track's sid.

use crate::error::FieldErrors;
use crate::rooms::names::CONTROL_CHARACTERS;

/// The longest participant identity accepted: Meet's identities are a user's `sub` (at most 255
/// characters in OpenID Connect) or a guest's UUID.
pub const MAX_IDENTITY_CHARS: usize = 255;

/// The longest track sid accepted (LiveKit's are `TR_` and a dozen more characters).
const MAX_TRACK_SID_CHARS: usize = 255;

/// A participant identity named by a request, in `field`: not blank, at most
/// [`MAX_IDENTITY_CHARS`] characters, without control characters. Taken as is (identities are
/// compared exactly).
pub fn validate_identity(field: &str, identity: &str) -> Result<String, FieldErrors> {
    if identity.trim().is_empty() {
        return Err(FieldErrors::one(field, "This field may not be blank."));
    }
    // Bytes first: counting the characters of a huge string would be work for nothing.
    if identity.len() > 4 * MAX_IDENTITY_CHARS || identity.chars().count() > MAX_IDENTITY_CHARS {
        return Err(FieldErrors::one(
            field,
            format!("Ensure this field has no more than {MAX_IDENTITY_CHARS} characters."),
        ));
    }
    if identity.chars().any(char::is_control) {
        return Err(FieldErrors::one(field, CONTROL_CHARACTERS));
    }
    Ok(identity.to_owned())
}

/// A LiveKit track sid named by a request, in `field`: ASCII letters, digits, `_` and `-`, at
/// most 255 of them, as LiveKit writes them (`TR_AMTUypAQ2asnWX`).
pub fn validate_track_sid(field: &str, sid: &str) -> Result<String, FieldErrors> {
    if sid.is_empty() {
        return Err(FieldErrors::one(field, "This field may not be blank."));
    }
    if sid.len() > MAX_TRACK_SID_CHARS {
        return Err(FieldErrors::one(
            field,
            format!("Ensure this field has no more than {MAX_TRACK_SID_CHARS} characters."),
        ));
    }
    if !sid
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-'))
    {
        return Err(FieldErrors::one(
            field,
            "Enter a valid LiveKit track SID (such as TR_AMTUypAQ2asnWX).",
        ));
    }
    Ok(sid.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_are_bounded_and_printable_and_kept_exact() {
        for good in [
            "alice-sub",
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            "248289761001",
            " spaced ",
            "é",
        ] {
            assert_eq!(validate_identity("id", good).as_deref(), Ok(good));
        }
        let longest = "é".repeat(MAX_IDENTITY_CHARS);
        assert!(validate_identity("id", &longest).is_ok());
        for bad in [
            String::new(),
            "   ".to_owned(),
            "a".repeat(MAX_IDENTITY_CHARS + 1),
            "alice\n".to_owned(),
            "\u{0}".to_owned(),
            "\u{85}x".to_owned(),
            "x".repeat(100_000),
        ] {
            let errors = validate_identity("id", &bad).expect_err("refused");
            assert!(errors.0.contains_key("id"), "{bad:?}");
        }
    }

    #[test]
    fn track_sids_are_livekit_shaped() {
        assert!(validate_track_sid("t", "TR_AMTUypAQ2asnWX").is_ok());
        assert!(validate_track_sid("t", "TR-1_a").is_ok());
        for bad in ["", "TR AM", "TR_é", "TR/../x", "TR_\n", &"T".repeat(256)] {
            assert!(validate_track_sid("t", bad).is_err(), "{bad:?}");
        }
    }
}

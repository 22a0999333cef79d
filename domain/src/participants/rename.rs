//! Renaming oneself in a meeting: the LiveKit participant name others see.

use crate::error::{DomainError, FieldErrors};
use crate::livekit::caller::Caller;
use crate::rooms::names::{CONTROL_CHARACTERS, MAX_USERNAME_CHARS};
use crate::services::Services;

/// A participant's new name: without control characters, and once trimmed not blank and at
/// most [`MAX_USERNAME_CHARS`] characters (as La Suite Meet's serializer, which trims first);
/// returned trimmed. Problems are the `name` field's.
pub fn validate_name(name: &str) -> Result<String, FieldErrors> {
    // Bytes first: counting the characters of a huge name would be work for nothing.
    let too_long = || {
        FieldErrors::one(
            "name",
            format!("Ensure this field has no more than {MAX_USERNAME_CHARS} characters."),
        )
    };
    if name.len() > 4 * (MAX_USERNAME_CHARS + 64) {
        return Err(too_long());
    }
    if name.chars().any(char::is_control) {
        return Err(FieldErrors::one("name", CONTROL_CHARACTERS));
    }
    let name = name.trim();
    if name.is_empty() {
        return Err(FieldErrors::one("name", "This field may not be blank."));
    }
    if name.chars().count() > MAX_USERNAME_CHARS {
        return Err(too_long());
    }
    Ok(name.to_owned())
}

/// Renames the caller in their meeting to `name` (validated by [`validate_name`] first: a
/// refused name changes nothing). Returns the name set. [`DomainError::NotInMeeting`] when the
/// caller is not connected to the meeting; [`DomainError::LiveKit`] when LiveKit fails.
pub async fn rename(
    services: &Services,
    caller: &Caller,
    name: &str,
) -> Result<String, DomainError> {
    let name = validate_name(name)?;
    super::update_self(services, caller, Some(&name), None).await?;
    tracing::debug!(room = %caller.room, "participant renamed");
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_bounded_and_printable() {
        assert_eq!(validate_name("  Alice B.  ").as_deref(), Ok("Alice B."));
        assert_eq!(validate_name(&"é".repeat(255)), Ok("é".repeat(255)));
        let padded = format!("  {}  ", "a".repeat(255));
        assert_eq!(validate_name(&padded), Ok("a".repeat(255)));
        for bad in [
            String::new(),
            "   ".to_owned(),
            "a".repeat(256),
            "Alice\nB.".to_owned(),
            "Alice\0".to_owned(),
            "\u{85}Alice".to_owned(),
            " ".repeat(10_000),
        ] {
            let errors = validate_name(&bad).expect_err("refused");
            assert!(errors.0.contains_key("name"), "{bad:?}: {errors:?}");
        }
    }
}

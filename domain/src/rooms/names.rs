//! What a room may be called, and what a participant may call themselves: the checks on names,
//! and which names can be addresses people choose.

use meet_types::RoomCode;
use uuid::Uuid;

use crate::error::{DomainError, FieldErrors};
use crate::rooms::slug::slugify;

/// The longest room name.
pub const MAX_NAME_CHARS: usize = 500;

/// The longest display name someone may pick.
pub const MAX_USERNAME_CHARS: usize = 255;

/// A room name: required, at most [`MAX_NAME_CHARS`] (as sent, spaces included), without control
/// characters, not blank; returned trimmed.
pub(crate) fn validate_name(name: Option<&str>) -> Result<String, DomainError> {
    let Some(name) = name else {
        return Err(FieldErrors::one("name", "This field is required.").into());
    };
    if name.len() > 4 * MAX_NAME_CHARS || name.chars().count() > MAX_NAME_CHARS {
        let message = format!("Ensure this field has no more than {MAX_NAME_CHARS} characters.");
        return Err(FieldErrors::one("name", message).into());
    }
    if name.chars().any(char::is_control) {
        return Err(FieldErrors::one("name", CONTROL_CHARACTERS).into());
    }
    let name = name.trim();
    if name.is_empty() {
        return Err(FieldErrors::one("name", "This field may not be blank.").into());
    }
    Ok(name.to_owned())
}

/// The picked display name, trimmed; blank means none.
pub fn validate_username(username: Option<&str>) -> Result<Option<&str>, DomainError> {
    let Some(name) = username else {
        return Ok(None);
    };
    if name.len() > 4 * MAX_USERNAME_CHARS || name.chars().count() > MAX_USERNAME_CHARS {
        let message =
            format!("Ensure this field has no more than {MAX_USERNAME_CHARS} characters.");
        return Err(FieldErrors::one("username", message).into());
    }
    if name.chars().any(char::is_control) {
        return Err(FieldErrors::one("username", CONTROL_CHARACTERS).into());
    }
    Ok(Some(name.trim()).filter(|name| !name.is_empty()))
}

/// The first path segments of Meet's own addresses (and a few kept for later): a room there
/// would have a link that opens something else, so such names get a meeting code.
pub const RESERVED_ADDRESSES: &[&str] = &[
    "admin", "api", "assets", "feedback", "healthz", "join", "login", "logout", "metrics", "pkg",
    "readyz", "static",
];

/// The address a room named `name` takes: its slug, unless that cannot be an address people
/// choose (nothing is left of the name, it is a UUID, shaped like a meeting code, or one of
/// Meet's own addresses); then `None`, and Meet draws a meeting code for it.
pub(crate) fn own_address(name: &str) -> Option<String> {
    let slug = slugify(name);
    let usable = !slug.is_empty()
        && Uuid::parse_str(&slug).is_err()
        && RoomCode::parse_bare(&slug).is_err()
        && !RESERVED_ADDRESSES.contains(&slug.as_str());
    usable.then_some(slug)
}

/// Why a text with control characters (a line break, a NUL…) is refused.
pub(crate) const CONTROL_CHARACTERS: &str = "This field may not contain control characters.";

//! A user changing their own preferences: language, time zone, and what their new rooms start
//! with. Nobody changes anyone else's.

use meet_types::{AccessLevel, RoomConfiguration};
use uuid::Uuid;

use crate::error::{DomainError, FieldErrors};
use crate::notifier::Invalidation;
use crate::requester::Requester;
use crate::services::Services;
use crate::users::{self, LANGUAGES, User};

/// Changes to one's preferences; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreferenceChanges {
    pub language: Option<String>,
    pub timezone: Option<String>,
    /// `Some(None)` clears it.
    pub default_room_access_level: Option<Option<AccessLevel>>,
    pub default_room_configuration: Option<RoomConfiguration>,
}

/// Applies `changes` to the preferences of the user `id` (as written in a path), who must be the
/// requester: another user's id is refused (403, or 404 when there is no such user).
pub async fn change(
    services: &Services,
    requester: &Requester,
    id: &str,
    changes: PreferenceChanges,
) -> Result<User, DomainError> {
    let user = requester.require_user()?;
    let id = Uuid::parse_str(id).map_err(|_| DomainError::NotFound)?;
    if id != user.id {
        return Err(match users::find_by_id(&services.store, id).await? {
            Some(_) => DomainError::Forbidden(
                "You do not have permission to perform this action.".to_owned(),
            ),
            None => DomainError::NotFound,
        });
    }
    let mut errors = FieldErrors::default();
    let mut preferences = user.preferences();
    if let Some(language) = changes.language {
        if LANGUAGES.contains(&language.as_str()) {
            preferences.language = language;
        } else {
            errors.add("language", format!("\"{language}\" is not a valid choice."));
        }
    }
    if let Some(timezone) = changes.timezone {
        if users::is_timezone(&timezone) {
            preferences.timezone = timezone;
        } else {
            errors.add(
                "timezone",
                format!("A valid timezone is required; \"{timezone}\" is not one."),
            );
        }
    }
    if let Some(level) = changes.default_room_access_level {
        preferences.default_room_access_level = level;
    }
    if let Some(configuration) = changes.default_room_configuration {
        preferences.default_room_configuration = configuration;
    }
    errors.into_result()?;
    let updated = users::update_preferences(&services.store, user.id, &preferences).await?;
    // Sessions remember their user: every instance reads it again.
    services
        .notifier
        .publish(Invalidation::User(updated.id))
        .await;
    Ok(updated)
}

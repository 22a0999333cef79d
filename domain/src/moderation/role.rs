//! Making a participant co-host (`administrator`) or not (`member`): their resource access,
//! which every later token and page follows, and their `room_role` attribute, which the
//! meeting's clients read now. Never on oneself, never on an owner, never an owner made.
//!
//! LiveKit is asked first and the database written last, so that LiveKit being down changes
//! nothing (La Suite Meet writes first and reports `livekit_synced: false`): the caller and the
//! target must be connected (two questions to LiveKit), the attribute is set, then the access
//! is written in a transaction that checks again that the target does not own the room. A
//! write refused or failed at that point puts the attribute back as it was.

use std::collections::HashMap;

use meet_types::Role;

use crate::accesses::queries::{self as accesses, SetRole};
use crate::error::DomainError;
use crate::livekit::rooms::ParticipantChanges;
use crate::livekit::token::ATTRIBUTE_ROOM_ROLE;
use crate::moderation::{ModerationError, Moderator, validate_identity};
use crate::notifier::Invalidation;
use crate::rooms::queries as rooms;
use crate::services::Services;
use crate::users;

/// What a moderator not connected to the meeting reads.
pub const CALLER_NOT_CONNECTED: &str =
    "You must be connected to this meeting to change the role of its participants.";
/// What a moderator changing their own role reads.
pub const SELF_CHANGE: &str = "You cannot change your own role.";
/// What a moderator changing an owner's role reads.
pub const OWNER_TARGET: &str = "Room owners cannot be demoted.";

/// The outcome of a role change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleChange {
    /// The role the participant now holds.
    pub role: Role,
    /// Whether their `room_role` attribute was set: `false` when they left the meeting between
    /// the check and the change (the access is written all the same; their next token carries
    /// the role).
    pub livekit_synced: bool,
}

/// Gives the participant `identity` of the moderator's meeting the role `role` (`member` or
/// `administrator`; the identity is validated first). The moderator must be connected to the
/// meeting ([`DomainError::Forbidden`]), may not change their own role nor an owner's
/// (Forbidden); the participant must be connected and be a logged-in user, whose identity is
/// their `sub` ([`ModerationError::Missing`]). [`DomainError::LiveKit`] when LiveKit fails,
/// with nothing changed.
pub async fn set_role(
    services: &Services,
    moderator: &Moderator,
    identity: &str,
    role: Role,
) -> Result<RoleChange, ModerationError> {
    let room = moderator.livekit_room();
    let caller = moderator.user.livekit_identity();
    if !services.livekit.is_connected(&room, &caller).await? {
        return Err(forbidden(CALLER_NOT_CONNECTED));
    }
    let identity = validate_identity("participant_identity", identity)?;
    if role == Role::Owner {
        return Err(crate::error::FieldErrors::one(
            "role",
            "\"owner\" is not a valid choice: ownership cannot be granted here.",
        )
        .into());
    }
    if identity == caller {
        return Err(forbidden(SELF_CHANGE));
    }
    if !services.livekit.is_connected(&room, &identity).await? {
        return Err(ModerationError::Missing(ModerationError::NOT_IN_MEETING));
    }
    let Some(target) = users::find_by_sub(&services.store, &identity).await? else {
        return Err(ModerationError::Missing(ModerationError::NO_ACCOUNT));
    };
    let previous = rooms::role_of(&services.store, moderator.room.id, target.id).await?;
    if previous == Some(Role::Owner) {
        return Err(forbidden(OWNER_TARGET));
    }
    let livekit_synced = set_attribute(services, &room, &identity, Some(role)).await?;
    let written = accesses::set_role(&services.store, moderator.room.id, target.id, role).await;
    let undo = |outcome| async move {
        if livekit_synced
            && let Err(error) = set_attribute(services, &room, &identity, previous).await
        {
            tracing::warn!(%room, %error, "could not put a participant's room_role back");
        }
        outcome
    };
    match written {
        Ok(SetRole::Set { .. }) => {}
        Ok(SetRole::Owner) => return undo(Err(forbidden(OWNER_TARGET))).await,
        Err(error) => return undo(Err(ModerationError::from(error))).await,
    }
    services
        .notifier
        .publish(Invalidation::Room(moderator.room.id))
        .await;
    tracing::info!(
        room = %moderator.room.id,
        by = %moderator.user.id,
        user = %target.id,
        %role,
        livekit_synced,
        "participant role changed"
    );
    Ok(RoleChange {
        role,
        livekit_synced,
    })
}

/// Sets the participant's `room_role` attribute to `role` (removes it for `None`). `Ok(false)`
/// when they are not connected.
async fn set_attribute(
    services: &Services,
    room: &str,
    identity: &str,
    role: Option<Role>,
) -> Result<bool, ModerationError> {
    let value = role.map(Role::as_str).unwrap_or_default().to_owned();
    let changes = ParticipantChanges {
        attributes: Some(HashMap::from([(ATTRIBUTE_ROOM_ROLE.to_owned(), value)])),
        ..ParticipantChanges::default()
    };
    Ok(services
        .livekit
        .update_participant(room, identity, changes)
        .await?)
}

fn forbidden(message: &str) -> ModerationError {
    DomainError::Forbidden(message.to_owned()).into()
}

//! The hosts' controls over the other participants of a meeting, as La Suite Meet's endpoints
//! offer them: mute one of their tracks, remove them, change their name, metadata, attributes or
//! permission, and make them co-host or not. Each operation takes proof that its caller may act
//! (a [`Moderator`] — an administrator or owner of the room, logged in — or, for muting, a
//! [`MuteRight`]), so the check on who is asking always comes first; then it validates what is
//! asked, then asks LiveKit. Nothing is changed on a refusal.

mod input;
mod meeting;
mod mute;
mod remove;
mod role;
mod update;

pub use input::{MAX_IDENTITY_CHARS, validate_identity, validate_track_sid};
pub use meeting::{
    Configured, HostSettings, configure, end_meeting, lower_all_hands, lower_hand, mute_everyone,
    mute_microphone,
};
pub use mute::{MuteRight, may_mute, mute};
pub use remove::remove;
pub use role::{RoleChange, set_role};
pub use update::{UpdateRequest, update};

use meet_types::Role;

use crate::error::{DomainError, FieldErrors};
use crate::livekit::rooms::LiveKitError;
use crate::requester::Requester;
use crate::rooms::{Room, find_with_role};
use crate::services::Services;
use crate::store::StoreError;
use crate::users::User;

/// What a caller who is not an administrator or owner of the room reads.
pub const MODERATORS_ONLY: &str = "You must have privileges on room to perform this action.";

/// Why a moderation operation did not happen: a [`DomainError`], or the participant (or track)
/// it is about cannot be acted on.
#[derive(Debug, thiserror::Error)]
pub enum ModerationError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The participant acted on is not in the meeting, publishes no such track, or has no user
    /// account; the message says which, for the requester.
    #[error("{0}")]
    Missing(&'static str),
}

impl ModerationError {
    /// The participant is not connected to the meeting.
    pub const NOT_IN_MEETING: &'static str = "Participant is not connected to this meeting.";
    /// The participant is not connected to the meeting or publishes no such track.
    pub const NO_SUCH_TRACK: &'static str =
        "Participant or track not found: no such track is published in this meeting.";
    /// The participant is not a logged-in user (so cannot hold a role).
    pub const NO_ACCOUNT: &'static str =
        "This participant has no user account and cannot be assigned a role.";
}

impl From<FieldErrors> for ModerationError {
    fn from(errors: FieldErrors) -> Self {
        Self::Domain(errors.into())
    }
}

impl From<StoreError> for ModerationError {
    fn from(error: StoreError) -> Self {
        Self::Domain(error.into())
    }
}

impl From<LiveKitError> for ModerationError {
    fn from(error: LiveKitError) -> Self {
        Self::Domain(error.into())
    }
}

/// A logged-in administrator or owner of a registered room: who may moderate it.
#[derive(Debug, Clone)]
pub struct Moderator {
    pub user: User,
    pub room: Room,
    pub role: Role,
}

impl Moderator {
    /// The LiveKit room of the meeting.
    pub fn livekit_room(&self) -> String {
        self.room.livekit_name()
    }
}

/// `requester` as a moderator of the room `key` designates (UUID, slug or meeting code):
/// [`DomainError::Unauthenticated`] when they are not logged in, [`DomainError::NotFound`] for
/// no such registered room, [`DomainError::Forbidden`] when they are not an administrator or
/// owner of it.
pub async fn moderator(
    services: &Services,
    requester: &Requester,
    key: &str,
) -> Result<Moderator, DomainError> {
    let user = requester.require_user()?;
    let (room, role) = find_with_role(services, user, key).await?;
    match role {
        Some(role) if role.is_admin_or_owner() => Ok(Moderator {
            user: user.clone(),
            room,
            role,
        }),
        _ => Err(DomainError::Forbidden(MODERATORS_ONLY.to_owned())),
    }
}

//! What participants do to themselves in a meeting, through Meet: their LiveKit tokens do not
//! let them change their own name or attributes (`can_update_own_metadata` is off), so raising a
//! hand and renaming oneself go through these operations, which ask LiveKit. Each acts on the
//! [`Caller`](crate::livekit::caller::Caller) a LiveKit token proves (see
//! [`caller::in_room`](crate::livekit::caller::in_room)), never on an identity a request names.

mod hand;
mod rename;

pub use hand::{HAND_RAISED_AT, hand_raised_at, toggle_hand};
pub use rename::{rename, validate_name};

use std::collections::HashMap;

use crate::error::DomainError;
use crate::livekit::caller::Caller;
use crate::livekit::rooms::ParticipantChanges;
use crate::services::Services;

/// Asks LiveKit to change the caller's own `name` and `attributes` in their meeting.
/// [`DomainError::NotInMeeting`] when they are not connected to it; [`DomainError::LiveKit`]
/// when LiveKit fails.
async fn update_self(
    services: &Services,
    caller: &Caller,
    name: Option<&str>,
    attributes: Option<HashMap<String, String>>,
) -> Result<(), DomainError> {
    let changes = ParticipantChanges {
        name: name.map(str::to_owned),
        attributes,
        ..ParticipantChanges::default()
    };
    let found = services
        .livekit
        .update_participant(&caller.room, &caller.identity, changes)
        .await?;
    if found {
        Ok(())
    } else {
        Err(DomainError::NotInMeeting)
    }
}

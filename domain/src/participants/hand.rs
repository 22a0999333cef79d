//! Raising and lowering a hand: the participant attribute `handRaisedAt`, which clients read to
//! show raised hands and order them.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::error::DomainError;
use crate::livekit::caller::Caller;
use crate::services::Services;

/// The participant attribute holding when the hand was raised; empty (LiveKit then removes the
/// key) when it is down.
pub const HAND_RAISED_AT: &str = "handRaisedAt";

/// How `handRaisedAt` writes a time: ISO 8601 in UTC with microseconds, as La Suite Meet
/// (Python's `isoformat()`) writes it, e.g. `2026-03-01T09:30:00.123456+00:00`.
pub fn hand_raised_at(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, false)
}

/// Raises (`raised`) or lowers the caller's hand in their meeting: `handRaisedAt` set to the
/// services' clock time, or emptied. [`DomainError::NotInMeeting`] when the caller is not
/// connected to the meeting; [`DomainError::LiveKit`] when LiveKit fails.
pub async fn toggle_hand(
    services: &Services,
    caller: &Caller,
    raised: bool,
) -> Result<(), DomainError> {
    let value = if raised {
        hand_raised_at(services.clock.utc())
    } else {
        String::new()
    };
    let attributes = HashMap::from([(HAND_RAISED_AT.to_owned(), value)]);
    super::update_self(services, caller, None, Some(attributes)).await?;
    if raised {
        services.emit(
            crate::analytics::Event::HandRaised,
            caller.actor(),
            crate::analytics::Place {
                room: Some(&caller.room),
                meeting: None,
            },
        );
    }
    tracing::debug!(room = %caller.room, raised, "hand toggled");
    Ok(())
}

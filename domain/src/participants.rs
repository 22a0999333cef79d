//! What participants do to themselves in a meeting, through Meet: their LiveKit tokens do not
//! let them change their own name or attributes (`can_update_own_metadata` is off), so raising a
//! hand and renaming oneself go through these operations, which ask LiveKit. Each acts on the
//! [`Caller`](crate::livekit::caller::Caller) a LiveKit token proves (see
//! [`caller::in_room`](crate::livekit::caller::in_room)), never on an identity a request names.

mod hand;
mod rename;

pub use hand::{HAND_RAISED_AT, hand_raised_at, toggle_hand};
pub use rename::{rename, validate_name};

//! `/api/v1.0/rooms/`: La Suite Meet's room endpoints, one file per verb. Rooms are found by UUID
//! or slug (meeting codes in any case, hyphens optional). Retrieving a room is how clients get
//! their LiveKit credentials: `livekit: {url, room, token}` when they may enter directly,
//! nothing when they must wait in the lobby. Participants then act on themselves in the meeting
//! (raise their hand, rename themselves) with that LiveKit token as a `Bearer` token; hosts
//! moderate the others (mute, remove, update, make co-host).

pub mod body;
mod create;
mod delete;
mod list;
mod lobby;
mod mute_participant;
pub mod recording;
mod remove_participant;
mod rename;
pub mod response;
mod retrieve;
mod toggle_hand;
mod update;
mod update_participant;
mod update_participant_role;
pub mod webhook;

pub use create::*;
pub use delete::*;
pub use list::*;
pub use lobby::*;
pub use mute_participant::*;
pub use recording::*;
pub use remove_participant::*;
pub use rename::*;
pub use retrieve::*;
pub use toggle_hand::*;
pub use update::*;
pub use update_participant::*;
pub use update_participant_role::*;

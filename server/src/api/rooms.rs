//! `/api/v1.0/rooms/`: La Suite Meet's room endpoints, one file per verb. Rooms are found by UUID
//! or slug (meeting codes in any case, hyphens optional). Retrieving a room is how clients get
//! their LiveKit credentials: `livekit: {url, room, token}` when they may enter directly,
//! nothing when they must wait in the lobby. Participants then act on themselves in the meeting
//! (raise their hand, rename themselves) with that LiveKit token as a `Bearer` token.

pub mod body;
mod create;
mod delete;
mod list;
mod lobby;
mod rename;
pub mod response;
mod retrieve;
mod toggle_hand;
mod update;

pub use create::*;
pub use delete::*;
pub use list::*;
pub use lobby::*;
pub use rename::*;
pub use retrieve::*;
pub use toggle_hand::*;
pub use update::*;

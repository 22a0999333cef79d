//! `/api/v1.0/rooms/`: La Suite Meet's room endpoints, one file per verb. Rooms are found by UUID
//! or slug (meeting codes in any case, hyphens optional). Retrieving a room is how clients get
//! their LiveKit credentials: `livekit: {url, room, token}` when they may enter directly,
//! nothing when they must wait in the lobby.

pub mod body;
mod create;
mod delete;
mod list;
pub mod response;
mod retrieve;
mod update;

pub use create::*;
pub use delete::*;
pub use list::*;
pub use retrieve::*;
pub use update::*;

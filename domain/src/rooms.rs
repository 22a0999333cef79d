//! Rooms: their addresses, who enters them how, and the rules for creating and managing them.

pub mod admission;
pub mod cache;
pub mod code;
pub mod error;
pub mod model;
pub mod queries;
pub mod service;
pub mod slug;

pub use code::generate_code;
pub use error::{FieldErrors, RoomError};
pub use model::Room;
pub use slug::{RoomKey, slugify};

//! Meet's business logic and storage. Server only: this crate never compiles for wasm, so
//! nothing in it can leak into the browser bundle.

pub mod accesses;
pub mod analytics;
pub mod clock;
pub mod error;
pub mod feedback;
pub mod guest;
pub mod keys;
pub mod limits;
pub mod livekit;
pub mod lobby;
pub mod mailer;
pub mod moderation;
pub mod notifier;
pub mod participants;
pub mod recording;
pub mod requester;
pub mod rooms;
pub mod secret;
pub mod services;
pub mod sessions;
pub mod sign_in;
pub mod store;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod users;

pub use error::{DomainError, FieldErrors};
pub use requester::Requester;
pub use secret::{DatabaseUrl, Secret};
pub use services::{RoomSettings, Services};
pub use store::{Backend, Store, StoreError};

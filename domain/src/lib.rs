//! Meet's business logic and storage. Server only: this crate never compiles for wasm, so
//! nothing in it can leak into the browser bundle.

pub mod accesses;
pub mod auth;
pub mod guest;
pub mod keys;
pub mod limits;
pub mod livekit;
pub mod rooms;
pub mod services;
pub mod store;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod users;

pub use services::{RoomSettings, Services};
pub use store::{Backend, Store, StoreError};

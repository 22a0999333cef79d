//! Meet's business logic and storage. Server only: this crate never compiles for wasm, so
//! nothing in it can leak into the browser bundle.

pub mod auth;
pub mod rooms;
pub mod store;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod users;

pub use store::{Backend, Store, StoreError};

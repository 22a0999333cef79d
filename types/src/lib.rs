//! Types shared by Meet's server and its browser code. Everything here compiles to wasm, so no
//! server-only dependency may enter this crate.

pub mod room_code;

pub use room_code::{RoomCode, RoomCodeError};

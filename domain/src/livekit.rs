//! LiveKit, the media server: access tokens (minted, and verified when participants present
//! them), and the room administration Meet needs.

pub mod caller;
pub mod metadata;
pub mod rooms;
pub mod token;
pub mod webhook;

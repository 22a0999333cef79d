//! LiveKit, the media server: access tokens, and the room administration Meet needs.

pub mod metadata;
pub mod rooms;
pub mod token;

//! Server functions: the UI's calls to the server. Each is a thin public API: find out who is
//! asking, call one domain function, map its error.

#[cfg(feature = "ssr")]
pub mod context;
pub mod feedback;
pub mod moderation;
pub mod recordings;
pub mod rooms;

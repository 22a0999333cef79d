//! HTTP handlers that are not Leptos pages.

pub mod health;
pub mod lobby_events;
pub mod meetings;
pub mod recordings;
pub mod usage;

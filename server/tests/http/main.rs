//! Integration tests of the `meet` server over real HTTP: the router from `build_router`, served
//! on 127.0.0.1 with a fresh database and a site root built for the test.

#![expect(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "test helpers fail the test loudly"
)]

mod dev_provider;
mod helpers;

mod analytics;
mod api_accesses;
mod api_lobby;
mod api_moderation;
mod api_participants;
mod api_recordings;
mod api_rooms;
mod api_users;
mod binary;
mod compat;
mod email;
mod feedback;
mod health;
mod host_controls;
mod hostile;
mod login;
mod openapi;
mod operations;
mod pages;
mod security;
mod static_files;
mod storage;

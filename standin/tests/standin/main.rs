//! Integration tests: the stand-in driven over HTTP by the real `livekit-api` `RoomClient`
//! (protobuf), by plain reqwest (JSON and error shapes), and by the SDK's webhook receiver.
//! One test binary; shared helpers live in `support`.

#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

mod auth;
mod control;
mod egress;
mod faults;
mod json;
mod room_client;
mod support;
mod webhooks;

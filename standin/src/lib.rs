//! An in-process stand-in for a LiveKit server's HTTP API, for Meet's tests.
//!
//! No LiveKit server can be installed on the project's machines or in CI, so tests talk to this
//! crate instead. [`StandIn::start`] serves, on a loopback port, the Twirp `RoomService` that the
//! real `livekit_api::services::room::RoomClient` calls: the same paths, protobuf and JSON
//! encodings, token checks and error bodies as the server (see `shared/reference/livekit.md` §2
//! and §5.2). JSON answers come from the `livekit_protocol` types' pbjson serde impls, so their
//! keys are camelCase with default values left out, where the server writes snake_case keys and
//! every field; protobuf JSON readers accept both. Behind it sits a small in-memory model of rooms,
//! participants and tracks, which tests drive through [`StandIn`]'s methods (participants cannot
//! join through WebRTC here) or through the `/_standin/…` HTTP endpoints.
//!
//! The stand-in also produces the webhooks a server would send on those state changes, and
//! [`webhook`] signs and posts webhook events the way LiveKit does, for tests of Meet's receiver.
//!
//! It also serves the `livekit.Egress` methods Meet records with (StartRoomCompositeEgress,
//! StopEgress, ListEgress): its egresses record at once, and write a small file where a real one
//! would put the recording when it ends.
//!
//! Out of scope: the `/rtc` signalling WebSocket and media.

mod auth;
mod codec;
mod control;
mod error;
mod faults;
mod ids;
mod notifier;
mod router;
mod service;
mod standin;
mod state;
pub mod webhook;

pub use error::{StandInError, StateError};
pub use standin::StandIn;
pub use state::{RECORDING_FILE_CONTENT, SentData};

/// The LiveKit protocol types the stand-in speaks, re-exported so tests need no extra import.
pub use livekit_protocol as proto;

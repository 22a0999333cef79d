//! Types shared by Meet's server and its browser code. Everything here compiles to wasm, so no
//! server-only dependency may enter this crate.

pub mod analytics;
pub mod error;
pub mod feedback;
pub mod lobby;
pub mod login;
pub mod recording;
pub mod room;
pub mod room_code;
#[cfg(feature = "ssr")]
mod sql;
pub mod user;

pub use error::ErrorKind;
pub use feedback::EndReason;
pub use lobby::{LobbyParticipant, LobbyStatus};
pub use login::LoginFailure;
pub use recording::{
    LiveRecording, RecordingAvailability, RecordingMode, RecordingPageView, RecordingStatus,
    RecordingTools,
};
pub use room::{
    AccessLevel, Admission, LiveKitConnection, Role, RoomConfiguration, RoomEntry, RoomSummary,
    RoomView, TrackSource,
};
pub use room_code::{RoomCode, RoomCodeError};
pub use user::{RequesterView, UserView};

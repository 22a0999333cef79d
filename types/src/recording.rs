//! Recordings of meetings: what is recorded (the mode) and where a recording stands (its status),
//! with La Suite Meet's names and status machine.

use serde::{Deserialize, Serialize};

/// What a recording keeps of a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecordingMode {
    /// The meeting as everyone sees it, sound and picture (an MP4 file).
    ScreenRecording,
    /// The meeting's sound alone, for a transcript (an OGG file).
    Transcript,
}

impl RecordingMode {
    pub const ALL: [Self; 2] = [Self::ScreenRecording, Self::Transcript];

    /// The stored and transmitted name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ScreenRecording => "screen_recording",
            Self::Transcript => "transcript",
        }
    }

    /// The mode named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|mode| mode.as_str() == name)
    }

    /// The extension of the file a recording in this mode makes.
    pub fn extension(self) -> &'static str {
        match self {
            Self::ScreenRecording => "mp4",
            Self::Transcript => "ogg",
        }
    }

    /// The file's media type, as served for download.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::ScreenRecording => "video/mp4",
            Self::Transcript => "audio/ogg",
        }
    }

    /// A few words for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::ScreenRecording => "Recording",
            Self::Transcript => "Transcription",
        }
    }
}

/// Where a recording stands. It starts `initiated`, becomes `active` once a worker records it
/// (or `failed_to_start`), then `stopped` or `aborted` when stopped (or `failed_to_stop`), and
/// `saved` or `notification_succeeded` once its file is in storage and its owners were told;
/// a transcript goes on to `external_process_successful` or `_failed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecordingStatus {
    Initiated,
    Active,
    Stopped,
    Saved,
    Aborted,
    FailedToStart,
    FailedToStop,
    NotificationSucceeded,
    ExternalProcessSuccessful,
    ExternalProcessFailed,
}

impl RecordingStatus {
    pub const ALL: [Self; 10] = [
        Self::Initiated,
        Self::Active,
        Self::Stopped,
        Self::Saved,
        Self::Aborted,
        Self::FailedToStart,
        Self::FailedToStop,
        Self::NotificationSucceeded,
        Self::ExternalProcessSuccessful,
        Self::ExternalProcessFailed,
    ];

    /// The stored and transmitted name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Initiated => "initiated",
            Self::Active => "active",
            Self::Stopped => "stopped",
            Self::Saved => "saved",
            Self::Aborted => "aborted",
            Self::FailedToStart => "failed_to_start",
            Self::FailedToStop => "failed_to_stop",
            Self::NotificationSucceeded => "notification_succeeded",
            Self::ExternalProcessSuccessful => "external_process_successful",
            Self::ExternalProcessFailed => "external_process_failed",
        }
    }

    /// The status named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == name)
    }

    /// Nothing more will be recorded (La Suite Meet's `is_final`): the recording may be deleted,
    /// and not stopped.
    pub fn is_final(self) -> bool {
        !matches!(
            self,
            Self::Initiated | Self::Active | Self::NotificationSucceeded
        )
    }

    /// It ended without a file (`aborted`, `failed_to_start`, `failed_to_stop`).
    pub fn is_unsuccessful(self) -> bool {
        matches!(
            self,
            Self::Aborted | Self::FailedToStart | Self::FailedToStop
        )
    }

    /// Its file may now be saved: `active` or `stopped`.
    pub fn is_savable(self) -> bool {
        matches!(self, Self::Active | Self::Stopped)
    }

    /// Its file is in storage.
    pub fn is_saved(self) -> bool {
        matches!(
            self,
            Self::Saved
                | Self::NotificationSucceeded
                | Self::ExternalProcessSuccessful
                | Self::ExternalProcessFailed
        )
    }

    /// A recording worker may still be at work on it: `initiated`, `active`, or `stopped` with
    /// its file not saved yet. These are the recordings Meet settles with LiveKit.
    pub fn awaits_worker(self) -> bool {
        matches!(self, Self::Initiated | Self::Active | Self::Stopped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for mode in RecordingMode::ALL {
            assert_eq!(RecordingMode::parse(mode.as_str()), Some(mode));
            let json = serde_json::to_string(&mode).unwrap();
            assert_eq!(json, format!("\"{}\"", mode.as_str()));
        }
        for status in RecordingStatus::ALL {
            assert_eq!(RecordingStatus::parse(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert_eq!(RecordingMode::parse("Transcript"), None);
        assert_eq!(RecordingStatus::parse("ACTIVE"), None);
    }

    #[test]
    fn the_helpers_sort_the_statuses_as_la_suite_meet_does() {
        use RecordingStatus::*;
        let finals: Vec<_> = RecordingStatus::ALL
            .into_iter()
            .filter(|status| status.is_final())
            .collect();
        assert_eq!(
            finals,
            [
                Stopped,
                Saved,
                Aborted,
                FailedToStart,
                FailedToStop,
                ExternalProcessSuccessful,
                ExternalProcessFailed
            ]
        );
        let unsuccessful: Vec<_> = RecordingStatus::ALL
            .into_iter()
            .filter(|status| status.is_unsuccessful())
            .collect();
        assert_eq!(unsuccessful, [Aborted, FailedToStart, FailedToStop]);
        let saved: Vec<_> = RecordingStatus::ALL
            .into_iter()
            .filter(|status| status.is_saved())
            .collect();
        assert_eq!(
            saved,
            [
                Saved,
                NotificationSucceeded,
                ExternalProcessSuccessful,
                ExternalProcessFailed
            ]
        );
        assert!(Active.is_savable() && Stopped.is_savable() && !Saved.is_savable());
        assert!(Stopped.awaits_worker() && !Saved.awaits_worker() && !Aborted.awaits_worker());
    }
}

/// Where a recording stands for its owners, as the recording page says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordingAvailability {
    /// Its file may be downloaded.
    Ready,
    /// It is being recorded.
    Recording,
    /// It stopped and its file is being saved.
    Saving,
    /// It ended without a file.
    Failed,
    /// It was kept as long as the deployment keeps recordings; its file is deleted.
    Expired,
}

/// What the recording page (`/recording/{id}`) shows its owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordingPageView {
    pub room_name: String,
    pub room_slug: String,
    pub mode: RecordingMode,
    /// When it was made, for people, in the owner's time zone.
    pub created: String,
    /// When it expires (or expired), for people; `None`: kept until deleted.
    pub expires: Option<String>,
    pub availability: RecordingAvailability,
    /// Where its file is downloaded from, when ready.
    pub download_url: Option<String>,
}

/// What the meeting's "More tools" panel offers about recording: the modes the server records,
/// whether the asker may start them (a host), and the limits to mention.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordingTools {
    /// The modes offered; empty while recording is off.
    pub modes: Vec<RecordingMode>,
    /// Whether the asker may start and stop recordings (an owner or administrator of the room).
    pub may_record: bool,
    /// Days a recording is kept, if it is not kept until deleted.
    pub expiration_days: Option<u32>,
    /// The longest recording, in minutes, if there is a limit.
    pub max_minutes: Option<u64>,
}

/// Where the meeting's recording stands, as the room's metadata says (`recording_mode` and
/// `recording_status`, written by Meet's server as La Suite Meet does).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LiveRecording {
    /// Nothing is being recorded.
    #[default]
    Off,
    /// A host started one; the recorder is getting ready.
    Starting(RecordingMode),
    /// Recording.
    On(RecordingMode),
    /// Stopped; the file is being saved.
    Saving(RecordingMode),
}

impl LiveRecording {
    /// The state the metadata keys say (`status` `starting`, `started` or `saving`; anything
    /// else, or no mode, is [`Self::Off`]).
    pub fn from_metadata(mode: Option<&str>, status: Option<&str>) -> Self {
        let Some(mode) = mode.and_then(RecordingMode::parse) else {
            return Self::Off;
        };
        match status {
            Some("starting") => Self::Starting(mode),
            Some("started") => Self::On(mode),
            Some("saving") => Self::Saving(mode),
            _ => Self::Off,
        }
    }

    /// The mode at work, unless off.
    pub fn mode(self) -> Option<RecordingMode> {
        match self {
            Self::Off => None,
            Self::Starting(mode) | Self::On(mode) | Self::Saving(mode) => Some(mode),
        }
    }
}

#[cfg(test)]
mod live_tests {
    use super::*;

    #[test]
    fn the_metadata_keys_say_where_the_recording_stands() {
        use RecordingMode::*;
        let read = LiveRecording::from_metadata;
        assert_eq!(
            read(Some("screen_recording"), Some("starting")),
            LiveRecording::Starting(ScreenRecording)
        );
        assert_eq!(
            read(Some("transcript"), Some("started")),
            LiveRecording::On(Transcript)
        );
        assert_eq!(
            read(Some("screen_recording"), Some("saving")),
            LiveRecording::Saving(ScreenRecording)
        );
        assert_eq!(read(None, Some("started")), LiveRecording::Off);
        assert_eq!(read(Some("podcast"), Some("started")), LiveRecording::Off);
        assert_eq!(read(Some("transcript"), Some("paused")), LiveRecording::Off);
        assert_eq!(read(Some("transcript"), None), LiveRecording::Off);
        assert_eq!(LiveRecording::Saving(Transcript).mode(), Some(Transcript));
        assert_eq!(LiveRecording::Off.mode(), None);
    }
}

//! The catalogue of product events: every event Meet records to learn which features people use,
//! and nothing else. An event says what happened, never what was said or shown (no message,
//! no name, no email, no address): who did it and in which room are added by the server, as
//! keyed hashes.
//!
//! Most events are emitted by the server where they happen; the few that only a participant's
//! browser sees (joining and leaving the call, sharing a screen, chatting, reacting, the media
//! server failing) are sent by the browser in batches, and the server accepts only those
//! ([`Event::is_sent_by_browsers`]) once [`Event::check`] passes.

use serde::{Deserialize, Serialize};

use crate::RecordingMode;
use crate::feedback::EndReason;

/// The original's reactions, the only ones a participant may send.
pub const REACTIONS: [&str; 8] = ["👍", "👎", "👏", "❤️", "😂", "😮", "🎉", "🙏"];

/// The most participants a meeting event may report.
pub const MAX_PARTICIPANTS: u32 = 100_000;

/// The longest stay a meeting event may report, in seconds: a week.
pub const MAX_DURATION_SECONDS: u32 = 7 * 24 * 3600;

/// The most events one batch from a browser may hold.
pub const MAX_BATCH: usize = 50;

/// How a wait in a lobby ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LobbyOutcome {
    /// A host let them in.
    Admitted,
    /// A host refused them.
    Denied,
}

impl LobbyOutcome {
    pub const ALL: [Self; 2] = [Self::Admitted, Self::Denied];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admitted => "admitted",
            Self::Denied => "denied",
        }
    }
}

/// One product event, with its properties. Serialised as
/// `{"event": "<name>", "properties": {…}}` (no `properties` for events without any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "event",
    content = "properties",
    rename_all = "snake_case",
    deny_unknown_fields
)]
pub enum Event {
    /// Someone logged in.
    Login,
    /// A logged-in user created a room.
    RoomCreated,
    /// A participant's browser connected to the meeting; `participants` were in it then,
    /// them included.
    MeetingJoined { participants: u32 },
    /// A participant left the meeting after `duration_seconds`, for `reason`;
    /// `participants` were in it then, them included.
    MeetingLeft {
        duration_seconds: u32,
        participants: u32,
        reason: EndReason,
    },
    /// A participant started sharing their screen.
    ScreenShareStarted,
    /// A participant sent a chat message (never what it said).
    ChatMessageSent,
    /// A participant sent one of [`REACTIONS`].
    ReactionSent { emoji: String },
    /// A participant raised their hand.
    HandRaised,
    /// A host started a recording.
    RecordingStarted { mode: RecordingMode },
    /// A host stopped a recording.
    RecordingStopped { mode: RecordingMode },
    /// A recording's file was saved.
    RecordingReady { mode: RecordingMode },
    /// Someone waited `wait_seconds` in a lobby before a host decided.
    LobbyWaited {
        wait_seconds: u32,
        outcome: LobbyOutcome,
    },
    /// Someone rated a call from 1 to 5.
    FeedbackRated { rating: u8 },
    /// A participant's browser could not reach the media server.
    MediaServerUnreachable,
}

/// The name of every event, in the catalogue's order.
pub const EVENT_NAMES: [&str; 14] = [
    "login",
    "room_created",
    "meeting_joined",
    "meeting_left",
    "screen_share_started",
    "chat_message_sent",
    "reaction_sent",
    "hand_raised",
    "recording_started",
    "recording_stopped",
    "recording_ready",
    "lobby_waited",
    "feedback_rated",
    "media_server_unreachable",
];

impl Event {
    /// The event's name, as stored and sent.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::RoomCreated => "room_created",
            Self::MeetingJoined { .. } => "meeting_joined",
            Self::MeetingLeft { .. } => "meeting_left",
            Self::ScreenShareStarted => "screen_share_started",
            Self::ChatMessageSent => "chat_message_sent",
            Self::ReactionSent { .. } => "reaction_sent",
            Self::HandRaised => "hand_raised",
            Self::RecordingStarted { .. } => "recording_started",
            Self::RecordingStopped { .. } => "recording_stopped",
            Self::RecordingReady { .. } => "recording_ready",
            Self::LobbyWaited { .. } => "lobby_waited",
            Self::FeedbackRated { .. } => "feedback_rated",
            Self::MediaServerUnreachable => "media_server_unreachable",
        }
    }

    /// Whether a participant's browser may send this event (it happens where only the browser
    /// sees it); the server emits the others itself, and refuses them from browsers.
    pub fn is_sent_by_browsers(&self) -> bool {
        matches!(
            self,
            Self::MeetingJoined { .. }
                | Self::MeetingLeft { .. }
                | Self::ScreenShareStarted
                | Self::ChatMessageSent
                | Self::ReactionSent { .. }
                | Self::MediaServerUnreachable
        )
    }

    /// Whether the event happens in a meeting the browser was connected to (every browser event
    /// but the media server being unreachable).
    pub fn needs_meeting(&self) -> bool {
        self.is_sent_by_browsers() && *self != Self::MediaServerUnreachable
    }

    /// Checks the properties' meaning: counts and durations within bounds, a known reaction, a
    /// rating from 1 to 5. Says what is wrong, naming the field.
    pub fn check(&self) -> Result<(), String> {
        let participants = |count: u32| {
            if (1..=MAX_PARTICIPANTS).contains(&count) {
                Ok(())
            } else {
                Err(format!(
                    "participants: must be between 1 and {MAX_PARTICIPANTS}"
                ))
            }
        };
        match self {
            Self::MeetingJoined {
                participants: count,
            } => participants(*count),
            Self::MeetingLeft {
                duration_seconds,
                participants: count,
                ..
            } => {
                if *duration_seconds > MAX_DURATION_SECONDS {
                    return Err(format!(
                        "duration_seconds: must be at most {MAX_DURATION_SECONDS}"
                    ));
                }
                participants(*count)
            }
            Self::ReactionSent { emoji } => {
                if REACTIONS.contains(&emoji.as_str()) {
                    Ok(())
                } else {
                    Err(format!("emoji: must be one of {}", REACTIONS.join(" ")))
                }
            }
            Self::LobbyWaited { wait_seconds, .. } => {
                if *wait_seconds > MAX_DURATION_SECONDS {
                    Err(format!(
                        "wait_seconds: must be at most {MAX_DURATION_SECONDS}"
                    ))
                } else {
                    Ok(())
                }
            }
            Self::FeedbackRated { rating } => {
                if (1..=5).contains(rating) {
                    Ok(())
                } else {
                    Err("rating: must be between 1 and 5".to_owned())
                }
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Event, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn events_are_written_with_their_name_and_properties() {
        let left = Event::MeetingLeft {
            duration_seconds: 90,
            participants: 3,
            reason: EndReason::Left,
        };
        let json = serde_json::to_string(&left).unwrap();
        assert_eq!(
            json,
            r#"{"event":"meeting_left","properties":{"duration_seconds":90,"participants":3,"reason":"left"}}"#
        );
        assert_eq!(read(&json).unwrap(), left);
        assert_eq!(
            serde_json::to_string(&Event::ChatMessageSent).unwrap(),
            r#"{"event":"chat_message_sent"}"#
        );
        assert_eq!(
            read(r#"{"event":"chat_message_sent"}"#).unwrap(),
            Event::ChatMessageSent
        );
    }

    #[test]
    fn every_name_is_in_the_catalogue() {
        let events = [
            Event::Login,
            Event::RoomCreated,
            Event::MeetingJoined { participants: 1 },
            Event::MeetingLeft {
                duration_seconds: 1,
                participants: 1,
                reason: EndReason::Left,
            },
            Event::ScreenShareStarted,
            Event::ChatMessageSent,
            Event::ReactionSent {
                emoji: "👍".into()
            },
            Event::HandRaised,
            Event::RecordingStarted {
                mode: RecordingMode::Transcript,
            },
            Event::RecordingStopped {
                mode: RecordingMode::Transcript,
            },
            Event::RecordingReady {
                mode: RecordingMode::Transcript,
            },
            Event::LobbyWaited {
                wait_seconds: 1,
                outcome: LobbyOutcome::Admitted,
            },
            Event::FeedbackRated { rating: 5 },
            Event::MediaServerUnreachable,
        ];
        let names: Vec<&str> = events.iter().map(Event::name).collect();
        assert_eq!(names, EVENT_NAMES);
        for event in &events {
            let json = serde_json::to_value(event).unwrap();
            assert_eq!(json["event"], event.name());
            assert_eq!(&serde_json::from_value::<Event>(json).unwrap(), event);
            assert_eq!(event.check(), Ok(()));
        }
    }

    #[test]
    fn unknown_events_and_fields_are_refused() {
        for json in [
            r#"{"event":"page_viewed"}"#,
            r#"{"event":"chat_message_sent","text":"hello"}"#,
            r#"{"event":"chat_message_sent","properties":{"text":"hello"}}"#,
            r#"{"event":"meeting_joined","properties":{"participants":2,"email":"a@b.c"}}"#,
            r#"{"event":"meeting_joined","properties":{"participants":-1}}"#,
            r#"{"event":"meeting_joined","properties":{"participants":1.5}}"#,
            r#"{"event":"meeting_joined","properties":{"participants":"2"}}"#,
            r#"{"event":"meeting_joined"}"#,
            r#"{"event":"meeting_left","properties":{"duration_seconds":5,"participants":2,"reason":"bored"}}"#,
            r#"{"event":"feedback_rated","properties":{"rating":300}}"#,
            r#"{"properties":{}}"#,
            r#"[]"#,
        ] {
            assert!(read(json).is_err(), "{json} was read");
        }
    }

    #[test]
    fn meaning_is_checked() {
        assert!(Event::MeetingJoined { participants: 0 }.check().is_err());
        assert!(
            Event::MeetingJoined {
                participants: MAX_PARTICIPANTS + 1
            }
            .check()
            .is_err()
        );
        let long = Event::MeetingLeft {
            duration_seconds: MAX_DURATION_SECONDS + 1,
            participants: 2,
            reason: EndReason::Left,
        };
        assert!(long.check().unwrap_err().starts_with("duration_seconds"));
        let text = Event::ReactionSent {
            emoji: "<script>".into(),
        };
        assert!(text.check().unwrap_err().starts_with("emoji"));
        assert!(Event::FeedbackRated { rating: 0 }.check().is_err());
        assert!(Event::FeedbackRated { rating: 6 }.check().is_err());
    }

    #[test]
    fn browsers_send_only_what_they_see() {
        assert!(Event::ChatMessageSent.is_sent_by_browsers());
        assert!(Event::MediaServerUnreachable.is_sent_by_browsers());
        assert!(!Event::MediaServerUnreachable.needs_meeting());
        assert!(Event::ChatMessageSent.needs_meeting());
        for event in [
            Event::Login,
            Event::RoomCreated,
            Event::HandRaised,
            Event::FeedbackRated { rating: 5 },
            Event::RecordingStarted {
                mode: RecordingMode::ScreenRecording,
            },
        ] {
            assert!(!event.is_sent_by_browsers(), "{}", event.name());
        }
    }
}

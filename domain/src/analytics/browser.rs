//! Events sent by participants' browsers: the few that only a browser sees (see
//! [`Event::is_sent_by_browsers`]), in batches, authenticated by the participant's LiveKit token
//! (their identity and room are the token's, never the body's), checked in full before any is
//! recorded, and rate-limited per participant.

use serde_json::Value;

use crate::analytics::{Event, Place};
use crate::error::{DomainError, FieldErrors};
use crate::limits::RateLimit;
use crate::livekit::caller::Caller;
use crate::services::Services;

pub use meet_types::analytics::MAX_BATCH;

/// Batches one participant may send: 20 at once, then one every 3 seconds (a browser sends one
/// every 10 seconds while something happens, and one when it leaves).
pub const BATCHES: RateLimit = RateLimit {
    burst: 20,
    interval: std::time::Duration::from_secs(3),
};

/// The longest meeting id (a LiveKit room session id, `RM_` and letters and digits).
pub const MAX_MEETING_CHARS: usize = 64;

/// Whether `id` looks like a LiveKit room session id.
fn is_meeting_id(id: &str) -> bool {
    id.len() <= MAX_MEETING_CHARS
        && id
            .strip_prefix("RM_")
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Reads and checks a batch: `meeting` (the session id, required by every event but the media
/// server being unreachable) and `events` (1 to [`MAX_BATCH`] catalogue events a browser may
/// send, each well-formed). Every problem is named, with the event's position.
pub fn read(
    meeting: Option<&Value>,
    events: Option<&Value>,
) -> Result<(Option<String>, Vec<Event>), FieldErrors> {
    let mut errors = FieldErrors::default();
    let meeting = match meeting {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) if is_meeting_id(id) => Some(id.clone()),
        Some(_) => {
            errors.add(
                "meeting",
                "Must be the LiveKit room's session id (RM_ followed by letters and digits).",
            );
            None
        }
    };
    let items = match events {
        Some(Value::Array(items)) if items.is_empty() => {
            errors.add("events", "Send at least one event.");
            return Err(errors);
        }
        Some(Value::Array(items)) if items.len() > MAX_BATCH => {
            errors.add(
                "events",
                format!("Send at most {MAX_BATCH} events at once."),
            );
            return Err(errors);
        }
        Some(Value::Array(items)) => items,
        Some(_) => {
            errors.add("events", "Must be a list of events.");
            return Err(errors);
        }
        None => {
            errors.add("events", "This field is required.");
            return Err(errors);
        }
    };
    let mut read = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let field = format!("events[{index}]");
        let event = match serde_json::from_value::<Event>(item.clone()) {
            Ok(event) => event,
            Err(error) => {
                let reason: String = error.to_string().chars().take(200).collect();
                errors.add(&field, format!("Not an event of the catalogue: {reason}"));
                continue;
            }
        };
        if !event.is_sent_by_browsers() {
            errors.add(
                &field,
                format!("\"{}\" is recorded by Meet itself.", event.name()),
            );
        } else if let Err(problem) = event.check() {
            errors.add(&field, problem);
        } else if event.needs_meeting() && meeting.is_none() {
            errors.add(&field, format!("\"{}\" needs the meeting.", event.name()));
        } else {
            read.push(event);
        }
    }
    errors.into_result()?;
    Ok((meeting, read))
}

/// Records `events` that `caller` sent from `meeting` (see [`read`]); returns how many.
/// [`DomainError::TooManyRequests`] when the participant sends batches too fast: nothing is
/// recorded then.
pub fn record(
    services: &Services,
    caller: &Caller,
    meeting: Option<&str>,
    events: Vec<Event>,
) -> Result<usize, DomainError> {
    services
        .browser_batches
        .check(
            (caller.room.clone(), caller.identity.clone()),
            services.clock.now(),
        )
        .map_err(|retry_after| DomainError::TooManyRequests { retry_after })?;
    let place = Place {
        room: Some(&caller.room),
        meeting,
    };
    let count = events.len();
    for event in events {
        services.emit(event, caller.actor(), place);
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn batch(meeting: Value, events: Value) -> Result<(Option<String>, Vec<Event>), FieldErrors> {
        read(Some(&meeting), Some(&events))
    }

    #[test]
    fn browser_events_are_read() {
        let (meeting, events) = batch(
            json!("RM_abc123"),
            json!([
                {"event": "meeting_joined", "properties": {"participants": 2}},
                {"event": "chat_message_sent"},
                {"event": "reaction_sent", "properties": {"emoji": "🎉"}},
            ]),
        )
        .unwrap();
        assert_eq!(meeting.as_deref(), Some("RM_abc123"));
        assert_eq!(events.len(), 3);
        let (meeting, events) =
            batch(Value::Null, json!([{"event": "media_server_unreachable"}])).unwrap();
        assert_eq!(
            (meeting, events),
            (None, vec![Event::MediaServerUnreachable])
        );
    }

    #[test]
    fn one_bad_event_refuses_the_batch() {
        let errors = batch(
            json!("RM_abc"),
            json!([
                {"event": "chat_message_sent"},
                {"event": "login"},
                {"event": "chat_message_sent", "properties": {"text": "secret"}},
                {"event": "reaction_sent", "properties": {"emoji": "💩"}},
            ]),
        )
        .unwrap_err();
        let fields: Vec<&String> = errors.0.keys().collect();
        assert_eq!(fields, ["events[1]", "events[2]", "events[3]"]);
        let errors = batch(Value::Null, json!([{"event": "chat_message_sent"}])).unwrap_err();
        assert!(errors.0.contains_key("events[0]"));
    }

    #[test]
    fn shapes_and_sizes_are_checked() {
        for meeting in [
            json!("room-1"),
            json!("RM_"),
            json!("RM_a-b"),
            json!(12),
            json!(format!("RM_{}", "a".repeat(80))),
        ] {
            let errors =
                batch(meeting.clone(), json!([{"event": "chat_message_sent"}])).unwrap_err();
            assert!(errors.0.contains_key("meeting"), "{meeting}");
        }
        let many: Vec<Value> = (0..=MAX_BATCH)
            .map(|_| json!({"event": "chat_message_sent"}))
            .collect();
        assert!(
            batch(json!("RM_a"), Value::Array(many))
                .unwrap_err()
                .0
                .contains_key("events")
        );
        assert!(batch(json!("RM_a"), json!([])).is_err());
        assert!(batch(json!("RM_a"), json!({"event": "chat_message_sent"})).is_err());
        assert!(read(Some(&json!("RM_a")), None).is_err());
    }
}

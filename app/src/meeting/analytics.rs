//! The product events only the meeting's page sees (see `meet_types::analytics`): joining and
//! leaving the call, sharing a screen, sending a chat message (never what it says), reacting,
//! and the media server being unreachable. Sent to `/api/v1.0/analytics/events/` with the
//! participant's LiveKit token, in batches: at once when joining, failing to connect or leaving
//! (surviving the page being left), else within [`FLUSH_AFTER`] of the first event waiting.
//! Nothing at all when the deployment records no events.

use std::time::Duration;

use leptos::prelude::*;
use meet_types::EndReason;
use meet_types::analytics::{Event, MAX_BATCH};

use crate::meeting::browser;

/// How long an event waits for others before its batch is sent.
pub const FLUSH_AFTER: Duration = Duration::from_secs(10);

const PATH: &str = "/api/v1.0/analytics/events/";

/// The meeting's product events. Cheap to copy.
#[derive(Clone, Copy)]
pub(crate) struct Analytics {
    enabled: bool,
    token: StoredValue<String>,
    /// The LiveKit room's session id, once connected.
    meeting: StoredValue<Option<String>>,
    /// When one joined (ms since the epoch); `None` before, and after leaving.
    joined_at: StoredValue<Option<f64>>,
    waiting: StoredValue<Vec<Event>>,
    /// Whether a batch is due to be sent.
    due: StoredValue<bool>,
}

impl Analytics {
    /// Events sent with `token`, when `enabled`.
    pub fn new(enabled: bool, token: String) -> Self {
        Self {
            enabled,
            token: StoredValue::new(token),
            meeting: StoredValue::new(None),
            joined_at: StoredValue::new(None),
            waiting: StoredValue::new(Vec::new()),
            due: StoredValue::new(false),
        }
    }

    /// Connected to the meeting `sid` (when the media server said it), with `participants` in
    /// it, oneself included.
    pub fn joined(&self, sid: Option<String>, participants: usize) {
        if !self.enabled {
            return;
        }
        self.meeting.set_value(sid);
        self.joined_at.set_value(Some(browser::now_ms()));
        self.waiting.update_value(Vec::clear);
        self.record(Event::MeetingJoined {
            participants: count(participants),
        });
        self.send(false);
    }

    /// Leaving the meeting (or being made to) for `reason`, with `participants` in it: sent as
    /// the page is left, with whatever waits. Once per joining.
    pub fn left(&self, reason: EndReason, participants: usize) {
        if !self.enabled {
            return;
        }
        let Some(joined_at) = self.joined_at.get_value() else {
            return;
        };
        self.joined_at.set_value(None);
        let seconds = ((browser::now_ms() - joined_at) / 1000.0).max(0.0);
        let duration_seconds = (seconds as u32).min(meet_types::analytics::MAX_DURATION_SECONDS);
        self.record(Event::MeetingLeft {
            duration_seconds,
            participants: count(participants),
            reason,
        });
        self.send(true);
    }

    /// The media server could not be reached: sent at once.
    pub fn unreachable(&self) {
        if !self.enabled {
            return;
        }
        self.record(Event::MediaServerUnreachable);
        self.send(false);
    }

    /// Records `event`, sent with the next batch. Events of a meeting one is not (or no longer)
    /// known to be in are not recorded.
    pub fn record(&self, event: Event) {
        if !self.enabled || (event.needs_meeting() && self.meeting.with_value(Option::is_none)) {
            return;
        }
        self.waiting.update_value(|waiting| waiting.push(event));
        if self.waiting.with_value(Vec::len) >= MAX_BATCH {
            self.send(false);
        } else if !self.due.get_value() {
            self.due.set_value(true);
            let this = *self;
            set_timeout(move || this.send(false), FLUSH_AFTER);
        }
    }

    /// Sends what waits (surviving the page being left with `keepalive`).
    fn send(&self, keepalive: bool) {
        self.due.set_value(false);
        let mut events = Vec::new();
        self.waiting
            .update_value(|waiting| events = std::mem::take(waiting));
        if events.is_empty() {
            return;
        }
        let body = serde_json::json!({
            "meeting": self.meeting.get_value(),
            "events": events,
        })
        .to_string();
        let token = self.token.get_value();
        leptos::task::spawn_local(async move {
            if let Err(error) = browser::send_with_token(PATH, &token, &body, keepalive).await {
                leptos::logging::debug_warn!("product events not sent: {error}");
            }
        });
    }
}

fn count(participants: usize) -> u32 {
    u32::try_from(participants.max(1)).unwrap_or(u32::MAX)
}

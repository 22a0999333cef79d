//! The meeting as data: participants, tiles, the hand queue, chat text, reactions. Pure
//! functions over plain values, so what the conference shows is tested without a browser.

use std::collections::BTreeMap;

use meet_types::{EndReason, LiveRecording, RecordingMode};
use serde::Deserialize;

/// Someone, as events name them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Person {
    pub identity: String,
    #[serde(default)]
    pub name: String,
}

/// A participant as the bridge reports them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantState {
    pub identity: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub local: bool,
    #[serde(default)]
    pub speaking: bool,
    #[serde(default)]
    pub microphone: bool,
    #[serde(default)]
    pub camera: bool,
    #[serde(default)]
    pub screen_share: bool,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub joined_at: u64,
    /// What their permission lets them publish, by source name (`camera`, `microphone`,
    /// `screen_share`, `screen_share_audio`); `None` for everything.
    #[serde(default)]
    pub publishes: Option<Vec<String>>,
}

/// The data message a participant sends to someone they muted (La Suite Meet's
/// `participantMuted`), who is then told who did.
pub const PARTICIPANT_MUTED: &str = "participantMuted";

/// Participant attribute Meet sets when a hand goes up (an ISO-8601 time, `""` when down).
pub const HAND_RAISED_AT: &str = "handRaisedAt";

impl ParticipantState {
    /// The name to show: theirs, else "Anonymous".
    pub fn display_name(&self) -> &str {
        let name = self.name.trim();
        if name.is_empty() { "Anonymous" } else { name }
    }

    /// When their hand went up, if it is up.
    pub fn hand_raised_at(&self) -> Option<&str> {
        self.attributes
            .get(HAND_RAISED_AT)
            .map(String::as_str)
            .filter(|at| !at.is_empty())
    }

    /// Their colour (an HSL string Meet derives from their identity), if it is one.
    pub fn color(&self) -> Option<&str> {
        self.attributes
            .get("color")
            .map(String::as_str)
            .filter(|color| is_safe_color(color))
    }

    /// Whether their permission lets them publish from `source` (a bridge source name).
    pub fn may_publish(&self, source: &str) -> bool {
        self.publishes
            .as_ref()
            .is_none_or(|sources| sources.iter().any(|allowed| allowed == source))
    }

    /// Their role in the room (`owner`, `administrator`, `member`), as Meet's server set it.
    pub fn role(&self) -> Option<&str> {
        self.attributes
            .get("room_role")
            .map(String::as_str)
            .filter(|role| !role.is_empty())
    }

    /// Whether they host the meeting: an owner or administrator of the room.
    pub fn is_host(&self) -> bool {
        matches!(self.role(), Some("owner" | "administrator"))
    }

    /// Whether they own the room (nobody can remove them or change their role).
    pub fn is_owner(&self) -> bool {
        self.role() == Some("owner")
    }

    /// Their role in the room, as people read it: "Host", "Co-host" or "Member".
    pub fn role_label(&self) -> Option<&'static str> {
        match self.role() {
            Some("owner") => Some("Host"),
            Some("administrator") => Some("Co-host"),
            Some("member") => Some("Member"),
            _ => None,
        }
    }

    /// Whether they logged in (guests are marked as such).
    pub fn is_authenticated(&self) -> bool {
        self.attributes
            .get("is_authenticated")
            .is_some_and(|value| value == "true")
    }
}

/// Whether `color` is an `hsl(…)` value made of digits, spaces, commas and percent signs only
/// (so it cannot smuggle anything into a style).
fn is_safe_color(color: &str) -> bool {
    color
        .strip_prefix("hsl(")
        .and_then(|rest| rest.strip_suffix(')'))
        .is_some_and(|inner| {
            inner.len() <= 32
                && inner
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ' ' | ',' | '%' | '.'))
        })
}

/// Up to two initials of `name`, upper-cased: "Alice Martin" → "AM".
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// What a tile shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TileSource {
    Camera,
    ScreenShare,
}

impl TileSource {
    /// The bridge's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Camera => "camera",
            Self::ScreenShare => "screen_share",
        }
    }
}

/// One tile: a participant's camera (or their initials), or their shared screen.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileKey {
    pub identity: String,
    pub source: TileSource,
}

/// The tiles for `participants`, in order: screen shares first (newest first), then cameras,
/// oneself first, then by arrival.
pub fn tiles(participants: &[ParticipantState]) -> Vec<TileKey> {
    let mut people: Vec<&ParticipantState> = participants.iter().collect();
    people.sort_by_key(|p| (!p.local, p.joined_at));
    let mut screens: Vec<&ParticipantState> =
        people.iter().copied().filter(|p| p.screen_share).collect();
    screens.sort_by_key(|p| std::cmp::Reverse(p.joined_at));
    screens
        .into_iter()
        .map(|p| TileKey {
            identity: p.identity.clone(),
            source: TileSource::ScreenShare,
        })
        .chain(people.into_iter().map(|p| TileKey {
            identity: p.identity.clone(),
            source: TileSource::Camera,
        }))
        .collect()
}

/// Tiles per page of the grid.
pub const PAGE_SIZE: usize = 9;

/// How many pages `count` tiles take (at least one).
pub fn page_count(count: usize) -> usize {
    count.div_ceil(PAGE_SIZE).max(1)
}

/// The tiles of page `page` (0-based, clamped to the last page).
pub fn page_of(tiles: &[TileKey], page: usize) -> Vec<TileKey> {
    let page = page.min(page_count(tiles.len()) - 1);
    tiles
        .iter()
        .skip(page * PAGE_SIZE)
        .take(PAGE_SIZE)
        .cloned()
        .collect()
}

/// The raised hands in queue order (first raised first): identities.
pub fn hand_queue(participants: &[ParticipantState]) -> Vec<String> {
    let mut raised: Vec<(&str, &str)> = participants
        .iter()
        .filter_map(|p| Some((p.hand_raised_at()?, p.identity.as_str())))
        .collect();
    raised.sort();
    raised
        .into_iter()
        .map(|(_, identity)| identity.to_owned())
        .collect()
}

/// A chat message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ChatMessage {
    pub id: String,
    pub from: Person,
    pub text: String,
    /// Milliseconds since the epoch.
    pub timestamp: u64,
}

/// The longest chat message sent or shown, in characters.
pub const MAX_CHAT_CHARS: usize = 2000;

/// A piece of a chat message: text, or a link to make clickable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatPart {
    Text(String),
    Link(String),
}

/// `text` cut into plain text and `http(s)://` links (a link ends at whitespace; trailing
/// punctuation stays text).
pub fn chat_parts(text: &str) -> Vec<ChatPart> {
    let mut parts = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(start) = find_link(rest) {
        plain.push_str(&rest[..start]);
        let candidate = &rest[start..];
        let end = candidate
            .find(char::is_whitespace)
            .unwrap_or(candidate.len());
        let link =
            candidate[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'']);
        if !plain.is_empty() {
            parts.push(ChatPart::Text(std::mem::take(&mut plain)));
        }
        parts.push(ChatPart::Link(link.to_owned()));
        rest = &candidate[link.len()..];
    }
    plain.push_str(rest);
    if !plain.is_empty() {
        parts.push(ChatPart::Text(plain));
    }
    parts
}

fn find_link(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    ["https://", "http://"]
        .into_iter()
        .filter_map(|scheme| {
            lower
                .match_indices(scheme)
                .find(|(at, _)| text.len() > at + scheme.len())
                .map(|(at, _)| at)
        })
        .min()
}

/// The original's reactions (the catalogue's, which the server checks reported reactions
/// against).
pub use meet_types::analytics::REACTIONS;

/// At most `limit` events in any `window_ms` window.
#[derive(Debug, Clone)]
pub struct RateLimit {
    limit: usize,
    window_ms: f64,
    recent: Vec<f64>,
}

impl RateLimit {
    /// Reactions: at most 10 per second.
    pub fn reactions() -> Self {
        Self {
            limit: 10,
            window_ms: 1000.0,
            recent: Vec::new(),
        }
    }

    /// Whether an event at `now_ms` is allowed (and counts it if so).
    pub fn allow(&mut self, now_ms: f64) -> bool {
        self.recent.retain(|at| now_ms - at < self.window_ms);
        if self.recent.len() >= self.limit {
            return false;
        }
        self.recent.push(now_ms);
        true
    }
}

/// Something participants may be allowed to publish, as the host controls name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    /// The bridge's source name.
    pub source: &'static str,
    /// How notices name it: "A host turned off microphones for participants."
    pub plural: &'static str,
    /// The host panel's switch for it.
    pub switch: &'static str,
}

/// What the host controls let participants publish, or not.
pub const PUBLISHED: [Published; 3] = [
    Published {
        source: "microphone",
        plural: "microphones",
        switch: "Turn on their microphone",
    },
    Published {
        source: "camera",
        plural: "cameras",
        switch: "Turn on their camera",
    },
    Published {
        source: "screen_share",
        plural: "screen sharing",
        switch: "Share their screen",
    },
];

/// What a host turned off for participants, as a notice says it.
pub fn turned_off(source: &str) -> String {
    let plural = PUBLISHED
        .iter()
        .find(|published| published.source == source)
        .map_or(source, |published| published.plural);
    format!("A host turned off {plural} for participants.")
}

/// Data messages about recording, La Suite Meet's: a participant asks the hosts to record
/// (sent by clients), and the server says a recording reached its time limit.
pub const SCREEN_RECORDING_REQUESTED: &str = "screenRecordingRequested";
pub const TRANSCRIPTION_REQUESTED: &str = "transcriptionRequested";
pub const SCREEN_RECORDING_LIMIT_REACHED: &str = "screenRecordingLimitReached";
pub const TRANSCRIPTION_LIMIT_REACHED: &str = "transcriptionLimitReached";

/// The message asking the hosts to record in `mode`.
pub fn recording_request(mode: RecordingMode) -> &'static str {
    match mode {
        RecordingMode::ScreenRecording => SCREEN_RECORDING_REQUESTED,
        RecordingMode::Transcript => TRANSCRIPTION_REQUESTED,
    }
}

/// What a recording in `mode` is called in a sentence's first word: "Recording" or
/// "Transcription".
pub fn recording_noun(mode: RecordingMode) -> &'static str {
    match mode {
        RecordingMode::ScreenRecording => "Recording",
        RecordingMode::Transcript => "Transcription",
    }
}

/// What everyone in the meeting is told when its recording went from `before` to `after`;
/// `None` when there is nothing to say.
pub fn recording_notice(before: LiveRecording, after: LiveRecording) -> Option<String> {
    use LiveRecording::{Off, On, Saving, Starting};
    let text = match (before, after) {
        (Off | Starting(_), On(RecordingMode::ScreenRecording)) => {
            "Recording started: this meeting is being recorded.".to_owned()
        }
        (Off | Starting(_), On(RecordingMode::Transcript)) => {
            "Transcription started: this meeting's sound is being recorded.".to_owned()
        }
        (On(mode) | Starting(mode), Saving(_)) => {
            format!("{} stopped. It is being saved.", recording_noun(mode))
        }
        (On(mode), Off) => format!("{} stopped.", recording_noun(mode)),
        (Starting(mode), Off) => format!("{} did not start.", recording_noun(mode)),
        _ => return None,
    };
    Some(text)
}

/// What a data message from the server about recording says, if it is one.
pub fn recording_limit_notice(kind: &str) -> Option<&'static str> {
    match kind {
        SCREEN_RECORDING_LIMIT_REACHED => {
            Some("The recording reached its time limit and stopped. It is being saved.")
        }
        TRANSCRIPTION_LIMIT_REACHED => {
            Some("The transcription reached its time limit and stopped.")
        }
        _ => None,
    }
}

/// What a participant is told when their permission to publish changed from `before` to
/// `after`: what a host turned off, and what they allowed again. `None` when nothing changed.
pub fn publish_notice(before: &ParticipantState, after: &ParticipantState) -> Option<String> {
    let changed = |was: bool| {
        PUBLISHED
            .iter()
            .filter(|published| {
                before.may_publish(published.source) == was
                    && after.may_publish(published.source) != was
            })
            .map(|published| published.plural)
            .collect::<Vec<_>>()
    };
    let (removed, restored) = (changed(true), changed(false));
    let mut notice = Vec::new();
    if !removed.is_empty() {
        notice.push(format!(
            "A host turned off {} for participants.",
            listed(&removed)
        ));
    }
    if !restored.is_empty() {
        notice.push(format!("A host allowed {} again.", listed(&restored)));
    }
    (!notice.is_empty()).then(|| notice.join(" "))
}

/// "a", "a and b", "a, b and c".
fn listed(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// What a participant is told when their role changed from `before` to `after`.
pub fn role_notice(before: &ParticipantState, after: &ParticipantState) -> Option<&'static str> {
    if before.role() == after.role() {
        return None;
    }
    Some(match after.role() {
        Some("owner") => "You are now a host of this meeting.",
        Some("administrator") => "A host made you a co-host: you can now manage the meeting.",
        _ if before.is_host() => "You are no longer a co-host.",
        _ => return None,
    })
}

/// What the page after the call says for `reason`: a heading and a sentence.
pub fn farewell(reason: EndReason) -> (&'static str, &'static str) {
    match reason {
        EndReason::Removed => (
            "A host removed you from the meeting",
            "You can ask to join again if you were removed by mistake.",
        ),
        EndReason::DuplicateIdentity => (
            "You joined from another device",
            "The meeting continues on your other device or tab. This one was disconnected.",
        ),
        EndReason::RoomDeleted => (
            "The host ended the meeting",
            "The meeting ended for everyone. You can rejoin it if a host starts it again.",
        ),
        EndReason::ConnectionLost => (
            "You were disconnected",
            "The connection to the meeting was lost. Check your network and rejoin.",
        ),
        EndReason::Unreachable => (
            "The media server could not be reached",
            "Check your network and rejoin. If it keeps happening, the server may be down.",
        ),
        EndReason::Left => ("You left the meeting", "Thank you for using Meet."),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn everyone_is_told_when_recording_starts_and_stops() {
        use super::*;
        use LiveRecording::*;
        use RecordingMode::*;
        assert_eq!(
            recording_notice(Starting(ScreenRecording), On(ScreenRecording)).as_deref(),
            Some("Recording started: this meeting is being recorded.")
        );
        assert_eq!(
            recording_notice(Off, On(Transcript)).as_deref(),
            Some("Transcription started: this meeting's sound is being recorded.")
        );
        assert_eq!(
            recording_notice(On(ScreenRecording), Saving(ScreenRecording)).as_deref(),
            Some("Recording stopped. It is being saved.")
        );
        assert_eq!(
            recording_notice(On(Transcript), Off).as_deref(),
            Some("Transcription stopped.")
        );
        assert_eq!(
            recording_notice(Starting(ScreenRecording), Off).as_deref(),
            Some("Recording did not start.")
        );
        // Nothing to say: the same state again, the start being prepared, a save done.
        for (before, after) in [
            (On(ScreenRecording), On(ScreenRecording)),
            (Off, Starting(ScreenRecording)),
            (Saving(Transcript), Off),
            (Off, Off),
        ] {
            assert_eq!(
                recording_notice(before, after),
                None,
                "{before:?} → {after:?}"
            );
        }
        assert!(recording_limit_notice(SCREEN_RECORDING_LIMIT_REACHED).is_some());
        assert!(recording_limit_notice(TRANSCRIPTION_LIMIT_REACHED).is_some());
        assert_eq!(recording_limit_notice(SCREEN_RECORDING_REQUESTED), None);
        assert_eq!(recording_request(Transcript), TRANSCRIPTION_REQUESTED);
    }

    use super::*;

    fn person(identity: &str, joined_at: u64) -> ParticipantState {
        ParticipantState {
            identity: identity.to_owned(),
            name: identity.to_owned(),
            joined_at,
            ..ParticipantState::default()
        }
    }

    #[test]
    fn a_changed_permission_says_what_was_turned_off_and_allowed_again() {
        let everything = person("bob", 1);
        let mut no_camera = person("bob", 1);
        no_camera.publishes = Some(vec!["microphone".into(), "screen_share".into()]);
        let mut nothing = person("bob", 1);
        nothing.publishes = Some(vec![]);
        assert_eq!(publish_notice(&everything, &everything), None);
        assert_eq!(
            publish_notice(&everything, &no_camera).as_deref(),
            Some("A host turned off cameras for participants.")
        );
        assert_eq!(
            publish_notice(&no_camera, &nothing).as_deref(),
            Some("A host turned off microphones and screen sharing for participants.")
        );
        assert_eq!(
            publish_notice(&nothing, &no_camera).as_deref(),
            Some("A host allowed microphones and screen sharing again.")
        );
        let mut camera_only = person("bob", 1);
        camera_only.publishes = Some(vec!["camera".into()]);
        assert_eq!(
            publish_notice(&no_camera, &camera_only).as_deref(),
            Some(
                "A host turned off microphones and screen sharing for participants. A host allowed cameras again."
            )
        );
    }

    #[test]
    fn a_changed_role_is_told_to_the_participant() {
        let member = person("bob", 1);
        let mut cohost = person("bob", 1);
        cohost
            .attributes
            .insert("room_role".into(), "administrator".into());
        assert!(cohost.is_host() && !cohost.is_owner() && !member.is_host());
        assert_eq!(role_notice(&member, &member), None);
        assert_eq!(
            role_notice(&member, &cohost),
            Some("A host made you a co-host: you can now manage the meeting.")
        );
        assert_eq!(
            role_notice(&cohost, &member),
            Some("You are no longer a co-host.")
        );
    }

    #[test]
    fn tiles_put_screens_first_then_oneself_then_arrivals() {
        let mut me = person("me", 5);
        me.local = true;
        let mut bob = person("bob", 3);
        bob.screen_share = true;
        let list = tiles(&[person("carol", 1), bob, me]);
        let names: Vec<(&str, TileSource)> = list
            .iter()
            .map(|t| (t.identity.as_str(), t.source))
            .collect();
        assert_eq!(
            names,
            [
                ("bob", TileSource::ScreenShare),
                ("me", TileSource::Camera),
                ("carol", TileSource::Camera),
                ("bob", TileSource::Camera),
            ]
        );
    }

    #[test]
    fn pages_hold_nine_tiles_and_clamp() {
        let people: Vec<ParticipantState> =
            (0..20).map(|i| person(&format!("p{i:02}"), i)).collect();
        let all = tiles(&people);
        assert_eq!(page_count(all.len()), 3);
        assert_eq!(page_count(0), 1);
        assert_eq!(page_of(&all, 0).len(), 9);
        assert_eq!(page_of(&all, 2).len(), 2);
        assert_eq!(page_of(&all, 7), page_of(&all, 2));
    }

    #[test]
    fn hands_queue_by_when_they_went_up() {
        let mut a = person("a", 1);
        a.attributes
            .insert(HAND_RAISED_AT.into(), "2026-01-01T10:00:05Z".into());
        let mut b = person("b", 2);
        b.attributes
            .insert(HAND_RAISED_AT.into(), "2026-01-01T10:00:01Z".into());
        let mut c = person("c", 3);
        c.attributes.insert(HAND_RAISED_AT.into(), String::new());
        assert_eq!(hand_queue(&[a, b, c]), ["b", "a"]);
    }

    #[test]
    fn links_become_parts_and_the_rest_stays_text() {
        assert_eq!(
            chat_parts("see https://example.org/a?b=1, and <b>this</b>"),
            [
                ChatPart::Text("see ".into()),
                ChatPart::Link("https://example.org/a?b=1".into()),
                ChatPart::Text(", and <b>this</b>".into()),
            ]
        );
        assert_eq!(
            chat_parts("javascript:alert(1)"),
            [ChatPart::Text("javascript:alert(1)".into())]
        );
        assert_eq!(chat_parts("http://"), [ChatPart::Text("http://".into())]);
        assert_eq!(
            chat_parts("HTTP://X.ORG"),
            [ChatPart::Link("HTTP://X.ORG".into())]
        );
    }

    #[test]
    fn reactions_are_limited_to_ten_a_second() {
        let mut limit = RateLimit::reactions();
        let allowed = (0..15)
            .filter(|i| limit.allow(f64::from(*i) * 10.0))
            .count();
        assert_eq!(allowed, 10);
        assert!(limit.allow(1100.0));
    }

    #[test]
    fn colours_and_initials_are_safe() {
        let mut p = person("x", 0);
        p.attributes
            .insert("color".into(), "hsl(120, 60%, 50%)".into());
        assert_eq!(p.color(), Some("hsl(120, 60%, 50%)"));
        p.attributes
            .insert("color".into(), "red;background:url(x)".into());
        assert_eq!(p.color(), None);
        assert_eq!(initials("alice martin dupont"), "AM");
        assert_eq!(initials("  "), "");
        assert_eq!(initials("élodie"), "É");
    }
}

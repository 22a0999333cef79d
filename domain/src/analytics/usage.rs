//! The operators' usage figures, computed from the stored events of a period (days in UTC):
//! meetings and participants per day, peak concurrent participants, the median meeting length,
//! the share of meetings using each feature, lobby waits and feedback ratings.
//!
//! A meeting is one session of a LiveKit room, as its participants' browsers name it: it starts
//! at its first `meeting_joined` and lasts until the last event seen in it. Events the server
//! records in a room (a raised hand, a recording) count for the meeting of that room running at
//! that moment. A participant who joined and was never seen leaving counts as present until the
//! meeting's last event.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::analytics::{Event, LobbyOutcome, Recorded};
use crate::error::DomainError;
use crate::requester::Requester;
use crate::services::Services;

/// The longest period the page shows, in days.
pub const MAX_DAYS: u64 = 366;

/// The most events one computation reads; past that, the figures say they are partial.
pub const MAX_EVENTS: u32 = 500_000;

/// Days from `first` to `last`, both included, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Period {
    /// The period, when `first` is not after `last` and it is at most [`MAX_DAYS`] long.
    pub fn new(first: NaiveDate, last: NaiveDate) -> Result<Self, String> {
        if first > last {
            return Err("The period must end on or after the day it starts.".to_owned());
        }
        if (last - first).num_days() >= MAX_DAYS as i64 {
            return Err(format!("The period may be at most {MAX_DAYS} days long."));
        }
        Ok(Self { first, last })
    }

    /// The `days` days that end with `last`.
    pub fn ending(last: NaiveDate, days: u64) -> Self {
        let days = days.clamp(1, MAX_DAYS);
        let first = last.checked_sub_days(Days::new(days - 1)).unwrap_or(last);
        Self { first, last }
    }

    /// Its first instant.
    pub fn start(&self) -> DateTime<Utc> {
        self.first.and_time(chrono::NaiveTime::MIN).and_utc()
    }

    /// The first instant after it.
    pub fn end(&self) -> DateTime<Utc> {
        let next = self
            .last
            .checked_add_days(Days::new(1))
            .unwrap_or(self.last);
        next.and_time(chrono::NaiveTime::MIN).and_utc()
    }

    /// Its days, in order.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let last = self.last;
        self.first.iter_days().take_while(move |day| *day <= last)
    }
}

/// What a meeting may have used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Feature {
    ScreenShare,
    Chat,
    Reactions,
    RaisedHands,
    Recording,
}

impl Feature {
    pub const ALL: [Self; 5] = [
        Self::ScreenShare,
        Self::Chat,
        Self::Reactions,
        Self::RaisedHands,
        Self::Recording,
    ];

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            Self::ScreenShare => "Screen sharing",
            Self::Chat => "Chat",
            Self::Reactions => "Reactions",
            Self::RaisedHands => "Raised hands",
            Self::Recording => "Recording or transcription",
        }
    }

    /// The feature `event` is a use of.
    fn of(event: &Event) -> Option<Self> {
        match event {
            Event::ScreenShareStarted => Some(Self::ScreenShare),
            Event::ChatMessageSent => Some(Self::Chat),
            Event::ReactionSent { .. } => Some(Self::Reactions),
            Event::HandRaised => Some(Self::RaisedHands),
            Event::RecordingStarted { .. } => Some(Self::Recording),
            _ => None,
        }
    }
}

/// One day's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    /// Meetings that started that day.
    pub meetings: u32,
    /// Different people who joined a meeting that day.
    pub participants: u32,
    /// The most people in meetings at once that day.
    pub peak_concurrent: u32,
}

/// How one kind of lobby wait ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LobbyWaits {
    pub outcome: LobbyOutcome,
    pub count: u32,
    /// The median wait, in seconds.
    pub median_wait_seconds: Option<u32>,
}

/// The figures of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage {
    pub period: Period,
    pub days: Vec<Day>,
    /// Meetings that started in the period.
    pub meetings: u32,
    /// Different people who joined a meeting in the period.
    pub participants: u32,
    /// The most people in meetings at once in the period.
    pub peak_concurrent: u32,
    /// The median length of the period's meetings, in seconds.
    pub median_meeting_seconds: Option<u32>,
    /// For each feature, how many of the period's meetings used it.
    pub features: Vec<(Feature, u32)>,
    pub lobby: Vec<LobbyWaits>,
    /// How many calls were rated 1, 2, 3, 4 and 5.
    pub ratings: [u32; 5],
    pub logins: u32,
    pub rooms_created: u32,
    /// How often a browser could not reach the media server.
    pub media_server_unreachable: u32,
    /// Whether more events than [`MAX_EVENTS`] occurred: the figures cover the first ones.
    pub partial: bool,
}

impl Usage {
    /// The mean rating, when there is any.
    pub fn mean_rating(&self) -> Option<f64> {
        let count: u32 = self.ratings.iter().sum();
        let total: u32 = (1..).zip(self.ratings).map(|(rating, n)| rating * n).sum();
        (count > 0).then(|| f64::from(total) / f64::from(count))
    }
}

/// A meeting, as its events show it.
#[derive(Debug)]
struct Meeting {
    room: Option<String>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    /// Who joined when.
    joins: Vec<(Option<String>, DateTime<Utc>)>,
    /// Who left when.
    leaves: Vec<(Option<String>, DateTime<Utc>)>,
    features: BTreeSet<Feature>,
}

/// The median of `values` (the lower middle one's and upper middle one's mean, rounded down,
/// for an even count).
fn median(mut values: Vec<u32>) -> Option<u32> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        Some(values[middle])
    } else {
        Some(((u64::from(values[middle - 1]) + u64::from(values[middle])) / 2) as u32)
    }
}

fn seconds(from: DateTime<Utc>, to: DateTime<Utc>) -> u32 {
    u32::try_from((to - from).num_seconds().max(0)).unwrap_or(u32::MAX)
}

/// The figures of `period` from its `events` (oldest first), of which there were more than
/// could be read when `partial`.
pub fn compute(period: Period, events: &[Recorded], partial: bool) -> Usage {
    let mut meetings: BTreeMap<&str, Meeting> = BTreeMap::new();
    // Meetings first: each starts at its first join.
    for recorded in events {
        let (Some(meeting), Event::MeetingJoined { .. }) = (&recorded.meeting, &recorded.event)
        else {
            continue;
        };
        meetings.entry(meeting).or_insert_with(|| Meeting {
            room: recorded.room.clone(),
            start: recorded.occurred_at,
            end: recorded.occurred_at,
            joins: Vec::new(),
            leaves: Vec::new(),
            features: BTreeSet::new(),
        });
    }
    // Each lasts until the last event naming it.
    for recorded in events {
        if let Some(meeting) = recorded
            .meeting
            .as_deref()
            .and_then(|meeting| meetings.get_mut(meeting))
        {
            meeting.end = meeting.end.max(recorded.occurred_at);
        }
    }
    let mut ratings = [0; 5];
    let mut waits: BTreeMap<LobbyOutcome, Vec<u32>> = BTreeMap::new();
    let (mut logins, mut rooms_created, mut unreachable) = (0, 0, 0);
    for recorded in events {
        let at = recorded.occurred_at;
        match &recorded.event {
            Event::Login => logins += 1,
            Event::RoomCreated => rooms_created += 1,
            Event::MediaServerUnreachable => unreachable += 1,
            Event::FeedbackRated { rating } => {
                if let Some(count) = ratings.get_mut(usize::from(*rating).wrapping_sub(1)) {
                    *count += 1;
                }
            }
            Event::LobbyWaited {
                wait_seconds,
                outcome,
            } => waits.entry(*outcome).or_default().push(*wait_seconds),
            _ => {}
        }
        // The meeting it happened in: the one named, or the one running in its room then.
        let meeting = match &recorded.meeting {
            Some(meeting) => meetings.get_mut(meeting.as_str()),
            None => recorded.room.as_deref().and_then(|room| {
                meetings
                    .values_mut()
                    .filter(|meeting| {
                        meeting.room.as_deref() == Some(room)
                            && meeting.start <= at
                            && at <= meeting.end
                    })
                    .max_by_key(|meeting| meeting.start)
            }),
        };
        let Some(meeting) = meeting else { continue };
        match &recorded.event {
            Event::MeetingJoined { .. } => meeting.joins.push((recorded.actor.clone(), at)),
            Event::MeetingLeft { .. } => meeting.leaves.push((recorded.actor.clone(), at)),
            event => {
                if let Some(feature) = Feature::of(event) {
                    meeting.features.insert(feature);
                }
            }
        }
    }

    // Presence: each join lasts until that person's next leave of the meeting, or its end.
    let mut changes: Vec<(DateTime<Utc>, i64)> = Vec::new();
    let mut per_day: BTreeMap<NaiveDate, (u32, BTreeSet<&str>)> = BTreeMap::new();
    let mut everyone: BTreeSet<&str> = BTreeSet::new();
    for meeting in meetings.values() {
        per_day.entry(meeting.start.date_naive()).or_default().0 += 1;
        let mut leaves: HashMap<&Option<String>, Vec<DateTime<Utc>>> = HashMap::new();
        for (actor, at) in &meeting.leaves {
            leaves.entry(actor).or_default().push(*at);
        }
        for (actor, joined) in &meeting.joins {
            if let Some(actor) = actor {
                per_day
                    .entry(joined.date_naive())
                    .or_default()
                    .1
                    .insert(actor);
                everyone.insert(actor);
            }
            let left = leaves
                .get_mut(actor)
                .and_then(|times| {
                    let index = times.iter().position(|left| left >= joined)?;
                    Some(times.remove(index))
                })
                .unwrap_or(meeting.end);
            changes.push((*joined, 1));
            changes.push((left, -1));
        }
    }
    // Leaves before joins at the same instant.
    changes.sort();
    let mut peaks: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    let mut present: i64 = 0;
    let mut peak: u32 = 0;
    for (at, change) in changes {
        let day = at.date_naive();
        // Whoever was present at midnight counts for the new day too.
        let carried = u32::try_from(present).unwrap_or(0);
        let day_peak = peaks.entry(day).or_insert(carried);
        present += change;
        let now = u32::try_from(present).unwrap_or(0);
        *day_peak = (*day_peak).max(now);
        peak = peak.max(now);
    }
    let days = period
        .days()
        .map(|date| {
            let (meetings, participants) = per_day
                .get(&date)
                .map_or((0, 0), |(count, people)| (*count, people.len() as u32));
            Day {
                date,
                meetings,
                participants,
                peak_concurrent: peaks.get(&date).copied().unwrap_or(0),
            }
        })
        .collect();
    let features = Feature::ALL
        .into_iter()
        .map(|feature| {
            let count = meetings
                .values()
                .filter(|meeting| meeting.features.contains(&feature))
                .count();
            (feature, count as u32)
        })
        .collect();
    let lobby = LobbyOutcome::ALL
        .into_iter()
        .map(|outcome| {
            let waits = waits.remove(&outcome).unwrap_or_default();
            LobbyWaits {
                outcome,
                count: waits.len() as u32,
                median_wait_seconds: median(waits),
            }
        })
        .collect();
    Usage {
        period,
        days,
        meetings: meetings.len() as u32,
        participants: everyone.len() as u32,
        peak_concurrent: peak,
        median_meeting_seconds: median(
            meetings
                .values()
                .map(|meeting| seconds(meeting.start, meeting.end))
                .collect(),
        ),
        features,
        lobby,
        ratings,
        logins,
        rooms_created,
        media_server_unreachable: unreachable,
        partial,
    }
}

/// Whether `requester` is one of the deployment's operators: named in `MEET_ADMIN_EMAILS`, or
/// staff.
pub fn is_operator(services: &Services, requester: &Requester) -> bool {
    requester.user.as_deref().is_some_and(|user| {
        user.is_staff
            || user
                .email
                .as_deref()
                .is_some_and(|email| services.operators.contains(email))
    })
}

/// The figures of `period`, for an operator: anyone else is told the page does not exist
/// ([`DomainError::NotFound`]).
pub async fn usage(
    services: &Services,
    requester: &Requester,
    period: Period,
) -> Result<Usage, DomainError> {
    if !is_operator(services, requester) {
        return Err(DomainError::NotFound);
    }
    let events = super::queries::between(
        &services.store,
        period.start(),
        period.end(),
        MAX_EVENTS + 1,
    )
    .await?;
    let partial = events.len() > MAX_EVENTS as usize;
    let events = &events[..events.len().min(MAX_EVENTS as usize)];
    Ok(compute(period, events, partial))
}

/// The deployment's operators, by email (compared without regard to case).
#[derive(Debug, Clone, Default)]
pub struct Operators(BTreeSet<String>);

impl Operators {
    pub fn new<'a>(emails: impl IntoIterator<Item = &'a str>) -> Self {
        Self(
            emails
                .into_iter()
                .map(|email| email.trim().to_lowercase())
                .filter(|email| !email.is_empty())
                .collect(),
        )
    }

    pub fn contains(&self, email: &str) -> bool {
        self.0.contains(&email.trim().to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use meet_types::{EndReason, RecordingMode};

    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn event(
        time: &str,
        event: Event,
        actor: Option<&str>,
        room: Option<&str>,
        meeting: Option<&str>,
    ) -> Recorded {
        Recorded {
            id: uuid::Uuid::new_v4(),
            occurred_at: at(time),
            event,
            actor: actor.map(Into::into),
            room: room.map(Into::into),
            meeting: meeting.map(Into::into),
        }
    }

    fn joined(time: &str, actor: &str, room: &str, meeting: &str) -> Recorded {
        event(
            time,
            Event::MeetingJoined { participants: 1 },
            Some(actor),
            Some(room),
            Some(meeting),
        )
    }

    fn left(time: &str, actor: &str, room: &str, meeting: &str) -> Recorded {
        let left = Event::MeetingLeft {
            duration_seconds: 1,
            participants: 1,
            reason: EndReason::Left,
        };
        event(time, left, Some(actor), Some(room), Some(meeting))
    }

    /// Two days of a small deployment, with the figures worked out by hand in the comments.
    fn seeded() -> Vec<Recorded> {
        let mut events = vec![
            event(
                "2026-11-01T08:00:00Z",
                Event::Login,
                Some("ann"),
                None,
                None,
            ),
            event(
                "2026-11-01T08:01:00Z",
                Event::RoomCreated,
                Some("ann"),
                None,
                None,
            ),
            // Meeting m1 in room r1: ann 09:00–10:00, bob 09:10–09:40, guest g1 09:20–(never
            // seen leaving: until the meeting's last event, 10:00). Length 60 min.
            joined("2026-11-01T09:00:00Z", "ann", "r1", "m1"),
            joined("2026-11-01T09:10:00Z", "bob", "r1", "m1"),
            joined("2026-11-01T09:20:00Z", "g1", "r1", "m1"),
            event(
                "2026-11-01T09:25:00Z",
                Event::ChatMessageSent,
                Some("bob"),
                Some("r1"),
                Some("m1"),
            ),
            // Server-side, in room r1 while m1 runs: counts for m1.
            event(
                "2026-11-01T09:30:00Z",
                Event::HandRaised,
                Some("bob"),
                Some("r1"),
                None,
            ),
            left("2026-11-01T09:40:00Z", "bob", "r1", "m1"),
            left("2026-11-01T10:00:00Z", "ann", "r1", "m1"),
            // Meeting m2 in room r2, overlapping m1: cid 09:30–09:50, ann 09:35–09:45 (ann is
            // in two meetings at once: two browsers). Length 20 min.
            joined("2026-11-01T09:30:00Z", "cid", "r2", "m2"),
            joined("2026-11-01T09:35:00Z", "ann", "r2", "m2"),
            event(
                "2026-11-01T09:36:00Z",
                Event::ScreenShareStarted,
                Some("cid"),
                Some("r2"),
                Some("m2"),
            ),
            left("2026-11-01T09:45:00Z", "ann", "r2", "m2"),
            left("2026-11-01T09:50:00Z", "cid", "r2", "m2"),
            // A hand raised in r2 after m2 ended: in no meeting.
            event(
                "2026-11-01T11:00:00Z",
                Event::HandRaised,
                Some("cid"),
                Some("r2"),
                None,
            ),
            event(
                "2026-11-01T12:00:00Z",
                Event::LobbyWaited {
                    wait_seconds: 30,
                    outcome: LobbyOutcome::Admitted,
                },
                None,
                Some("r1"),
                None,
            ),
            event(
                "2026-11-01T12:01:00Z",
                Event::LobbyWaited {
                    wait_seconds: 10,
                    outcome: LobbyOutcome::Admitted,
                },
                None,
                Some("r1"),
                None,
            ),
            event(
                "2026-11-01T12:02:00Z",
                Event::LobbyWaited {
                    wait_seconds: 5,
                    outcome: LobbyOutcome::Denied,
                },
                None,
                Some("r1"),
                None,
            ),
            event(
                "2026-11-01T13:00:00Z",
                Event::FeedbackRated { rating: 5 },
                Some("ann"),
                None,
                None,
            ),
            event(
                "2026-11-01T13:01:00Z",
                Event::FeedbackRated { rating: 4 },
                None,
                None,
                None,
            ),
            // Meeting m3 in room r1, across midnight: dan 23:50–00:20, eve 23:55–00:05.
            // Length 30 min. Recording started in it (server-side).
            joined("2026-11-01T23:50:00Z", "dan", "r1", "m3"),
            joined("2026-11-01T23:55:00Z", "eve", "r1", "m3"),
            event(
                "2026-11-01T23:58:00Z",
                Event::RecordingStarted {
                    mode: RecordingMode::ScreenRecording,
                },
                Some("dan"),
                Some("r1"),
                None,
            ),
            event(
                "2026-11-02T00:01:00Z",
                Event::ReactionSent {
                    emoji: "👍".into()
                },
                Some("eve"),
                Some("r1"),
                Some("m3"),
            ),
            left("2026-11-02T00:05:00Z", "eve", "r1", "m3"),
            left("2026-11-02T00:20:00Z", "dan", "r1", "m3"),
            event(
                "2026-11-02T08:00:00Z",
                Event::MediaServerUnreachable,
                None,
                Some("r1"),
                None,
            ),
            event(
                "2026-11-02T09:00:00Z",
                Event::FeedbackRated { rating: 2 },
                None,
                None,
                None,
            ),
        ];
        events.sort_by_key(|recorded| recorded.occurred_at);
        events
    }

    #[test]
    fn figures_match_the_hand_computed_ones() {
        let period = Period::new(day("2026-11-01"), day("2026-11-03")).unwrap();
        let usage = compute(period, &seeded(), false);
        // Meetings: m1, m2 and m3 start on the 1st; none on the 2nd or 3rd.
        // Participants on the 1st: ann, bob, g1, cid, dan, eve = 6; over the period 6.
        // Peak on the 1st: 09:35–09:40 ann, bob, g1 in m1 + cid, ann in m2 = 5.
        // Peak on the 2nd: dan and eve carried over midnight = 2.
        assert_eq!(
            usage.days,
            vec![
                Day {
                    date: day("2026-11-01"),
                    meetings: 3,
                    participants: 6,
                    peak_concurrent: 5
                },
                Day {
                    date: day("2026-11-02"),
                    meetings: 0,
                    participants: 0,
                    peak_concurrent: 2
                },
                Day {
                    date: day("2026-11-03"),
                    meetings: 0,
                    participants: 0,
                    peak_concurrent: 0
                },
            ]
        );
        assert_eq!(usage.meetings, 3);
        assert_eq!(usage.participants, 6);
        assert_eq!(usage.peak_concurrent, 5);
        // Lengths 60, 20 and 30 minutes: the median is 30 minutes.
        assert_eq!(usage.median_meeting_seconds, Some(30 * 60));
        // Screen share in m2; chat and the raised hand in m1 (the hand in r2 after m2 ended
        // counts for nothing); reaction and recording in m3.
        assert_eq!(
            usage.features,
            vec![
                (Feature::ScreenShare, 1),
                (Feature::Chat, 1),
                (Feature::Reactions, 1),
                (Feature::RaisedHands, 1),
                (Feature::Recording, 1),
            ]
        );
        // Admitted after 30 s and 10 s: median 20 s; denied after 5 s.
        assert_eq!(
            usage.lobby,
            vec![
                LobbyWaits {
                    outcome: LobbyOutcome::Admitted,
                    count: 2,
                    median_wait_seconds: Some(20)
                },
                LobbyWaits {
                    outcome: LobbyOutcome::Denied,
                    count: 1,
                    median_wait_seconds: Some(5)
                },
            ]
        );
        assert_eq!(usage.ratings, [0, 1, 0, 1, 1]);
        // (5 + 4 + 2) / 3.
        assert_eq!(usage.mean_rating(), Some(11.0 / 3.0));
        assert_eq!((usage.logins, usage.rooms_created), (1, 1));
        assert_eq!(usage.media_server_unreachable, 1);
        assert!(!usage.partial);
    }

    #[test]
    fn nothing_gives_zeros() {
        let period = Period::ending(day("2026-11-30"), 7);
        assert_eq!(period.first, day("2026-11-24"));
        let usage = compute(period, &[], false);
        assert_eq!(usage.days.len(), 7);
        assert_eq!(usage.meetings, 0);
        assert_eq!(usage.median_meeting_seconds, None);
        assert_eq!(usage.mean_rating(), None);
        assert!(usage.days.iter().all(|day| day.peak_concurrent == 0));
    }

    #[test]
    fn periods_are_bounded() {
        assert!(Period::new(day("2026-11-02"), day("2026-11-01")).is_err());
        assert!(Period::new(day("2025-01-01"), day("2026-11-01")).is_err());
        let year = Period::new(day("2025-11-01"), day("2026-10-31")).unwrap();
        assert_eq!(year.days().count(), 365);
        assert_eq!(year.start(), at("2025-11-01T00:00:00Z"));
        assert_eq!(year.end(), at("2026-11-01T00:00:00Z"));
    }

    #[test]
    fn medians() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3]), Some(3));
        assert_eq!(median(vec![4, 1]), Some(2));
        assert_eq!(median(vec![9, 1, 5]), Some(5));
    }

    #[test]
    fn operators_are_found_by_email_in_any_case() {
        let operators = Operators::new(["Ops@Example.org", " ", "b@example.org "]);
        assert!(operators.contains("ops@example.ORG"));
        assert!(operators.contains("b@example.org"));
        assert!(!operators.contains(""));
        assert!(!operators.contains("c@example.org"));
    }
}

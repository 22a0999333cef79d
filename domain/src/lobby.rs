//! The lobby: people who may not enter a room directly ask to, and its hosts let them in or not
//! (La Suite Meet's rules, `core/services/lobby.py`). The state lives in the database, so every
//! instance sees the same lobby; each change is published as [`Invalidation::Lobby`], which
//! reaches the other instances through the [`Notifier`](crate::notifier::Notifier).
//!
//! - Whoever may enter directly (see [`enters_directly`]) is answered `accepted` with
//!   credentials at once, and nothing is stored.
//! - Everyone else starts `waiting`; the LiveKit room is sent a `participantWaiting` data
//!   message, so hosts in the meeting hear of it. A waiting entry lapses [`WAITING_LAPSE`] after
//!   its guest last asked: a guest who stops asking drops out.
//! - A host admits (`accepted`, for [`ACCEPTED_LAPSE`]: the guest's next request gets
//!   credentials) or refuses (`denied`, lapsing after [`DENIED_LAPSE`], after which they may ask
//!   again).
//!
//! The lobby id of a person is the guest identity Meet issued to their browser (the
//! `lobbyParticipantId` cookie), logged in or not; once admitted, a guest enters the meeting
//! with it as their LiveKit identity, and a logged-in person with their own.

pub mod changes;
pub mod queries;

use std::time::Duration;

use meet_types::lobby::PARTICIPANT_WAITING;
use meet_types::{LiveKitConnection, LobbyParticipant, LobbyStatus, Role};
use tokio::sync::watch;
use uuid::Uuid;

use crate::error::{DomainError, FieldErrors};
use crate::guest::GuestId;
use crate::livekit::token;
use crate::notifier::Invalidation;
use crate::requester::Requester;
use crate::rooms::admission::enters_directly;
use crate::rooms::names::validate_username;
use crate::rooms::{Designated, designated, guest_identity, participant, role_in};
use crate::rooms::{Room, unregistered};
use crate::services::Services;

/// How long a waiting entry lives after its guest last asked (`LOBBY_WAITING_TIMEOUT`).
pub const WAITING_LAPSE: Duration = Duration::from_secs(3);
/// How long a refusal stands before its guest may ask again (`LOBBY_DENIED_TIMEOUT`).
pub const DENIED_LAPSE: Duration = Duration::from_secs(5);
/// How long an admission stands (`LOBBY_ACCEPTED_TIMEOUT`: a token's lifetime).
pub const ACCEPTED_LAPSE: Duration = Duration::from_secs(6 * 3600);
/// How often an instance says it still holds its waiting guests' entries.
pub const KEEP_ALIVE_PERIOD: Duration = Duration::from_secs(1);
/// The most waiting people a host is shown at once.
pub const MAX_LISTED: u32 = 500;

/// The answer to a request to enter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryAnswer {
    pub participant: LobbyParticipant,
    /// Credentials, once admitted (or when they may enter directly).
    pub livekit: Option<LiveKitConnection>,
}

/// `requester` asks to enter the room `key` designates, under the name `username`. They are
/// answered `accepted` with credentials when they may enter directly or a host admitted them,
/// else where they stand in its lobby; asking again while waiting keeps them waiting. Throttled
/// per user, or per guest identity (a guest without one is issued one, as for
/// [`retrieve`](crate::rooms::retrieve)).
pub async fn request_entry(
    services: &Services,
    requester: &Requester,
    key: &str,
    username: &str,
) -> Result<EntryAnswer, DomainError> {
    let username = validate_username(Some(username))?.ok_or_else(|| {
        DomainError::Invalid(FieldErrors::one("username", "This field may not be blank."))
    })?;
    let guest = guest_identity(services, requester);
    let throttled = requester.user.as_ref().map_or(guest.id(), |user| user.id);
    services
        .entry_requests
        .check(throttled, services.clock.now())
        .map_err(|retry_after| DomainError::TooManyRequests { retry_after })?;
    let room = match designated(services, key).await? {
        Designated::Room(room) => room,
        Designated::Unregistered(code) => {
            let details = unregistered(services, requester, code, Some(username))?;
            return Ok(accepted(&guest, username, details.livekit));
        }
    };
    let role = role_in(services, requester, &room).await?;
    if enters_directly(room.access_level, requester.user.is_some(), role) {
        let livekit = credentials(services, requester, &room, role, username)?;
        return Ok(accepted(&guest, username, Some(livekit)));
    }
    let now = now_ms(services);
    let color = token::color(&guest.identity());
    let before = queries::find(&services.store, room.id, guest.id(), now).await?;
    let entry = queries::ask(
        &services.store,
        room.id,
        guest.id(),
        username,
        &color,
        now,
        now + millis(WAITING_LAPSE),
    )
    .await?;
    let status = entry.status();
    if before.is_none() {
        started_waiting(services, &room).await;
    }
    let livekit = match status {
        LobbyStatus::Accepted => Some(credentials(services, requester, &room, role, username)?),
        LobbyStatus::Waiting | LobbyStatus::Denied => None,
    };
    Ok(EntryAnswer {
        participant: shown(&entry),
        livekit,
    })
}

/// The people waiting in the lobby of the room `key` designates, first come first: for its
/// administrators and owners. A public room has no lobby: nobody waits there.
pub async fn waiting(
    services: &Services,
    requester: &Requester,
    key: &str,
) -> Result<Vec<LobbyParticipant>, DomainError> {
    let room = hosts_room(services, requester, key).await?;
    if room.access_level == meet_types::AccessLevel::Public {
        return Ok(Vec::new());
    }
    let now = now_ms(services);
    let entries = queries::waiting(&services.store, room.id, now, MAX_LISTED).await?;
    Ok(entries.iter().map(shown).collect())
}

/// A host of the room `key` designates admits (`allow`) or refuses the person `participant_id`
/// of its lobby. [`DomainError::NotFound`] for a public room (it has no lobby) and for someone
/// not in the lobby (never asked, or their request lapsed).
pub async fn decide(
    services: &Services,
    requester: &Requester,
    key: &str,
    participant_id: Uuid,
    allow: bool,
) -> Result<(), DomainError> {
    let room = hosts_room(services, requester, key).await?;
    if room.access_level == meet_types::AccessLevel::Public {
        return Err(DomainError::NotFound);
    }
    let (status, lapse) = if allow {
        (LobbyStatus::Accepted, ACCEPTED_LAPSE)
    } else {
        (LobbyStatus::Denied, DENIED_LAPSE)
    };
    let now = now_ms(services);
    let until = now + millis(lapse);
    let before = queries::find(&services.store, room.id, participant_id, now).await?;
    if !queries::decide(&services.store, room.id, participant_id, status, now, until).await? {
        return Err(DomainError::NotFound);
    }
    // A wait ends once: deciding again about someone already decided is no new wait.
    if let Some(entry) = before.filter(|entry| entry.status() == LobbyStatus::Waiting) {
        let waited = u32::try_from((now - entry.requested_at).max(0) / 1000).unwrap_or(u32::MAX);
        let outcome = if allow {
            crate::analytics::LobbyOutcome::Admitted
        } else {
            crate::analytics::LobbyOutcome::Denied
        };
        let event = crate::analytics::Event::LobbyWaited {
            wait_seconds: waited.min(meet_types::analytics::MAX_DURATION_SECONDS),
            outcome,
        };
        let livekit_room = room.livekit_name();
        let place = crate::analytics::Place {
            room: Some(&livekit_room),
            meeting: None,
        };
        services.emit(event, crate::analytics::Actor::Nobody, place);
    }
    services
        .notifier
        .publish(Invalidation::Lobby(room.id))
        .await;
    Ok(())
}

/// What a waiting person's push stream follows: their entry in one room's lobby, held alive by
/// this instance while the stream is open (see [`follow`]).
#[derive(Clone)]
pub struct Following {
    room: Room,
    role: Option<Role>,
    participant_id: Uuid,
    /// Changes whenever the lobby may have changed.
    pub changes: watch::Receiver<u64>,
}

/// `requester` follows their request to enter the room `key` designates, which they made with
/// [`request_entry`]: this instance holds their entry alive until [`Following::release`].
/// [`DomainError::NotFound`] when they have no live entry there (they never asked, their request
/// lapsed, or the room is not one with a lobby).
pub async fn follow(
    services: &Services,
    requester: &Requester,
    key: &str,
) -> Result<Following, DomainError> {
    let guest = requester.guest.as_ref().ok_or(DomainError::NotFound)?;
    let Designated::Room(room) = designated(services, key).await? else {
        return Err(DomainError::NotFound);
    };
    let role = role_in(services, requester, &room).await?;
    // Watch first: no change between the read and the watch is missed.
    let changes = services.lobby_changes.watch(room.id);
    let now = now_ms(services);
    let until = now + millis(WAITING_LAPSE);
    queries::hold(
        &services.store,
        room.id,
        guest.id(),
        services.instance,
        now,
        until,
    )
    .await?
    .ok_or(DomainError::NotFound)?;
    Ok(Following {
        room: Room::clone(&room),
        role,
        participant_id: guest.id(),
        changes,
    })
}

impl Following {
    /// Where `requester` stands now, with credentials once admitted; `None` once their entry is
    /// gone (lapsed, or removed by a host).
    pub async fn current(
        &self,
        services: &Services,
        requester: &Requester,
    ) -> Result<Option<EntryAnswer>, DomainError> {
        let now = now_ms(services);
        let Some(entry) =
            queries::find(&services.store, self.room.id, self.participant_id, now).await?
        else {
            return Ok(None);
        };
        let livekit = match entry.status() {
            LobbyStatus::Accepted => Some(credentials(
                services,
                requester,
                &self.room,
                self.role,
                &entry.username,
            )?),
            LobbyStatus::Waiting | LobbyStatus::Denied => None,
        };
        Ok(Some(EntryAnswer {
            participant: shown(&entry),
            livekit,
        }))
    }

    /// The stream closed: a person still waiting left the lobby.
    pub async fn release(&self, services: &Services) {
        let released = queries::release(
            &services.store,
            self.room.id,
            self.participant_id,
            services.instance,
        )
        .await;
        match released {
            Ok(true) => {
                services
                    .notifier
                    .publish(Invalidation::Lobby(self.room.id))
                    .await
            }
            Ok(false) => {}
            Err(error) => tracing::warn!(%error, "cannot remove a guest who left the lobby"),
        }
    }
}

/// What a host's push stream of the waiting list follows: the lobby of the room `key`
/// designates, for its administrators and owners (checked again by each [`waiting`] read).
pub async fn watch_waiting(
    services: &Services,
    requester: &Requester,
    key: &str,
) -> Result<watch::Receiver<u64>, DomainError> {
    let room = hosts_room(services, requester, key).await?;
    Ok(services.lobby_changes.watch(room.id))
}

/// Keeps alive the waiting entries whose guests' push streams this instance holds, every
/// second, and deletes lapsed entries every minute, for as long as the process runs. When the
/// instance stops, its guests' entries lapse within [`WAITING_LAPSE`] unless their pages
/// reconnect (to any instance).
pub async fn keep_alive(services: Services) {
    let mut every = tokio::time::interval(KEEP_ALIVE_PERIOD);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut ticks: u64 = 0;
    loop {
        every.tick().await;
        ticks += 1;
        let now = now_ms(&services);
        let until = now + millis(WAITING_LAPSE);
        if let Err(error) = queries::keep_alive(&services.store, services.instance, until).await {
            tracing::warn!(%error, "cannot keep waiting guests in the lobby");
        }
        if ticks.is_multiple_of(60) {
            match queries::delete_all_lapsed(&services.store, now).await {
                Ok(0) => {}
                Ok(deleted) => tracing::debug!(deleted, "lapsed lobby entries deleted"),
                Err(error) => tracing::warn!(%error, "cannot delete lapsed lobby entries"),
            }
        }
    }
}

/// The room `key` designates, when `requester` administers it (the lobby is its hosts', as
/// moderation is): 401 for visitors, 404 for an unknown room, 403 for anyone else.
async fn hosts_room(
    services: &Services,
    requester: &Requester,
    key: &str,
) -> Result<Room, DomainError> {
    Ok(crate::moderation::moderator(services, requester, key)
        .await?
        .room)
}

/// Forgets whatever the lobby of `room_id` holds for the participant `identity` (a host removed
/// them from the meeting: they must ask again). Identities that are not lobby ids (a logged-in
/// person's `sub`) have no entry.
pub async fn forget(services: &Services, room_id: Uuid, identity: &str) -> Result<(), DomainError> {
    let Ok(participant_id) = Uuid::try_parse(identity) else {
        return Ok(());
    };
    if queries::remove(&services.store, room_id, participant_id).await? {
        services
            .notifier
            .publish(Invalidation::Lobby(room_id))
            .await;
    }
    Ok(())
}

/// Forgets everyone the lobby of `room_id` admitted (the meeting ended for everyone: they must
/// ask again to come back).
pub async fn forget_admitted(services: &Services, room_id: Uuid) -> Result<(), DomainError> {
    if queries::remove_admitted(&services.store, room_id).await? > 0 {
        services
            .notifier
            .publish(Invalidation::Lobby(room_id))
            .await;
    }
    Ok(())
}

/// Someone started waiting in `room`'s lobby: every instance is told, and the LiveKit room
/// (when it runs: hosts are only there then).
async fn started_waiting(services: &Services, room: &Room) {
    services
        .notifier
        .publish(Invalidation::Lobby(room.id))
        .await;
    // The meeting hears of it too (La Suite Meet's clients poll the lobby on this message), in
    // the background: the person asking is answered whatever LiveKit does.
    let message = serde_json::json!({ "type": PARTICIPANT_WAITING }).to_string();
    let (livekit, timeout) = (services.livekit.clone(), services.settings.livekit_timeout);
    let (livekit_room, id) = (room.livekit_name(), room.id);
    tokio::spawn(async move {
        let sending = livekit.send_data(&livekit_room, message.into_bytes());
        match tokio::time::timeout(timeout, sending).await {
            Ok(Ok(_)) => {}
            Ok(Err(error)) => {
                tracing::warn!(%error, room = %id, "cannot tell the meeting someone waits");
            }
            Err(_) => {
                tracing::warn!(room = %id, "LiveKit did not answer: the meeting was not told someone waits");
            }
        }
    });
}

/// Credentials for `requester` to enter `room` under `username`.
fn credentials(
    services: &Services,
    requester: &Requester,
    room: &Room,
    role: Option<Role>,
    username: &str,
) -> Result<LiveKitConnection, DomainError> {
    let participant = participant(services, requester, role, Some(username));
    Ok(token::mint(
        &services.settings.token,
        &room.livekit_name(),
        &participant,
        Some(&room.configuration.0),
    )?)
}

/// The answer to someone who enters directly.
fn accepted(guest: &GuestId, username: &str, livekit: Option<LiveKitConnection>) -> EntryAnswer {
    EntryAnswer {
        participant: LobbyParticipant {
            status: LobbyStatus::Accepted,
            username: username.to_owned(),
            id: guest.identity(),
            color: token::color(&guest.identity()),
        },
        livekit,
    }
}

/// An entry as the API shows it.
fn shown(entry: &queries::StoredEntry) -> LobbyParticipant {
    LobbyParticipant {
        status: entry.status(),
        username: entry.username.clone(),
        id: entry.participant_id.hyphenated().to_string(),
        color: entry.color.clone(),
    }
}

fn now_ms(services: &Services) -> i64 {
    services.clock.utc().timestamp_millis()
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

//! Server functions about rooms: create a meeting (now or for later), get a room with how to
//! enter it, list one's rooms. Each calls one domain function.

use leptos::prelude::*;
use meet_types::{LiveKitConnection, RoomEntry, RoomSummary};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A meeting just created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartedMeeting {
    pub slug: String,
    /// Whether it exists only by its address (a visitor's meeting on a deployment that allows
    /// them), not as a registered room.
    pub unregistered: bool,
}

/// Creates a meeting with a fresh code: a room owned by the logged-in user, or for visitors an
/// unregistered meeting when the deployment allows them. An instant meeting (or any meeting
/// created from a page without JavaScript) redirects to its page.
#[server(endpoint = "rooms/create", input = server_fn::codec::PostUrl)]
pub async fn start_meeting(for_later: bool) -> Result<StartedMeeting, AppError> {
    use crate::api::context::{answer, from_plain_form, requester, services};
    use meet_domain::rooms::NewMeeting;
    let meeting = meet_domain::rooms::start_meeting(&*services()?, &requester())
        .await
        .map_err(answer)?;
    let created = StartedMeeting {
        slug: meeting.slug().to_owned(),
        unregistered: matches!(meeting, NewMeeting::Unregistered(_)),
    };
    if !for_later || from_plain_form() {
        leptos_axum::redirect(&format!("/{}", created.slug));
    }
    Ok(created)
}

/// The room at `key` (its meeting code, address or id) and how the requester enters it, as the
/// meeting page shows it: no credentials are minted here (see [`join_meeting`]).
#[server(endpoint = "rooms/get", input = server_fn::codec::PostUrl)]
pub async fn get_room(key: String) -> Result<RoomEntry, AppError> {
    use crate::api::context::{requester, services};
    let looked_up = with_context::<http::request::Parts, _>(|parts| {
        parts
            .extensions
            .get::<LookedUpRoom>()
            .filter(|room| room.key == key)
            .map(|room| room.entry.clone())
    });
    match looked_up.flatten() {
        Some(entry) => entry,
        None => room_entry(&*services()?, &requester(), &key).await,
    }
}

/// The room at `key` and how `requester` enters it: what [`get_room`] answers. Server only.
#[cfg(feature = "ssr")]
pub async fn room_entry(
    services: &meet_domain::Services,
    requester: &meet_domain::Requester,
    key: &str,
) -> Result<RoomEntry, AppError> {
    let details = meet_domain::rooms::look_up(services, requester, key)
        .await
        .map_err(crate::api::context::answer)?;
    Ok(RoomEntry {
        room: details.view(),
        admission: details.admission(),
        analytics: services.analytics.is_on(),
    })
}

/// The room a meeting page request designates, looked up by the server before rendering the page
/// (in the request's extensions): [`get_room`] answers it rather than looking again, so that the
/// page is rendered from exactly what the server remembers it under. Server only.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone)]
pub struct LookedUpRoom {
    /// The page's address without its `/`, as the page asks for it.
    pub key: String,
    pub entry: Result<RoomEntry, AppError>,
}

/// What pressing Join gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Joining {
    /// In: the media server and the credentials to connect with.
    Enter(LiveKitConnection),
    /// A host must let them in first.
    Wait,
}

/// Joins the meeting at `key` as `username` (the name they picked; ignored for logged-in people
/// when the deployment keeps their account's name): the LiveKit credentials, minted now under the
/// same rules as `GET /api/v1.0/rooms/{id}/`, or that they must wait for a host.
#[server(endpoint = "rooms/join", input = server_fn::codec::PostUrl)]
pub async fn join_meeting(key: String, username: Option<String>) -> Result<Joining, AppError> {
    use crate::api::context::{answer, requester, services};
    let username = username.filter(|name| !name.trim().is_empty());
    let details =
        meet_domain::rooms::retrieve(&*services()?, &requester(), &key, username.as_deref())
            .await
            .map_err(answer)?;
    Ok(match details.livekit {
        Some(livekit) => Joining::Enter(livekit),
        None => Joining::Wait,
    })
}

/// What asking a host to let one in gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Asked {
    /// In: no need to wait (or a host let them in already).
    Enter(LiveKitConnection),
    /// Waiting for a host; the page follows the request (`/events/rooms/{id}/entry`).
    Waiting,
    /// A host refused; they may ask again a few seconds later.
    Denied,
}

/// Asks the hosts of the meeting at `key` to let the requester in under `username` (the
/// lobby's `request-entry`): logged-in people without a choice of name ask under their
/// account's.
#[server(endpoint = "rooms/ask", input = server_fn::codec::PostUrl)]
pub async fn ask_to_join(key: String, username: Option<String>) -> Result<Asked, AppError> {
    use crate::api::context::{answer, requester, services};
    let requester = requester();
    let username = username
        .filter(|name| !name.trim().is_empty())
        .or_else(|| requester.user.as_ref().map(|user| user.display_name()))
        .unwrap_or_else(|| meet_domain::rooms::ANONYMOUS.to_owned());
    let entry = meet_domain::lobby::request_entry(&*services()?, &requester, &key, &username)
        .await
        .map_err(answer)?;
    Ok(match (entry.participant.status, entry.livekit) {
        (_, Some(livekit)) => Asked::Enter(livekit),
        (meet_types::LobbyStatus::Denied, None) => Asked::Denied,
        _ => Asked::Waiting,
    })
}

/// A host of the meeting at `key` lets the person `participant_id` of its lobby in (`allow`),
/// or refuses them (the lobby's `enter`).
#[server(endpoint = "rooms/admit", input = server_fn::codec::PostUrl)]
pub async fn admit(key: String, participant_id: String, allow: bool) -> Result<(), AppError> {
    use crate::api::context::{answer, requester, services};
    let Ok(participant_id) = uuid::Uuid::try_parse(&participant_id) else {
        return Err(answer(meet_domain::DomainError::NotFound));
    };
    meet_domain::lobby::decide(&*services()?, &requester(), &key, participant_id, allow)
        .await
        .map_err(answer)
}

/// How many of one's rooms the home page shows.
pub const MY_ROOMS_SHOWN: usize = 50;

/// The logged-in user's newest rooms.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MyRooms {
    /// At most [`MY_ROOMS_SHOWN`], newest first.
    pub rooms: Vec<RoomSummary>,
    /// Whether they have more.
    pub more: bool,
}

/// The rooms where the logged-in user most recently got a role (the newest
/// [`MY_ROOMS_SHOWN`]); none for visitors. Reads no more rows than it shows, however many rooms
/// the user has.
#[server(endpoint = "rooms/mine")]
pub async fn list_my_rooms() -> Result<MyRooms, AppError> {
    use crate::api::context::{answer, requester, services};
    let services = services()?;
    let requester = requester();
    let Some(user) = requester.user.as_deref() else {
        return Ok(MyRooms::default());
    };
    let recent = meet_domain::rooms::recent_mine(&services, user, MY_ROOMS_SHOWN)
        .await
        .map_err(answer)?;
    let rooms = recent
        .rooms
        .into_iter()
        .map(|row| RoomSummary {
            id: row.room.id,
            name: row.room.name,
            slug: row.room.slug,
            access_level: row.room.access_level,
            role: row.role,
        })
        .collect();
    Ok(MyRooms {
        rooms,
        more: recent.more,
    })
}

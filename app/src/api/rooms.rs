//! Server functions about rooms: create a meeting (now or for later), get a room with how to
//! enter it, list one's rooms. Each calls one domain function.

use leptos::prelude::*;
use meet_types::{RoomEntry, RoomSummary};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A meeting just created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedMeeting {
    pub slug: String,
    /// Whether it exists only by its address (a visitor's meeting on a deployment that allows
    /// them), not as a registered room.
    pub unregistered: bool,
}

/// Creates a meeting with a fresh code: a room owned by the logged-in user, or for visitors an
/// unregistered meeting when the deployment allows them. An instant meeting (or any meeting
/// created from a page without JavaScript) redirects to its page.
#[server(endpoint = "rooms/create", input = server_fn::codec::PostUrl)]
pub async fn create_meeting(for_later: bool) -> Result<CreatedMeeting, AppError> {
    use crate::api::context::{current_user, from_plain_form, services};
    use meet_domain::rooms::service::{NewMeeting, start_meeting};
    let meeting = start_meeting(&services()?, current_user().as_deref()).await?;
    let created = CreatedMeeting {
        slug: meeting.slug().to_owned(),
        unregistered: matches!(meeting, NewMeeting::Unregistered(_)),
    };
    if !for_later || from_plain_form() {
        leptos_axum::redirect(&format!("/{}", created.slug));
    }
    Ok(created)
}

/// The room at `code` and how the viewer enters it. `username` is the name they picked.
#[server(endpoint = "rooms/get", input = server_fn::codec::PostUrl)]
pub async fn get_room(code: String, username: Option<String>) -> Result<RoomEntry, AppError> {
    use crate::api::context::{current_user, guest_id, remember_guest, services};
    use meet_domain::rooms::service::{Requester, retrieve};
    let services = services()?;
    let (user, guest) = (current_user(), guest_id(&services));
    let requester = Requester {
        user: user.as_deref(),
        guest: guest.as_ref(),
    };
    let details = retrieve(&services, requester, &code, username.as_deref()).await?;
    if let Some(guest) = &details.new_guest_id {
        remember_guest(&services, guest);
    }
    Ok(entry(details))
}

#[cfg(feature = "ssr")]
fn entry(details: meet_domain::rooms::service::RoomDetails) -> RoomEntry {
    use meet_types::{AccessLevel, RoomView};
    let admission = details.admission();
    let is_administrable = details.is_administrable();
    let room = match details.room {
        Some(room) => RoomView {
            id: Some(room.id),
            name: room.name,
            slug: room.slug,
            access_level: room.access_level,
            is_administrable,
        },
        None => RoomView {
            id: None,
            name: details.slug.clone(),
            slug: details.slug,
            access_level: AccessLevel::Public,
            is_administrable: false,
        },
    };
    RoomEntry { room, admission }
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
    use crate::api::context::{current_user, services};
    let services = services()?;
    let Some(user) = current_user() else {
        return Ok(MyRooms::default());
    };
    let limit = i64::try_from(MY_ROOMS_SHOWN + 1).unwrap_or(i64::MAX);
    let rows = meet_domain::rooms::service::recent_mine(&services, &user, limit).await?;
    let more = rows.len() > MY_ROOMS_SHOWN;
    let rooms = rows
        .into_iter()
        .take(MY_ROOMS_SHOWN)
        .map(|row| RoomSummary {
            id: row.room.id,
            name: row.room.name,
            slug: row.room.slug,
            access_level: row.room.access_level,
            role: row.role,
        })
        .collect();
    Ok(MyRooms { rooms, more })
}

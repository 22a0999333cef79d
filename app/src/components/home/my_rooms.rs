//! "Your meetings": the rooms where the logged-in user has a role, newest first.

use leptos::prelude::*;
use meet_types::{Role, RoomSummary};

use crate::api::rooms::{MY_ROOMS_SHOWN, list_my_rooms};

/// The list, loaded with the page.
#[component]
pub fn MyRooms() -> impl IntoView {
    let rooms = Resource::new_blocking(|| (), |_| list_my_rooms());
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading your meetings…"</p> }>
            {move || Suspend::new(async move {
                match rooms.await {
                    Ok(mine) if mine.rooms.is_empty() => view! {
                        <p class="muted">"Meetings you create will be listed here."</p>
                    }.into_any(),
                    Ok(mine) => view! {
                        <ul class="room-list">
                            {mine.rooms.into_iter().map(|room| view! { <RoomItem room /> }).collect_view()}
                        </ul>
                        {mine.more.then(|| view! {
                            <p class="muted">{format!("Your {MY_ROOMS_SHOWN} newest meetings are shown.")}</p>
                        })}
                    }.into_any(),
                    Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RoomItem(room: RoomSummary) -> impl IntoView {
    let role = match room.role {
        Role::Owner => "Owner",
        Role::Administrator => "Administrator",
        Role::Member => "Member",
    };
    view! {
        <li class="room-item">
            <a href=format!("/{}", room.slug)>{room.name.clone()}</a>
            <span class="room-meta">{format!("{} · {role}", room.access_level.short_label())}</span>
        </li>
    }
}

//! The meeting page, `/abc-defg-hij` or `/weekly-sync`: the pre-join screen (camera, microphone,
//! name, Join, or that a host will let them in), then the meeting itself.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;
use meet_types::{RoomCode, RoomEntry};

use crate::api::rooms::get_room;
use crate::components::requester::use_requester;
use crate::error::AppError;
use crate::meeting::Meeting;
use crate::pages::not_found::NotFound;

/// `/:slug`: a meeting, by its meeting code or any room's address (the one "Your meetings"
/// links to). Other spellings of an address (capitals, no hyphens, the room's id) redirect to
/// the canonical one; an address that designates nothing is not found.
#[component]
pub fn RoomPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let raw = params.with(|p| p.get("slug")).unwrap_or_default();
        match RoomCode::parse_bare(&raw) {
            Ok(code) if code.as_str() != raw => view! { <Redirect path=code.path() /> }.into_any(),
            _ => view! { <Room key=raw /> }.into_any(),
        }
    }
}

/// The meeting at `key`, loaded with the page. The route renders the whole page before sending
/// anything (`SsrMode::Async`), so that its status (404, or a redirect from another spelling of
/// the address) is decided by the room, every time.
#[component]
fn Room(key: String) -> impl IntoView {
    let requested = key.clone();
    let entry = Resource::new_blocking(move || key.clone(), get_room);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading the meeting…"</p> }>
            {move || {
                let requested = requested.clone();
                Suspend::new(async move {
                    match entry.await {
                        Ok(entry) if entry.room.slug != requested => {
                            view! { <Redirect path=format!("/{}", entry.room.slug) /> }.into_any()
                        }
                        Ok(entry) => view! { <RoomDetails entry /> }.into_any(),
                        Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                        Err(error) => view! { <RoomUnavailable error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The meeting: its pre-join screen, then the call.
#[component]
fn RoomDetails(entry: RoomEntry) -> impl IntoView {
    let RoomEntry {
        room,
        admission,
        analytics,
    } = entry;
    let requester = use_requester();
    view! {
        <Title text=room.name.clone() />
        <Meeting room admission analytics requester />
    }
}

/// The meeting could not be loaded.
#[component]
fn RoomUnavailable(error: AppError) -> impl IntoView {
    view! {
        <Title text="Meeting unavailable" />
        <section class="message-page" aria-labelledby="room-error-title">
            <h1 id="room-error-title">"This meeting cannot be opened right now"</h1>
            <p role="alert">{error.to_string()}</p>
            <div class="actions">
                <a class="button button-primary" href="" rel="external">"Try again"</a>
                <a class="button button-secondary" href="/">"Back to the home page"</a>
            </div>
        </section>
    }
}

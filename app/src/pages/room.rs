//! The meeting page, `/abc-defg-hij` or `/weekly-sync`: which meeting this is, and whether the requester enters it
//! directly or waits for a host to let them in. (Joining with camera and microphone is the next
//! step of this page.)

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;
use meet_types::{AccessLevel, Admission, RoomCode, RoomEntry};

use crate::api::rooms::get_room;
use crate::components::requester::use_requester;
use crate::components::room::meeting_link::MeetingLink;
use crate::error::AppError;
use crate::links;
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
    let entry = Resource::new_blocking(move || key.clone(), |key| get_room(key, None));
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

/// The meeting's name, how the requester enters, and its link.
#[component]
fn RoomDetails(entry: RoomEntry) -> impl IntoView {
    let RoomEntry { room, admission } = entry;
    let direct = matches!(admission, Admission::Direct { .. });
    let (status, explanation) = if direct {
        (
            "You can join this meeting directly.",
            "Joining with camera and microphone comes next.",
        )
    } else {
        match room.access_level {
            AccessLevel::Trusted => (
                "A host will let you in.",
                "This meeting is open to logged-in people. Guests ask to join and wait until a host lets them in.",
            ),
            _ => (
                "A host will let you in.",
                "This meeting is private. Ask to join and wait until a host lets you in.",
            ),
        }
    };
    let login_hint = !direct && room.access_level == AccessLevel::Trusted;
    // A meeting named by its code shows it as a code; a room people named shows its name.
    let title_class = if room.name == room.slug && RoomCode::parse_bare(&room.slug).is_ok() {
        "room-code"
    } else {
        "room-name"
    };
    view! {
        <Title text=room.name.clone() />
        <section class="message-page room-page" aria-labelledby="room-title">
            <p class="eyebrow">"Meeting"</p>
            <h1 id="room-title" class=title_class>{room.name.clone()}</h1>
            <p class=if direct { "admission admission-direct" } else { "admission admission-lobby" } role="status">
                <strong>{status}</strong>
                " "
                {explanation}
            </p>
            {login_hint.then(|| view! { <LoginHint /> })}
            {room.is_administrable.then(|| view! {
                <p class="muted">{format!("Access: {}", room.access_level.label())}</p>
            })}
            <h2 class="section-title">"Invite people"</h2>
            <MeetingLink slug=room.slug.clone() />
            <div class="actions">
                <a class="button button-secondary" href="/">"Back to the home page"</a>
            </div>
        </section>
    }
}

/// For trusted rooms: logging in skips the wait.
#[component]
fn LoginHint() -> impl IntoView {
    let requester = use_requester();
    let location = leptos_router::hooks::use_location();
    let can_log_in = requester.user.is_none() && requester.login_enabled;
    can_log_in.then(|| {
        view! {
            <p>
                <a href=links::login(&location.pathname.get_untracked()) rel="external">"Log in"</a>
                " to join without waiting."
            </p>
        }
    })
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

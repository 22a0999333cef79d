//! The meeting page, `/abc-defg-hij`. A placeholder until the meeting itself is built: it shows
//! which meeting this is and how to share it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;
use meet_types::RoomCode;

use crate::pages::not_found::NotFound;

/// `/:code`: a meeting when `code` is a meeting code. Other spellings of a code (capitals, no
/// hyphens) redirect to the canonical address; anything else is not found.
#[component]
pub fn RoomPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let raw = params.with(|p| p.get("code")).unwrap_or_default();
        match RoomCode::parse_bare(&raw) {
            Ok(code) if code.as_str() == raw => view! { <Room code /> }.into_any(),
            Ok(code) => view! { <Redirect path=code.path() /> }.into_any(),
            Err(_) => view! { <NotFound /> }.into_any(),
        }
    }
}

/// The placeholder for the meeting `code`.
#[component]
fn Room(code: RoomCode) -> impl IntoView {
    view! {
        <Title text=code.to_string() />
        <section class="message-page" aria-labelledby="room-title">
            <p class="eyebrow">"Meeting"</p>
            <h1 id="room-title" class="room-code">{code.to_string()}</h1>
            <p>
                "Share this address with the people you want to meet. Joining with camera and microphone comes next."
            </p>
            <a class="button button-secondary" href="/">"Back to the home page"</a>
        </section>
    }
}

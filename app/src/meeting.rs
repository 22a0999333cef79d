//! The meeting itself: the pre-join screen (camera preview, devices, name, Join), then the
//! conference (tiles, controls, chat and participants panels), then the page after the call.
//! Media goes through [`bridge`] to livekit-client; every piece of state the page shows lives in
//! Leptos signals here.

mod analytics;
pub mod bridge;
mod browser;
mod conference;
mod controls;
mod host;
pub mod model;
mod panels;
mod prejoin;
mod recording;

use leptos::prelude::*;
use meet_types::{Admission, LiveKitConnection, RoomView};

use crate::meeting::bridge::MediaChoice;

/// Where the person is in the meeting page.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stage {
    /// Checking camera and microphone, typing a name.
    PreJoin,
    /// In the meeting (connecting, connected or reconnecting).
    Call(Joined),
}

/// What Join gave: the credentials, and what to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Joined {
    livekit: LiveKitConnection,
    choice: MediaChoice,
}

/// The meeting `room`, entered as `admission` says; reporting product events when `analytics`.
#[component]
pub fn Meeting(room: RoomView, admission: Admission, analytics: bool) -> impl IntoView {
    let stage = RwSignal::new(Stage::PreJoin);
    let on_join = Callback::new(move |joined: Joined| stage.set(Stage::Call(joined)));
    let back = Callback::new(move |()| stage.set(Stage::PreJoin));
    move || match stage.get() {
        Stage::PreJoin => {
            view! { <prejoin::PreJoin room=room.clone() admission on_join /> }.into_any()
        }
        Stage::Call(joined) => view! {
            <conference::Conference room=room.clone() joined back analytics />
        }
        .into_any(),
    }
}

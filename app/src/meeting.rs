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
use meet_types::{Admission, LiveKitConnection, RequesterView, RoomView};
use send_wrapper::SendWrapper;

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

/// The meeting `room`, entered as `admission` says by `requester`; reporting product events when
/// `analytics`. The meeting bundle hydrates it on its own (an island, `crate::bundle`); in the site
/// bundle, which never shows it, it is a plain component.
#[cfg_attr(feature = "site-bundle", component)]
#[cfg_attr(not(feature = "site-bundle"), island)]
pub fn Meeting(
    room: RoomView,
    admission: Admission,
    analytics: bool,
    requester: RequesterView,
) -> impl IntoView {
    // The island's own context: nothing from the page around it reaches the browser.
    provide_context(requester);
    let stage = RwSignal::new(Stage::PreJoin);
    let on_join = Callback::new(move |joined: Joined| stage.set(Stage::Call(joined)));
    let back = Callback::new(move |()| stage.set(Stage::PreJoin));
    // Fetch the call's code while people check their camera, so that Join does not wait for it:
    // after the media bundle, which the camera preview needs first.
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            _ = bridge::load().await;
            if preload_conference().await.is_ok()
                && let Some(root) = document().document_element()
            {
                // Join will not wait: said on the page for whoever measures it (the media specs).
                _ = root.set_attribute("data-call-ready", "true");
            }
        });
    });
    move || match stage.get() {
        Stage::PreJoin => {
            view! { <prejoin::PreJoin room=room.clone() admission on_join /> }.into_any()
        }
        Stage::Call(joined) => {
            let room = room.clone();
            let call = SendWrapper::new(conference_view(room, joined, back, analytics));
            view! {
                <Suspense fallback=|| view! {
                    <p class="muted page-loading" role="status">"Joining the meeting…"</p>
                }>
                    {Suspend::new(async move {
                        call.await.unwrap_or_else(|ConferenceNotLoaded| {
                            view! { <ConferenceNotLoadedNotice back /> }.into_any()
                        })
                    })}
                </Suspense>
            }
            .into_any()
        }
    }
}

/// The call's code could not be fetched (the network failed between the page and Join).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ConferenceNotLoaded;

/// What the page says when the call's code did not arrive: try again from the pre-join screen.
#[component]
fn ConferenceNotLoadedNotice(back: Callback<()>) -> impl IntoView {
    // Join, which had the focus, is gone: the way forward takes it.
    let retry = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = retry.get() {
            // Once in the document: the effect may run before the view is mounted.
            request_animation_frame(move || _ = button.focus());
        }
    });
    view! {
        <section class="message-page" aria-labelledby="conference-not-loaded-title">
            <h1 id="conference-not-loaded-title">"The meeting could not be opened"</h1>
            <p role="alert">"Part of the page did not arrive. Check your connection, then try again."</p>
            <div class="actions">
                <button
                    type="button"
                    class="button button-primary"
                    node_ref=retry
                    on:click=move |_| back.run(())
                >
                    "Try again"
                </button>
            </div>
        </section>
    }
}

/// The call in `room`.
fn conference(room: RoomView, joined: Joined, back: Callback<()>, analytics: bool) -> AnyView {
    view! { <conference::Conference room joined back analytics /> }.into_any()
}

// The call (`conference`) is the larger part of the meeting page's code. In the meeting bundle it
// is a split point: the build (`scripts/build-site.sh`, wasm-split) moves what only it reaches
// into a module of its own, fetched by `preload_conference` or on Join. Elsewhere both are plain
// functions: on the server, where the call is never rendered, and in the site bundle, which
// leaves the meeting page out (a split point's export would keep the call in it).
use call_code::{conference_view, preload_conference};

#[cfg(all(feature = "hydrate", not(feature = "site-bundle")))]
mod call_code {
    use super::*;

    impl From<leptos::wasm_split::SplitLoaderError> for ConferenceNotLoaded {
        fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
            Self
        }
    }

    /// The call, built from the module that carries its code.
    #[leptos::wasm_split::wasm_split(
        conference,
        wasm_split_path = ::leptos::wasm_split,
        preload(preload_conference),
        fallible
    )]
    pub(super) fn conference_view(
        room: RoomView,
        joined: Joined,
        back: Callback<()>,
        analytics: bool,
    ) -> Result<AnyView, ConferenceNotLoaded> {
        Ok(conference(room, joined, back, analytics))
    }
}

#[cfg(not(all(feature = "hydrate", not(feature = "site-bundle"))))]
mod call_code {
    use super::*;

    /// The call (its code is in this build).
    pub(super) async fn conference_view(
        room: RoomView,
        joined: Joined,
        back: Callback<()>,
        analytics: bool,
    ) -> Result<AnyView, ConferenceNotLoaded> {
        Ok(conference(room, joined, back, analytics))
    }

    /// Nothing to fetch.
    pub(super) async fn preload_conference() -> Result<(), ConferenceNotLoaded> {
        Ok(())
    }
}

//! `/recording/{id}`: a recording, for its owner. Says where it stands (still recording, being
//! saved, ready, failed, expired) and, when ready, offers the download until it expires.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use meet_types::{RecordingAvailability, RecordingPageView};

use crate::api::recordings::recording_page;
use crate::error::AppError;
use crate::links;

/// The recording page.
#[component]
pub fn RecordingPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id")).unwrap_or_default();
    let path = format!("/recording/{id}");
    let recording = Resource::new(move || id.clone(), recording_page);
    view! {
        <Title text="Recording" />
        <section class="message-page recording-page" aria-labelledby="recording-title">
            <Suspense fallback=|| view! { <p class="muted">"Loading the recording…"</p> }>
                {move || {
                    let path = path.clone();
                    Suspend::new(async move {
                        match recording.await {
                            Ok(view) => view! { <Recording view /> }.into_any(),
                            Err(AppError::Unauthenticated) => view! { <LogInFirst path /> }.into_any(),
                            Err(AppError::NotFound) => view! { <NoSuchRecording /> }.into_any(),
                            Err(error) => view! {
                                <h1 id="recording-title">"This recording cannot be shown right now"</h1>
                                <p role="alert">{error.to_string()}</p>
                            }
                            .into_any(),
                        }
                    })
                }}
            </Suspense>
            <div class="actions">
                <a class="button button-secondary" href="/">"Back to the home page"</a>
            </div>
        </section>
    }
}

/// A recording its owner may see.
#[component]
fn Recording(view: RecordingPageView) -> impl IntoView {
    let RecordingPageView {
        room_name,
        room_slug,
        mode,
        created,
        expires,
        availability,
        download_url,
    } = view;
    let status = match availability {
        RecordingAvailability::Ready => match &expires {
            Some(expires) => format!("Ready. You can download it until {expires}."),
            None => "Ready to download.".to_owned(),
        },
        RecordingAvailability::Recording => {
            "This meeting is still being recorded. Come back once the recording has stopped."
                .to_owned()
        }
        RecordingAvailability::Saving => {
            "The recording has stopped and is being saved. Come back in a few minutes.".to_owned()
        }
        RecordingAvailability::Failed => {
            "This recording failed: there is no file to download.".to_owned()
        }
        RecordingAvailability::Expired => match &expires {
            Some(expires) => format!("This recording expired on {expires}; its file was deleted."),
            None => "This recording expired; its file was deleted.".to_owned(),
        },
    };
    view! {
        <p class="eyebrow">{mode.label()}</p>
        <h1 id="recording-title">{room_name}</h1>
        <p>
            "Made on " {created} " in the meeting "
            <a href=format!("/{room_slug}")>{format!("/{room_slug}")}</a> "."
        </p>
        <p role="status" class=format!("recording-state recording-{}", state_name(availability))>
            {status}
        </p>
        {download_url.map(|url| view! {
            <p>
                <a class="button button-primary" href=url download="" rel="external">
                    "Download"
                </a>
            </p>
            <p class="muted">"Only you can download this recording: its link works for nobody else."</p>
        })}
    }
}

fn state_name(availability: RecordingAvailability) -> &'static str {
    match availability {
        RecordingAvailability::Ready => "ready",
        RecordingAvailability::Recording => "recording",
        RecordingAvailability::Saving => "saving",
        RecordingAvailability::Failed => "failed",
        RecordingAvailability::Expired => "expired",
    }
}

/// A visitor: recordings are their owners'.
#[component]
fn LogInFirst(path: String) -> impl IntoView {
    view! {
        <h1 id="recording-title">"Log in to see this recording"</h1>
        <p>"Recordings are kept for the person who started them. Log in with that account."</p>
        <p>
            <a class="button button-primary" href=links::login(&path) rel="external">"Log in"</a>
        </p>
    }
}

/// No recording of the requester's at this address.
#[component]
fn NoSuchRecording() -> impl IntoView {
    view! {
        <h1 id="recording-title">"Recording not found"</h1>
        <p>
            "There is no recording at this address, or it is not yours: only the person who \
             started a recording can see it."
        </p>
    }
}

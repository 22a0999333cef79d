//! A meeting's full link, selectable, with a button that copies it.

use leptos::prelude::*;

/// The link to the meeting at `slug`.
#[component]
pub fn MeetingLink(slug: String) -> impl IntoView {
    let link = format!("{}/{slug}", origin());
    let (copied, set_copied) = signal(false);
    let copy = {
        let link = link.clone();
        move |_| {
            copy_to_clipboard(&link);
            set_copied.set(true);
        }
    };
    view! {
        <div class="meeting-link">
            <input type="text" readonly value=link.clone() aria-label="Meeting link" on:focus=|event| select(&event) />
            <button type="button" class="button button-secondary" on:click=copy>
                {move || if copied.get() { "Copied" } else { "Copy link" }}
            </button>
        </div>
    }
}

/// Meet's public address (`MEET_PUBLIC_URL`), provided by the server to server-rendered pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicOrigin(pub String);

/// Where this page is served from, e.g. `https://meet.example.org`: the browser's origin, or on
/// the server Meet's public address (the same thing, so hydration finds what the server wrote).
fn origin() -> String {
    #[cfg(feature = "hydrate")]
    {
        leptos::prelude::window()
            .location()
            .origin()
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        use_context::<PublicOrigin>()
            .map(|origin| origin.0)
            .unwrap_or_default()
    }
}

fn copy_to_clipboard(text: &str) {
    #[cfg(feature = "hydrate")]
    {
        let promise = leptos::prelude::window()
            .navigator()
            .clipboard()
            .write_text(text);
        drop(promise);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}

fn select(event: &leptos::ev::FocusEvent) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        if let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<leptos::web_sys::HtmlInputElement>().ok())
        {
            input.select();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = event;
}

//! A meeting's full link, selectable, with a button that copies it.

use leptos::prelude::*;

/// The link to the meeting at `slug`.
#[component]
pub fn MeetingLink(slug: String) -> impl IntoView {
    let link = format!("{}/{slug}", origin());
    // `None` until a copy is tried; then whether it worked.
    let copied = RwSignal::new(None::<bool>);
    let copy = {
        let link = link.clone();
        move |_| copy_to_clipboard(link.clone(), copied)
    };
    view! {
        <div class="meeting-link">
            <input type="text" readonly value=link.clone() aria-label="Meeting link" on:focus=|event| select(&event) />
            <button type="button" class="button button-secondary" on:click=copy>
                {move || if copied.get() == Some(true) { "Copied" } else { "Copy link" }}
            </button>
        </div>
        <p class="field-feedback" aria-live="polite">
            {move || match copied.get() {
                Some(true) => "The link is in your clipboard.",
                Some(false) => "Your browser did not allow copying: select the link and copy it.",
                None => "",
            }}
        </p>
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

/// Copies `text`, then says in `outcome` whether the browser allowed it.
fn copy_to_clipboard(text: String, outcome: RwSignal<Option<bool>>) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::web_sys::js_sys::Reflect;
        let navigator = leptos::prelude::window().navigator();
        // Outside a secure context (a plain-http address other than localhost) browsers have no
        // `navigator.clipboard`: calling it would throw, and the person would not be told.
        let has_clipboard = Reflect::get(&navigator, &"clipboard".into())
            .is_ok_and(|clipboard| !clipboard.is_undefined());
        if !has_clipboard {
            outcome.set(Some(false));
            return;
        }
        let promise = navigator.clipboard().write_text(&text);
        leptos::task::spawn_local(async move {
            let copied = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            outcome.set(Some(copied));
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (text, outcome);
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

//! The page for any address that leads nowhere; answered with status 404.

use leptos::prelude::*;
use leptos_meta::Title;

/// Shown for unknown paths and for malformed meeting codes.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <section class="message-page" aria-labelledby="not-found-title">
            <h1 id="not-found-title">"Page not found"</h1>
            <p>
                "There is nothing at this address. If you followed a meeting link, check the code: it looks like abc-defg-hij."
            </p>
            <a class="button button-primary" href="/">"Back to the home page"</a>
        </section>
    }
}

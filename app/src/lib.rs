//! Meet's user interface: the pages and components, rendered on the server (`ssr`) and hydrated
//! in the browser (`hydrate`). Server-only code is reached only under the `ssr` feature.
// Without `erase_components` (a build whose RUSTFLAGS replace .cargo/config.toml's), the views'
// types nest deeper than the compiler's default limit of 128 (the call's tile grid,
// `meeting/conference.rs`).
#![recursion_limit = "256"]

pub mod api;
pub mod bundle;
pub mod components;
pub mod error;
pub mod links;
pub mod meeting;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod shell;

use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::layout::header::Header;
use crate::pages::{
    feedback::FeedbackPage, home::HomePage, login_error::LoginErrorPage, not_found::NotFound,
    recording::RecordingPage, room::RoomPage,
};

/// The product's name, as shown to people.
pub const PRODUCT_NAME: &str = "Meet";

/// The whole application: header and the page for the current path.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    components::requester::provide_requester();
    view! {
        <Title formatter=|title: String| {
            if title.is_empty() { PRODUCT_NAME.to_owned() } else { format!("{title} · {PRODUCT_NAME}") }
        } />
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    // In-order streaming: every part of a page, data included, arrives in
                    // place in the HTML, so pages are whole without JavaScript.
                    // The server picks each page's bundle (`bundle`): `Bundle::for_path`
                    // follows these.
                    <Route path=path!("/") view=HomePage ssr=SsrMode::InOrder />
                    <Route path=path!("/login/error") view=LoginErrorPage ssr=SsrMode::InOrder />
                    <Route path=path!("/feedback") view=FeedbackPage ssr=SsrMode::InOrder />
                    <Route path=path!("/recording/:id") view=RecordingPage ssr=SsrMode::InOrder />
                    <Route path=path!("/:slug") view=RoomPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}

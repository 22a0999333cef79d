//! The viewer (logged-in user or visitor), known before the page renders and shared by the
//! components that need it (header, home page, meeting page).
//!
//! The server resolves the viewer from the session before rendering (in the request's
//! extensions), so it is a plain value here rather than something loaded: the page renders it
//! synchronously, with no `<Suspense>` waiting on it, and hydration reads the same value back
//! from the page (a [`SharedValue`]).

use leptos::prelude::*;
use meet_types::Viewer;

/// Puts the viewer in context. Called once, by `App`.
pub fn provide_viewer() {
    provide_context(SharedValue::new(request_viewer).into_inner());
}

/// The viewer put in context by [`provide_viewer`].
pub fn use_viewer() -> Viewer {
    use_context::<Viewer>().unwrap_or_else(request_viewer)
}

/// On the server, the viewer of the request being rendered. In the browser, only reached when
/// nothing was rendered on the server (never, in Meet): a visitor.
fn request_viewer() -> Viewer {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Viewer>().cloned())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Viewer::default()
    }
}

//! Who is asking (a logged-in user or a visitor), as the pages show them: known before the page
//! renders and shared by the components that need it (header, home page, meeting page).
//!
//! The server resolves the requester before rendering (a [`RequesterView`] in the request's
//! extensions), so it is a plain value here rather than something loaded: the page renders it
//! synchronously, with no `<Suspense>` waiting on it, and hydration reads the same value back
//! from the page (a [`SharedValue`]).

use leptos::prelude::*;
use meet_types::RequesterView;

/// Puts the requester in context. Called once, by `App`.
pub fn provide_requester() {
    provide_context(SharedValue::new(resolved_by_the_server).into_inner());
}

/// The requester put in context by [`provide_requester`].
pub fn use_requester() -> RequesterView {
    use_context::<RequesterView>().unwrap_or_else(resolved_by_the_server)
}

/// On the server, the requester of the request being rendered. In the browser, only reached when
/// nothing was rendered on the server (never, in Meet): a visitor.
fn resolved_by_the_server() -> RequesterView {
    #[cfg(feature = "ssr")]
    {
        with_context::<http::request::Parts, _>(|parts| {
            parts.extensions.get::<RequesterView>().cloned()
        })
        .flatten()
        .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        RequesterView::default()
    }
}

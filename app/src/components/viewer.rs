//! The viewer (logged-in user or visitor), loaded once per page and shared by the components
//! that need it (header, home page).

use leptos::prelude::*;
use meet_types::Viewer;

use crate::api::viewer::get_viewer;
use crate::error::AppError;

/// The viewer, resolved with the page (so it is in the server-rendered HTML).
#[derive(Clone, Copy)]
pub struct ViewerResource(pub Resource<Result<Viewer, AppError>>);

/// Loads the viewer and puts it in context. Called once, by `App`.
pub fn provide_viewer() {
    provide_context(ViewerResource(Resource::new_blocking(
        || (),
        |_| get_viewer(),
    )));
}

/// The viewer resource put in context by [`provide_viewer`].
pub fn use_viewer() -> ViewerResource {
    use_context::<ViewerResource>().unwrap_or_else(|| {
        // Outside `App` (a component rendered alone): load it here.
        ViewerResource(Resource::new_blocking(|| (), |_| get_viewer()))
    })
}

//! Who is looking at the page.

use leptos::prelude::*;
use meet_types::Viewer;

use crate::error::AppError;

/// The logged-in user (if any) and whether login is available. The server resolves the viewer
/// once per request from the session; this only reads it.
#[server(endpoint = "viewer")]
pub async fn get_viewer() -> Result<Viewer, AppError> {
    let parts = use_context::<http::request::Parts>();
    Ok(parts
        .and_then(|parts| parts.extensions.get::<Viewer>().cloned())
        .unwrap_or_default())
}

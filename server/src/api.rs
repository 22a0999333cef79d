//! The REST API under `/api/v1.0/`, shaped like La Suite Meet's so its clients keep working.

pub mod error;
pub mod users;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// Routes of the REST API.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1.0/users/me/", get(users::me))
}

//! The REST API under `/api/v1.0/`, shaped like La Suite Meet's so its clients keep working, and
//! its OpenAPI document at `/api/v1.0/openapi.json`, generated from the same handlers (a route
//! cannot exist without its documentation).

pub mod accesses;
pub mod analytics;
pub mod bearer;
pub mod body;
pub mod config;
pub mod error;
pub mod extract;
pub mod pagination;
pub mod recordings;
pub mod rooms;
pub mod users;

use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// The document's fixed parts.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Meet API",
        version = "1.0",
        description = "Rooms, accesses and users of Meet, compatible with La Suite Meet's API. \
                       Authentication is the session cookie set by the OpenID Connect login \
                       (`/api/v1.0/authenticate/`); requests that change something must come \
                       from Meet's own origin. Participants act on themselves in a meeting \
                       (toggle-hand, rename) with the LiveKit token they joined with, as a \
                       `Bearer` token, and may mute others (mute-participant) unless the \
                       room forbids it; hosts moderate with their session."
    ),
    modifiers(&LiveKitTokenScheme),
    tags(
        (name = "config", description = "The deployment's public settings"),
        (name = "analytics", description = "Product events from participants' browsers"),
        (name = "rooms", description = "Rooms and LiveKit credentials"),
        (name = "resource-accesses", description = "Roles in rooms"),
        (name = "recordings", description = "Recordings of meetings, for their owners"),
        (name = "users", description = "The logged-in user"),
    )
)]
struct ApiDoc;

/// The `livekit_token` security scheme: the LiveKit access token a participant joined with.
struct LiveKitTokenScheme;

impl utoipa::Modify for LiveKitTokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("JWT")
            .description(Some(
                "The LiveKit access token of the room (`livekit.token` of the room's answer), \
                 signed by Meet; the participant acted on is the token's identity.",
            ))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("livekit_token", SecurityScheme::Http(scheme));
    }
}

/// A path under the API that names nothing: as Django's `APPEND_SLASH` (La Suite Meet's front end
/// calls `/api/v1.0/users/me`), a GET or HEAD without the trailing slash is sent to the slashed
/// path (301, query kept); anything else is the API's JSON 404.
async fn append_slash(method: http::Method, uri: http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    let path = uri.path();
    if matches!(method, http::Method::GET | http::Method::HEAD) && !path.ends_with('/') {
        let location = match uri.query() {
            Some(query) => format!("{path}/?{query}"),
            None => format!("{path}/"),
        };
        if let Ok(location) = http::HeaderValue::from_str(&location) {
            return (
                http::StatusCode::MOVED_PERMANENTLY,
                [(http::header::LOCATION, location)],
            )
                .into_response();
        }
    }
    error::ApiError::NotFound.into_response()
}

/// 405, as Django REST framework words it.
async fn method_not_allowed(method: http::Method) -> error::ApiError {
    error::ApiError::MethodNotAllowed(method.to_string())
}

/// The API's routes, and the OpenAPI document describing exactly them.
pub fn router() -> Router<AppState> {
    let (router, document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(config::get))
        .routes(routes!(analytics::record_events))
        .routes(routes!(rooms::list, rooms::create))
        .routes(routes!(
            rooms::retrieve,
            rooms::replace,
            rooms::patch,
            rooms::destroy
        ))
        .routes(routes!(rooms::toggle_hand))
        .routes(routes!(rooms::rename))
        .routes(routes!(rooms::request_entry))
        .routes(routes!(rooms::waiting_participants))
        .routes(routes!(rooms::enter))
        .routes(routes!(rooms::mute_participant))
        .routes(routes!(rooms::remove_participant))
        .routes(routes!(rooms::update_participant))
        .routes(routes!(rooms::update_participant_role))
        .routes(routes!(rooms::start_recording))
        .routes(routes!(rooms::stop_recording))
        .routes(routes!(rooms::webhook::livekit_webhook))
        .routes(routes!(recordings::external_process_hook))
        .routes(routes!(recordings::list))
        .routes(routes!(recordings::retrieve, recordings::destroy))
        .routes(routes!(accesses::list, accesses::create))
        .routes(routes!(
            accesses::retrieve,
            accesses::replace,
            accesses::patch,
            accesses::destroy
        ))
        .routes(routes!(users::me))
        .routes(routes!(users::replace, users::patch))
        .split_for_parts();
    let document = std::sync::Arc::new(document);
    router
        .method_not_allowed_fallback(method_not_allowed)
        // Any other path under the API: the slashed path (GET, HEAD), else the API's 404.
        .route("/api/v1.0/{*rest}", axum::routing::any(append_slash))
        .route(
            "/api/v1.0/openapi.json",
            get(move || {
                let document = document.clone();
                async move { Json(document.as_ref().clone()) }
            }),
        )
}

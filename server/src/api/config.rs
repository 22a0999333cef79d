//! `/api/v1.0/config/`: what front ends need to know about this deployment, with La Suite Meet's
//! keys (the subset Meet supports; features Meet does not offer are reported as disabled).

use axum::Json;
use axum::extract::State;
use meet_types::{AccessLevel, TrackSource};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// The deployment's public settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConfigResponse {
    #[serde(rename = "LANGUAGE_CODE")]
    pub language_code: &'static str,
    pub recording: Recording,
    pub telephony: Enabled,
    pub subtitle: Enabled,
    pub resource: Resource,
    pub livekit: LiveKit,
    pub authenticated_users_can_edit_display_name: bool,
    /// Whether the front end may try a silent login (`prompt=none`): login is configured.
    pub is_silent_login_enabled: bool,
    /// Whether rooms that exist only by their address may be joined.
    pub allow_unregistered_rooms: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Recording {
    pub is_enabled: bool,
    pub available_modes: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Enabled {
    pub enabled: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Resource {
    pub default_access_level: AccessLevel,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LiveKit {
    /// The LiveKit server browsers connect to.
    pub url: String,
    pub force_wss_protocol: bool,
    pub enable_firefox_proxy_workaround: bool,
    pub default_sources: Vec<TrackSource>,
}

/// The deployment's public settings.
#[utoipa::path(
    get,
    path = "/api/v1.0/config/",
    tag = "config",
    responses((status = 200, description = "The settings", body = ConfigResponse))
)]
pub async fn get(State(state): State<AppState>) -> Json<ConfigResponse> {
    let rooms = &state.services.settings;
    Json(ConfigResponse {
        language_code: "en-us",
        recording: Recording {
            is_enabled: false,
            available_modes: Vec::new(),
        },
        telephony: Enabled { enabled: false },
        subtitle: Enabled { enabled: false },
        resource: Resource {
            default_access_level: rooms.default_access_level,
        },
        livekit: LiveKit {
            url: rooms.token.url.clone(),
            force_wss_protocol: false,
            enable_firefox_proxy_workaround: false,
            default_sources: rooms.token.default_sources.clone(),
        },
        authenticated_users_can_edit_display_name: rooms.authenticated_can_edit_display_name,
        is_silent_login_enabled: state.login.provider.is_some(),
        allow_unregistered_rooms: rooms.allow_unregistered_rooms,
    })
}

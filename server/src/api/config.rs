//! `/api/v1.0/config/`: what front ends need to know about this deployment, with every key of La
//! Suite Meet's answer (its front end reads them without checking they exist): the features Meet
//! does not offer yet are there with the value that turns them off.

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
    pub background_image: BackgroundImage,
    pub telephony: Enabled,
    pub resource: Resource,
    pub subtitle: Enabled,
    pub diagnostics: Diagnostics,
    pub livekit: LiveKit,
    pub authenticated_users_can_edit_display_name: bool,
    /// A stylesheet the front end adds to its pages; none.
    pub custom_css_url: Option<String>,
    /// Product analytics in the browser, as La Suite Meet's front end reads it: the PostHog
    /// project key (`id`) and server (`host`) when events go to PostHog, else nothing.
    pub analytics: AnalyticsBlock,
    /// The support widget; off.
    pub support: Empty,
    /// Whether the front end hides LiveKit's debug logs.
    pub silence_livekit_debug_logs: bool,
    /// Whether the front end may try a silent login (`prompt=none`): login is configured.
    pub is_silent_login_enabled: bool,
    /// After how long alone in a meeting a warning precedes disconnection, in milliseconds;
    /// `null`: never.
    pub idle_disconnect_warning_delay: Option<u64>,
    /// The feedback form; off.
    pub feedback: Empty,
    pub documentation_url: Option<String>,
    pub external_home_url: Option<String>,
    pub use_french_gov_footer: bool,
    pub use_proconnect_button: bool,
    pub manifest_link: Option<String>,
    pub transcription_destination: Option<String>,
    /// Up to this many participants, joins and leaves make a sound.
    pub max_participants_for_sound: u32,
    /// From this many participants, people join with their microphone muted.
    pub auto_mute_on_join_threshold: u32,
    /// Whether rooms that exist only by their address may be joined (Meet's own key).
    pub allow_unregistered_rooms: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Recording {
    pub is_enabled: bool,
    pub available_modes: Vec<String>,
    /// Days a recording is kept; `null` when recording is off.
    pub expiration_days: Option<u32>,
    /// Longest recording, in milliseconds; `null` when recording is off.
    pub max_duration: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BackgroundImage {
    pub upload_is_enabled: bool,
    pub max_count_by_user: u32,
    /// In bytes.
    pub max_size: u64,
    pub allowed_extensions: Vec<&'static str>,
    pub allowed_mimetypes: Vec<&'static str>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Enabled {
    pub enabled: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Diagnostics {
    pub connection_test_enabled: bool,
}

/// Where the front end sends product events: nothing, or a PostHog project.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnalyticsBlock {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

/// An integration that is off: no settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct Empty {}

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
    let settings = &state.services.settings;
    Json(ConfigResponse {
        language_code: "en-us",
        recording: match state.services.recordings.as_deref() {
            Some(recordings) => Recording {
                is_enabled: true,
                available_modes: recordings
                    .registry
                    .modes()
                    .into_iter()
                    .map(|mode| mode.as_str().to_owned())
                    .collect(),
                expiration_days: recordings.expiration_days,
                max_duration: recordings
                    .max_duration
                    .map(|duration| u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)),
            },
            None => Recording {
                is_enabled: false,
                available_modes: Vec::new(),
                expiration_days: None,
                max_duration: None,
            },
        },
        background_image: BackgroundImage {
            upload_is_enabled: false,
            max_count_by_user: 10,
            max_size: 2 * 1024 * 1024,
            allowed_extensions: vec![".jpg", ".jpeg", ".png"],
            allowed_mimetypes: vec!["image/jpeg", "image/png"],
        },
        telephony: Enabled { enabled: false },
        resource: Resource {
            default_access_level: settings.default_access_level,
        },
        subtitle: Enabled { enabled: false },
        diagnostics: Diagnostics {
            connection_test_enabled: false,
        },
        livekit: LiveKit {
            url: settings.token.url.clone(),
            force_wss_protocol: false,
            enable_firefox_proxy_workaround: false,
            default_sources: settings.token.default_sources.clone(),
        },
        authenticated_users_can_edit_display_name: settings.authenticated_can_edit_display_name,
        custom_css_url: None,
        analytics: {
            let posthog = state.config.analytics.posthog();
            let posthog = posthog.filter(|_| state.config.analytics.analytics_backend.posthog);
            AnalyticsBlock {
                id: posthog.map(|(_, key)| key.to_owned()),
                host: posthog.map(|(host, _)| host.as_str().trim_end_matches('/').to_owned()),
            }
        },
        support: Empty {},
        silence_livekit_debug_logs: false,
        is_silent_login_enabled: state.login.provider.is_some(),
        idle_disconnect_warning_delay: None,
        feedback: Empty {},
        documentation_url: None,
        external_home_url: None,
        use_french_gov_footer: false,
        use_proconnect_button: false,
        manifest_link: None,
        transcription_destination: None,
        max_participants_for_sound: 5,
        auto_mute_on_join_threshold: 50,
        allow_unregistered_rooms: settings.allow_unregistered_rooms,
    })
}

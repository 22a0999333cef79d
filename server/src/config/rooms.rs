//! Room and LiveKit settings: who enters which room how, and what their tokens carry. Variable
//! names follow La Suite Meet's.

use clap::Args;
use clap::builder::BoolishValueParser;
use meet_domain::limits::RateLimit;
use meet_types::{AccessLevel, TrackSource};

/// The rooms' variables.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Rooms and LiveKit tokens")]
pub struct RoomsConfig {
    /// LiveKit server URL for Meet's own API calls, when it differs from `LIVEKIT_URL` (for
    /// example an internal address). `ws(s)://` and `http(s)://` both work.
    #[arg(long, env = "LIVEKIT_API_URL", value_name = "LIVEKIT_API_URL", value_parser = super::parse_livekit_url)]
    pub livekit_api_url: Option<String>,

    /// How long a LiveKit access token is valid, in seconds (6 hours, as LiveKit's SDKs).
    #[arg(
        long,
        env = "LIVEKIT_TOKEN_TTL",
        value_name = "LIVEKIT_TOKEN_TTL",
        default_value_t = 21_600,
        value_parser = clap::value_parser!(u32).range(60..)
    )]
    pub livekit_token_ttl: u32,

    /// What participants may publish when a room does not say, comma-separated among
    /// `camera`, `microphone`, `screen_share`, `screen_share_audio`.
    #[arg(
        long,
        env = "LIVEKIT_DEFAULT_SOURCES",
        value_name = "LIVEKIT_DEFAULT_SOURCES",
        value_delimiter = ',',
        value_parser = parse_source,
        default_value = "camera,microphone,screen_share,screen_share_audio"
    )]
    pub livekit_default_sources: Vec<TrackSource>,

    /// Let people meet in rooms that exist only by their address, with no owner (`true` or
    /// `false`).
    #[arg(
        long,
        env = "ALLOW_UNREGISTERED_ROOMS",
        value_name = "ALLOW_UNREGISTERED_ROOMS",
        value_parser = BoolishValueParser::new(),
        default_value = "true",
        action = clap::ArgAction::Set
    )]
    pub allow_unregistered_rooms: bool,

    /// Access level of new rooms when neither the request nor the user's defaults say:
    /// `public`, `trusted` or `restricted`.
    #[arg(
        long,
        env = "RESOURCE_DEFAULT_ACCESS_LEVEL",
        value_name = "RESOURCE_DEFAULT_ACCESS_LEVEL",
        value_parser = parse_access_level,
        default_value = "public"
    )]
    pub default_access_level: AccessLevel,

    /// Let logged-in people pick the name others see in a meeting (`true` or `false`);
    /// otherwise they appear under their account's name.
    #[arg(
        long,
        env = "AUTHENTICATED_PARTICIPANTS_CAN_EDIT_DISPLAY_NAME",
        value_name = "AUTHENTICATED_PARTICIPANTS_CAN_EDIT_DISPLAY_NAME",
        value_parser = BoolishValueParser::new(),
        default_value = "true",
        action = clap::ArgAction::Set
    )]
    pub authenticated_can_edit_display_name: bool,

    /// The most rooms one person may own; creating more is refused until they delete some.
    /// Bounds the work any list of a person's rooms costs.
    #[arg(
        long,
        env = "MAX_ROOMS_PER_USER",
        value_name = "MAX_ROOMS_PER_USER",
        default_value_t = 1_000,
        value_parser = clap::value_parser!(u32).range(1..=100_000)
    )]
    pub max_rooms_per_user: u32,

    /// How often one user (or one guest, by their lobby cookie) may ask to enter a room through
    /// its lobby, as Django REST framework writes rates: `<count>/<second|minute|hour|day>`.
    /// Beyond it, 429 with `Retry-After`.
    #[arg(
        long,
        env = "REQUEST_ENTRY_THROTTLE_RATES",
        value_name = "RATE",
        default_value = "150/minute",
        value_parser = RateLimit::parse
    )]
    pub request_entry_throttle_rates: RateLimit,
}

fn parse_source(value: &str) -> Result<TrackSource, String> {
    TrackSource::parse(value.trim()).ok_or_else(|| {
        format!("{value:?} is not one of camera, microphone, screen_share, screen_share_audio")
    })
}

fn parse_access_level(value: &str) -> Result<AccessLevel, String> {
    AccessLevel::parse(value)
        .ok_or_else(|| format!("{value:?} is not one of public, trusted, restricted"))
}

impl RoomsConfig {
    /// The defaults.
    pub fn defaults() -> Self {
        Self {
            livekit_api_url: None,
            livekit_token_ttl: 21_600,
            livekit_default_sources: TrackSource::ALL.to_vec(),
            allow_unregistered_rooms: true,
            default_access_level: AccessLevel::Public,
            authenticated_can_edit_display_name: true,
            max_rooms_per_user: 1_000,
            request_entry_throttle_rates: meet_domain::limits::REQUEST_ENTRY,
        }
    }
}

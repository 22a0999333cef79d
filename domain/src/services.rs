//! Everything the domain needs from the outside, built once at startup and shared: the store,
//! the LiveKit server, and the deployment's room settings.

use std::sync::Arc;
use std::time::Duration;

use meet_types::AccessLevel;

use crate::guest::GuestIds;
use crate::limits::{ROOM_CREATION, RateLimiter};
use crate::livekit::rooms::LiveKitRooms;
use crate::livekit::token::TokenSettings;
use crate::rooms::cache::RoomCache;
use crate::store::Store;

/// The deployment's choices about rooms.
#[derive(Debug, Clone)]
pub struct RoomSettings {
    /// Rooms that exist only by their address may be joined (`ALLOW_UNREGISTERED_ROOMS`).
    pub allow_unregistered_rooms: bool,
    /// Access level of new rooms when neither the request nor the user says
    /// (`RESOURCE_DEFAULT_ACCESS_LEVEL`).
    pub default_access_level: AccessLevel,
    /// Logged-in people may pick the name others see
    /// (`AUTHENTICATED_PARTICIPANTS_CAN_EDIT_DISPLAY_NAME`).
    pub authenticated_can_edit_display_name: bool,
    /// The most rooms one user may own (`MAX_ROOMS_PER_USER`): bounds the work any list of a
    /// user's rooms costs.
    pub max_rooms_per_user: u32,
    /// How long to wait for LiveKit when keeping a room's metadata in step.
    pub livekit_timeout: Duration,
    pub token: TokenSettings,
}

/// The domain's collaborators. Cheap to clone.
#[derive(Clone)]
pub struct Services {
    pub store: Store,
    pub livekit: Arc<dyn LiveKitRooms>,
    /// The deployment's choices about rooms.
    pub settings: Arc<RoomSettings>,
    /// Rooms recently loaded by address (see [`RoomCache`]).
    pub room_cache: Arc<RoomCache>,
    /// Issues and recognises guests' identities.
    pub guests: Arc<GuestIds>,
    /// How fast each user may create rooms.
    pub room_creations: Arc<RateLimiter<uuid::Uuid>>,
}

impl Services {
    /// The services over `store`, talking to `livekit`, with `rooms` settings.
    pub fn new(store: Store, livekit: Arc<dyn LiveKitRooms>, rooms: RoomSettings) -> Self {
        let guests = Arc::new(GuestIds::new(rooms.token.api_secret.as_bytes()));
        Self {
            store,
            livekit,
            settings: Arc::new(rooms),
            room_cache: Arc::default(),
            guests,
            room_creations: Arc::new(RateLimiter::new(ROOM_CREATION)),
        }
    }
}

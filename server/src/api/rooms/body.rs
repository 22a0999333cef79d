//! What room creations and updates send: the documented bodies, and their reading (every wrong
//! field named).

use meet_domain::FieldErrors;
use meet_types::{AccessLevel, RoomConfiguration};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::api::body::JsonObject;
use crate::api::error::ApiError;

/// `?username=`: the name to show in the meeting.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsernameQuery {
    /// The name others will see: at most 255 characters, no control characters; blank means
    /// none.
    #[param(max_length = 255, pattern = r"^[^\x00-\x1f\x7f-\x9f]*$")]
    pub username: Option<String>,
}

/// Body of a room creation, and of a full update (PUT).
#[derive(Debug, ToSchema)]
pub struct RoomBody {
    /// The room's name: at most 500 characters, no control characters, not blank. Its address
    /// (slug) is made from it; a name that cannot be an address people choose (nothing is left of
    /// it, a UUID, or shaped like a meeting code such as `abc-defg-hij`) gets a meeting code Meet
    /// draws, and a code-shaped name becomes that code.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
    /// Absent or `null`: the user's default, then the deployment's.
    pub access_level: Option<AccessLevel>,
    /// Absent, `null` or empty: the user's default.
    pub configuration: Option<RoomConfiguration>,
}

/// Body of a partial update (PATCH): absent or `null` fields stay as they are.
#[derive(Debug, ToSchema)]
pub struct RoomPatchBody {
    /// As in [`RoomBody`].
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: Option<String>,
    pub access_level: Option<AccessLevel>,
    pub configuration: Option<RoomConfiguration>,
}

/// The fields of a room body, read.
pub struct RoomFields {
    pub name: Option<String>,
    pub access_level: Option<AccessLevel>,
    pub configuration: Option<RoomConfiguration>,
}

impl RoomFields {
    /// Reads a room body, naming every wrong field.
    pub fn read(body: &JsonObject) -> Result<Self, ApiError> {
        let mut errors = FieldErrors::default();
        let fields = Self {
            name: body.string("name", &mut errors),
            access_level: body.choice("access_level", AccessLevel::parse, &mut errors),
            configuration: body.object::<RoomConfiguration>("configuration", &mut errors),
        };
        errors.into_result()?;
        Ok(fields)
    }
}

//! `POST /api/v1.0/rooms/{id}/update-participant/`: a room's administrator or owner changes
//! someone's name, metadata, attributes or permission in the meeting.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Extension, State};
use meet_domain::moderation::{self, UpdateRequest};
use meet_domain::{FieldErrors, Requester};
use meet_types::TrackSource;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::body::JsonObject;
use crate::api::error::{ApiError, ModerationErrors};
use crate::api::extract::ApiPath;
use crate::api::rooms::response::StatusResponse;
use crate::state::AppState;

/// Body of a participant update: at least one of `metadata`, `attributes`, `permission` and
/// `name` (not blank).
#[derive(Debug, ToSchema)]
pub struct UpdateParticipantBody {
    /// The LiveKit identity of the participant (a user's `sub`, a guest's id).
    #[schema(
        min_length = 1,
        max_length = 255,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub participant_identity: String,
    /// Their new metadata, a JSON object (at most 64,000 bytes written as JSON).
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<serde_json::Value>,
    /// Merged into their attributes: each key given is set, and removed when its value is empty
    /// (at most 64,000 bytes in all).
    pub attributes: Option<HashMap<String, String>>,
    /// Their new permission, replacing the old one whole (fields not given are `false`).
    /// `hidden`, `recorder` and `agent` are refused.
    pub permission: Option<PermissionBody>,
    /// The name others see (at most 255 characters); blank changes nothing.
    #[schema(max_length = 255)]
    pub name: Option<String>,
}

/// What a participant may do, as LiveKit's `ParticipantPermission` names it. (Deserialize is
/// derived for the document only: it refuses unknown fields, as the endpoint does.)
#[derive(Debug, ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionBody {
    pub can_subscribe: Option<bool>,
    pub can_publish: Option<bool>,
    pub can_publish_data: Option<bool>,
    /// What they may publish when `can_publish`; empty means everything. LiveKit's names
    /// (`CAMERA`) and numbers (1 to 4) are accepted too.
    pub can_publish_sources: Option<Vec<TrackSource>>,
    pub can_update_metadata: Option<bool>,
    pub can_subscribe_metrics: Option<bool>,
}

/// Change a participant's name, metadata, attributes or permission (administrators and
/// owners).
#[utoipa::path(
    post,
    path = "/api/v1.0/rooms/{id}/update-participant/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug")),
    request_body = UpdateParticipantBody,
    responses(
        (status = 200, description = "Updated", body = StatusResponse),
        ModerationErrors,
    )
)]
pub async fn update_participant(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(key): ApiPath<String>,
    body: Result<JsonObject, ApiError>,
) -> Result<Json<StatusResponse>, ApiError> {
    // Who is asking first: a caller who may not moderate learns nothing of the body.
    let moderator = moderation::moderator(&state.services, &requester, &key).await?;
    let body = body?;
    let mut errors = FieldErrors::default();
    let identity = body.required_into("participant_identity", JsonObject::string, &mut errors);
    let name = body.string("name", &mut errors);
    let Some(identity) = identity else {
        return Err(errors.into());
    };
    errors.into_result()?;
    let request = UpdateRequest {
        participant_identity: &identity,
        metadata: body.value("metadata"),
        attributes: body.value("attributes"),
        permission: body.value("permission"),
        name: name.as_deref(),
    };
    moderation::update(&state.services, &moderator, request).await?;
    Ok(Json(StatusResponse::success()))
}

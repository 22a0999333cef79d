//! `POST /api/v1.0/rooms/{id}/update-participant-role/`: a room's administrator or owner,
//! connected to the meeting, makes a logged-in participant co-host (`administrator`) or not
//! (`member`).

use axum::Json;
use axum::extract::{Extension, State};
use meet_domain::{FieldErrors, Requester, moderation};
use meet_types::Role;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::body::JsonObject;
use crate::api::error::{ApiError, ModerationErrors};
use crate::api::extract::ApiPath;
use crate::state::AppState;

/// A role a participant may be given here.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum AssignableRole {
    Member,
    Administrator,
}

/// Body of a role change.
#[derive(Debug, ToSchema)]
pub struct UpdateParticipantRoleBody {
    /// The LiveKit identity of the participant: a logged-in user's `sub`.
    #[schema(
        min_length = 1,
        max_length = 255,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub participant_identity: String,
    /// Their new role.
    pub role: AssignableRole,
}

/// The role given.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantRoleResponse {
    /// The role the participant now holds.
    pub role: Role,
    /// Whether their `room_role` attribute was set in the meeting: `false` when they left it
    /// meanwhile (their next token carries the role).
    pub livekit_synced: bool,
}

/// Make a participant co-host or not (administrators and owners connected to the meeting);
/// never oneself, never an owner. Saved as their access to the room, and pushed to the meeting
/// as their `room_role` attribute; when LiveKit fails, nothing changes.
#[utoipa::path(
    post,
    path = "/api/v1.0/rooms/{id}/update-participant-role/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug")),
    request_body = UpdateParticipantRoleBody,
    responses(
        (status = 200, description = "The role given", body = ParticipantRoleResponse),
        ModerationErrors,
    )
)]
pub async fn update_participant_role(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(key): ApiPath<String>,
    body: Result<JsonObject, ApiError>,
) -> Result<Json<ParticipantRoleResponse>, ApiError> {
    // Who is asking first: a caller who may not moderate learns nothing of the body.
    let moderator = moderation::moderator(&state.services, &requester, &key).await?;
    let body = body?;
    let mut errors = FieldErrors::default();
    let identity = body.required_into("participant_identity", JsonObject::string, &mut errors);
    let role = body.required_into(
        "role",
        |body, field, errors| body.choice(field, assignable, errors),
        &mut errors,
    );
    let (Some(identity), Some(role)) = (identity, role) else {
        return Err(errors.into());
    };
    errors.into_result()?;
    let change = moderation::set_role(&state.services, &moderator, &identity, role).await?;
    Ok(Json(ParticipantRoleResponse {
        role: change.role,
        livekit_synced: change.livekit_synced,
    }))
}

/// `member` or `administrator`: ownership is not given here.
fn assignable(name: &str) -> Option<Role> {
    Role::parse(name).filter(|role| *role != Role::Owner)
}

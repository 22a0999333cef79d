//! `POST /api/v1.0/rooms/{id}/mute-participant/`: mute someone's track. For the room's
//! administrators and owners, logged in; and, with the LiveKit token they joined with, for any
//! participant connected to the meeting unless the room says `everyone_can_mute: false`.

use axum::Json;
use axum::extract::{Extension, State};
use meet_domain::{FieldErrors, Requester, moderation};
use utoipa::ToSchema;

use crate::api::bearer::LiveKitBearer;
use crate::api::body::JsonObject;
use crate::api::error::{ApiError, ModerationErrors};
use crate::api::extract::ApiPath;
use crate::api::rooms::response::StatusResponse;
use crate::state::AppState;

/// Body of a mute.
#[derive(Debug, ToSchema)]
pub struct MuteParticipantBody {
    /// The LiveKit identity of the participant to mute (a user's `sub`, a guest's id).
    #[schema(
        min_length = 1,
        max_length = 255,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub participant_identity: String,
    /// The LiveKit sid of the track to mute, such as `TR_AMTUypAQ2asnWX`.
    #[schema(min_length = 1, max_length = 255, pattern = r"^[A-Za-z0-9_-]+$")]
    pub track_sid: String,
}

/// Mute a participant's track (they may unmute it). Administrators and owners (session), or a
/// participant connected to the meeting (LiveKit token) unless `everyone_can_mute` is `false`.
#[utoipa::path(
    post,
    path = "/api/v1.0/rooms/{id}/mute-participant/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug")),
    request_body = MuteParticipantBody,
    security((), ("livekit_token" = [])),
    responses(
        (status = 200, description = "Muted", body = StatusResponse),
        ModerationErrors,
    )
)]
pub async fn mute_participant(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(key): ApiPath<String>,
    bearer: Result<Option<LiveKitBearer>, ApiError>,
    body: Result<JsonObject, ApiError>,
) -> Result<Json<StatusResponse>, ApiError> {
    // Who is asking first: a caller who may not mute learns nothing of the room or the body.
    let token = bearer?.map(|bearer| bearer.0);
    let right = moderation::may_mute(&state.services, &requester, token.as_deref(), &key).await?;
    let body = body?;
    let mut errors = FieldErrors::default();
    let identity = body.required_into("participant_identity", JsonObject::string, &mut errors);
    let track_sid = body.required_into("track_sid", JsonObject::string, &mut errors);
    let (Some(identity), Some(track_sid)) = (identity, track_sid) else {
        return Err(errors.into());
    };
    errors.into_result()?;
    moderation::mute(&state.services, &right, &identity, &track_sid).await?;
    Ok(Json(StatusResponse::success()))
}

//! `POST /api/v1.0/rooms/webhooks-livekit/`: LiveKit's webhooks. Each is verified as LiveKit signs
//! it (a JWT signed with the API secret, without `Bearer`, whose `sha256` claim is the body's
//! SHA-256 in base64); the body is then read leniently (camelCase or snake_case keys, enums by
//! name or number), so a newer LiveKit's new enum values do not make Meet drop a whole event.
//! Egress events move recordings through the mediator; other known events are accepted and
//! left alone; an unknown event type is 422. An egress Meet does not know (yet) is answered 500,
//! as La Suite Meet does, so that LiveKit tries again.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use http::StatusCode;
use meet_domain::livekit::webhook;
use meet_domain::recording::{self, Reported, WorkerReport, WorkerState, egress};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::state::AppState;

/// The events LiveKit sends.
const EVENTS: [&str; 14] = [
    "room_started",
    "room_finished",
    "participant_joined",
    "participant_left",
    "participant_connection_aborted",
    "track_published",
    "track_unpublished",
    "egress_started",
    "egress_updated",
    "egress_ended",
    "ingress_started",
    "ingress_ended",
    "agent_job_started",
    "agent_job_ended",
];

/// `{"status": "success"}`, or `"error"` with what went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookAnswer {
    #[schema(example = "success")]
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<&'static str>,
}

/// A webhook event, as much of it as Meet reads.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Event {
    event: String,
    #[serde(default, alias = "egress_info")]
    egress_info: Option<EgressInfo>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct EgressInfo {
    #[serde(default, alias = "egress_id")]
    egress_id: String,
    /// A name (`EGRESS_ACTIVE`) or a number; absent is the default, `EGRESS_STARTING`.
    #[serde(default)]
    status: Value,
    /// Nanoseconds since the epoch, as a string (int64 in protojson) or a number.
    #[serde(default, alias = "started_at")]
    started_at: Value,
    #[serde(default, alias = "ended_at")]
    ended_at: Value,
}

type Answer = (StatusCode, Json<WebhookAnswer>);

fn answer(status: StatusCode, detail: Option<&'static str>) -> Answer {
    let word = if status.is_success() {
        "success"
    } else {
        "error"
    };
    (
        status,
        Json(WebhookAnswer {
            status: word,
            detail,
        }),
    )
}

/// Receive an event from LiveKit (LiveKit only: signed with the API secret).
#[utoipa::path(
    post,
    path = "/api/v1.0/rooms/webhooks-livekit/",
    tag = "rooms",
    request_body(content = Object, content_type = "application/webhook+json"),
    responses(
        (status = 200, description = "Handled", body = WebhookAnswer),
        (status = 400, description = "Not a webhook event", body = WebhookAnswer),
        (status = 401, description = "Not signed by LiveKit, or the body does not match its signature", body = WebhookAnswer),
        (status = 422, description = "An event type LiveKit does not send", body = WebhookAnswer),
        (status = 500, description = "An egress Meet does not know yet, or Meet failed: LiveKit should send it again", body = WebhookAnswer),
    )
)]
pub async fn livekit_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let config = &state.config;
    let authorization = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    if let Err(refused) = webhook::verify(
        authorization,
        &body,
        &config.livekit_api_key,
        config.livekit_api_secret.expose(),
    ) {
        tracing::warn!(reason = %refused, "LiveKit webhook refused");
        return answer(StatusCode::UNAUTHORIZED, Some(refused.message()));
    }
    let Ok(event) = serde_json::from_slice::<Event>(&body) else {
        return answer(
            StatusCode::BAD_REQUEST,
            Some("The body is not a webhook event."),
        );
    };
    if !EVENTS.contains(&event.event.as_str()) {
        return answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("Unknown event type."),
        );
    }
    let Some(egress) = event
        .egress_info
        .filter(|_| event.event.starts_with("egress_"))
    else {
        return answer(StatusCode::OK, None);
    };
    let Some(report) = report(&egress) else {
        return answer(
            StatusCode::BAD_REQUEST,
            Some("The egress event has no egress id or an unknown status."),
        );
    };
    // Recording off: nothing of Meet's can be recording.
    let Ok(mediator) = recording::mediator(&state.services) else {
        return answer(StatusCode::OK, None);
    };
    match mediator.report(&report).await {
        Ok(Reported::Applied(recording)) => {
            tracing::debug!(recording = %recording.id, status = recording.status.as_str(), event = event.event, "egress event applied");
            answer(StatusCode::OK, None)
        }
        Ok(Reported::Unknown) => {
            tracing::info!(
                worker_id = report.worker_id,
                event = event.event,
                "egress event for no known recording (yet)"
            );
            answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                Some("No recording has this egress (yet)."),
            )
        }
        Err(error) => {
            tracing::error!(%error, event = event.event, "cannot apply an egress event");
            answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                Some("The event could not be applied."),
            )
        }
    }
}

/// What the egress reported, in Meet's terms.
fn report(egress: &EgressInfo) -> Option<WorkerReport> {
    if egress.egress_id.is_empty() || egress.egress_id.len() > 255 {
        return None;
    }
    Some(WorkerReport {
        worker_id: egress.egress_id.clone(),
        state: egress_state(&egress.status)?,
        started_at: time(&egress.started_at),
        ended_at: time(&egress.ended_at),
    })
}

/// LiveKit's `EgressStatus`, by name or number; absent is the default, `EGRESS_STARTING`.
pub fn egress_state(status: &Value) -> Option<WorkerState> {
    match status {
        Value::Null => egress::known_state(0),
        Value::Number(number) => egress::known_state(i32::try_from(number.as_i64()?).ok()?),
        Value::String(name) => egress::state_named(name),
        _ => None,
    }
}

/// A protojson int64 of nanoseconds since the epoch (a string or a number); `None` when absent
/// or zero.
fn time(value: &Value) -> Option<DateTime<Utc>> {
    let nanos = match value {
        Value::String(text) => text.parse::<i64>().ok()?,
        Value::Number(number) => number.as_i64()?,
        _ => return None,
    };
    egress::time(nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_read_by_name_or_number_and_unknown_ones_refused() {
        assert_eq!(egress_state(&Value::Null), Some(WorkerState::Starting));
        assert_eq!(
            egress_state(&"EGRESS_LIMIT_REACHED".into()),
            Some(WorkerState::LimitReached)
        );
        assert_eq!(egress_state(&3.into()), Some(WorkerState::Complete));
        assert_eq!(egress_state(&"EGRESS_SOMETHING_NEW".into()), None);
        assert_eq!(egress_state(&42.into()), None);
        assert_eq!(
            time(&"1795839890000000000".into()).map(|t| t.timestamp()),
            Some(1_795_839_890)
        );
        assert_eq!(time(&"0".into()), None);
        assert_eq!(time(&"soon".into()), None);
    }
}

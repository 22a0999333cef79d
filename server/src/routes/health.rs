//! Probes for orchestrators: `/healthz` (the process answers) and `/readyz` (it can serve:
//! the database answers).

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use meet_domain::Services;

/// How long `/readyz` waits for the database.
const READINESS_TIMEOUT: Duration = Duration::from_secs(2);

/// `GET /healthz`: always `200 ok` while the process serves requests.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: `200 ready` when the database answers in time, `503` otherwise.
pub async fn readyz(State(services): State<Services>) -> impl IntoResponse {
    match tokio::time::timeout(READINESS_TIMEOUT, services.store.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
        Err(_) => {
            tracing::warn!("readiness: database did not answer in time");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

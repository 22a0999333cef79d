//! Probes for orchestrators: `/healthz` (the process answers) and `/readyz` (it can serve:
//! the database answers and takes writes).

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

/// `GET /readyz`: `200 ready` when the database answers and takes a write in time, `503`
/// otherwise.
pub async fn readyz(State(services): State<Services>) -> impl IntoResponse {
    let check = async {
        services
            .store
            .ping()
            .await
            .map_err(|error| (error, "database unreachable"))?;
        services
            .store
            .check_writable()
            .await
            .map_err(|error| (error, "database is read-only"))
    };
    match tokio::time::timeout(READINESS_TIMEOUT, check).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err((error, reason))) => {
            tracing::warn!(%error, "readiness: {reason}");
            (StatusCode::SERVICE_UNAVAILABLE, reason)
        }
        Err(_) => {
            tracing::warn!("readiness: database did not answer in time");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

//! Prometheus metrics at `/metrics` (for the bearer of `METRICS_TOKEN`; 404 without it):
//! requests by route, method and status, their latency, the database pool, open push
//! connections, failed LiveKit calls, recordings by status, analytics events written and
//! dropped, and meeting pages rendered or answered from memory. Recorded with the `metrics` crate into this app's own
//! `metrics-exporter-prometheus` recorder (not a process-wide one, so that several apps in one
//! process keep their own figures); the gauges are read at scrape time.
//!
//! Every response also carries a request id (`x-request-id`), which every log line of the
//! request shows: one Meet draws itself, whatever the client sent.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderName, HeaderValue, StatusCode, header};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusRecorder};

use crate::state::AppState;

/// The request id header, in requests (as Meet set it) and responses.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Latency buckets, in seconds: from a millisecond to ten seconds.
const BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Push connections (the lobby's event streams) open in this process.
pub static OPEN_PUSH_CONNECTIONS: AtomicI64 = AtomicI64::new(0);

/// Counts one open push connection for as long as it lives.
pub struct PushConnection(());

impl PushConnection {
    pub fn open() -> Self {
        OPEN_PUSH_CONNECTIONS.fetch_add(1, Ordering::Relaxed);
        Self(())
    }
}

impl Drop for PushConnection {
    fn drop(&mut self) {
        OPEN_PUSH_CONNECTIONS.fetch_sub(1, Ordering::Relaxed);
    }
}

/// This app's metrics.
pub struct Metrics {
    recorder: PrometheusRecorder,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let builder = PrometheusBuilder::new();
        let builder = builder
            .set_buckets(&BUCKETS)
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        metrics::with_local_recorder(&recorder, || {
            metrics::describe_counter!(
                "meet_http_requests_total",
                "HTTP requests answered, by route, method and status"
            );
            metrics::describe_histogram!(
                "meet_http_request_duration_seconds",
                metrics::Unit::Seconds,
                "Time to answer HTTP requests (until the headers), by route"
            );
        });
        Self { recorder }
    }

    /// Counts a request to `route` answered `status` after `seconds`.
    fn request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        metrics::with_local_recorder(&self.recorder, || {
            let route = route.to_owned();
            metrics::counter!(
                "meet_http_requests_total",
                "route" => route.clone(),
                "method" => method.to_owned(),
                "status" => status.to_string(),
            )
            .increment(1);
            metrics::histogram!("meet_http_request_duration_seconds", "route" => route)
                .record(seconds);
        });
    }

    /// Everything, in Prometheus' text format, with the gauges read now.
    async fn render(&self, state: &AppState) -> String {
        let services = &state.services;
        let (open, idle) = services.store.pool_connections();
        let recordings = meet_domain::recording::queries::count_by_status(&services.store).await;
        let livekit = &meet_domain::livekit::rooms::CALL_ERRORS;
        metrics::with_local_recorder(&self.recorder, || {
            metrics::gauge!("meet_db_pool_connections", "state" => "open").set(f64::from(open));
            metrics::gauge!("meet_db_pool_connections", "state" => "idle").set(idle as f64);
            metrics::gauge!("meet_push_connections_open")
                .set(OPEN_PUSH_CONNECTIONS.load(Ordering::Relaxed) as f64);
            metrics::counter!("meet_livekit_call_errors_total", "kind" => "unavailable")
                .absolute(livekit.unavailable.load(Ordering::Relaxed));
            metrics::counter!("meet_livekit_call_errors_total", "kind" => "refused")
                .absolute(livekit.refused.load(Ordering::Relaxed));
            match recordings {
                Ok(counts) => {
                    for status in meet_types::RecordingStatus::ALL {
                        let count = counts
                            .iter()
                            .find(|(name, _)| name == status.as_str())
                            .map_or(0, |(_, count)| *count);
                        metrics::gauge!("meet_recordings", "status" => status.as_str())
                            .set(count as f64);
                    }
                }
                Err(error) => tracing::warn!(%error, "cannot count recordings for /metrics"),
            }
            let (rendered, from_memory) = state.meeting_pages.counts();
            metrics::counter!("meet_meeting_pages_total", "answer" => "rendered")
                .absolute(rendered);
            metrics::counter!("meet_meeting_pages_total", "answer" => "from_memory")
                .absolute(from_memory);
            metrics::gauge!("meet_meeting_pages_remembered")
                .set(state.meeting_pages.remembered() as f64);
            for (sink, counts) in services.analytics.counts() {
                metrics::counter!("meet_analytics_events_written_total", "sink" => sink)
                    .absolute(counts.written);
                metrics::counter!("meet_analytics_events_dropped_total", "sink" => sink)
                    .absolute(counts.dropped);
            }
        });
        self.recorder.handle().render()
    }
}

/// `GET /metrics`, for the bearer of `METRICS_TOKEN`: anyone else (and everyone while it is
/// unset) is told there is no such page.
pub async fn scrape(State(state): State<AppState>, headers: http::HeaderMap) -> Response {
    let Some(token) = state.config.analytics.metrics_token.as_ref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !meet_domain::keys::same(given.as_bytes(), token.expose().as_bytes()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let body = state.metrics.render(&state).await;
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

/// Counts each request by its route (the pattern it matched, never the path itself, which
/// would make one series per room).
pub async fn count_requests(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let start = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    let seconds = start.elapsed().as_secs_f64();
    state
        .metrics
        .request(&route, &method, response.status().as_u16(), seconds);
    response
}

/// Gives each request an id Meet draws (replacing any the client sent), for the logs, and
/// returns it in the response.
pub async fn request_id(mut request: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let value = HeaderValue::from_str(&id).unwrap_or_else(|_| HeaderValue::from_static("none"));
    request.headers_mut().insert(REQUEST_ID, value.clone());
    let mut response = next.run(request).await;
    response.headers_mut().insert(REQUEST_ID, value);
    response
}

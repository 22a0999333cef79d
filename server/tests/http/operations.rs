//! Operations: Prometheus metrics at `/metrics` for the bearer of `METRICS_TOKEN` only, a
//! request id Meet draws for every request, and errors reported to a Sentry-compatible server
//! when `SENTRY_DSN` is set.

use std::sync::{Arc, Mutex};

use meet_server::config::Secret;

use crate::helpers::{AppOptions, TestApp, browser, header, spawn_app_with};

async fn app_with_metrics() -> TestApp {
    spawn_app_with(AppOptions {
        configure: Box::new(|config| {
            config.analytics.metrics_token = Some(Secret::new("scrape-token"));
        }),
        ..AppOptions::default()
    })
    .await
    .expect("app")
}

async fn scrape(app: &TestApp, token: Option<&str>) -> (u16, String) {
    let mut request = browser().get(app.url("/metrics"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("metrics");
    (
        response.status().as_u16(),
        response.text().await.expect("text"),
    )
}

fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
}

#[tokio::test]
async fn metrics_are_for_the_token_bearer_only() {
    let closed = crate::helpers::spawn_app().await;
    assert_eq!(scrape(&closed, Some("anything")).await.0, 404);
    let app = app_with_metrics().await;
    assert_eq!(scrape(&app, None).await.0, 404);
    assert_eq!(scrape(&app, Some("scrape-toke")).await.0, 404);
    assert_eq!(scrape(&app, Some("scrape-token-")).await.0, 404);
    assert_eq!(scrape(&app, Some("scrape-token")).await.0, 200);
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_read_the_gauges() {
    let app = app_with_metrics().await;
    for _ in 0..3 {
        assert_eq!(app.get("/healthz").await.status(), 200);
    }
    let owner = app.user("owner").await;
    let room = meet_domain::testing::registered_room(
        &app.database.store,
        &owner,
        "Metrics room",
        meet_types::AccessLevel::Public,
    )
    .await;
    let retrieved = browser()
        .get(app.url(&format!("/api/v1.0/rooms/{}/", room.slug)))
        .send()
        .await
        .expect("retrieve");
    assert_eq!(retrieved.status(), 200);
    assert_eq!(app.get("/api/v1.0/rooms/no-such-room/").await.status(), 404);
    let (status, metrics) = scrape(&app, Some("scrape-token")).await;
    assert_eq!(status, 200);
    assert_eq!(
        sample(
            &metrics,
            "meet_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"}"
        ),
        Some(3.0),
        "{metrics}"
    );
    // By route pattern, never by the path (one series per room would grow without end).
    assert_eq!(
        sample(
            &metrics,
            "meet_http_requests_total{route=\"/api/v1.0/rooms/{id}/\",method=\"GET\",status=\"200\"}"
        ),
        Some(1.0),
        "{metrics}"
    );
    assert!(!metrics.contains(&room.slug), "{metrics}");
    assert!(!metrics.contains("no-such-room"), "{metrics}");
    assert_eq!(
        sample(
            &metrics,
            "meet_http_request_duration_seconds_count{route=\"/healthz\"}"
        ),
        Some(3.0)
    );
    assert!(
        metrics
            .contains("meet_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.005\"}")
    );
    assert!(
        sample(&metrics, "meet_db_pool_connections{state=\"open\"}")
            .is_some_and(|open| open >= 1.0)
    );
    assert!(sample(&metrics, "meet_db_pool_connections{state=\"idle\"}").is_some());
    assert!(sample(&metrics, "meet_push_connections_open").is_some());
    assert_eq!(
        sample(&metrics, "meet_recordings{status=\"saved\"}"),
        Some(0.0)
    );
    assert!(
        sample(
            &metrics,
            "meet_livekit_call_errors_total{kind=\"unavailable\"}"
        )
        .is_some()
    );
}

#[tokio::test]
async fn every_response_carries_a_request_id_meet_drew() {
    let app = crate::helpers::spawn_app().await;
    let mut seen = Vec::new();
    for _ in 0..2 {
        let response = browser()
            .get(app.url("/healthz"))
            .header("x-request-id", "chosen-by-the-client")
            .send()
            .await
            .expect("healthz");
        let id = header(&response, "x-request-id");
        assert_eq!(id.len(), 32, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
        seen.push(id);
    }
    assert_ne!(seen[0], seen[1]);
    // Pages and API errors too.
    let missing = app.get("/api/v1.0/nothing-here/").await;
    assert_eq!(header(&missing, "x-request-id").len(), 32);
}

/// A Sentry-compatible server that keeps the envelopes it is sent.
async fn sentry_sink() -> (String, Arc<Mutex<Vec<String>>>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let kept = received.clone();
    let router = axum::Router::new().route(
        "/api/{project}/envelope/",
        axum::routing::post(move |body: String| {
            let kept = kept.clone();
            async move {
                kept.lock().unwrap().push(body);
                "{}"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    (format!("http://public-key@{address}/42"), received)
}

#[tokio::test]
async fn errors_are_reported_to_the_sentry_dsn() {
    let (dsn, received) = sentry_sink().await;
    let dir = tempfile::TempDir::new().expect("dir");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_meet"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .current_dir(dir.path())
        .env("MEET_LISTEN_ADDR", "127.0.0.1:0")
        // A database nobody serves: the start fails, and says so as an error.
        .env("DATABASE_URL", "postgres://meet:meet@127.0.0.1:1/meet")
        .env("SENTRY_DSN", &dsn);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("join")
        .expect("meet runs");
    assert!(!output.status.success());
    let envelopes = received.lock().unwrap().clone();
    let all = envelopes.join("\n");
    assert!(all.contains("cannot connect to the database"), "{all}");
    assert!(all.contains("{\"type\":\"event\""), "{all}");
    // The database's password stays out of the report, as out of the logs.
    assert!(
        all.contains("meet:***@") && !all.contains("meet:meet@"),
        "{all}"
    );

    // An unreadable DSN stops the start, named.
    let dir = tempfile::TempDir::new().expect("dir");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_meet"))
        .env_clear()
        .current_dir(dir.path())
        .env("SENTRY_DSN", "not a dsn")
        .output()
        .expect("meet runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("SENTRY_DSN"));
}

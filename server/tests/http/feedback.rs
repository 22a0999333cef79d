//! Feedback after a call, through the `send_feedback` server function the feedback page calls
//! (`POST /api/feedback/send`): stored with its sender, refused (and not stored) when wrong.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use meet_domain::clock::ManualClock;
use meet_domain::feedback::queries;
use meet_domain::per_backend;
use reqwest::Client;
use serde_json::Value;

use crate::helpers::{AppOptions, TestApp, call_server_fn, header, spawn_app_with};

const SEND: &str = "/api/feedback/send";

fn at() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .expect("time")
        .with_timezone(&Utc)
}

/// An app whose clock stands at [`at`].
struct Stopped(TestApp);

impl meet_domain::testing::OnBackend for Stopped {
    async fn on(backend: meet_domain::Backend) -> Option<Self> {
        spawn_app_with(AppOptions {
            postgres: backend == meet_domain::Backend::Postgres,
            clock: Some(Arc::new(ManualClock::stopped_at(at()))),
            ..AppOptions::default()
        })
        .await
        .map(Self)
    }
}

/// Sends feedback as the feedback page's script does (a same-origin form post).
async fn send(app: &TestApp, client: &Client, form: &[(&str, &str)]) -> (u16, Value) {
    call_server_fn(app, client, SEND, form).await
}

/// The stored feedback, newest last.
async fn stored(app: &TestApp) -> Vec<queries::StoredFeedback> {
    let sql = "SELECT id FROM feedback ORDER BY created_at, id";
    let ids: Vec<uuid::Uuid> = match &app.database.store {
        meet_domain::Store::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
        meet_domain::Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
    }
    .expect("ids");
    let mut rows = Vec::new();
    for id in ids {
        rows.push(
            queries::find(&app.database.store, id)
                .await
                .expect("q")
                .expect("row"),
        );
    }
    rows
}

per_backend!(feedback_is_stored, |stopped: Stopped| async move {
    let app = stopped.0;
    let (status, body) = send(
        &app,
        &app.client,
        &[
            ("rating", "4"),
            ("comment", "  The sound cut out twice.\r\nOtherwise fine.  "),
            ("reason", "connection_lost"),
            ("room", "ABC-DEFG-HIJ"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let alice = app.user("alice").await;
    let alice_browser = app.client_for(&alice).await;
    let (status, _) = send(&app, &alice_browser, &[("rating", "5")]).await;
    assert_eq!(status, 200);

    let rows = stored(&app).await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    let guest = rows
        .iter()
        .find(|row| row.user_id.is_none())
        .expect("the guest's");
    assert_eq!(guest.rating, 4);
    assert_eq!(
        guest.comment.as_deref(),
        Some("The sound cut out twice.\r\nOtherwise fine.")
    );
    assert_eq!(guest.reason.as_deref(), Some("connection_lost"));
    assert_eq!(guest.room_slug.as_deref(), Some("abc-defg-hij"));
    assert_eq!(guest.created_at, at());
    let alices = rows
        .iter()
        .find(|row| row.user_id == Some(alice.id))
        .expect("alice's");
    assert_eq!(
        (
            alices.rating,
            &alices.comment,
            &alices.reason,
            &alices.room_slug
        ),
        (5, &None, &None, &None)
    );
});

#[tokio::test]
async fn wrong_feedback_is_a_400_and_stores_nothing() {
    let app = spawn_app_with(AppOptions::default()).await.expect("SQLite");
    let long_comment = "a".repeat(2001);
    let cases: [&[(&str, &str)]; 8] = [
        &[],
        &[("rating", "0")],
        &[("rating", "6")],
        &[("rating", "300")],
        &[("rating", "four")],
        &[("rating", "3"), ("comment", &long_comment)],
        &[("rating", "3"), ("reason", "bored")],
        &[("rating", "3"), ("room", "../../etc")],
    ];
    for form in cases {
        let (status, body) = send(&app, &app.client, form).await;
        assert_eq!(status, 400, "{form:?}: {body}");
    }
    let (status, body) = send(&app, &app.client, &[("rating", "3"), ("comment", "nul\0")]).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.to_string().contains("comment"),
        "the field is named: {body}"
    );
    assert_eq!(queries::count(&app.database.store).await.expect("count"), 0);

    // Another site's page cannot send it in someone's name.
    let response = app
        .client
        .post(app.url(SEND))
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .form(&[("rating", "1")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 403);
    assert_eq!(queries::count(&app.database.store).await.expect("count"), 0);
}

#[tokio::test]
async fn a_plain_form_goes_home_once_sent() {
    let app = spawn_app_with(AppOptions::default()).await.expect("SQLite");
    let response = app
        .client
        .post(app.url(SEND))
        .header("accept", "text/html")
        .form(&[("rating", "3"), ("comment", "")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 302);
    assert_eq!(header(&response, "location"), "/");
    assert_eq!(queries::count(&app.database.store).await.expect("count"), 1);
}

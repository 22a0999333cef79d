//! `/healthz` and `/readyz`.

use crate::helpers::TestApp;
use crate::helpers::{spawn_app, text};
use meet_domain::per_backend;

#[tokio::test]
async fn healthz_answers_while_the_process_runs() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(text(response).await, "ok");
}

#[tokio::test]
async fn readyz_follows_the_database() {
    let app = spawn_app().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(text(response).await, "ready");

    app.database.store.close().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    assert_eq!(text(response).await, "database unreachable");
    // The process itself is still up.
    assert_eq!(app.get("/healthz").await.status(), 200);
}

per_backend!(
    a_read_only_database_is_not_ready,
    |app: TestApp| async move {
        let postgres = app.database.store.backend() == meet_domain::Backend::Postgres;
        let read_only = crate::helpers::spawn_app_with(crate::helpers::AppOptions {
            postgres,
            read_only: true,
            ..Default::default()
        })
        .await
        .expect("app");
        let response = read_only.get("/readyz").await;
        assert_eq!(response.status(), 503);
        assert_eq!(text(response).await, "database is read-only");
        assert_eq!(app.get("/readyz").await.status(), 200, "a writable one is");
    }
);

//! `/healthz` and `/readyz`.

use crate::helpers::{spawn_app, text};

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

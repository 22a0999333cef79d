//! La Suite Meet's own clients against Meet's API: the keys of its answers, the keys of its
//! configuration, and its paths without their trailing slash.

use std::collections::BTreeSet;

use meet_types::AccessLevel;
use serde_json::{Value, json};

use crate::helpers::{browser, get_json, header, spawn_app};

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .map(|object| object.keys().cloned().collect())
        .unwrap_or_default()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

#[tokio::test]
async fn room_answers_have_la_suite_meets_keys() {
    let app = spawn_app().await;
    let owner = app.user("owner").await;
    let stranger = app.user("stranger").await;
    meet_domain::testing::registered_room(
        &app.database.store,
        &owner,
        "Board",
        AccessLevel::Restricted,
    )
    .await;
    let get = |client: reqwest::Client, key: &'static str| {
        let url = app.url(&format!("/api/v1.0/rooms/{key}/"));
        async move { get_json(&client, url).await }
    };

    // Its owner: everything, credentials included.
    let body = get(app.client_for(&owner).await, "board").await;
    assert_eq!(
        keys(&body),
        set(&[
            "id",
            "name",
            "slug",
            "configuration",
            "access_level",
            "pin_code",
            "accesses",
            "livekit"
        ]),
        "{body}"
    );
    assert_eq!(body["configuration"], json!({}), "always there, empty");
    assert_eq!(
        keys(&body["accesses"][0]),
        set(&["id", "user", "resource", "role"])
    );
    assert_eq!(
        keys(&body["accesses"][0]["user"]),
        set(&[
            "id",
            "email",
            "full_name",
            "short_name",
            "timezone",
            "language",
            "default_room_access_level",
            "default_room_configuration"
        ]),
        "{body}"
    );
    // Someone who waits in the lobby: no credentials, no PIN.
    let body = get(app.client_for(&stranger).await, "board").await;
    assert_eq!(
        keys(&body),
        set(&["id", "name", "slug", "configuration", "access_level"]),
        "{body}"
    );
    // An unregistered meeting.
    let body = get(browser(), "xyz-abcd-efg").await;
    assert_eq!(
        keys(&body),
        set(&["id", "slug", "is_administrable", "access_level", "livekit"]),
        "{body}"
    );
    assert_eq!(body["is_administrable"], false);
}

#[tokio::test]
async fn the_configuration_has_every_key_la_suite_meet_serves() {
    let app = spawn_app().await;
    let config: Value = app
        .get("/api/v1.0/config/")
        .await
        .json()
        .await
        .expect("json");
    let reference = set(&[
        "LANGUAGE_CODE",
        "recording",
        "background_image",
        "telephony",
        "resource",
        "subtitle",
        "diagnostics",
        "livekit",
        "authenticated_users_can_edit_display_name",
        "custom_css_url",
        "analytics",
        "support",
        "silence_livekit_debug_logs",
        "is_silent_login_enabled",
        "idle_disconnect_warning_delay",
        "feedback",
        "documentation_url",
        "external_home_url",
        "use_french_gov_footer",
        "use_proconnect_button",
        "manifest_link",
        "transcription_destination",
        "max_participants_for_sound",
        "auto_mute_on_join_threshold",
    ]);
    let served = keys(&config);
    let missing: Vec<_> = reference.difference(&served).collect();
    assert!(missing.is_empty(), "missing {missing:?}: {config}");
    assert_eq!(
        keys(&config["recording"]),
        set(&[
            "is_enabled",
            "available_modes",
            "expiration_days",
            "max_duration"
        ])
    );
    assert_eq!(
        keys(&config["background_image"]),
        set(&[
            "upload_is_enabled",
            "max_count_by_user",
            "max_size",
            "allowed_extensions",
            "allowed_mimetypes"
        ])
    );
    assert_eq!(
        keys(&config["diagnostics"]),
        set(&["connection_test_enabled"])
    );
    assert_eq!(
        keys(&config["livekit"]),
        set(&[
            "url",
            "force_wss_protocol",
            "enable_firefox_proxy_workaround",
            "default_sources"
        ])
    );
    // The features Meet lacks say they are off; the defaults its front end relies on are there.
    assert_eq!(config["recording"]["is_enabled"], false);
    assert_eq!(config["background_image"]["upload_is_enabled"], false);
    assert_eq!(config["telephony"]["enabled"], false);
    assert_eq!(config["subtitle"]["enabled"], false);
    assert_eq!(config["diagnostics"]["connection_test_enabled"], false);
    assert_eq!(config["max_participants_for_sound"], 5);
    assert_eq!(config["auto_mute_on_join_threshold"], 50);
}

#[tokio::test]
async fn paths_without_their_slash_lead_to_them() {
    let app = spawn_app().await;
    for (method, path, location) in [
        ("GET", "/api/v1.0/users/me", "/api/v1.0/users/me/"),
        ("GET", "/api/v1.0/logout", "/api/v1.0/logout/"),
        ("HEAD", "/api/v1.0/config", "/api/v1.0/config/"),
        (
            "GET",
            "/api/v1.0/rooms/abc-defg-hij?username=Ann",
            "/api/v1.0/rooms/abc-defg-hij/?username=Ann",
        ),
    ] {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let response = browser()
            .request(method, app.url(path))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 301, "{path}");
        assert_eq!(header(&response, "location"), location, "{path}");
    }
    // Other methods get the API's 404, in JSON.
    let response = browser()
        .post(app.url("/api/v1.0/rooms"))
        .json(&json!({"name": "x"}))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["detail"], "Not found.");
    // A slashed path that names nothing is the API's 404 too.
    let response = browser()
        .get(app.url("/api/v1.0/nothing/"))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), 404);
    assert!(header(&response, "content-type").starts_with("application/json"));
}

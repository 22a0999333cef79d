//! The users API: `me`, and changing one's own preferences (and nobody else's).

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::{browser, spawn_app};
use crate::openapi::{ApiSpec, call};
use meet_domain::per_backend;

const ME: &str = "/api/v1.0/users/me/";
const USER: &str = "/api/v1.0/users/{id}/";

#[tokio::test]
async fn me_answers_the_user_or_401() {
    let app = spawn_app().await;
    let spec = ApiSpec::fetch(&app).await;
    let (status, body) = call(&spec, "get", ME, browser().get(app.url(ME))).await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!({"detail": "Authentication credentials were not provided."})
    );
    let alice = app.user("alice").await;
    let (status, body) = call(
        &spec,
        "get",
        ME,
        app.client_for(&alice).await.get(app.url(ME)),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["id"], alice.id.to_string());
    assert_eq!(body["email"], "alice@example.org");
    assert_eq!(body["timezone"], "UTC");
    assert_eq!(body["default_room_access_level"], Value::Null);
    assert_eq!(body["default_room_configuration"], json!({}));
}

per_backend!(
    people_change_their_own_preferences_only,
    |app: TestApp| async move {
        let spec = ApiSpec::fetch(&app).await;
        let alice = app.user("alice").await;
        let bob = app.user("bob").await;
        let client = app.client_for(&alice).await;
        let url = |id: uuid::Uuid| app.url(&format!("/api/v1.0/users/{id}/"));
        // A PATCH of a user, checked against the API's document.
        let patch = |request| call(&spec, "patch", USER, request);

        let (status, _) = patch(
            browser()
                .patch(url(alice.id))
                .json(&json!({"language": "fr-fr"})),
        )
        .await;
        assert_eq!(status, 401);
        let (status, _) = patch(
            client
                .patch(url(bob.id))
                .json(&json!({"language": "fr-fr"})),
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = patch(client.patch(url(uuid::Uuid::new_v4())).json(&json!({}))).await;
        assert_eq!(status, 404);

        let change = json!({
            "language": "fr-fr",
            "timezone": "Europe/Paris",
            "default_room_access_level": "trusted",
            "default_room_configuration": {"can_publish_sources": ["camera", "microphone"]},
            "email": "ignored@example.org"
        });
        let (status, body) = patch(client.patch(url(alice.id)).json(&change)).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["language"], "fr-fr");
        assert_eq!(body["timezone"], "Europe/Paris");
        assert_eq!(body["default_room_access_level"], "trusted");
        assert_eq!(
            body["default_room_configuration"],
            json!({"can_publish_sources": ["camera", "microphone"]})
        );
        assert_eq!(
            body["email"], "alice@example.org",
            "read-only fields are ignored"
        );

        // New rooms start with those defaults.
        let (status, body) = call(
            &spec,
            "post",
            "/api/v1.0/rooms/",
            client
                .post(app.url("/api/v1.0/rooms/"))
                .json(&json!({"name": "mine"})),
        )
        .await;
        assert_eq!(status, 201);
        assert_eq!(body["access_level"], "trusted");
        assert_eq!(
            body["configuration"],
            json!({"can_publish_sources": ["camera", "microphone"]})
        );

        // Bad values name their field and change nothing.
        for (input, field) in [
            (json!({"language": "klingon"}), "language"),
            (json!({"timezone": "Mars/Olympus"}), "timezone"),
            (
                json!({"default_room_access_level": "secret"}),
                "default_room_access_level",
            ),
            (
                json!({"default_room_configuration": {"nope": 1}}),
                "default_room_configuration",
            ),
        ] {
            let (status, body) = patch(client.patch(url(alice.id)).json(&input)).await;
            assert_eq!(status, 400, "{input}: {body}");
            assert!(body[field].is_array(), "{field}: {body}");
        }
        let (status, body) = call(
            &spec,
            "put",
            USER,
            client
                .put(url(alice.id))
                .json(&json!({"language": "en-us"})),
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(body["timezone"], json!(["This field is required."]));
        // A body of blanks announced as JSON is not JSON (Django REST framework's answer too);
        // only an empty body is no body, which changes nothing.
        let (status, body) = patch(
            client
                .patch(url(alice.id))
                .header("content-type", "application/json")
                .body("\n"),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("JSON parse error")),
            "{body}"
        );
        let (status, body) = patch(client.patch(url(alice.id))).await;
        assert_eq!((status, &body["language"]), (200, &json!("fr-fr")));
        let stored = meet_domain::users::find_by_id(&app.database.store, alice.id)
            .await
            .expect("q")
            .expect("user");
        assert_eq!(
            (stored.language.as_str(), stored.timezone.as_str()),
            ("fr-fr", "Europe/Paris")
        );

        // The access level default can be cleared.
        let (status, body) = patch(
            client
                .patch(url(alice.id))
                .json(&json!({"default_room_access_level": null})),
        )
        .await;
        assert_eq!(
            (status, &body["default_room_access_level"]),
            (200, &Value::Null)
        );
    }
);

//! Authentication failures, as the SDK and a plain HTTP client see them.

use livekit_api::{
    access_token::{AccessToken, VideoGrants},
    services::{ServerError, ServiceError, room::RoomClient},
};
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{KEY, SECRET, admin_of, standin, token, twirp_code, twirp_json};

#[tokio::test]
async fn a_wrong_secret_is_a_request_error_in_the_sdk() {
    let standin = standin().await;
    let lk = RoomClient::with_api_key(&standin.url(), KEY, "not-the-secret");
    let error = lk.list_rooms(vec![]).await.unwrap_err();
    let ServiceError::Twirp(ServerError::Request(inner)) = &error else {
        panic!("expected a request error, got {error:?}");
    };
    assert!(
        inner.is_decode(),
        "the plain-text 401 fails JSON decoding: {inner:?}"
    );
    assert!(
        standin.calls().is_empty(),
        "unauthenticated calls are not recorded"
    );

    let lk = RoomClient::with_api_key(&standin.url(), "other-key", SECRET);
    assert!(matches!(
        lk.list_rooms(vec![]).await.unwrap_err(),
        ServiceError::Twirp(ServerError::Request(_))
    ));
}

#[tokio::test]
async fn invalid_tokens_and_non_bearer_headers_get_plain_text() {
    let standin = standin().await;
    let no_bearer = twirp_json(
        &standin,
        "ListRooms",
        Some(token(VideoGrants::default())),
        &json!({}),
    )
    .await;
    assert_eq!(no_bearer.status, StatusCode::UNAUTHORIZED);
    assert!(no_bearer.content_type.starts_with("text/plain"));
    assert_eq!(
        no_bearer.body,
        "invalid authorization header. Must start with Bearer"
    );

    let forged = AccessToken::with_api_key(KEY, "wrong").to_jwt().unwrap();
    let invalid = twirp_json(
        &standin,
        "ListRooms",
        Some(format!("Bearer {forged}")),
        &json!({}),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::UNAUTHORIZED);
    assert!(
        invalid
            .body
            .starts_with(&format!("invalid token: {forged}, error: ")),
        "{}",
        invalid.body
    );
}

#[tokio::test]
async fn missing_headers_and_grants_get_twirp_unauthenticated() {
    let standin = standin().await;
    standin.add_participant("r", "alice", "Alice", [("a", "b")]);
    let denied = json!({"code": "unauthenticated", "msg": "permissions denied"});

    let anonymous = twirp_json(&standin, "ListRooms", None, &json!({})).await;
    assert_eq!(
        (anonymous.status, anonymous.json()),
        (StatusCode::UNAUTHORIZED, denied.clone())
    );

    let admin = Some(format!("Bearer {}", token(admin_of("r"))));
    let no_list_grant = twirp_json(&standin, "ListRooms", admin.clone(), &json!({})).await;
    assert_eq!(
        (no_list_grant.status, no_list_grant.json()),
        (StatusCode::UNAUTHORIZED, denied.clone())
    );
    let no_create_grant =
        twirp_json(&standin, "CreateRoom", admin.clone(), &json!({"name": "x"})).await;
    assert_eq!(no_create_grant.json(), denied);

    let other_room = twirp_json(
        &standin,
        "ListParticipants",
        admin.clone(),
        &json!({"room": "other"}),
    )
    .await;
    assert_eq!(
        (other_room.status, other_room.json()),
        (StatusCode::UNAUTHORIZED, denied.clone())
    );
    let own_room = twirp_json(&standin, "ListParticipants", admin, &json!({"room": "r"})).await;
    assert_eq!(own_room.status, StatusCode::OK);

    let join_only = VideoGrants {
        room_join: true,
        room: "r".into(),
        ..Default::default()
    };
    let join_token = AccessToken::with_api_key(KEY, SECRET)
        .with_identity("alice")
        .with_grants(join_only)
        .to_jwt()
        .unwrap();
    let lk = RoomClient::with_token(&standin.url(), &join_token);
    let error = twirp_code(lk.list_participants("r").await.unwrap_err());
    assert_eq!(
        (error.code.as_str(), error.msg.as_str()),
        ("unauthenticated", "permissions denied")
    );
    assert_eq!(
        standin.calls(),
        [("ListParticipants".to_owned(), Some("r".to_owned()))]
    );
}

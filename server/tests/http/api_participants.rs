//! Participants acting on themselves with their LiveKit token, against the LiveKit stand-in:
//! raising and lowering a hand, renaming oneself; and every refusal (no token, another kind of
//! header, a token garbled, signed with another secret, expired or for another room, an unknown
//! room, bad bodies, a participant not connected, LiveKit down), each of which changes nothing.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use livekit_api::access_token::{AccessToken, TokenVerifier, VideoGrants};
use meet_domain::clock::ManualClock;
use meet_domain::participants::HAND_RAISED_AT;
use meet_domain::per_backend;
use meet_domain::rooms::Room;
use meet_domain::testing::registered_room;
use meet_livekit_standin::proto::ParticipantInfo;
use meet_types::AccessLevel;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{AppOptions, TestApp, browser, get_json, header, spawn_app_with};
use crate::openapi::{ApiSpec, call};

const TOGGLE: &str = "/api/v1.0/rooms/{id}/toggle-hand/";
const RENAME: &str = "/api/v1.0/rooms/{id}/rename/";

/// When the app's clock stands.
fn noon() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T12:00:00.123456Z")
        .expect("time")
        .with_timezone(&Utc)
}

/// A guest in a meeting: the app (its clock stopped at [`noon`]), a public registered room,
/// the LiveKit token the room's page got for the guest, and the guest connected on the stand-in.
struct Meeting {
    app: TestApp,
    spec: ApiSpec,
    room: Room,
    token: String,
    identity: String,
}

impl Meeting {
    async fn start(postgres: bool) -> Option<Self> {
        let app = spawn_app_with(AppOptions {
            postgres,
            clock: Some(Arc::new(ManualClock::stopped_at(noon()))),
            ..AppOptions::default()
        })
        .await?;
        let spec = ApiSpec::fetch(&app).await;
        let owner = app.user("owner").await;
        let room = registered_room(
            &app.database.store,
            &owner,
            "Weekly sync",
            AccessLevel::Public,
        )
        .await;
        // As the meeting page does: the room's answer carries the guest's token.
        let answer = get_json(
            &browser(),
            app.url(&format!("/api/v1.0/rooms/{}/?username=Alice", room.id)),
        )
        .await;
        let token = answer["livekit"]["token"]
            .as_str()
            .expect("a token")
            .to_owned();
        let claims = TokenVerifier::with_api_key("devkey", "secret")
            .verify(&token)
            .expect("a token Meet signed");
        let identity = claims.sub;
        app.livekit.add_participant(
            &room.livekit_name(),
            &identity,
            "Alice",
            [("color", "hsl(10, 60%, 50%)")],
        );
        Some(Self {
            app,
            spec,
            room,
            token,
            identity,
        })
    }

    /// The guest as LiveKit has them.
    fn participant(&self) -> ParticipantInfo {
        self.app
            .livekit
            .participant(&self.room.livekit_name(), &self.identity)
            .expect("connected")
    }

    /// `POST template` for the room `key`, with `authorization` and `body` (JSON) if given,
    /// checked against the OpenAPI document.
    async fn post(
        &self,
        template: &str,
        key: &str,
        authorization: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let url = self.app.url(&template.replace("{id}", key));
        let mut request = self.app.client.post(url);
        if let Some(authorization) = authorization {
            request = request.header("authorization", authorization);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        call(&self.spec, "post", template, request).await
    }

    /// `POST template` for this room with the guest's token.
    async fn post_as_guest(&self, template: &str, body: Value) -> (u16, Value) {
        let bearer = format!("Bearer {}", self.token);
        self.post(
            template,
            &self.room.id.to_string(),
            Some(&bearer),
            Some(body),
        )
        .await
    }

    /// A token Meet would mint for `identity` to join the LiveKit room `room`.
    fn minted(&self, room: &str, identity: &str) -> String {
        meet_domain::testing::guest_token(&self.app.services.settings.token, room, identity)
    }
}

per_backend!(
    a_guest_raises_and_lowers_their_hand,
    |meeting: Meeting| async move {
        let before = meeting.participant();
        let (status, body) = meeting.post_as_guest(TOGGLE, json!({"raised": true})).await;
        assert_eq!((status, body), (200, json!({"status": "success"})));
        let raised = meeting.participant();
        assert_eq!(
            raised.attributes.get(HAND_RAISED_AT).map(String::as_str),
            Some("2026-03-01T12:00:00.123456+00:00"),
            "the app's clock time, as La Suite Meet writes it"
        );
        assert_eq!(
            raised.attributes.get("color"),
            before.attributes.get("color"),
            "other attributes stay"
        );
        assert_eq!(raised.name, "Alice");

        let (status, _) = meeting
            .post_as_guest(TOGGLE, json!({"raised": false}))
            .await;
        assert_eq!(status, 200);
        let lowered = meeting.participant();
        // Emptied, which LiveKit takes as removing the key: clients read "" either way.
        assert_eq!(
            lowered
                .attributes
                .get(HAND_RAISED_AT)
                .map_or("", String::as_str),
            ""
        );
        assert_eq!(
            lowered.attributes.get("color"),
            before.attributes.get("color")
        );
    }
);

per_backend!(a_guest_renames_themselves, |meeting: Meeting| async move {
    let (status, body) = meeting
        .post_as_guest(RENAME, json!({"name": "  Alice Martin (Lyon)  "}))
        .await;
    assert_eq!((status, body), (200, json!({"status": "success"})));
    let renamed = meeting.participant();
    assert_eq!(renamed.name, "Alice Martin (Lyon)");
    assert!(!renamed.attributes.contains_key(HAND_RAISED_AT));

    let longest = "é".repeat(255);
    let (status, _) = meeting
        .post_as_guest(RENAME, json!({"name": longest}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(meeting.participant().name, longest);
});

/// An unregistered meeting's LiveKit room is its code: a token for it works there, by any
/// spelling of the code.
#[tokio::test]
async fn a_guest_of_an_unregistered_meeting_raises_their_hand() {
    let meeting = Meeting::start(false).await.expect("SQLite");
    let token = meeting.minted("abc-defg-hij", "guest-7");
    meeting.app.livekit.add_participant(
        "abc-defg-hij",
        "guest-7",
        "Guest",
        Vec::<(String, String)>::new(),
    );
    let (status, _) = meeting
        .post(
            TOGGLE,
            "ABCDEFGHIJ",
            Some(&format!("Bearer {token}")),
            Some(json!({"raised": true})),
        )
        .await;
    assert_eq!(status, 200);
    let guest = meeting
        .app
        .livekit
        .participant("abc-defg-hij", "guest-7")
        .expect("connected");
    assert_eq!(
        guest.attributes.get(HAND_RAISED_AT).map(String::as_str),
        Some("2026-03-01T12:00:00.123456+00:00")
    );
}

/// An HS256 JWT over `claims`, signed with `secret` by hand (to make tokens `AccessToken`
/// cannot: expired ones).
fn signed_jwt(secret: &str, claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{header}.{payload}").as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{header}.{payload}.{signature}")
}

/// Claims of a join token for `identity` in `room`, valid from `nbf` to `exp` (Unix times).
fn join_claims(identity: &str, room: &str, nbf: i64, exp: i64) -> Value {
    json!({
        "iss": "devkey", "sub": identity, "nbf": nbf, "exp": exp,
        "video": {"roomJoin": true, "room": room},
    })
}

#[tokio::test]
async fn refused_requests_change_nothing() {
    let meeting = Meeting::start(false).await.expect("SQLite");
    let room_key = meeting.room.id.to_string();
    let room = meeting.room.livekit_name();
    let identity = meeting.identity.clone();
    let owner = meeting.app.user("owner-2").await;
    let other_room = registered_room(
        &meeting.app.database.store,
        &owner,
        "Another room",
        AccessLevel::Public,
    )
    .await;
    let now = Utc::now().timestamp();
    let bearer = |token: &str| format!("Bearer {token}");
    let valid = bearer(&meeting.token);

    // A hand-signed token is accepted when it is in date: the expired one below is refused for
    // its expiry alone.
    let in_date = signed_jwt(
        "secret",
        &join_claims(&identity, &room, now - 60, now + 3600),
    );
    let (status, _) = meeting
        .post(
            TOGGLE,
            &room_key,
            Some(&bearer(&in_date)),
            Some(json!({"raised": false})),
        )
        .await;
    assert_eq!(status, 200);

    let expired = signed_jwt(
        "secret",
        &join_claims(&identity, &room, now - 7200, now - 3600),
    );
    let other_secret = AccessToken::with_api_key("devkey", "another secret")
        .with_identity(&identity)
        .with_grants(VideoGrants {
            room_join: true,
            room: room.clone(),
            ..VideoGrants::default()
        })
        .to_jwt()
        .expect("token");
    let not_a_join_token = AccessToken::with_api_key("devkey", "secret")
        .with_identity(&identity)
        .with_grants(VideoGrants {
            room_admin: true,
            room: room.clone(),
            ..VideoGrants::default()
        })
        .to_jwt()
        .expect("token");
    let for_other_room = meeting.minted(&other_room.livekit_name(), &identity);
    let ghost = meeting.minted(&room, "ghost");
    let raise = Some(json!({"raised": true}));

    let before = meeting.participant();
    // Who is asking, refused on both endpoints (with bodies they would take).
    let authorizations = [
        ("no header", None, 401),
        ("Basic", Some("Basic YWxpY2U6c2VjcmV0".to_owned()), 401),
        ("no token", Some("Bearer ".to_owned()), 401),
        ("garbage", Some(bearer("garbage")), 401),
        ("garbled JWT", Some(bearer("eyJh.eyJz.c2ln")), 401),
        ("tampered", Some(format!("{valid}x")), 401),
        ("other secret", Some(bearer(&other_secret)), 401),
        ("expired", Some(bearer(&expired)), 401),
        ("huge", Some(bearer(&"a".repeat(20_000))), 401),
        ("not to join", Some(bearer(&not_a_join_token)), 403),
        ("other room", Some(bearer(&for_other_room)), 403),
        ("not connected", Some(bearer(&ghost)), 404),
    ];
    for (case, authorization, expected) in authorizations {
        for (template, body) in [
            (TOGGLE, json!({"raised": true})),
            (RENAME, json!({"name": "Eve"})),
        ] {
            let (status, answer) = meeting
                .post(template, &room_key, authorization.as_deref(), Some(body))
                .await;
            assert_eq!(status, expected, "{template} {case}: {answer}");
            assert_eq!(
                meeting.participant(),
                before,
                "{template} {case} changed nothing"
            );
        }
    }
    // What is asked, refused with the guest's valid token.
    let bodies = [
        (TOGGLE, None),
        (TOGGLE, Some(json!({}))),
        (TOGGLE, Some(json!({"raised": "yes"}))),
        (TOGGLE, Some(json!({"raised": 1}))),
        (TOGGLE, Some(json!({"raised": null}))),
        (TOGGLE, Some(json!([true]))),
        (RENAME, None),
        (RENAME, Some(json!({"name": ""}))),
        (RENAME, Some(json!({"name": "   "}))),
        (RENAME, Some(json!({"name": "a".repeat(256)}))),
        (RENAME, Some(json!({"name": "Alice\nB."}))),
        (RENAME, Some(json!({"name": "Alice\u{0}"}))),
        (RENAME, Some(json!({"name": 7}))),
        (RENAME, Some(json!({"name": ["Eve"]}))),
    ];
    for (template, body) in bodies {
        let case = format!("{template} {body:?}");
        let (status, answer) = meeting.post(template, &room_key, Some(&valid), body).await;
        assert_eq!(status, 400, "{case}: {answer}");
        assert_eq!(meeting.participant(), before, "{case} changed nothing");
    }

    // The refusals say why.
    let (_, answer) = meeting
        .post(TOGGLE, &room_key, Some(&bearer(&ghost)), raise.clone())
        .await;
    assert_eq!(
        answer["detail"],
        "Participant not found: you are not connected to this meeting."
    );
    let (_, answer) = meeting
        .post(
            TOGGLE,
            &room_key,
            Some(&valid),
            Some(json!({"raised": "yes"})),
        )
        .await;
    assert_eq!(answer["raised"], json!(["Must be a valid boolean."]));
    let (_, answer) = meeting
        .post(
            RENAME,
            &room_key,
            Some(&valid),
            Some(json!({"name": "a".repeat(256)})),
        )
        .await;
    assert_eq!(
        answer["name"],
        json!(["Ensure this field has no more than 255 characters."])
    );
    let (_, answer) = meeting
        .post(
            TOGGLE,
            &room_key,
            Some(&bearer(&for_other_room)),
            raise.clone(),
        )
        .await;
    assert_eq!(answer["detail"], "This LiveKit token is for another room.");
    let response = meeting
        .app
        .client
        .post(meeting.app.url(&TOGGLE.replace("{id}", &room_key)))
        .json(&json!({"raised": true}))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 401);
    assert_eq!(header(&response, "www-authenticate"), "Bearer");

    // Unknown rooms, with a valid token (checked first: a token is needed to learn that).
    for key in [
        "no-such-room",
        "00000000-0000-4000-8000-000000000000",
        "%F0%9F%8E%89",
    ] {
        let (status, _) = meeting.post(TOGGLE, key, Some(&valid), raise.clone()).await;
        assert_eq!(status, 404, "{key}");
        let (status, _) = meeting.post(TOGGLE, key, None, raise.clone()).await;
        assert_eq!(status, 401, "{key} without a token");
    }

    // Not JSON.
    let response = meeting
        .app
        .client
        .post(meeting.app.url(&TOGGLE.replace("{id}", &room_key)))
        .header("authorization", &valid)
        .header("content-type", "text/plain")
        .body("raised=true")
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 415);

    // LiveKit down: 502, and nothing changed once it is back.
    meeting.app.livekit.set_unavailable(true);
    let (status, answer) = meeting.post_as_guest(TOGGLE, json!({"raised": true})).await;
    assert_eq!(status, 502, "{answer}");
    let (status, _) = meeting.post_as_guest(RENAME, json!({"name": "Eve"})).await;
    assert_eq!(status, 502);
    meeting.app.livekit.set_unavailable(false);
    assert_eq!(meeting.participant(), before);
}

/// The session cookie is no credential here: a logged-in user without the token is refused,
/// and their session is not what names the participant (the token's identity is).
#[tokio::test]
async fn the_token_names_the_participant_not_the_session() {
    let meeting = Meeting::start(false).await.expect("SQLite");
    let carol = meeting.app.user("carol").await;
    let owner_browser = meeting.app.client_for(&carol).await;
    let url = meeting
        .app
        .url(&TOGGLE.replace("{id}", &meeting.room.id.to_string()));
    let response = owner_browser
        .post(&url)
        .json(&json!({"raised": true}))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 401);

    // With the guest's token, whatever the session and whatever the body says.
    let response = owner_browser
        .post(&url)
        .header("authorization", format!("Bearer {}", meeting.token))
        .json(&json!({"raised": true, "identity": "carol", "participant_identity": "carol"}))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 200);
    assert!(
        meeting
            .participant()
            .attributes
            .contains_key(HAND_RAISED_AT)
    );
}

/// Cross-site request forgery: Meet's own page (a same-origin fetch) passes the middleware;
/// another site's page is refused before anything is done (it could not know the token anyway).
#[tokio::test]
async fn meets_own_pages_may_call_and_other_sites_may_not() {
    let meeting = Meeting::start(false).await.expect("SQLite");
    let url = meeting
        .app
        .url(&TOGGLE.replace("{id}", &meeting.room.id.to_string()));
    let bearer = format!("Bearer {}", meeting.token);
    let before = meeting.participant();
    let response = meeting
        .app
        .client
        .post(&url)
        .header("authorization", &bearer)
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .json(&json!({"raised": true}))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 403);
    assert_eq!(meeting.participant(), before);

    let response = meeting
        .app
        .client
        .post(&url)
        .header("authorization", &bearer)
        .header("sec-fetch-site", "same-origin")
        .header("origin", meeting.app.url(""))
        .json(&json!({"raised": true}))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 200);
    assert!(
        meeting
            .participant()
            .attributes
            .contains_key(HAND_RAISED_AT)
    );
}

/// A meeting on each backend, for [`per_backend!`].
impl meet_domain::testing::OnBackend for Meeting {
    async fn on(backend: meet_domain::Backend) -> Option<Self> {
        Self::start(backend == meet_domain::Backend::Postgres).await
    }
}

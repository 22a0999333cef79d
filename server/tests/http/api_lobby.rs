//! The lobby, as La Suite Meet's clients use it (`request-entry`, `waiting-participants`,
//! `enter`), against the LiveKit stand-in and a clock the tests move: who waits and who enters
//! directly, hosts letting people in or not, the lapses (3 s without asking, 5 s after a
//! refusal), the `participantWaiting` message to the meeting, throttling, and every refusal,
//! each of which changes nothing.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use livekit_api::access_token::TokenVerifier;
use meet_domain::clock::ManualClock;
use meet_domain::limits::RateLimit;
use meet_domain::lobby::queries;
use meet_domain::per_backend;
use meet_domain::rooms::Room;
use meet_domain::testing::registered_room;
use meet_domain::users::User;
use meet_types::{AccessLevel, Role};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{AppOptions, TestApp, browser, set_cookie, spawn_app_with};
use crate::openapi::{ApiSpec, call};
use meet_domain::testing::eventually;

const REQUEST_ENTRY: &str = "/api/v1.0/rooms/{id}/request-entry/";
const WAITING: &str = "/api/v1.0/rooms/{id}/waiting-participants/";
const ENTER: &str = "/api/v1.0/rooms/{id}/enter/";

fn noon() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .expect("time")
        .with_timezone(&Utc)
}

/// A restricted room with its owner in the meeting (so the LiveKit room runs), an
/// administrator, a member and a logged-in stranger, on an app whose clock the test moves.
struct Lobby {
    app: TestApp,
    spec: ApiSpec,
    clock: Arc<ManualClock>,
    room: Room,
    owner: reqwest::Client,
    administrator: reqwest::Client,
    member: reqwest::Client,
    stranger: reqwest::Client,
    stranger_user: User,
    owner_user: User,
}

impl Lobby {
    async fn start(postgres: bool) -> Option<Self> {
        Self::start_with(postgres, |_| {}).await
    }

    async fn start_with(
        postgres: bool,
        configure: impl FnOnce(&mut meet_server::config::Config) + Send + 'static,
    ) -> Option<Self> {
        let clock = Arc::new(ManualClock::stopped_at(noon()));
        let app = spawn_app_with(AppOptions {
            postgres,
            clock: Some(clock.clone()),
            configure: Box::new(configure),
            ..AppOptions::default()
        })
        .await?;
        let spec = ApiSpec::fetch(&app).await;
        let store = &app.database.store;
        let owner = app.user("owner").await;
        let room = registered_room(store, &owner, "Board meeting", AccessLevel::Restricted).await;
        let administrator = app.user("administrator").await;
        let member = app.user("member").await;
        let stranger_user = app.user("stranger").await;
        meet_domain::accesses::queries::insert(
            store,
            room.id,
            administrator.id,
            Role::Administrator,
        )
        .await
        .expect("administrator");
        meet_domain::accesses::queries::insert(store, room.id, member.id, Role::Member)
            .await
            .expect("member");
        app.livekit
            .add_participant(&room.livekit_name(), "owner", "Owner", [("color", "red")]);
        Some(Self {
            owner: app.client_for(&owner).await,
            administrator: app.client_for(&administrator).await,
            member: app.client_for(&member).await,
            stranger: app.client_for(&stranger_user).await,
            stranger_user,
            owner_user: owner,
            spec,
            clock,
            room,
            app,
        })
    }

    fn path(&self, template: &str) -> String {
        template.replace("{id}", &self.room.id.to_string())
    }

    /// `POST template` for the room, as `client`, with `body`.
    async fn post(&self, client: &reqwest::Client, template: &str, body: Value) -> (u16, Value) {
        let request = client.post(self.app.url(&self.path(template))).json(&body);
        call(&self.spec, "post", template, request).await
    }

    /// Asks to enter as `client`, under `username`.
    async fn ask(&self, client: &reqwest::Client, username: &str) -> (u16, Value) {
        self.post(client, REQUEST_ENTRY, json!({ "username": username }))
            .await
    }

    /// The waiting list as `client` gets it.
    async fn waiting(&self, client: &reqwest::Client) -> (u16, Value) {
        let request = client.get(self.app.url(&self.path(WAITING)));
        call(&self.spec, "get", WAITING, request).await
    }

    /// The ids on the waiting list, as the owner sees it.
    async fn waiting_ids(&self) -> Vec<String> {
        let (status, body) = self.waiting(&self.owner).await;
        assert_eq!(status, 200, "{body}");
        body["participants"]
            .as_array()
            .expect("participants")
            .iter()
            .map(|participant| participant["id"].as_str().expect("id").to_owned())
            .collect()
    }

    async fn decide(&self, client: &reqwest::Client, id: &str, allow: bool) -> (u16, Value) {
        self.post(
            client,
            ENTER,
            json!({ "participant_id": id, "allow_entry": allow }),
        )
        .await
    }

    /// The stored entry of `id`, live or not.
    async fn stored(&self, id: &str) -> Option<queries::StoredEntry> {
        let id = Uuid::parse_str(id).expect("a lobby id");
        queries::find(&self.app.database.store, self.room.id, id, i64::MIN)
            .await
            .expect("query")
    }

    /// Waits until the meeting got `count` `participantWaiting` messages (they are sent in the
    /// background), then checks it got no more.
    async fn told(&self, count: usize) {
        eventually(&format!("{count} participantWaiting messages"), || async {
            self.waiting_messages() >= count
        })
        .await;
        assert_eq!(self.waiting_messages(), count);
    }

    /// How many `participantWaiting` messages the meeting got.
    fn waiting_messages(&self) -> usize {
        self.app
            .livekit
            .sent_data()
            .iter()
            .filter(|sent| sent.room == self.room.livekit_name())
            .inspect(|sent| {
                let message: Value = serde_json::from_slice(&sent.data).expect("JSON");
                assert_eq!(message, json!({"type": "participantWaiting"}));
                assert!(sent.destination_identities.is_empty(), "to everyone");
            })
            .count()
    }
}

impl meet_domain::testing::OnBackend for Lobby {
    async fn on(backend: meet_domain::Backend) -> Option<Self> {
        Self::start(backend == meet_domain::Backend::Postgres).await
    }
}

/// The claims of a LiveKit token Meet signed.
fn claims(token: &Value) -> livekit_api::access_token::Claims {
    TokenVerifier::with_api_key("devkey", "secret")
        .verify(token.as_str().expect("a token"))
        .expect("a token Meet signed")
}

per_backend!(
    a_guest_waits_is_seen_by_the_hosts_and_let_in,
    |lobby: Lobby| async move {
        let guest = browser();
        let response = guest
            .post(lobby.app.url(&lobby.path(REQUEST_ENTRY)))
            .json(&json!({"username": "  Alice  "}))
            .send()
            .await
            .expect("request");
        let cookie = set_cookie(&response, "lobbyParticipantId").expect("a lobby cookie");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let body: Value = response.json().await.expect("JSON");
        let id = body["id"].as_str().expect("id").to_owned();
        assert!(Uuid::parse_str(&id).is_ok(), "{id}");
        assert_eq!(body["status"], "waiting");
        assert_eq!(body["username"], "Alice");
        assert_eq!(body["livekit"], Value::Null);
        assert!(
            body["color"]
                .as_str()
                .is_some_and(|c| c.starts_with("hsl("))
        );
        lobby.told(1).await;

        // Asking again keeps them waiting, and tells the meeting nothing new.
        let (status, again) = lobby.ask(&guest, "Alice").await;
        assert_eq!(
            (status, &again["status"], &again["id"]),
            (200, &json!("waiting"), &json!(id))
        );
        lobby.told(1).await;

        for host in [&lobby.owner, &lobby.administrator] {
            let (status, list) = lobby.waiting(host).await;
            assert_eq!(status, 200);
            assert_eq!(
                list,
                json!({"participants": [{
                    "status": "waiting", "username": "Alice", "id": id, "color": body["color"],
                }]})
            );
        }

        let (status, decided) = lobby.decide(&lobby.owner, &id, true).await;
        assert_eq!(
            (status, decided),
            (200, json!({"message": "Participant was updated."}))
        );
        assert!(lobby.waiting_ids().await.is_empty(), "no longer waiting");

        let (status, admitted) = lobby.ask(&guest, "Alice").await;
        assert_eq!(status, 200);
        assert_eq!(admitted["status"], "accepted");
        let livekit = &admitted["livekit"];
        assert_eq!(livekit["room"], json!(lobby.room.id.to_string()));
        let claims = claims(&livekit["token"]);
        assert_eq!(claims.sub, id, "the lobby id is the guest's identity");
        assert_eq!(claims.name, "Alice");
        assert_eq!(claims.video.room, lobby.room.id.to_string());
        assert!(!claims.video.room_admin);
    }
);

per_backend!(
    a_refusal_stands_five_seconds_then_they_may_ask_again,
    |lobby: Lobby| async move {
        let guest = browser();
        let (_, body) = lobby.ask(&guest, "Bob").await;
        let id = body["id"].as_str().expect("id").to_owned();
        let (status, _) = lobby.decide(&lobby.administrator, &id, false).await;
        assert_eq!(status, 200);

        let (status, denied) = lobby.ask(&guest, "Bob").await;
        assert_eq!(
            (status, &denied["status"], &denied["livekit"]),
            (200, &json!("denied"), &Value::Null)
        );
        assert!(lobby.waiting_ids().await.is_empty());
        lobby.clock.advance(Duration::from_millis(4_900));
        let (_, still) = lobby.ask(&guest, "Bob").await;
        assert_eq!(
            still["status"], "denied",
            "asking does not shorten a refusal"
        );

        lobby.clock.advance(Duration::from_millis(200));
        let (status, again) = lobby.ask(&guest, "Bob again").await;
        assert_eq!(
            (status, &again["status"], &again["id"]),
            (200, &json!("waiting"), &json!(id))
        );
        assert_eq!(
            again["username"], "Bob again",
            "a new request, under its new name"
        );
        lobby.told(2).await;
        assert_eq!(lobby.waiting_ids().await, [id]);
    }
);

per_backend!(
    a_guest_who_stops_asking_drops_out_after_three_seconds,
    |lobby: Lobby| async move {
        let guest = browser();
        let (_, body) = lobby.ask(&guest, "Carol").await;
        let id = body["id"].as_str().expect("id").to_owned();
        lobby.clock.advance(Duration::from_millis(2_000));
        lobby.ask(&guest, "Carol").await;
        lobby.clock.advance(Duration::from_millis(2_900));
        assert_eq!(
            lobby.waiting_ids().await,
            std::slice::from_ref(&id),
            "kept alive by asking"
        );

        lobby.clock.advance(Duration::from_millis(200));
        assert!(lobby.waiting_ids().await.is_empty(), "3 s without asking");
        let (status, _) = lobby.decide(&lobby.owner, &id, true).await;
        assert_eq!(status, 404, "nobody to let in");
        let (_, again) = lobby.ask(&guest, "Carol").await;
        assert_eq!(
            again["status"], "waiting",
            "not let in by the late decision"
        );
        lobby.told(2).await;
    }
);

per_backend!(
    only_the_rooms_hosts_see_and_decide,
    |lobby: Lobby| async move {
        let guest = browser();
        let (_, body) = lobby.ask(&guest, "Dan").await;
        let id = body["id"].as_str().expect("id").to_owned();
        let before = lobby.stored(&id).await.expect("stored");

        // A LiveKit token for this very room is no session.
        let (_, other_guest) = lobby.ask(&browser(), "Eve").await;
        assert_eq!(other_guest["status"], "waiting");
        let bearer = meet_domain::testing::guest_token(
            &lobby.app.services.settings.token,
            &lobby.room.livekit_name(),
            "someone",
        );
        let with_token = reqwest::Client::builder()
            .default_headers(
                [(
                    http::header::AUTHORIZATION,
                    format!("Bearer {bearer}").parse().expect("header"),
                )]
                .into_iter()
                .collect(),
            )
            .build()
            .expect("client");

        for (who, client, expected) in [
            ("a visitor", &browser(), 401),
            ("a waiting guest", &guest, 401),
            ("a LiveKit token", &with_token, 401),
            ("a logged-in stranger", &lobby.stranger, 403),
            ("a member", &lobby.member, 403),
        ] {
            let (status, _) = lobby.waiting(client).await;
            assert_eq!(status, expected, "{who} lists");
            for allow in [true, false] {
                let (status, _) = lobby.decide(client, &id, allow).await;
                assert_eq!(status, expected, "{who} decides");
            }
        }
        assert_eq!(lobby.stored(&id).await, Some(before), "nothing changed");
        let (_, still) = lobby.ask(&guest, "Dan").await;
        assert_eq!(still["status"], "waiting");

        // Unknown rooms and people.
        let unknown = lobby
            .app
            .url(&WAITING.replace("{id}", &Uuid::new_v4().to_string()));
        let (status, _) = call(&lobby.spec, "get", WAITING, lobby.owner.get(unknown)).await;
        assert_eq!(status, 404);
        let (status, _) = lobby
            .decide(&lobby.owner, &Uuid::new_v4().to_string(), true)
            .await;
        assert_eq!(status, 404, "nobody waiting with that id");
    }
);

per_backend!(
    whoever_may_enter_directly_is_accepted_and_nothing_is_stored,
    |lobby: Lobby| async move {
        let store = &lobby.app.database.store;
        let owner = &lobby.owner_user;
        let public = registered_room(store, owner, "Town hall", AccessLevel::Public).await;
        let trusted = registered_room(store, owner, "Staff room", AccessLevel::Trusted).await;
        let cases: [(&str, &Room, &reqwest::Client, bool); 5] = [
            ("a guest, public room", &public, &browser(), false),
            ("a stranger, trusted room", &trusted, &lobby.stranger, true),
            (
                "a member, restricted room",
                &lobby.room,
                &lobby.member,
                true,
            ),
            (
                "an administrator, restricted room",
                &lobby.room,
                &lobby.administrator,
                true,
            ),
            (
                "the owner, restricted room",
                &lobby.room,
                &lobby.owner,
                true,
            ),
        ];
        for (case, room, client, logged_in) in cases {
            let path = REQUEST_ENTRY.replace("{id}", &room.slug);
            let request = client
                .post(lobby.app.url(&path))
                .json(&json!({"username": "Zoé"}));
            let (status, body) = call(&lobby.spec, "post", REQUEST_ENTRY, request).await;
            assert_eq!(
                (status, &body["status"]),
                (200, &json!("accepted")),
                "{case}"
            );
            let claims = claims(&body["livekit"]["token"]);
            assert_eq!(claims.video.room, room.id.to_string(), "{case}");
            if logged_in {
                assert_ne!(
                    claims.sub,
                    body["id"].as_str().expect("id"),
                    "{case}: their own identity"
                );
            } else {
                assert_eq!(claims.sub, body["id"].as_str().expect("id"), "{case}");
            }
        }
        // A meeting that exists only by its code is public.
        let (status, body) = lobby.ask_path(&browser(), "abc-defg-hij").await;
        assert_eq!((status, &body["status"]), (200, &json!("accepted")));
        assert_eq!(body["livekit"]["room"], "abc-defg-hij");

        assert!(lobby.waiting_ids().await.is_empty());
        // Nothing was sent for them: the first person who does wait is the meeting's first
        // message (sent in the background, so counted once there is one).
        lobby.ask(&browser(), "Wendy").await;
        lobby.told(1).await;
        // A public room has no lobby.
        let path = WAITING.replace("{id}", &public.slug);
        let (status, body) = call(
            &lobby.spec,
            "get",
            WAITING,
            lobby.owner.get(lobby.app.url(&path)),
        )
        .await;
        assert_eq!((status, body), (200, json!({"participants": []})));
        let path = ENTER.replace("{id}", &public.slug);
        let request = lobby
            .owner
            .post(lobby.app.url(&path))
            .json(&json!({"participant_id": Uuid::new_v4(), "allow_entry": true}));
        let (status, _) = call(&lobby.spec, "post", ENTER, request).await;
        assert_eq!(status, 404);
    }
);

impl Lobby {
    async fn ask_path(&self, client: &reqwest::Client, key: &str) -> (u16, Value) {
        let path = REQUEST_ENTRY.replace("{id}", key);
        let request = client
            .post(self.app.url(&path))
            .json(&json!({"username": "Zoé"}));
        call(&self.spec, "post", REQUEST_ENTRY, request).await
    }
}

per_backend!(
    bad_input_is_refused_and_changes_nothing,
    |lobby: Lobby| async move {
        let guest = browser();
        for (body, field) in [
            (json!({}), "username"),
            (json!({"username": null}), "username"),
            (json!({"username": 42}), "username"),
            (json!({"username": "   "}), "username"),
            (json!({"username": "x".repeat(256)}), "username"),
            (json!({"username": "Al\u{0}ice"}), "username"),
        ] {
            let (status, answer) = lobby.post(&guest, REQUEST_ENTRY, body.clone()).await;
            assert_eq!(status, 400, "{body}: {answer}");
            assert!(answer[field].is_array(), "{body}: {answer}");
        }
        let response = guest
            .post(lobby.app.url(&lobby.path(REQUEST_ENTRY)))
            .header("content-type", "text/plain")
            .body("username=Alice")
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 415);
        assert!(lobby.waiting_ids().await.is_empty(), "nobody stored");

        let (_, body) = lobby.ask(&guest, "Alice").await;
        lobby.told(1).await;
        let id = body["id"].as_str().expect("id").to_owned();
        let before = lobby.stored(&id).await;
        for body in [
            json!({}),
            json!({"participant_id": id}),
            json!({"allow_entry": true}),
            json!({"participant_id": "not-a-uuid", "allow_entry": true}),
            json!({"participant_id": id, "allow_entry": "yes"}),
            json!({"participant_id": id, "allow_entry": null}),
        ] {
            let (status, _) = lobby.post(&lobby.owner, ENTER, body.clone()).await;
            assert_eq!(status, 400, "{body}");
        }
        assert_eq!(lobby.stored(&id).await, before, "nothing changed");
    }
);

per_backend!(
    a_guest_cannot_take_another_guests_place,
    |lobby: Lobby| async move {
        let alice = browser();
        let (_, body) = lobby.ask(&alice, "Alice").await;
        let alice_id = body["id"].as_str().expect("id").to_owned();
        lobby.decide(&lobby.owner, &alice_id, true).await;

        // Mallory learned Alice's lobby id (it is her identity in the meeting) and presents it
        // as La Suite Meet's cookie would carry it: Meet did not sign it, so it is not hers.
        let response = reqwest::Client::new()
            .post(lobby.app.url(&lobby.path(REQUEST_ENTRY)))
            .header("cookie", format!("lobbyParticipantId={alice_id}"))
            .json(&json!({"username": "Mallory"}))
            .send()
            .await
            .expect("request");
        assert!(
            set_cookie(&response, "lobbyParticipantId").is_some(),
            "an identity of her own"
        );
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["status"], "waiting");
        assert_ne!(body["id"], json!(alice_id));
        assert_eq!(body["livekit"], Value::Null);
        let (_, alice_again) = lobby.ask(&alice, "Alice").await;
        assert_eq!(alice_again["status"], "accepted", "Alice keeps her place");
    }
);

#[tokio::test]
async fn asking_too_often_is_throttled_per_person() {
    let lobby = Lobby::start_with(false, |config| {
        config.rooms.request_entry_throttle_rates = RateLimit::parse("3/minute").expect("rate");
    })
    .await
    .expect("SQLite");
    let guest = browser();
    for _ in 0..3 {
        let (status, _) = lobby.ask(&guest, "Alice").await;
        assert_eq!(status, 200);
    }
    let response = guest
        .post(lobby.app.url(&lobby.path(REQUEST_ENTRY)))
        .json(&json!({"username": "Alice"}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 429);
    let retry_after: u64 = crate::helpers::header(&response, "retry-after")
        .parse()
        .expect("Retry-After in seconds");
    assert!((1..=20).contains(&retry_after), "{retry_after}");

    // Others are not slowed: another guest, and a logged-in person (counted by account, from
    // any browser).
    let (status, _) = lobby.ask(&browser(), "Bob").await;
    assert_eq!(status, 200);
    for _ in 0..3 {
        let client = lobby.app.client_for(&lobby.stranger_user).await;
        let (status, _) = lobby.ask(&client, "Stranger").await;
        assert_eq!(status, 200);
    }
    let (status, _) = lobby.ask(&lobby.stranger, "Stranger").await;
    assert_eq!(status, 429, "the same account from another browser");

    lobby.clock.advance(Duration::from_secs(20));
    let (status, _) = lobby.ask(&guest, "Alice").await;
    assert_eq!(status, 200, "one more once the interval passed");
}

/// An open Server-Sent Events stream, read event by event.
struct Events {
    response: reqwest::Response,
    buffer: String,
}

impl Events {
    /// Opens `path` on `app` as `client`; panics unless it answers 200 `text/event-stream`.
    async fn open(app: &TestApp, client: &reqwest::Client, path: &str) -> Self {
        let response = client.get(app.url(path)).send().await.expect("request");
        if response.status() != 200 {
            panic!(
                "{path}: {} {}",
                response.status(),
                response.text().await.unwrap_or_default()
            );
        }
        assert_eq!(
            crate::helpers::header(&response, "content-type"),
            "text/event-stream"
        );
        Self {
            response,
            buffer: String::new(),
        }
    }

    /// The next event (keep-alive comments skipped): its name and data; `None` when the stream
    /// ended. Panics after 10 s without one.
    async fn next(&mut self) -> Option<(String, Value)> {
        tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                if let Some(end) = self.buffer.find("\n\n") {
                    let block: String = self.buffer.drain(..end + 2).collect();
                    let mut name = String::from("message");
                    let mut data = String::new();
                    for line in block.lines() {
                        if let Some(value) = line.strip_prefix("event:") {
                            name = value.trim().to_owned();
                        } else if let Some(value) = line.strip_prefix("data:") {
                            data.push_str(value.trim_start());
                        }
                    }
                    if data.is_empty() {
                        continue;
                    }
                    return Some((name, serde_json::from_str(&data).expect("JSON data")));
                }
                let chunk = self.response.chunk().await.expect("read")?;
                self.buffer
                    .push_str(std::str::from_utf8(&chunk).expect("UTF-8"));
            }
        })
        .await
        .expect("an event within 10 s")
    }
}

/// Whether the owner's waiting list holds exactly `ids`, now.
async fn waiting_is(lobby: &Lobby, ids: Vec<String>) -> bool {
    lobby.waiting_ids().await == ids
}

per_backend!(
    a_waiting_guest_is_told_of_admission_at_once,
    |lobby: Lobby| async move {
        let guest = browser();
        let (_, body) = lobby.ask(&guest, "Alice").await;
        let id = body["id"].as_str().expect("id").to_owned();
        let path = format!("/events/rooms/{}/entry", lobby.room.slug);
        let mut events = Events::open(&lobby.app, &guest, &path).await;
        let (name, waiting) = events.next().await.expect("where they stand");
        assert_eq!(
            (name.as_str(), &waiting["status"]),
            ("entry", &json!("waiting"))
        );
        assert_eq!(waiting["id"], json!(id));

        let (status, _) = lobby.decide(&lobby.owner, &id, true).await;
        assert_eq!(status, 200);
        let (name, admitted) = events.next().await.expect("the admission");
        assert_eq!(
            (name.as_str(), &admitted["status"]),
            ("entry", &json!("accepted"))
        );
        assert_eq!(claims(&admitted["livekit"]["token"]).sub, id);
        assert!(events.next().await.is_none(), "the stream ends once in");
    }
);

per_backend!(
    an_open_stream_keeps_a_guest_waiting_and_closing_it_withdraws_them,
    |lobby: Lobby| async move {
        let guest = browser();
        let (_, body) = lobby.ask(&guest, "Bob").await;
        let id = body["id"].as_str().expect("id").to_owned();
        let path = format!("/events/rooms/{}/entry", lobby.room.id);
        let mut events = Events::open(&lobby.app, &guest, &path).await;
        events.next().await.expect("waiting");

        // Far past the 3 s a request lives without asking: the open stream holds it.
        lobby.clock.advance(Duration::from_secs(60));
        eventually("the stream keeps Bob waiting", || {
            waiting_is(&lobby, vec![id.clone()])
        })
        .await;

        drop(events);
        eventually("closing the stream withdraws Bob", || {
            waiting_is(&lobby, Vec::new())
        })
        .await;
        let (status, _) = lobby.decide(&lobby.owner, &id, true).await;
        assert_eq!(status, 404);

        // Nobody else's request can be followed, nor a room's without one.
        let response = browser()
            .get(lobby.app.url(&path))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 404, "a visitor with no request");
        let response = guest
            .get(lobby.app.url(&path))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 404, "a request withdrawn");
    }
);

per_backend!(
    hosts_are_told_who_waits_as_it_changes,
    |lobby: Lobby| async move {
        let path = format!("/events/rooms/{}/waiting", lobby.room.id);
        for (who, client, expected) in [
            ("a visitor", &browser(), 401),
            ("a logged-in stranger", &lobby.stranger, 403),
            ("a member", &lobby.member, 403),
        ] {
            let response = client
                .get(lobby.app.url(&path))
                .send()
                .await
                .expect("request");
            assert_eq!(response.status().as_u16(), expected, "{who}");
        }
        let mut events = Events::open(&lobby.app, &lobby.administrator, &path).await;
        assert_eq!(
            events.next().await,
            Some(("waiting".to_owned(), json!({"participants": []})))
        );
        let guest = browser();
        let (_, body) = lobby.ask(&guest, "Carol").await;
        let (name, list) = events.next().await.expect("Carol waits");
        assert_eq!(name, "waiting");
        assert_eq!(list["participants"][0]["id"], body["id"]);
        assert_eq!(list["participants"][0]["username"], "Carol");

        let id = body["id"].as_str().expect("id").to_owned();
        lobby.decide(&lobby.owner, &id, false).await;
        assert_eq!(
            events.next().await,
            Some(("waiting".to_owned(), json!({"participants": []}))),
            "refused: no longer waiting"
        );
    }
);

/// Two Meet instances on one PostgreSQL database: a guest waits on the first, a host admits them
/// on the second, and the guest's stream on the first is told at once.
#[tokio::test]
async fn a_guest_waiting_on_one_instance_is_admitted_from_another() {
    let Some(lobby) = Lobby::start(true).await else {
        eprintln!("skipped: TEST_POSTGRES_URL is not set");
        return;
    };
    let other = spawn_app_with(AppOptions {
        database: Some(lobby.app.database.another_instance().await),
        clock: Some(lobby.clock.clone()),
        ..AppOptions::default()
    })
    .await
    .expect("a second instance");
    let guest = browser();
    let (_, body) = lobby.ask(&guest, "Dana").await;
    let id = body["id"].as_str().expect("id").to_owned();
    let mut events = Events::open(
        &lobby.app,
        &guest,
        &format!("/events/rooms/{}/entry", lobby.room.id),
    )
    .await;
    assert_eq!(events.next().await.expect("waiting").1["status"], "waiting");

    let owner = other.client_for(&lobby.owner_user).await;
    let request = owner
        .post(other.url(&lobby.path(ENTER)))
        .json(&json!({"participant_id": id, "allow_entry": true}));
    let (status, _) = call(&lobby.spec, "post", ENTER, request).await;
    assert_eq!(status, 200, "admitted on the second instance");

    let (name, admitted) = events.next().await.expect("heard on the first");
    assert_eq!(
        (name.as_str(), &admitted["status"]),
        ("entry", &json!("accepted"))
    );
    assert_eq!(
        claims(&admitted["livekit"]["token"]).sub,
        id,
        "a token that verifies"
    );
}

per_backend!(a_removed_guest_must_ask_again, |lobby: Lobby| async move {
    let guest = browser();
    let (_, body) = lobby.ask(&guest, "Eve").await;
    let id = body["id"].as_str().expect("id").to_owned();
    lobby.decide(&lobby.owner, &id, true).await;
    let (_, admitted) = lobby.ask(&guest, "Eve").await;
    assert_eq!(admitted["status"], "accepted");
    lobby
        .app
        .livekit
        .add_participant(&lobby.room.livekit_name(), &id, "Eve", [("color", "blue")]);

    let remove = "/api/v1.0/rooms/{id}/remove-participant/";
    let (status, _) = lobby
        .post(&lobby.owner, remove, json!({"participant_identity": id}))
        .await;
    assert_eq!(status, 200);
    assert!(
        lobby
            .app
            .livekit
            .participant(&lobby.room.livekit_name(), &id)
            .is_none()
    );
    assert_eq!(lobby.stored(&id).await, None, "the admission is gone");
    let (_, again) = lobby.ask(&guest, "Eve").await;
    assert_eq!(
        (&again["status"], &again["livekit"]),
        (&json!("waiting"), &Value::Null)
    );
});

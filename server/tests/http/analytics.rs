//! Product analytics end to end: each server-side event emitted by the action that should emit
//! it and by nothing else; the browser endpoint storing catalogue events from a participant and
//! refusing everything else with nothing stored; the operators' usage page and its CSV from a
//! seeded set of events; the retention purge; the PostHog sink against a local capture server,
//! and its drops counted in `/metrics`.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::routing::post;
use chrono::{DateTime, Utc};
use meet_domain::analytics::{Event, LobbyOutcome, Recorded, queries};
use meet_domain::testing::{TestDatabase, eventually, registered_room};
use meet_server::config::{Backends, Config, Emails, Secret};
use meet_types::{AccessLevel, EndReason};
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::dev_provider::DevClient;
use crate::helpers::{AppOptions, TestApp, browser, call_server_fn, get_json, spawn_app_with};
use crate::openapi::{ApiSpec, call};

const EVENTS: &str = "/api/v1.0/analytics/events/";
const SECRET: &str = "an analytics secret of 32 chars+";

/// Turns analytics on, into the database.
fn into_db(config: &mut Config) {
    config.analytics.analytics_backend = Backends {
        db: true,
        posthog: false,
    };
    config.analytics.analytics_secret = Some(Secret::new(SECRET));
}

/// Every stored event, once the app's queues are empty.
async fn stored(app: &TestApp) -> Vec<Recorded> {
    app.services.analytics.flush().await;
    queries::all(&app.database.store).await.expect("events")
}

async fn names(app: &TestApp) -> Vec<&'static str> {
    stored(app)
        .await
        .iter()
        .map(|event| event.event.name())
        .collect()
}

/// Everything the `analytics_events` table holds, as text, to look for what must not be there.
async fn raw_table(app: &TestApp) -> String {
    let sql = "SELECT name || '|' || COALESCE(actor, '') || '|' || COALESCE(room, '') || '|' || \
               COALESCE(meeting, '') || '|' || properties FROM analytics_events";
    let rows: Vec<String> = match &app.database.store {
        meet_domain::Store::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
        meet_domain::Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
    }
    .expect("rows");
    rows.join("\n")
}

mod server_events {
    use super::*;

    #[tokio::test]
    async fn sqlite() {
        come_from_their_actions_and_nothing_else(false).await;
    }

    #[tokio::test]
    async fn postgres() {
        if std::env::var("TEST_POSTGRES_URL").is_err() {
            eprintln!("skipped: TEST_POSTGRES_URL is not set");
            return;
        }
        come_from_their_actions_and_nothing_else(true).await;
    }
}

async fn come_from_their_actions_and_nothing_else(postgres: bool) {
    let media = TempDir::new().expect("media folder");
    let folder = media.path().to_owned();
    let Some(app) = spawn_app_with(AppOptions {
        login: Some(DevClient::Json),
        postgres,
        configure: Box::new(move |config| {
            into_db(config);
            config.recording.recording_enable = true;
            config.recording.recording_storage_folder = folder;
        }),
        ..AppOptions::default()
    })
    .await
    else {
        return;
    };
    assert_eq!(names(&app).await, Vec::<&str>::new());

    // Logging in: `login`; reading one's profile: nothing.
    app.log_in("alice").await;
    let me = app
        .client
        .get(app.url("/api/v1.0/users/me/"))
        .send()
        .await
        .expect("me");
    assert_eq!(me.status(), 200);
    assert_eq!(names(&app).await, ["login"]);

    // Creating a room: `room_created`; listing and opening rooms: nothing.
    let created: Value = app
        .client
        .post(app.url("/api/v1.0/rooms/"))
        .json(&json!({ "name": "Weekly sync" }))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("JSON");
    let room_id = created["id"].as_str().expect("an id").to_owned();
    let slug = created["slug"].as_str().expect("a slug").to_owned();
    let list = app
        .client
        .get(app.url("/api/v1.0/rooms/"))
        .send()
        .await
        .expect("list");
    assert_eq!(list.status(), 200);
    let room = get_json(&app.client, app.url(&format!("/api/v1.0/rooms/{slug}/"))).await;
    assert_eq!(names(&app).await, ["login", "room_created"]);

    // Raising one's hand: `hand_raised`; lowering it: nothing.
    let token = room["livekit"]["token"]
        .as_str()
        .expect("a token")
        .to_owned();
    let identity = livekit_api::access_token::TokenVerifier::with_api_key("devkey", "secret")
        .verify(&token)
        .expect("claims")
        .sub;
    app.livekit
        .add_participant(&room_id, &identity, "Alice", [("color", "red")]);
    for raised in [true, false] {
        let toggled = app
            .client
            .post(app.url(&format!("/api/v1.0/rooms/{room_id}/toggle-hand/")))
            .bearer_auth(&token)
            .json(&json!({ "raised": raised }))
            .send()
            .await
            .expect("toggle");
        assert_eq!(toggled.status(), 200);
    }
    assert_eq!(names(&app).await, ["login", "room_created", "hand_raised"]);

    // Rating the call: `feedback_rated`, with the rating.
    let (status, _) =
        call_server_fn(&app, &app.client, "/api/feedback/send", &[("rating", "4")]).await;
    assert_eq!(status, 200);

    // A guest waits in the lobby of the room made restricted; the host lets them in: one
    // `lobby_waited`, however many times the host says yes.
    let restricted = app
        .client
        .patch(app.url(&format!("/api/v1.0/rooms/{room_id}/")))
        .json(&json!({ "access_level": "restricted" }))
        .send()
        .await
        .expect("patch");
    assert_eq!(restricted.status(), 200);
    let guest = browser();
    let asked: Value = guest
        .post(app.url(&format!("/api/v1.0/rooms/{room_id}/request-entry/")))
        .json(&json!({ "username": "Gus" }))
        .send()
        .await
        .expect("ask")
        .json()
        .await
        .expect("JSON");
    assert_eq!(asked["status"], "waiting", "{asked}");
    for _ in 0..2 {
        let let_in = app
            .client
            .post(app.url(&format!("/api/v1.0/rooms/{room_id}/enter/")))
            .json(&json!({ "participant_id": asked["id"], "allow_entry": true }))
            .send()
            .await
            .expect("enter");
        assert_eq!(let_in.status(), 200);
    }

    // Recording: started, stopped, ready (once the worker's webhooks arrive).
    app.livekit
        .set_webhook_url(Some(&app.url("/api/v1.0/rooms/webhooks-livekit/")));
    let recording = app
        .record_once(&app.client, &slug, "screen_recording")
        .await;
    assert_eq!(recording["status"], "notification_succeeded", "{recording}");

    let events = stored(&app).await;
    let names: Vec<&str> = events.iter().map(|event| event.event.name()).collect();
    assert_eq!(
        names,
        [
            "login",
            "room_created",
            "hand_raised",
            "feedback_rated",
            "lobby_waited",
            "recording_started",
            "recording_stopped",
            "recording_ready",
        ]
    );
    let by_name = |name: &str| {
        events
            .iter()
            .find(|event| event.event.name() == name)
            .expect("the event")
    };
    assert_eq!(
        by_name("feedback_rated").event,
        Event::FeedbackRated { rating: 4 }
    );
    assert!(matches!(
        by_name("lobby_waited").event,
        Event::LobbyWaited {
            outcome: LobbyOutcome::Admitted,
            ..
        }
    ));
    // Alice is one hash wherever she acts; the guest in the lobby, the recorder: nobody.
    let alice = by_name("login").actor.clone().expect("alice's hash");
    for name in ["room_created", "hand_raised", "feedback_rated"] {
        assert_eq!(by_name(name).actor.as_ref(), Some(&alice), "{name}");
    }
    for name in ["lobby_waited", "recording_started", "recording_ready"] {
        assert_eq!(by_name(name).actor, None, "{name}");
    }
    // One room, one hash, for every event that happened in it.
    let room_hash = by_name("hand_raised").room.clone().expect("a room");
    for name in [
        "lobby_waited",
        "recording_started",
        "recording_stopped",
        "recording_ready",
    ] {
        assert_eq!(by_name(name).room.as_ref(), Some(&room_hash), "{name}");
    }
    // Nobody's identity, email, name or room in clear.
    let table = raw_table(&app).await;
    for clear in [
        identity.as_str(),
        "alice",
        "example",
        "Gus",
        "Weekly",
        &room_id,
        &slug,
    ] {
        assert!(
            !table.contains(clear),
            "{clear:?} stored in clear:\n{table}"
        );
    }
}

/// A guest in a public meeting: the app and the guest's LiveKit token.
async fn guest_in_meeting(app: &TestApp) -> String {
    let owner = app.user("owner").await;
    let room = registered_room(
        &app.database.store,
        &owner,
        "Open call",
        AccessLevel::Public,
    )
    .await;
    let entered = get_json(
        &browser(),
        app.url(&format!("/api/v1.0/rooms/{}/", room.slug)),
    )
    .await;
    entered["livekit"]["token"]
        .as_str()
        .expect("a token")
        .to_owned()
}

/// Sends `body` to the events endpoint with `token` (none: no header); the status and body, as
/// the OpenAPI document describes them.
async fn send(app: &TestApp, spec: &ApiSpec, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut request = browser().post(app.url(EVENTS)).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    call(spec, "post", EVENTS, request).await
}

#[tokio::test]
async fn browser_events_are_stored_once_checked_and_refused_whole_otherwise() {
    let app = spawn_app_with(AppOptions {
        configure: Box::new(into_db),
        ..AppOptions::default()
    })
    .await
    .expect("app");
    let spec = ApiSpec::fetch(&app).await;
    let token = guest_in_meeting(&app).await;
    let meeting = "RM_Session42";
    let batch = json!({
        "meeting": meeting,
        "events": [
            { "event": "meeting_joined", "properties": { "participants": 2 } },
            { "event": "chat_message_sent" },
            { "event": "reaction_sent", "properties": { "emoji": "🎉" } },
            { "event": "screen_share_started" },
            { "event": "meeting_left", "properties": { "duration_seconds": 95, "participants": 2, "reason": "left" } },
        ],
    });
    let (status, body) = send(&app, &spec, Some(&token), batch.clone()).await;
    assert_eq!(status, 204, "{body}");
    let events = stored(&app).await;
    assert_eq!(
        events.iter().map(|e| e.event.name()).collect::<Vec<_>>(),
        [
            "meeting_joined",
            "chat_message_sent",
            "reaction_sent",
            "screen_share_started",
            "meeting_left"
        ]
    );
    // All in one meeting of one room, by one guest counted only there.
    for event in &events {
        assert_eq!(event.meeting, events[0].meeting);
        assert_eq!(event.room, events[0].room);
        assert_eq!(event.actor, events[0].actor);
        assert!(event.meeting.is_some() && event.actor.is_some() && event.room.is_some());
    }
    assert_eq!(
        events[4].event,
        Event::MeetingLeft {
            duration_seconds: 95,
            participants: 2,
            reason: EndReason::Left
        }
    );
    let (status, _) = send(
        &app,
        &spec,
        Some(&token),
        json!({ "events": [{ "event": "media_server_unreachable" }] }),
    )
    .await;
    assert_eq!(status, 204);
    let count = stored(&app).await.len();
    assert_eq!(count, 6);

    // Refused whole, nothing stored: each case says which field.
    let chat = json!({ "event": "chat_message_sent" });
    let many: Vec<Value> = (0..51).map(|_| chat.clone()).collect();
    let cases = [
        (
            json!({ "meeting": meeting, "events": [chat, { "event": "page_viewed" }] }),
            "events[1]",
        ),
        (
            json!({ "meeting": meeting, "events": [{ "event": "login" }] }),
            "events[0]",
        ),
        (
            json!({ "meeting": meeting, "events": [{ "event": "room_created" }] }),
            "events[0]",
        ),
        (
            json!({ "meeting": meeting, "events": [{ "event": "chat_message_sent", "properties": { "text": "hi" } }] }),
            "events[0]",
        ),
        (
            json!({ "meeting": meeting, "events": [{ "event": "reaction_sent", "properties": { "emoji": "<b>" } }] }),
            "events[0]",
        ),
        (
            json!({ "meeting": meeting, "events": [{ "event": "meeting_joined", "properties": { "participants": 0 } }] }),
            "events[0]",
        ),
        (
            json!({ "meeting": meeting, "events": [{ "event": "meeting_left", "properties": { "duration_seconds": 99999999, "participants": 2, "reason": "left" } }] }),
            "events[0]",
        ),
        (json!({ "events": [chat] }), "events[0]"),
        (json!({ "meeting": "../etc", "events": [chat] }), "meeting"),
        (json!({ "meeting": meeting, "events": many }), "events"),
        (json!({ "meeting": meeting, "events": [] }), "events"),
        (json!({ "meeting": meeting }), "events"),
        (
            json!({ "meeting": meeting, "events": "chat_message_sent" }),
            "events",
        ),
    ];
    for (body, field) in cases {
        let (status, answer) = send(&app, &spec, Some(&token), body.clone()).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(answer.get(field).is_some(), "{body}: {answer}");
    }
    // Who is asking, first: no token, another's garbage, a token signed with another secret.
    let forged = {
        use livekit_api::access_token::{AccessToken, VideoGrants};
        AccessToken::with_api_key("devkey", "another secret")
            .with_identity("someone")
            .with_grants(VideoGrants {
                room_join: true,
                room: "any".into(),
                ..VideoGrants::default()
            })
            .to_jwt()
            .expect("jwt")
    };
    for token in [None, Some("not-a-token"), Some(forged.as_str())] {
        let (status, _) = send(&app, &spec, token, batch.clone()).await;
        assert_eq!(status, 401, "{token:?}");
    }
    // Not JSON.
    let response = browser()
        .post(app.url(EVENTS))
        .bearer_auth(&token)
        .body("events=1")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 415);
    assert_eq!(
        stored(&app).await.len(),
        count,
        "a refused batch stored something"
    );

    // Too many batches: refused (429) with nothing stored, the rest stored.
    let mut accepted = 0;
    let mut limited = 0;
    for _ in 0..30 {
        let one = json!({ "meeting": meeting, "events": [{ "event": "chat_message_sent" }] });
        match send(&app, &spec, Some(&token), one).await.0 {
            204 => accepted += 1,
            429 => limited += 1,
            other => panic!("answered {other}"),
        }
    }
    assert!(limited > 0, "never limited");
    assert_eq!(stored(&app).await.len(), count + accepted);
}

#[tokio::test]
async fn with_analytics_off_browser_events_are_taken_and_dropped() {
    let app = spawn_app_with(AppOptions::default()).await.expect("app");
    let spec = ApiSpec::fetch(&app).await;
    let token = guest_in_meeting(&app).await;
    let body = json!({ "meeting": "RM_x1", "events": [{ "event": "chat_message_sent" }] });
    let (status, _) = send(&app, &spec, Some(&token), body).await;
    assert_eq!(status, 204);
    assert!(stored(&app).await.is_empty());
    let config = get_json(&browser(), app.url("/api/v1.0/config/")).await;
    assert_eq!(config["analytics"], json!({}));
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("a time")
}

fn seeded(
    time: &str,
    event: Event,
    actor: Option<&str>,
    room: &str,
    meeting: Option<&str>,
) -> Recorded {
    let hash = |text: &str| format!("{text:0>32}");
    Recorded {
        id: uuid::Uuid::new_v4(),
        occurred_at: at(time),
        event,
        actor: actor.map(hash),
        room: Some(hash(room)),
        meeting: meeting.map(hash),
    }
}

/// Two meetings on one day, one the next, a lobby wait and two ratings; and one event long
/// before, past any retention.
fn seed() -> Vec<Recorded> {
    let joined = Event::MeetingJoined { participants: 1 };
    let left = Event::MeetingLeft {
        duration_seconds: 1,
        participants: 1,
        reason: EndReason::Left,
    };
    vec![
        seeded("2025-01-01T10:00:00Z", Event::Login, Some("a"), "r1", None),
        // m1: a 10:00–10:40, b 10:10–10:20. 40 min. Chat.
        seeded(
            "2026-11-02T10:00:00Z",
            joined.clone(),
            Some("a"),
            "r1",
            Some("m1"),
        ),
        seeded(
            "2026-11-02T10:10:00Z",
            joined.clone(),
            Some("b"),
            "r1",
            Some("m1"),
        ),
        seeded(
            "2026-11-02T10:15:00Z",
            Event::ChatMessageSent,
            Some("b"),
            "r1",
            Some("m1"),
        ),
        seeded(
            "2026-11-02T10:20:00Z",
            left.clone(),
            Some("b"),
            "r1",
            Some("m1"),
        ),
        seeded(
            "2026-11-02T10:40:00Z",
            left.clone(),
            Some("a"),
            "r1",
            Some("m1"),
        ),
        // m2: c 10:05–10:25, 20 min. Screen share.
        seeded(
            "2026-11-02T10:05:00Z",
            joined.clone(),
            Some("c"),
            "r2",
            Some("m2"),
        ),
        seeded(
            "2026-11-02T10:06:00Z",
            Event::ScreenShareStarted,
            Some("c"),
            "r2",
            Some("m2"),
        ),
        seeded(
            "2026-11-02T10:25:00Z",
            left.clone(),
            Some("c"),
            "r2",
            Some("m2"),
        ),
        // m3 the next day: a 09:00–10:00, 60 min.
        seeded("2026-11-03T09:00:00Z", joined, Some("a"), "r1", Some("m3")),
        seeded("2026-11-03T10:00:00Z", left, Some("a"), "r1", Some("m3")),
        seeded(
            "2026-11-03T11:00:00Z",
            Event::LobbyWaited {
                wait_seconds: 42,
                outcome: LobbyOutcome::Admitted,
            },
            None,
            "r1",
            None,
        ),
        seeded(
            "2026-11-03T12:00:00Z",
            Event::FeedbackRated { rating: 5 },
            None,
            "r1",
            None,
        ),
        seeded(
            "2026-11-03T12:01:00Z",
            Event::FeedbackRated { rating: 3 },
            None,
            "r1",
            None,
        ),
    ]
}

#[tokio::test]
async fn the_usage_page_shows_the_hand_computed_figures_to_operators_only() {
    let database = TestDatabase::sqlite().await;
    queries::insert(&database.store, &seed())
        .await
        .expect("seed");
    let app = spawn_app_with(AppOptions {
        database: Some(database),
        configure: Box::new(|config| {
            into_db(config);
            config.analytics.meet_admin_emails = Emails(vec!["Operator@Example.org".to_owned()]);
        }),
        ..AppOptions::default()
    })
    .await
    .expect("app");
    let operator = app.client_for(&app.user("operator").await).await;
    let someone = app.client_for(&app.user("someone").await).await;
    let period = "from=2026-11-01&to=2026-11-04";

    // Everyone else: 404, page and CSV alike.
    for client in [&someone, &browser()] {
        for path in [
            format!("/admin/usage?{period}"),
            format!("/admin/usage.csv?{period}"),
            "/admin/usage".to_owned(),
        ] {
            let response = client.get(app.url(&path)).send().await.expect("get");
            assert_eq!(response.status(), 404, "{path}");
        }
    }

    let csv = |table: &'static str| {
        let operator = operator.clone();
        let url = app.url(&format!("/admin/usage.csv?{period}&table={table}"));
        async move {
            let response = operator.get(url).send().await.expect("csv");
            assert_eq!(response.status(), 200);
            assert_eq!(
                crate::helpers::header(&response, "content-type"),
                "text/csv; charset=utf-8"
            );
            response.text().await.expect("text")
        }
    };
    // Nov 2: m1 and m2 start; a, b, c join; peak 10:10–10:20: a, b, c = 3.
    // Nov 3: m3; a; peak 1.
    assert_eq!(
        csv("days").await,
        "day,meetings,participants,peak_concurrent_participants\r\n\
         2026-11-01,0,0,0\r\n\
         2026-11-02,2,3,3\r\n\
         2026-11-03,1,1,1\r\n\
         2026-11-04,0,0,0\r\n"
    );
    // Chat in m1, screen share in m2: each in 1 of 3 meetings.
    assert_eq!(
        csv("features").await,
        "feature,meetings,share_of_meetings\r\n\
         Screen sharing,1,0.333\r\n\
         Chat,1,0.333\r\n\
         Reactions,0,0.000\r\n\
         Raised hands,0,0.000\r\n\
         Recording or transcription,0,0.000\r\n"
    );
    assert_eq!(
        csv("lobby").await,
        "outcome,waits,median_wait_seconds\r\nadmitted,1,42\r\ndenied,0,\r\n"
    );
    assert_eq!(
        csv("ratings").await,
        "rating,calls\r\n1,0\r\n2,0\r\n3,1\r\n4,0\r\n5,1\r\n"
    );

    // Staff (marked in the database) may see it too.
    let staffer = app.user("staffer").await;
    let sql = "UPDATE users SET is_staff = TRUE WHERE id = $1";
    match &app.database.store {
        meet_domain::Store::Sqlite(pool) => sqlx::query(sql)
            .bind(staffer.id)
            .execute(pool)
            .await
            .map(drop),
        meet_domain::Store::Postgres(pool) => sqlx::query(sql)
            .bind(staffer.id)
            .execute(pool)
            .await
            .map(drop),
    }
    .expect("staff");
    let staff = app.client_for(&staffer).await;
    let seen = staff
        .get(app.url("/admin/usage"))
        .send()
        .await
        .expect("page");
    assert_eq!(seen.status(), 200);

    let page = operator
        .get(app.url(&format!("/admin/usage?{period}")))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    // Without the renderer's empty comments (`<!>`), which mark where text nodes meet.
    let html = page.text().await.expect("html").replace("<!>", "");
    // The summary: 3 meetings, 3 people, 3 at once, a median meeting of 40 minutes (20, 40,
    // 60), a mean rating of 4.
    for (name, value) in [
        ("Meetings", "3"),
        ("Participants", "3"),
        ("Peak at once", "3"),
        ("Median meeting", "40 min 00 s"),
        ("Mean rating", "4.0 / 5"),
    ] {
        let shown = format!("<dt>{name}</dt><dd>{value}</dd>");
        assert!(html.contains(&shown), "{shown} not in the page:\n{html}");
    }
    // Each chart has its table, and the page needs no script.
    assert!(html.contains("<th scope=\"row\">2026-11-02</th><td>2</td><td>3</td><td>3</td>"));
    assert!(html.contains("<figure class=\"usage-chart\">"));
    assert!(!html.contains("<script"));

    // A period that cannot be read: 400, said, the form kept.
    let bad = operator
        .get(app.url("/admin/usage?from=2026-11-05&to=2026-11-01"))
        .send()
        .await
        .expect("bad");
    assert_eq!(bad.status(), 400);
    let html = bad.text().await.expect("html");
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(html.contains("value=\"2026-11-05\""), "{html}");
    let hostile = operator
        .get(app.url("/admin/usage?from=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"))
        .send()
        .await
        .expect("hostile");
    assert_eq!(hostile.status(), 400);
    assert!(
        !hostile
            .text()
            .await
            .expect("html")
            .contains("<script>alert")
    );
    let table = operator
        .get(app.url("/admin/usage.csv?table=users"))
        .send()
        .await
        .expect("csv");
    assert_eq!(table.status(), 400);
}

#[tokio::test]
async fn events_past_their_retention_are_purged() {
    let database = TestDatabase::sqlite().await;
    let days_ago = |days: i64| (Utc::now() - chrono::Duration::days(days)).to_rfc3339();
    let events = vec![
        seeded(&days_ago(400), Event::Login, Some("a"), "r1", None),
        seeded(&days_ago(366), Event::RoomCreated, Some("a"), "r1", None),
        seeded(&days_ago(300), Event::Login, Some("b"), "r1", None),
        seeded(
            &days_ago(1),
            Event::FeedbackRated { rating: 5 },
            None,
            "r1",
            None,
        ),
    ];
    queries::insert(&database.store, &events)
        .await
        .expect("seed");
    let app = spawn_app_with(AppOptions {
        database: Some(database),
        configure: Box::new(|config| {
            into_db(config);
            config.analytics.analytics_retention_days = 365;
        }),
        ..AppOptions::default()
    })
    .await
    .expect("app");
    // The purge runs at startup, then every hour.
    eventually("the events older than 365 days are purged", || async {
        queries::all(&app.database.store)
            .await
            .expect("events")
            .len()
            == 2
    })
    .await;
    let left: Vec<uuid::Uuid> = queries::all(&app.database.store)
        .await
        .expect("events")
        .iter()
        .map(|event| event.id)
        .collect();
    assert_eq!(left, [events[2].id, events[3].id]);
}

/// A PostHog-compatible capture endpoint that keeps what it is sent.
struct CaptureServer {
    url: String,
    received: Arc<Mutex<Vec<Value>>>,
}

impl CaptureServer {
    async fn start() -> Self {
        let received = Arc::new(Mutex::new(Vec::new()));
        let kept = received.clone();
        let router = axum::Router::new().route(
            "/batch/",
            post(move |Json(body): Json<Value>| {
                let kept = kept.clone();
                async move {
                    kept.lock().unwrap().push(body);
                    Json(json!({ "status": 1 }))
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { url, received }
    }
}

fn into_posthog(config: &mut Config, host: &str) {
    config.analytics.analytics_backend = Backends {
        db: true,
        posthog: true,
    };
    config.analytics.analytics_secret = Some(Secret::new(SECRET));
    config.analytics.analytics_posthog_host = Some(host.parse().expect("a URL"));
    config.analytics.analytics_posthog_key = Some("phc_test_key".to_owned());
    config.analytics.metrics_token = Some(Secret::new("scrape"));
}

async fn metrics(app: &TestApp) -> String {
    let response = browser()
        .get(app.url("/metrics"))
        .bearer_auth("scrape")
        .send()
        .await
        .expect("metrics");
    assert_eq!(response.status(), 200);
    response.text().await.expect("text")
}

/// The value of the sample `series` (name and labels as written) in `metrics`.
fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
}

#[tokio::test]
async fn events_reach_a_posthog_capture_endpoint_in_batches() {
    let capture = CaptureServer::start().await;
    let host = capture.url.clone();
    let app = spawn_app_with(AppOptions {
        configure: Box::new(move |config| into_posthog(config, &host)),
        ..AppOptions::default()
    })
    .await
    .expect("app");
    let config = get_json(&browser(), app.url("/api/v1.0/config/")).await;
    assert_eq!(
        config["analytics"],
        json!({ "id": "phc_test_key", "host": capture.url })
    );
    let alice = app.client_for(&app.user("alice").await).await;
    for name in ["One", "Two"] {
        let created = alice
            .post(app.url("/api/v1.0/rooms/"))
            .json(&json!({ "name": name }))
            .send()
            .await
            .expect("create");
        assert_eq!(created.status(), 201);
    }
    let (status, _) =
        call_server_fn(&app, &browser(), "/api/feedback/send", &[("rating", "2")]).await;
    assert_eq!(status, 200);
    app.services.analytics.flush().await;
    let batches = capture.received.lock().unwrap().clone();
    let events: Vec<&Value> = batches
        .iter()
        .flat_map(|batch| {
            assert_eq!(batch["api_key"], "phc_test_key");
            batch["batch"].as_array().expect("a batch")
        })
        .collect();
    let names: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["room_created", "room_created", "feedback_rated"]);
    // The same events in the database, with the same ids and hashes.
    let stored = stored(&app).await;
    for (sent, kept) in events.iter().zip(&stored) {
        assert_eq!(sent["uuid"], kept.id.to_string());
        assert_eq!(sent["event"], kept.event.name());
        match &kept.actor {
            Some(actor) => assert_eq!(&sent["distinct_id"], actor),
            None => {
                assert_eq!(sent["distinct_id"], kept.id.to_string());
                assert_eq!(sent["properties"]["$process_person_profile"], false);
            }
        }
        assert!(sent["timestamp"].as_str().unwrap().ends_with('Z'));
    }
    assert_eq!(events[2]["properties"]["rating"], 2);
    let metrics = metrics(&app).await;
    assert_eq!(
        sample(
            &metrics,
            "meet_analytics_events_written_total{sink=\"posthog\"}"
        ),
        Some(3.0)
    );
    assert_eq!(
        sample(
            &metrics,
            "meet_analytics_events_dropped_total{sink=\"posthog\"}"
        ),
        Some(0.0)
    );
}

#[tokio::test]
async fn a_dead_capture_endpoint_drops_and_counts_while_the_database_keeps_all() {
    // A port nobody listens on.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}", listener.local_addr().expect("address"))
    };
    let app = spawn_app_with(AppOptions {
        configure: Box::new(move |config| into_posthog(config, &closed)),
        ..AppOptions::default()
    })
    .await
    .expect("app");
    let alice = app.client_for(&app.user("alice").await).await;
    for index in 0..5 {
        let created = alice
            .post(app.url("/api/v1.0/rooms/"))
            .json(&json!({ "name": format!("Room {index}") }))
            .send()
            .await
            .expect("create");
        assert_eq!(created.status(), 201);
    }
    assert_eq!(stored(&app).await.len(), 5);
    let metrics = metrics(&app).await;
    assert_eq!(
        sample(
            &metrics,
            "meet_analytics_events_dropped_total{sink=\"posthog\"}"
        ),
        Some(5.0),
        "{metrics}"
    );
    assert_eq!(
        sample(&metrics, "meet_analytics_events_written_total{sink=\"db\"}"),
        Some(5.0)
    );
}

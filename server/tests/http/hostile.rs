//! What a hostile visitor tries, over HTTP: reaching a closed room's LiveKit room through another
//! spelling of its (public) id, choosing one's LiveKit identity through the guest cookie, taking
//! over a meeting code others use, and oversized input.

use livekit_api::access_token::TokenVerifier;
use meet_domain::per_backend;
use meet_types::AccessLevel;
use reqwest::Client;
use serde_json::{Value, json};

use crate::helpers::{TestApp, browser, call_server_fn, get_json, spawn_app};

fn room_url(app: &TestApp, key: &str) -> String {
    app.url(&format!("/api/v1.0/rooms/{}/", urlencode(key)))
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// `get_room`, the server function behind the meeting page, as a script would call it.
async fn get_room(app: &TestApp, client: &Client, key: &str) -> (u16, Value) {
    call_server_fn(app, client, "/api/rooms/get", &[("key", key)]).await
}

/// Presses Join on the meeting page: the `rooms/join` server function.
async fn join(app: &TestApp, client: &Client, key: &str, username: &str) -> (u16, Value) {
    call_server_fn(
        app,
        client,
        "/api/rooms/join",
        &[("key", key), ("username", username)],
    )
    .await
}

/// The meeting page's data carries no credentials; pressing Join mints them, under the same
/// rules as the REST API, with the name the person picked.
#[tokio::test]
async fn credentials_are_minted_when_join_is_pressed_not_with_the_page() {
    let app = spawn_app().await;
    let (status, entry) = get_room(&app, &browser(), "abc-defg-hij").await;
    assert_eq!(status, 200, "{entry}");
    assert_eq!(entry["admission"], "direct", "{entry}");
    assert!(!entry.to_string().contains("token"), "{entry}");

    let (status, joining) = join(&app, &browser(), "abc-defg-hij", "  Zoé  ").await;
    assert_eq!(status, 200, "{joining}");
    let token = joining["Enter"]["token"].as_str().expect("a token");
    let claims = TokenVerifier::with_api_key("devkey", "secret")
        .verify(token)
        .expect("valid token");
    assert_eq!(claims.video.room, "abc-defg-hij");
    assert_eq!(claims.name, "Zoé");

    // A name longer than the API allows is refused, and nothing is minted.
    let (status, refused) = join(&app, &browser(), "abc-defg-hij", &"x".repeat(300)).await;
    assert_eq!(status, 400, "{refused}");
    assert!(!refused.to_string().contains("token"), "{refused}");
    // An address that is no meeting is not found.
    let (status, _) = join(&app, &browser(), "no-such-room", "Zoé").await;
    assert_eq!(status, 404);
}

fn token_room(token: &str) -> String {
    TokenVerifier::with_api_key("devkey", "secret")
        .verify(token)
        .expect("valid token")
        .video
        .room
}

#[tokio::test]
async fn no_spelling_of_a_closed_rooms_id_gives_a_token_for_it() {
    let app = spawn_app().await;
    let owner = app.user("owner").await;
    for level in [AccessLevel::Restricted, AccessLevel::Trusted] {
        let room = meet_domain::testing::registered_room(
            &app.database.store,
            &owner,
            &format!("{level} board"),
            level,
        )
        .await;
        // The id is public: any answer about the room shows it.
        let shown: Value = get_json(&browser(), room_url(&app, &room.slug)).await;
        assert_eq!(shown["id"], room.id.to_string());
        assert!(shown.get("livekit").is_none(), "{shown}");

        let id = room.id.to_string();
        for spelling in [
            format!("-{id}"),
            format!("_{id}"),
            format!(".{id}"),
            format!("!{id}"),
            format!(" {id}"),
            format!("{id}-"),
            id.to_uppercase(),
        ] {
            let response = browser()
                .get(room_url(&app, &spelling))
                .send()
                .await
                .expect("get");
            assert_eq!(response.status(), 200, "{spelling:?}");
            let body: Value = response.json().await.expect("json");
            assert_eq!(body["id"], id, "{spelling:?} is the room itself");
            assert!(body.get("livekit").is_none(), "{spelling:?}: {body}");

            let (status, entry) = get_room(&app, &browser(), &spelling).await;
            assert_eq!(status, 200, "{spelling:?}: {entry}");
            assert_eq!(entry["room"]["id"], id, "{spelling:?}");
            assert_eq!(entry["admission"], "lobby", "{spelling:?}: {entry}");
            let (status, joining) = join(&app, &browser(), &spelling, "Mallory").await;
            assert_eq!(status, 200, "{spelling:?}: {joining}");
            assert_eq!(joining, "Wait", "{spelling:?}: {joining}");
        }
    }
}

#[tokio::test]
async fn a_guest_cannot_choose_its_identity() {
    let app = spawn_app().await;
    let victim = app.user("0b8e9c50-7d63-4f25-9a76-3a3f3c6f3b10").await;
    let victim_client = app.client_for(&victim).await;
    let victim_body: Value = get_json(&victim_client, room_url(&app, "abc-defg-hij")).await;
    let victim_identity = TokenVerifier::with_api_key("devkey", "secret")
        .verify(victim_body["livekit"]["token"].as_str().expect("token"))
        .expect("valid")
        .sub;
    assert_eq!(victim_identity, "0b8e9c50-7d63-4f25-9a76-3a3f3c6f3b10");

    // Another guest's identity is seen by everyone in the meeting.
    let other_guest = browser();
    let other: Value = get_json(&other_guest, room_url(&app, "abc-defg-hij")).await;
    let other_identity = TokenVerifier::with_api_key("devkey", "secret")
        .verify(other["livekit"]["token"].as_str().expect("token"))
        .expect("valid")
        .sub;

    for chosen in [&victim_identity, &other_identity] {
        let response = reqwest::Client::new()
            .get(room_url(&app, "abc-defg-hij"))
            .header("cookie", format!("lobbyParticipantId={chosen}"))
            .send()
            .await
            .expect("get");
        let cookie = crate::helpers::header(&response, "set-cookie");
        assert!(
            cookie.starts_with("lobbyParticipantId="),
            "a new identity is issued: {cookie}"
        );
        let body: Value = response.json().await.expect("json");
        let identity = TokenVerifier::with_api_key("devkey", "secret")
            .verify(body["livekit"]["token"].as_str().expect("token"))
            .expect("valid")
            .sub;
        assert_ne!(&identity, chosen, "the chosen identity is not taken");
    }
}

#[tokio::test]
async fn a_meeting_code_in_use_cannot_be_taken_over() {
    let app = spawn_app().await;
    let squatter = app.client_for(&app.user("squatter").await).await;
    // People meet at an unregistered code…
    let before: Value = get_json(&browser(), room_url(&app, "xyz-abcd-efg")).await;
    assert_eq!(
        token_room(before["livekit"]["token"].as_str().expect("token")),
        "xyz-abcd-efg"
    );

    // …someone registers a restricted room under that code…
    for name in ["xyz-abcd-efg", "XYZABCDEFG", "xyz abcd efg"] {
        let response = squatter
            .post(app.url("/api/v1.0/rooms/"))
            .json(&json!({"name": name, "access_level": "restricted"}))
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 201, "{name}");
        let created: Value = response.json().await.expect("json");
        assert_ne!(
            created["slug"], "xyz-abcd-efg",
            "{name}: Meet draws the code"
        );
        assert_eq!(created["name"], created["slug"]);
    }
    // …and later joiners still land in the meeting, not in the squatter's room.
    let after: Value = get_json(&browser(), room_url(&app, "xyz-abcd-efg")).await;
    assert_eq!(after["id"], Value::Null);
    assert_eq!(
        token_room(after["livekit"]["token"].as_str().expect("token")),
        "xyz-abcd-efg"
    );

    // Renaming a room to the code gives it a code Meet draws, not that one.
    let created: Value = squatter
        .post(app.url("/api/v1.0/rooms/"))
        .json(&json!({"name": "Board"}))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(created["slug"], "board");
    let response = squatter
        .patch(room_url(&app, "board"))
        .json(&json!({"name": "xyz-abcd-efg"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert_ne!(body["slug"], "xyz-abcd-efg", "{body}");
    let still: Value = get_json(&browser(), room_url(&app, "xyz-abcd-efg")).await;
    assert_eq!(
        still["id"],
        Value::Null,
        "the meeting is still unregistered"
    );
}

#[tokio::test]
async fn an_oversized_meeting_code_is_refused_cheaply() {
    let app = spawn_app().await;
    let huge = "a".repeat(1_900_000);
    let (status, body) = get_room(&app, &browser(), &huge).await;
    assert!(status == 404 || status == 413, "{status}");
    let text = body.to_string();
    assert!(
        text.len() < 1_000,
        "the answer does not echo the input: {} bytes",
        text.len()
    );
    // Just over the longest address.
    let (status, _) = get_room(&app, &browser(), &"a".repeat(501)).await;
    assert_eq!(status, 404);
}

per_backend!(
    a_nul_in_a_room_name_is_a_clear_400,
    |app: TestApp| async move {
        let owner = app.client_for(&app.user("owner").await).await;
        for name in ["team\0room", "two\nlines"] {
            let response = owner
                .post(app.url("/api/v1.0/rooms/"))
                .json(&json!({ "name": name }))
                .send()
                .await
                .expect("post");
            assert_eq!(response.status(), 400, "{name:?}");
            let body: Value = response.json().await.expect("json");
            assert_eq!(
                body["name"][0],
                "This field may not contain control characters."
            );
        }
        let listed: Value = get_json(&owner, app.url("/api/v1.0/rooms/")).await;
        assert_eq!(listed["count"], 0, "nothing stored");
    }
);

#[tokio::test]
async fn undecodable_paths_and_queries_answer_json() {
    let app = spawn_app().await;
    let owner = app.client_for(&app.user("owner").await).await;
    for (method, path, status) in [
        ("GET", "/api/v1.0/rooms/%FF/", 404),
        ("GET", "/api/v1.0/resource-accesses/%FF/", 404),
        ("PATCH", "/api/v1.0/users/%FF/", 404),
        (
            "GET",
            "/api/v1.0/rooms/abc-defg-hij/?username=a&username=b",
            400,
        ),
        ("GET", "/api/v1.0/rooms/?page=1&page=2", 400),
        ("GET", "/api/v1.0/users/me/x/", 404),
        ("DELETE", "/api/v1.0/users/me/", 405),
    ] {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let response = owner
            .request(method, app.url(path))
            .json(&json!({}))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), status, "{path}");
        assert!(
            crate::helpers::header(&response, "content-type").starts_with("application/json"),
            "{path}"
        );
        let body: Value = response.json().await.expect("json");
        assert!(body["detail"].is_string(), "{path}: {body}");
    }
}

#[tokio::test]
async fn the_last_page_is_the_last_page() {
    let app = spawn_app().await;
    let user = app.user("owner").await;
    let owner = app.client_for(&user).await;
    for index in 0..25 {
        meet_domain::testing::registered_room(
            &app.database.store,
            &user,
            &format!("room {index:02}"),
            AccessLevel::Public,
        )
        .await;
    }
    for list in ["/api/v1.0/rooms/", "/api/v1.0/resource-accesses/"] {
        let last: Value = get_json(&owner, app.url(&format!("{list}?page=last"))).await;
        assert_eq!(last["count"], 25, "{list}: {last}");
        assert_eq!(
            last["results"].as_array().map(Vec::len),
            Some(5),
            "{list}: {last}"
        );
        assert_eq!(last["next"], Value::Null);
        assert!(
            last["previous"]
                .as_str()
                .is_some_and(|url| url.ends_with(list)),
            "{list}: {last}"
        );
    }
}

#[tokio::test]
async fn the_home_page_shows_the_newest_meetings_without_counting_them() {
    let app = spawn_app().await;
    let user = app.user("owner").await;
    for index in 0..51 {
        meet_domain::testing::registered_room(
            &app.database.store,
            &user,
            &format!("room {index:02}"),
            AccessLevel::Public,
        )
        .await;
    }
    let page =
        crate::helpers::html(app.get_page_with(&app.client_for(&user).await, "/").await).await;
    assert_eq!(
        page.matches(r#"<li class="room-item">"#).count(),
        50,
        "{page}"
    );
    assert!(
        page.contains("Your 50 newest meetings are shown."),
        "{page}"
    );
}

/// One user's requests, stuck on a slow database (their rooms' table locked), hold at most four
/// connections: a visitor joining a meeting and the readiness probe are still served.
#[tokio::test]
async fn one_user_cannot_take_every_database_connection() {
    let options = crate::helpers::AppOptions {
        postgres: true,
        ..Default::default()
    };
    let Some(app) = crate::helpers::spawn_app_with(options).await else {
        eprintln!("skipped: TEST_POSTGRES_URL is not set");
        return;
    };
    let user = app.user("flooder").await;
    let flooder = app.client_for(&user).await;
    let owner = app.user("owner").await;
    meet_domain::testing::registered_room(
        &app.database.store,
        &owner,
        "Town hall",
        AccessLevel::Public,
    )
    .await;

    let meet_domain::Store::Postgres(pool) = &app.database.store else {
        unreachable!("spawned on PostgreSQL");
    };
    let mut lock = pool.begin().await.expect("transaction");
    sqlx::query("LOCK TABLE resource_accesses IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *lock)
        .await
        .expect("lock");
    // Sixteen requests at once, each waiting for the locked table (more than the pool's ten
    // connections).
    let flood: Vec<_> = (0..16)
        .map(|_| {
            let (client, url) = (flooder.clone(), app.url("/api/v1.0/rooms/"));
            tokio::spawn(async move { client.get(url).send().await.expect("list").status() })
        })
        .collect();
    // As many as one user may have in flight reach the database, and wait there.
    crate::helpers::until_waiting_for_locks(pool, 4).await;

    let join = browser()
        .get(room_url(&app, "town-hall"))
        .send()
        .await
        .expect("join");
    assert_eq!(join.status(), 200, "a visitor still joins");
    assert!(join.json::<Value>().await.expect("json")["livekit"]["token"].is_string());
    assert_eq!(
        app.get("/readyz").await.status(),
        200,
        "the probe still answers"
    );

    lock.commit().await.expect("unlock");
    for request in flood {
        assert_eq!(
            request.await.expect("task"),
            200,
            "the user's requests are served in turn"
        );
    }
}

#[tokio::test]
async fn a_server_function_answers_bad_input_as_the_clients_fault() {
    let app = spawn_app().await;
    for body in ["for_later=perhaps", "unexpected=1", "%ZZ"] {
        let response = browser()
            .post(app.url("/api/rooms/create"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 400, "{body}");
        let error: Value = response.json().await.expect("json");
        assert_eq!(
            error,
            json!({"Invalid": "The request could not be read."}),
            "{body}"
        );
    }
}

#[tokio::test]
async fn a_body_that_never_finishes_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let mut stream = tokio::net::TcpStream::connect(app.address)
        .await
        .expect("connect");
    stream
        .write_all(
            b"POST /api/rooms/create HTTP/1.1\r\nHost: meet\r\nContent-Length: 100\r\n\
              Content-Type: application/x-www-form-urlencoded\r\n\r\nfor_",
        )
        .await
        .expect("write");
    // A guard against a hang, well above the body timeout.
    let guard = meet_server::middleware::body::BODY_TIMEOUT * 3;
    let mut answer = vec![0u8; 1024];
    let read = tokio::time::timeout(guard, stream.read(&mut answer))
        .await
        .expect("answered before the guard")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer.contains("The request body took too long to arrive."),
        "{answer}"
    );
}

//! Pages rendered on the server: home, meeting placeholder, 404, and the no-JavaScript entry
//! points `/new` and `/join`.

use meet_domain::per_backend;
use meet_domain::users::User;
use meet_types::{AccessLevel, RoomCode};

use crate::helpers::{
    AppOptions, BRIDGE_HASH, CSS_HASH, JS_HASH, MEETING_JS_HASH, MEETING_SPLIT_HASH,
    MEETING_WASM_HASH, TestApp, WASM_HASH, browser, header, html, spawn_app, spawn_app_with,
};

#[tokio::test]
async fn the_home_page_is_complete_html_rendered_on_the_server() {
    let app = spawn_app().await;
    let response = app.get_page("/").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type"),
        "text/html; charset=utf-8"
    );
    let page = html(response).await;
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    assert!(page.contains("<title>Meet</title>"), "{page}");
    assert!(page.contains(">Video meetings for everyone</h1>"));
    // Without a login provider, visitors start (unregistered) meetings directly.
    assert!(page.contains(r#"action="/api/rooms/create""#), "{page}");
    assert!(
        page.contains(">Start an instant meeting</button>"),
        "{page}"
    );
    assert!(page.contains(r#"<form action="/join" method="get""#));
    assert!(page.contains(r#"<label for="join-code">Join with a code</label>"#));
    assert!(page.contains(r#"name="code""#));
    // The hashed site bundle is linked, so the page hydrates once it loads; the meeting
    // bundle is not.
    assert!(page.contains(&format!(r#"href="/pkg/meet.{CSS_HASH}.css""#)));
    assert!(page.contains(&format!(r#"import("/pkg/meet.{JS_HASH}.js")"#)));
    assert!(page.contains(&format!(r#"module_or_path: "/pkg/meet.{WASM_HASH}.wasm""#)));
    assert!(!page.contains("/pkg/meeting."), "{page}");
    // The ES module bundles are named in the import map, ahead of the module script, but the
    // meeting bundle's.
    let map_at = page
        .find(r#"<script type="importmap" nonce="#)
        .expect("an import map");
    assert!(
        map_at
            < page
                .find(r#"<script type="module""#)
                .expect("module script")
    );
    // …and ahead of the module preload: browsers ignore an import map after a module load.
    assert!(
        map_at
            < page
                .find(r#"<link rel="modulepreload""#)
                .expect("module preload"),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            r#"{{"imports":{{"livekit-bridge":"/pkg/livekit-bridge.{BRIDGE_HASH}.js","meet":"/pkg/meet.{JS_HASH}.js"}}}}"#
        )),
        "{page}"
    );
    assert!(!page.contains("/pkg/meeting-split."), "{page}");
    // Only the interactive parts are hydrated: the join field and the new-meeting form are
    // islands, which the page's script hydrates one by one; the rest has no code in the browser.
    assert_eq!(islands(&page), ["VisitorMeeting", "JoinField"], "{page}");
    assert!(
        page.contains(r#"querySelectorAll("leptos-island")"#),
        "{page}"
    );
    assert_streamed_in_order(&page);
}

/// The islands of `page`, by component name, in page order.
fn islands(page: &str) -> Vec<&str> {
    page.split(r#"<leptos-island data-component=""#)
        .skip(1)
        .map(|rest| rest.split(['_', '"']).next().unwrap_or_default())
        .collect()
}

/// Pages stream in order: what a page loads (viewer, room) is in place in the HTML, never in a
/// `<template>` that only a script moves into the page, so the page is whole without JavaScript.
fn assert_streamed_in_order(page: &str) {
    assert!(!page.contains("<template"), "out-of-order chunk: {page}");
}

#[tokio::test]
async fn a_meeting_code_has_its_page() {
    let app = spawn_app().await;
    let response = app.get_page("/abc-defg-hij").await;
    assert_eq!(response.status(), 200);
    let page = html(response).await;
    assert!(
        page.contains("<title>abc-defg-hij · Meet</title>"),
        "{page}"
    );
    assert!(page.contains(">abc-defg-hij</h1>"), "{page}");
    // The meeting bundle hydrates it, not the site bundle, and is preloaded.
    assert!(page.contains(&format!(r#"import("/pkg/meeting.{MEETING_JS_HASH}.js")"#)));
    assert!(page.contains(&format!(
        r#"module_or_path: "/pkg/meeting.{MEETING_WASM_HASH}.wasm""#
    )));
    assert!(page.contains(&format!(
        r#"<link rel="preload" href="/pkg/meeting.{MEETING_WASM_HASH}.wasm""#
    )));
    assert!(
        !page.contains(&format!("/pkg/meet.{WASM_HASH}.wasm")),
        "{page}"
    );
    assert!(!page.contains(&format!("/pkg/meet.{JS_HASH}.js")), "{page}");
    // The loader of the call's module imports the glue by name, and the glue the loader.
    assert!(
        page.contains(&format!(
            r#"{{"imports":{{"livekit-bridge":"/pkg/livekit-bridge.{BRIDGE_HASH}.js","meeting-split":"/pkg/meeting-split.{MEETING_SPLIT_HASH}.js","meeting":"/pkg/meeting.{MEETING_JS_HASH}.js"}}}}"#
        )),
        "{page}"
    );
    // The meeting is the page's one island; the room it shows is in its properties.
    assert_eq!(islands(&page), ["Meeting"], "{page}");
    assert!(
        page.contains("&quot;slug&quot;:&quot;abc-defg-hij&quot;"),
        "{page}"
    );
}

#[tokio::test]
async fn the_pages_around_a_meeting_get_the_site_bundle() {
    let app = spawn_app().await;
    for path in [
        "/feedback?room=abc-defg-hij&reason=left",
        "/login/error",
        "/no/such/page",
    ] {
        let page = html(app.get_page(path).await).await;
        assert!(
            page.contains(&format!(r#"import("/pkg/meet.{JS_HASH}.js")"#)),
            "{path}: {page}"
        );
        assert!(!page.contains("/pkg/meeting."), "{path}: {page}");
    }
}

#[tokio::test]
async fn other_spellings_of_a_code_redirect_to_the_canonical_address() {
    let app = spawn_app().await;
    for path in [
        "/ABCDEFGHIJ",
        "/abcdefghij",
        "/ABC-DEFG-HIJ",
        "/abc-defghij",
    ] {
        let response = app.get_page(path).await;
        assert_eq!(response.status(), 302, "{path}");
        assert_eq!(header(&response, "location"), "/abc-defg-hij", "{path}");
    }
}

/// On a multi-threaded runtime, as the binary runs: the page's status must not depend on which
/// thread gets there first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_addresses_get_a_404_page() {
    let app = spawn_app().await;
    for path in [
        "/no/such/page",
        "/abc-defg-hi",
        "/abc_defg_hij",
        "/abc-defg-hij/extra",
        "/not_a_code",
    ] {
        // Again and again: the status is decided before anything is sent, every time.
        for _ in 0..20 {
            assert_eq!(app.get_page(path).await.status(), 404, "{path}");
        }
        let response = app.get_page(path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(
            header(&response, "content-type"),
            "text/html; charset=utf-8",
            "{path}"
        );
        let page = html(response).await;
        assert!(
            page.contains("<title>Page not found · Meet</title>"),
            "{path}: {page}"
        );
        assert!(page.contains(">Back to the home page</a>"), "{path}");
    }
}

#[tokio::test]
async fn a_visitor_starts_an_unregistered_meeting_without_javascript() {
    let app = spawn_app().await;
    let mut seen = Vec::new();
    for _ in 0..3 {
        let response = app
            .client
            .post(app.url("/api/rooms/create"))
            .header("accept", "text/html")
            .form(&[("for_later", "false")])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 302);
        let location = header(&response, "location");
        let code = RoomCode::parse_bare(location.trim_start_matches('/')).expect("a code");
        assert_eq!(location, code.path());
        seen.push(code);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 3, "each meeting gets its own code");
}

/// Without JavaScript, a "New meeting" that fails comes back to the home page with its error
/// shown there (Leptos carries it in the address), not as a bare error document.
#[tokio::test]
async fn a_failed_new_meeting_shows_its_error_on_the_page_without_javascript() {
    let app = crate::helpers::spawn_app_with(crate::helpers::AppOptions {
        configure: Box::new(|config| config.rooms.max_rooms_per_user = 0),
        ..Default::default()
    })
    .await
    .expect("app");
    let owner = app.user("owner").await;
    let client = app.client_for(&owner).await;
    let response = client
        .post(app.url("/api/rooms/create"))
        .header("accept", "text/html")
        .header("referer", app.url("/"))
        .form(&[("for_later", "false")])
        .send()
        .await
        .expect("post");
    assert!(response.status().is_redirection(), "{}", response.status());
    let location = header(&response, "location");
    assert!(location.contains("__err="), "{location}");
    let page = html(
        client
            .get(&location)
            .header("accept", "text/html")
            .send()
            .await
            .expect("page"),
    )
    .await;
    let said =
        r#"<p role="alert" class="form-error">You own 0 rooms, the most one person may have."#;
    assert_eq!(page.matches(said).count(), 1, "said once: {page}");
}

#[tokio::test]
async fn a_meeting_for_later_opens_its_page_without_javascript() {
    let app = spawn_app().await;
    let owner = app.user("owner").await;
    let response = app
        .client_for(&owner)
        .await
        .post(app.url("/api/rooms/create"))
        .header("accept", "text/html")
        .form(&[("for_later", "true")])
        .send()
        .await
        .expect("post");
    // Without JavaScript there is no page to show the link in: the meeting's page opens.
    assert_eq!(response.status(), 302);
    let location = header(&response, "location");
    let code = RoomCode::parse_bare(location.trim_start_matches('/')).expect("a code");
    assert_eq!(location, code.path());
    let (rooms, _) =
        meet_domain::rooms::queries::list_for_user(&app.database.store, owner.id, 10, 0)
            .await
            .expect("q");
    assert_eq!(rooms.len(), 1, "{rooms:?}");
    assert_eq!(rooms[0].room.slug, code.as_str(), "a room of the owner's");
}

#[tokio::test]
async fn join_opens_the_meeting_typed_in_any_spelling() {
    let app = spawn_app().await;
    for code in [
        "abc-defg-hij",
        "ABCDEFGHIJ",
        "https%3A%2F%2Fmeet.example.org%2FABC-DEFG-HIJ",
    ] {
        let response = app.get(&format!("/join?code={code}")).await;
        assert_eq!(response.status(), 303, "{code}");
        assert_eq!(header(&response, "location"), "/abc-defg-hij", "{code}");
    }
}

#[tokio::test]
async fn join_sends_a_wrong_code_back_to_the_form_with_the_reason() {
    let app = spawn_app().await;
    let response = app.get("/join?code=abc%20defg").await;
    assert_eq!(response.status(), 303);
    let location = header(&response, "location");
    assert_eq!(location, "/?code=abc+defg#join-code");

    let page = html(app.get_page("/?code=abc+defg").await).await;
    assert!(
        page.contains(r#"value="abc defg""#),
        "the typed text is kept: {page}"
    );
    assert!(page.contains(r#"aria-invalid="true""#));
    assert!(page.contains("A meeting code has only letters and digits, like abc-defg-hij."));

    let response = app.get("/join?code=").await;
    assert_eq!(header(&response, "location"), "/?code=#join-code");
    let empty = html(app.get_page("/?code=").await).await;
    assert!(empty.contains("Enter a meeting code."), "{empty}");
}

#[tokio::test]
async fn join_keeps_at_most_200_characters_of_a_wrong_input() {
    let app = spawn_app().await;
    let long = "x".repeat(5000);
    let response = app.get(&format!("/join?code={long}")).await;
    let location = header(&response, "location");
    assert_eq!(location, format!("/?code={}#join-code", "x".repeat(200)));
}

/// Without login and without unregistered meetings, a visitor can create nothing: the home page
/// offers no button that would always fail, and says how meetings are joined instead.
#[tokio::test]
async fn nobody_is_offered_a_new_meeting_that_would_fail() {
    let app = crate::helpers::spawn_app_with(crate::helpers::AppOptions {
        configure: Box::new(|config| config.rooms.allow_unregistered_rooms = false),
        ..Default::default()
    })
    .await
    .expect("app");
    let page = html(app.get_page("/").await).await;
    assert!(!page.contains("Start an instant meeting"), "{page}");
    assert!(!page.contains(r#"action="/api/rooms/create""#), "{page}");
    assert!(page.contains("created by their organisers"), "{page}");
    assert!(page.contains(r#"<label for="join-code">Join with a code</label>"#));
}

#[tokio::test]
async fn without_unregistered_rooms_an_unknown_meeting_is_a_404_page() {
    let app = crate::helpers::spawn_app_with(crate::helpers::AppOptions {
        configure: Box::new(|config| config.rooms.allow_unregistered_rooms = false),
        ..Default::default()
    })
    .await
    .expect("app");
    let response = app.get_page("/abc-defg-hij").await;
    assert_eq!(response.status(), 404);
    let page = html(response).await;
    assert!(
        page.contains("<title>Page not found · Meet</title>"),
        "{page}"
    );
}

per_backend!(
    a_meeting_page_says_how_the_viewer_enters,
    |app: TestApp| async move {
        let owner = meeting_of_owner(&app, AccessLevel::Restricted).await;
        let page = html(app.get_page("/abc-defg-hij").await).await;
        assert!(page.contains("A host will let you in."), "{page}");
        assert!(page.contains("This meeting is private"), "{page}");
        assert_streamed_in_order(&page);
        let owner_page = html(
            app.get_page_with(&app.client_for(&owner).await, "/abc-defg-hij")
                .await,
        )
        .await;
        assert!(
            owner_page.contains("You can join this meeting directly."),
            "{owner_page}"
        );
        assert!(
            owner_page.contains("Access: Only invited members join directly"),
            "{owner_page}"
        );
        assert_streamed_in_order(&owner_page);
    }
);

/// While the database is slow, the meeting page waits for the room instead of streaming a
/// placeholder that only JavaScript would replace: a visitor without JavaScript (or a browser
/// that has not loaded the bundle yet) still sees the whole page. PostgreSQL lets the test hold
/// the `rooms` table locked for a moment, which makes the database slow on demand.
#[tokio::test]
async fn a_slow_database_delays_the_meeting_page_but_leaves_it_whole() {
    let options = crate::helpers::AppOptions {
        postgres: true,
        ..Default::default()
    };
    let Some(app) = crate::helpers::spawn_app_with(options).await else {
        eprintln!("skipped: TEST_POSTGRES_URL is not set");
        return;
    };
    meeting_of_owner(&app, AccessLevel::Restricted).await;

    let meet_domain::Store::Postgres(pool) = &app.database.store else {
        unreachable!("spawned on PostgreSQL");
    };
    let mut lock = pool.begin().await.expect("transaction");
    sqlx::query("LOCK TABLE rooms IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *lock)
        .await
        .expect("lock");
    let (client, url) = (app.client.clone(), app.url("/abc-defg-hij"));
    let page = tokio::spawn(async move {
        client
            .get(url)
            .header("accept", "text/html")
            .send()
            .await
            .expect("request")
    });
    crate::helpers::until_waiting_for_locks(pool, 1).await;
    lock.commit().await.expect("unlock");
    let page = html(page.await.expect("request")).await;

    assert!(page.contains("This meeting is private"), "{page}");
    assert!(!page.contains("Loading the meeting…"), "{page}");
    assert_streamed_in_order(&page);
}

/// Many pages at once (a busy server, where data is not ready the moment rendering starts):
/// every one arrives, whole, with nothing left for a script to move into place. A visitor's home
/// page, a logged-in home page (with "Your meetings" loading) and a meeting page (the room
/// loading), 150 of each, all in flight together.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_whole_on_a_busy_server() {
    let app = spawn_app().await;
    let owner = meeting_of_owner(&app, AccessLevel::Public).await;
    let owner_client = app.client_for(&owner).await;
    let kinds = [
        (app.client.clone(), "/", "Start an instant meeting"),
        (
            owner_client.clone(),
            "/",
            r#"<a href="/abc-defg-hij">abc-defg-hij"#,
        ),
        (
            app.client.clone(),
            "/abc-defg-hij",
            "You can join this meeting directly.",
        ),
    ];
    let mut pages = tokio::task::JoinSet::new();
    for _ in 0..150 {
        for (client, path, expected) in &kinds {
            let (client, url, expected) = (client.clone(), app.url(path), *expected);
            pages.spawn(async move {
                let response = client
                    .get(&url)
                    .header("accept", "text/html")
                    // A response that stalls fails the test instead of hanging it.
                    .timeout(std::time::Duration::from_secs(30))
                    .send()
                    .await
                    .unwrap_or_else(|error| panic!("{url} ({expected:?}): no response: {error}"));
                let page = response.text().await.unwrap_or_else(|error| {
                    panic!("{url} ({expected:?}): the page did not arrive whole: {error}")
                });
                (url, expected, page)
            });
        }
    }
    while let Some(page) = pages.join_next().await {
        let (url, expected, page) = page.expect("request");
        assert!(
            page.contains(expected),
            "{url}: expected {expected:?} in {page}"
        );
        assert!(page.contains("</html>"), "{url}: {page}");
        assert_streamed_in_order(&page);
    }
}

/// Registers the meeting `abc-defg-hij` with `access_level`, owned by a new user, returned.
async fn meeting_of_owner(app: &TestApp, access_level: AccessLevel) -> User {
    let owner = app.user("owner").await;
    meet_domain::testing::registered_room(
        &app.database.store,
        &owner,
        "abc-defg-hij",
        access_level,
    )
    .await;
    owner
}

/// "Your meetings" links every room to `/{slug}`, so the meeting page serves every room's address,
/// not only meeting codes: the rooms people name through the API open like the others. Another
/// spelling of an address (or the room's id) redirects to it; a name that would take one of
/// Meet's own addresses gets a meeting code instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_room_in_your_meetings_opens_at_its_link() {
    let app = spawn_app().await;
    let owner = app.user("owner").await;
    let client = app.client_for(&owner).await;
    let created: serde_json::Value = client
        .post(app.url("/api/v1.0/rooms/"))
        .json(&serde_json::json!({"name": "Weekly Sync", "access_level": "public"}))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("json");
    assert_eq!(created["slug"], "weekly-sync", "{created}");

    let home = html(app.get_page_with(&client, "/").await).await;
    assert!(home.contains(r#"href="/weekly-sync""#), "{home}");
    assert!(home.contains("Open to anyone · Owner"), "{home}");
    assert!(!home.contains("public · Owner"), "{home}");

    let response = app.get_page("/weekly-sync").await;
    assert_eq!(response.status(), 200);
    let page = html(response).await;
    assert!(page.contains("Weekly Sync"), "{page}");
    assert!(
        page.contains("You can join this meeting directly."),
        "{page}"
    );

    let id = created["id"].as_str().expect("id");
    for path in [
        "/Weekly-Sync".to_owned(),
        "/weekly%20sync".to_owned(),
        format!("/{id}"),
    ] {
        for _ in 0..20 {
            assert_eq!(app.get_page(&path).await.status(), 302, "{path}");
        }
        let response = app.get_page(&path).await;
        assert_eq!(response.status(), 302, "{path}");
        assert_eq!(header(&response, "location"), "/weekly-sync", "{path}");
    }
    for path in ["/weekly-sync-2", "/-", "/%20"] {
        assert_eq!(app.get_page(path).await.status(), 404, "{path}");
    }

    for name in ["Join", "API", "healthz", "pkg"] {
        let created: serde_json::Value = client
            .post(app.url("/api/v1.0/rooms/"))
            .json(&serde_json::json!({"name": name}))
            .send()
            .await
            .expect("create")
            .json()
            .await
            .expect("json");
        let slug = created["slug"].as_str().expect("slug");
        assert!(RoomCode::parse_bare(slug).is_ok(), "{name} got {slug}");
    }
}

/// The nonce of a page's `Content-Security-Policy`.
fn csp_nonce(response: &reqwest::Response) -> String {
    let policy = header(response, "content-security-policy");
    policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce")
        .to_owned()
}

/// How many meeting pages the app rendered, and how many it answered from memory (`/metrics`).
async fn meeting_pages(app: &TestApp) -> (u64, u64) {
    let metrics = browser()
        .get(app.url("/metrics"))
        .bearer_auth("scrape")
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    let count = |answer: &str| {
        let series = format!("meet_meeting_pages_total{{answer=\"{answer}\"}}");
        metrics
            .lines()
            .find_map(|line| line.strip_prefix(&series)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {series} in {metrics}"))
    };
    (count("rendered"), count("from_memory"))
}

/// A meeting page is rendered once for the same address, requester and room, then answered from
/// memory: the same page with a fresh nonce, which its scripts and its policy share, compressed
/// for browsers that take gzip. A change to
/// the room (its settings, its access level) or another requester gets a page rendered anew,
/// never the remembered one.
#[tokio::test]
async fn meeting_pages_are_remembered_until_what_they_show_changes() {
    let app = spawn_app_with(AppOptions {
        configure: Box::new(|config| {
            config.analytics.metrics_token = Some(meet_server::config::Secret::new("scrape"));
        }),
        ..AppOptions::default()
    })
    .await
    .expect("app");
    let owner = meeting_of_owner(&app, AccessLevel::Public).await;
    let visit = || async {
        let response = app.get_page("/abc-defg-hij").await;
        assert_eq!(response.status(), 200);
        let nonce = csp_nonce(&response);
        let page = html(response).await;
        assert!(page.contains(&format!(r#"nonce="{nonce}""#)), "{page}");
        (nonce, page)
    };

    let (first_nonce, first) = visit().await;
    assert_eq!(meeting_pages(&app).await, (1, 0));
    let (second_nonce, second) = visit().await;
    assert_eq!(meeting_pages(&app).await, (1, 1));
    assert_ne!(first_nonce, second_nonce, "a fresh nonce per response");
    assert!(!second.contains(&first_nonce), "{second}");
    assert_eq!(
        first.replace(&first_nonce, "NONCE"),
        second.replace(&second_nonce, "NONCE")
    );
    assert!(
        second.contains("You can join this meeting directly."),
        "{second}"
    );

    // Compressed for a browser that takes gzip, without compressing it again.
    let response = app
        .client
        .get(app.url("/abc-defg-hij"))
        .header("accept", "text/html")
        .header("accept-encoding", "gzip, deflate, br, zstd")
        .send()
        .await
        .expect("page");
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-encoding"), "gzip");
    assert!(header(&response, "vary").contains("accept-encoding"));
    let third_nonce = csp_nonce(&response);
    let compressed = response.bytes().await.expect("body");
    let mut third = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&compressed[..]),
        &mut third,
    )
    .expect("gzip");
    assert!(
        compressed.len() * 3 < third.len() * 2,
        "{} of {}",
        compressed.len(),
        third.len()
    );
    // (`second` went through `html`, which drops Leptos' hydration markers.)
    assert_eq!(
        third.replace("<!>", "").replace(&third_nonce, "NONCE"),
        second.replace(&second_nonce, "NONCE")
    );
    assert_eq!(meeting_pages(&app).await, (1, 2));

    // Its settings changed by its owner: the next visit shows them.
    let owner_client = app.client_for(&owner).await;
    let patch = |body: serde_json::Value| {
        owner_client
            .patch(app.url("/api/v1.0/rooms/abc-defg-hij/"))
            .json(&body)
            .send()
    };
    assert!(!second.contains("can_publish_sources"), "{second}");
    let configured = patch(serde_json::json!({
        "configuration": {"can_publish_sources": ["microphone"]}
    }))
    .await
    .expect("patch");
    assert_eq!(configured.status(), 200);
    let (_, page) = visit().await;
    assert!(
        page.contains("&quot;can_publish_sources&quot;:[&quot;microphone&quot;]"),
        "{page}"
    );
    assert_eq!(meeting_pages(&app).await, (2, 2));

    // Made private: visitors are told a host will let them in.
    let restricted = patch(serde_json::json!({"access_level": "restricted"}))
        .await
        .expect("patch");
    assert_eq!(restricted.status(), 200);
    let (_, page) = visit().await;
    assert!(page.contains("A host will let you in."), "{page}");
    assert!(
        !page.contains("You can join this meeting directly."),
        "{page}"
    );
    assert_eq!(meeting_pages(&app).await, (3, 2));

    // Its owner gets their own page (their name in the header), and visitors still theirs.
    let owner_page = html(app.get_page_with(&owner_client, "/abc-defg-hij").await).await;
    assert!(owner_page.contains("owner Test"), "{owner_page}");
    assert!(
        !owner_page.contains("A host will let you in."),
        "{owner_page}"
    );
    let (_, page) = visit().await;
    assert!(!page.contains("owner Test"), "{page}");
    assert!(page.contains("A host will let you in."), "{page}");
    assert_eq!(meeting_pages(&app).await, (4, 3));
}

//! Login with OpenID Connect, driven over real HTTP against the development provider: the flow,
//! users and claims, JWT userinfo, logout, sessions, and every refusal leaving nothing behind.

use meet_domain::users;
use url::Url;

use crate::dev_provider::{DevClient, authorize, form_action, hidden_inputs, location};
use crate::helpers::{
    AppOptions, TestApp, browser, header, html, set_cookie, spawn_app, spawn_app_with,
};

/// An app with login against a fresh dev provider (`client`), on SQLite or PostgreSQL.
async fn app_with_login(client: DevClient, postgres: bool) -> Option<TestApp> {
    spawn_app_with(AppOptions {
        login: Some(client),
        postgres,
        ..AppOptions::default()
    })
    .await
}

/// Declares the test for SQLite and for PostgreSQL (skipped without `TEST_POSTGRES_URL`).
macro_rules! on_both_backends {
    ($name:ident, |$app:ident| $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let $app = app_with_login(DevClient::Json, false).await.expect("app");
                $body.await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some($app) = app_with_login(DevClient::Json, true).await else {
                    eprintln!("skipped: TEST_POSTGRES_URL is not set");
                    return;
                };
                $body.await;
            }
        }
    };
}

impl TestApp {
    /// Starts a login at Meet; returns the provider's authorisation URL.
    async fn start_login(&self, client: &reqwest::Client, return_to: &str) -> Url {
        let query = serde_urlencoded::to_string([("returnTo", return_to)]).expect("query");
        let response = client
            .get(self.url(&format!("/api/v1.0/authenticate/?{query}")))
            .send()
            .await
            .expect("authenticate");
        assert_eq!(response.status(), 303);
        let url = location(&response);
        let issuer = &self.provider.as_ref().expect("login configured").issuer;
        assert!(url.as_str().starts_with(issuer), "{url}");
        url
    }

    /// A whole login in `client` as `login`, returning the callback's response.
    async fn log_in_with(
        &self,
        client: &reqwest::Client,
        login: &str,
        return_to: &str,
    ) -> reqwest::Response {
        let authorization = self.start_login(client, return_to).await;
        let callback = authorize(client, authorization, login).await;
        assert!(
            callback
                .as_str()
                .starts_with(&self.url("/api/v1.0/callback/")),
            "{callback}"
        );
        client.get(callback).send().await.expect("callback")
    }

    /// Logs `login` in with the app's own client; asserts it worked.
    pub(crate) async fn log_in(&self, login: &str) {
        let response = self.log_in_with(&self.client, login, "/").await;
        assert_eq!(response.status(), 303);
        assert_eq!(
            header(&response, "location"),
            "/",
            "login of {login} failed"
        );
    }

    /// `GET /api/v1.0/users/me/` with `client`: (status, JSON body).
    async fn me(&self, client: &reqwest::Client) -> (u16, serde_json::Value) {
        let response = client
            .get(self.url("/api/v1.0/users/me/"))
            .send()
            .await
            .expect("me");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }

    async fn session_count(&self) -> usize {
        let sql = "SELECT COUNT(*) FROM sessions";
        let count: i64 = match &self.database.store {
            meet_domain::Store::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
            meet_domain::Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        }
        .expect("count");
        usize::try_from(count).expect("a count")
    }

    async fn user_count(&self) -> usize {
        let sql = "SELECT COUNT(*) FROM users";
        let count: i64 = match &self.database.store {
            meet_domain::Store::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
            meet_domain::Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        }
        .expect("count");
        usize::try_from(count).expect("a count")
    }
}

/// Where a failed login landed: the `reason` of `/login/error`.
fn failure_reason(response: &reqwest::Response) -> String {
    assert_eq!(response.status(), 303);
    let target = location(response);
    assert_eq!(target.path(), "/login/error", "{target}");
    target
        .query_pairs()
        .find(|(key, _)| key == "reason")
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

on_both_backends!(
    login_creates_the_user_and_returns_where_asked,
    |app| async move {
        let (status, body) = app.me(&app.client).await;
        assert_eq!(status, 401);
        assert_eq!(
            body["detail"],
            "Authentication credentials were not provided."
        );

        let response = app
            .log_in_with(&app.client, "alice", "/abc-defg-hij?x=1")
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(header(&response, "location"), "/abc-defg-hij?x=1");
        let cookie = set_cookie(&response, "meet_sessionid").expect("a session cookie");
        assert!(cookie.starts_with("meet_sessionid="), "{cookie}");
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=4319"] {
            assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
        }
        assert!(!cookie.contains("Secure"), "plain http: {cookie}");

        let (status, body) = app.me(&app.client).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["email"], "alice@example.test");
        assert_eq!(body["full_name"], "Alice Martin");
        assert_eq!(body["short_name"], "Alice");
        assert_eq!(body["language"], "en-us");
        let stored = users::find_by_sub(&app.database.store, "alice")
            .await
            .expect("q")
            .expect("user");
        assert_eq!(body["id"], stored.id.to_string());
    }
);

on_both_backends!(logout_ends_meet_and_provider_sessions, |app| async move {
    app.log_in("alice").await;
    let response = app.get("/api/v1.0/logout/").await;
    assert_eq!(response.status(), 303);
    let end_session = location(&response);
    let issuer = &app.provider.as_ref().expect("provider").issuer;
    assert!(
        end_session
            .as_str()
            .starts_with(&format!("{issuer}/session/end")),
        "{end_session}"
    );
    let params: Vec<(String, String)> = end_session.query_pairs().into_owned().collect();
    let param = |name: &str| {
        params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, v)| v.clone())
    };
    assert!(param("id_token_hint").is_some_and(|token| token.split('.').count() == 3));
    assert_eq!(
        param("post_logout_redirect_uri"),
        Some(app.url("/api/v1.0/logout-callback/"))
    );
    let state = param("state").expect("state");

    // Logged out of Meet at once.
    assert_eq!(app.me(&app.client).await.0, 401);

    // The provider asks to confirm, then comes back to Meet with the state.
    let page = app
        .client
        .get(end_session.clone())
        .send()
        .await
        .expect("end session");
    let page = page.text().await.expect("page");
    let action = form_action(&page).expect("confirmation form");
    let mut form = hidden_inputs(&page);
    form.push(("logout".to_owned(), "yes".to_owned()));
    let response = app
        .client
        .post(end_session.join(&action).expect("url"))
        .form(&form)
        .send()
        .await;
    let mut url = location(&response.expect("confirmed"));
    while !url.as_str().starts_with(&app.url("/")) {
        url = location(&app.client.get(url).send().await.expect("redirect"));
    }
    assert_eq!(url.path(), "/api/v1.0/logout-callback/");
    assert!(
        url.query_pairs()
            .any(|(key, value)| key == "state" && value == state),
        "{url}"
    );
    let response = app.client.get(url).send().await.expect("logout callback");
    assert_eq!(header(&response, "location"), "/");

    // The provider forgot us too: a new login shows its form again.
    let authorization = app.start_login(&app.client, "/").await;
    let response = app.client.get(authorization).send().await.expect("auth");
    let interaction = location(&response);
    assert!(
        interaction.path().starts_with("/interaction/"),
        "{interaction}"
    );
});

/// Logs in with a session lifetime of 3 s, then moves the app's clock past it.
async fn an_expired_session_is_a_visitor_again(postgres: bool) {
    let clock = std::sync::Arc::new(meet_domain::clock::ManualClock::default());
    let Some(app) = spawn_app_with(AppOptions {
        login: Some(DevClient::Json),
        postgres,
        configure: Box::new(|config| config.session_cookie_age = 3),
        clock: Some(clock.clone()),
        ..AppOptions::default()
    })
    .await
    else {
        eprintln!("skipped: TEST_POSTGRES_URL is not set");
        return;
    };
    app.log_in("alice").await;
    assert_eq!(app.me(&app.client).await.0, 200);
    clock.advance(std::time::Duration::from_secs(4));
    assert_eq!(app.me(&app.client).await.0, 401);
    let page = html(app.get_page("/").await).await;
    assert!(page.contains(">Log in</a>"), "{page}");
}

#[tokio::test]
async fn an_expired_session_is_a_visitor_again_on_sqlite() {
    an_expired_session_is_a_visitor_again(false).await;
}

#[tokio::test]
async fn an_expired_session_is_a_visitor_again_on_postgres() {
    an_expired_session_is_a_visitor_again(true).await;
}

#[tokio::test]
async fn the_header_follows_the_login() {
    let app = app_with_login(DevClient::Json, false).await.expect("app");
    let page = html(app.get_page("/abc-defg-hij").await).await;
    assert!(
        page.contains(r#"href="/api/v1.0/authenticate/?returnTo=%2Fabc-defg-hij""#),
        "{page}"
    );
    assert!(page.contains(">Log in</a>"), "{page}");
    // The query string comes back too, `?` included.
    let page = html(app.get_page("/abc-defg-hij?x=1").await).await;
    assert!(
        page.contains(r#"href="/api/v1.0/authenticate/?returnTo=%2Fabc-defg-hij%3Fx%3D1""#),
        "{page}"
    );
    app.log_in("alice").await;
    let page = html(app.get_page("/abc-defg-hij").await).await;
    assert!(
        page.contains(r#"<span class="user-name">Alice Martin</span>"#),
        "{page}"
    );
    assert!(page.contains(r#"href="/api/v1.0/logout/""#), "{page}");
    assert!(page.contains(">Log out</a>"), "{page}");
    assert!(!page.contains(">Log in</a>"), "{page}");
}

#[tokio::test]
async fn without_a_provider_there_is_no_login() {
    let app = spawn_app().await;
    let page = html(app.get_page("/").await).await;
    assert!(!page.contains("Log in"), "{page}");
    let response = app.get("/api/v1.0/authenticate/?returnTo=/x").await;
    assert_eq!(failure_reason(&response), "not_configured");
    assert!(
        response.headers().get("set-cookie").is_none(),
        "no session for nothing"
    );
}

#[tokio::test]
async fn a_second_login_refreshes_the_claims() {
    let app = app_with_login(DevClient::Json, false).await.expect("app");
    app.log_in("alice").await;
    let user = users::find_by_sub(&app.database.store, "alice")
        .await
        .expect("q")
        .expect("user");
    let mut stale = user.claims();
    stale.full_name = Some("Old Name".into());
    stale.email = Some("old@example.test".into());
    users::update_claims(&app.database.store, user.id, &stale)
        .await
        .expect("update");

    let other_browser = browser();
    let response = app.log_in_with(&other_browser, "alice", "/").await;
    assert_eq!(header(&response, "location"), "/");
    let (_, body) = app.me(&other_browser).await;
    assert_eq!(body["id"], user.id.to_string());
    assert_eq!(body["full_name"], "Alice Martin");
    assert_eq!(body["email"], "alice@example.test");
}

#[tokio::test]
async fn an_unknown_sub_is_matched_by_email() {
    let app = app_with_login(DevClient::Json, false).await.expect("app");
    app.log_in("alice").await;
    let alice = users::find_by_sub(&app.database.store, "alice")
        .await
        .expect("q")
        .expect("user");

    // `alice.new` has Alice's email in other capitals, under another sub.
    let other_browser = browser();
    app.log_in_with(&other_browser, "alice.new", "/").await;
    let (_, body) = app.me(&other_browser).await;
    assert_eq!(body["id"], alice.id.to_string());
    assert_eq!(body["full_name"], "Alice Martin-Lefèvre");
    let moved = users::find_by_id(&app.database.store, alice.id)
        .await
        .expect("q")
        .expect("user");
    assert_eq!(moved.sub.as_deref(), Some("alice.new"));
}

#[tokio::test]
async fn without_the_email_fallback_an_unknown_sub_is_a_new_user() {
    let app = spawn_app_with(AppOptions {
        login: Some(DevClient::Json),
        configure: Box::new(|config| config.oidc.fallback_to_email = false),
        ..AppOptions::default()
    })
    .await
    .expect("app");
    app.log_in("alice").await;
    let other_browser = browser();
    app.log_in_with(&other_browser, "alice.new", "/").await;
    let (_, first) = app.me(&app.client).await;
    let (_, second) = app.me(&other_browser).await;
    assert_ne!(first["id"], second["id"]);
    assert_eq!(app.user_count().await, 2);
}

#[tokio::test]
async fn userinfo_as_a_signed_jwt_works() {
    let app = app_with_login(DevClient::Jwt, false).await.expect("app");
    // The provider really answers this client's userinfo with a JWT.
    let provider = &app.provider.as_ref().expect("provider").issuer;
    let discovery: serde_json::Value =
        reqwest::get(format!("{provider}/.well-known/openid-configuration"))
            .await
            .expect("discovery")
            .json()
            .await
            .expect("JSON");
    assert!(
        discovery["userinfo_signing_alg_values_supported"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );

    app.log_in("bob").await;
    let (status, body) = app.me(&app.client).await;
    assert_eq!(status, 200);
    assert_eq!(body["full_name"], "Bob Durand");
    assert_eq!(body["email"], "bob@example.test");
}

#[tokio::test]
async fn the_session_id_changes_at_login() {
    let app = app_with_login(DevClient::Json, false).await.expect("app");
    // A login in progress stores nothing on the server and sets no session cookie.
    let response = app
        .client
        .get(app.url("/api/v1.0/authenticate/?returnTo=/"))
        .send()
        .await
        .expect("authenticate");
    assert_eq!(set_cookie(&response, "meet_sessionid"), None);
    let authorization = location(&response);
    let callback = authorize(&app.client, authorization, "alice").await;
    let response = app.client.get(callback).send().await.expect("callback");
    let first = set_cookie(&response, "meet_sessionid").expect("session");
    // Logging in again (as someone else, in the same browser) gives another id, and the first
    // one is worth nothing.
    let response = app.log_in_with(&app.client, "bob", "/").await;
    let second = set_cookie(&response, "meet_sessionid").expect("session");
    let id = |cookie: &str| cookie.split(';').next().unwrap_or_default().to_owned();
    assert!(id(&first).starts_with("meet_sessionid="), "{first}");
    assert_ne!(id(&first), id(&second));
    let stale = reqwest::Client::new()
        .get(app.url("/api/v1.0/users/me/"))
        .header("cookie", id(&first))
        .send()
        .await
        .expect("me");
    assert_eq!(stale.status(), 401);
}

#[tokio::test]
async fn another_login_attempt_keeps_the_session_lifetime() {
    let app = app_with_login(DevClient::Json, false).await.expect("app");
    app.log_in("alice").await;
    // Start a second login and abandon it: the session is not touched.
    let response = app.get("/api/v1.0/authenticate/?returnTo=/").await;
    assert_eq!(response.status(), 303);
    assert_eq!(set_cookie(&response, "meet_sessionid"), None);
    let callback = app.url("/api/v1.0/callback/?code=x&state=unknown");
    let response = app.client.get(callback).send().await.expect("callback");
    assert_eq!(failure_reason(&response), "expired");
    assert_eq!(app.me(&app.client).await.0, 200, "still logged in");
}

on_both_backends!(
    logins_in_progress_store_nothing_on_the_server,
    |app| async move {
        for _ in 0..50 {
            let response = browser()
                .get(app.url("/api/v1.0/authenticate/?returnTo=/"))
                .send()
                .await
                .expect("authenticate");
            assert_eq!(response.status(), 303);
            let cookie = response
                .headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|value| value.to_str().ok())
                .find(|value| value.starts_with("meet_login_"))
                .map(str::to_owned)
                .expect("a login cookie");
            for attribute in [
                "Path=/api/v1.0/callback/",
                "HttpOnly",
                "SameSite=Lax",
                "Max-Age=900",
            ] {
                assert!(cookie.contains(attribute), "{attribute}: {cookie}");
            }
        }
        // And a logout by a visitor neither.
        let response = browser()
            .get(app.url("/api/v1.0/logout/"))
            .send()
            .await
            .expect("logout");
        assert_eq!(response.status(), 303);
        assert_eq!(app.session_count().await, 0);
        app.log_in("alice").await;
        assert_eq!(
            app.session_count().await,
            1,
            "a login that succeeds is stored"
        );
    }
);

#[tokio::test]
async fn return_to_never_leaves_meet() {
    let app = app_with_login(DevClient::Json, false).await.expect("app");
    for (index, outside) in ["https://evil.example/", "//evil.example", "/\\evil.example"]
        .iter()
        .enumerate()
    {
        let client = browser();
        let response = app.log_in_with(&client, "alice", outside).await;
        assert_eq!(
            header(&response, "location"),
            "/",
            "case {index}: {outside}"
        );
    }
}

#[tokio::test]
async fn a_silent_login_without_a_provider_session_comes_back_quietly() {
    let app = app_with_login(DevClient::Json, false).await.expect("app");
    let response = app
        .get("/api/v1.0/authenticate/?silent=true&returnTo=/abc-defg-hij")
        .await;
    let authorization = location(&response);
    assert!(
        authorization
            .query_pairs()
            .any(|(key, value)| key == "prompt" && value == "none")
    );
    let response = app.client.get(authorization).send().await.expect("auth");
    let callback = location(&response);
    assert!(
        callback
            .query_pairs()
            .any(|(key, value)| key == "error" && value == "login_required")
    );
    let response = app.client.get(callback).send().await.expect("callback");
    assert_eq!(header(&response, "location"), "/abc-defg-hij");
    assert_eq!(app.me(&app.client).await.0, 401);
}

// Refusals: each one ends on the error page, with nobody logged in and no user created.

#[tokio::test]
async fn a_wrong_state_is_refused() {
    let app = app_with_login(DevClient::Json, false).await.expect("app");
    let authorization = app.start_login(&app.client, "/").await;
    let mut callback = authorize(&app.client, authorization, "alice").await;
    let pairs: Vec<(String, String)> = callback
        .query_pairs()
        .map(|(key, value)| {
            let value = if key == "state" {
                "forged".to_owned()
            } else {
                value.into_owned()
            };
            (key.into_owned(), value)
        })
        .collect();
    callback.query_pairs_mut().clear().extend_pairs(pairs);
    let response = app.client.get(callback).send().await.expect("callback");
    assert_eq!(failure_reason(&response), "expired");
    assert_eq!(app.me(&app.client).await.0, 401);
    assert_eq!(app.user_count().await, 0);
}

#[tokio::test]
async fn a_replayed_callback_is_refused() {
    let app = app_with_login(DevClient::Json, false).await.expect("app");
    let authorization = app.start_login(&app.client, "/").await;
    let callback = authorize(&app.client, authorization, "alice").await;
    let response = app
        .client
        .get(callback.clone())
        .send()
        .await
        .expect("first use");
    assert_eq!(header(&response, "location"), "/");

    // The same callback again, in the same browser: its state was used up.
    let response = app
        .client
        .get(callback.clone())
        .send()
        .await
        .expect("replay");
    assert_eq!(failure_reason(&response), "expired");

    // The same code with a fresh state, in another browser: the provider refuses the code.
    let attacker = browser();
    let fresh = app.start_login(&attacker, "/").await;
    let state = fresh
        .query_pairs()
        .find(|(key, _)| key == "state")
        .expect("state")
        .1
        .into_owned();
    let code = callback
        .query_pairs()
        .find(|(key, _)| key == "code")
        .expect("code")
        .1
        .into_owned();
    let mut forged = app.url("/api/v1.0/callback/").parse::<Url>().expect("url");
    forged
        .query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &state);
    let response = attacker.get(forged).send().await.expect("replay");
    assert_eq!(failure_reason(&response), "expired");
    assert_eq!(app.me(&attacker).await.0, 401);
    assert_eq!(app.user_count().await, 1, "only the real login made a user");
}

#[tokio::test]
async fn an_id_token_with_another_nonce_is_refused() {
    let app = app_with_login(DevClient::Json, false).await.expect("app");
    let mut authorization = app.start_login(&app.client, "/").await;
    let pairs: Vec<(String, String)> = authorization
        .query_pairs()
        .map(|(key, value)| {
            let value = if key == "nonce" {
                "forged-nonce".to_owned()
            } else {
                value.into_owned()
            };
            (key.into_owned(), value)
        })
        .collect();
    authorization.query_pairs_mut().clear().extend_pairs(pairs);
    let callback = authorize(&app.client, authorization, "alice").await;
    let response = app.client.get(callback).send().await.expect("callback");
    assert_eq!(failure_reason(&response), "invalid_response");
    assert_eq!(app.me(&app.client).await.0, 401);
    assert_eq!(app.user_count().await, 0);
}

#[tokio::test]
async fn an_id_token_for_another_client_is_refused() {
    // A token endpoint in front of the provider that redeems the code as the other client
    // (`meet-dev-jwt`): the provider then issues an ID token whose audience is not Meet's.
    let provider = crate::dev_provider::DevProvider::start().await;
    let token_url = format!("{}/token", provider.issuer);
    let proxy = axum::Router::new().route(
        "/token",
        axum::routing::post(move |body: String| {
            let token_url = token_url.clone();
            async move {
                let mut form: Vec<(String, String)> =
                    serde_urlencoded::from_str(&body).expect("form");
                form.retain(|(key, _)| key != "client_id" && key != "client_secret");
                form.push(("client_id".into(), DevClient::Jwt.id().into()));
                form.push(("client_secret".into(), DevClient::Jwt.secret().into()));
                let response = reqwest::Client::new()
                    .post(&token_url)
                    .form(&form)
                    .send()
                    .await
                    .expect("token");
                let status = response.status().as_u16();
                let body = response.text().await.expect("body");
                (
                    axum::http::StatusCode::from_u16(status).expect("status"),
                    [("content-type", "application/json")],
                    body,
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let proxy_url = format!("http://{}/token", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, proxy).await });

    let issuer = provider.issuer.clone();
    let app = spawn_app_with(AppOptions {
        configure: Box::new(move |config| {
            let oidc = &mut config.oidc;
            oidc.issuer_url = Some(Url::parse(&issuer).expect("issuer"));
            oidc.client_id = Some(DevClient::Json.id().into());
            oidc.client_secret = Some(DevClient::Json.secret().parse().expect("secret"));
            oidc.token_endpoint = Some(Url::parse(&proxy_url).expect("proxy"));
        }),
        ..AppOptions::default()
    })
    .await
    .expect("app");
    let response = app.get("/api/v1.0/authenticate/?returnTo=/").await;
    let mut authorization = location(&response);
    let pairs: Vec<(String, String)> = authorization
        .query_pairs()
        .map(|(key, value)| {
            let value = if key == "client_id" {
                DevClient::Jwt.id().to_owned()
            } else {
                value.into_owned()
            };
            (key.into_owned(), value)
        })
        .collect();
    authorization.query_pairs_mut().clear().extend_pairs(pairs);
    let callback = authorize(&app.client, authorization, "alice").await;
    let response = app.client.get(callback).send().await.expect("callback");
    assert_eq!(failure_reason(&response), "invalid_response");
    assert_eq!(app.me(&app.client).await.0, 401);
    assert_eq!(app.user_count().await, 0);
    drop(provider);
}

#[tokio::test]
async fn cancelling_at_the_provider_is_explained() {
    let app = app_with_login(DevClient::Json, false).await.expect("app");
    let authorization = app.start_login(&app.client, "/abc-defg-hij").await;
    let interaction = location(&app.client.get(authorization).send().await.expect("auth"));
    let page = app
        .client
        .get(interaction.clone())
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("text");
    let abort = page.split("href=\"").find_map(|rest| {
        let href = rest.split('"').next()?;
        href.contains("/abort").then(|| href.replace("&amp;", "&"))
    });
    let mut url = interaction.join(&abort.expect("cancel link")).expect("url");
    while !url.as_str().starts_with(&app.url("/")) {
        url = location(&app.client.get(url).send().await.expect("redirect"));
    }
    let response = app.client.get(url).send().await.expect("callback");
    assert_eq!(failure_reason(&response), "access_denied");
    let target = location(&response);
    let page = html(
        app.get_page(&format!(
            "{}?{}",
            target.path(),
            target.query().unwrap_or_default()
        ))
        .await,
    )
    .await;
    assert!(page.contains("Login cancelled"), "{page}");
    assert!(
        page.contains(r#"href="/api/v1.0/authenticate/?returnTo=%2Fabc-defg-hij""#),
        "{page}"
    );
    assert_eq!(app.user_count().await, 0);
}

#[tokio::test]
async fn a_provider_that_is_down_is_explained() {
    let closed = {
        let socket = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
        socket.local_addr().expect("address")
    };
    let app = spawn_app_with(AppOptions {
        configure: Box::new(move |config| {
            config.oidc.issuer_url = Some(Url::parse(&format!("http://{closed}")).expect("url"));
            config.oidc.client_id = Some("meet".into());
        }),
        ..AppOptions::default()
    })
    .await
    .expect("app");
    let response = app.get("/api/v1.0/authenticate/?returnTo=/").await;
    assert_eq!(failure_reason(&response), "provider_unavailable");
    let page = html(
        app.get_page("/login/error?reason=provider_unavailable&returnTo=%2F")
            .await,
    )
    .await;
    assert!(
        page.contains("Your identity provider did not answer"),
        "{page}"
    );
    assert!(page.contains(">Try again</a>"), "{page}");
}

#[tokio::test]
async fn without_account_creation_unknown_people_are_turned_away() {
    let app = spawn_app_with(AppOptions {
        login: Some(DevClient::Json),
        configure: Box::new(|config| config.oidc.create_user = false),
        ..AppOptions::default()
    })
    .await
    .expect("app");
    let response = app.log_in_with(&app.client, "carol", "/").await;
    assert_eq!(failure_reason(&response), "account_not_allowed");
    assert_eq!(app.me(&app.client).await.0, 401);
    assert_eq!(app.user_count().await, 0);
}

#[tokio::test]
async fn cross_site_writes_are_refused_before_any_handler() {
    let app = app_with_login(DevClient::Json, false).await.expect("app");
    app.log_in("alice").await;
    let alice = users::find_by_sub(&app.database.store, "alice")
        .await
        .expect("q")
        .expect("user");
    let rooms_of_alice = || async {
        meet_domain::rooms::queries::list_for_user(&app.database.store, alice.id, 10, 0)
            .await
            .expect("q")
            .1
    };
    // Another site's page makes the logged-in browser create a meeting: refused.
    let create = app.url("/api/rooms/create");
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let response = app
            .client
            .post(&create)
            .header(name, value)
            .form(&[("for_later", "true")])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 403, "{name}: {value}");
        let body: serde_json::Value = response.json().await.expect("JSON");
        assert_eq!(body["detail"], "Cross-site requests are not allowed.");
    }
    assert_eq!(rooms_of_alice().await, 0, "nothing was created");
    // The same from Meet's own page works.
    let response = app
        .client
        .post(&create)
        .header("origin", app.url(""))
        .header("sec-fetch-site", "same-origin")
        .form(&[("for_later", "true")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 200);
    assert_eq!(rooms_of_alice().await, 1);
}

/// A provider that accepts connections and never answers, counting them.
async fn hung_provider() -> (
    std::net::SocketAddr,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let connections = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = connections.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            held.push(socket);
        }
    });
    (address, connections)
}

#[tokio::test]
async fn a_hung_provider_fails_logins_independently_and_never_holds_a_logout() {
    let (hung, connections) = hung_provider().await;
    let app = spawn_app_with(AppOptions {
        configure: Box::new(move |config| {
            config.oidc.issuer_url = Some(Url::parse(&format!("http://{hung}")).expect("url"));
            config.oidc.client_id = Some("meet".into());
        }),
        ..AppOptions::default()
    })
    .await
    .expect("app");
    let user = app.user("alice").await;
    let logged_in = app.client_for(&user).await;
    // A guard against a hang, not a measure: the logins below wait for one discovery at most.
    let guard = std::time::Duration::from_secs(60);
    tokio::time::timeout(guard, async {
        let logins: Vec<_> = (0..6)
            .map(|_| {
                let url = app.url("/api/v1.0/authenticate/?returnTo=/");
                tokio::spawn(async move { browser().get(url).send().await.expect("authenticate") })
            })
            .collect();
        for login in logins {
            let response = login.await.expect("task");
            assert_eq!(failure_reason(&response), "provider_unavailable");
        }
        assert_eq!(
            connections.load(std::sync::atomic::Ordering::SeqCst),
            1,
            "six logins at once wait for one discovery, not one each in turn"
        );
        // Right after, logins fail without asking the provider again.
        for _ in 0..3 {
            let response = app.get("/api/v1.0/authenticate/?returnTo=/").await;
            assert_eq!(failure_reason(&response), "provider_unavailable");
        }
        // A logout ends Meet's session without waiting for the provider.
        let response = logged_in
            .get(app.url("/api/v1.0/logout/"))
            .send()
            .await
            .expect("logout");
        assert_eq!(header(&response, "location"), "/");
        assert_eq!(app.me(&logged_in).await.0, 401);
        assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 1);
    })
    .await
    .expect("logins and logouts are not held by the hung provider");
}

on_both_backends!(another_site_cannot_log_people_out, |app| async move {
    app.log_in("alice").await;
    let response = app
        .client
        .get(app.url("/api/v1.0/logout/"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .expect("logout");
    assert_eq!(response.status(), 403);
    assert_eq!(app.me(&app.client).await.0, 200, "still logged in");
    let response = app
        .client
        .get(app.url("/api/v1.0/logout/"))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .expect("logout");
    assert_eq!(response.status(), 303);
    assert_eq!(app.me(&app.client).await.0, 401);
});

#[tokio::test]
async fn writes_behind_a_proxy_are_checked_against_the_public_address() {
    let app = spawn_app_with(AppOptions {
        configure: Box::new(|config| {
            config.public_url = Some(Url::parse("https://meet.example.org").expect("url"));
        }),
        ..AppOptions::default()
    })
    .await
    .expect("app");
    let create = app.url("/api/rooms/create");
    // A browser without Fetch Metadata, through a proxy that rewrote Host.
    let response = app
        .client
        .post(&create)
        .header("origin", "https://meet.example.org")
        .form(&[("for_later", "true")])
        .send()
        .await
        .expect("post");
    assert_ne!(response.status(), 403, "Meet's own page may write");
    for origin in ["http://meet.example.org", "https://evil.example"] {
        let response = app
            .client
            .post(&create)
            .header("origin", origin)
            .header("host", "meet.example.org")
            .form(&[("for_later", "true")])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 403, "{origin}");
    }
}

on_both_backends!(a_subject_with_a_nul_is_refused_cleanly, |app| async move {
    let response = app.log_in_with(&app.client, "evil\0sub", "/").await;
    assert_eq!(failure_reason(&response), "invalid_response");
    assert_eq!(app.me(&app.client).await.0, 401);
    assert_eq!(app.user_count().await, 0);
});

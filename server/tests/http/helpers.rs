//! `spawn_app()`: the real router on a free port, with a fresh SQLite database and a small site
//! root laid out as `make build` does.

use std::net::SocketAddr;
use std::path::Path;

use std::collections::HashMap;
use std::sync::Arc;

use meet_domain::clock::Clock;
use meet_domain::livekit::rooms::LiveKitRooms;
use meet_domain::testing::{OnBackend, TestDatabase, eventually};
use meet_domain::users::User;
use meet_livekit_standin::StandIn;
use meet_server::login::session::{COOKIE_NAME, MeetSessionStore};
use meet_server::{AppState, Config, build_router};
use tempfile::TempDir;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore;

use crate::dev_provider::{DevClient, DevProvider};

/// The content hashes of the fake bundle written by [`write_site`].
pub const JS_HASH: &str = "0123456789abcdef";
pub const WASM_HASH: &str = "fedcba9876543210";
pub const CSS_HASH: &str = "00112233aabbccdd";
pub const BRIDGE_HASH: &str = "aabbccdd00112233";
/// The content hashes of the meeting bundle (glue module, wasm) written by [`write_site`].
pub const MEETING_JS_HASH: &str = "1111222233334444";
pub const MEETING_WASM_HASH: &str = "5555666677778888";
/// The content hash of the meeting bundle's split loader written by [`write_site`].
pub const MEETING_SPLIT_HASH: &str = "9999aaaabbbbcccc";

/// A running server and what it needs to stay up.
pub struct TestApp {
    pub address: SocketAddr,
    /// A client that keeps cookies, like a browser, and does not follow redirects.
    pub client: reqwest::Client,
    pub database: TestDatabase,
    /// The running app's own services (not a second set beside it).
    pub services: meet_domain::Services,
    /// The development identity provider, when login is configured.
    pub provider: Option<DevProvider>,
    /// The LiveKit stand-in Meet's API calls go to (the real `livekit-api` client over HTTP).
    pub livekit: StandIn,
    _site: TempDir,
}

/// Options of [`spawn_app_with`].
pub struct AppOptions {
    /// Configure login against a fresh development provider, with this client.
    pub login: Option<DevClient>,
    /// Use PostgreSQL (`TEST_POSTGRES_URL`) instead of SQLite; `spawn` returns `None` when
    /// PostgreSQL is not configured.
    pub postgres: bool,
    /// Adjusts the configuration before the app starts.
    pub configure: Box<dyn FnOnce(&mut Config) + Send>,
    /// Open the (migrated) database read-only, as a read-only file or replica would be.
    pub read_only: bool,
    /// The clock the app reads (default: the system's).
    pub clock: Option<Arc<dyn Clock>>,
    /// The LiveKit room administration the app calls (default: the stand-in, over HTTP).
    pub livekit: Option<Arc<dyn LiveKitRooms>>,
    /// The database to use (default: a fresh one), e.g. another app's, as a second instance.
    pub database: Option<TestDatabase>,
}

impl Default for AppOptions {
    fn default() -> Self {
        Self {
            login: None,
            postgres: false,
            configure: Box::new(|_| {}),
            read_only: false,
            clock: None,
            livekit: None,
            database: None,
        }
    }
}

/// Starts the application on 127.0.0.1 with a fresh SQLite database and no login.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(AppOptions::default())
        .await
        .expect("SQLite is always available")
}

/// Starts the application as `options` say; `None` when PostgreSQL is asked for but not
/// configured.
pub async fn spawn_app_with(options: AppOptions) -> Option<TestApp> {
    let site = TempDir::new().expect("site root");
    write_site(site.path());
    let database = if let Some(database) = options.database {
        database
    } else if options.postgres {
        TestDatabase::postgres().await?
    } else {
        TestDatabase::sqlite().await
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");

    let livekit = StandIn::start("devkey", "secret").await;
    let mut config = Config::for_tests(site.path().to_owned());
    config.database_url = meet_domain::DatabaseUrl::new(database.url.clone());
    config.listen_addr = address;
    config.rooms.livekit_api_url = Some(livekit.url());
    let provider = match options.login {
        Some(client) => {
            let provider = DevProvider::start().await;
            provider.configure(&mut config, client);
            Some(provider)
        }
        None => None,
    };
    (options.configure)(&mut config);

    let store = if options.read_only {
        let url = match database.store.backend() {
            meet_domain::Backend::Sqlite => format!("{}?mode=ro", database.url),
            meet_domain::Backend::Postgres => format!(
                "{}?options=-c%20default_transaction_read_only%3Don",
                database.url
            ),
        };
        meet_domain::Store::connect(&url)
            .await
            .expect("read-only store")
    } else {
        database.store.clone()
    };
    let state = AppState::builder(config, store)
        .services(|mut services| {
            if let Some(clock) = options.clock {
                services = services.clock(clock);
            }
            if let Some(livekit) = options.livekit {
                services = services.livekit(livekit);
            }
            services
        })
        .build()
        .expect("state");
    let services = state.services.clone();
    // With PostgreSQL, the app hears other instances once its listener is up: wait for it, so
    // that tests see the app as it runs.
    eventually("the notifier is live", || async {
        services.notifier.is_live()
    })
    .await;
    let router = build_router(state).expect("router");
    tokio::spawn(async move {
        meet_server::serve::serve(listener, router, std::future::pending())
            .await
            .expect("serve")
    });
    Some(TestApp {
        address,
        client: browser(),
        database,
        services,
        provider,
        livekit,
        _site: site,
    })
}

/// A client that behaves like a browser tab: keeps cookies, follows no redirect by itself.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client")
}

impl TestApp {
    /// A browser logged in as `user`: a session stored as a login stores it, and its cookie.
    pub async fn client_for(&self, user: &User) -> reqwest::Client {
        let sessions = MeetSessionStore::new(self.services.sessions.clone());
        // An hour from now by the app's clock, which a test may have moved.
        let now = time::OffsetDateTime::from_unix_timestamp(self.services.clock.utc().timestamp())
            .expect("a time");
        let expiry = now + time::Duration::hours(1);
        let mut record = Record {
            id: Id::default(),
            data: HashMap::from([("user_id".to_owned(), serde_json::json!(user.id))]),
            expiry_date: expiry,
        };
        sessions.create(&mut record).await.expect("session");
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let url = self.url("/").parse().expect("url");
        jar.add_cookie_str(&format!("{COOKIE_NAME}={}; Path=/", record.id), &url);
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_provider(jar)
            .build()
            .expect("client")
    }

    /// A user with this `sub` (see `meet_domain::testing::user`).
    pub async fn user(&self, sub: &str) -> User {
        meet_domain::testing::user(&self.database.store, sub).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// `GET path` as a browser navigating to it would ask.
    pub async fn get_page(&self, path: &str) -> reqwest::Response {
        self.get_page_with(&self.client, path).await
    }

    /// `GET path` as a browser navigating to it would ask, from `client` (a logged-in one, say).
    pub async fn get_page_with(&self, client: &reqwest::Client, path: &str) -> reqwest::Response {
        client
            .get(self.url(path))
            .header("accept", "text/html,application/xhtml+xml")
            .send()
            .await
            .expect("request")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }
}

/// Lays out a site root like `scripts/build-site.sh`: hashed bundle files, `manifest.json`, a gzip
/// copy of the wasm, and the files of `public/`.
pub fn write_site(root: &Path) {
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    // Each bundle by name, with its hash and content; the manifest is made from the same list.
    let bundles: [(&str, &str, &[u8]); 7] = [
        ("meet.js", JS_HASH, b"export default function () {}\n"),
        ("meet.wasm", WASM_HASH, b"\0asm\x01\0\0\0"),
        (
            "meeting.js",
            MEETING_JS_HASH,
            b"export default function () {}\n",
        ),
        ("meeting.wasm", MEETING_WASM_HASH, b"\0asm\x01\0\0\0"),
        (
            "meeting-split.js",
            MEETING_SPLIT_HASH,
            b"import { initSync } from \"meeting\";\n",
        ),
        ("meet.css", CSS_HASH, b"body { color: black; }\n"),
        (
            "livekit-bridge.js",
            BRIDGE_HASH,
            b"export function livekitVersion() { return \"test\"; }\n",
        ),
    ];
    let mut manifest = serde_json::Map::new();
    for (name, hash, content) in bundles {
        let (stem, extension) = name.rsplit_once('.').unwrap();
        let file = format!("{stem}.{hash}.{extension}");
        std::fs::write(pkg.join(&file), content).unwrap();
        manifest.insert(name.to_owned(), file.into());
    }
    std::fs::write(
        pkg.join(format!("meet.{WASM_HASH}.wasm.gz")),
        b"gzipped wasm",
    )
    .unwrap();
    std::fs::write(
        pkg.join("manifest.json"),
        serde_json::Value::Object(manifest).to_string(),
    )
    .unwrap();
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for file in ["favicon.svg", "robots.txt"] {
        std::fs::copy(repository.join("public").join(file), root.join(file)).unwrap();
    }
}

/// The text of a response body.
pub async fn text(response: reqwest::Response) -> String {
    response.text().await.expect("body")
}

/// The HTML of a page with Leptos's hydration markers (`<!>`) removed, for assertions on text.
pub async fn html(response: reqwest::Response) -> String {
    text(response).await.replace("<!>", "")
}

/// A header of `response` as text, or "" when absent.
pub fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|value| value.to_str().expect("ASCII header").to_owned())
        .unwrap_or_default()
}

/// `GET url` with `client`, and its JSON body.
pub async fn get_json(client: &reqwest::Client, url: impl reqwest::IntoUrl) -> serde_json::Value {
    client
        .get(url)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("a JSON body")
}

/// The `Set-Cookie` header of `response` that sets cookie `name`, if any.
pub fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// Waits (up to 10 s) until at least `count` connections to the app's PostgreSQL database wait
/// for a lock: requests stuck behind a table a test locked.
pub async fn until_waiting_for_locks(pool: &sqlx::PgPool, count: i64) {
    eventually(&format!("{count} requests wait for the lock"), || async {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(pool)
        .await
        .expect("pg_stat_activity");
        waiting >= count
    })
    .await;
}

/// A running app on each backend, for [`meet_domain::per_backend!`].
impl OnBackend for TestApp {
    async fn on(backend: meet_domain::Backend) -> Option<Self> {
        let options = AppOptions {
            postgres: backend == meet_domain::Backend::Postgres,
            ..AppOptions::default()
        };
        spawn_app_with(options).await
    }
}

/// Calls the server function at `path` with a form, as the pages' scripts do (a same-origin
/// post): its status and its JSON answer (or its text, when not JSON).
pub async fn call_server_fn(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    let response = client
        .post(app.url(path))
        .header("sec-fetch-site", "same-origin")
        .form(form)
        .send()
        .await
        .expect("post");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// The program `name` on the `PATH`, if there is one (the test servers from PyPI).
pub fn which(program: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|folder| folder.join(program))
        .find(|candidate| candidate.is_file())
}

/// `user`, now speaking French in Paris's time zone.
pub async fn speaking_french(store: &meet_domain::Store, user: &User) -> User {
    let preferences = meet_domain::users::Preferences {
        language: "fr-fr".to_owned(),
        timezone: "Europe/Paris".to_owned(),
        ..user.preferences()
    };
    meet_domain::users::update_preferences(store, user.id, &preferences)
        .await
        .expect("French")
}

impl TestApp {
    /// `host` records the meeting at `slug` in `mode` through the REST API, then stops; once
    /// the stand-in's webhooks are delivered, the recording as `host`'s list shows it.
    pub async fn record_once(
        &self,
        host: &reqwest::Client,
        slug: &str,
        mode: &str,
    ) -> serde_json::Value {
        let path = |action: &str| self.url(&format!("/api/v1.0/rooms/{slug}/{action}/"));
        let start = host
            .post(path("start-recording"))
            .json(&serde_json::json!({ "mode": mode }))
            .send()
            .await
            .expect("start");
        assert_eq!(start.status(), 201);
        let stop = host
            .post(path("stop-recording"))
            .send()
            .await
            .expect("stop");
        assert_eq!(stop.status(), 200);
        self.livekit.flush_webhooks().await;
        let list: serde_json::Value = host
            .get(self.url("/api/v1.0/recordings/"))
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("JSON");
        list["results"][0].clone()
    }
}

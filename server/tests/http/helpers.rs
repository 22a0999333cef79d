//! `spawn_app()`: the real router on a free port, with a fresh SQLite database and a small site
//! root laid out as `make build` does.

use std::net::SocketAddr;
use std::path::Path;

use meet_domain::testing::TestDatabase;

use crate::dev_provider::{DevClient, DevProvider};
use meet_server::{AppState, Config, build_router};
use tempfile::TempDir;

/// The content hashes of the fake bundle written by [`write_site`].
pub const JS_HASH: &str = "0123456789abcdef";
pub const WASM_HASH: &str = "fedcba9876543210";
pub const CSS_HASH: &str = "00112233aabbccdd";

/// A running server and what it needs to stay up.
pub struct TestApp {
    pub address: SocketAddr,
    /// A client that keeps cookies, like a browser, and does not follow redirects.
    pub client: reqwest::Client,
    pub database: TestDatabase,
    /// The development identity provider, when login is configured.
    pub provider: Option<DevProvider>,
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
}

impl Default for AppOptions {
    fn default() -> Self {
        Self {
            login: None,
            postgres: false,
            configure: Box::new(|_| {}),
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
    let database = if options.postgres {
        TestDatabase::postgres().await?
    } else {
        TestDatabase::sqlite().await
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");

    let mut config = Config::for_tests(site.path().to_owned());
    config.database_url = database.url.clone();
    config.listen_addr = address;
    let provider = match options.login {
        Some(client) => {
            let provider = DevProvider::start().await;
            provider.configure(&mut config, client);
            Some(provider)
        }
        None => None,
    };
    (options.configure)(&mut config);

    let state = AppState::new(config, database.store.clone())
        .await
        .expect("state");
    let router = build_router(state).expect("router");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
    Some(TestApp {
        address,
        client: browser(),
        database,
        provider,
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
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// `GET path` as a browser navigating to it would ask.
    pub async fn get_page(&self, path: &str) -> reqwest::Response {
        self.client
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

/// Lays out a site root like `scripts/build-site.sh`: hashed bundle files, `hash.txt`, a gzip
/// copy of the wasm, and the files of `public/`.
pub fn write_site(root: &Path) {
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        pkg.join(format!("meet.{JS_HASH}.js")),
        "export default function () {}\n",
    )
    .unwrap();
    std::fs::write(
        pkg.join(format!("meet.{WASM_HASH}.wasm")),
        b"\0asm\x01\0\0\0",
    )
    .unwrap();
    std::fs::write(
        pkg.join(format!("meet.{WASM_HASH}.wasm.gz")),
        b"gzipped wasm",
    )
    .unwrap();
    std::fs::write(
        pkg.join(format!("meet.{CSS_HASH}.css")),
        "body { color: black; }\n",
    )
    .unwrap();
    std::fs::write(
        pkg.join("hash.txt"),
        format!("js: {JS_HASH}\nwasm: {WASM_HASH}\ncss: {CSS_HASH}\n"),
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

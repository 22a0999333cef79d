//! The development identity provider (`end2end/oidc/dev-provider.mjs`, npm `oidc-provider`),
//! started for a test on a free port, and the steps a person takes on its pages.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use meet_server::Config;
use meet_server::config::{ClientAuthMethod, Secret};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use url::Url;

/// The provider's two clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DevClient {
    /// `meet-dev`: client_secret_basic, userinfo as JSON.
    Json,
    /// `meet-dev-jwt`: client_secret_post, userinfo as a signed JWT.
    Jwt,
}

impl DevClient {
    pub fn id(self) -> &'static str {
        match self {
            Self::Json => "meet-dev",
            Self::Jwt => "meet-dev-jwt",
        }
    }

    pub fn secret(self) -> &'static str {
        match self {
            Self::Json => "meet-dev-secret",
            Self::Jwt => "meet-dev-jwt-secret",
        }
    }
}

/// A running development provider; stopped when dropped.
pub struct DevProvider {
    pub issuer: String,
    /// Killed on drop (`kill_on_drop`).
    _child: Child,
}

impl DevProvider {
    /// Starts the provider on a free loopback port and waits until it serves.
    pub async fn start() -> Self {
        let port = {
            let socket = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
            socket.local_addr().expect("address").port()
        };
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let script = root.join("end2end/oidc/dev-provider.mjs");
        let mut child = Command::new("node")
            .arg(&script)
            .current_dir(&root)
            .env("DEV_OIDC_PORT", port.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs the dev provider (run `make tools` for its npm packages)");
        // Its errors help understand a failing test.
        let mut errors = BufReader::new(child.stderr.take().expect("stderr")).lines();
        tokio::spawn(async move {
            while let Ok(Some(line)) = errors.next_line().await {
                eprintln!("dev provider: {line}");
            }
        });
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let ready = tokio::time::timeout(Duration::from_secs(20), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if line.contains("dev OIDC provider") {
                    return true;
                }
            }
            false
        })
        .await;
        assert_eq!(ready, Ok(true), "the dev provider did not start");
        Self {
            issuer: format!("http://127.0.0.1:{port}"),
            _child: child,
        }
    }

    /// Points `config` at this provider with `client`, the way `make run` does.
    pub fn configure(&self, config: &mut Config, client: DevClient) {
        let oidc = &mut config.oidc;
        oidc.issuer_url = Some(Url::parse(&self.issuer).expect("issuer"));
        oidc.client_id = Some(client.id().to_owned());
        oidc.client_secret = Some(client.secret().parse::<Secret>().expect("secret"));
        oidc.client_auth_method = match client {
            DevClient::Json => ClientAuthMethod::ClientSecretBasic,
            DevClient::Jwt => ClientAuthMethod::ClientSecretPost,
        };
        oidc.scopes = "openid email given_name usual_name".to_owned();
    }
}

/// `location` resolved against `base`.
pub fn resolve(base: &Url, location: &str) -> Url {
    base.join(location).expect("valid Location")
}

/// The `Location` of a redirect response, resolved against its URL.
pub fn location(response: &reqwest::Response) -> Url {
    assert!(
        response.status().is_redirection(),
        "expected a redirect from {}, got {}",
        response.url(),
        response.status()
    );
    let location = response.headers()["location"]
        .to_str()
        .expect("ASCII Location");
    resolve(response.url(), location)
}

/// Plays a person at the provider: from the authorisation URL, through the login form (typing
/// `login` and any password) until the provider redirects back to an address outside itself,
/// which is returned (Meet's callback, with `code` and `state`).
pub async fn authorize(client: &reqwest::Client, authorization_url: Url, login: &str) -> Url {
    let provider = authorization_url.origin();
    let mut url = authorization_url;
    for _ in 0..10 {
        if url.origin() != provider {
            return url;
        }
        let response = client
            .get(url.clone())
            .send()
            .await
            .expect("provider answers");
        if response.status().is_redirection() {
            url = location(&response);
            continue;
        }
        assert_eq!(response.status(), 200, "unexpected provider page at {url}");
        let page = response.text().await.expect("page");
        let action =
            form_action(&page).unwrap_or_else(|| panic!("no login form at {url}:\n{page}"));
        let response = client
            .post(resolve(&url, &action))
            .form(&[("prompt", "login"), ("login", login), ("password", "any")])
            .send()
            .await
            .expect("login form posted");
        if !response.status().is_redirection() {
            let status = response.status();
            panic!(
                "login form refused ({status}): {}",
                response.text().await.unwrap_or_default()
            );
        }
        url = location(&response);
    }
    panic!("the provider never sent the browser back");
}

/// The `action` of the first form of `page`.
pub fn form_action(page: &str) -> Option<String> {
    let start = page.find("<form")?;
    let rest = &page[start..];
    let action = rest.split("action=\"").nth(1)?.split('"').next()?;
    Some(action.replace("&amp;", "&"))
}

/// The hidden inputs of the first form of `page`, as (name, value).
pub fn hidden_inputs(page: &str) -> Vec<(String, String)> {
    page.split("<input")
        .skip(1)
        .filter(|input| input.contains("type=\"hidden\""))
        .filter_map(|input| {
            let attribute = |name: &str| {
                input
                    .split(&format!("{name}=\""))
                    .nth(1)?
                    .split('"')
                    .next()
                    .map(str::to_owned)
            };
            Some((attribute("name")?, attribute("value").unwrap_or_default()))
        })
        .collect()
}

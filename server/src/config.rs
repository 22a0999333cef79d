//! Meet's configuration: read once at startup from the environment (and an optional `.env` file
//! in the working directory), or from the equivalent command-line flags. A bad value stops the
//! start with a message naming the variable. Every variable is listed by `meet --help` and
//! documented in `.env.example` and the README.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use url::Url;

mod analytics;
mod email;
mod oidc;
mod recording;
mod rooms;

pub use analytics::{AnalyticsConfig, AnalyticsSetupError, Backends, Emails};
pub use email::{EmailConfig, EmailSetupError, SmtpSecurity, SmtpSettings};
pub use meet_domain::{DatabaseUrl, Secret};
pub use oidc::{ClientAuthMethod, ExtraParams, OidcConfig};
pub use recording::{RecordingConfig, RecordingSetupError};
pub use rooms::RoomsConfig;

/// Meet: video meetings in the browser, with rooms, lobby and recording on top of LiveKit.
///
/// Every option can be given as an environment variable (shown in brackets) or as a flag; flags
/// win. A `.env` file in the working directory is read first, without overriding variables that
/// are already set. Log verbosity follows `RUST_LOG` (default `info`).
#[derive(Debug, Clone, Parser)]
#[command(name = "meet", version, about, long_about, max_term_width = 100)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(
        long,
        env = "MEET_LISTEN_ADDR",
        value_name = "MEET_LISTEN_ADDR",
        default_value = "127.0.0.1:8080"
    )]
    pub listen_addr: SocketAddr,

    /// Database: `sqlite://FILE` (created if missing) or `postgres://USER:PASSWORD@HOST/DB`.
    #[arg(
        long,
        env = "DATABASE_URL",
        value_name = "DATABASE_URL",
        default_value = "sqlite://meet.db",
        hide_env_values = true
    )]
    pub database_url: DatabaseUrl,

    /// LiveKit server URL as browsers reach it (`ws://` or `wss://`).
    #[arg(long, env = "LIVEKIT_URL", value_name = "LIVEKIT_URL", default_value = "ws://127.0.0.1:7880", value_parser = parse_livekit_url)]
    pub livekit_url: String,

    /// LiveKit API key, used to sign access tokens and call the server API.
    #[arg(
        long,
        env = "LIVEKIT_API_KEY",
        value_name = "LIVEKIT_API_KEY",
        default_value = "devkey"
    )]
    pub livekit_api_key: String,

    /// LiveKit API secret paired with the key.
    #[arg(
        long,
        env = "LIVEKIT_API_SECRET",
        value_name = "LIVEKIT_API_SECRET",
        default_value = "secret",
        hide_env_values = true,
        hide_default_value = true
    )]
    pub livekit_api_secret: Secret,

    /// Folder holding the built front end (`pkg/` with the hashed wasm, JS and CSS, plus the files
    /// of `public/`), as laid out by `make build`.
    #[arg(
        long,
        env = "MEET_SITE_ROOT",
        value_name = "MEET_SITE_ROOT",
        default_value = "target/site"
    )]
    pub site_root: PathBuf,

    /// Log format: `human` (default) or `json`, one object per line.
    #[arg(long, env = "MEET_LOG_FORMAT", value_name = "MEET_LOG_FORMAT", value_enum, default_value_t = LogFormat::Human)]
    pub log_format: LogFormat,

    /// The address people use to reach Meet, e.g. `https://meet.example.org`: the base of the
    /// login callback, and `https` here makes the session cookie `Secure`. Default:
    /// `http://` + `MEET_LISTEN_ADDR`.
    #[arg(long, env = "MEET_PUBLIC_URL", value_name = "MEET_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<Url>,

    /// How long a login lasts, in seconds (default 12 hours).
    #[arg(long, env = "SESSION_COOKIE_AGE", value_name = "SESSION_COOKIE_AGE", default_value_t = 43_200, value_parser = clap::value_parser!(u32).range(1..))]
    pub session_cookie_age: u32,

    #[command(flatten)]
    pub rooms: RoomsConfig,

    #[command(flatten)]
    pub recording: RecordingConfig,

    #[command(flatten)]
    pub email: EmailConfig,

    #[command(flatten)]
    pub oidc: OidcConfig,

    #[command(flatten)]
    pub analytics: AnalyticsConfig,
}

/// The shortest LiveKit API secret accepted in production (LiveKit's own minimum).
pub const MIN_SECRET_CHARS: usize = 32;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Readable lines for a terminal.
    Human,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Accepts `ws://`, `wss://`, `http://` or `https://` followed by a host.
pub(crate) fn parse_livekit_url(value: &str) -> Result<String, String> {
    let (scheme, rest) = value
        .split_once("://")
        .ok_or_else(|| "expected a URL such as ws://127.0.0.1:7880".to_owned())?;
    if !matches!(scheme, "ws" | "wss" | "http" | "https") {
        return Err(format!(
            "scheme {scheme:?} is not one of ws, wss, http, https"
        ));
    }
    if rest.is_empty() || rest.starts_with('/') {
        return Err("the URL has no host".to_owned());
    }
    Ok(value.trim_end_matches('/').to_owned())
}

/// Accepts an `http` or `https` URL without query or fragment; drops a trailing slash.
fn parse_public_url(value: &str) -> Result<Url, String> {
    let url = Url::parse(value).map_err(|error| error.to_string())?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err("expected an http:// or https:// URL".to_owned());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("must not have a query or a fragment".to_owned());
    }
    let trimmed = url.as_str().trim_end_matches('/').to_owned();
    Url::parse(&trimmed).map_err(|error| error.to_string())
}

/// Why the configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The `.env` file exists but cannot be read or parsed.
    #[error("cannot read .env: {0}")]
    DotEnv(#[from] dotenvy::Error),
    /// Values that are fine alone but not together.
    #[error("{0}")]
    Invalid(String),
}

impl Config {
    /// Reads `.env` (if present) into the environment, then parses flags and environment.
    /// `--help`, `--version` and invalid values end the process with clap's message.
    pub fn load() -> Result<Self, ConfigError> {
        match dotenvy::dotenv() {
            Ok(_) => {}
            Err(error) if error.not_found() => {}
            Err(error) => return Err(error.into()),
        }
        let config = Self::parse();
        config.oidc.validate().map_err(ConfigError::Invalid)?;
        config.validate_secrets().map_err(ConfigError::Invalid)?;
        Ok(config)
    }

    /// Refuses a development LiveKit secret (`secret`, or anything shorter than LiveKit accepts
    /// outside its `--dev` mode) when Meet is served over https, that is, in production: with
    /// it anyone could mint tokens for any room, and forge guest identities.
    pub fn validate_secrets(&self) -> Result<(), String> {
        let secret = self.livekit_api_secret.expose();
        let https = self.public_url().starts_with("https://");
        if https && (secret == "secret" || secret.chars().count() < MIN_SECRET_CHARS) {
            return Err(format!(
                "LIVEKIT_API_SECRET: a development secret with an https MEET_PUBLIC_URL; set the \
                 LiveKit server's API secret, a random string of at least {MIN_SECRET_CHARS} \
                 characters (for example: openssl rand -base64 48)"
            ));
        }
        Ok(())
    }

    /// The address people use to reach Meet, without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.as_str().trim_end_matches('/').to_owned(),
            None => {
                let address = self.listen_addr;
                let host = if address.ip().is_unspecified() {
                    "localhost".to_owned()
                } else {
                    address.to_string()
                };
                if address.ip().is_unspecified() {
                    format!("http://{host}:{}", address.port())
                } else {
                    format!("http://{host}")
                }
            }
        }
    }

    /// The defaults, with the site root pointed at `site_root`: what tests start from.
    pub fn for_tests(site_root: PathBuf) -> Self {
        Self {
            listen_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: DatabaseUrl::new("sqlite::memory:"),
            livekit_url: "ws://127.0.0.1:7880".to_owned(),
            livekit_api_key: "devkey".to_owned(),
            livekit_api_secret: Secret::new("secret"),
            site_root,
            log_format: LogFormat::Human,
            public_url: None,
            session_cookie_age: 43_200,
            rooms: RoomsConfig::defaults(),
            recording: RecordingConfig::defaults(),
            email: EmailConfig::defaults(),
            oidc: OidcConfig::disabled(),
            analytics: AnalyticsConfig::defaults(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, clap::Error> {
        Config::try_parse_from(std::iter::once("meet").chain(args.iter().copied()))
    }

    /// The default of the option read from `variable`, as declared (the test process's own
    /// environment does not matter).
    fn default_of(variable: &str) -> String {
        let command = <Config as clap::CommandFactory>::command();
        let argument = command
            .get_arguments()
            .find(|argument| argument.get_env().is_some_and(|env| env == variable))
            .expect("option exists");
        let defaults = argument.get_default_values();
        defaults
            .first()
            .expect("has a default")
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn defaults_match_livekit_dev_mode() {
        assert_eq!(default_of("LIVEKIT_URL"), "ws://127.0.0.1:7880");
        assert_eq!(default_of("LIVEKIT_API_KEY"), "devkey");
        assert_eq!(default_of("LIVEKIT_API_SECRET"), "secret");
        assert_eq!(default_of("MEET_LISTEN_ADDR"), "127.0.0.1:8080");
        assert_eq!(default_of("DATABASE_URL"), "sqlite://meet.db");
    }

    #[test]
    fn a_bad_value_names_its_variable() {
        let error = parse(&["--listen-addr", "not-an-address"]).expect_err("refused");
        let message = error.to_string();
        assert!(message.contains("MEET_LISTEN_ADDR"), "{message}");

        let error = parse(&["--livekit-url", "ftp://example.org"]).expect_err("refused");
        let message = error.to_string();
        assert!(
            message.contains("LIVEKIT_URL") && message.contains("ftp"),
            "{message}"
        );

        let error = parse(&["--log-format", "xml"]).expect_err("refused");
        assert!(error.to_string().contains("MEET_LOG_FORMAT"), "{error}");
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let config = parse(&[
            "--livekit-api-secret",
            "hunter2",
            "--database-url",
            "postgres://meet:hunter2@db/meet?password=hunter2",
            "--oidc-client-secret",
            "hunter2",
        ])
        .expect("parses");
        let debug = format!("{config:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        let settings = crate::state::room_settings(&config);
        assert!(!format!("{settings:?}").contains("hunter2"), "{settings:?}");
        assert_eq!(config.livekit_api_secret.expose(), "hunter2");
    }

    /// The environment variable of every option.
    fn variables() -> Vec<String> {
        let command = <Config as clap::CommandFactory>::command();
        command
            .get_arguments()
            .filter(|argument| !matches!(argument.get_id().as_str(), "help" | "version"))
            .map(|argument| {
                let env = argument.get_env();
                let env = env.unwrap_or_else(|| panic!("--{} has no variable", argument.get_id()));
                env.to_string_lossy().into_owned()
            })
            .collect()
    }

    #[test]
    fn every_variable_is_in_help_env_example_and_readme() {
        let mut command = <Config as clap::CommandFactory>::command();
        let help = command.render_long_help().to_string();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let example = std::fs::read_to_string(root.join(".env.example")).expect(".env.example");
        let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
        let variables = variables();
        assert!(variables.len() >= 20, "{variables:?}");
        for variable in variables {
            assert!(help.contains(&variable), "{variable} missing from --help");
            assert!(
                example.contains(&variable),
                "{variable} missing from .env.example"
            );
            assert!(
                readme.contains(&format!("`{variable}`")),
                "{variable} missing from README"
            );
        }
    }

    #[test]
    fn a_development_secret_is_refused_over_https() {
        let development = parse(&["--public-url", "https://meet.example.org"]).expect("parses");
        let error = development.validate_secrets().expect_err("refused");
        assert!(error.starts_with("LIVEKIT_API_SECRET:"), "{error}");
        let short = parse(&[
            "--public-url",
            "https://meet.example.org",
            "--livekit-api-secret",
            "short-but-not-secret",
        ])
        .expect("parses");
        assert!(short.validate_secrets().is_err());
        let strong = parse(&[
            "--public-url",
            "https://meet.example.org",
            "--livekit-api-secret",
            "v3ry-l0ng-r4nd0m-s3cr3t-0f-48-ch4r4ct3rs-xxxxxxxx",
        ])
        .expect("parses");
        assert_eq!(strong.validate_secrets(), Ok(()));
        let local = parse(&[]).expect("parses");
        assert_eq!(
            local.validate_secrets(),
            Ok(()),
            "plain http: a development setup"
        );
    }

    #[test]
    fn the_public_url_defaults_to_the_listen_address() {
        let config = parse(&["--listen-addr", "127.0.0.1:9000"]).expect("parses");
        assert_eq!(config.public_url(), "http://127.0.0.1:9000");
        let config = parse(&["--listen-addr", "0.0.0.0:9000"]).expect("parses");
        assert_eq!(config.public_url(), "http://localhost:9000");
        let config = parse(&["--public-url", "https://meet.example.org/"]).expect("parses");
        assert_eq!(config.public_url(), "https://meet.example.org");
        assert!(parse(&["--public-url", "ftp://x"]).is_err());
        assert!(parse(&["--public-url", "https://x/?a=1"]).is_err());
    }
}

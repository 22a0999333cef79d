//! Product analytics and operations settings: where product events go (`ANALYTICS_*`), who may
//! see the usage page (`MEET_ADMIN_EMAILS`), who may read the Prometheus metrics
//! (`METRICS_TOKEN`) and where errors are reported (`SENTRY_DSN`). All off by default.

use std::sync::Arc;

use clap::Args;
use meet_domain::Secret;
use meet_domain::analytics::{Analytics, DatabaseSink, Sink};
use meet_domain::store::Store;
use url::Url;

/// The shortest `ANALYTICS_SECRET` accepted: the key of the hashes that stand for people.
pub const MIN_ANALYTICS_SECRET_CHARS: usize = 32;

/// Why the analytics settings are unusable: the message names the setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalyticsSetupError {
    #[error(
        "ANALYTICS_SECRET must be set (at least {MIN_ANALYTICS_SECRET_CHARS} characters) when \
         ANALYTICS_BACKEND is: it keys the hashes that stand for people"
    )]
    NoSecret,
    #[error("ANALYTICS_SECRET must be at least {MIN_ANALYTICS_SECRET_CHARS} characters long")]
    ShortSecret,
    #[error(
        "ANALYTICS_POSTHOG_HOST and ANALYTICS_POSTHOG_KEY must be set with ANALYTICS_BACKEND=posthog"
    )]
    PostHog,
    #[error("the PostHog client could not be built: {0}")]
    Client(String),
}

/// Which sinks `ANALYTICS_BACKEND` names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backends {
    pub db: bool,
    pub posthog: bool,
}

impl Backends {
    pub fn any(self) -> bool {
        self.db || self.posthog
    }
}

/// `db`, `posthog`, both separated by a comma, or nothing (`off`, `none` or empty): off.
fn parse_backends(value: &str) -> Result<Backends, String> {
    let mut backends = Backends::default();
    for name in value.split(',').map(str::trim) {
        match name.to_ascii_lowercase().as_str() {
            "" | "off" | "none" => {}
            "db" => backends.db = true,
            "posthog" => backends.posthog = true,
            _ => {
                let name: String = name.chars().take(40).collect();
                return Err(format!(
                    "{name:?} is not a backend: use db, posthog or db,posthog (empty: off)"
                ));
            }
        }
    }
    Ok(backends)
}

/// A list of email addresses, as one variable holds it (separated by commas).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Emails(pub Vec<String>);

fn parse_emails(value: &str) -> Result<Emails, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|email| !email.is_empty())
        .map(|email| {
            let shaped = email.len() <= 254
                && email.split_once('@').is_some_and(|(user, host)| {
                    !user.is_empty() && !host.is_empty() && !host.contains('@')
                })
                && !email.chars().any(|c| c.is_whitespace() || c.is_control());
            if shaped {
                Ok(email.to_owned())
            } else {
                let email: String = email.chars().take(60).collect();
                Err(format!("{email:?} is not an email address"))
            }
        })
        .collect::<Result<Vec<String>, String>>()
        .map(Emails)
}

fn parse_dsn(value: &str) -> Result<Secret, String> {
    crate::telemetry::check_dsn(value)?;
    Ok(Secret::new(value))
}

fn parse_http_url(value: &str) -> Result<Url, String> {
    let url = Url::parse(value).map_err(|error| format!("not a URL: {error}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err("expected an http:// or https:// address".to_owned());
    }
    Ok(url)
}

/// The analytics and operations variables.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Analytics and operations")]
pub struct AnalyticsConfig {
    /// Where product events go: `db` (Meet's database, shown on /admin/usage), `posthog` (a
    /// PostHog-compatible capture endpoint), `db,posthog`, or nothing (off).
    #[arg(long, env = "ANALYTICS_BACKEND", value_name = "ANALYTICS_BACKEND", default_value = "", value_parser = parse_backends)]
    pub analytics_backend: Backends,

    /// The key of the hashes that stand for people and rooms in events (at least 32
    /// characters; the same on every instance). Changing it makes everyone new.
    #[arg(
        long,
        env = "ANALYTICS_SECRET",
        value_name = "ANALYTICS_SECRET",
        hide_env_values = true
    )]
    pub analytics_secret: Option<Secret>,

    /// How many days events are kept in Meet's database.
    #[arg(long, env = "ANALYTICS_RETENTION_DAYS", value_name = "ANALYTICS_RETENTION_DAYS", default_value_t = 395, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub analytics_retention_days: u32,

    /// The PostHog (or compatible) server events are sent to, e.g. `https://eu.i.posthog.com`.
    #[arg(long, env = "ANALYTICS_POSTHOG_HOST", value_name = "ANALYTICS_POSTHOG_HOST", value_parser = parse_http_url)]
    pub analytics_posthog_host: Option<Url>,

    /// The PostHog project's API key (public: the front end of La Suite Meet shows it too).
    #[arg(
        long,
        env = "ANALYTICS_POSTHOG_KEY",
        value_name = "ANALYTICS_POSTHOG_KEY"
    )]
    pub analytics_posthog_key: Option<String>,

    /// The operators, by email, separated by commas: they may see /admin/usage.
    #[arg(long, env = "MEET_ADMIN_EMAILS", value_name = "MEET_ADMIN_EMAILS", default_value = "", value_parser = parse_emails)]
    pub meet_admin_emails: Emails,

    /// The bearer token Prometheus sends to read /metrics. Unset: /metrics answers 404.
    #[arg(
        long,
        env = "METRICS_TOKEN",
        value_name = "METRICS_TOKEN",
        hide_env_values = true
    )]
    pub metrics_token: Option<Secret>,

    /// A Sentry (or compatible) DSN errors are reported to. Unset: errors are only logged.
    #[arg(
        long,
        env = "SENTRY_DSN",
        value_name = "SENTRY_DSN",
        hide_env_values = true,
        value_parser = parse_dsn
    )]
    pub sentry_dsn: Option<Secret>,
}

impl AnalyticsConfig {
    /// Everything off.
    pub fn defaults() -> Self {
        Self {
            analytics_backend: Backends::default(),
            analytics_secret: None,
            analytics_retention_days: 395,
            analytics_posthog_host: None,
            analytics_posthog_key: None,
            meet_admin_emails: Emails::default(),
            metrics_token: None,
            sentry_dsn: None,
        }
    }

    /// The PostHog server and key, when set.
    pub fn posthog(&self) -> Option<(&Url, &str)> {
        let key = self
            .analytics_posthog_key
            .as_deref()
            .filter(|key| !key.trim().is_empty())?;
        Some((self.analytics_posthog_host.as_ref()?, key))
    }

    /// The analytics these settings describe, over `store` (this starts each sink's task, so it
    /// must run within a Tokio runtime).
    pub fn analytics(&self, store: &Store) -> Result<Analytics, AnalyticsSetupError> {
        let backends = self.analytics_backend;
        if !backends.any() {
            return Ok(Analytics::off());
        }
        let secret = self
            .analytics_secret
            .as_ref()
            .ok_or(AnalyticsSetupError::NoSecret)?;
        if secret.expose().chars().count() < MIN_ANALYTICS_SECRET_CHARS {
            return Err(AnalyticsSetupError::ShortSecret);
        }
        let mut sinks: Vec<Arc<dyn Sink>> = Vec::new();
        if backends.db {
            sinks.push(Arc::new(DatabaseSink(store.clone())));
        }
        if backends.posthog {
            let (host, key) = self.posthog().ok_or(AnalyticsSetupError::PostHog)?;
            let sink = crate::posthog::PostHogSink::new(host, key)
                .map_err(|error| AnalyticsSetupError::Client(error.to_string()))?;
            sinks.push(Arc::new(sink));
        }
        Ok(Analytics::new(secret.expose().as_bytes(), sinks))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_are_read() {
        assert_eq!(parse_backends(""), Ok(Backends::default()));
        assert_eq!(parse_backends("off"), Ok(Backends::default()));
        assert_eq!(
            parse_backends("db"),
            Ok(Backends {
                db: true,
                posthog: false
            })
        );
        assert_eq!(
            parse_backends(" DB , posthog "),
            Ok(Backends {
                db: true,
                posthog: true
            })
        );
        let error = parse_backends("db,core.analytics.posthog").unwrap_err();
        assert!(error.contains("is not a backend"), "{error}");
    }

    #[test]
    fn emails_are_checked() {
        assert_eq!(
            parse_emails(" a@example.org, B@example.org ,"),
            Ok(Emails(vec![
                "a@example.org".to_owned(),
                "B@example.org".to_owned()
            ]))
        );
        assert_eq!(parse_emails(""), Ok(Emails::default()));
        for bad in ["admin", "@example.org", "a@", "a b@example.org", "a@b@c"] {
            assert!(parse_emails(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn turning_analytics_on_takes_a_secret_and_a_complete_posthog() {
        let database = meet_domain::testing::TestDatabase::sqlite().await;
        let store = database.store.clone();
        let mut config = AnalyticsConfig::defaults();
        assert!(!config.analytics(&store).unwrap().is_on());
        config.analytics_backend = Backends {
            db: true,
            posthog: false,
        };
        assert_eq!(
            config.analytics(&store).unwrap_err(),
            AnalyticsSetupError::NoSecret
        );
        config.analytics_secret = Some(Secret::new("short"));
        assert_eq!(
            config.analytics(&store).unwrap_err(),
            AnalyticsSetupError::ShortSecret
        );
        config.analytics_secret = Some(Secret::new("s".repeat(32)));
        assert!(config.analytics(&store).unwrap().is_on());
        config.analytics_backend.posthog = true;
        assert_eq!(
            config.analytics(&store).unwrap_err(),
            AnalyticsSetupError::PostHog
        );
        config.analytics_posthog_host = Some(Url::parse("http://127.0.0.1:9").unwrap());
        config.analytics_posthog_key = Some("phc_key".into());
        let analytics = config.analytics(&store).unwrap();
        let sinks: Vec<&str> = analytics.counts().iter().map(|(name, _)| *name).collect();
        assert_eq!(sinks, ["db", "posthog"]);
    }
}

//! Logging with `tracing`: readable lines by default, JSON lines on request. Verbosity follows
//! `RUST_LOG` (default `info`). Every line written while answering a request names it
//! (`request{id=…}`, the `x-request-id` of its response). With `SENTRY_DSN`, errors are also
//! reported to that Sentry-compatible server, with the lines before them as breadcrumbs.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use crate::config::LogFormat;
use meet_domain::Secret;

/// Keeps error reporting on; dropping it sends what is left to send (for up to 2 seconds).
pub type ReportingGuard = sentry::ClientInitGuard;

/// Whether `dsn` is a DSN Sentry's client reads.
pub fn check_dsn(dsn: &str) -> Result<(), String> {
    dsn.parse::<sentry::types::Dsn>()
        .map(drop)
        .map_err(|error| format!("not a Sentry DSN: {error}"))
}

/// Installs the global subscriber, and error reporting when `sentry_dsn` is set. Call once,
/// first thing in `main`, and keep the guard until the end.
pub fn init(format: LogFormat, sentry_dsn: Option<&Secret>) -> Option<ReportingGuard> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let lines = match format {
        LogFormat::Human => tracing_subscriber::fmt::layer().boxed(),
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .flatten_event(true)
            .boxed(),
    };
    let guard = sentry_dsn.and_then(|dsn| {
        let dsn = dsn.expose().parse::<sentry::types::Dsn>().ok()?;
        Some(sentry::init(sentry::ClientOptions {
            dsn: Some(dsn),
            release: sentry::release_name!(),
            // Nobody's address, cookies or headers.
            send_default_pii: false,
            ..sentry::ClientOptions::default()
        }))
    });
    let reporting = guard.is_some().then(sentry::integrations::tracing::layer);
    tracing_subscriber::registry()
        .with(filter)
        .with(lines)
        .with(reporting)
        .init();
    guard
}

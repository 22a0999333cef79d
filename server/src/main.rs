//! `meet`: starts the server. See `meet --help` for the configuration.

use std::process::ExitCode;

use anyhow::Context;
use meet_domain::Store;
use meet_server::{AppState, Config, build_router, telemetry};
use tokio::net::TcpListener;

/// mimalloc: a request allocates and frees many small buffers; glibc's malloc took a tenth of
/// the CPU time of a join request under load (`make bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::load() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("meet: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Kept to the end: dropping it sends the errors not sent yet.
    let _reporting = telemetry::init(config.log_format, config.analytics.sentry_dsn.as_ref());
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{}", one_line(&error));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes in one line, each cause once (libraries often repeat their
/// source's message in their own).
fn one_line(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if !line.contains(&text) {
            if !line.is_empty() {
                line.push_str(": ");
            }
            line.push_str(&text);
        }
    }
    line
}

/// Opens the database, binds the address and serves until SIGTERM or Ctrl-C.
async fn run(config: Config) -> anyhow::Result<()> {
    let database = config.database_url.to_string();
    let store = Store::connect(config.database_url.expose())
        .await
        .with_context(|| format!("DATABASE_URL={database}"))?;
    store
        .migrate()
        .await
        .with_context(|| format!("DATABASE_URL={database}"))?;

    let address = config.listen_addr;
    let state = AppState::new(config, store.clone())?;
    state.sessions.clone().spawn_purge();
    let router = build_router(state).context("MEET_SITE_ROOT: cannot list the site root")?;
    let listener = TcpListener::bind(address)
        .await
        .with_context(|| format!("MEET_LISTEN_ADDR={address}: cannot listen"))?;
    let local = listener.local_addr()?;
    tracing::info!(database = %database, "Meet is listening on http://{local}/");

    meet_server::serve::serve(listener, router, shutdown_signal()).await?;
    store.close().await;
    tracing::info!("Meet stopped");
    Ok(())
}

/// Resolves on SIGTERM (how orchestrators stop a process) or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

//! `meet-livekit-standin`: the stand-in as a process of its own, for the browser tests that run
//! Meet as a binary and need what the real LiveKit server lacks (its Egress service). Serves
//! LiveKit's Twirp API and the `/_standin/` control endpoints on loopback until stopped, and
//! posts its webhooks to `STANDIN_WEBHOOK_URL` when set.
//!
//! Environment: `STANDIN_ADDR` (default `127.0.0.1:7880`; keep it on loopback, the control
//! endpoints are unauthenticated), `LIVEKIT_API_KEY` and `LIVEKIT_API_SECRET` (default
//! `devkey` / `secret`, as `livekit-server --dev`), `STANDIN_WEBHOOK_URL`.

use std::net::SocketAddr;
use std::process::ExitCode;

use meet_livekit_standin::StandIn;

#[tokio::main]
async fn main() -> ExitCode {
    let variable =
        |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    let addr: SocketAddr = match variable("STANDIN_ADDR", "127.0.0.1:7880").parse() {
        Ok(addr) => addr,
        Err(error) => {
            eprintln!("STANDIN_ADDR: expected an address such as 127.0.0.1:7880 ({error})");
            return ExitCode::FAILURE;
        }
    };
    if !addr.ip().is_loopback() {
        eprintln!("STANDIN_ADDR: the stand-in listens on loopback only, not {addr}");
        return ExitCode::FAILURE;
    }
    let key = variable("LIVEKIT_API_KEY", "devkey");
    let secret = variable("LIVEKIT_API_SECRET", "secret");
    let standin = match StandIn::bind(addr, &key, &secret).await {
        Ok(standin) => standin,
        Err(error) => {
            eprintln!("the LiveKit stand-in cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Ok(url) = std::env::var("STANDIN_WEBHOOK_URL") {
        standin.set_webhook_url(Some(&url));
    }
    eprintln!("LiveKit stand-in listening on {}", standin.url());
    // Until Ctrl-C or SIGTERM.
    let Ok(mut terminate) =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
    else {
        eprintln!("cannot listen for SIGTERM");
        return ExitCode::FAILURE;
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
    ExitCode::SUCCESS
}

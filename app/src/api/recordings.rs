//! The server function of the recording page (`/recording/{id}`): what it shows the recording's
//! owner.

use leptos::prelude::*;
use meet_types::RecordingPageView;

use crate::error::AppError;

/// The recording `id` as its page shows it, for its owner: [`AppError::Unauthenticated`] for a
/// visitor, [`AppError::NotFound`] for anyone else, a malformed id, or recording turned off.
#[server(endpoint = "recordings/page")]
pub async fn recording_page(id: String) -> Result<RecordingPageView, AppError> {
    use crate::api::context::{answer, requester, services};
    use meet_domain::DomainError;
    let Ok(id) = uuid::Uuid::parse_str(&id) else {
        return Err(AppError::NotFound);
    };
    match meet_domain::recording::page(&*services()?, &requester(), id).await {
        // A member of it is told no more than a stranger.
        Err(DomainError::Forbidden(_)) => Err(AppError::NotFound),
        other => other.map_err(answer),
    }
}

/// What the meeting at `key` offers its asker about recording ("More tools"): the modes, none
/// while recording is off, and whether they may record (a host).
#[server(endpoint = "recordings/tools")]
pub async fn recording_tools(key: String) -> Result<meet_types::RecordingTools, AppError> {
    use crate::api::context::{answer, requester, services};
    meet_domain::recording::tools(&*services()?, &requester(), &key)
        .await
        .map_err(answer)
}

/// Starts recording the meeting at `key` in `mode` (`screen_recording` or `transcript`), as a
/// host of it.
#[server(endpoint = "recordings/start", input = server_fn::codec::PostUrl)]
pub async fn start_recording(key: String, mode: String) -> Result<(), AppError> {
    use crate::api::context::moderator;
    let (services, host) = moderator(&key).await?;
    let body = serde_json::json!({ "mode": mode });
    meet_domain::recording::start(&services, &host, &body)
        .await
        .map(|_| ())
        .map_err(|error| answer_recording(error, &key))
}

/// Stops the recording running in the meeting at `key`, as a host of it.
#[server(endpoint = "recordings/stop", input = server_fn::codec::PostUrl)]
pub async fn stop_recording(key: String) -> Result<(), AppError> {
    use crate::api::context::moderator;
    let (services, host) = moderator(&key).await?;
    meet_domain::recording::stop(&services, &host)
        .await
        .map(|_| ())
        .map_err(|error| answer_recording(error, &key))
}

/// What the host is told when a start or stop did not happen; the cause is logged.
#[cfg(feature = "ssr")]
fn answer_recording(error: meet_domain::recording::RecordingError, key: &str) -> AppError {
    use meet_domain::recording::{MediatorError, RecordingError};
    match error {
        RecordingError::Domain(error) => crate::api::context::answer(error),
        RecordingError::NoActiveRecording => {
            AppError::Missing("Nothing is being recorded in this meeting.".to_owned())
        }
        RecordingError::Mediator(error) => {
            let answer = match &error {
                MediatorError::AlreadyRunning => {
                    return AppError::Conflict(
                        "A recording is already running in this meeting.".to_owned(),
                    );
                }
                MediatorError::StartFailed(_) | MediatorError::ModeUnavailable(_) => {
                    AppError::Unavailable(
                        "The recorder could not start. Try again in a moment; if it keeps failing, tell your administrator."
                            .to_owned(),
                    )
                }
                MediatorError::WorkerUnreachable(_) => AppError::Unavailable(
                    "The recorder could not be reached, so it is still recording. Try again in a moment."
                        .to_owned(),
                ),
                MediatorError::StopFailed(_) | MediatorError::WrongStatus(_) => {
                    AppError::Unavailable("The recording could not be stopped properly.".to_owned())
                }
                MediatorError::Store(_) => AppError::Internal,
            };
            tracing::warn!(room = key, %error, "recording request from the meeting failed");
            answer
        }
    }
}

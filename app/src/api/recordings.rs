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
    match meet_domain::recording::page(&services()?, &requester(), id).await {
        // A member of it is told no more than a stranger.
        Err(DomainError::Forbidden(_)) => Err(AppError::NotFound),
        other => other.map_err(answer),
    }
}

//! What server functions know about their request: the domain services, and who is asking (the
//! [`Requester`] the server resolved for the request), and how they answer a domain error.
//! Server only.

use std::sync::Arc;

use http::request::Parts;
use leptos::prelude::*;
use meet_domain::{DomainError, Requester, Services};

use crate::error::AppError;

/// The domain services, provided by the server for every request (shared: one reference count
/// per request, not one per service).
pub fn services() -> Result<Arc<Services>, AppError> {
    use_context::<Arc<Services>>().ok_or_else(|| {
        tracing::error!("the domain services are not in the Leptos context");
        AppError::Internal
    })
}

/// Answers a domain error: its cause, when it is Meet's or LiveKit's, is logged here (the one
/// place server functions handle errors), and the browser gets the kind and a message.
pub fn answer(error: DomainError) -> AppError {
    error.log_cause();
    AppError::from_domain(&error)
}

/// Answers a moderation error: a domain error as [`answer`] does, or the participant acted on
/// is not there.
pub fn answer_moderation(error: meet_domain::moderation::ModerationError) -> AppError {
    use meet_domain::moderation::ModerationError;
    match error {
        ModerationError::Domain(error) => answer(error),
        ModerationError::Missing(message) => AppError::Missing(message.to_owned()),
    }
}

/// The domain services and the requester as a moderator of the room `key` designates (a
/// logged-in administrator or owner of it), or why not: what the hosts' server functions start
/// with.
pub async fn moderator(
    key: &str,
) -> Result<(Arc<Services>, meet_domain::moderation::Moderator), AppError> {
    let services = services()?;
    let moderator = meet_domain::moderation::moderator(&services, &requester(), key)
        .await
        .map_err(answer)?;
    Ok((services, moderator))
}

/// Who is asking (a visitor when the server resolved nobody). Read in place: the request's head,
/// with its headers and extensions, is not copied.
pub fn requester() -> Requester {
    with_context::<Parts, _>(|parts| parts.extensions.get::<Requester>().cloned())
        .flatten()
        .unwrap_or_default()
}

/// Whether the request comes from a plain HTML form (no JavaScript): its answer must then be a
/// page, not data.
pub fn from_plain_form() -> bool {
    with_context::<Parts, _>(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    })
    .unwrap_or(false)
}

//! One user cannot take every database connection: each logged-in user has at most
//! [`MAX_REQUESTS_PER_USER`] requests being served at once; more wait their turn, and after
//! [`QUEUE_TIMEOUT`] are answered 429. Visitors and other users are served meanwhile, so the join
//! request and the probes keep answering while one account floods Meet.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use meet_domain::Requester;
use tokio::sync::Semaphore;
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::state::AppState;

/// Requests of one user served at once (a browser opens up to six connections to a site).
pub const MAX_REQUESTS_PER_USER: usize = 4;
/// How long a user's request waits for one of their others to finish.
pub const QUEUE_TIMEOUT: Duration = Duration::from_secs(10);
/// Past this many users tracked, idle users are forgotten.
const MAX_TRACKED: usize = 10_000;

/// The requests each user has in flight.
#[derive(Debug, Default)]
pub struct PerUserLimit {
    users: Mutex<HashMap<Uuid, Arc<Semaphore>>>,
}

impl PerUserLimit {
    fn semaphore(&self, user: Uuid) -> Arc<Semaphore> {
        let mut users = self
            .users
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if users.len() >= MAX_TRACKED {
            users.retain(|_, semaphore| Arc::strong_count(semaphore) > 1);
        }
        users
            .entry(user)
            .or_insert_with(|| Arc::new(Semaphore::new(MAX_REQUESTS_PER_USER)))
            .clone()
    }
}

/// Middleware (after the requester is known) holding a logged-in user's request until they have
/// fewer than [`MAX_REQUESTS_PER_USER`] in flight.
pub async fn limit_per_user(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let user = request
        .extensions()
        .get::<Requester>()
        .and_then(|requester| requester.user.as_ref().map(|user| user.id));
    let Some(user) = user else {
        return next.run(request).await;
    };
    let semaphore = state.per_user.semaphore(user);
    let Ok(Ok(_permit)) = tokio::time::timeout(QUEUE_TIMEOUT, semaphore.acquire_owned()).await
    else {
        tracing::warn!(%user, "too many requests in flight for one user");
        return ApiError::TooManyRequests(QUEUE_TIMEOUT.as_secs()).into_response();
    };
    next.run(request).await
}

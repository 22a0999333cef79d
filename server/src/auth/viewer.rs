//! Who is asking: resolved once per request from the session, then available to REST handlers
//! ([`MaybeUser`], [`RequireUser`]) and to the Leptos pages and server functions (the
//! [`Viewer`] in the request's extensions).

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::request::Parts;
use meet_domain::users::{self, CurrentUser, User};
use meet_types::{UserView, Viewer};
use tower_sessions::Session;

use crate::api::error::ApiError;
use crate::auth::session;
use crate::state::AppState;

/// Middleware: loads the session's user (only when the request has a session cookie) and puts
/// [`CurrentUser`] and [`Viewer`] in the request's extensions. A session whose user is gone is
/// ended; a database failure is logged and the request goes on as a visitor's.
pub async fn resolve(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let user = match session::user_id(&session).await {
        Ok(Some(id)) => match users::find_by_id(&state.services.store, id).await {
            Ok(Some(user)) => Some(Arc::new(user)),
            Ok(None) => {
                tracing::info!(user = %id, "the session's user no longer exists; ending it");
                if let Err(error) = session.flush().await {
                    tracing::warn!(%error, "cannot end the session");
                }
                None
            }
            Err(error) => {
                tracing::warn!(%error, "cannot load the session's user");
                None
            }
        },
        Ok(None) => None,
        Err(error) => {
            tracing::warn!(%error, "cannot load the session");
            None
        }
    };
    let viewer = Viewer {
        user: user.as_deref().map(UserView::from),
        login_enabled: state.auth.provider.is_some(),
    };
    request.extensions_mut().insert(CurrentUser(user));
    request.extensions_mut().insert(viewer);
    next.run(request).await
}

/// The logged-in user of this request, if any (from [`resolve`]).
#[derive(Debug, Clone, Default)]
pub struct MaybeUser(pub Option<Arc<User>>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let user = parts
            .extensions
            .get::<CurrentUser>()
            .and_then(|current| current.0.clone());
        Ok(Self(user))
    }
}

/// The logged-in user; answers 401 when the request is anonymous.
#[derive(Debug, Clone)]
pub struct RequireUser(pub Arc<User>);

impl<S: Send + Sync> FromRequestParts<S> for RequireUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<CurrentUser>() {
            Some(CurrentUser(Some(user))) => Ok(Self(user.clone())),
            _ => Err(ApiError::Unauthenticated),
        }
    }
}

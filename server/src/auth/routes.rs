//! The login routes, at La Suite Meet's paths so its documentation and provider configurations
//! carry over: `authenticate/` starts a login, `callback/` finishes it, `logout/` ends the
//! session (and the provider's, when it offers RP-initiated logout), `logout-callback/` is where
//! the provider sends the browser back. Failures land on `/login/error`, which says what
//! happened and offers to try again.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use meet_domain::auth::{SignInError, sign_in, user_claims};
use meet_types::LoginFailure;
use openidconnect::CsrfToken;
use serde::Deserialize;
use time::OffsetDateTime;
use tower_sessions::Session;

use crate::api::error::ApiError;
use crate::auth::oidc::{CALLBACK_PATH, LOGOUT_CALLBACK_PATH, OidcError};
use crate::auth::return_to;
use crate::auth::session::{self, PendingLogin};
use crate::state::AppState;

/// The page explaining a failed login.
pub const LOGIN_ERROR_PATH: &str = "/login/error";

/// Routes of the login flow.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1.0/authenticate/", get(authenticate))
        .route(CALLBACK_PATH, get(callback))
        .route("/api/v1.0/logout/", get(logout))
        .route(LOGOUT_CALLBACK_PATH, get(logout_callback))
}

/// Query of `authenticate/`.
#[derive(Debug, Deserialize)]
pub struct AuthenticateQuery {
    #[serde(rename = "returnTo")]
    return_to: Option<String>,
    silent: Option<String>,
    login_hint: Option<String>,
}

/// `GET /api/v1.0/authenticate/?returnTo=…&silent=true&login_hint=…`: sends the browser to the
/// provider, remembering the request's `state`, `nonce` and PKCE verifier in the session.
pub async fn authenticate(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<AuthenticateQuery>,
) -> Response {
    let return_to = return_to::sanitize(query.return_to.as_deref(), &state.config.public_url());
    let Some(provider) = &state.auth.provider else {
        return failure(LoginFailure::NotConfigured, &return_to);
    };
    let silent = matches!(query.silent.as_deref(), Some("true" | "1"));
    let request = match provider
        .authorization_request(silent, query.login_hint.as_deref())
        .await
    {
        Ok(request) => request,
        Err(error) => {
            tracing::warn!(%error, "login: cannot start");
            return failure(LoginFailure::ProviderUnavailable, &return_to);
        }
    };
    let pending = PendingLogin {
        state: request.state,
        nonce: request.nonce,
        pkce_verifier: request.pkce_verifier,
        return_to,
        silent,
        started_at: OffsetDateTime::now_utc().unix_timestamp(),
    };
    if let Err(error) = session::push_pending_login(&session, pending).await {
        tracing::error!(%error, "login: cannot store the login in the session");
        return ApiError::Internal.into_response();
    }
    Redirect::to(request.url.as_str()).into_response()
}

/// Query of `callback/`: a code, or an error, with the `state` of the request.
#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// `GET /api/v1.0/callback/`: checks the `state`, exchanges the code, verifies the ID token
/// and the userinfo, finds or creates the user, and logs them in with a new session id.
pub async fn callback(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let Some(provider) = &state.auth.provider else {
        return failure(LoginFailure::NotConfigured, "/");
    };
    let pending = match query.state.as_deref() {
        Some(request_state) => session::take_pending_login(&session, request_state).await,
        None => Ok(None),
    };
    let pending = match pending {
        Ok(Some(pending)) => pending,
        Ok(None) => {
            tracing::warn!("login: unknown, expired or reused state");
            return failure(LoginFailure::Expired, "/");
        }
        Err(error) => {
            tracing::error!(%error, "login: cannot read the session");
            return ApiError::Internal.into_response();
        }
    };

    if let Some(error) = query.error.as_deref() {
        let needs_interaction = matches!(
            error,
            "login_required"
                | "interaction_required"
                | "consent_required"
                | "account_selection_required"
        );
        if pending.silent && needs_interaction {
            // A silent login that found no session at the provider: back where we were.
            return Redirect::to(&pending.return_to).into_response();
        }
        tracing::warn!(error, description = ?query.error_description, "login: the provider answered an error");
        let reason = if error == "access_denied" {
            LoginFailure::AccessDenied
        } else {
            LoginFailure::ProviderUnavailable
        };
        return failure(reason, &pending.return_to);
    }
    let Some(code) = query.code.as_deref().filter(|code| !code.is_empty()) else {
        tracing::warn!("login: the callback has neither code nor error");
        return failure(LoginFailure::InvalidResponse, &pending.return_to);
    };

    let login = match provider
        .complete(code, &pending.nonce, &pending.pkce_verifier)
        .await
    {
        Ok(login) => login,
        Err(error) => {
            tracing::warn!(%error, "login: refused");
            let reason = match error {
                OidcError::Unavailable(_) => LoginFailure::ProviderUnavailable,
                OidcError::CodeRejected(_) => LoginFailure::Expired,
                OidcError::Invalid(_) => LoginFailure::InvalidResponse,
            };
            return failure(reason, &pending.return_to);
        }
    };
    let claims = user_claims(&login.subject, &login.claims, &state.auth.claim_names);
    let user = match sign_in(&state.services.store, &claims, state.auth.policy).await {
        Ok(user) => user,
        Err(error) => {
            tracing::warn!(%error, "login: no user for these claims");
            let reason = match error {
                SignInError::CreationDisabled => LoginFailure::AccountNotAllowed,
                SignInError::AmbiguousEmail(_) => LoginFailure::AccountConflict,
                SignInError::MissingSubject => LoginFailure::InvalidResponse,
                SignInError::Store(_) => return ApiError::Internal.into_response(),
            };
            return failure(reason, &pending.return_to);
        }
    };
    if let Err(error) = session::log_in(
        &session,
        user.id,
        &login.id_token,
        state.auth.session_lifetime,
    )
    .await
    {
        tracing::error!(%error, "login: cannot store the session");
        return ApiError::Internal.into_response();
    }
    tracing::info!(user = %user.id, "logged in");
    Redirect::to(&pending.return_to).into_response()
}

/// `GET /api/v1.0/logout/`: ends Meet's session, then the provider's when it has an
/// end-session endpoint (with `id_token_hint`, `post_logout_redirect_uri` and `state`).
pub async fn logout(State(state): State<AppState>, session: Session) -> Redirect {
    let id_token = match session::log_out(&session).await {
        Ok(id_token) => id_token,
        Err(error) => {
            tracing::error!(%error, "logout: cannot end the session");
            None
        }
    };
    let Some(provider) = &state.auth.provider else {
        return Redirect::to("/");
    };
    let logout_state = CsrfToken::new_random().secret().clone();
    match provider
        .logout_url(id_token.as_deref(), &logout_state)
        .await
    {
        Some(url) => {
            if let Err(error) = session::set_logout_state(&session, &logout_state).await {
                tracing::warn!(%error, "logout: cannot remember the state");
            }
            Redirect::to(url.as_str())
        }
        None => Redirect::to("/"),
    }
}

/// Query of `logout-callback/`.
#[derive(Debug, Deserialize)]
pub struct LogoutCallbackQuery {
    state: Option<String>,
}

/// `GET /api/v1.0/logout-callback/`: back from the provider's logout, to the home page.
pub async fn logout_callback(
    session: Session,
    Query(query): Query<LogoutCallbackQuery>,
) -> Redirect {
    match session::take_logout_state(&session).await {
        Ok(expected) if expected.is_some() && expected == query.state => {}
        Ok(_) => tracing::info!("logout callback without a matching state (already logged out)"),
        Err(error) => tracing::warn!(%error, "logout callback: cannot read the session"),
    }
    Redirect::to("/")
}

/// To the login error page for `reason`, keeping where the person wanted to go.
fn failure(reason: LoginFailure, return_to: &str) -> Response {
    let query = serde_urlencoded::to_string([("reason", reason.code()), ("returnTo", return_to)])
        .unwrap_or_else(|_| format!("reason={}", reason.code()));
    Redirect::to(&format!("{LOGIN_ERROR_PATH}?{query}")).into_response()
}

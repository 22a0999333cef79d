//! The login routes, at La Suite Meet's paths so its documentation and provider configurations
//! carry over: `authenticate/` starts a login, `callback/` finishes it, `logout/` ends the
//! session (and the provider's, when it offers RP-initiated logout), `logout-callback/` is where
//! the provider sends the browser back. Failures land on `/login/error`, which says what
//! happened and offers to try again.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum::routing::get;
use http::HeaderMap;
use http::header::SET_COOKIE;
use meet_domain::sign_in::{SignInError, sign_in, user_claims};
use meet_types::LoginFailure;
use openidconnect::CsrfToken;
use serde::Deserialize;
use time::OffsetDateTime;
use tower_sessions::Session;

use crate::api::error::ApiError;
use crate::login::cookies::PendingLogin;
use crate::login::oidc::{CALLBACK_PATH, LOGOUT_CALLBACK_PATH, OidcError};
use crate::login::return_to;
use crate::login::session;
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
/// provider, remembering the request's `state`, `nonce` and PKCE verifier in a signed cookie
/// (nothing is stored on the server until the login succeeds).
pub async fn authenticate(
    State(state): State<AppState>,
    Query(query): Query<AuthenticateQuery>,
) -> Response {
    let return_to = return_to::sanitize(query.return_to.as_deref(), &state.config.public_url());
    let Some(provider) = &state.login.provider else {
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
    let cookie = state.login.cookies.remember(&pending);
    (
        AppendHeaders([(SET_COOKIE, cookie)]),
        Redirect::to(request.url.as_str()),
    )
        .into_response()
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
/// and the userinfo, finds or creates the user, and logs them in with a new session id. The
/// login's cookie is removed whatever the outcome: a callback is used once.
pub async fn callback(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let request_state = query.state.as_deref().unwrap_or_default();
    let forget = state.login.cookies.forget_login(request_state);
    let response = finish_login(&state, &session, &headers, &query).await;
    (
        AppendHeaders(forget.map(|cookie| (SET_COOKIE, cookie))),
        response,
    )
        .into_response()
}

async fn finish_login(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    query: &CallbackQuery,
) -> Response {
    let Some(provider) = &state.login.provider else {
        return failure(LoginFailure::NotConfigured, "/");
    };
    let request_state = query.state.as_deref().unwrap_or_default();
    let Some(pending) = state.login.cookies.pending_login(headers, request_state) else {
        tracing::warn!("login: unknown, expired or reused state");
        return failure(LoginFailure::Expired, "/");
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
                OidcError::Unavailable { .. } => LoginFailure::ProviderUnavailable,
                OidcError::CodeRejected(_) => LoginFailure::Expired,
                OidcError::Invalid { .. } => LoginFailure::InvalidResponse,
            };
            return failure(reason, &pending.return_to);
        }
    };
    let claims = user_claims(&login.subject, &login.claims, &state.login.claim_names);
    let user = match sign_in(&state.services, &claims, state.login.policy).await {
        Ok(user) => user,
        Err(error) => {
            tracing::warn!(%error, "login: no user for these claims");
            let reason = match error {
                SignInError::CreationDisabled => LoginFailure::AccountNotAllowed,
                SignInError::AmbiguousEmail(_) => LoginFailure::AccountConflict,
                SignInError::MissingSubject | SignInError::InvalidSubject => {
                    LoginFailure::InvalidResponse
                }
                SignInError::Store(_) => return ApiError::internal().into_response(),
            };
            return failure(reason, &pending.return_to);
        }
    };
    if let Err(error) = session::log_in(
        session,
        user.id,
        &login.id_token,
        state.login.session_lifetime,
    )
    .await
    {
        tracing::error!(%error, "login: cannot store the session");
        return ApiError::internal().into_response();
    }
    tracing::info!(user = %user.id, "logged in");
    Redirect::to(&pending.return_to).into_response()
}

/// `GET /api/v1.0/logout/`: ends Meet's session, then the provider's when it has an
/// end-session endpoint (with `id_token_hint`, `post_logout_redirect_uri` and `state`). A GET
/// because La Suite Meet's clients call it so; another site's page cannot log people out.
pub async fn logout(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
) -> Response {
    if crate::middleware::csrf::is_cross_site(&headers) {
        tracing::warn!("refused a logout from another site");
        return crate::middleware::csrf::refusal();
    }
    let id_token = match session::log_out(&session).await {
        Ok(id_token) => id_token,
        Err(error) => {
            tracing::error!(%error, "logout: cannot end the session");
            None
        }
    };
    let Some(provider) = &state.login.provider else {
        return Redirect::to("/").into_response();
    };
    let logout_state = CsrfToken::new_random().secret().clone();
    match provider.logout_url(id_token.as_deref(), &logout_state) {
        Some(url) => (
            AppendHeaders([(
                SET_COOKIE,
                state.login.cookies.remember_logout(&logout_state),
            )]),
            Redirect::to(url.as_str()),
        )
            .into_response(),
        None => Redirect::to("/").into_response(),
    }
}

/// Query of `logout-callback/`.
#[derive(Debug, Deserialize)]
pub struct LogoutCallbackQuery {
    state: Option<String>,
}

/// `GET /api/v1.0/logout-callback/`: back from the provider's logout, to the home page.
pub async fn logout_callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<LogoutCallbackQuery>,
) -> Response {
    let expected = state.login.cookies.logout_state(&headers);
    if expected.is_none() || expected != query.state {
        tracing::info!("logout callback without a matching state (already logged out)");
    }
    (
        AppendHeaders([(SET_COOKIE, state.login.cookies.forget_logout())]),
        Redirect::to("/"),
    )
        .into_response()
}

/// To the login error page for `reason`, keeping where the person wanted to go.
fn failure(reason: LoginFailure, return_to: &str) -> Response {
    let query = serde_urlencoded::to_string([("reason", reason.code()), ("returnTo", return_to)])
        .unwrap_or_else(|_| format!("reason={}", reason.code()));
    Redirect::to(&format!("{LOGIN_ERROR_PATH}?{query}")).into_response()
}

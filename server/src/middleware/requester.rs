//! Who is asking, resolved once per request: the logged-in user from the session cookie (only
//! when the request has one; see [`Sessions`](meet_domain::sessions::Sessions)), the guest identity from the guest cookie (only one Meet
//! issued). The [`Requester`] goes in the request's extensions for the REST handlers
//! (`Extension<Requester>`) and the server functions, with a [`RequesterView`] for the pages. A
//! guest identity issued while answering is handed back in the guest cookie here, the one place
//! that writes it.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderValue;
use http::header::SET_COOKIE;
use meet_domain::Requester;
use meet_types::{RequesterView, UserView};

use crate::cookies::{self, GUEST};
use crate::login::session;
use crate::state::AppState;

/// Middleware resolving the [`Requester`]: the session's user from memory when it was seen
/// recently, else with one query. A database failure is logged and the request goes on as a
/// visitor's.
pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let user = match session::id_in(request.headers()) {
        Some(id) => match state.services.sessions.signed_in(id).await {
            Ok(user) => user,
            Err(error) => {
                tracing::warn!(%error, "cannot load the session");
                None
            }
        },
        None => None,
    };
    let guest = cookies::get(request.headers(), GUEST)
        .and_then(|value| state.services.guests.verify(value));
    let requester = Requester::new(user, guest);
    let settings = &state.services.settings;
    let view = RequesterView {
        user: requester.user.as_deref().map(UserView::from),
        login_enabled: state.login.provider.is_some(),
        unregistered_rooms: settings.allow_unregistered_rooms,
        can_choose_name: requester.user.is_none() || settings.authenticated_can_edit_display_name,
    };
    request.extensions_mut().insert(requester.clone());
    request.extensions_mut().insert(view);
    let mut response = next.run(request).await;
    if let Some(guest) = requester.issued_guest() {
        let max_age = state.services.settings.token.ttl.as_secs();
        let cookie = state
            .cookies
            .set_cookie(GUEST, guest.cookie_value(), "/", max_age);
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

//! What server functions know about their request: the domain services, the logged-in user,
//! the guest identity cookie. Server only.

use std::sync::Arc;

use http::request::Parts;
use leptos::prelude::*;
use meet_domain::Services;
use meet_domain::guest::{self, GuestId};
use meet_domain::users::{CurrentUser, User};

use crate::error::AppError;

/// The domain services, provided by the server for every request.
pub fn services() -> Result<Services, AppError> {
    use_context::<Services>().ok_or_else(|| {
        tracing::error!("the domain services are not in the Leptos context");
        AppError::Internal
    })
}

fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// The logged-in user of this request, if any.
pub fn current_user() -> Option<Arc<User>> {
    parts().and_then(|parts| {
        parts
            .extensions
            .get::<CurrentUser>()
            .and_then(|user| user.0.clone())
    })
}

/// The guest identity Meet issued to this browser earlier, if any.
pub fn guest_id(services: &Services) -> Option<GuestId> {
    let parts = parts()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(guest::from_cookie_header)
        .and_then(|value| services.guests.verify(value))
}

/// Remembers a new guest identity in this response's cookies.
pub fn remember_guest(services: &Services, guest: &GuestId) {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let max_age = services.rooms.token.ttl.as_secs();
    let cookie = guest::set_cookie(guest, services.rooms.secure_cookies, max_age);
    if let Ok(value) = http::HeaderValue::from_str(&cookie) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// Whether the request comes from a plain HTML form (no JavaScript): its answer must then be a
/// page, not data.
pub fn from_plain_form() -> bool {
    parts().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    })
}

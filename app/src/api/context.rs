//! What server functions know about their request: the domain services, the logged-in user,
//! the guest identity cookie. Server only.

use std::sync::Arc;

use http::request::Parts;
use leptos::prelude::*;
use meet_domain::users::{CurrentUser, User};
use meet_domain::{Services, guest};

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

/// The guest identity remembered by this browser, if any.
pub fn guest_id() -> Option<String> {
    let parts = parts()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(guest::from_cookie_header)
        .map(str::to_owned)
}

/// Remembers a new guest identity in this response's cookies.
pub fn remember_guest(services: &Services, id: &str) {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let max_age = services.rooms.token.ttl.as_secs();
    let cookie = guest::set_cookie(id, services.rooms.secure_cookies, max_age);
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

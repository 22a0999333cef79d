//! Authentication and grants, as the server checks them (reference §2.4 and §5.2).
//!
//! Two stages, in the server's order:
//! 1. [`authenticate`] runs before routing. A header that is not `Bearer …`, or a JWT that
//!    [`TokenVerifier`] rejects (signature, `iss`, `exp`, `nbf`), gets a **plain-text** 401; no
//!    header at all passes with no claims.
//! 2. [`authorize`] runs inside the method, once the request names its room. No claims, or claims
//!    without the method's grant, get the Twirp 401 `unauthenticated` "permissions denied".

use axum::{
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use livekit_api::access_token::{Claims, TokenVerifier};

use crate::error::TwirpError;

/// The grant a RoomService method needs (the one `RoomClient` signs for it).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Grant<'a> {
    /// `roomCreate`: CreateRoom, DeleteRoom.
    Create,
    /// `roomList`: ListRooms.
    List,
    /// `roomAdmin` with `room` equal to the request's room: participant, data and metadata calls.
    Admin(&'a str),
    /// `roomRecord`: the Egress service.
    Record,
}

/// The plain-text 401 the server answers for an unusable `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unauthorized(String);

impl IntoResponse for Unauthorized {
    fn into_response(self) -> Response {
        let content_type = [(header::CONTENT_TYPE, "text/plain; charset=utf-8")];
        (StatusCode::UNAUTHORIZED, content_type, self.0).into_response()
    }
}

/// Reads the `Authorization` header: `Ok(None)` when there is none, `Ok(Some(claims))` for a valid
/// bearer token, or the plain-text 401 the server answers.
pub(crate) fn authenticate(
    headers: &HeaderMap,
    verifier: &TokenVerifier,
) -> Result<Option<Claims>, Unauthorized> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().unwrap_or_default();
    let Some(token) = value.strip_prefix("Bearer ") else {
        let message = "invalid authorization header. Must start with Bearer";
        return Err(Unauthorized(message.to_owned()));
    };
    verifier
        .verify(token)
        .map(Some)
        .map_err(|error| Unauthorized(format!("invalid token: {token}, error: {error}")))
}

/// Checks that `claims` hold `grant`.
pub(crate) fn authorize(claims: Option<&Claims>, grant: Grant<'_>) -> Result<(), TwirpError> {
    let Some(video) = claims.map(|claims| &claims.video) else {
        return Err(TwirpError::permission_denied());
    };
    let granted = match grant {
        Grant::Create => video.room_create,
        Grant::List => video.room_list,
        Grant::Admin(room) => video.room_admin && video.room == room,
        Grant::Record => video.room_record,
    };
    if granted {
        Ok(())
    } else {
        Err(TwirpError::permission_denied())
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;
    use livekit_api::access_token::{AccessToken, VideoGrants};

    use super::*;

    fn headers(authorization: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(authorization).unwrap(),
        );
        headers
    }

    fn token(secret: &str, grants: VideoGrants) -> String {
        AccessToken::with_api_key("key", secret)
            .with_grants(grants)
            .to_jwt()
            .unwrap()
    }

    #[test]
    fn no_header_passes_without_claims() {
        let verifier = TokenVerifier::with_api_key("key", "secret");
        assert!(
            authenticate(&HeaderMap::new(), &verifier)
                .unwrap()
                .is_none()
        );
        assert_eq!(
            authorize(None, Grant::List).unwrap_err().code,
            "unauthenticated"
        );
    }

    #[test]
    fn non_bearer_and_bad_signatures_are_rejected_in_plain_text() {
        let verifier = TokenVerifier::with_api_key("key", "secret");
        let jwt = token("secret", VideoGrants::default());
        let not_bearer = authenticate(&headers(&jwt), &verifier).unwrap_err();
        assert!(not_bearer.0.starts_with("invalid authorization header"));
        assert_eq!(
            not_bearer.into_response().status(),
            StatusCode::UNAUTHORIZED
        );
        let forged = token("other-secret", VideoGrants::default());
        let bad = authenticate(&headers(&format!("Bearer {forged}")), &verifier).unwrap_err();
        assert!(
            bad.0
                .starts_with(&format!("invalid token: {forged}, error: "))
        );
    }

    #[test]
    fn room_admin_must_name_the_request_room() {
        let verifier = TokenVerifier::with_api_key("key", "secret");
        let grants = VideoGrants {
            room_admin: true,
            room: "a".into(),
            ..Default::default()
        };
        let jwt = format!("Bearer {}", token("secret", grants));
        let claims = authenticate(&headers(&jwt), &verifier).unwrap();
        assert!(authorize(claims.as_ref(), Grant::Admin("a")).is_ok());
        assert!(authorize(claims.as_ref(), Grant::Admin("b")).is_err());
        assert!(authorize(claims.as_ref(), Grant::Create).is_err());
    }
}

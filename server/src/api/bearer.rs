//! `Authorization: Bearer <LiveKit token>`: how participants authenticate the endpoints they call
//! from inside a meeting (La Suite Meet's `LiveKitTokenAuthentication`), guests included. Only
//! the header is read here, as hostile input: one header, visible ASCII, the `Bearer` scheme (in
//! any case), one token of bounded length. The token itself is verified by the domain
//! ([`meet_domain::livekit::caller`]). These endpoints ignore the session cookie, except
//! `mute-participant`, which takes either (`Option<LiveKitBearer>`: no header, no token).

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use http::header::AUTHORIZATION;
use http::request::Parts;
use meet_domain::livekit::caller::MAX_TOKEN_BYTES;

use crate::api::error::ApiError;

/// What a request without the header reads.
const MISSING: &str = "Authentication credentials were not provided.";
/// What a request with another kind of header reads.
const MALFORMED: &str = "Authorization header must be: Bearer <token>";

/// The LiveKit token a request presents, not verified yet.
#[derive(Debug)]
pub struct LiveKitBearer(pub String);

impl<S: Send + Sync> FromRequestParts<S> for LiveKitBearer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let mut values = parts.headers.get_all(AUTHORIZATION).iter();
        let value = match (values.next(), values.next()) {
            (None, _) => return Err(ApiError::BadToken(MISSING)),
            (Some(value), None) => value,
            (Some(_), Some(_)) => return Err(ApiError::BadToken(MALFORMED)),
        };
        // "Bearer " and room for spaces around the token.
        if value.len() > MAX_TOKEN_BYTES + 16 {
            return Err(ApiError::BadToken(MALFORMED));
        }
        let token = value
            .to_str()
            .ok()
            .and_then(|value| value.trim().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|token| !token.is_empty() && !token.contains([' ', '\t']));
        match token {
            Some(token) => Ok(Self(token.to_owned())),
            None => Err(ApiError::BadToken(MALFORMED)),
        }
    }
}

/// Without an `Authorization` header, no token (the caller may have a session instead); with
/// one, a token as [`LiveKitBearer`] reads it, or its refusal.
impl<S: Send + Sync> OptionalFromRequestParts<S> for LiveKitBearer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        if parts.headers.contains_key(AUTHORIZATION) {
            <Self as FromRequestParts<S>>::from_request_parts(parts, state)
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read<const N: usize>(values: &[&[u8]; N]) -> Result<String, String> {
        let mut request = http::Request::builder();
        for value in values {
            request = request.header(AUTHORIZATION, *value);
        }
        let (mut parts, ()) = request.body(()).expect("request").into_parts();
        <LiveKitBearer as FromRequestParts<()>>::from_request_parts(&mut parts, &())
            .await
            .map(|bearer| bearer.0)
            .map_err(|error| error.to_string())
    }

    #[tokio::test]
    async fn only_one_bearer_token_is_read() {
        assert_eq!(read(&[b"Bearer a.b.c"]).await, Ok("a.b.c".to_owned()));
        assert_eq!(read(&[b"bearer   a.b.c  "]).await, Ok("a.b.c".to_owned()));
        assert_eq!(read(&[]).await, Err(MISSING.to_owned()));
        let long = format!("Bearer {}", "a".repeat(MAX_TOKEN_BYTES + 10));
        let refusals: [&[u8]; 8] = [
            b"Basic YWxpY2U6c2VjcmV0",
            b"Bearer",
            b"Bearer ",
            b"Bearer a.b c",
            b"Bearera.b.c",
            b"Token a.b.c",
            b"Bearer \xe9.b.c",
            long.as_bytes(),
        ];
        for refused in refusals {
            assert_eq!(
                read(&[refused]).await,
                Err(MALFORMED.to_owned()),
                "{}",
                String::from_utf8_lossy(refused)
            );
        }
        assert_eq!(
            read(&[b"Bearer a.b.c", b"Bearer d.e.f".as_slice()]).await,
            Err(MALFORMED.to_owned())
        );
    }

    #[tokio::test]
    async fn a_missing_header_is_no_token_and_a_bad_one_a_refusal() {
        let optional = |value: Option<&'static str>| async move {
            let mut request = http::Request::builder();
            if let Some(value) = value {
                request = request.header(AUTHORIZATION, value);
            }
            let (mut parts, ()) = request.body(()).expect("request").into_parts();
            <LiveKitBearer as OptionalFromRequestParts<()>>::from_request_parts(&mut parts, &())
                .await
                .map(|bearer| bearer.map(|bearer| bearer.0))
                .map_err(|error| error.to_string())
        };
        assert_eq!(optional(None).await, Ok(None));
        assert_eq!(
            optional(Some("Bearer a.b.c")).await,
            Ok(Some("a.b.c".to_owned()))
        );
        assert_eq!(optional(Some("Basic x")).await, Err(MALFORMED.to_owned()));
    }
}

//! Path and query extractors that answer the API's JSON errors: a path segment that cannot be
//! decoded (`/rooms/%FF/`) designates nothing (404), a query string that cannot be read is a bad
//! request (400), both as `{"detail": …}` rather than axum's plain text.

use axum::extract::{FromRequestParts, Path, Query};
use http::request::Parts;
use serde::de::DeserializeOwned;

use crate::api::error::ApiError;

/// A path parameter; 404 when it cannot be decoded.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Self(value)),
            Err(rejection) => {
                tracing::debug!(%rejection, "undecodable path");
                Err(ApiError::NotFound)
            }
        }
    }
}

/// The query string; 400 when it cannot be read.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(Self(value)),
            Err(rejection) => {
                tracing::debug!(%rejection, "unreadable query string");
                Err(ApiError::BadRequest(
                    "The query string could not be read.".to_owned(),
                ))
            }
        }
    }
}

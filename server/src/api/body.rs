//! Request bodies: JSON objects read field by field, so that every wrong field is named in
//! the answer (Django REST framework style) and unknown fields are ignored, as La Suite Meet
//! does. Nothing is changed unless the whole body is valid.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use http::header::CONTENT_TYPE;
use meet_domain::FieldErrors;
use meet_domain::error::json_kind;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::api::error::ApiError;

/// The largest body the API reads (the middleware already refuses larger ones).
const MAX_BODY: usize = crate::middleware::body::MAX_BODY_BYTES;

/// A JSON object body.
#[derive(Debug, Default)]
pub struct JsonObject(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| ApiError::BadRequest("The request body could not be read.".to_owned()))?;
        if bytes.len() > MAX_BODY {
            return Err(ApiError::PayloadTooLarge);
        }
        // No body (an optional one left out). Blanks are not: as JSON they fail to parse below.
        if bytes.is_empty() {
            return Ok(Self::default());
        }
        let essence = content_type.split(';').next().unwrap_or("").trim();
        if essence != "application/json" {
            return Err(ApiError::UnsupportedMediaType(format!(
                "Unsupported media type \"{content_type}\" in request."
            )));
        }
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => Ok(Self(map)),
            // An optional body sent as `null` (as generated clients do): no body.
            Ok(Value::Null) => Ok(Self::default()),
            Ok(other) => Err(ApiError::BadRequest(format!(
                "Invalid data. Expected a dictionary, but got {}.",
                json_kind(&other)
            ))),
            Err(error) => Err(ApiError::BadRequest(format!("JSON parse error - {error}"))),
        }
    }
}

impl JsonObject {
    /// Whether the body has `field` (even `null`).
    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    /// Records that `field` must be there and not `null`, for full updates (PUT).
    pub fn require(&self, field: &str, errors: &mut FieldErrors) {
        match self.0.get(field) {
            None => errors.add(field, "This field is required."),
            Some(Value::Null) => errors.add(field, "This field may not be null."),
            Some(_) => {}
        }
    }

    /// The one field an endpoint needs, read by `read` ([`Self::string`], [`Self::boolean`], …):
    /// present, not `null`, and of its type; else the field's errors.
    pub fn required<T>(
        &self,
        field: &str,
        read: impl FnOnce(&Self, &str, &mut FieldErrors) -> Option<T>,
    ) -> Result<T, FieldErrors> {
        let mut errors = FieldErrors::default();
        self.require(field, &mut errors);
        match read(self, field, &mut errors) {
            Some(value) if errors.is_empty() => Ok(value),
            _ => Err(errors),
        }
    }

    /// A field that must be there, read by `read`, its problems added to `errors`: for bodies
    /// of several required fields, so that each wrong one is named.
    pub fn required_into<T>(
        &self,
        field: &str,
        read: impl FnOnce(&Self, &str, &mut FieldErrors) -> Option<T>,
        errors: &mut FieldErrors,
    ) -> Option<T> {
        self.require(field, errors);
        read(self, field, errors)
    }

    /// The JSON value of `field`, unread: absent or `null` is `None`.
    pub fn value(&self, field: &str) -> Option<&Value> {
        self.0.get(field).filter(|value| !value.is_null())
    }

    /// A string field: absent or `null` is `None`.
    pub fn string(&self, field: &str, errors: &mut FieldErrors) -> Option<String> {
        match self.0.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(_) => {
                errors.add(field, "Not a valid string.");
                None
            }
        }
    }

    /// A boolean field: JSON `true` or `false` only (not the strings and numbers Django REST
    /// framework also takes); absent or `null` is `None`.
    pub fn boolean(&self, field: &str, errors: &mut FieldErrors) -> Option<bool> {
        match self.0.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(value)) => Some(*value),
            Some(_) => {
                errors.add(field, "Must be a valid boolean.");
                None
            }
        }
    }

    /// A field naming one of a set of choices, through `parse`.
    pub fn choice<T>(
        &self,
        field: &str,
        parse: impl Fn(&str) -> Option<T>,
        errors: &mut FieldErrors,
    ) -> Option<T> {
        let text = self.string(field, errors)?;
        let choice = parse(&text);
        if choice.is_none() {
            errors.add(field, format!("\"{text}\" is not a valid choice."));
        }
        choice
    }

    /// A UUID field.
    pub fn uuid(&self, field: &str, errors: &mut FieldErrors) -> Option<Uuid> {
        let text = self.string(field, errors)?;
        let id = Uuid::parse_str(&text).ok();
        if id.is_none() {
            errors.add(field, "Must be a valid UUID.");
        }
        id
    }

    /// An object field decoded by serde (a room configuration, say); the decoder's message names
    /// what is wrong inside it. Absent or `null` is `None`.
    pub fn object<T: DeserializeOwned>(&self, field: &str, errors: &mut FieldErrors) -> Option<T> {
        let value = self.0.get(field).filter(|value| !value.is_null())?;
        if !value.is_object() {
            errors.add(
                field,
                format!(
                    "Expected a dictionary of items but got type \"{}\".",
                    json_kind(value)
                ),
            );
            return None;
        }
        match serde_json::from_value(value.clone()) {
            Ok(decoded) => Some(decoded),
            Err(error) => {
                errors.add(field, error.to_string());
                None
            }
        }
    }
}

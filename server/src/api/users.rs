//! `/api/v1.0/users/…`: the logged-in user, and their preferences.

use axum::Json;
use axum::extract::{Extension, State};
use meet_domain::users::User;
use meet_domain::users::preferences::{self, PreferenceChanges};
use meet_domain::{FieldErrors, Requester};
use meet_types::{AccessLevel, RoomConfiguration};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::body::JsonObject;
use crate::api::error::{ApiError, BodyErrors, ErrorBody};
use crate::api::extract::ApiPath;
use crate::state::AppState;

/// A user as the API shows it to themselves.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    pub id: Uuid,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub short_name: Option<String>,
    /// IANA time zone, such as `Europe/Paris`.
    pub timezone: String,
    /// One of `en-us`, `fr-fr`, `nl-nl`, `de-de`.
    pub language: String,
    pub default_room_access_level: Option<AccessLevel>,
    pub default_room_configuration: RoomConfiguration,
}

impl From<&User> for UserResponse {
    fn from(user: &User) -> Self {
        Self {
            id: user.id,
            email: user.email.clone(),
            full_name: user.full_name.clone(),
            short_name: user.short_name.clone(),
            timezone: user.timezone.clone(),
            language: user.language.clone(),
            default_room_access_level: user.default_room_access_level,
            default_room_configuration: user.default_room_configuration.0.clone(),
        }
    }
}

/// The logged-in user.
#[utoipa::path(
    get,
    path = "/api/v1.0/users/me/",
    tag = "users",
    responses(
        (status = 200, description = "The logged-in user", body = UserResponse),
        (status = 401, description = "Not logged in", body = ErrorBody),
    )
)]
pub async fn me(
    Extension(requester): Extension<Requester>,
) -> Result<Json<UserResponse>, ApiError> {
    Ok(Json(UserResponse::from(requester.require_user()?)))
}

/// Languages Meet speaks (`users::LANGUAGES`), for the document.
#[derive(Debug, ToSchema)]
#[schema(as = Language)]
pub enum LanguageSchema {
    #[schema(rename = "en-us")]
    EnUs,
    #[schema(rename = "fr-fr")]
    FrFr,
    #[schema(rename = "nl-nl")]
    NlNl,
    #[schema(rename = "de-de")]
    DeDe,
}

/// An IANA time zone name, for the document: the names Meet knows, listed.
#[derive(Debug)]
pub struct TimezoneSchema;

impl utoipa::PartialSchema for TimezoneSchema {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let names: Vec<&str> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|zone| zone.name())
            .collect();
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("An IANA time zone, such as `Europe/Paris`."))
            .enum_values(Some(names))
            .into()
    }
}

impl ToSchema for TimezoneSchema {
    fn name() -> std::borrow::Cow<'static, str> {
        "Timezone".into()
    }
}

/// One's preferences, all given (PUT): `language` and `timezone` are required.
#[derive(Debug, ToSchema)]
pub struct PreferencesBody {
    #[schema(value_type = LanguageSchema)]
    pub language: String,
    #[schema(value_type = TimezoneSchema)]
    pub timezone: String,
    /// `null` or absent: none (the deployment's default applies).
    pub default_room_access_level: Option<AccessLevel>,
    /// `null` or absent: none.
    pub default_room_configuration: Option<RoomConfiguration>,
}

/// Some of one's preferences (PATCH): absent fields stay as they are; `null` leaves the language
/// and time zone as they are and clears the defaults.
#[derive(Debug, ToSchema)]
pub struct PreferencesPatchBody {
    #[schema(value_type = Option<LanguageSchema>)]
    pub language: Option<String>,
    #[schema(value_type = Option<TimezoneSchema>)]
    pub timezone: Option<String>,
    pub default_room_access_level: Option<AccessLevel>,
    pub default_room_configuration: Option<RoomConfiguration>,
}

/// Replace one's preferences (every field required).
#[utoipa::path(
    put,
    path = "/api/v1.0/users/{id}/",
    tag = "users",
    params(("id" = Uuid, Path, description = "The user's id: one's own")),
    request_body = PreferencesBody,
    responses(
        (status = 200, description = "The updated user", body = UserResponse),
        (status = 403, description = "Another user", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
        BodyErrors,
    )
)]
pub async fn replace(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(id): ApiPath<String>,
    body: JsonObject,
) -> Result<Json<UserResponse>, ApiError> {
    update(&state, &requester, &id, &body, true).await
}

/// Change some of one's preferences.
#[utoipa::path(
    patch,
    path = "/api/v1.0/users/{id}/",
    tag = "users",
    params(("id" = Uuid, Path, description = "The user's id: one's own")),
    request_body = Option<PreferencesPatchBody>,
    responses(
        (status = 200, description = "The updated user", body = UserResponse),
        (status = 403, description = "Another user", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
        BodyErrors,
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(id): ApiPath<String>,
    body: JsonObject,
) -> Result<Json<UserResponse>, ApiError> {
    update(&state, &requester, &id, &body, false).await
}

/// A full update (`complete`: PUT, `language` and `timezone` required) or a partial one (PATCH).
async fn update(
    state: &AppState,
    requester: &Requester,
    id: &str,
    body: &JsonObject,
    complete: bool,
) -> Result<Json<UserResponse>, ApiError> {
    requester.require_user()?;
    let mut errors = FieldErrors::default();
    if complete {
        for field in ["language", "timezone"] {
            body.require(field, &mut errors);
        }
    }
    let changes = PreferenceChanges {
        language: body.string("language", &mut errors),
        timezone: body.string("timezone", &mut errors),
        default_room_access_level: body
            .has("default_room_access_level")
            .then(|| body.choice("default_room_access_level", AccessLevel::parse, &mut errors)),
        default_room_configuration: body.has("default_room_configuration").then(|| {
            body.object("default_room_configuration", &mut errors)
                .unwrap_or_default()
        }),
    };
    errors.into_result()?;
    let updated = preferences::change(&state.services, requester, id, changes).await?;
    Ok(Json(UserResponse::from(&updated)))
}

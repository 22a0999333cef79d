//! `/api/v1.0/rooms/`: La Suite Meet's room endpoints. Rooms are found by UUID or slug (meeting
//! codes in any case, hyphens optional). Retrieving a room is how clients get their LiveKit
//! credentials: `livekit: {url, room, token}` when they may enter directly, nothing when they
//! must wait in the lobby.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use http::header::{COOKIE, SET_COOKIE};
use meet_domain::Services;
use meet_domain::accesses::AccessWithUser;
use meet_domain::guest::{self, GuestId};
use meet_domain::rooms::FieldErrors;
use meet_domain::rooms::service::{self, CreateRoom, Requester, RoomChanges, RoomDetails};
use meet_types::{AccessLevel, LiveKitConnection, Role, RoomConfiguration};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::body::JsonObject;
use crate::api::error::{ApiError, ErrorBody};
use crate::api::extract::{ApiPath, ApiQuery};
use crate::api::pagination::{PageQuery, Paginated, fetch_page};
use crate::auth::viewer::MaybeUser;
use crate::state::AppState;

/// A room as the API shows it. `configuration` and `accesses` only to its administrators;
/// `livekit` only to those who may enter directly.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoomResponse {
    /// `null` for an unregistered room.
    pub id: Option<Uuid>,
    pub name: String,
    pub slug: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration: Option<RoomConfiguration>,
    pub access_level: AccessLevel,
    /// Telephony PIN: always `null` (telephony is not offered); absent without credentials.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub pin_code: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accesses: Option<Vec<NestedAccess>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub livekit: Option<LiveKitConnection>,
    pub is_administrable: bool,
}

/// An access in a room's answer, with its user.
#[derive(Debug, Serialize, ToSchema)]
pub struct NestedAccess {
    pub id: Uuid,
    pub user: NestedUser,
    /// The room.
    pub resource: Uuid,
    pub role: Role,
}

/// A user inside an access.
#[derive(Debug, Serialize, ToSchema)]
pub struct NestedUser {
    pub id: Uuid,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub short_name: Option<String>,
    pub timezone: String,
    pub language: String,
}

impl From<AccessWithUser> for NestedAccess {
    fn from(access: AccessWithUser) -> Self {
        Self {
            id: access.access.id,
            resource: access.access.room_id,
            role: access.access.role,
            user: NestedUser {
                id: access.access.user_id,
                email: access.email,
                full_name: access.full_name,
                short_name: access.short_name,
                timezone: access.timezone,
                language: access.language,
            },
        }
    }
}

impl From<RoomDetails> for RoomResponse {
    fn from(details: RoomDetails) -> Self {
        let administers = details.is_administrable();
        let entered = details.livekit.is_some();
        let (id, name, access_level, configuration) = match details.room {
            Some(room) => (
                Some(room.id),
                room.name,
                room.access_level,
                Some(room.configuration.0),
            ),
            None => (None, details.slug.clone(), AccessLevel::Public, None),
        };
        Self {
            id,
            name,
            slug: details.slug,
            configuration: configuration.filter(|_| administers),
            access_level,
            pin_code: entered.then_some(None),
            accesses: details
                .accesses
                .map(|accesses| accesses.into_iter().map(NestedAccess::from).collect()),
            livekit: details.livekit,
            is_administrable: administers,
        }
    }
}

/// `?username=`: the name to show in the meeting.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsernameQuery {
    /// The name others will see: at most 255 characters, no control characters; blank means
    /// none.
    #[param(max_length = 255, pattern = r"^[^\x00-\x1f\x7f-\x9f]*$")]
    pub username: Option<String>,
}

/// The guest identity Meet issued to this browser earlier, if any.
fn guest_id(services: &Services, headers: &HeaderMap) -> Option<GuestId> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(guest::from_cookie_header)
        .and_then(|value| services.guests.verify(value))
}

/// `details` as a response, remembering a new guest identity in a cookie.
fn with_guest_cookie(services: &Services, status: StatusCode, details: RoomDetails) -> Response {
    let cookie = details.new_guest_id.as_ref().map(|guest| {
        let max_age = services.rooms.token.ttl.as_secs();
        (
            SET_COOKIE,
            guest::set_cookie(guest, services.rooms.secure_cookies, max_age),
        )
    });
    (
        status,
        AppendHeaders(cookie),
        Json(RoomResponse::from(details)),
    )
        .into_response()
}

/// Retrieve a room, with LiveKit credentials when the requester may enter directly.
#[utoipa::path(
    get,
    path = "/api/v1.0/rooms/{id}/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug"), UsernameQuery),
    responses(
        (status = 200, description = "The room", body = RoomResponse),
        (status = 400, description = "Invalid username", body = ErrorBody),
        (status = 404, description = "No such room (and unregistered rooms are off)", body = ErrorBody),
    )
)]
pub async fn retrieve(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(key): ApiPath<String>,
    ApiQuery(query): ApiQuery<UsernameQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let guest = guest_id(&state.services, &headers);
    let requester = Requester {
        user: user.as_deref(),
        guest: guest.as_ref(),
    };
    let details =
        service::retrieve(&state.services, requester, &key, query.username.as_deref()).await?;
    Ok(with_guest_cookie(&state.services, StatusCode::OK, details))
}

/// List the rooms where the logged-in user has a role (visitors get an empty list).
#[utoipa::path(
    get,
    path = "/api/v1.0/rooms/",
    tag = "rooms",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of rooms", body = Paginated<RoomResponse>),
        (status = 404, description = "Invalid page", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<Paginated<RoomResponse>>, ApiError> {
    let base = format!("{}/api/v1.0/rooms/", state.config.public_url());
    let page = query.page()?;
    let Some(user) = user else {
        return Ok(Json(Paginated::new(Vec::new(), 0, page.checked(0)?, &base)));
    };
    let (rooms, count, page) = fetch_page(page, |limit, offset| {
        let (services, user) = (&state.services, &user);
        async move { Ok(service::list_mine(services, user, limit, offset).await?) }
    })
    .await?;
    let mut results = Vec::with_capacity(rooms.len());
    for room in rooms {
        let details = service::retrieve(
            &state.services,
            Requester::user(&user),
            &room.room.id.to_string(),
            None,
        )
        .await?;
        results.push(RoomResponse::from(details));
    }
    Ok(Json(Paginated::new(results, count, page, &base)))
}

/// Body of a room creation, and of a full update (PUT).
#[derive(Debug, ToSchema)]
pub struct RoomBody {
    /// The room's name: at most 500 characters, no control characters, not blank. Its address
    /// (slug) is made from it; a name that cannot be an address people choose (nothing is left of
    /// it, a UUID, or shaped like a meeting code such as `abc-defg-hij`) gets a meeting code Meet
    /// draws, and a code-shaped name becomes that code.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
    /// Absent or `null`: the user's default, then the deployment's.
    pub access_level: Option<AccessLevel>,
    /// Absent, `null` or empty: the user's default.
    pub configuration: Option<RoomConfiguration>,
}

/// Body of a partial update (PATCH): absent or `null` fields stay as they are.
#[derive(Debug, ToSchema)]
pub struct RoomPatchBody {
    /// As in [`RoomBody`].
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: Option<String>,
    pub access_level: Option<AccessLevel>,
    pub configuration: Option<RoomConfiguration>,
}

/// The fields of a room body.
struct RoomFields {
    name: Option<String>,
    access_level: Option<AccessLevel>,
    configuration: Option<RoomConfiguration>,
}

/// Reads a room body, naming every wrong field.
fn room_fields(body: &JsonObject) -> Result<RoomFields, ApiError> {
    let mut errors = FieldErrors::default();
    let fields = RoomFields {
        name: body.string("name", &mut errors),
        access_level: body.choice("access_level", AccessLevel::parse, &mut errors),
        configuration: body.object::<RoomConfiguration>("configuration", &mut errors),
    };
    errors.into_result()?;
    Ok(fields)
}

/// Create a room; the creator becomes its owner.
#[utoipa::path(
    post,
    path = "/api/v1.0/rooms/",
    tag = "rooms",
    params(UsernameQuery),
    request_body = RoomBody,
    responses(
        (status = 201, description = "The new room", body = RoomResponse),
        (status = 400, description = "Invalid input, by field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "The user owns the most rooms allowed", body = ErrorBody),
        (status = 409, description = "Another room has this address", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 429, description = "Too many rooms created in a short time", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiQuery(query): ApiQuery<UsernameQuery>,
    body: JsonObject,
) -> Result<Response, ApiError> {
    let user = user.ok_or(ApiError::Unauthenticated)?;
    let RoomFields {
        name,
        access_level,
        configuration,
    } = room_fields(&body)?;
    let room = service::create(
        &state.services,
        &user,
        CreateRoom {
            name,
            access_level,
            configuration,
        },
    )
    .await?;
    let details = service::retrieve(
        &state.services,
        Requester::user(&user),
        &room.id.to_string(),
        query.username.as_deref(),
    )
    .await?;
    Ok(with_guest_cookie(
        &state.services,
        StatusCode::CREATED,
        details,
    ))
}

/// Replace a room's name, access level and configuration (administrators and owners).
#[utoipa::path(
    put,
    path = "/api/v1.0/rooms/{id}/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug")),
    request_body = RoomBody,
    responses(
        (status = 200, description = "The updated room", body = RoomResponse),
        (status = 400, description = "Invalid input, by field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an administrator or owner", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
        (status = 409, description = "Another room has this address", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
    )
)]
pub async fn replace(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(key): ApiPath<String>,
    body: JsonObject,
) -> Result<Response, ApiError> {
    update(state, user, key, body, true).await
}

/// Change some of a room's name, access level and configuration (administrators and owners).
#[utoipa::path(
    patch,
    path = "/api/v1.0/rooms/{id}/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug")),
    request_body = Option<RoomPatchBody>,
    responses(
        (status = 200, description = "The updated room", body = RoomResponse),
        (status = 400, description = "Invalid input, by field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an administrator or owner", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
        (status = 409, description = "Another room has this address", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(key): ApiPath<String>,
    body: JsonObject,
) -> Result<Response, ApiError> {
    update(state, user, key, body, false).await
}

async fn update(
    state: AppState,
    user: Option<std::sync::Arc<meet_domain::users::User>>,
    key: String,
    body: JsonObject,
    complete: bool,
) -> Result<Response, ApiError> {
    let user = user.ok_or(ApiError::Unauthenticated)?;
    let RoomFields {
        name,
        access_level,
        configuration,
    } = room_fields(&body)?;
    if complete && name.is_none() {
        return Err(FieldErrors::one("name", "This field is required.").into());
    }
    let changes = RoomChanges {
        name,
        access_level,
        configuration,
    };
    let room = service::update(&state.services, Some(&user), &key, changes).await?;
    let details = service::retrieve(
        &state.services,
        Requester::user(&user),
        &room.id.to_string(),
        None,
    )
    .await?;
    Ok(with_guest_cookie(&state.services, StatusCode::OK, details))
}

/// Delete a room (owners).
#[utoipa::path(
    delete,
    path = "/api/v1.0/rooms/{id}/",
    tag = "rooms",
    params(("id" = String, Path, description = "The room's UUID or slug")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an owner", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
    )
)]
pub async fn destroy(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(key): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    service::delete(&state.services, user.as_deref(), &key).await?;
    Ok(StatusCode::NO_CONTENT)
}

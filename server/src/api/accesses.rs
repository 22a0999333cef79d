//! `/api/v1.0/resource-accesses/`: roles in rooms, managed by the rooms' administrators and
//! owners (rules in `meet_domain::accesses::service`).

use axum::Json;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use meet_domain::accesses::ResourceAccess;
use meet_domain::accesses::service::{self, NewAccess};
use meet_domain::{FieldErrors, Requester};
use meet_types::Role;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::body::JsonObject;
use crate::api::error::{ApiError, BodyErrors, ErrorBody};
use crate::api::extract::{ApiPath, ApiQuery};
use crate::api::pagination::{PageQuery, Paginated, fetch_page};
use crate::state::AppState;

/// A user's role in a room.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessResponse {
    pub id: Uuid,
    /// The user.
    pub user: Uuid,
    /// The room.
    pub resource: Uuid,
    pub role: Role,
}

impl From<ResourceAccess> for AccessResponse {
    fn from(access: ResourceAccess) -> Self {
        Self {
            id: access.id,
            user: access.user_id,
            resource: access.room_id,
            role: access.role,
        }
    }
}

/// Body of an access creation.
#[derive(Debug, ToSchema)]
pub struct AccessBody {
    /// Who gets the role.
    pub user: Uuid,
    /// The room.
    pub resource: Uuid,
    /// Absent or `null`: `member`.
    pub role: Option<Role>,
}

/// Body of a role change (PUT); other fields are ignored.
#[derive(Debug, ToSchema)]
pub struct AccessRoleBody {
    pub role: Role,
}

/// Body of a partial role change (PATCH): absent or `null` leaves the role as it is.
#[derive(Debug, ToSchema)]
pub struct AccessPatchBody {
    pub role: Option<Role>,
}

fn access_id(id: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(id).map_err(|_| ApiError::NotFound)
}

/// The accesses of every room the logged-in user administers or owns.
#[utoipa::path(
    get,
    path = "/api/v1.0/resource-accesses/",
    tag = "resource-accesses",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of accesses", body = Paginated<AccessResponse>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "Invalid page", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<Paginated<AccessResponse>>, ApiError> {
    let user = requester.require_user()?;
    let (accesses, count, page) = fetch_page(query.page()?, |limit, offset| {
        let (services, user) = (&state.services, user);
        async move { Ok(service::list(services, user, limit, offset).await?) }
    })
    .await?;
    let base = format!("{}/api/v1.0/resource-accesses/", state.config.public_url());
    let results = accesses.into_iter().map(AccessResponse::from).collect();
    Ok(Json(Paginated::new(results, count, page, &base)))
}

/// Give a user a role in a room.
#[utoipa::path(
    post,
    path = "/api/v1.0/resource-accesses/",
    tag = "resource-accesses",
    request_body = AccessBody,
    responses(
        (status = 201, description = "The new access", body = AccessResponse),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 409, description = "The user already has a role in the room", body = ErrorBody),
        BodyErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    body: JsonObject,
) -> Result<(StatusCode, Json<AccessResponse>), ApiError> {
    let user = requester.require_user()?;
    let mut errors = FieldErrors::default();
    let request = NewAccess {
        user: body.uuid("user", &mut errors),
        resource: body.uuid("resource", &mut errors),
        role: body.choice("role", Role::parse, &mut errors),
    };
    errors.into_result()?;
    let access = service::create(&state.services, user, request).await?;
    Ok((StatusCode::CREATED, Json(access.into())))
}

/// One access.
#[utoipa::path(
    get,
    path = "/api/v1.0/resource-accesses/{id}/",
    tag = "resource-accesses",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The access", body = AccessResponse),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such access", body = ErrorBody),
    )
)]
pub async fn retrieve(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<AccessResponse>, ApiError> {
    let user = requester.require_user()?;
    let access = service::retrieve(&state.services, user, access_id(&id)?).await?;
    Ok(Json(access.into()))
}

/// Change the role of an access (`role` required).
#[utoipa::path(
    put,
    path = "/api/v1.0/resource-accesses/{id}/",
    tag = "resource-accesses",
    params(("id" = Uuid, Path)),
    request_body = AccessRoleBody,
    responses(
        (status = 200, description = "The access", body = AccessResponse),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such access", body = ErrorBody),
        (status = 409, description = "The room would have no owner left", body = ErrorBody),
        BodyErrors,
    )
)]
pub async fn replace(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(id): ApiPath<String>,
    body: JsonObject,
) -> Result<Json<AccessResponse>, ApiError> {
    let user = requester.require_user()?;
    let id = access_id(&id)?;
    let mut errors = FieldErrors::default();
    body.require("role", &mut errors);
    let role = body.choice("role", Role::parse, &mut errors);
    errors.into_result()?;
    Ok(Json(
        service::update(&state.services, user, id, role)
            .await?
            .into(),
    ))
}

/// Change the role of an access.
#[utoipa::path(
    patch,
    path = "/api/v1.0/resource-accesses/{id}/",
    tag = "resource-accesses",
    params(("id" = Uuid, Path)),
    request_body = Option<AccessPatchBody>,
    responses(
        (status = 200, description = "The access", body = AccessResponse),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such access", body = ErrorBody),
        (status = 409, description = "The room would have no owner left", body = ErrorBody),
        BodyErrors,
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(id): ApiPath<String>,
    body: JsonObject,
) -> Result<Json<AccessResponse>, ApiError> {
    let user = requester.require_user()?;
    let id = access_id(&id)?;
    let mut errors = FieldErrors::default();
    let role = body.choice("role", Role::parse, &mut errors);
    errors.into_result()?;
    Ok(Json(
        service::update(&state.services, user, id, role)
            .await?
            .into(),
    ))
}

/// Remove an access (an owner's only by that owner; never the last owner).
#[utoipa::path(
    delete,
    path = "/api/v1.0/resource-accesses/{id}/",
    tag = "resource-accesses",
    params(("id" = Uuid, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 409, description = "The room would have no owner left", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such access", body = ErrorBody),
    )
)]
pub async fn destroy(
    State(state): State<AppState>,
    Extension(requester): Extension<Requester>,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    let user = requester.require_user()?;
    service::delete(&state.services, user, access_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

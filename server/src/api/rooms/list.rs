//! `GET /api/v1.0/rooms/`: one's rooms, a page at a time.

use axum::Json;
use axum::extract::{Extension, State};
use meet_domain::{Requester, rooms};

use crate::api::error::{ApiError, ErrorBody};
use crate::api::extract::ApiQuery;
use crate::api::pagination::{PageQuery, Paginated, fetch_page};
use crate::api::rooms::response::RoomResponse;
use crate::state::AppState;

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
    Extension(requester): Extension<Requester>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<Paginated<RoomResponse>>, ApiError> {
    let base = format!("{}/api/v1.0/rooms/", state.config.public_url());
    let page = query.page()?;
    if requester.user.is_none() {
        return Ok(Json(Paginated::new(Vec::new(), 0, page.checked(0)?, &base)));
    }
    let (rooms, count, page) = fetch_page(page, |limit, offset| {
        let (services, requester) = (&state.services, &requester);
        async move { Ok(rooms::list_seen_by(services, requester, limit, offset).await?) }
    })
    .await?;
    let results = rooms.into_iter().map(RoomResponse::from).collect();
    Ok(Json(Paginated::new(results, count, page, &base)))
}

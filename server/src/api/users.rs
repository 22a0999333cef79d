//! `/api/v1.0/users/…`

use axum::Json;
use serde::Serialize;
use uuid::Uuid;

use crate::auth::viewer::RequireUser;

/// A user as the API shows it to themselves.
#[derive(Debug, Serialize)]
pub struct UserResponse {
    pub id: Uuid,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub short_name: Option<String>,
    pub language: String,
    pub timezone: String,
}

/// `GET /api/v1.0/users/me/`: the logged-in user; 401 for visitors.
pub async fn me(RequireUser(user): RequireUser) -> Json<UserResponse> {
    Json(UserResponse {
        id: user.id,
        email: user.email.clone(),
        full_name: user.full_name.clone(),
        short_name: user.short_name.clone(),
        language: user.language.clone(),
        timezone: user.timezone.clone(),
    })
}

//! Feedback after a call. (Placeholder until the storage lands: see the helper branch.)

use leptos::prelude::*;

use crate::error::AppError;

/// Records a rating (1 to 5) and an optional comment about the call that just ended.
#[server(endpoint = "feedback/send", input = server_fn::codec::PostUrl)]
pub async fn send_feedback(
    rating: u8,
    comment: Option<String>,
    reason: Option<String>,
    room: Option<String>,
) -> Result<(), AppError> {
    let _ = (comment, reason, room);
    if !(1..=5).contains(&rating) {
        return Err(AppError::Invalid("Pick a rating from 1 to 5.".to_owned()));
    }
    Ok(())
}

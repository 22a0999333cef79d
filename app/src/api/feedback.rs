//! The server function the feedback page (`/feedback`) calls after a call: a rating of the
//! call's quality, an optional comment, and the reason the call ended and the meeting, as the
//! meeting page told the feedback page. Anyone may send it, guests too.

use leptos::prelude::*;

use crate::error::AppError;

/// Records feedback: `rating` from 1 to 5; `comment` at most 2,000 characters; `reason` one of
/// `left`, `removed`, `duplicate_identity`, `room_deleted`, `connection_lost`, `unreachable`;
/// `room` the meeting's address. Blank texts count as absent; anything else wrong is an
/// [`AppError::Invalid`] naming it, and nothing is stored. Sent from a page without JavaScript
/// (a plain form), it answers by going to the home page.
#[server(endpoint = "feedback/send", input = server_fn::codec::PostUrl)]
pub async fn send_feedback(
    rating: u8,
    comment: Option<String>,
    reason: Option<String>,
    room: Option<String>,
) -> Result<(), AppError> {
    use crate::api::context::{answer, from_plain_form, requester, services};
    use meet_domain::feedback::{Feedback, record};
    let feedback = Feedback {
        rating,
        comment,
        reason,
        room_slug: room,
    };
    record(&*services()?, &requester(), feedback)
        .await
        .map_err(answer)?;
    if from_plain_form() {
        leptos_axum::redirect("/");
    }
    Ok(())
}

//! `/feedback?room=…&reason=…`: the page after a call. Says why the call ended (left, removed by
//! a host, joined from another device, meeting ended, connection lost), offers to rejoin or go
//! home, and asks for a 1–5 rating with an optional comment. A plain form underneath, so it works
//! without JavaScript too.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use meet_types::feedback::MAX_COMMENT_CHARS;
use meet_types::{EndReason, RoomCode};

use crate::api::feedback::SendFeedback;
use crate::meeting::model::farewell;

/// The page after a call.
#[component]
pub fn FeedbackPage() -> impl IntoView {
    let query = use_query_map();
    let reason = query
        .with_untracked(|q| q.get("reason"))
        .as_deref()
        .and_then(EndReason::parse)
        .unwrap_or(EndReason::Left);
    // Only a room address shaped like one is offered back (never a link elsewhere).
    let room = query
        .with_untracked(|q| q.get("room"))
        .filter(|slug| is_address(slug));
    let (title, explanation) = farewell(reason);
    view! {
        <Title text=title />
        <section class="message-page feedback-page" aria-labelledby="feedback-title">
            <h1 id="feedback-title">{title}</h1>
            <p>{explanation}</p>
            <div class="actions">
                {room.clone().map(|slug| view! {
                    <a class="button button-primary" href=format!("/{slug}")>"Rejoin the meeting"</a>
                })}
                <a class="button button-secondary" href="/">"Return to the home page"</a>
            </div>
            <FeedbackForm reason room />
        </section>
    }
}

/// The rating form, then the thanks: the site bundle hydrates it on its own (an island).
#[cfg_attr(feature = "meeting-bundle", component)]
#[cfg_attr(not(feature = "meeting-bundle"), island)]
fn FeedbackForm(reason: EndReason, room: Option<String>) -> impl IntoView {
    let room_field = StoredValue::new(room);
    let send = ServerAction::<SendFeedback>::new();
    let pending = send.pending();
    let sent = move || matches!(send.value().get(), Some(Ok(())));
    view! {
        <Show when=move || !sent() fallback=|| view! {
            <p class="field-feedback field-feedback-ok" role="status">"Thank you for your feedback."</p>
        }>
            <ActionForm action=send attr:class="feedback-form">
                <input type="hidden" name="reason" value=reason.as_str() />
                {room_field.get_value().map(|slug| view! { <input type="hidden" name="room" value=slug /> })}
                <fieldset class="rating">
                    <legend>"How was the call?"</legend>
                    <div class="rating-choices">
                        {(1..=5u8).map(|value| {
                            let id = format!("rating-{value}");
                            let label = match value {
                                1 => "1 (very bad)",
                                5 => "5 (excellent)",
                                _ => "",
                            };
                            view! {
                                <input type="radio" id=id.clone() name="rating" value=value.to_string() required=true />
                                <label for=id title=label>{value.to_string()}</label>
                            }
                        }).collect_view()}
                    </div>
                    <p class="muted">"1 is very bad, 5 is excellent."</p>
                </fieldset>
                <label for="feedback-comment">"Anything to tell us? (optional)"</label>
                <textarea id="feedback-comment" name="comment" rows="3" maxlength=MAX_COMMENT_CHARS.to_string()></textarea>
                <button type="submit" class="button button-primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Sending…" } else { "Send feedback" }}
                </button>
                {move || send.value().get().and_then(Result::err).map(|error| view! {
                    <p class="form-error" role="alert">{error.to_string()}</p>
                })}
            </ActionForm>
        </Show>
    }
}

/// Whether `slug` can be a room's address (a meeting code, or lowercase words with hyphens).
fn is_address(slug: &str) -> bool {
    RoomCode::parse_bare(slug).is_ok()
        || (!slug.is_empty()
            && slug.len() <= 255
            && slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
}

//! "Join with a code": a field that takes a meeting code or link, checks it as you type and opens
//! the meeting.
//!
//! Without JavaScript the form is a plain `GET /join?code=…`, which the server answers with a
//! redirect to the meeting, or back to `/?code=…` when the code is wrong; the field then shows the
//! text and the error. Once hydrated (an island of the site bundle, `crate::bundle`), the same
//! checks run in the browser and the form opens the meeting without a round trip.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use meet_types::{RoomCode, RoomCodeError};

/// The query parameter (and form field) carrying the typed code.
pub const CODE_PARAM: &str = "code";

/// What the field says under it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Feedback {
    /// A neutral hint: nothing wrong yet.
    Hint,
    /// The text is a valid code.
    Ready(RoomCode),
    /// The text cannot be a code.
    Error(RoomCodeError),
}

impl Feedback {
    /// What to tell someone who typed `parsed`, having tried to join (`submitted`) or not: a code
    /// that is only unfinished is not an error until they try to join with it.
    fn of(parsed: Result<RoomCode, RoomCodeError>, submitted: bool) -> Self {
        match parsed {
            Ok(code) => Self::Ready(code),
            Err(RoomCodeError::Empty | RoomCodeError::Incomplete) if !submitted => Self::Hint,
            Err(error) => Self::Error(error),
        }
    }

    fn message(&self) -> String {
        match self {
            Self::Hint => "For example abc-defg-hij, or paste the meeting link.".to_owned(),
            Self::Ready(code) => format!("Ready to join {code}."),
            Self::Error(error) => error.to_string(),
        }
    }

    fn class(&self) -> &'static str {
        match self {
            Self::Hint => "field-feedback",
            Self::Ready(_) => "field-feedback field-feedback-ok",
            Self::Error(_) => "field-feedback field-feedback-error",
        }
    }
}

/// The join field and button, with the text of a refused code when the server's `/join` sent
/// people back here with it.
#[component]
pub fn JoinForm() -> impl IntoView {
    let refused = use_query_map().with_untracked(|q| q.get(CODE_PARAM));
    view! { <JoinField refused /> }
}

/// The form itself: the site bundle hydrates it on its own (an island).
#[cfg_attr(feature = "meeting-bundle", component)]
#[cfg_attr(not(feature = "meeting-bundle"), island)]
fn JoinField(refused: Option<String>) -> impl IntoView {
    // Coming back from the server's `/join` with a `code` parameter means it was refused.
    let submitted = RwSignal::new(refused.is_some());
    let initial = refused.unwrap_or_default();
    let text = RwSignal::new(initial.clone());
    let feedback =
        Memo::new(move |_| Feedback::of(text.with(|t| RoomCode::parse(t)), submitted.get()));
    let is_error = move || matches!(feedback.get(), Feedback::Error(_));

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        match text.with_untracked(|t| RoomCode::parse(t)) {
            Ok(code) => open(&code.path()),
            Err(_) => submitted.set(true),
        }
    };

    view! {
        <form class="join-form" action="/join" method="get" on:submit=on_submit novalidate>
            <label for="join-code">"Join with a code"</label>
            <div class="join-row">
                <input
                    id="join-code"
                    name=CODE_PARAM
                    type="text"
                    inputmode="text"
                    autocomplete="off"
                    autocapitalize="none"
                    spellcheck="false"
                    placeholder="abc-defg-hij"
                    aria-describedby="join-code-feedback"
                    aria-invalid=move || is_error().to_string()
                    // The attribute carries the text into server-rendered HTML (no JavaScript);
                    // the property keeps the field in step once hydrated.
                    value=initial
                    prop:value=move || text.get()
                    on:input=move |event| text.set(event_target_value(&event))
                />
                <button type="submit" class="button button-secondary">"Join"</button>
            </div>
            <p id="join-code-feedback" class=move || feedback.get().class() aria-live="polite">
                {move || feedback.get().message()}
            </p>
        </form>
    }
}

/// Opens the page at `path` (the meeting page, which its own bundle hydrates).
fn open(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feedback(text: &str, submitted: bool) -> Feedback {
        Feedback::of(RoomCode::parse(text), submitted)
    }

    #[test]
    fn unfinished_codes_are_hints_until_submitted() {
        assert_eq!(feedback("", false), Feedback::Hint);
        assert_eq!(feedback("abc-de", false), Feedback::Hint);
        assert_eq!(feedback("", true), Feedback::Error(RoomCodeError::Empty));
        assert_eq!(
            feedback("abc-de", true),
            Feedback::Error(RoomCodeError::Incomplete)
        );
    }

    #[test]
    fn wrong_characters_are_errors_at_once() {
        assert_eq!(
            feedback("abc_", false),
            Feedback::Error(RoomCodeError::InvalidCharacter)
        );
        assert_eq!(
            feedback("abcdefghijkl", false),
            Feedback::Error(RoomCodeError::WrongShape)
        );
    }

    #[test]
    fn valid_codes_say_where_they_lead() {
        let ready = feedback("ABCDEFGHIJ", false);
        assert_eq!(ready.message(), "Ready to join abc-defg-hij.");
        assert_eq!(ready.class(), "field-feedback field-feedback-ok");
    }
}

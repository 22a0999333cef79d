//! "New meeting": for logged-in people, an instant meeting (opens it) or one for later (shows
//! its link to share); for visitors, a way to log in first, or an unregistered meeting when the
//! deployment allows them. Plain forms underneath, so it works without JavaScript too; the site
//! bundle hydrates the forms on their own (islands, `crate::bundle`).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use meet_types::RequesterView;

use crate::api::rooms::{StartMeeting, StartedMeeting};
use crate::components::room::meeting_link::MeetingLink;
use crate::error::AppError;
use crate::links;

/// The entry points to a new meeting, for `requester`.
#[component]
pub fn NewMeeting(requester: RequesterView) -> impl IntoView {
    // Only what can succeed is offered: visitors start a meeting only where the deployment
    // allows meetings that exist by their address alone.
    match (
        requester.user.is_some(),
        requester.login_enabled,
        requester.unregistered_rooms,
    ) {
        (true, _, _) => view! { <StaffActions /> }.into_any(),
        (false, true, _) => view! { <LoginToCreate /> }.into_any(),
        (false, false, true) => view! { <VisitorMeeting /> }.into_any(),
        (false, false, false) => view! {
            <p class="muted">
                "Meetings on this server are created by their organisers. Open the link you were sent, or type its code."
            </p>
        }
        .into_any(),
    }
}

/// Both kinds of meeting.
#[cfg_attr(feature = "meeting-bundle", component)]
#[cfg_attr(not(feature = "meeting-bundle"), island)]
fn StaffActions() -> impl IntoView {
    let later = ServerAction::<StartMeeting>::new();
    let pending = later.pending();
    view! {
        <div class="new-meeting">
            <div class="new-meeting-buttons">
                // Without JavaScript a failure reaches both forms (they share a server function):
                // it is said once, by "for later".
                <InstantMeeting primary=true show_error=Signal::derive(move || !matches!(later.value().get(), Some(Err(_)))) />
                <ActionForm action=later>
                    <input type="hidden" name="for_later" value="true" />
                    <button type="submit" class="button button-secondary" disabled=move || pending.get()>
                        {move || if pending.get() { "Creating…" } else { "Create a meeting for later" }}
                    </button>
                </ActionForm>
            </div>
            {move || later.value().get().map(|result| view! { <LaterOutcome result /> })}
        </div>
    }
}

/// What "for later" gave: the link to share, or why not.
#[component]
fn LaterOutcome(result: Result<StartedMeeting, AppError>) -> impl IntoView {
    match result {
        Ok(meeting) => view! {
            <div class="created-meeting" role="status">
                <p>"Your meeting is ready. Share this link with the people you invite:"</p>
                <MeetingLink slug=meeting.slug.clone() />
                <a class="button button-secondary" href=format!("/{}", meeting.slug)>"Open it now"</a>
            </div>
        }
        .into_any(),
        Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
    }
}

/// An instant meeting, for visitors where the deployment allows meetings that exist by their
/// address alone.
#[cfg_attr(feature = "meeting-bundle", component)]
#[cfg_attr(not(feature = "meeting-bundle"), island)]
fn VisitorMeeting() -> impl IntoView {
    view! { <InstantMeeting primary=true /> }
}

/// Starts a meeting now and opens it.
#[component]
fn InstantMeeting(
    primary: bool,
    /// Whether its failure is said here (else elsewhere on the page).
    #[prop(into, default = Signal::from(true))]
    show_error: Signal<bool>,
) -> impl IntoView {
    let start = ServerAction::<StartMeeting>::new();
    let pending = start.pending();
    let class = if primary {
        "button button-primary"
    } else {
        "button button-secondary"
    };
    view! {
        <ActionForm action=start>
            <input type="hidden" name="for_later" value="false" />
            <button type="submit" class=class disabled=move || pending.get()>
                {move || if pending.get() { "Starting…" } else { "Start an instant meeting" }}
            </button>
        </ActionForm>
        {move || {
            start.value().get().and_then(Result::err).filter(|_| show_error.get()).map(|error| {
                view! { <p class="form-error" role="alert">{error.to_string()}</p> }
            })
        }}
    }
}

/// Visitors log in to create meetings, and come back here.
#[component]
fn LoginToCreate() -> impl IntoView {
    let location = use_location();
    let href = move || links::login(&location.pathname.get());
    view! {
        <div class="new-meeting">
            <a class="button button-primary" href=href rel="external">"Log in to create a meeting"</a>
        </div>
    }
}

//! Recording in the meeting: "More tools" (Record and Transcribe: hosts start and stop them,
//! everyone else can ask a host), and the indicator everyone sees while the meeting is being
//! recorded. The state comes from the room's metadata, which Meet's server writes at each step
//! (starting, started, saving); the server decides who may record.

use leptos::prelude::*;
use leptos::task::spawn_local;
use meet_types::{LiveRecording, RecordingMode, RecordingTools};

use crate::api::recordings;
use crate::meeting::bridge;
use crate::meeting::browser;
use crate::meeting::conference::{Call, Panel};
use crate::meeting::model;
use crate::meeting::panels::PanelHeader;

/// A participant may ask the hosts to record once in this many milliseconds.
const ASK_INTERVAL_MS: f64 = 30_000.0;

/// Asks the server what "More tools" offers the caller, into `call.tools`.
pub(crate) fn load_tools(call: Call) {
    spawn_local(async move {
        match recordings::recording_tools(call.key()).await {
            Ok(tools) => {
                let _ = call.tools.try_set(Some(tools));
            }
            // Offered nothing: the button stays hidden, and the meeting goes on.
            Err(error) => leptos::logging::warn!("recording tools unavailable: {error}"),
        }
    });
}

/// The "More tools" button, when the server records meetings.
#[component]
pub fn ToolsButton() -> impl IntoView {
    let call = expect_context::<Call>();
    let offered = move || {
        call.tools
            .with(|tools| tools.as_ref().is_some_and(|tools| !tools.modes.is_empty()))
    };
    view! {
        <Show when=offered>
            <button type="button" class="control" aria-pressed=move || (call.panel.get() == Some(Panel::Tools)).to_string()
                on:click=move |_| call.toggle_panel(Panel::Tools)>"More tools"</button>
        </Show>
    }
}

/// The badge everyone sees while the meeting is being recorded or transcribed.
#[component]
pub fn RecordingIndicator() -> impl IntoView {
    let call = expect_context::<Call>();
    let text = move || match call.recording.get() {
        LiveRecording::Off => None,
        LiveRecording::Starting(mode) => Some(format!("{} starting…", model::recording_noun(mode))),
        LiveRecording::On(RecordingMode::ScreenRecording) => Some("Recording".to_owned()),
        LiveRecording::On(RecordingMode::Transcript) => Some("Transcribing".to_owned()),
        LiveRecording::Saving(mode) => Some(format!("{} being saved", model::recording_noun(mode))),
    };
    move || {
        text().map(|text| {
            let live = matches!(call.recording.get(), LiveRecording::On(_));
            view! {
                <p class="recording-indicator" class:recording-live=live
                    title="Everyone in the meeting sees this">
                    <span class="recording-dot" aria-hidden="true"></span>
                    {text}
                </p>
            }
        })
    }
}

/// "More tools": a card for each mode the server records.
#[component]
pub fn ToolsPanel() -> impl IntoView {
    let call = expect_context::<Call>();
    let tools = move || call.tools.get().unwrap_or_default();
    view! {
        <aside class="side-panel tools-panel" aria-labelledby="tools-title">
            <PanelHeader title_id="tools-title" close_label="Close more tools">"More tools"</PanelHeader>
            {move || {
                let tools = tools();
                tools.modes.iter().map(|&mode| view! { <RecordingCard mode tools=tools.clone() /> }).collect_view()
            }}
        </aside>
    }
}

/// Record, or Transcribe: what it does, where it stands, and the button a host starts and stops
/// it with (or that asks a host, for everyone else).
#[component]
fn RecordingCard(mode: RecordingMode, tools: RecordingTools) -> impl IntoView {
    let call = expect_context::<Call>();
    // A start or stop on its way to the server.
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let asked_at = RwSignal::new(None::<f64>);
    let (title, what, noun) = match mode {
        RecordingMode::ScreenRecording => (
            "Record",
            "Records the meeting as everyone sees it, picture and sound.",
            "recording",
        ),
        RecordingMode::Transcript => (
            "Transcribe",
            "Records the meeting's sound so that a written transcript can be made of it.",
            "transcription",
        ),
    };
    let mut limits = Vec::new();
    if let Some(minutes) = tools.max_minutes {
        limits.push(format!("It stops by itself after {}.", duration(minutes)));
    }
    if mode == RecordingMode::ScreenRecording {
        let kept = match tools.expiration_days {
            Some(1) => "kept for 1 day".to_owned(),
            Some(days) => format!("kept for {days} days"),
            None if tools.may_record => "kept until you delete it".to_owned(),
            None => "kept until the host who started it deletes it".to_owned(),
        };
        limits.push(if tools.may_record {
            format!("You get an email with a link to it once it is saved; it is {kept}.")
        } else {
            format!("The host who starts it gets an email with a link to it; it is {kept}.")
        });
    }
    let state = move || call.recording.get();
    let status = move || match state() {
        LiveRecording::Off if busy.get() => format!("Starting the {noun}…"),
        LiveRecording::Off => format!("No {noun} is running."),
        LiveRecording::Starting(running) if running == mode => format!("Starting the {noun}…"),
        LiveRecording::On(running) if running == mode => match mode {
            RecordingMode::ScreenRecording => "This meeting is being recorded.".to_owned(),
            RecordingMode::Transcript => "This meeting is being transcribed.".to_owned(),
        },
        LiveRecording::Saving(running) if running == mode => {
            format!("The {noun} stopped and is being saved.")
        }
        LiveRecording::Saving(other) => format!(
            "A {} is being saved. Wait a moment.",
            model::recording_noun(other).to_lowercase()
        ),
        LiveRecording::Starting(other) | LiveRecording::On(other) => {
            format!(
                "A {} is running; only one can run at a time.",
                model::recording_noun(other).to_lowercase()
            )
        }
    };
    let start = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = recordings::start_recording(call.key(), mode.as_str().to_owned()).await;
            let _ = busy.try_set(false);
            if let Err(failure) = result {
                let _ = error.try_set(Some(failure.to_string()));
            }
        });
    };
    let stop = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = recordings::stop_recording(call.key()).await;
            let _ = busy.try_set(false);
            if let Err(failure) = result {
                let _ = error.try_set(Some(failure.to_string()));
            }
        });
    };
    let ask = move |_| {
        let now = browser::now_ms();
        asked_at.set(Some(now));
        spawn_local(async move {
            let message = serde_json::json!({ "type": model::recording_request(mode) });
            bridge::send_data(&message, None).await;
            call.announce("Your request was sent to the hosts.");
        });
        // The button comes back after a while.
        set_timeout(
            move || {
                let _ = asked_at.try_set(None);
            },
            std::time::Duration::from_millis(ASK_INTERVAL_MS as u64),
        );
    };
    let may_record = tools.may_record;
    let title_id = format!("tool-{}", mode.as_str());
    let labelled_by = title_id.clone();
    let action = move || {
        let running = state();
        if !may_record {
            return match running.mode() {
                Some(_) => ().into_any(),
                None => view! {
                    <p class="muted">{format!("Only hosts can start a {noun}. You can ask them to.")}</p>
                    <button type="button" class="button button-secondary" disabled=move || asked_at.get().is_some()
                        on:click=ask>
                        {move || if asked_at.get().is_some() { "Request sent".to_owned() } else { format!("Ask a host to start the {noun}") }}
                    </button>
                }
                .into_any(),
            };
        }
        match running {
            LiveRecording::On(current) if current == mode => view! {
                <button type="button" class="button button-danger" disabled=busy aria-busy=move || busy.get().to_string()
                    on:click=stop>{move || if busy.get() { format!("Stopping the {noun}…") } else { format!("Stop the {noun}") }}</button>
            }
            .into_any(),
            LiveRecording::Off => view! {
                <button type="button" class="button button-primary" disabled=busy aria-busy=move || busy.get().to_string()
                    on:click=start>{format!("Start the {noun}")}</button>
            }
            .into_any(),
            // Starting, saving, or the other mode running: nothing to press now.
            _ => view! {
                <button type="button" class="button button-primary" disabled=true>{format!("Start the {noun}")}</button>
            }
            .into_any(),
        }
    };
    view! {
        <section class="tool-card" aria-labelledby=labelled_by>
            <h3 id=title_id>{title}</h3>
            <p>{what}</p>
            {limits.into_iter().map(|text| view! { <p class="muted">{text}</p> }).collect_view()}
            <p class="tool-status" role="status">{status}</p>
            {action}
            {move || error.get().map(|error| view! { <p class="form-error" role="alert">{error}</p> })}
        </section>
    }
}

/// `minutes` in words: "90 minutes", "2 hours", "1 hour 30 minutes".
fn duration(minutes: u64) -> String {
    let plural = |count: u64, unit: &str| {
        if count == 1 {
            format!("1 {unit}")
        } else {
            format!("{count} {unit}s")
        }
    };
    match (minutes / 60, minutes % 60) {
        (0, minutes) => plural(minutes, "minute"),
        (hours, 0) => plural(hours, "hour"),
        (hours, minutes) => format!("{} {}", plural(hours, "hour"), plural(minutes, "minute")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_read_as_words() {
        assert_eq!(super::duration(1), "1 minute");
        assert_eq!(super::duration(45), "45 minutes");
        assert_eq!(super::duration(60), "1 hour");
        assert_eq!(super::duration(120), "2 hours");
        assert_eq!(super::duration(90), "1 hour 30 minutes");
    }
}

//! The control bar, in the original's order: microphone and camera (each with its device menu),
//! reactions, screen share, raise hand, chat, participants, leave, and "start audio" when the
//! browser blocked sound. The original's keyboard shortcuts (Ctrl, or Cmd on macOS): D
//! microphone, E camera, Shift+H hand, Shift+M chat, Shift+P participants, Shift+E reactions;
//! F2 moves the focus to the bar.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use meet_types::EndReason;

use crate::meeting::bridge;
use crate::meeting::browser;
use crate::meeting::conference::{Call, Panel};
use crate::meeting::model::REACTIONS;

/// What a shortcut does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shortcut {
    Microphone,
    Camera,
    Hand,
    Chat,
    Participants,
    Reactions,
    Toolbar,
}

/// The shortcut a key press is, if any: `key` as `KeyboardEvent.key`, `command` whether Ctrl
/// (Cmd on macOS) is held.
pub(crate) fn shortcut(key: &str, command: bool, shift: bool, alt: bool) -> Option<Shortcut> {
    if key == "F2" && !command && !alt {
        return Some(Shortcut::Toolbar);
    }
    if !command || alt {
        return None;
    }
    match (key.to_ascii_lowercase().as_str(), shift) {
        ("d", false) => Some(Shortcut::Microphone),
        ("e", false) => Some(Shortcut::Camera),
        ("h", true) => Some(Shortcut::Hand),
        ("m", true) => Some(Shortcut::Chat),
        ("p", true) => Some(Shortcut::Participants),
        ("e", true) => Some(Shortcut::Reactions),
        _ => None,
    }
}

/// The bar.
#[component]
pub fn ControlBar() -> impl IntoView {
    let call = expect_context::<Call>();
    let bar = NodeRef::<html::Div>::new();
    let mac = browser::is_mac();
    let keys = |combo: &str| {
        if mac {
            combo.replace("Ctrl", "⌘")
        } else {
            combo.to_owned()
        }
    };

    // Turning on what a host does not allow says so, rather than failing.
    let refused = move |on: bool, source: &str| {
        let allowed = call
            .me
            .with_untracked(|me| me.as_ref().is_none_or(|p| p.may_publish(source)));
        if on && !allowed {
            call.toast(crate::meeting::model::turned_off(source));
        }
        on && !allowed
    };
    let toggle_microphone = move || {
        let on = !call.devices.microphone.get_untracked();
        if refused(on, "microphone") {
            return;
        }
        spawn_local(async move {
            let result = bridge::set_microphone(on).await;
            call.devices.microphone.set(result.on);
            call.devices.save();
            match result.error {
                Some(error) => call.toast(crate::meeting::prejoin::explain("microphone", &error)),
                None => call.announce(if result.on {
                    "Microphone on"
                } else {
                    "Microphone off"
                }),
            }
        });
    };
    let toggle_camera = move || {
        let on = !call.devices.camera.get_untracked();
        if refused(on, "camera") {
            return;
        }
        spawn_local(async move {
            let result = bridge::set_camera(on).await;
            call.devices.camera.set(result.on);
            call.devices.save();
            match result.error {
                Some(error) => call.toast(crate::meeting::prejoin::explain("camera", &error)),
                None => call.announce(if result.on { "Camera on" } else { "Camera off" }),
            }
        });
    };
    let sharing = Signal::derive(move || {
        call.me
            .with(|me| me.as_ref().is_some_and(|p| p.screen_share))
    });
    let toggle_screen = move || {
        let on = !sharing.get_untracked();
        if refused(on, "screen_share") {
            return;
        }
        spawn_local(async move {
            let result = bridge::set_screen_share(on).await;
            match result.error {
                Some(error) if error.kind == "denied" => call.announce("Screen sharing cancelled"),
                Some(error) => call.toast(format!(
                    "Your screen could not be shared ({}).",
                    error.message
                )),
                None => {
                    if result.on {
                        call.analytics
                            .record(meet_types::analytics::Event::ScreenShareStarted);
                    }
                    call.announce(if result.on {
                        "You are presenting"
                    } else {
                        "You stopped presenting"
                    });
                }
            }
        });
    };
    let hand_raised = move || {
        call.me
            .with(|me| me.as_ref().is_some_and(|p| p.hand_raised_at().is_some()))
    };
    let toggle_hand = move || {
        let raised = !hand_raised();
        let livekit = call.livekit.get_value();
        spawn_local(async move {
            let path = format!(
                "/api/v1.0/rooms/{}/toggle-hand/",
                browser::encode(&livekit.room)
            );
            let body = serde_json::json!({ "raised": raised }).to_string();
            match browser::post_with_token(&path, &livekit.token, &body).await {
                Ok(()) => {
                    if !raised {
                        call.announce("Your hand is lowered.");
                    }
                }
                Err(error) => call.toast(format!("Your hand could not be raised: {error}")),
            }
        });
    };
    let open_reactions = move || {
        call.reactions_open.update(|open| *open = !*open);
    };
    let leave = move |_| {
        spawn_local(async move {
            bridge::disconnect().await;
            call.end(EndReason::Left);
        });
    };

    let handle = window_event_listener(leptos::ev::keydown, move |event| {
        let command = if mac {
            event.meta_key()
        } else {
            event.ctrl_key()
        };
        let Some(action) = shortcut(&event.key(), command, event.shift_key(), event.alt_key())
        else {
            return;
        };
        event.prevent_default();
        match action {
            Shortcut::Microphone => toggle_microphone(),
            Shortcut::Camera => toggle_camera(),
            Shortcut::Hand => toggle_hand(),
            Shortcut::Chat => call.toggle_panel(Panel::Chat),
            Shortcut::Participants => call.toggle_panel(Panel::Participants),
            Shortcut::Reactions => open_reactions(),
            Shortcut::Toolbar => {
                if let Some(bar) = bar.get_untracked()
                    && let Ok(Some(first)) = bar.query_selector("button")
                {
                    use leptos::wasm_bindgen::JsCast;
                    if let Ok(first) = first.dyn_into::<leptos::web_sys::HtmlElement>() {
                        let _ = first.focus();
                    }
                }
            }
        }
    });
    on_cleanup(move || handle.remove());

    let participant_count = move || call.participants.with(Vec::len);
    view! {
        <div class="control-bar" role="toolbar" aria-label="Meeting controls" node_ref=bar>
            <div class="control-group">
                <ToggleButton device=true on=call.devices.microphone.into() label_on="Turn off microphone" label_off="Turn on microphone"
                    text_on="Mic on" text_off="Mic off" keys=keys("Ctrl+D") on_click=Callback::new(move |()| toggle_microphone()) />
                <DeviceMenu kind="audioinput" label="Microphone" />
            </div>
            <div class="control-group">
                <ToggleButton device=true on=call.devices.camera.into() label_on="Turn off camera" label_off="Turn on camera"
                    text_on="Cam on" text_off="Cam off" keys=keys("Ctrl+E") on_click=Callback::new(move |()| toggle_camera()) />
                <DeviceMenu kind="videoinput" label="Camera" />
            </div>
            <div class="control-group reactions-control">
                <button type="button" class="control" aria-expanded=move || call.reactions_open.get().to_string()
                    aria-controls="reactions-toolbar" title=keys("Ctrl+Shift+E") aria-keyshortcuts=keys("Ctrl+Shift+E")
                    on:click=move |_| open_reactions()>"😊 React"</button>
                <Show when=move || call.reactions_open.get()>
                    <Reactions />
                </Show>
            </div>
            <ToggleButton on=sharing label_on="Stop presenting" label_off="Share your screen"
                text_on="Stop sharing" text_off="Share screen" keys=String::new() on_click=Callback::new(move |()| toggle_screen()) />
            <ToggleButton on=Signal::derive(hand_raised) label_on="Lower your hand" label_off="Raise your hand"
                text_on="Lower hand" text_off="Raise hand" keys=keys("Ctrl+Shift+H") on_click=Callback::new(move |()| toggle_hand()) />
            <button type="button" class="control" aria-pressed=move || (call.panel.get() == Some(Panel::Chat)).to_string()
                aria-keyshortcuts=keys("Ctrl+Shift+M") title=keys("Ctrl+Shift+M")
                on:click=move |_| call.toggle_panel(Panel::Chat)>
                "Chat"
                {move || (call.unread.get() > 0).then(|| view! {
                    <span class="badge" aria-label=format!("{} unread", call.unread.get())>{call.unread.get()}</span>
                })}
            </button>
            <button type="button" class="control" aria-pressed=move || (call.panel.get() == Some(Panel::Participants)).to_string()
                aria-keyshortcuts=keys("Ctrl+Shift+P") title=keys("Ctrl+Shift+P")
                on:click=move |_| call.toggle_panel(Panel::Participants)>
                "People " <span class="count" aria-label=move || format!("{} in the meeting", participant_count())>{participant_count}</span>
                {move || (call.waiting.with(Vec::len) > 0).then(|| view! {
                    <span class="badge badge-lobby" aria-label=format!("{} waiting to join", call.waiting.with(Vec::len))>{format!("{} waiting", call.waiting.with(Vec::len))}</span>
                })}
            </button>
            <crate::meeting::recording::ToolsButton />
            <crate::meeting::host::HostButton />
            <button type="button" class="control control-leave" on:click=leave>"Leave"</button>
            <Show when=move || !call.can_play_audio.get()>
                <button type="button" class="control control-attention"
                    on:click=move |_| spawn_local(bridge::start_audio())>"Start audio"</button>
            </Show>
        </div>
    }
}

/// A button that is on or off (`aria-pressed`), with its shortcut.
#[component]
fn ToggleButton(
    on: Signal<bool>,
    /// A device (microphone, camera): off is shown as a warning, on as normal. Other toggles
    /// (screen share, hand) are shown as highlighted when on.
    #[prop(optional)]
    device: bool,
    label_on: &'static str,
    label_off: &'static str,
    text_on: &'static str,
    text_off: &'static str,
    keys: String,
    on_click: Callback<()>,
) -> impl IntoView {
    let title = if keys.is_empty() {
        None
    } else {
        Some(keys.clone())
    };
    let shortcut = title.clone();
    view! {
        <button type="button" class="control" class:off=move || device && !on.get()
            class:device=device
            aria-pressed=move || on.get().to_string()
            aria-label=move || if on.get() { label_on } else { label_off }
            aria-keyshortcuts=shortcut
            title=move || match &title { Some(keys) => format!("{} ({keys})", if on.get() { label_on } else { label_off }), None => (if on.get() { label_on } else { label_off }).to_owned() }
            on:click=move |_| on_click.run(())>
            {move || if on.get() { text_on } else { text_off }}
        </button>
    }
}

/// The devices of `kind` to pick from, in a small menu.
#[component]
fn DeviceMenu(kind: &'static str, label: &'static str) -> impl IntoView {
    let call = expect_context::<Call>();
    let open = RwSignal::new(false);
    let toggle = NodeRef::<html::Button>::new();
    let id = format!("menu-{kind}");
    // Escape closes the menu and gives the focus back to its button.
    let close_on_escape = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" {
            open.set(false);
            if let Some(button) = toggle.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    let choices = move || {
        call.devices
            .list
            .get()
            .into_iter()
            .filter(|device| {
                device.kind == kind || (kind == "audioinput" && device.kind == "audiooutput")
            })
            .collect::<Vec<_>>()
    };
    view! {
        <button type="button" class="control control-more" node_ref=toggle aria-haspopup="true" aria-expanded=move || open.get().to_string()
            aria-controls=id.clone() aria-label=format!("{label} settings")
            on:click=move |_| open.update(|open| *open = !*open)>"▾"</button>
        <Show when=move || open.get()>
            <div class="device-menu" id=id.clone() role="group" aria-label=format!("{label} settings") on:keydown=close_on_escape>
                {move || {
                    let list = choices();
                    if list.is_empty() {
                        return view! { <p class="muted">"No device found."</p> }.into_any();
                    }
                    list.into_iter().map(|device| {
                        let device_kind = device.kind.clone();
                        let target = call.devices.device_signal(&device_kind);
                        let selected = {
                            let id = device.id.clone();
                            move || target.get() == id
                        };
                        let heading = if device_kind == "audiooutput" { "Speaker: " } else { "" };
                        let name = if device.label.is_empty() { "Unnamed device".to_owned() } else { device.label.clone() };
                        let pick = {
                            let id = device.id.clone();
                            move |_| {
                                target.set(id.clone());
                                call.devices.save();
                                open.set(false);
                                let (kind, id) = (device_kind.clone(), id.clone());
                                spawn_local(async move { bridge::switch_device(&kind, &id).await });
                            }
                        };
                        view! {
                            <button type="button" class="device-choice" aria-pressed=move || selected().to_string() on:click=pick>
                                {format!("{heading}{name}")}
                            </button>
                        }.into_any()
                    }).collect_view().into_any()
                }}
            </div>
        </Show>
    }
}

/// The eight reactions.
#[component]
fn Reactions() -> impl IntoView {
    let call = expect_context::<Call>();
    let send = move |emoji: &'static str| {
        let mut allowed = false;
        let now = browser::now_ms();
        call.sent_reactions
            .update_value(|limit| allowed = limit.allow(now));
        if !allowed {
            return;
        }
        let me = call.me.with_untracked(|me| {
            me.as_ref()
                .map(|p| p.display_name().to_owned())
                .unwrap_or_default()
        });
        call.float(emoji, &me);
        call.analytics
            .record(meet_types::analytics::Event::ReactionSent {
                emoji: emoji.to_owned(),
            });
        let message = serde_json::json!({ "type": "reactionReceived", "data": { "emoji": emoji } });
        spawn_local(async move { bridge::send_data(&message, None).await });
    };
    view! {
        <div id="reactions-toolbar" class="reactions-toolbar" role="toolbar" aria-label="Reactions"
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    call.reactions_open.set(false);
                }
            }>
            {REACTIONS.into_iter().map(|emoji| view! {
                <button type="button" class="reaction" aria-label=format!("Send {emoji}") on:click=move |_| send(emoji)>{emoji}</button>
            }).collect_view()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_the_originals() {
        assert_eq!(
            shortcut("d", true, false, false),
            Some(Shortcut::Microphone)
        );
        assert_eq!(
            shortcut("D", true, false, false),
            Some(Shortcut::Microphone)
        );
        assert_eq!(shortcut("e", true, false, false), Some(Shortcut::Camera));
        assert_eq!(shortcut("E", true, true, false), Some(Shortcut::Reactions));
        assert_eq!(shortcut("H", true, true, false), Some(Shortcut::Hand));
        assert_eq!(shortcut("M", true, true, false), Some(Shortcut::Chat));
        assert_eq!(
            shortcut("P", true, true, false),
            Some(Shortcut::Participants)
        );
        assert_eq!(shortcut("F2", false, false, false), Some(Shortcut::Toolbar));
        // Without the command key, or with Alt, letters are typing.
        assert_eq!(shortcut("d", false, false, false), None);
        assert_eq!(shortcut("d", true, false, true), None);
        assert_eq!(shortcut("h", true, false, false), None);
    }
}

//! The host's controls in the meeting: the host panel (what participants may publish, whether
//! everyone may mute, who may join, mute everyone, lower all hands, end the meeting for
//! everyone), the actions on one participant in the people panel (mute, lower hand, co-host,
//! remove), and the dialog that asks before what cannot be undone. Shown to hosts only; the
//! server refuses the same actions to anyone else.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use meet_types::AccessLevel;

use crate::api::moderation;
use crate::meeting::bridge;
use crate::meeting::conference::{Call, Panel};
use crate::meeting::model::{self, PUBLISHED, ParticipantState, hand_queue};
use crate::meeting::panels::PanelHeader;

/// The host panel.
#[component]
pub fn HostPanel() -> impl IntoView {
    let call = expect_context::<Call>();
    let saving = RwSignal::new(false);
    // Saved (and whether the meeting got it), or why not.
    let status = RwSignal::new(None::<Result<bool, String>>);
    let allowed = move |source: &'static str| {
        call.settings.with(|settings| {
            settings
                .configuration
                .can_publish_sources
                .as_ref()
                .is_none_or(|sources| sources.iter().any(|s| s.as_str() == source))
        })
    };
    // Every change saves the whole form: what is ticked now.
    let save = move |publish: [bool; 3], everyone_can_mute: bool, access_level: AccessLevel| {
        if saving.get_untracked() {
            return;
        }
        saving.set(true);
        status.set(None);
        let key = call.key();
        spawn_local(async move {
            let [microphone, camera, screen_share] = publish;
            let saved = moderation::save_settings(
                key,
                microphone,
                camera,
                screen_share,
                everyone_can_mute,
                access_level,
            )
            .await;
            let _ = saving.try_set(false);
            match saved {
                Ok(saved) => {
                    call.settings.set(saved.settings);
                    // Said by the status line (a live region of its own).
                    let _ = status.try_set(Some(Ok(saved.reached_meeting)));
                }
                Err(error) => {
                    // The switches show what is saved again.
                    call.settings.update(|_| {});
                    let _ = status.try_set(Some(Err(error.to_string())));
                }
            }
        });
    };
    let current = move || {
        let publish = PUBLISHED.map(|published| allowed(published.source));
        let (mute, level) = call.settings.with_untracked(|settings| {
            (
                settings.configuration.everyone_can_mute != Some(false),
                settings.access_level,
            )
        });
        (publish, mute, level)
    };
    let toggle_source = move |index: usize| {
        let (mut publish, mute, level) = current();
        publish[index] = !publish[index];
        save(publish, mute, level);
    };
    let toggle_mute = move |_| {
        let (publish, mute, level) = current();
        save(publish, !mute, level);
    };
    let set_level = move |level: AccessLevel| {
        let (publish, mute, _) = current();
        save(publish, mute, level);
    };
    let hands_up = move || call.participants.with(|list| !hand_queue(list).is_empty());
    let mute_everyone = move |_| {
        call.ask(
            "Mute everyone?",
            "Everyone's microphone but yours is turned off. They can turn it on again themselves.",
            "Mute everyone",
            false,
            move || {
                spawn_local(async move {
                    match moderation::mute_everyone(call.key()).await {
                        Ok(muted) => {
                            call.toast(match muted.len() {
                                0 => "Nobody's microphone was on.".to_owned(),
                                1 => "1 microphone was muted.".to_owned(),
                                n => format!("{n} microphones were muted."),
                            });
                            if !muted.is_empty() {
                                let message =
                                    serde_json::json!({ "type": model::PARTICIPANT_MUTED });
                                bridge::send_data(&message, Some(&muted)).await;
                            }
                        }
                        Err(error) => call.toast(error.to_string()),
                    }
                });
            },
        );
    };
    let lower_all = move |_| {
        call.act(
            moderation::lower_hand(call.key(), None),
            |count| match count {
                1 => "1 hand was lowered.".to_owned(),
                n => format!("{n} hands were lowered."),
            },
        );
    };
    let end = move |_| {
        call.ask(
            "End the meeting for everyone?",
            "Everyone is disconnected, and people the lobby let in must ask again to come back.",
            "End meeting",
            true,
            move || {
                spawn_local(async move {
                    match moderation::end_meeting(call.key()).await {
                        // One's own call ends too: the page after it says why.
                        Ok(_) => call.end(meet_types::EndReason::RoomDeleted),
                        Err(error) => call.toast(error.to_string()),
                    }
                });
            },
        );
    };
    let levels = [
        (
            AccessLevel::Public,
            "Open",
            "Anyone with the link joins directly.",
        ),
        (
            AccessLevel::Trusted,
            "Open to logged-in people",
            "People who are logged in join directly; others ask a host.",
        ),
        (
            AccessLevel::Restricted,
            "Restricted",
            "Only the room's members join directly; everyone else asks a host.",
        ),
    ];
    view! {
        <aside class="side-panel host-panel" aria-labelledby="host-title">
            <PanelHeader title_id="host-title" close_label="Close the host controls">"Host controls"</PanelHeader>
            <p class="muted panel-note">"Changes apply at once to everyone in the meeting, and are kept for the room's next meetings."</p>
            <fieldset class="host-group" disabled=saving>
                <legend>"Participants may"</legend>
                {PUBLISHED.iter().enumerate().map(|(index, published)| {
                    let (source, label) = (published.source, published.switch);
                    let id = format!("allow-{source}");
                    view! {
                        <div class="switch-row">
                            <input type="checkbox" role="switch" id=id.clone() prop:checked=move || allowed(source)
                                on:change=move |_| toggle_source(index) />
                            <label for=id>{label}</label>
                        </div>
                    }
                }).collect_view()}
                <div class="switch-row">
                    <input type="checkbox" role="switch" id="everyone-can-mute"
                        prop:checked=move || call.settings.with(|s| s.configuration.everyone_can_mute != Some(false))
                        on:change=toggle_mute />
                    <label for="everyone-can-mute">"Mute others"</label>
                </div>
            </fieldset>
            <fieldset class="host-group" disabled=saving>
                <legend>"Who can join"</legend>
                {levels.into_iter().map(|(level, name, help)| {
                    let id = format!("access-{}", level.as_str());
                    let help_id = format!("{id}-help");
                    view! {
                        <div class="radio-row">
                            <input type="radio" name="access-level" id=id.clone() aria-describedby=help_id.clone()
                                prop:checked=move || call.settings.with(|s| s.access_level == level)
                                on:change=move |_| set_level(level) />
                            <label for=id>{name}</label>
                            <p class="muted field-help" id=help_id>{help}</p>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            {move || status.get().map(|result| match result {
                Ok(true) => view! { <p class="field-feedback field-feedback-ok" role="status">"Saved."</p> }.into_any(),
                Ok(false) => view! {
                    <p class="form-error" role="alert">
                        "Saved for the room, but the media server could not be reached: people in the meeting keep what they may do now until they join again."
                    </p>
                }.into_any(),
                Err(error) => view! { <p class="form-error" role="alert">{format!("Not saved: {error}")}</p> }.into_any(),
            })}
            <h3 class="panel-section">"Everyone"</h3>
            <div class="host-actions">
                <button type="button" class="button button-secondary" on:click=mute_everyone>"Mute everyone"</button>
                <button type="button" class="button button-secondary" disabled=move || !hands_up() on:click=lower_all>"Lower all hands"</button>
                <button type="button" class="button button-danger" on:click=end>"End meeting for everyone"</button>
            </div>
        </aside>
    }
}

/// What one can do about `person` from the people panel: mute their microphone (hosts, and
/// everyone when the room lets everyone mute), and for hosts more actions: lower their hand,
/// make them co-host or not, remove them.
#[component]
pub fn PersonActions(person: ParticipantState) -> impl IntoView {
    let call = expect_context::<Call>();
    let open = RwSignal::new(false);
    // Closing the menu puts the focus back on its button (the item that had it is gone).
    let toggle = NodeRef::<html::Button>::new();
    let close_menu = move || {
        open.set(false);
        if let Some(button) = toggle.get_untracked() {
            let _ = button.focus();
        }
    };
    let name = person.display_name().to_owned();
    let identity = person.identity.clone();
    let menu_id = format!(
        "actions-{}",
        person
            .identity
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
    let mute = {
        let (name, identity) = (name.clone(), identity.clone());
        move |_| {
            let (name, identity) = (name.clone(), identity.clone());
            call.ask(
                format!("Mute {name}?"),
                format!("Only {name} can turn their microphone on again."),
                "Mute",
                false,
                move || {
                    let token =
                        (!call.hosting.get_untracked()).then(|| call.livekit.get_value().token);
                    let (name, identity) = (name.clone(), identity.clone());
                    spawn_local(async move {
                        match moderation::mute(call.key(), identity.clone(), token).await {
                            Ok(true) => {
                                call.toast(format!("{name} was muted."));
                                // They are told who muted them (La Suite Meet's message).
                                let message =
                                    serde_json::json!({ "type": model::PARTICIPANT_MUTED });
                                bridge::send_data(&message, Some(&[identity])).await;
                            }
                            Ok(false) => {
                                call.toast(format!("{name}'s microphone was already off."))
                            }
                            Err(error) => call.toast(error.to_string()),
                        }
                    });
                },
            );
        }
    };
    let lower = {
        let (name, identity) = (name.clone(), identity.clone());
        move |_| {
            close_menu();
            let name = name.clone();
            call.act(
                moderation::lower_hand(call.key(), Some(identity.clone())),
                move |_| format!("{name}'s hand was lowered."),
            );
        }
    };
    let cohost = person.role() == Some("administrator");
    let set_cohost = {
        let (name, identity) = (name.clone(), identity.clone());
        move |_| {
            close_menu();
            let name = name.clone();
            call.act(
                moderation::set_cohost(call.key(), identity.clone(), !cohost),
                move |()| {
                    if cohost {
                        format!("{name} is no longer a co-host.")
                    } else {
                        format!("{name} is now a co-host.")
                    }
                },
            );
        }
    };
    let remove = {
        let (name, identity) = (name.clone(), identity.clone());
        move |_| {
            close_menu();
            let (name, identity) = (name.clone(), identity.clone());
            call.ask(
                format!("Remove {name} from the call?"),
                format!("{name} is disconnected, and must ask to join again to come back."),
                "Remove",
                true,
                move || {
                    let name = name.clone();
                    call.act(
                        moderation::remove(call.key(), identity.clone()),
                        move |()| format!("{name} was removed from the call."),
                    );
                },
            );
        }
    };
    let raised = person.hand_raised_at().is_some();
    let may_change_role = person.is_authenticated() && !person.is_owner();
    let removable = !person.is_owner();
    let mic_on = person.microphone;
    let mute_button = {
        let label = format!("Mute {name}");
        move || {
            (mic_on && call.may_mute_others()).then(|| {
                view! {
                    <button type="button" class="button button-secondary button-small" aria-label=label.clone()
                        on:click=mute.clone()>"Mute"</button>
                }
            })
        }
    };
    let controlled = menu_id.clone();
    let menu = move || {
        let (lower, set_cohost, remove) = (lower.clone(), set_cohost.clone(), remove.clone());
        view! {
            <div class="person-menu" id=menu_id.clone() role="group" aria-label=format!("Actions for {name}")>
                {raised.then(|| view! { <button type="button" class="menu-item" on:click=lower>"Lower hand"</button> })}
                {may_change_role.then(|| view! {
                    <button type="button" class="menu-item" on:click=set_cohost>
                        {if cohost { "Remove co-host role" } else { "Make co-host" }}
                    </button>
                })}
                {removable.then(|| view! { <button type="button" class="menu-item menu-item-danger" on:click=remove>"Remove from the call"</button> })}
                {(!raised && !may_change_role && !removable).then(|| view! { <p class="muted">"They own the room: nothing to change."</p> })}
            </div>
        }
    };
    let more_label = format!("More actions for {}", person.display_name());
    let controls = move || {
        call.hosting.get().then(|| {
            let menu = menu.clone();
            view! {
                <button type="button" node_ref=toggle class="button button-secondary button-small" aria-expanded=move || open.get().to_string()
                    aria-controls=controlled.clone()
                    aria-label=more_label.clone()
                    on:click=move |_| open.update(|open| *open = !*open)>"⋯"</button>
                {move || open.get().then(menu.clone())}
            }
        })
    };
    view! {
        <span class="person-actions"
            on:keydown=move |event| if event.key() == "Escape" && open.get_untracked() { close_menu() }>
            {mute_button}
            {controls}
        </span>
    }
}

/// The question waiting for a yes, as a modal dialog: the confirming button has the focus, Tab
/// stays within the dialog, Escape or Cancel says no, and the focus goes back where it was.
#[component]
pub fn ConfirmDialog() -> impl IntoView {
    use leptos::wasm_bindgen::JsCast;
    let call = expect_context::<Call>();
    let yes = NodeRef::<html::Button>::new();
    let no = NodeRef::<html::Button>::new();
    let previous = StoredValue::new_local(None::<leptos::web_sys::HtmlElement>);
    Effect::new(move |_| {
        if call.confirm.with(Option::is_some)
            && let Some(button) = yes.get()
        {
            previous.set_value(
                document()
                    .active_element()
                    .and_then(|element| element.dyn_into::<leptos::web_sys::HtmlElement>().ok()),
            );
            let _ = button.focus();
        }
    });
    let close = move || {
        call.confirm.set(None);
        if let Some(element) = previous.get_value() {
            let _ = element.focus();
        }
    };
    // Two buttons: Tab from one goes to the other.
    let trap = move |event: leptos::ev::KeyboardEvent| match event.key().as_str() {
        "Escape" => close(),
        "Tab" => {
            event.prevent_default();
            let on_yes = yes.get_untracked().is_some_and(|button| {
                document()
                    .active_element()
                    .is_some_and(|active| active == **button)
            });
            let target = if on_yes { no } else { yes };
            if let Some(button) = target.get_untracked() {
                let _ = button.focus();
            }
        }
        _ => {}
    };
    move || {
        call.confirm.get().map(|question| {
            let run = question.run.clone();
            view! {
                <div class="dialog-backdrop" on:click=move |_| close()>
                    <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-text"
                        on:click=|event| event.stop_propagation()
                        on:keydown=trap>
                        <h2 id="confirm-title">{question.title}</h2>
                        <p id="confirm-text">{question.text}</p>
                        <div class="actions">
                            <button type="button" node_ref=no class="button button-secondary" on:click=move |_| close()>"Cancel"</button>
                            <button type="button" node_ref=yes class="button" class:button-danger=question.danger class:button-primary=!question.danger
                                on:click=move |_| { close(); run(); }>{question.action}</button>
                        </div>
                    </div>
                </div>
            }
        })
    }
}

/// The control bar's button to the host panel (hosts only).
#[component]
pub fn HostButton() -> impl IntoView {
    let call = expect_context::<Call>();
    view! {
        <Show when=move || call.hosting.get()>
            <button type="button" class="control" aria-pressed=move || (call.panel.get() == Some(Panel::Host)).to_string()
                on:click=move |_| call.toggle_panel(Panel::Host)>"Host controls"</button>
        </Show>
    }
}

//! The side panels: chat (messages for this call only, links clickable, every message shown
//! as text) and participants (raised hands in queue order, then everyone, with "you" and roles;
//! one's own name can be changed here).

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::meeting::bridge;
use crate::meeting::browser;
use crate::meeting::conference::Call;
use crate::meeting::model::{
    ChatMessage, ChatPart, MAX_CHAT_CHARS, Person, chat_parts, hand_queue,
};
use crate::meeting::prejoin::MAX_NAME_CHARS;

/// A side panel's heading (`title_id` names it for the panel's `aria-labelledby`) and its close
/// button, labelled `close_label`.
#[component]
pub fn PanelHeader(
    title_id: &'static str,
    close_label: &'static str,
    children: Children,
) -> impl IntoView {
    let call = expect_context::<Call>();
    view! {
        <header class="panel-header">
            <h2 id=title_id>{children()}</h2>
            <button type="button" class="panel-close" aria-label=close_label on:click=move |_| call.panel.set(None)>"✕"</button>
        </header>
    }
}

/// The chat.
#[component]
pub fn ChatPanel() -> impl IntoView {
    let call = expect_context::<Call>();
    let input = NodeRef::<html::Textarea>::new();
    let list = NodeRef::<html::Ol>::new();
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        call.chat.track();
        call.unread.set(0);
        if let Some(list) = list.get() {
            list.set_scroll_top(list.scroll_height());
        }
    });
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let send = move || {
        let Some(field) = input.get_untracked() else {
            return;
        };
        let text = field.value().trim().to_owned();
        if text.is_empty() {
            return;
        }
        if text.chars().count() > MAX_CHAT_CHARS {
            error.set(Some(format!(
                "A message can have at most {MAX_CHAT_CHARS} characters."
            )));
            return;
        }
        error.set(None);
        field.set_value("");
        spawn_local(async move {
            match bridge::send_chat(&text).await {
                Ok(()) => {
                    call.analytics
                        .record(meet_types::analytics::Event::ChatMessageSent);
                    let from = call.me.with_untracked(|me| {
                        me.as_ref()
                            .map(|p| Person {
                                identity: p.identity.clone(),
                                name: p.name.clone(),
                            })
                            .unwrap_or_default()
                    });
                    call.chat.update(|chat| {
                        chat.push(ChatMessage {
                            id: format!("local-{}", browser::now_ms()),
                            from,
                            text,
                            timestamp: browser::now_ms() as u64,
                        });
                    });
                }
                Err(reason) => {
                    if let Some(field) = input.get_untracked()
                        && field.value().is_empty()
                    {
                        field.set_value(&text);
                    }
                    error.set(Some(format!("Your message was not sent ({reason}).")));
                }
            }
        });
    };
    view! {
        <aside class="side-panel" aria-labelledby="chat-title">
            <PanelHeader title_id="chat-title" close_label="Close the chat">"Chat"</PanelHeader>
            <p class="muted panel-note">"Messages are only seen by people in the call, and disappear when it ends."</p>
            <ol class="chat-messages" node_ref=list aria-label="Messages">
                <For each=move || call.chat.get() key=|message| message.id.clone() let:message>
                    <ChatItem message />
                </For>
            </ol>
            <form class="chat-form" on:submit=move |event| { event.prevent_default(); send(); }>
                <label for="chat-input" class="visually-hidden">"Message"</label>
                <textarea id="chat-input" node_ref=input rows="2" maxlength=MAX_CHAT_CHARS.to_string()
                    placeholder="Send a message to everyone"
                    on:keydown=move |event| {
                        if event.key() == "Enter" && !event.shift_key() {
                            event.prevent_default();
                            send();
                        }
                    }></textarea>
                <button type="submit" class="button button-primary">"Send"</button>
            </form>
            {move || error.get().map(|error| view! { <p class="form-error" role="alert">{error}</p> })}
        </aside>
    }
}

#[component]
fn ChatItem(message: ChatMessage) -> impl IntoView {
    let call = expect_context::<Call>();
    let identity = message.from.identity.clone();
    let fallback = message.from.name.clone();
    // Names follow renames.
    let name = move || {
        call.participant(&identity)
            .map(|p| p.display_name().to_owned())
            .unwrap_or_else(|| {
                if fallback.trim().is_empty() {
                    "Anonymous".to_owned()
                } else {
                    fallback.clone()
                }
            })
    };
    let parts = chat_parts(&message.text);
    view! {
        <li class="chat-message">
            <p class="chat-author">{name}</p>
            <p class="chat-text">
                {parts.into_iter().map(|part| match part {
                    ChatPart::Text(text) => text.into_any(),
                    ChatPart::Link(href) => view! {
                        <a href=href.clone() target="_blank" rel="noopener noreferrer nofollow">{href.clone()}</a>
                    }.into_any(),
                }).collect_view()}
            </p>
        </li>
    }
}

/// Who is in the call.
#[component]
pub fn ParticipantsPanel() -> impl IntoView {
    let call = expect_context::<Call>();
    let hands = move || {
        call.participants.with(|list| {
            hand_queue(list)
                .into_iter()
                .filter_map(|identity| list.iter().find(|p| p.identity == identity).cloned())
                .collect::<Vec<_>>()
        })
    };
    let everyone = move || {
        let mut list = call.participants.get();
        list.sort_by_key(|p| (!p.local, p.display_name().to_lowercase()));
        list
    };
    view! {
        <aside class="side-panel" aria-labelledby="people-title">
            <PanelHeader title_id="people-title" close_label="Close the list of people">
                {move || format!("People ({})", call.participants.with(Vec::len))}
            </PanelHeader>
            <Show when=move || !call.waiting.with(Vec::is_empty)>
                <LobbySection />
            </Show>
            <Show when=move || !hands().is_empty()>
                <h3 class="panel-section">"Raised hands"</h3>
                <ol class="people-list hand-list">
                    {move || hands().into_iter().map(|p| view! {
                        <li class="person">
                            <span class="person-name">{p.display_name().to_owned()}{p.local.then_some(" (you)")}</span>
                            <crate::meeting::conference::HandIcon />
                        </li>
                    }).collect_view()}
                </ol>
            </Show>
            <h3 class="panel-section">"In the meeting"</h3>
            <ul class="people-list">
                // Keyed by what a row shows, so that speaking (which changes often) does not
                // redraw it and close its menu.
                <For each=everyone key=|p| (p.identity.clone(), p.display_name().to_owned(), p.microphone, p.role().map(str::to_owned), p.hand_raised_at().is_some(), p.is_authenticated()) let:p>
                    <li class="person">
                        <span class="person-name">{p.display_name().to_owned()}{p.local.then_some(" (you)")}</span>
                        {p.role_label().map(|role| view! { <span class="tile-badge">{role}</span> })}
                        {(!p.microphone).then(|| view! { <span class="person-muted" role="img" aria-label="microphone off"><crate::meeting::conference::MicOffIcon /></span> })}
                        {(!p.local).then(|| view! { <crate::meeting::host::PersonActions person=p.clone() /> })}
                    </li>
                </For>
            </ul>
            <Rename />
        </aside>
    }
}

/// The people waiting to be let in, for hosts: admit or deny each, or all at once.
#[component]
fn LobbySection() -> impl IntoView {
    let call = expect_context::<Call>();
    let error = RwSignal::new(None::<String>);
    // While a decision is on its way, the buttons wait: a second click decides nothing twice.
    let deciding = RwSignal::new(false);
    let decide = move |ids: Vec<String>, allow: bool| {
        if deciding.get_untracked() {
            return;
        }
        let slug = call.room.with_value(|room| room.slug.clone());
        error.set(None);
        deciding.set(true);
        spawn_local(async move {
            for id in ids {
                if let Err(failure) = crate::api::rooms::admit(slug.clone(), id, allow).await {
                    let _ = error.try_set(Some(failure.to_string()));
                }
            }
            let _ = deciding.try_set(false);
        });
    };
    let all = move || {
        call.waiting
            .with(|list| list.iter().map(|p| p.id.clone()).collect::<Vec<_>>())
    };
    view! {
        <section class="lobby-section" aria-labelledby="lobby-title">
            <h3 id="lobby-title" class="panel-section">{move || format!("Waiting to join ({})", call.waiting.with(Vec::len))}</h3>
            <ul class="people-list lobby-list">
                <For each=move || call.waiting.get() key=|p| p.id.clone() let:p>
                    {
                        let (admit_id, deny_id) = (p.id.clone(), p.id.clone());
                        let name = p.username.clone();
                        view! {
                            <li class="person">
                                <span class="person-name">{p.username.clone()}</span>
                                <span class="lobby-actions">
                                    <button type="button" disabled=deciding class="button button-primary button-small"
                                        aria-label=format!("Admit {name}")
                                        on:click=move |_| decide(vec![admit_id.clone()], true)>"Admit"</button>
                                    <button type="button" disabled=deciding class="button button-secondary button-small"
                                        aria-label=format!("Deny {name}")
                                        on:click=move |_| decide(vec![deny_id.clone()], false)>"Deny"</button>
                                </span>
                            </li>
                        }
                    }
                </For>
            </ul>
            <Show when=move || call.waiting.with(|list| list.len() > 1)>
                <div class="lobby-all">
                    <button type="button" disabled=deciding class="button button-secondary button-small"
                        on:click=move |_| decide(all(), true)>"Admit all"</button>
                    <button type="button" disabled=deciding class="button button-secondary button-small"
                        on:click=move |_| decide(all(), false)>"Deny all"</button>
                </div>
            </Show>
            {move || error.get().map(|error| view! { <p class="form-error" role="alert">{error}</p> })}
        </section>
    }
}

/// Changing one's own name (through Meet: participants cannot change it themselves).
#[component]
fn Rename() -> impl IntoView {
    let call = expect_context::<Call>();
    let input = NodeRef::<html::Input>::new();
    let status = RwSignal::new(None::<Result<(), String>>);
    // One's name as LiveKit has it: the field shows it again only when it changes, so what is
    // being typed stays while others speak or raise hands.
    let current = Memo::new(move |_| {
        call.me
            .with(|me| me.as_ref().map(|p| p.name.clone()))
            .unwrap_or_default()
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(field) = input.get_untracked() else {
            return;
        };
        let name = field.value().trim().to_owned();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            status.set(Some(Err(format!(
                "A name has 1 to {MAX_NAME_CHARS} characters."
            ))));
            return;
        }
        let livekit = call.livekit.get_value();
        spawn_local(async move {
            let path = format!("/api/v1.0/rooms/{}/rename/", browser::encode(&livekit.room));
            let body = serde_json::json!({ "name": name }).to_string();
            let result = browser::post_with_token(&path, &livekit.token, &body).await;
            if result.is_ok() {
                browser::save(browser::saved::NAME, &name);
            }
            status.set(Some(result));
        });
    };
    view! {
        <form class="rename-form" on:submit=submit>
            <label for="rename-input">"Your name in this meeting"</label>
            <div class="join-row">
                <input id="rename-input" type="text" node_ref=input maxlength=MAX_NAME_CHARS.to_string() prop:value=current />
                <button type="submit" class="button button-secondary">"Rename"</button>
            </div>
            {move || status.get().map(|result| match result {
                Ok(()) => view! { <p class="field-feedback field-feedback-ok" role="status">"Your name was changed."</p> }.into_any(),
                Err(error) => view! { <p class="form-error" role="alert">{error}</p> }.into_any(),
            })}
        </form>
    }
}

//! The conference: connects with the credentials Join gave, then shows the participants' tiles
//! (a paginated grid, or a focus layout when a tile is pinned), the control bar, the side panels,
//! toasts and floating reactions, and one live region for screen readers. When the call ends
//! the page after the call says why.

use std::collections::BTreeSet;

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::moderation::RoomSettings;
use crate::meeting::Joined;
use crate::meeting::analytics::Analytics;
use meet_types::{EndReason, RoomView};

use crate::meeting::bridge::{self, BridgeEvent, ConnectError, ConnectionState};
use crate::meeting::browser;
use crate::meeting::controls::ControlBar;
use crate::meeting::host::{ConfirmDialog, HostPanel};
use crate::meeting::model::{
    self, ChatMessage, ParticipantState, RateLimit, TileKey, TileSource, hand_queue, initials,
    page_count, page_of, tiles,
};
use crate::meeting::panels::{ChatPanel, ParticipantsPanel};
use crate::meeting::prejoin::Devices;
use crate::meeting::recording::{RecordingIndicator, ToolsPanel};

/// A side panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Panel {
    Chat,
    Participants,
    /// The host controls (hosts only).
    Host,
    /// "More tools": recording and transcription.
    Tools,
}

/// Where the connection stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Link {
    Connecting,
    /// Connecting, with no answer for 2 s.
    Slow,
    Connected,
    Reconnecting,
    Failed(ConnectError),
}

/// A short message in a corner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Toast {
    pub id: u64,
    pub text: String,
}

/// A question that waits for a yes before something that cannot be undone (muting someone,
/// removing them, ending the meeting).
#[derive(Clone)]
pub(crate) struct Confirmation {
    pub title: String,
    pub text: String,
    /// The confirming button's text, e.g. "Remove".
    pub action: &'static str,
    /// Whether the action is destructive (shown in red).
    pub danger: bool,
    /// What a yes does. Held here, not in the reactive arena: the menu that asked may be gone
    /// by the time the answer comes.
    pub run: std::sync::Arc<dyn Fn() + Send + Sync>,
}

/// An emoji floating up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Floating {
    pub id: u64,
    pub emoji: String,
    pub name: String,
}

/// The call's state, shared by its parts through the context.
#[derive(Clone, Copy)]
pub(crate) struct Call {
    pub room: StoredValue<RoomView>,
    pub livekit: StoredValue<meet_types::LiveKitConnection>,
    pub link: RwSignal<Link>,
    pub participants: RwSignal<Vec<ParticipantState>>,
    /// Oneself, as the last list of participants has them (none until connected).
    pub me: Memo<Option<ParticipantState>>,
    pub devices: Devices,
    pub panel: RwSignal<Option<Panel>>,
    pub pinned: RwSignal<Option<TileKey>>,
    pub page: RwSignal<usize>,
    pub chat: RwSignal<Vec<ChatMessage>>,
    pub unread: RwSignal<usize>,
    /// Who waits in the lobby, first come first (hosts only).
    pub waiting: RwSignal<Vec<meet_types::LobbyParticipant>>,
    /// The room's settings as the meeting knows them: its metadata, or a host's last save.
    pub settings: RwSignal<RoomSettings>,
    /// Whether one hosts the meeting (an owner or administrator of the room, as the server
    /// last said): the host controls are shown then, and only then.
    pub hosting: Memo<bool>,
    /// A question waiting for a yes.
    pub confirm: RwSignal<Option<Confirmation>>,
    /// Where the meeting's recording stands, as its metadata says.
    pub recording: RwSignal<meet_types::LiveRecording>,
    /// What "More tools" offers about recording (asked of the server once connected, and again
    /// when one becomes or stops being a host); `None` until known.
    pub tools: RwSignal<Option<meet_types::RecordingTools>>,
    /// Whether the call is past its connection, when the bridge hands over the metadata the
    /// meeting already has: someone joining a meeting being recorded is told so, not that it
    /// started.
    heard_metadata: StoredValue<bool>,
    pub announcement: RwSignal<String>,
    pub toasts: RwSignal<Vec<Toast>>,
    pub reactions: RwSignal<Vec<Floating>>,
    pub reactions_open: RwSignal<bool>,
    pub can_play_audio: RwSignal<bool>,
    pub sent_reactions: StoredValue<RateLimit>,
    pub shown_reactions: StoredValue<RateLimit>,
    /// The product events only this page sees.
    pub analytics: Analytics,
    next_id: StoredValue<u64>,
}

impl Call {
    fn new(room: RoomView, joined: &Joined, analytics: bool) -> Self {
        let devices = Devices::new();
        devices.restore();
        devices.microphone.set(joined.choice.audio);
        devices.camera.set(joined.choice.video);
        let participants = RwSignal::new(Vec::<ParticipantState>::new());
        let administrable = room.is_administrable;
        let me =
            Memo::new(move |_| participants.with(|list| list.iter().find(|p| p.local).cloned()));
        let settings = RwSignal::new(RoomSettings {
            configuration: room.configuration.clone(),
            access_level: room.access_level,
        });
        Self {
            room: StoredValue::new(room),
            livekit: StoredValue::new(joined.livekit.clone()),
            link: RwSignal::new(Link::Connecting),
            participants,
            me,
            hosting: Memo::new(move |_| {
                me.with(|me| me.as_ref().map(ParticipantState::is_host))
                    .unwrap_or(administrable)
            }),
            settings,
            confirm: RwSignal::new(None),
            recording: RwSignal::new(meet_types::LiveRecording::Off),
            tools: RwSignal::new(None),
            heard_metadata: StoredValue::new(false),
            devices,
            panel: RwSignal::new(None),
            pinned: RwSignal::new(None),
            page: RwSignal::new(0),
            chat: RwSignal::new(Vec::new()),
            unread: RwSignal::new(0),
            waiting: RwSignal::new(Vec::new()),
            announcement: RwSignal::new(String::new()),
            toasts: RwSignal::new(Vec::new()),
            reactions: RwSignal::new(Vec::new()),
            reactions_open: RwSignal::new(false),
            can_play_audio: RwSignal::new(true),
            sent_reactions: StoredValue::new(RateLimit::reactions()),
            shown_reactions: StoredValue::new(RateLimit::reactions()),
            analytics: Analytics::new(analytics, joined.livekit.token.clone()),
            next_id: StoredValue::new(0),
        }
    }

    /// The lobby's waiting list changed: newcomers are announced, with a sound.
    fn heard_waiting(&self, data: &str) {
        #[derive(serde::Deserialize)]
        struct Waiting {
            participants: Vec<meet_types::LobbyParticipant>,
        }
        let Ok(Waiting { participants }) = serde_json::from_str::<Waiting>(data) else {
            return;
        };
        let known = self
            .waiting
            .with_untracked(|list| list.iter().map(|p| p.id.clone()).collect::<Vec<_>>());
        let newcomers: Vec<String> = participants
            .iter()
            .filter(|p| !known.contains(&p.id))
            .map(|p| p.username.clone())
            .collect();
        self.waiting.set(participants);
        match newcomers.as_slice() {
            [] => return,
            [one] => self.toast(format!("{one} asks to join")),
            many => self.toast(format!("{} people ask to join", many.len())),
        }
        bridge::chime();
    }

    fn id(&self) -> u64 {
        self.next_id.update_value(|id| *id += 1);
        self.next_id.get_value()
    }

    /// Says `text` to screen readers (one live region for the whole call).
    pub fn announce(&self, text: impl Into<String>) {
        let text = text.into();
        // The same text twice in a row is announced again.
        let text = if self.announcement.get_untracked() == text {
            format!("{text}\u{a0}")
        } else {
            text
        };
        self.announcement.set(text);
    }

    /// Shows `text` for a few seconds, and announces it.
    pub fn toast(&self, text: impl Into<String>) {
        let text = text.into();
        self.announce(text.clone());
        let id = self.id();
        self.toasts.update(|toasts| {
            toasts.push(Toast { id, text });
            let excess = toasts.len().saturating_sub(4);
            toasts.drain(..excess);
        });
        let toasts = self.toasts;
        set_timeout(
            move || toasts.update(|toasts| toasts.retain(|toast| toast.id != id)),
            std::time::Duration::from_secs(5),
        );
    }

    /// Runs a host's `action` (a server function), then toasts what `done` says of its answer,
    /// or why it failed.
    pub fn act<T: 'static>(
        &self,
        action: impl std::future::Future<Output = Result<T, crate::error::AppError>> + 'static,
        done: impl FnOnce(T) -> String + 'static,
    ) {
        let call = *self;
        spawn_local(async move {
            match action.await {
                Ok(value) => call.toast(done(value)),
                Err(error) => call.toast(error.to_string()),
            }
        });
    }

    /// Asks `title` (explained by `text`) and runs `run` on a yes.
    pub fn ask(
        &self,
        title: impl Into<String>,
        text: impl Into<String>,
        action: &'static str,
        danger: bool,
        run: impl Fn() + Send + Sync + 'static,
    ) {
        self.confirm.set(Some(Confirmation {
            title: title.into(),
            text: text.into(),
            action,
            danger,
            run: std::sync::Arc::new(run),
        }));
    }

    /// The meeting's code, as server functions take it.
    pub fn key(&self) -> String {
        self.room.with_value(|room| room.slug.clone())
    }

    /// Whether one may mute others: hosts, and everyone when the room lets everyone mute.
    pub fn may_mute_others(&self) -> bool {
        self.hosting.get()
            || self
                .settings
                .with(|settings| settings.configuration.everyone_can_mute != Some(false))
    }

    /// Shows `emoji` floating up, from `name`, unless more than 10 a second already are.
    pub fn float(&self, emoji: &str, name: &str) {
        if !model::REACTIONS.contains(&emoji) {
            return;
        }
        let now = browser::now_ms();
        let mut allowed = false;
        self.shown_reactions
            .update_value(|limit| allowed = limit.allow(now));
        if !allowed {
            return;
        }
        let id = self.id();
        self.reactions.update(|list| {
            list.push(Floating {
                id,
                emoji: emoji.to_owned(),
                name: name.to_owned(),
            });
        });
        let reactions = self.reactions;
        set_timeout(
            move || reactions.update(|list| list.retain(|item| item.id != id)),
            std::time::Duration::from_secs(3),
        );
    }

    /// The participant `identity`, if present.
    pub fn participant(&self, identity: &str) -> Option<ParticipantState> {
        self.participants
            .with(|list| list.iter().find(|p| p.identity == identity).cloned())
    }

    /// Opens `panel`, or closes it when it is open.
    pub fn toggle_panel(&self, panel: Panel) {
        let open = self.panel.get_untracked() == Some(panel);
        // The chat panel clears the unread count while it is open.
        self.panel.set((!open).then_some(panel));
    }

    /// Leaves the call for the page after it, saying `reason`.
    pub fn end(&self, reason: EndReason) {
        self.left(reason);
        let slug = self.room.with_value(|room| room.slug.clone());
        browser::go_to(&format!(
            "/feedback?room={}&reason={}",
            browser::encode(&slug),
            reason.as_str()
        ));
    }

    /// Counts leaving the call for `reason` (once per connection).
    fn left(&self, reason: EndReason) {
        let present = self.participants.with_untracked(Vec::len);
        self.analytics.left(reason, present);
    }

    /// Connects (again) with the credentials Join gave.
    pub fn connect(self) {
        self.link.set(Link::Connecting);
        let livekit = self.livekit.get_value();
        let choice = self.devices.choice();
        spawn_local(async move {
            match bridge::connect(&livekit.url, &livekit.token, &choice).await {
                Ok(_) => {
                    self.heard_metadata.set_value(true);
                    self.link.set(Link::Connected);
                    self.announce("You joined the meeting.");
                    let sid = bridge::room_sid().await;
                    let present = self.participants.with_untracked(Vec::len);
                    self.analytics.joined(sid, present);
                }
                Err(error) => {
                    if matches!(error.kind.as_str(), "unreachable" | "timeout") {
                        self.analytics.unreachable();
                    }
                    self.link.set(Link::Failed(error));
                }
            }
        });
    }

    fn on_event(&self, event: BridgeEvent) {
        match event {
            BridgeEvent::Connection(state) => match state {
                ConnectionState::Connected => {
                    if self.link.get_untracked() == Link::Reconnecting {
                        self.toast("Connection restored.");
                    }
                    self.link.set(Link::Connected);
                }
                ConnectionState::Reconnecting => {
                    self.link.set(Link::Reconnecting);
                    self.announce("Connection lost. Reconnecting…");
                }
                ConnectionState::Connecting | ConnectionState::Disconnected => {}
            },
            BridgeEvent::Slow => {
                if self.link.get_untracked() == Link::Connecting {
                    self.link.set(Link::Slow);
                }
            }
            BridgeEvent::Participants(list) => self.update_participants(list),
            BridgeEvent::Joined(person) => {
                self.toast(format!("{} joined", display(&person.name)));
            }
            BridgeEvent::Left(person) => self.announce(format!("{} left", display(&person.name))),
            BridgeEvent::Chat(message) => self.receive_chat(message),
            BridgeEvent::Data { from, message } => self.receive_data(&from.name, &message),
            BridgeEvent::Disconnected(reason) => {
                if matches!(self.link.get_untracked(), Link::Failed(_)) {
                    return;
                }
                self.end(reason);
            }
            BridgeEvent::AudioPlayback { can_play } => self.can_play_audio.set(can_play),
            BridgeEvent::DeviceLost { source } => {
                let what = if source == "microphone" {
                    "microphone"
                } else {
                    "camera"
                };
                if source == "microphone" {
                    self.devices.microphone.set(false);
                } else if source == "camera" {
                    self.devices.camera.set(false);
                }
                self.toast(format!(
                    "Your {what} stopped working. Check that it is connected, then turn it on again."
                ));
            }
            BridgeEvent::DevicesChanged => self.devices.refresh_list(),
            BridgeEvent::RoomSettings {
                access_level,
                configuration,
                recording,
            } => {
                self.settings.update(|settings| {
                    if let Some(level) = access_level {
                        settings.access_level = level;
                    }
                    if let Some(configuration) = configuration {
                        settings.configuration = configuration;
                    }
                });
                self.heard_recording(recording);
            }
            BridgeEvent::MediaError(error) => {
                self.toast(crate::meeting::prejoin::explain(
                    "camera or microphone",
                    &error,
                ));
            }
        }
    }

    fn update_participants(&self, list: Vec<ParticipantState>) {
        let before = self.participants.get_untracked();
        let sharing = |list: &[ParticipantState]| -> BTreeSet<String> {
            list.iter()
                .filter(|p| p.screen_share)
                .map(|p| p.identity.clone())
                .collect()
        };
        let (was_sharing, now_sharing) = (sharing(&before), sharing(&list));
        // A new screen share is pinned.
        if let Some(identity) = now_sharing.difference(&was_sharing).next() {
            self.pinned.set(Some(TileKey {
                identity: identity.clone(),
                source: TileSource::ScreenShare,
            }));
            if let Some(p) = list.iter().find(|p| &p.identity == identity) {
                self.announce(format!("{} is presenting, pinned", p.display_name()));
            }
        }
        // A pinned tile that is gone is unpinned.
        if let Some(pinned) = self.pinned.get_untracked() {
            let present = list.iter().any(|p| {
                p.identity == pinned.identity
                    && (pinned.source == TileSource::Camera || p.screen_share)
            });
            if !present {
                self.pinned.set(None);
            }
        }
        // Hands raised since the last list.
        let was_raised: BTreeSet<String> = hand_queue(&before).into_iter().collect();
        for p in &list {
            if p.hand_raised_at().is_some()
                && !was_raised.contains(&p.identity)
                && !before.is_empty()
            {
                if p.local {
                    self.announce("Your hand is raised.");
                } else {
                    self.toast(format!("{} raised their hand", p.display_name()));
                }
            }
        }
        if let Some(me) = list.iter().find(|p| p.local) {
            self.devices.microphone.set(me.microphone);
            self.devices.camera.set(me.camera);
            // What a host changed about oneself: permissions, role.
            if let Some(was) = before.iter().find(|p| p.local) {
                if let Some(notice) = model::publish_notice(was, me) {
                    self.toast(notice);
                }
                if let Some(notice) = model::role_notice(was, me) {
                    self.toast(notice);
                }
            }
        }
        self.participants.set(list);
    }

    fn receive_chat(&self, mut message: ChatMessage) {
        if message.text.chars().count() > model::MAX_CHAT_CHARS {
            message.text = message.text.chars().take(model::MAX_CHAT_CHARS).collect();
        }
        let from = display(&message.from.name).to_owned();
        let preview: String = message.text.chars().take(120).collect();
        self.chat.update(|chat| {
            chat.push(message);
            let excess = chat.len().saturating_sub(500);
            chat.drain(..excess);
        });
        if self.panel.get_untracked() == Some(Panel::Chat) {
            self.announce(format!("{from}: {preview}"));
        } else {
            self.unread.update(|unread| *unread += 1);
            self.toast(format!("New message from {from}: {preview}"));
        }
    }

    /// The meeting's recording is now `now`: everyone is told what changed.
    fn heard_recording(&self, now: meet_types::LiveRecording) {
        let before = self.recording.get_untracked();
        let first = !self.heard_metadata.get_value();
        if before == now {
            return;
        }
        self.recording.set(now);
        let notice = match now {
            meet_types::LiveRecording::On(mode) if first => Some(match mode {
                meet_types::RecordingMode::ScreenRecording => {
                    "This meeting is being recorded.".to_owned()
                }
                meet_types::RecordingMode::Transcript => {
                    "This meeting is being transcribed.".to_owned()
                }
            }),
            _ => model::recording_notice(before, now),
        };
        if let Some(notice) = notice {
            self.toast(notice);
        }
    }

    fn receive_data(&self, from: &str, message: &serde_json::Value) {
        let kind = message.get("type").and_then(|t| t.as_str()).unwrap_or("");
        if let Some(notice) = model::recording_limit_notice(kind) {
            self.toast(notice);
            return;
        }
        let asked = match kind {
            model::SCREEN_RECORDING_REQUESTED => Some("record"),
            model::TRANSCRIPTION_REQUESTED => Some("transcribe"),
            _ => None,
        };
        if let Some(verb) = asked {
            // For the hosts, who can do it; and not while it is being done.
            if self.hosting.get_untracked() && self.recording.get_untracked().mode().is_none() {
                self.toast(format!("{} asks to {verb} the meeting.", display(from)));
                bridge::chime();
            }
            return;
        }
        match message.get("type").and_then(|t| t.as_str()) {
            Some("reactionReceived") => {
                if let Some(emoji) = message.pointer("/data/emoji").and_then(|e| e.as_str()) {
                    self.float(emoji, display(from));
                }
            }
            // Sent to oneself only, by whoever muted one (LiveKit names the sender).
            Some(model::PARTICIPANT_MUTED) if !from.trim().is_empty() => {
                self.toast(format!("{} muted your microphone.", display(from)));
            }
            _ => {}
        }
    }
}

fn display(name: &str) -> &str {
    let name = name.trim();
    if name.is_empty() { "Anonymous" } else { name }
}

/// The call in `room`.
#[component]
pub fn Conference(
    room: RoomView,
    joined: Joined,
    back: Callback<()>,
    analytics: bool,
) -> impl IntoView {
    let call = Call::new(room, &joined, analytics);
    provide_context(call);
    // Closing or reloading the page leaves the call too.
    let leaving = StoredValue::new_local(browser::on_leaving(move || call.left(EndReason::Left)));
    on_cleanup(move || leaving.dispose());
    Effect::new(move |_| {
        bridge::listen(move |event| call.on_event(event));
        call.devices.refresh_list();
        call.connect();
    });
    on_cleanup(|| spawn_local(bridge::disconnect()));
    // Hosts hear who asks to join, as it happens.
    let lobby = browser::events_slot();
    on_cleanup(move || lobby.set_value(None));
    Effect::new(move |_| {
        if !call.hosting.get() {
            // No longer a host (or never one): no lobby, no host controls.
            lobby.set_value(None);
            call.waiting.set(Vec::new());
            if call.panel.get_untracked() == Some(Panel::Host) {
                call.panel.set(None);
            }
            return;
        }
        if lobby.with_value(Option::is_some) {
            return;
        }
        let slug = call.key();
        let path = format!("/events/rooms/{}/waiting", browser::encode(&slug));
        lobby.set_value(browser::listen(&path, &["waiting"], move |_, data| {
            call.heard_waiting(&data);
        }));
    });
    // What "More tools" offers, once connected, and again when one's role changes.
    Effect::new(move |_| {
        let hosting = call.hosting.get();
        if !matches!(call.link.get(), Link::Connected) {
            return;
        }
        if call.tools.with_untracked(|tools| {
            tools
                .as_ref()
                .is_some_and(|tools| tools.may_record == hosting)
        }) {
            return;
        }
        crate::meeting::recording::load_tools(call);
    });
    let connected = move || matches!(call.link.get(), Link::Connected | Link::Reconnecting);
    view! {
        <section class="conference" aria-label="Meeting" data-link=move || link_name(&call.link.get())>
            <h1 class="visually-hidden">{call.room.with_value(|room| room.name.clone())}</h1>
            <ConnectionBanner back />
            <RecordingIndicator />
            <div class="conference-body">
                <Stage />
                {move || call.panel.get().map(|panel| match panel {
                    Panel::Chat => view! { <ChatPanel /> }.into_any(),
                    Panel::Participants => view! { <ParticipantsPanel /> }.into_any(),
                    Panel::Host => view! { <HostPanel /> }.into_any(),
                    Panel::Tools => view! { <ToolsPanel /> }.into_any(),
                })}
            </div>
            <Show when=connected>
                <ControlBar />
            </Show>
            <div class="toasts" role="presentation">
                <For each=move || call.toasts.get() key=|toast| toast.id let:toast>
                    <p class="toast">{toast.text}</p>
                </For>
            </div>
            <div class="reactions-layer" aria-hidden="true">
                <For each=move || call.reactions.get() key=|item| item.id let:item>
                    <span class="floating-reaction">
                        <span class="floating-emoji">{item.emoji}</span>
                        <span class="floating-name">{item.name}</span>
                    </span>
                </For>
            </div>
            <ConfirmDialog />
            <div id="announcer" class="visually-hidden" aria-live="polite" aria-atomic="true">
                {move || call.announcement.get()}
            </div>
        </section>
    }
}

fn link_name(link: &Link) -> &'static str {
    match link {
        Link::Connecting => "connecting",
        Link::Slow => "slow",
        Link::Connected => "connected",
        Link::Reconnecting => "reconnecting",
        Link::Failed(_) => "failed",
    }
}

/// Connecting, reconnecting, or why the media server could not be reached, with a way out.
#[component]
fn ConnectionBanner(back: Callback<()>) -> impl IntoView {
    let call = expect_context::<Call>();
    let retry = move |_| call.connect();
    move || {
        match call.link.get() {
        Link::Connected => ().into_any(),
        Link::Connecting => view! {
            <div class="connection-state" role="status">
                <span class="spinner" aria-hidden="true"></span>
                <p>"Joining the meeting…"</p>
            </div>
        }
        .into_any(),
        Link::Slow => view! {
            <div class="connection-state connection-problem" role="alert">
                <p><strong>"The media server is not answering yet."</strong> " Meet keeps trying for a few more seconds."</p>
                <div class="actions">
                    <button type="button" class="button button-primary" on:click=retry>"Try again"</button>
                    <button type="button" class="button button-secondary" on:click=move |_| back.run(())>"Back"</button>
                </div>
            </div>
        }
        .into_any(),
        Link::Reconnecting => view! {
            <div class="connection-banner" role="status">
                <span class="spinner" aria-hidden="true"></span>
                " Connection lost. Reconnecting…"
            </div>
        }
        .into_any(),
        Link::Failed(error) => {
            let (title, text) = match error.kind.as_str() {
                "unreachable" | "timeout" => (
                    "The media server cannot be reached",
                    "Meet could not connect to its media server. Check your connection; if it works, the server may be down.",
                ),
                "not_allowed" => (
                    "The media server refused to let you in",
                    "Your invitation to this meeting may have expired. Go back and join again.",
                ),
                _ => ("The meeting could not start", "Something went wrong while connecting."),
            };
            view! {
                <div class="connection-state connection-problem" role="alert">
                    <h2>{title}</h2>
                    <p>{text}</p>
                    <p class="muted">{format!("Details: {}", error.message)}</p>
                    <div class="actions">
                        <button type="button" class="button button-primary" on:click=retry>"Try again"</button>
                        <button type="button" class="button button-secondary" on:click=move |_| back.run(())>"Back"</button>
                    </div>
                </div>
            }
            .into_any()
        }
    }
    }
}

/// The tiles: a paginated grid, or the pinned tile large with the others beside it.
#[component]
fn Stage() -> impl IntoView {
    let call = expect_context::<Call>();
    let all = Memo::new(move |_| call.participants.with(|list| tiles(list)));
    let pages = move || page_count(all.with(Vec::len));
    let paginated = move || pages() > 1 && call.pinned.get().is_none();
    let on_last_page = move || call.page.get() + 1 >= pages();
    let layout = move || {
        let pinned = call
            .pinned
            .get()
            .filter(|pin| all.with(|tiles| tiles.contains(pin)));
        match pinned {
            Some(pin) => {
                let others: Vec<TileKey> =
                    all.get().into_iter().filter(|tile| tile != &pin).collect();
                view! {
                    <div class="stage stage-focus">
                        <div class="focus-main"><Tile key=pin /></div>
                        <div class="focus-strip" role="list" aria-label="Other participants">
                            {others.into_iter().map(|key| view! { <Tile key /> }).collect_view()}
                        </div>
                    </div>
                }
                .into_any()
            }
            None => {
                let page = call.page.get().min(pages() - 1);
                let shown = all.with(|tiles| page_of(tiles, page));
                let count = shown.len();
                view! {
                    <div class="stage stage-grid" data-count=count.to_string() role="list" aria-label="Participants">
                        <For each=move || shown.clone() key=|key| key.clone() let:key>
                            <Tile key />
                        </For>
                    </div>
                }
                .into_any()
            }
        }
    };
    view! {
        <div class="stage-area">
            {layout}
            <Show when=paginated>
                <nav class="pagination" aria-label="Pages of participants">
                    <button type="button" class="button button-secondary" aria-label="Previous page"
                        disabled=move || call.page.get() == 0
                        on:click=move |_| call.page.update(|page| *page = page.saturating_sub(1))>"‹"</button>
                    <span>{move || format!("Page {} of {}", call.page.get().min(pages() - 1) + 1, pages())}</span>
                    <button type="button" class="button button-secondary" aria-label="Next page"
                        disabled=on_last_page
                        on:click=move |_| call.page.update(|page| *page = (*page + 1).min(pages() - 1))>"›"</button>
                </nav>
            </Show>
        </div>
    }
}

/// One tile: video, or initials on the participant's colour when their camera is off; their
/// name, a muted microphone, a raised hand with its place in the queue, and Pin.
#[component]
fn Tile(key: TileKey) -> impl IntoView {
    let call = expect_context::<Call>();
    let video = NodeRef::<html::Video>::new();
    let identity = key.identity.clone();
    let source = key.source;
    let person = {
        let identity = identity.clone();
        Memo::new(move |_| call.participant(&identity).unwrap_or_default())
    };
    {
        let identity = identity.clone();
        Effect::new(move |_| {
            if let Some(element) = video.get() {
                bridge::attach(&identity, source.as_str(), &element);
            }
        });
    }
    {
        let identity = identity.clone();
        on_cleanup(move || bridge::detach(&identity, source.as_str()));
    }
    let showing = move || {
        person.with(|p| match source {
            TileSource::Camera => p.camera,
            TileSource::ScreenShare => p.screen_share,
        })
    };
    let hand = {
        let identity = identity.clone();
        Signal::derive(move || {
            call.participants.with(|list| {
                hand_queue(list)
                    .iter()
                    .position(|raised| raised == &identity)
                    .map(|index| index + 1)
            })
        })
    };
    let pinned = {
        let key = key.clone();
        Signal::derive(move || call.pinned.get().as_ref() == Some(&key))
    };
    let toggle_pin = {
        let key = key.clone();
        move |_| {
            let name = person.with_untracked(|p| p.display_name().to_owned());
            if call.pinned.get_untracked().as_ref() == Some(&key) {
                call.pinned.set(None);
                call.announce(format!("{name} unpinned"));
            } else {
                call.pinned.set(Some(key.clone()));
                call.announce(format!("{name} pinned"));
            }
        }
    };
    let label = move || {
        person.with(|p| {
            let name = if p.local {
                format!("{} (you)", p.display_name())
            } else {
                p.display_name().to_owned()
            };
            match source {
                TileSource::ScreenShare => format!("{name}'s screen"),
                TileSource::Camera => name,
            }
        })
    };
    view! {
        <figure class="tile" role="listitem" data-source=source.as_str()
            class:speaking=move || source == TileSource::Camera && person.with(|p| p.speaking)
            class:video-off=move || !showing()
            aria-label=label>
            <video node_ref=video autoplay=true playsinline=true muted=true class="tile-video"
                class:mirrored=move || source == TileSource::Camera && person.with(|p| p.local)></video>
            <Show when=move || !showing()>
                <div class="tile-avatar" aria-hidden="true">
                    <span class="avatar-initials" style:background-color=move || person.with(|p| p.color().unwrap_or("hsl(230, 40%, 45%)").to_owned())>
                        {move || person.with(|p| initials(p.display_name()))}
                    </span>
                </div>
            </Show>
            <figcaption class="tile-caption">
                {move || person.with(|p| source == TileSource::Camera && !p.microphone).then(|| view! {
                    <span class="tile-muted" title="Microphone off" role="img" aria-label="microphone off"><MicOffIcon /></span>
                })}
                <span class="tile-name">{label}</span>
                {move || (source == TileSource::Camera).then(|| hand.get()).flatten().map(|position| view! {
                    <span class="tile-hand" role="img" aria-label=format!("hand raised, number {position} in the queue")><HandIcon />{position.to_string()}</span>
                })}
                {move || person.with(|p| source == TileSource::Camera && !p.is_authenticated() && !p.local).then(|| view! {
                    <span class="tile-badge">"Guest"</span>
                })}
            </figcaption>
            <button type="button" class="tile-pin" aria-pressed=move || pinned.get().to_string() on:click=toggle_pin>
                {move || if pinned.get() { "Unpin" } else { "Pin" }}
            </button>
        </figure>
    }
}

/// A crossed-out microphone.
#[component]
pub(crate) fn MicOffIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1A7 7 0 0 0 19 11h-2z" />
            <path d="M3.3 2.3 2 3.6l18.4 18.4 1.3-1.3z" />
        </svg>
    }
}

/// A raised hand.
#[component]
pub(crate) fn HandIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path d="M20 7.5a1.5 1.5 0 0 0-3 0V12h-1V4.5a1.5 1.5 0 0 0-3 0V11h-1V3.5a1.5 1.5 0 0 0-3 0V12H8V6.5a1.5 1.5 0 0 0-3 0V15a7 7 0 0 0 7 7h1a7 7 0 0 0 7-7z" />
        </svg>
    }
}

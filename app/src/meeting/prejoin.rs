//! The pre-join screen: a live preview of the camera, microphone and camera toggles, device
//! selectors, a microphone level meter, the name others will see, and Join. Rendered on the
//! server, so the name can be typed before the wasm arrives; the media starts once it has.
//! Credentials are minted when Join is pressed, never put in the page.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use meet_types::{AccessLevel, Admission, RoomView};

use crate::api::rooms::{Asked, Joining, ask_to_join, join_meeting};
use crate::components::requester::use_requester;
use crate::components::room::meeting_link::MeetingLink;
use crate::links;
use crate::meeting::Joined;
use crate::meeting::bridge::{self, Capture, Device, MediaChoice, MediaError};
use crate::meeting::browser::{self, saved};

/// The longest name people may pick, in characters (as in La Suite Meet).
pub const MAX_NAME_CHARS: usize = 50;

/// How long a page waits for a host before giving up (as La Suite Meet's), in milliseconds.
const LOBBY_TIMEOUT_MS: u64 = 10 * 60 * 1000;

/// Where someone who must be let in stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lobby {
    /// Not asked yet (or asked and given up).
    Idle,
    /// Asked; the hosts see them.
    Waiting,
    /// A host refused.
    Denied,
    /// Nobody answered in ten minutes.
    TimedOut,
}

/// An `entry` event of the lobby's stream (the JSON of `request-entry`).
#[derive(Debug, serde::Deserialize)]
struct EntryEvent {
    status: meet_types::LobbyStatus,
    livekit: Option<meet_types::LiveKitConnection>,
}

/// Camera and microphone: on or off, on which device, and what the preview gave.
#[derive(Clone, Copy)]
pub(crate) struct Devices {
    pub microphone: RwSignal<bool>,
    pub camera: RwSignal<bool>,
    pub audio_device: RwSignal<String>,
    pub video_device: RwSignal<String>,
    pub speaker_device: RwSignal<String>,
    pub list: RwSignal<Vec<Device>>,
}

impl Devices {
    /// Microphone and camera on, default devices: what the server renders.
    pub fn new() -> Self {
        Self {
            microphone: RwSignal::new(true),
            camera: RwSignal::new(true),
            audio_device: RwSignal::new(String::new()),
            video_device: RwSignal::new(String::new()),
            speaker_device: RwSignal::new(String::new()),
            list: RwSignal::new(Vec::new()),
        }
    }

    /// The choices remembered in this browser (microphone and camera stay on unless turned off
    /// last time). In the browser only, after hydration.
    pub fn restore(&self) {
        let device =
            |kind: &str| browser::load(&format!("{}{kind}", saved::DEVICE)).unwrap_or_default();
        self.microphone
            .set(browser::load(saved::MICROPHONE).as_deref() != Some("off"));
        self.camera
            .set(browser::load(saved::CAMERA).as_deref() != Some("off"));
        for kind in ["audioinput", "videoinput", "audiooutput"] {
            self.device_signal(kind).set(device(kind));
        }
    }

    pub fn choice(&self) -> MediaChoice {
        MediaChoice {
            audio: self.microphone.get_untracked(),
            video: self.camera.get_untracked(),
            audio_device: self.audio_device.get_untracked(),
            video_device: self.video_device.get_untracked(),
            speaker_device: self.speaker_device.get_untracked(),
        }
    }

    pub fn device_signal(&self, kind: &str) -> RwSignal<String> {
        match kind {
            "audioinput" => self.audio_device,
            "videoinput" => self.video_device,
            _ => self.speaker_device,
        }
    }

    /// Remembers the current choices.
    pub fn save(&self) {
        let on_off = |on: bool| if on { "on" } else { "off" };
        browser::save(saved::MICROPHONE, on_off(self.microphone.get_untracked()));
        browser::save(saved::CAMERA, on_off(self.camera.get_untracked()));
        for kind in ["audioinput", "videoinput", "audiooutput"] {
            browser::save(
                &format!("{}{kind}", saved::DEVICE),
                &self.device_signal(kind).get_untracked(),
            );
        }
    }

    /// Reads the device list again.
    pub fn refresh_list(self) {
        spawn_local(async move {
            let list = bridge::devices().await;
            // Quietly not, when the screen that asked is gone.
            let _ = self.list.try_set(list);
        });
    }
}

/// The pre-join screen of `room`.
#[component]
pub fn PreJoin(room: RoomView, admission: Admission, on_join: Callback<Joined>) -> impl IntoView {
    let requester = use_requester();
    let direct = admission == Admission::Direct;
    let devices = Devices::new();
    let hydrated = RwSignal::new(false);
    let preview = RwSignal::new(None::<(Capture, Capture)>);
    let starting = RwSignal::new(false);
    let level = RwSignal::new(0.0_f64);
    let joining = RwSignal::new(false);
    let join_error = RwSignal::new(None::<String>);
    let name_input = NodeRef::<html::Input>::new();
    let video = NodeRef::<html::Video>::new();
    let request = Request {
        lobby: RwSignal::new(Lobby::Idle),
        joining,
        join_error,
        following: browser::events_slot(),
        attempt: StoredValue::new(0),
        devices,
        on_join,
    };
    let lobby = request.lobby;
    on_cleanup(move || request.following.set_value(None));

    let apply = move || {
        devices.save();
        starting.set(true);
        spawn_local(async move {
            let answer = bridge::set_preview(&devices.choice()).await;
            // Join may have been pressed meanwhile: the screen (and its signals) is gone.
            if starting.try_set(false).is_some() {
                return;
            }
            match answer {
                Ok(answer) => {
                    if !answer.audio.on && answer.audio.error.is_some() {
                        devices.microphone.set(false);
                    }
                    if !answer.video.on && answer.video.error.is_some() {
                        devices.camera.set(false);
                    }
                    preview.set(Some((answer.audio, answer.video)));
                }
                Err(error) => preview.set(Some((
                    Capture {
                        error: Some(error.clone()),
                        ..Capture::default()
                    },
                    Capture {
                        error: Some(error),
                        ..Capture::default()
                    },
                ))),
            }
            devices.refresh_list();
        });
    };

    // In the browser only: remembered name, the preview, the level meter.
    Effect::new(move |_| {
        devices.restore();
        hydrated.set(true);
        if let Some(input) = name_input.get_untracked()
            && input.value().is_empty()
            && let Some(name) = browser::load(saved::NAME)
        {
            input.set_value(&name);
        }
        if let Some(element) = video.get_untracked() {
            spawn_local(async move {
                match bridge::load().await {
                    Ok(()) => {
                        bridge::attach("local", "camera", &element);
                        apply();
                    }
                    Err(error) => {
                        let _ = preview.try_set(Some((
                            Capture::default(),
                            Capture {
                                error: Some(MediaError::failed(error)),
                                ..Capture::default()
                            },
                        )));
                    }
                }
            });
        }
        if let Ok(handle) = set_interval_with_handle(
            move || {
                let _ = level.try_set(bridge::mic_level());
            },
            std::time::Duration::from_millis(100),
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    on_cleanup(|| bridge::detach("local", "camera"));

    let slug = room.slug.clone();
    let join = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if joining.get_untracked() {
            return;
        }
        let name = name_input
            .get_untracked()
            .map(|input| input.value().trim().to_owned())
            .filter(|name| !name.is_empty());
        if let Some(name) = &name {
            if name.chars().count() > MAX_NAME_CHARS {
                join_error.set(Some(format!(
                    "Your name can have at most {MAX_NAME_CHARS} characters."
                )));
                return;
            }
            browser::save(saved::NAME, name);
        }
        join_error.set(None);
        joining.set(true);
        let slug = slug.clone();
        if !direct {
            spawn_local(request.ask(slug, name));
            return;
        }
        spawn_local(async move {
            match join_meeting(slug, name).await {
                Ok(Joining::Enter(livekit)) => on_join.run(Joined {
                    livekit,
                    choice: devices.choice(),
                }),
                Ok(Joining::Wait) => {
                    let _ = joining.try_set(false);
                    let _ = join_error
                        .try_set(Some("A host has to let you in to this meeting.".to_owned()));
                }
                Err(error) => {
                    let _ = joining.try_set(false);
                    let _ = join_error.try_set(Some(error.to_string()));
                }
            }
        });
    };

    let toggle_microphone = move |_| {
        devices.microphone.update(|on| *on = !*on);
        apply();
    };
    let toggle_camera = move |_| {
        devices.camera.update(|on| *on = !*on);
        apply();
    };
    let title_class =
        if room.name == room.slug && meet_types::RoomCode::parse_bare(&room.slug).is_ok() {
            "room-code"
        } else {
            "room-name"
        };
    let can_choose_name = requester.can_choose_name;
    let account_name = requester
        .user
        .as_ref()
        .map(|user| user.display_name().to_owned());
    let login_hint = !direct && room.access_level == AccessLevel::Trusted;

    // Each column's view is erased to one type: the whole screen's type would otherwise be too
    // deep for the compiler in release builds.
    let media = view! {
            <div class="prejoin-media">
                <div class="preview-frame" data-camera=move || if devices.camera.get() { "on" } else { "off" }>
                    <video node_ref=video class="preview-video" autoplay=true muted=true playsinline=true aria-label="Your camera preview"></video>
                    <p class="preview-placeholder" aria-live="polite">
                        {move || if !hydrated.get() || starting.get() {
                            "Starting your camera…"
                        } else if devices.camera.get() {
                            ""
                        } else {
                            "Your camera is off"
                        }}
                    </p>
                    <div class="preview-toggles">
                        <button type="button" class="round-button" class:off=move || !devices.microphone.get()
                            aria-pressed=move || devices.microphone.get().to_string()
                            disabled=move || !hydrated.get() on:click=toggle_microphone>
                            {move || if devices.microphone.get() { "Microphone on" } else { "Microphone off" }}
                        </button>
                        <button type="button" class="round-button" class:off=move || !devices.camera.get()
                            aria-pressed=move || devices.camera.get().to_string()
                            disabled=move || !hydrated.get() on:click=toggle_camera>
                            {move || if devices.camera.get() { "Camera on" } else { "Camera off" }}
                        </button>
                    </div>
                </div>
                <label class="meter-row">
                    <span>"Microphone level"</span>
                    <meter min="0" max="1" low="0.05" optimum="0.5" value=move || format!("{:.2}", if devices.microphone.get() { level.get() } else { 0.0 })></meter>
                </label>
                <DeviceSelectors devices on_change=Callback::new(move |()| apply()) />
                {move || preview.get().map(|(audio, video)| view! { <MediaHelp audio video retry=Callback::new(move |()| apply()) /> })}
            </div>
    }
    .into_any();
    let side = view! {
            <div class="prejoin-side">
                <p class="eyebrow">"Meeting"</p>
                <h1 id="room-title" class=title_class>{room.name.clone()}</h1>
                {if direct {
                    view! {
                        <p class="admission admission-direct" role="status">
                            <strong>"You can join this meeting directly."</strong>
                            " Check your camera and microphone, then join."
                        </p>
                    }.into_any()
                } else {
                    view! { <LobbyNotice level=room.access_level /> }.into_any()
                }}
                <form class="join-form prejoin-form" on:submit=join novalidate>
                    {if can_choose_name {
                        view! {
                            <label for="display-name">"Your name"</label>
                            <input id="display-name" name="username" type="text" node_ref=name_input
                                maxlength=MAX_NAME_CHARS.to_string() autocomplete="nickname"
                                placeholder="The name others will see"
                                value=account_name.clone().unwrap_or_default() />
                        }.into_any()
                    } else {
                        view! {
                            <p class="muted">{format!("You will join as {}.", account_name.clone().unwrap_or_default())}</p>
                        }.into_any()
                    }}
                    <button type="submit" class="button button-primary join-button"
                        disabled=move || !hydrated.get() || joining.get() || lobby.get() == Lobby::Waiting>
                        {move || if lobby.get() == Lobby::Waiting {
                            "Waiting for a host…"
                        } else if joining.get() {
                            if direct { "Joining…" } else { "Asking…" }
                        } else if direct {
                            "Join"
                        } else if matches!(lobby.get(), Lobby::Denied | Lobby::TimedOut) {
                            "Ask again"
                        } else {
                            "Ask to join"
                        }}
                    </button>
                    {move || (lobby.get() == Lobby::Waiting).then(|| view! {
                        <div class="lobby-waiting" role="status">
                            <span class="spinner" aria-hidden="true"></span>
                            <p><strong>"Asking to join…"</strong>" The hosts can see you are waiting. You will join as soon as one lets you in."</p>
                            <button type="button" class="button button-secondary"
                                on:click=move |_| {
                                    request.stop(Lobby::Idle);
                                }>"Cancel"</button>
                        </div>
                    })}
                    {move || match lobby.get() {
                        Lobby::Denied => Some(view! {
                            <p class="form-error" role="alert">"A host declined your request to join. You can ask again in a few seconds."</p>
                        }.into_any()),
                        Lobby::TimedOut => Some(view! {
                            <p class="form-error" role="alert">"Nobody let you in within ten minutes. You can ask again."</p>
                        }.into_any()),
                        Lobby::Idle | Lobby::Waiting => None,
                    }}
                    {move || join_error.get().map(|error| view! { <p class="form-error" role="alert">{error}</p> })}
                </form>
                {login_hint.then(|| view! { <LoginHint slug=room.slug.clone() /> })}
                {room.is_administrable.then(|| view! {
                    <p class="muted">{format!("Access: {}", room.access_level.label())}</p>
                })}
                <h2 class="section-title">"Invite people"</h2>
                <MeetingLink slug=room.slug.clone() />
            </div>
    }
    .into_any();
    view! {
        <section class="prejoin" aria-labelledby="room-title">
            {media}
            {side}
        </section>
    }
}

/// The pre-join's request to be let in: where it stands, and what follows it.
#[derive(Clone, Copy)]
struct Request {
    lobby: RwSignal<Lobby>,
    joining: RwSignal<bool>,
    join_error: RwSignal<Option<String>>,
    /// The open stream of the request being followed.
    following: browser::EventsSlot,
    /// Which request the page is on: the timer of an earlier one does nothing.
    attempt: StoredValue<u64>,
    devices: Devices,
    on_join: Callback<Joined>,
}

impl Request {
    /// Asks the hosts of the meeting `slug` to let the requester in as `name`, then follows the
    /// request until a host decides (or ten minutes pass): admitted, the meeting starts without
    /// another click.
    async fn ask(self, slug: String, name: Option<String>) {
        let asked = ask_to_join(slug.clone(), name).await;
        let _ = self.joining.try_set(false);
        match asked {
            Ok(Asked::Enter(livekit)) => self.enter(livekit),
            Ok(Asked::Denied) => {
                let _ = self.lobby.try_set(Lobby::Denied);
            }
            Ok(Asked::Waiting) => self.follow(&slug),
            Err(error) => {
                let _ = self.join_error.try_set(Some(error.to_string()));
            }
        }
    }

    /// Follows the request just made, over the lobby's event stream.
    fn follow(self, slug: &str) {
        if self.lobby.try_set(Lobby::Waiting).is_some() {
            return;
        }
        self.attempt.update_value(|attempt| *attempt += 1);
        let attempt = self.attempt.get_value();
        let path = format!("/events/rooms/{}/entry", browser::encode(slug));
        let names = ["entry", "gone", browser::CLOSED];
        let events = browser::listen(&path, &names, move |name, data| {
            if self.lobby.try_get_untracked() != Some(Lobby::Waiting) {
                return;
            }
            let event = (name == "entry")
                .then(|| serde_json::from_str::<EntryEvent>(&data).ok())
                .flatten();
            match event {
                Some(EntryEvent {
                    livekit: Some(livekit),
                    ..
                }) => self.enter(livekit),
                Some(EntryEvent {
                    status: meet_types::LobbyStatus::Denied,
                    ..
                }) => self.stop(Lobby::Denied),
                Some(_) => {}
                // The request lapsed or a host removed it, or the stream was refused or lost
                // for good: said, never an endless wait.
                None => {
                    self.stop(Lobby::Idle);
                    self.join_error.set(Some(
                        "Your request to join was withdrawn. Ask again.".to_owned(),
                    ));
                }
            }
        });
        self.following.set_value(events);
        set_timeout(
            move || {
                let current = self.attempt.try_get_value() == Some(attempt);
                if current && self.lobby.try_get_untracked() == Some(Lobby::Waiting) {
                    self.stop(Lobby::TimedOut);
                }
            },
            std::time::Duration::from_millis(LOBBY_TIMEOUT_MS),
        );
    }

    /// Stops following the request (closing its stream withdraws it if still waiting), now
    /// `state`.
    fn stop(self, state: Lobby) {
        self.following.set_value(None);
        self.lobby.set(state);
    }

    /// In: the meeting starts.
    fn enter(self, livekit: meet_types::LiveKitConnection) {
        self.following.set_value(None);
        self.on_join.run(Joined {
            livekit,
            choice: self.devices.choice(),
        });
    }
}

/// For people who must wait: that a host lets them in, and what comes next.
#[component]
fn LobbyNotice(level: AccessLevel) -> impl IntoView {
    let explanation = match level {
        AccessLevel::Trusted => {
            "This meeting is open to logged-in people. Guests wait until a host lets them in."
        }
        _ => "This meeting is private: only people a host invited join directly.",
    };
    view! {
        <div class="admission admission-lobby" role="status">
            <p><strong>"A host will let you in."</strong> " " {explanation}</p>
            <p class="muted">
                "Press Ask to join: the hosts are told at once, and you join as soon as one lets you in."
            </p>
        </div>
    }
}

/// For trusted rooms: logging in skips the wait, and comes back to the room at `slug`.
#[component]
fn LoginHint(slug: String) -> impl IntoView {
    let requester = use_requester();
    let can_log_in = requester.user.is_none() && requester.login_enabled;
    can_log_in.then(|| {
        view! {
            <p>
                <a href=links::login(&format!("/{slug}")) rel="external">"Log in"</a>
                " to join without waiting."
            </p>
        }
    })
}

/// Microphone, camera and speaker pickers (the speaker where the browser lets pages choose).
#[component]
pub(crate) fn DeviceSelectors(devices: Devices, on_change: Callback<()>) -> impl IntoView {
    let selector = move |kind: &'static str, label: &'static str| {
        let chosen = devices.device_signal(kind);
        let options = move || {
            devices
                .list
                .get()
                .into_iter()
                .filter(|device| device.kind == kind)
                .collect::<Vec<_>>()
        };
        move || {
            let list = options();
            (!list.is_empty()).then(|| {
                let id = format!("device-{kind}");
                view! {
                    <div class="device-field">
                        <label for=id.clone()>{label}</label>
                        <select id=id on:change=move |event| {
                            chosen.set(event_target_value(&event));
                            on_change.run(());
                        }>
                            {list.into_iter().enumerate().map(|(index, device)| {
                                let selected = chosen.get_untracked() == device.id;
                                let name = if device.label.is_empty() { format!("{label} {}", index + 1) } else { device.label.clone() };
                                view! { <option value=device.id.clone() selected=selected>{name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                }
            })
        }
    };
    view! {
        <div class="device-selectors">
            {selector("audioinput", "Microphone")}
            {selector("videoinput", "Camera")}
            {selector("audiooutput", "Speaker")}
        </div>
    }
}

/// What to do when the camera or microphone cannot start.
#[component]
fn MediaHelp(audio: Capture, video: Capture, retry: Callback<()>) -> impl IntoView {
    let problems: Vec<String> = [("microphone", audio.error), ("camera", video.error)]
        .into_iter()
        .filter_map(|(what, error)| error.map(|error| explain(what, &error)))
        .collect();
    (!problems.is_empty()).then(|| {
        view! {
            <div class="media-help" role="alert">
                {problems.into_iter().map(|text| view! { <p>{text}</p> }).collect_view()}
                <button type="button" class="button button-secondary" on:click=move |_| retry.run(())>"Try again"</button>
            </div>
        }
    })
}

/// A sentence for people about `error` on their `what` (camera or microphone).
pub(crate) fn explain(what: &str, error: &MediaError) -> String {
    match error.kind.as_str() {
        "denied" => format!(
            "Meet is not allowed to use your {what}. Allow it in your browser (the icon in the address bar), then try again."
        ),
        "missing" => format!("No {what} was found. Connect one, or join without it."),
        "in_use" => format!(
            "Your {what} is being used by another application. Close that application, then try again."
        ),
        "unsupported" => format!(
            "This browser cannot use a {what} here. Open Meet over https in a recent browser."
        ),
        _ => format!("Your {what} could not start ({}).", error.message),
    }
}

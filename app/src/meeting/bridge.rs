//! Rust's side of the media bridge (`frontend/js/livekit-bridge.mjs`): typed calls into it and
//! its events as Rust values. The bridge module is loaded the first time a meeting page needs it
//! (`import("livekit-bridge")` through the global `meetBridge` the shell defines), so the home
//! page never downloads livekit-client.
//!
//! In the browser every call goes to the module; on the server (which never calls them: they run
//! from effects and event handlers) they answer that media is unavailable.

use meet_types::EndReason;
use serde::Deserialize;

use crate::meeting::model::{ChatMessage, ParticipantState, Person};

/// Why media failed, as the bridge classifies it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MediaError {
    /// `denied`, `missing`, `in_use`, `unsupported` or `failed`.
    pub kind: String,
    pub message: String,
}

impl MediaError {
    /// An error the bridge did not classify.
    pub fn failed(message: impl Into<String>) -> Self {
        Self {
            kind: "failed".to_owned(),
            message: message.into(),
        }
    }
}

/// One kind of device in the preview: whether it captures, on which device, or why not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Capture {
    pub on: bool,
    #[serde(default)]
    pub device: String,
    pub error: Option<MediaError>,
}

/// The preview after [`set_preview`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Preview {
    pub audio: Capture,
    pub video: Capture,
}

/// A media device.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Device {
    /// `audioinput`, `videoinput` or `audiooutput`.
    pub kind: String,
    pub id: String,
    pub label: String,
}

/// What a toggle gave.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Toggled {
    pub on: bool,
    pub error: Option<MediaError>,
}

/// Why connecting failed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ConnectError {
    /// `unreachable`, `not_allowed`, `timeout`, `cancelled` or `failed`.
    pub kind: String,
    pub message: String,
}

/// What to capture and where.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaChoice {
    pub audio: bool,
    pub video: bool,
    pub audio_device: String,
    pub video_device: String,
    pub speaker_device: String,
}

/// The connection's state, as the bridge reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionState {
    Connecting,
    Connected,
    Reconnecting,
    Disconnected,
}

/// Something that happened in the meeting.
#[derive(Debug, Clone, PartialEq)]
pub enum BridgeEvent {
    Connection(ConnectionState),
    /// No answer from the media server after 2 s (still trying).
    Slow,
    Participants(Vec<ParticipantState>),
    Joined(Person),
    Left(Person),
    Chat(ChatMessage),
    /// A data message (`{type, …}`) from someone.
    Data {
        from: Person,
        message: serde_json::Value,
    },
    /// The call ended, and why.
    Disconnected(EndReason),
    AudioPlayback {
        can_play: bool,
    },
    /// A local camera or microphone stopped (unplugged, taken by another app).
    DeviceLost {
        source: String,
    },
    DevicesChanged,
    MediaError(MediaError),
    /// The room's settings, as the meeting's metadata carries them (Meet's server writes it):
    /// when the call starts, and whenever a host changes them.
    RoomSettings {
        access_level: Option<meet_types::AccessLevel>,
        configuration: Option<meet_types::RoomConfiguration>,
        /// Where the meeting's recording stands (`recording_mode`, `recording_status`).
        recording: meet_types::LiveRecording,
    },
}

impl BridgeEvent {
    /// The event `name` with its JSON payload; `None` for an event this version does not know or
    /// a payload it cannot read.
    pub fn parse(name: &str, json: &str) -> Option<Self> {
        #[derive(Deserialize)]
        struct State {
            state: ConnectionState,
        }
        #[derive(Deserialize)]
        struct Reason {
            reason: EndReason,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Playback {
            can_play: bool,
        }
        #[derive(Deserialize)]
        struct Source {
            source: String,
        }
        #[derive(Deserialize)]
        struct Data {
            from: Person,
            message: serde_json::Value,
        }
        let event = match name {
            "connection" => Self::Connection(serde_json::from_str::<State>(json).ok()?.state),
            "slow" => Self::Slow,
            "participants" => Self::Participants(serde_json::from_str(json).ok()?),
            "joined" => Self::Joined(serde_json::from_str(json).ok()?),
            "left" => Self::Left(serde_json::from_str(json).ok()?),
            "chat" => Self::Chat(serde_json::from_str(json).ok()?),
            "data" => {
                let Data { from, message } = serde_json::from_str(json).ok()?;
                Self::Data { from, message }
            }
            "disconnected" => Self::Disconnected(serde_json::from_str::<Reason>(json).ok()?.reason),
            "audioPlayback" => Self::AudioPlayback {
                can_play: serde_json::from_str::<Playback>(json).ok()?.can_play,
            },
            "deviceLost" => Self::DeviceLost {
                source: serde_json::from_str::<Source>(json).ok()?.source,
            },
            "devicesChanged" => Self::DevicesChanged,
            "mediaError" => Self::MediaError(serde_json::from_str(json).ok()?),
            "roomMetadata" => {
                #[derive(Deserialize)]
                struct Metadata {
                    metadata: String,
                }
                let metadata = serde_json::from_str::<Metadata>(json).ok()?.metadata;
                let value: serde_json::Value = serde_json::from_str(&metadata).ok()?;
                Self::RoomSettings {
                    access_level: value
                        .get("access_level")
                        .and_then(|level| serde_json::from_value(level.clone()).ok()),
                    configuration: value.get("configuration").and_then(|configuration| {
                        serde_json::from_value(configuration.clone()).ok()
                    }),
                    recording: meet_types::LiveRecording::from_metadata(
                        value.get("recording_mode").and_then(|mode| mode.as_str()),
                        value
                            .get("recording_status")
                            .and_then(|status| status.as_str()),
                    ),
                }
            }
            _ => return None,
        };
        Some(event)
    }
}

#[cfg(feature = "hydrate")]
pub use browser::*;
#[cfg(not(feature = "hydrate"))]
pub use server::*;

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::RefCell;

    use js_sys::{Function, Promise};
    use leptos::web_sys::HtmlVideoElement;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;

    use super::*;

    #[wasm_bindgen]
    extern "C" {
        /// `() => import("livekit-bridge")`, defined by the page's shell.
        #[wasm_bindgen(js_name = meetBridge, catch)]
        fn meet_bridge() -> Result<Promise, JsValue>;

        /// The bridge module.
        #[derive(Clone)]
        type Bridge;
        #[wasm_bindgen(method, js_name = onEvent)]
        fn on_event(this: &Bridge, callback: &Function);
        #[wasm_bindgen(method, js_name = setPreview)]
        fn set_preview(this: &Bridge, json: &str) -> Promise;
        #[wasm_bindgen(method, js_name = stopPreview)]
        fn stop_preview(this: &Bridge);
        #[wasm_bindgen(method, js_name = listDevices)]
        fn list_devices(this: &Bridge) -> Promise;
        #[wasm_bindgen(method, js_name = micLevel)]
        fn mic_level(this: &Bridge) -> f64;
        #[wasm_bindgen(method)]
        fn attach(this: &Bridge, identity: &str, source: &str, element: &HtmlVideoElement);
        #[wasm_bindgen(method)]
        fn detach(this: &Bridge, identity: &str, source: &str);
        #[wasm_bindgen(method)]
        fn connect(this: &Bridge, url: &str, token: &str, json: &str) -> Promise;
        #[wasm_bindgen(method)]
        fn disconnect(this: &Bridge) -> Promise;
        #[wasm_bindgen(method, js_name = setMicrophone)]
        fn set_microphone(this: &Bridge, on: bool) -> Promise;
        #[wasm_bindgen(method, js_name = setCamera)]
        fn set_camera(this: &Bridge, on: bool) -> Promise;
        #[wasm_bindgen(method, js_name = setScreenShare)]
        fn set_screen_share(this: &Bridge, on: bool) -> Promise;
        #[wasm_bindgen(method, js_name = switchDevice)]
        fn switch_device(this: &Bridge, kind: &str, id: &str) -> Promise;
        #[wasm_bindgen(method, js_name = sendChat)]
        fn send_chat(this: &Bridge, text: &str) -> Promise;
        #[wasm_bindgen(method, js_name = sendData)]
        fn send_data(this: &Bridge, json: &str, to: Option<String>) -> Promise;
        #[wasm_bindgen(method, js_name = startAudio)]
        fn start_audio(this: &Bridge) -> Promise;
        #[wasm_bindgen(method, js_name = roomSid)]
        fn room_sid(this: &Bridge) -> Promise;
        #[wasm_bindgen(method)]
        fn chime(this: &Bridge);
    }

    /// What hears the bridge's events.
    type Listener = Box<dyn Fn(BridgeEvent)>;

    thread_local! {
        static BRIDGE: RefCell<Option<Bridge>> = const { RefCell::new(None) };
        static LISTENER: RefCell<Option<Listener>> = const { RefCell::new(None) };
    }

    async fn bridge() -> Result<Bridge, String> {
        if let Some(bridge) = BRIDGE.with_borrow(Clone::clone) {
            return Ok(bridge);
        }
        let promise = meet_bridge().map_err(|_| "the page cannot load media".to_owned())?;
        let module = JsFuture::from(promise)
            .await
            .map_err(|error| format!("the media module did not load ({error:?})"))?;
        let bridge: Bridge = module.unchecked_into();
        let callback = Closure::<dyn Fn(String, String)>::new(|name: String, json: String| {
            if let Some(event) = BridgeEvent::parse(&name, &json) {
                LISTENER.with_borrow(|listener| {
                    if let Some(listener) = listener {
                        listener(event);
                    }
                });
            }
        });
        bridge.on_event(callback.as_ref().unchecked_ref());
        // One listener for the page's life.
        callback.forget();
        BRIDGE.with_borrow_mut(|slot| *slot = Some(bridge.clone()));
        Ok(bridge)
    }

    fn now() -> Option<Bridge> {
        BRIDGE.with_borrow(Clone::clone)
    }

    async fn call(promise: Promise) -> Result<String, String> {
        match JsFuture::from(promise).await {
            Ok(value) => Ok(value.as_string().unwrap_or_default()),
            Err(error) => Err(error.as_string().unwrap_or_else(|| format!("{error:?}"))),
        }
    }

    /// Loads the bridge (once); `Err` says why media cannot work on this page.
    pub async fn load() -> Result<(), String> {
        bridge().await.map(drop)
    }

    /// Sends every event to `listener` from now on (replacing the previous one).
    pub fn listen(listener: impl Fn(BridgeEvent) + 'static) {
        LISTENER.with_borrow_mut(|slot| *slot = Some(Box::new(listener)));
    }

    /// Captures what `choice` asks for the preview.
    pub async fn set_preview(choice: &MediaChoice) -> Result<Preview, MediaError> {
        let bridge = bridge().await.map_err(MediaError::failed)?;
        let json = serde_json::to_string(choice).unwrap_or_default();
        let answer = call(bridge.set_preview(&json))
            .await
            .map_err(MediaError::failed)?;
        serde_json::from_str(&answer).map_err(|error| MediaError::failed(error.to_string()))
    }

    /// Releases the preview's camera and microphone.
    pub fn stop_preview() {
        if let Some(bridge) = now() {
            bridge.stop_preview();
        }
    }

    /// The media devices (labels once the browser allowed capture).
    pub async fn devices() -> Vec<Device> {
        let Ok(bridge) = bridge().await else {
            return Vec::new();
        };
        let answer = call(bridge.list_devices()).await.unwrap_or_default();
        serde_json::from_str(&answer).unwrap_or_default()
    }

    /// The local microphone's level, 0 to 1.
    pub fn mic_level() -> f64 {
        now().map_or(0.0, |bridge| bridge.mic_level())
    }

    /// Shows `identity`'s `source` (`camera` or `screen_share`) in `element`.
    pub fn attach(identity: &str, source: &str, element: &HtmlVideoElement) {
        if let Some(bridge) = now() {
            bridge.attach(identity, source, element);
        }
    }

    /// Stops showing `identity`'s `source`.
    pub fn detach(identity: &str, source: &str) {
        if let Some(bridge) = now() {
            bridge.detach(identity, source);
        }
    }

    /// Joins the LiveKit room; the local participant, or why not.
    pub async fn connect(
        url: &str,
        token: &str,
        choice: &MediaChoice,
    ) -> Result<Person, ConnectError> {
        let failed = |message: String| ConnectError {
            kind: "failed".to_owned(),
            message,
        };
        let bridge = bridge().await.map_err(failed)?;
        let json = serde_json::to_string(choice).unwrap_or_default();
        match call(bridge.connect(url, token, &json)).await {
            Ok(answer) => serde_json::from_str(&answer).map_err(|error| failed(error.to_string())),
            Err(error) => Err(serde_json::from_str(&error).unwrap_or_else(|_| failed(error))),
        }
    }

    /// Leaves the meeting.
    pub async fn disconnect() {
        if let Some(bridge) = now() {
            let _ = call(bridge.disconnect()).await;
        }
    }

    async fn toggled(promise: Promise) -> Toggled {
        match call(promise).await {
            Ok(answer) => serde_json::from_str(&answer).unwrap_or(Toggled {
                on: false,
                error: Some(MediaError::failed("unreadable answer")),
            }),
            Err(error) => Toggled {
                on: false,
                error: Some(MediaError::failed(error)),
            },
        }
    }

    /// Turns the microphone on or off.
    pub async fn set_microphone(on: bool) -> Toggled {
        match now() {
            Some(bridge) => toggled(bridge.set_microphone(on)).await,
            None => Toggled {
                on: false,
                error: None,
            },
        }
    }

    /// Turns the camera on or off.
    pub async fn set_camera(on: bool) -> Toggled {
        match now() {
            Some(bridge) => toggled(bridge.set_camera(on)).await,
            None => Toggled {
                on: false,
                error: None,
            },
        }
    }

    /// Starts or stops sharing the screen.
    pub async fn set_screen_share(on: bool) -> Toggled {
        match now() {
            Some(bridge) => toggled(bridge.set_screen_share(on)).await,
            None => Toggled {
                on: false,
                error: None,
            },
        }
    }

    /// Uses device `id` for `kind` in the meeting.
    pub async fn switch_device(kind: &str, id: &str) {
        if let Some(bridge) = now() {
            let _ = call(bridge.switch_device(kind, id)).await;
        }
    }

    /// Sends a chat message; `Err` when it could not be sent.
    pub async fn send_chat(text: &str) -> Result<(), String> {
        let bridge = now().ok_or_else(|| "not connected".to_owned())?;
        call(bridge.send_chat(text)).await.map(drop)
    }

    /// Sends a data message (`{type, …}`) to everyone, or to the participants `to` only.
    pub async fn send_data(message: &serde_json::Value, to: Option<&[String]>) {
        if let Some(bridge) = now() {
            let to = to.map(|identities| serde_json::Value::from(identities.to_vec()).to_string());
            let _ = call(bridge.send_data(&message.to_string(), to)).await;
        }
    }

    /// Plays remote audio after the browser blocked it.
    pub async fn start_audio() {
        if let Some(bridge) = now() {
            let _ = call(bridge.start_audio()).await;
        }
    }

    /// The session id (`RM_…`) of the LiveKit room one is connected to, once the server said.
    pub async fn room_sid() -> Option<String> {
        let bridge = now()?;
        call(bridge.room_sid())
            .await
            .ok()
            .filter(|sid| !sid.is_empty())
    }

    /// A short sound: someone asks to join.
    pub fn chime() {
        if let Some(bridge) = now() {
            bridge.chime();
        }
    }
}

#[cfg(not(feature = "hydrate"))]
mod server {
    //! The same calls on the server, which renders pages without media: never reached.
    #![allow(clippy::unused_async)]

    use super::*;

    const NO_MEDIA: &str = "media runs in the browser";

    pub async fn load() -> Result<(), String> {
        Err(NO_MEDIA.to_owned())
    }
    pub fn listen(_listener: impl Fn(BridgeEvent) + 'static) {}
    pub async fn set_preview(_choice: &MediaChoice) -> Result<Preview, MediaError> {
        Err(MediaError::failed(NO_MEDIA))
    }
    pub fn stop_preview() {}
    pub async fn devices() -> Vec<Device> {
        Vec::new()
    }
    pub fn mic_level() -> f64 {
        0.0
    }
    pub fn attach(_identity: &str, _source: &str, _element: &leptos::web_sys::HtmlVideoElement) {}
    pub fn detach(_identity: &str, _source: &str) {}
    pub async fn connect(
        _url: &str,
        _token: &str,
        _choice: &MediaChoice,
    ) -> Result<Person, ConnectError> {
        Err(ConnectError {
            kind: "failed".to_owned(),
            message: NO_MEDIA.to_owned(),
        })
    }
    pub async fn disconnect() {}
    pub async fn room_sid() -> Option<String> {
        None
    }
    pub async fn set_microphone(_on: bool) -> Toggled {
        Toggled {
            on: false,
            error: None,
        }
    }
    pub async fn set_camera(_on: bool) -> Toggled {
        Toggled {
            on: false,
            error: None,
        }
    }
    pub async fn set_screen_share(_on: bool) -> Toggled {
        Toggled {
            on: false,
            error: None,
        }
    }
    pub async fn switch_device(_kind: &str, _id: &str) {}
    pub async fn send_chat(_text: &str) -> Result<(), String> {
        Err(NO_MEDIA.to_owned())
    }
    pub async fn send_data(_message: &serde_json::Value, _to: Option<&[String]>) {}
    pub async fn start_audio() {}
    pub fn chime() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_read_from_the_bridge_json() {
        assert_eq!(
            BridgeEvent::parse("connection", r#"{"state":"reconnecting"}"#),
            Some(BridgeEvent::Connection(ConnectionState::Reconnecting))
        );
        assert_eq!(
            BridgeEvent::parse("disconnected", r#"{"reason":"removed","code":4}"#),
            Some(BridgeEvent::Disconnected(EndReason::Removed))
        );
        let participants = BridgeEvent::parse(
            "participants",
            r#"[{"identity":"a","name":"Alice","local":true,"speaking":false,"microphone":true,
                "camera":false,"screenShare":false,"attributes":{"handRaisedAt":"2026-01-01T00:00:00Z"},
                "joinedAt":1}]"#,
        );
        let Some(BridgeEvent::Participants(list)) = participants else {
            panic!("participants not read: {participants:?}");
        };
        assert_eq!(list[0].name, "Alice");
        assert!(list[0].hand_raised_at().is_some());
        assert_eq!(
            BridgeEvent::parse("audioPlayback", r#"{"canPlay":false}"#),
            Some(BridgeEvent::AudioPlayback { can_play: false })
        );
        // The room's settings come from its metadata, whatever else it holds.
        let metadata = serde_json::json!({
            "metadata": r#"{"access_level":"trusted","configuration":{"everyone_can_mute":false},"recording_mode":"transcript","recording_status":"started","other":1}"#
        });
        assert_eq!(
            BridgeEvent::parse("roomMetadata", &metadata.to_string()),
            Some(BridgeEvent::RoomSettings {
                access_level: Some(meet_types::AccessLevel::Trusted),
                configuration: Some(meet_types::RoomConfiguration {
                    everyone_can_mute: Some(false),
                    ..Default::default()
                }),
                recording: meet_types::LiveRecording::On(meet_types::RecordingMode::Transcript),
            })
        );
        // Keys the server removed: nothing is being recorded.
        assert_eq!(
            BridgeEvent::parse("roomMetadata", r#"{"metadata":"{}"}"#),
            Some(BridgeEvent::RoomSettings {
                access_level: None,
                configuration: None,
                recording: meet_types::LiveRecording::Off,
            })
        );
        assert_eq!(
            BridgeEvent::parse("roomMetadata", r#"{"metadata":""}"#),
            None
        );
        // Unknown events and unreadable payloads are ignored, not errors.
        assert_eq!(BridgeEvent::parse("somethingNew", "{}"), None);
        assert_eq!(BridgeEvent::parse("chat", "not json"), None);
    }
}

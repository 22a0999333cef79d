//! What the meeting asks of the browser besides media: remembered choices, the clock, leaving
//! the page, and Meet's participant endpoints (authorised by the LiveKit token). On the server
//! these do nothing (they only run from effects and event handlers).

/// Remembered choices, in the browser's local storage.
pub mod saved {
    /// The name typed on the pre-join screen.
    pub const NAME: &str = "meet.name";
    /// Whether the microphone starts on (`"on"`/`"off"`).
    pub const MICROPHONE: &str = "meet.microphone";
    /// Whether the camera starts on.
    pub const CAMERA: &str = "meet.camera";
    /// The chosen devices, by kind (`meet.device.audioinput`, …).
    pub const DEVICE: &str = "meet.device.";
}

#[cfg(feature = "hydrate")]
mod imp {
    use leptos::prelude::window;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    fn storage() -> Option<leptos::web_sys::Storage> {
        window().local_storage().ok().flatten()
    }

    /// The remembered value of `key`.
    pub fn load(key: &str) -> Option<String> {
        storage()?.get_item(key).ok().flatten()
    }

    /// Remembers `value` under `key` (quietly not, when storage is off).
    pub fn save(key: &str, value: &str) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(key, value);
        }
    }

    /// Milliseconds since the epoch.
    pub fn now_ms() -> f64 {
        js_sys::Date::now()
    }

    /// Opens `path` as a new page (releasing the camera and microphone).
    pub fn go_to(path: &str) {
        let _ = window().location().assign(path);
    }

    /// Whether shortcuts use Cmd (macOS) rather than Ctrl.
    pub fn is_mac() -> bool {
        window()
            .navigator()
            .platform()
            .is_ok_and(|platform| platform.to_ascii_lowercase().contains("mac"))
    }

    /// POSTs `body` to Meet's `path` with the LiveKit `token` as credentials; `Err` with a
    /// message for people when it did not succeed.
    pub async fn post_with_token(path: &str, token: &str, body: &str) -> Result<(), String> {
        send_with_token(path, token, body, false).await
    }

    /// As [`post_with_token`]; with `keepalive`, the request outlives the page (it is sent as
    /// the page is left).
    pub async fn send_with_token(
        path: &str,
        token: &str,
        body: &str,
        keepalive: bool,
    ) -> Result<(), String> {
        let init = leptos::web_sys::RequestInit::new();
        init.set_method("POST");
        // `keepalive` is not in web-sys' `RequestInit`: set on the object itself.
        let _ = js_sys::Reflect::set(
            init.as_ref(),
            &JsValue::from_str("keepalive"),
            &JsValue::from_bool(keepalive),
        );
        init.set_body(&JsValue::from_str(body));
        let headers = leptos::web_sys::Headers::new().map_err(|_| "no headers".to_owned())?;
        let _ = headers.set("content-type", "application/json");
        let _ = headers.set("authorization", &format!("Bearer {token}"));
        init.set_headers(&headers);
        let request = leptos::web_sys::Request::new_with_str_and_init(path, &init)
            .map_err(|_| "bad request".to_owned())?;
        let response = JsFuture::from(window().fetch_with_request(&request))
            .await
            .map_err(|_| "Meet could not be reached.".to_owned())?;
        let response: leptos::web_sys::Response = response.unchecked_into();
        if response.ok() {
            Ok(())
        } else {
            Err(format!("Meet refused ({}).", response.status()))
        }
    }

    /// Calls `on` when the page is being left (closed, reloaded or navigated away from), for as
    /// long as the returned handle lives.
    pub fn on_leaving(on: impl Fn() + 'static) -> Option<Leaving> {
        let listener = wasm_bindgen::closure::Closure::<dyn FnMut(_)>::new(
            move |_: leptos::web_sys::Event| on(),
        );
        window()
            .add_event_listener_with_callback("pagehide", listener.as_ref().unchecked_ref())
            .ok()?;
        Some(Leaving(listener))
    }

    /// A `pagehide` listener; removed when dropped.
    pub struct Leaving(wasm_bindgen::closure::Closure<dyn FnMut(leptos::web_sys::Event)>);

    impl Drop for Leaving {
        fn drop(&mut self) {
            let _ = window()
                .remove_event_listener_with_callback("pagehide", self.0.as_ref().unchecked_ref());
        }
    }

    /// An open Server-Sent Events stream; closed when dropped.
    pub struct Events {
        source: leptos::web_sys::EventSource,
        _listeners: Vec<wasm_bindgen::closure::Closure<dyn FnMut(leptos::web_sys::MessageEvent)>>,
        _on_error: wasm_bindgen::closure::Closure<dyn FnMut(leptos::web_sys::Event)>,
    }

    impl Drop for Events {
        fn drop(&mut self) {
            self.source.close();
        }
    }

    /// Opens the event stream at `path` (with the page's cookies), calling `on` with each event
    /// among `names` and its data. The browser reconnects by itself after a network error; when
    /// it gives up (the server refused the stream), `on` hears [`super::CLOSED`] if it is among
    /// `names`.
    pub fn listen(
        path: &str,
        names: &[&'static str],
        on: impl Fn(&'static str, String) + 'static,
    ) -> Option<Events> {
        let source = leptos::web_sys::EventSource::new(path).ok()?;
        let on = std::rc::Rc::new(on);
        let on_error = {
            let (on, source, wanted) = (on.clone(), source.clone(), names.contains(&super::CLOSED));
            wasm_bindgen::closure::Closure::<dyn FnMut(_)>::new(move |_: leptos::web_sys::Event| {
                if wanted && source.ready_state() == leptos::web_sys::EventSource::CLOSED {
                    on(super::CLOSED, String::new());
                }
            })
        };
        let _ = source.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref());
        let listeners = names
            .iter()
            .filter(|&&name| name != super::CLOSED)
            .map(|&name| {
                let on = on.clone();
                let listener = wasm_bindgen::closure::Closure::<dyn FnMut(_)>::new(
                    move |event: leptos::web_sys::MessageEvent| {
                        on(name, event.data().as_string().unwrap_or_default());
                    },
                );
                let _ = source
                    .add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
                listener
            })
            .collect();
        Some(Events {
            source,
            _listeners: listeners,
            _on_error: on_error,
        })
    }
}

#[cfg(not(feature = "hydrate"))]
mod imp {
    #![allow(clippy::unused_async)]

    pub fn load(_key: &str) -> Option<String> {
        None
    }
    pub fn save(_key: &str, _value: &str) {}
    pub fn now_ms() -> f64 {
        0.0
    }
    pub fn go_to(_path: &str) {}
    pub fn is_mac() -> bool {
        false
    }
    pub async fn post_with_token(_path: &str, _token: &str, _body: &str) -> Result<(), String> {
        Err("not in a browser".to_owned())
    }
    pub async fn send_with_token(
        _path: &str,
        _token: &str,
        _body: &str,
        _keepalive: bool,
    ) -> Result<(), String> {
        Err("not in a browser".to_owned())
    }

    /// No page to leave on the server.
    pub struct Leaving;

    pub fn on_leaving(_on: impl Fn() + 'static) -> Option<Leaving> {
        None
    }

    /// No event streams on the server.
    pub struct Events;

    pub fn listen(
        _path: &str,
        _names: &[&'static str],
        _on: impl Fn(&'static str, String) + 'static,
    ) -> Option<Events> {
        None
    }
}

pub use imp::*;

/// What [`listen`] calls an event stream the browser gave up on (the server refused it, or it
/// was lost and could not be opened again).
pub const CLOSED: &str = "closed";

/// Where a page keeps an open event stream: in the browser a stream holds JavaScript objects,
/// kept on the page's thread; on the server, which renders pages on any thread, there is none.
#[cfg(feature = "hydrate")]
pub type EventsSlot = leptos::prelude::StoredValue<Option<Events>, leptos::prelude::LocalStorage>;
#[cfg(not(feature = "hydrate"))]
pub type EventsSlot = leptos::prelude::StoredValue<Option<Events>>;

/// An empty [`EventsSlot`].
pub fn events_slot() -> EventsSlot {
    leptos::prelude::StoredValue::new_with_storage(None)
}

/// The URL-encoded form of `value`, for a query string.
pub fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

//! The HTML document around [`App`](crate::App), rendered on the server only: `<head>`, the
//! stylesheets, the import map naming the ES module bundles, and the script that loads the wasm
//! bundle and hydrates the page.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::nonce::use_nonce;
use leptos::prelude::*;
use leptos_meta::MetaTags;

use crate::App;
use crate::bundle::Bundle;

/// The response header through which the shell hands the page's script nonce to the server's
/// security-headers layer, which turns it into the `Content-Security-Policy` and removes it.
pub const CSP_NONCE_HEADER: &str = "x-meet-csp-nonce";

/// The built front end's bundles by name (`meet.js`, `meet.wasm`, `meet.css`,
/// `livekit-bridge.js`, …), each at a URL whose file name carries its content hash, so browsers
/// may cache them for good. Names and file names are checked when the site root is read: letters,
/// digits, `-`, `_` and dots only.
///
/// Cheap to clone (one reference count): every page's shell takes a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assets {
    bundles: Arc<BTreeMap<String, String>>,
}

impl Assets {
    /// The site bundle's wasm-bindgen glue module, which loads its wasm and hydrates the page.
    pub const SCRIPT: &str = Bundle::Site.files().0;
    /// The site bundle's wasm.
    pub const WASM: &str = Bundle::Site.files().1;
    /// The meeting bundle's glue module.
    pub const MEETING_SCRIPT: &str = Bundle::Meeting.files().0;
    /// The meeting bundle's wasm.
    pub const MEETING_WASM: &str = Bundle::Meeting.files().1;
    /// The stylesheet.
    pub const STYLESHEET: &str = "meet.css";
    /// The meeting bundle's loader of the call's module.
    pub const MEETING_SPLIT: &str = Bundle::MEETING_SPLIT;
    /// The bundles every site has.
    pub const REQUIRED: [&str; 6] = [
        Self::SCRIPT,
        Self::WASM,
        Self::MEETING_SCRIPT,
        Self::MEETING_WASM,
        Self::MEETING_SPLIT,
        Self::STYLESHEET,
    ];

    /// The bundles at their URLs, by name; `Err(name)` when a required one is missing.
    pub fn new(bundles: BTreeMap<String, String>) -> Result<Self, &'static str> {
        match Self::REQUIRED
            .into_iter()
            .find(|name| !bundles.contains_key(*name))
        {
            Some(missing) => Err(missing),
            None => Ok(Self {
                bundles: Arc::new(bundles),
            }),
        }
    }

    /// The URL of the bundle `name`.
    pub fn url(&self, name: &str) -> Option<&str> {
        self.bundles.get(name).map(String::as_str)
    }

    fn required(&self, name: &str) -> String {
        self.url(name).unwrap_or_default().to_owned()
    }

    /// Every stylesheet bundle's URL.
    pub fn stylesheets(&self) -> Vec<String> {
        self.bundles
            .iter()
            .filter(|(name, _)| name.ends_with(".css"))
            .map(|(_, url)| url.clone())
            .collect()
    }

    /// The import map of a page that `bundle` hydrates: every ES module bundle but the other
    /// wasm bundle's, by its name without `.js` (`import … from "livekit-bridge"`).
    pub fn import_map(&self, bundle: Bundle) -> String {
        let imports: Vec<String> = self
            .bundles
            .iter()
            .filter(|(name, _)| bundle.may_import(name))
            .filter_map(|(name, url)| Some(format!("{:?}:{url:?}", name.strip_suffix(".js")?)))
            .collect();
        format!("{{\"imports\":{{{}}}}}", imports.join(","))
    }
}

/// The whole page for the current request.
pub fn shell(assets: Assets) -> impl IntoView {
    let nonce = use_nonce();
    if let (Some(nonce), Some(response)) = (
        nonce.as_ref(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(value) = http::HeaderValue::from_str(nonce.as_inner())
    {
        response.insert_header(http::HeaderName::from_static(CSP_NONCE_HEADER), value);
    }
    // The bundle carrying this page's code (`bundle`).
    let bundle =
        with_context::<http::request::Parts, _>(|parts| Bundle::for_path(parts.uri.path()))
            .unwrap_or(Bundle::Site);
    let (script, wasm) = bundle.files();
    let (js, wasm) = (assets.required(script), assets.required(wasm));
    let import_map = assets.import_map(bundle);
    let stylesheets = assets.stylesheets();
    // Pages are inert HTML around interactive islands (`bundle`): only the islands carry
    // hydration data, and the script hydrates each through the function the bundle exports
    // under the island's name.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    // `meetBridge` loads the media bridge on demand: only meeting pages call it.
    let hydrate = format!(
        "globalThis.meetBridge = () => import(\"livekit-bridge\"); \
         import({js:?}).then(async (m) => {{ await m.default({{ module_or_path: {wasm:?} }}); \
         m.hydrate(); \
         for (const island of document.querySelectorAll(\"leptos-island\")) \
         m[island.dataset.component](island); \
         m.markHydrated(); }});"
    );
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                {stylesheets
                    .into_iter()
                    .map(|href| view! { <link rel="stylesheet" href=href /> })
                    .collect_view()}
                // Before any module is fetched: a browser ignores an import map that comes
                // after the first module load (the module preload below is one).
                <script type="importmap" nonce=nonce.clone()>{import_map}</script>
                <link rel="modulepreload" href=js.clone() />
                <link rel="preload" href=wasm.clone() r#as="fetch" r#type="application/wasm" crossorigin="" />
                <script type="module" nonce=nonce>{hydrate}</script>
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

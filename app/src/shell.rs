//! The HTML document around [`App`](crate::App), rendered on the server only: `<head>`, the
//! stylesheet and the script that loads the wasm bundle and hydrates the page.

use leptos::nonce::use_nonce;
use leptos::prelude::*;
use leptos_meta::MetaTags;

use crate::App;

/// The response header through which the shell hands the page's script nonce to the server's
/// security-headers layer, which turns it into the `Content-Security-Policy` and removes it.
pub const CSP_NONCE_HEADER: &str = "x-meet-csp-nonce";

/// Where the browser finds the built front end. The file names carry a content hash, so they
/// can be cached for good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assets {
    /// The wasm-bindgen glue module, e.g. `/pkg/meet.3f2a….js`.
    pub js: String,
    /// The wasm bundle, e.g. `/pkg/meet.91bc….wasm`.
    pub wasm: String,
    /// The stylesheet, e.g. `/pkg/meet.77de….css`.
    pub css: String,
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
    let Assets { js, wasm, css } = assets;
    let hydrate = format!(
        "import({js:?}).then(async (m) => {{ await m.default({{ module_or_path: {wasm:?} }}); m.hydrate(); }});"
    );
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=css />
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

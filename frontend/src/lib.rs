//! The wasm entry point: hydrates the server-rendered page. Loaded by the script the shell
//! (`meet_app::shell`) puts in every page.

// The pages' view types nest deeply (Leptos keeps each view's structure in its type).
#![recursion_limit = "256"]

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by the page once the wasm module is instantiated.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(meet_app::App);
    // Marks the page as interactive: end-to-end tests wait for it before typing, and styles
    // may use it.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}

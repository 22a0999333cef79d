//! The wasm entry point: hydrates the server-rendered page. Loaded by the script the shell
//! (`meet_app::shell`) puts in every page.

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by the page once the wasm module is instantiated. Meet's pages are server-rendered HTML
/// with interactive islands (`meet_app::bundle`): this prepares them, then the page's script
/// hydrates each island through the function the bundle exports for it, and marks the page.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A call into meet-app links its code, and with it the islands' exported functions, which
    // nothing in this crate names.
    std::hint::black_box(meet_app::bundle::Bundle::for_path("/"));
    leptos::mount::hydrate_islands();
}

/// Marks the page as interactive: end-to-end tests wait for it before typing, and styles may use
/// it. The page's script calls it once its islands are hydrated.
#[wasm_bindgen(js_name = markHydrated)]
pub fn mark_hydrated() {
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}

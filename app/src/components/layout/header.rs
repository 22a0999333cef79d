//! The banner at the top of every page.

use leptos::prelude::*;

use crate::PRODUCT_NAME;
use crate::components::layout::user_menu::UserMenu;

/// Product name linking home, and the account area.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href="/" aria-label=format!("{PRODUCT_NAME}, home")>
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">{PRODUCT_NAME}</span>
            </a>
            <UserMenu />
        </header>
    }
}

//! The two wasm bundles the pages are hydrated by. One bundle for every page would make the home
//! page carry the conference's code, so the front end is built twice:
//!
//! - the **site** bundle (`meet.js`, `meet.wasm`, feature `site-bundle`): the home page, the page
//!   after a call, recordings, login errors, the "not found" page. These pages are server-rendered
//!   HTML with a few interactive **islands** (Leptos' `#[island]`: the join field, the new-meeting
//!   forms, the feedback form), which the bundle hydrates one by one; the rest of the page, the
//!   router included, has no code in the browser. Links between pages load them from the server.
//!   An island is a plain component in the meeting bundle (`cfg_attr`), which never shows it, so
//!   that its exported hydration function stays out of that bundle;
//! - the **meeting** bundle (`meeting.js`, `meeting.wasm`, feature `meeting-bundle`): the meeting
//!   page (`/abc-defg-hij`, `/weekly-sync`), its pre-join screen and the call.
//!
//! The server picks the bundle from the request's path ([`Bundle::for_path`]). In the browser, a
//! route whose page the bundle does not carry loads that page from the server instead
//! ([`Elsewhere`]), which sends the bundle that carries it. The code of the other bundle's pages
//! is never called, so the linker leaves it out. A build with neither feature (the server's, or a
//! plain `hydrate` build) carries every page.

use leptos::prelude::*;

/// One of the front end's wasm bundles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// Every page but the meeting page.
    Site,
    /// The meeting page.
    Meeting,
}

impl Bundle {
    /// Whether this build carries the site's pages.
    const HAS_SITE: bool = cfg!(feature = "ssr") || !cfg!(feature = "meeting-bundle");
    /// Whether this build carries the meeting page.
    const HAS_MEETING: bool = cfg!(feature = "ssr") || !cfg!(feature = "site-bundle");

    /// The bundle that hydrates the page at `path`: the meeting bundle for a single segment that
    /// no other route takes (`/abc-defg-hij`), the site bundle for everything else. It follows
    /// the routes of [`App`](crate::App); a server test checks it against their list.
    pub fn for_path(path: &str) -> Self {
        match path.strip_prefix('/') {
            Some(segment)
                if !segment.is_empty() && !segment.contains('/') && segment != "feedback" =>
            {
                Self::Meeting
            }
            _ => Self::Site,
        }
    }

    /// The bundle's glue module and wasm, by name in the site's manifest.
    pub const fn files(self) -> (&'static str, &'static str) {
        match self {
            Self::Site => ("meet.js", "meet.wasm"),
            Self::Meeting => ("meeting.js", "meeting.wasm"),
        }
    }

    /// The meeting bundle's loader of the call's module (wasm-split's), which imports the glue.
    pub const MEETING_SPLIT: &str = "meeting-split.js";

    /// The bundle's ES modules that scripts import by name through the page's import map: its
    /// wasm-bindgen glue, and for the meeting [`Self::MEETING_SPLIT`].
    pub const fn modules(self) -> &'static [&'static str] {
        match self {
            Self::Site => const { &[Self::Site.files().0] },
            Self::Meeting => const { &[Self::Meeting.files().0, Self::MEETING_SPLIT] },
        }
    }

    /// The other bundle.
    const fn other(self) -> Self {
        match self {
            Self::Site => Self::Meeting,
            Self::Meeting => Self::Site,
        }
    }

    /// Whether the ES module `name` (`livekit-bridge.js`, `meeting.js`, …) may be named in this
    /// bundle's pages' import map: any but the other bundle's own.
    pub fn may_import(self, name: &str) -> bool {
        !self.other().modules().contains(&name)
    }

    /// The route view of a site page: `page` where this build carries the site's pages,
    /// [`Elsewhere`] where it does not (the page's code then stays out of the build).
    pub fn site<F, V>(page: F) -> impl Fn() -> AnyView + Clone + Send + 'static
    where
        F: Fn() -> V + Clone + Send + 'static,
        V: IntoView + 'static,
    {
        // A constant, so that the compiler drops the branch this build does not take.
        move || carried::<{ Self::HAS_SITE }, _, _>(&page)
    }

    /// The route view of the meeting page: `page` where this build carries it, [`Elsewhere`]
    /// where it does not.
    pub fn meeting<F, V>(page: F) -> impl Fn() -> AnyView + Clone + Send + 'static
    where
        F: Fn() -> V + Clone + Send + 'static,
        V: IntoView + 'static,
    {
        move || carried::<{ Self::HAS_MEETING }, _, _>(&page)
    }
}

/// `page` when `HERE`, else [`Elsewhere`].
fn carried<const HERE: bool, F, V>(page: &F) -> AnyView
where
    F: Fn() -> V,
    V: IntoView + 'static,
{
    if HERE {
        page().into_any()
    } else {
        view! { <Elsewhere /> }.into_any()
    }
}

/// A page of the other bundle, reached by a link inside this one: loads it from the server.
#[component]
fn Elsewhere() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let address = |pathname: String, search: String, hash: String| pathname + &search + &hash;
        let location = leptos_router::hooks::use_location();
        let target = address(
            location.pathname.get_untracked(),
            location.search.get_untracked(),
            location.hash.get_untracked(),
        );
        // After the router's own work: it puts the new address in the history once the route
        // is shown, and the page then replaces that entry rather than keep it twice.
        set_timeout(
            move || {
                let browser = window().location();
                let here = address(
                    browser.pathname().unwrap_or_default(),
                    browser.search().unwrap_or_default(),
                    browser.hash().unwrap_or_default(),
                );
                let _ = if here == target {
                    browser.replace(&target)
                } else {
                    browser.assign(&target)
                };
            },
            std::time::Duration::ZERO,
        );
    }
    view! { <p class="muted" role="status">"Loading the page…"</p> }
}

#[cfg(test)]
mod tests {
    use super::Bundle;

    #[test]
    fn meeting_pages_get_the_meeting_bundle_and_every_other_page_the_site_bundle() {
        for path in ["/abc-defg-hij", "/weekly-sync", "/ABCDEFGHIJ", "/x"] {
            assert_eq!(Bundle::for_path(path), Bundle::Meeting, "{path}");
        }
        for path in [
            "/",
            "",
            "/feedback",
            "/login/error",
            "/recording/0f8fad5b-d9cb-469f-a165-70867728950e",
            "/abc-defg-hij/",
            "/a/b",
            "//",
        ] {
            assert_eq!(Bundle::for_path(path), Bundle::Site, "{path}");
        }
    }
}

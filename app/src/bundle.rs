//! The two wasm bundles the pages are hydrated by. Every page is server-rendered HTML with a few
//! interactive **islands** (Leptos' `#[island]`), which a bundle hydrates one by one: the rest of
//! the page, the router included, has no code in the browser, and links between pages load them
//! from the server. One bundle for every island would make the home page carry the conference's
//! code, so the front end is built twice:
//!
//! - the **site** bundle (`meet.js`, `meet.wasm`, feature `site-bundle`): the islands of the home
//!   page (the join field, the new-meeting forms), of the page after a call (the feedback form),
//!   and nothing for recordings, login errors and the "not found" page;
//! - the **meeting** bundle (`meeting.js`, `meeting.wasm`, feature `meeting-bundle`): the meeting
//!   page's island (`/abc-defg-hij`, `/weekly-sync`): its pre-join screen, then the call, whose
//!   code is a module of its own (`crate::meeting`).
//!
//! The server picks the bundle from the request's path ([`Bundle::for_path`]). An island is a
//! plain component in the other bundle's build (`cfg_attr`): that build never shows it, and its
//! exported hydration function, which would keep its code, stays out. A build with neither
//! feature (the server's, or a plain `hydrate` build) has every island.

/// One of the front end's wasm bundles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// Every page but the meeting page.
    Site,
    /// The meeting page.
    Meeting,
}

impl Bundle {
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

//! The home page: start a new meeting, or join one with its code.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::join_form::JoinForm;

/// `/`
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="" />
        <section class="hero" aria-labelledby="home-title">
            <h1 id="home-title">"Video meetings for everyone"</h1>
            <p class="lead">
                "Meet with colleagues and guests in your browser: camera, microphone, screen sharing and chat, with nothing to install."
            </p>
            <div class="home-actions">
                // A plain link: the server picks a fresh meeting code and redirects to it, with or
                // without JavaScript. `rel="external"` keeps the client router from handling it.
                <a class="button button-primary" href="/new" rel="external nofollow">
                    "New meeting"
                </a>
                <JoinForm />
            </div>
        </section>
    }
}

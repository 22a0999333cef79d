//! The home page: start a new meeting, join one with its code, and (logged in) one's meetings.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::join_form::JoinForm;
use crate::components::my_rooms::MyRooms;
use crate::components::new_meeting::NewMeeting;
use crate::components::viewer::use_viewer;

/// `/`
#[component]
pub fn HomePage() -> impl IntoView {
    let viewer = use_viewer();
    let logged_in = viewer.user.is_some();
    view! {
        <Title text="" />
        <section class="hero" aria-labelledby="home-title">
            <h1 id="home-title">"Video meetings for everyone"</h1>
            <p class="lead">
                "Meet with colleagues and guests in your browser: camera, microphone, screen sharing and chat, with nothing to install."
            </p>
            <div class="home-actions">
                <NewMeeting viewer />
                <JoinForm />
            </div>
        </section>
        {logged_in.then(|| view! {
            <section class="my-rooms" aria-labelledby="my-rooms-title">
                <h2 id="my-rooms-title">"Your meetings"</h2>
                <MyRooms />
            </section>
        })}
    }
}

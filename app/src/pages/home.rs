//! The home page: start a new meeting, join one with its code, and (logged in) one's meetings.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::home::join_form::JoinForm;
use crate::components::home::my_rooms::MyRooms;
use crate::components::home::new_meeting::NewMeeting;
use crate::components::requester::use_requester;

/// `/`
#[component]
pub fn HomePage() -> impl IntoView {
    let requester = use_requester();
    let logged_in = requester.user.is_some();
    view! {
        <Title text="" />
        <section class="hero" aria-labelledby="home-title">
            <h1 id="home-title">"Video meetings for everyone"</h1>
            <p class="lead">
                "Meet with colleagues and guests in your browser: camera, microphone, screen sharing and chat, with nothing to install."
            </p>
            <div class="home-actions">
                <NewMeeting requester />
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

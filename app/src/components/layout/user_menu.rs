//! The header's account area: "Log in" for visitors, the user's name with a menu for staff.
//! Rendered on the server with the page (no flash of the wrong state), and without JavaScript
//! the menu still opens (`<details>`).

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use meet_types::{RequesterView, UserView};

use crate::components::requester::use_requester;
use crate::links;

/// "Log in", or the user's menu.
#[component]
pub fn UserMenu() -> impl IntoView {
    match use_requester() {
        RequesterView {
            user: Some(user), ..
        } => view! { <AccountMenu user /> }.into_any(),
        RequesterView {
            user: None,
            login_enabled: true,
            ..
        } => view! { <LoginLink /> }.into_any(),
        RequesterView {
            user: None,
            login_enabled: false,
            ..
        } => ().into_any(),
    }
}

/// Log in, coming back to the current page.
#[component]
fn LoginLink() -> impl IntoView {
    let location = use_location();
    let href = move || {
        links::login(&links::path_and_query(
            &location.pathname.get(),
            &location.search.get(),
        ))
    };
    view! {
        // `rel="external"`: a server route, not a page of the client router.
        <a class="button button-secondary" href=href rel="external">"Log in"</a>
    }
}

/// The logged-in user's name, opening a menu with their email and "Log out".
#[component]
fn AccountMenu(user: UserView) -> impl IntoView {
    let name = user.display_name().to_owned();
    view! {
        <details class="user-menu">
            <summary aria-label=format!("Account: {name}")>
                <span class="avatar" aria-hidden="true">{initials(&name)}</span>
                <span class="user-name">{name.clone()}</span>
            </summary>
            <div class="user-menu-panel">
                {user.email.map(|email| view! { <p class="user-email">{email}</p> })}
                <a class="user-menu-item" href=links::LOGOUT rel="external">"Log out"</a>
            </div>
        </details>
    }
}

/// Up to two initials of `name`, for the avatar.
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_take_the_first_letters_of_two_words() {
        assert_eq!(initials("Alice Martin"), "AM");
        assert_eq!(initials("élise de la Tour"), "ÉD");
        assert_eq!(initials("bob"), "B");
        assert_eq!(initials("alice@example.test"), "A");
        assert_eq!(initials(""), "");
    }
}

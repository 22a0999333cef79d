//! `/login/error?reason=…&returnTo=…`: a login did not succeed. Says what happened and offers
//! to try again.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use meet_types::LoginFailure;

use crate::links;

/// The login error page.
#[component]
pub fn LoginErrorPage() -> impl IntoView {
    let query = use_query_map();
    let reason = query.with_untracked(|q| q.get("reason"));
    let failure = reason.as_deref().and_then(LoginFailure::from_code);
    let return_to = query
        .with_untracked(|q| q.get("returnTo"))
        .filter(|path| path.starts_with('/') && !path.starts_with("//"))
        .unwrap_or_else(|| "/".to_owned());
    let (title, explanation, retry) = match failure {
        Some(failure) => (failure.title(), failure.explanation(), failure.retryable()),
        None => (
            "Login failed",
            "Something went wrong during the login. Try again.",
            true,
        ),
    };
    view! {
        <Title text=title />
        <section class="message-page" aria-labelledby="login-error-title">
            <h1 id="login-error-title">{title}</h1>
            <p>{explanation}</p>
            <div class="actions">
                {retry.then(|| view! {
                    <a class="button button-primary" href=links::login(&return_to) rel="external">
                        "Try again"
                    </a>
                })}
                <a class="button button-secondary" href="/">"Back to the home page"</a>
            </div>
        </section>
    }
}

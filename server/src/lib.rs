//! The `meet` server: configuration, the HTTP router (pages rendered by Leptos, static files,
//! probes) and startup. [`build_router`] is shared by `main` and the integration tests.

// Rendering the pages instantiates Leptos' view types, which nest as deep as the views (the
// conference's), deeper than the compiler's default limit in release builds.
#![recursion_limit = "256"]

pub mod api;
pub mod config;
pub mod cookies;
pub mod login;
pub mod mailer;
pub mod metrics;
pub mod middleware;
pub mod posthog;
pub mod routes;
pub mod security;
pub mod serve;
pub mod site;
pub mod state;
pub mod summary;
pub mod telemetry;

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::routing::get;
use http::header::{CACHE_CONTROL, HeaderValue};
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use meet_app::App;
use meet_app::shell::shell;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use crate::config::Config;
pub use crate::state::AppState;

/// The pages' routes, generated once per process. Leptos generates them by rendering the app
/// with resource loading suspended process-wide (a global flag), so a page of another server
/// in the same process (tests run many) that starts loading its data at that moment would wait
/// for it forever. Generating them once, before any server of the process can serve, rules
/// that out.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The span of a request in the logs: its id (the response's `x-request-id`), method and path,
/// never its query, which can carry secrets (an OIDC callback's code and state, a login hint).
/// At the highest level, so that whatever `RUST_LOG` keeps of a request names it.
fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    let id = request
        .headers()
        .get(metrics::REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    tracing::error_span!(
        "request",
        id,
        method = %request.method(),
        path = %request.uri().path(),
    )
}

/// The complete application: pages, API, login, static files, probes and the layers around
/// them.
pub fn build_router(state: AppState) -> std::io::Result<Router> {
    let pages = {
        let assets = state.assets.clone();
        move || shell(assets.clone())
    };
    // The server functions and pages reach the domain through this context.
    let context = {
        let services = Arc::new(state.services.clone());
        let origin =
            meet_app::components::room::meeting_link::PublicOrigin(state.config.public_url());
        move || {
            leptos::context::provide_context(services.clone());
            leptos::context::provide_context(origin.clone());
        }
    };
    let not_found =
        leptos_axum::render_app_to_stream_in_order_with_context(context.clone(), pages.clone());
    let security = security::SecurityHeaders::new(
        &state.config.livekit_url,
        state.config.public_url().starts_with("https://"),
    );
    let sessions = state.sessions.clone().layer(&state.config.public_url());

    // Everything that depends on who is asking: the requester resolved (from the session cookie,
    // when there is one), and cross-site writes refused before any of it. Only the login routes,
    // which write and end sessions, go through `tower-sessions`.
    let dynamic = Router::new()
        .route("/join", get(routes::meetings::join))
        .route(
            "/media/recordings/{file}",
            get(routes::recordings::download),
        )
        .route("/admin/usage", get(routes::usage::page))
        .route("/admin/usage.csv", get(routes::usage::csv))
        .route("/events/rooms/{id}/entry", get(routes::lobby_events::entry))
        .route(
            "/events/rooms/{id}/waiting",
            get(routes::lobby_events::waiting),
        )
        .merge(login::routes::router().layer(sessions))
        .merge(api::router())
        .merge(
            Router::new()
                .leptos_routes_with_context(&state, page_routes(), context, pages)
                .route_layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    middleware::meeting_pages::serve,
                )),
        )
        .fallback(not_found)
        .layer(axum::middleware::from_fn(
            middleware::server_fn_status::set_error_status,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::fairness::limit_per_user,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::requester::resolve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            middleware::csrf::OwnOrigin::new(
                &state.config.public_url(),
                state.config.public_url.is_some(),
            ),
            middleware::csrf::refuse_cross_site,
        ))
        .layer(axum::middleware::from_fn(
            middleware::body::read_within_limits,
        ));

    let router = Router::new()
        .route("/healthz", get(routes::health::healthz))
        .route("/metrics", get(metrics::scrape))
        .route("/readyz", get(routes::health::readyz))
        .merge(site::routes(&state.config.site_root)?)
        .merge(dynamic)
        .layer(SetResponseHeaderLayer::if_not_present(
            CACHE_CONTROL,
            HeaderValue::from_static("no-cache, private"),
        ))
        .layer(axum::middleware::from_fn_with_state(
            security,
            security::add_security_headers,
        ))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::count_requests,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(axum::middleware::from_fn(metrics::request_id))
        .with_state(state);
    Ok(router)
}

#[cfg(test)]
mod tests {
    use meet_app::bundle::Bundle;

    use super::page_routes;

    /// `Bundle::for_path` keeps its own idea of the routes: every page route but the meeting
    /// page's (`/:slug`, one segment that is a parameter) must get the site bundle, and the
    /// meeting page the meeting bundle. A new single-segment page added to the routes and not to
    /// `for_path` would be hydrated by the wrong bundle; this says so.
    #[test]
    fn each_page_route_gets_the_bundle_that_carries_it() {
        let routes = page_routes();
        let sample = |path: &str| {
            path.split('/')
                .map(
                    |segment| match segment.starts_with(':') || segment.starts_with('{') {
                        true => "abc-defg-hij",
                        false => segment,
                    },
                )
                .collect::<Vec<_>>()
                .join("/")
        };
        let is_meeting_page =
            |path: &str| path.matches('/').count() == 1 && path[1..].starts_with([':', '{']);
        let mut meeting_pages = 0;
        for route in &routes {
            let path = route.path();
            let expected = if is_meeting_page(path) {
                meeting_pages += 1;
                Bundle::Meeting
            } else {
                Bundle::Site
            };
            assert_eq!(Bundle::for_path(&sample(path)), expected, "{path}");
        }
        assert_eq!(
            meeting_pages,
            1,
            "{:?}",
            routes.iter().map(|r| r.path()).collect::<Vec<_>>()
        );
        assert!(routes.len() >= 5, "{}", routes.len());
    }
}

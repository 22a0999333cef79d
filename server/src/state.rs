//! The one application state, built once at startup and shared by every handler.

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use meet_app::shell::Assets;

use meet_domain::livekit::rooms::{LiveKitRooms, LiveKitServer};
use meet_domain::livekit::token::TokenSettings;
use meet_domain::services::ServicesBuilder;
use meet_domain::{RoomSettings, Services, Store};

use crate::config::Config;
use crate::login::Login;
use crate::login::session::MeetSessionStore;
use crate::site::{self, SiteError};

/// How long Meet waits for the LiveKit server's API.
const LIVEKIT_TIMEOUT: Duration = Duration::from_secs(5);

/// Everything a request may need. Cheap to clone (one reference count): handlers and
/// middleware clone it on every request.
#[derive(Clone)]
pub struct AppState(Arc<State>);

impl Deref for AppState {
    type Target = State;

    fn deref(&self) -> &State {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for Services {
    fn from_ref(state: &AppState) -> Self {
        state.services.clone()
    }
}

/// The parts of [`AppState`].
pub struct State {
    pub config: Arc<Config>,
    pub services: Services,
    pub leptos_options: LeptosOptions,
    pub assets: Assets,
    pub login: Login,
    pub sessions: MeetSessionStore,
    /// The requests each user has in flight.
    pub per_user: crate::middleware::fairness::PerUserLimit,
    /// How Meet's cookies are written.
    pub cookies: crate::cookies::CookiePolicy,
    /// This app's Prometheus metrics.
    pub metrics: crate::metrics::Metrics,
    /// Meeting pages remembered as rendered.
    pub meeting_pages: crate::middleware::meeting_pages::MeetingPages,
}

/// Why the state could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error(transparent)]
    Site(#[from] SiteError),
    #[error(transparent)]
    Login(#[from] crate::login::oidc::LoginSetupError),
    #[error(transparent)]
    Recording(#[from] crate::config::RecordingSetupError),
    #[error(transparent)]
    Email(#[from] crate::config::EmailSetupError),
    #[error(transparent)]
    Analytics(#[from] crate::config::AnalyticsSetupError),
    /// The SMTP transport could not be built from the email settings.
    #[error("EMAIL_HOST: {0}")]
    Smtp(meet_domain::mailer::MailError),
}

impl AppState {
    /// The state for `config` over an opened, migrated `store`, with the production systems in
    /// every slot of the domain's services unless [`AppStateBuilder::services`] fills it with
    /// another.
    pub fn builder(config: Config, store: Store) -> AppStateBuilder {
        let analytics = config.analytics.analytics(&store);
        let mut services =
            Services::builder(store, room_settings(&config), livekit_server(&config));
        let recording = config.recording.recordings(
            livekit_api_url(&config),
            &config.livekit_api_key,
            &config.livekit_api_secret,
            &config.public_url(),
        );
        let mut setup = match recording {
            Ok(Some(recordings)) => {
                services = services.recordings(recordings);
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(error) => Err(StateError::from(error)),
        };
        match analytics {
            Ok(analytics) => services = services.analytics(analytics),
            Err(error) => setup = setup.and(Err(error.into())),
        }
        let operators = config
            .analytics
            .meet_admin_emails
            .0
            .iter()
            .map(String::as_str);
        services = services.operators(meet_domain::analytics::usage::Operators::new(operators));
        match config.email.smtp(&config.public_url()) {
            Ok(Some(smtp)) => match crate::mailer::SmtpMailer::new(&smtp) {
                Ok(mailer) => services = services.mailer(Arc::new(mailer)),
                Err(error) => setup = setup.and(Err(StateError::Smtp(error))),
            },
            Ok(None) => {}
            Err(error) => setup = setup.and(Err(error.into())),
        }
        AppStateBuilder {
            config,
            services,
            setup,
        }
    }

    /// As [`Self::builder`] with nothing replaced.
    pub fn new(config: Config, store: Store) -> Result<Self, StateError> {
        Self::builder(config, store).build()
    }
}

/// Builds [`AppState`]. Tests fill the services' slots with fakes, and reach the very services
/// the running app uses through the state.
#[must_use]
pub struct AppStateBuilder {
    config: Config,
    services: ServicesBuilder,
    /// Whether the recording and email settings could be read (their error stops the start).
    setup: Result<(), StateError>,
}

impl AppStateBuilder {
    /// Fills slots of the domain's services (LiveKit, the clock, the notifier, …).
    pub fn services(mut self, fill: impl FnOnce(ServicesBuilder) -> ServicesBuilder) -> Self {
        self.services = fill(self.services);
        self
    }

    /// Fails when the built front end is missing from the site root, or the login or recording
    /// settings are unusable.
    pub fn build(self) -> Result<AppState, StateError> {
        let Self {
            config,
            services,
            setup,
        } = self;
        setup?;
        let assets = site::load_assets(&config.site_root)?;
        let login = Login::from_config(&config)?;
        let services = services.build();
        tokio::spawn(meet_domain::lobby::keep_alive(services.clone()));
        tokio::spawn(meet_domain::recording::reconcile_forever(services.clone()));
        tokio::spawn(meet_domain::recording::purge_expired_forever(
            services.clone(),
        ));
        if config.analytics.analytics_backend.db && services.analytics.is_on() {
            tokio::spawn(meet_domain::analytics::purge_forever(
                services.store.clone(),
                services.clock.clone(),
                config.analytics.analytics_retention_days,
            ));
        }
        let sessions = MeetSessionStore::new(services.sessions.clone());
        let leptos_options = LeptosOptions::builder()
            .output_name(site::OUTPUT_NAME)
            .site_root(config.site_root.to_string_lossy().into_owned())
            .site_pkg_dir(site::PKG_DIR)
            .site_addr(config.listen_addr)
            .build();
        let cookies = crate::cookies::CookiePolicy::for_public_url(&config.public_url());
        Ok(AppState(Arc::new(State {
            config: Arc::new(config),
            services,
            leptos_options,
            assets,
            login,
            sessions,
            per_user: Default::default(),
            cookies,
            metrics: crate::metrics::Metrics::new(),
            meeting_pages: Default::default(),
        })))
    }
}

/// The address of the LiveKit server's API, for Meet's own calls.
fn livekit_api_url(config: &Config) -> &str {
    config
        .rooms
        .livekit_api_url
        .as_deref()
        .unwrap_or(&config.livekit_url)
}

/// The LiveKit server the configuration names, for Meet's own calls.
fn livekit_server(config: &Config) -> Arc<dyn LiveKitRooms> {
    Arc::new(LiveKitServer::new(
        livekit_api_url(config),
        &config.livekit_api_key,
        config.livekit_api_secret.expose(),
        LIVEKIT_TIMEOUT,
    ))
}

/// The deployment's room settings, from the configuration.
pub(crate) fn room_settings(config: &Config) -> RoomSettings {
    let rooms = &config.rooms;
    RoomSettings {
        allow_unregistered_rooms: rooms.allow_unregistered_rooms,
        default_access_level: rooms.default_access_level,
        authenticated_can_edit_display_name: rooms.authenticated_can_edit_display_name,
        max_rooms_per_user: rooms.max_rooms_per_user,
        livekit_timeout: LIVEKIT_TIMEOUT,
        request_entry_limit: rooms.request_entry_throttle_rates,
        token: TokenSettings {
            url: config.livekit_url.clone(),
            api_key: config.livekit_api_key.clone(),
            api_secret: config.livekit_api_secret.clone(),
            ttl: Duration::from_secs(u64::from(rooms.livekit_token_ttl)),
            default_sources: rooms.livekit_default_sources.clone(),
        },
    }
}

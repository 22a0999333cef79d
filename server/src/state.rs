//! The one application state, built once at startup and shared by every handler.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use meet_app::shell::Assets;
use meet_domain::Store;

use crate::auth::Auth;
use crate::auth::session::MeetSessionStore;
use crate::config::Config;
use crate::site::{self, SiteError};

/// Everything a request may need. Cheap to clone.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub leptos_options: LeptosOptions,
    pub assets: Assets,
    pub auth: Auth,
    pub sessions: MeetSessionStore,
}

/// Why the state could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error(transparent)]
    Site(#[from] SiteError),
    #[error("{0}")]
    Config(String),
    #[error("cannot prepare the sessions table: {0}")]
    Sessions(#[from] sqlx::Error),
}

impl AppState {
    /// Builds the state from the configuration and an opened, migrated store. Fails when the
    /// built front end is missing from the site root or the login settings are unusable.
    pub async fn new(config: Config, store: Store) -> Result<Self, StateError> {
        let assets = site::load_assets(&config.site_root)?;
        let auth = Auth::from_config(&config).map_err(StateError::Config)?;
        let sessions = MeetSessionStore::new(&store).await?;
        let leptos_options = LeptosOptions::builder()
            .output_name(site::OUTPUT_NAME)
            .site_root(config.site_root.to_string_lossy().into_owned())
            .site_pkg_dir(site::PKG_DIR)
            .site_addr(config.listen_addr)
            .build();
        Ok(Self {
            config: Arc::new(config),
            store,
            leptos_options,
            assets,
            auth,
            sessions,
        })
    }
}

//! Login: the OpenID Connect relying party, its routes, the logins in progress (signed cookies)
//! and the sessions of logged-in people.

pub mod cookies;
pub mod oidc;
pub mod return_to;
pub mod routes;
pub mod session;

use std::sync::Arc;
use std::time::Duration;

use meet_domain::sign_in::{ClaimNames, SignInPolicy};

use crate::config::Config;

/// What the login routes need, built once from the configuration.
#[derive(Clone)]
pub struct Login {
    /// The identity provider; `None` when login is not configured.
    pub provider: Option<Arc<oidc::OidcProvider>>,
    pub policy: SignInPolicy,
    pub claim_names: ClaimNames,
    /// How long a login lasts.
    pub session_lifetime: Duration,
    /// Logins and logouts in progress, kept in signed cookies.
    pub cookies: cookies::LoginCookies,
}

impl Login {
    /// From the configuration; fails on an unusable issuer or public URL.
    pub fn from_config(config: &Config) -> Result<Self, oidc::LoginSetupError> {
        let oidc = &config.oidc;
        let provider = if oidc.enabled() {
            Some(Arc::new(oidc::OidcProvider::new(
                oidc,
                &config.public_url(),
            )?))
        } else {
            None
        };
        Ok(Self {
            provider,
            policy: SignInPolicy {
                create_users: oidc.create_user,
                fallback_to_email: oidc.fallback_to_email,
            },
            claim_names: ClaimNames {
                full_name: oidc.fullname_fields.clone(),
                short_name: oidc.shortname_field.clone(),
            },
            session_lifetime: Duration::from_secs(u64::from(config.session_cookie_age)),
            cookies: cookies::LoginCookies::new(
                config.livekit_api_secret.expose().as_bytes(),
                crate::cookies::CookiePolicy::for_public_url(&config.public_url()),
            ),
        })
    }
}

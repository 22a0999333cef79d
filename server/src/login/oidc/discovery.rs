//! Discovery of the provider's metadata and keys: cached for [`METADATA_TTL`], one at a time,
//! bounded by [`DISCOVERY_TIMEOUT`], and remembered for [`FAILURE_MEMORY`] when it fails, so that
//! a hung provider makes logins fail fast and independently rather than queue.

use std::sync::Arc;
use std::sync::PoisonError;
use std::sync::atomic::Ordering;
use std::time::Instant;

use openidconnect::{EndSessionUrl, JsonWebKeySet, JsonWebKeySetUrl, ProviderMetadataWithLogout};

use super::{DISCOVERY_TIMEOUT, FAILURE_MEMORY, METADATA_TTL, OidcError, OidcProvider};

/// The provider's metadata (with its keys), and when it was fetched.
pub(super) struct Discovered {
    pub(super) metadata: ProviderMetadataWithLogout,
    pub(super) fetched: Instant,
}

impl OidcProvider {
    /// The provider metadata: discovered now if not yet known or stale, at most one discovery at
    /// a time and within [`DISCOVERY_TIMEOUT`]. After a failure, and for [`FAILURE_MEMORY`],
    /// answers at once: with the stale metadata when there is some, else unavailable.
    pub(super) async fn metadata(&self) -> Result<Arc<Discovered>, OidcError> {
        if let Some(fresh) = self.fresh() {
            return Ok(fresh);
        }
        if self.failing() {
            return self.stale_or(OidcError::unavailable("discovery", "it failed recently"));
        }
        let Ok(_turn) = tokio::time::timeout(DISCOVERY_TIMEOUT, self.discovering.lock()).await
        else {
            return self.stale_or(OidcError::unavailable("discovery", "it is taking too long"));
        };
        if let Some(fresh) = self.fresh() {
            return Ok(fresh);
        }
        if self.failing() {
            return self.stale_or(OidcError::unavailable("discovery", "it failed recently"));
        }
        let outcome = match tokio::time::timeout(DISCOVERY_TIMEOUT, self.discover()).await {
            Ok(outcome) => outcome,
            Err(elapsed) => Err(OidcError::unavailable("discovery", elapsed)),
        };
        match outcome {
            Ok(discovered) => {
                let discovered = Arc::new(discovered);
                *self
                    .discovered
                    .write()
                    .unwrap_or_else(PoisonError::into_inner) = Some(discovered.clone());
                self.refresh.store(false, Ordering::Relaxed);
                Ok(discovered)
            }
            Err(error) => {
                tracing::warn!(%error, "identity provider discovery failed");
                *self
                    .failing_until
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) =
                    Some(Instant::now() + FAILURE_MEMORY);
                self.stale_or(error)
            }
        }
    }

    /// The metadata, when known and fresh.
    fn fresh(&self) -> Option<Arc<Discovered>> {
        if self.refresh.load(Ordering::Relaxed) {
            return None;
        }
        self.known()
            .filter(|discovered| discovered.fetched.elapsed() < METADATA_TTL)
    }

    /// The latest metadata, however old.
    pub(super) fn known(&self) -> Option<Arc<Discovered>> {
        self.discovered
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn failing(&self) -> bool {
        self.failing_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some_and(|until| Instant::now() < until)
    }

    fn stale_or(&self, error: OidcError) -> Result<Arc<Discovered>, OidcError> {
        self.known().ok_or(error)
    }

    /// Fetches the discovery document and key set, then applies the configured overrides.
    async fn discover(&self) -> Result<Discovered, OidcError> {
        let mut metadata =
            ProviderMetadataWithLogout::discover_async(self.issuer.clone(), &self.http)
                .await
                .map_err(|error| OidcError::unavailable("discovery", error))?;
        let config = &self.config;
        if let Some(url) = &config.authorization_endpoint {
            metadata =
                metadata.set_authorization_endpoint(openidconnect::AuthUrl::from_url(url.clone()));
        }
        if let Some(url) = &config.token_endpoint {
            metadata =
                metadata.set_token_endpoint(Some(openidconnect::TokenUrl::from_url(url.clone())));
        }
        if let Some(url) = &config.userinfo_endpoint {
            metadata = metadata
                .set_userinfo_endpoint(Some(openidconnect::UserInfoUrl::from_url(url.clone())));
        }
        if let Some(url) = &config.jwks_endpoint {
            let jwks_url = JsonWebKeySetUrl::from_url(url.clone());
            let jwks = JsonWebKeySet::fetch_async(&jwks_url, &self.http)
                .await
                .map_err(|error| OidcError::unavailable("key set", error))?;
            metadata = metadata.set_jwks_uri(jwks_url).set_jwks(jwks);
        }
        if let Some(url) = &config.logout_endpoint {
            metadata.additional_metadata_mut().end_session_endpoint =
                Some(EndSessionUrl::from_url(url.clone()));
        }
        Ok(Discovered {
            metadata,
            fetched: Instant::now(),
        })
    }

    /// Marks the metadata stale, so the next login fetches it (and fresh keys) again.
    pub(super) fn refresh_metadata(&self) {
        self.refresh.store(true, Ordering::Relaxed);
    }
}

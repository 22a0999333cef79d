//! The OpenID Connect relying party: discovery (cached; one at a time, bounded in time, and
//! remembered when it fails, so that a hung provider makes logins fail fast and independently
//! rather than queue), the authorisation request (PKCE S256, `state`, `nonce`), the code exchange
//! with ID token verification, userinfo as JSON or as a signed JWT, and RP-initiated logout
//! (which never waits for the provider).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthPrompt, CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreIdTokenClaims,
};
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AuthType, AuthorizationCode, ClientId, ClientSecret,
    CsrfToken, EndSessionUrl, IssuerUrl, JsonWebKeySet, JsonWebKeySetUrl, LoginHint, LogoutRequest,
    Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl,
    ProviderMetadataWithLogout, RedirectUrl, Scope, TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};

use crate::config::{ClientAuthMethod, OidcConfig};

/// Paths of the login routes, the same as La Suite Meet's.
pub const CALLBACK_PATH: &str = "/api/v1.0/callback/";
pub const LOGOUT_CALLBACK_PATH: &str = "/api/v1.0/logout-callback/";

/// How long discovered metadata (and the provider's keys) are trusted before being fetched again.
const METADATA_TTL: Duration = Duration::from_secs(3600);
/// Time allowed to each request to the provider.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);
/// Time allowed to discovery (the document and the key set), waiting for another one included.
pub const DISCOVERY_TIMEOUT: Duration = Duration::from_secs(5);
/// After a failed discovery, logins fail at once for this long instead of trying again.
pub const FAILURE_MEMORY: Duration = Duration::from_secs(10);

/// Why talking to the provider failed.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// Discovery, the key set, the token or the userinfo endpoint could not be reached or
    /// answered with a server error.
    #[error("identity provider unavailable: {0}")]
    Unavailable(String),
    /// The provider refused the code (expired, already used, wrong PKCE verifier, wrong client).
    #[error("identity provider refused the code: {0}")]
    CodeRejected(String),
    /// A token or the userinfo answer failed verification.
    #[error("identity provider's answer failed verification: {0}")]
    Invalid(String),
}

/// What the browser must be sent to, and what to remember until it comes back.
pub struct AuthorizationRequest {
    pub url: url::Url,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// A completed login: verified identity and claims.
pub struct VerifiedLogin {
    /// The `sub` of the ID token (the userinfo `sub` is checked against it).
    pub subject: String,
    /// Every userinfo claim, by name.
    pub claims: serde_json::Map<String, serde_json::Value>,
    /// The raw ID token, kept for `id_token_hint` at logout.
    pub id_token: String,
}

/// Userinfo claims beyond the standard ones (ProConnect's `usual_name`, `siret`, …).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct OtherClaims(serde_json::Map<String, serde_json::Value>);
impl AdditionalClaims for OtherClaims {}

type Client = openidconnect::Client<
    openidconnect::EmptyAdditionalClaims,
    openidconnect::core::CoreAuthDisplay,
    CoreGenderClaim,
    openidconnect::core::CoreJweContentEncryptionAlgorithm,
    openidconnect::core::CoreJsonWebKey,
    CoreAuthPrompt,
    openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    openidconnect::core::CoreTokenResponse,
    openidconnect::core::CoreTokenIntrospectionResponse,
    openidconnect::core::CoreRevocableToken,
    openidconnect::core::CoreRevocationErrorResponse,
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

struct Discovered {
    metadata: ProviderMetadataWithLogout,
    fetched: Instant,
}

/// The provider, as configured and discovered.
pub struct OidcProvider {
    config: OidcConfig,
    issuer: IssuerUrl,
    redirect_url: RedirectUrl,
    post_logout_url: PostLogoutRedirectUrl,
    http: openidconnect::reqwest::Client,
    /// The latest metadata discovered, fresh or stale.
    discovered: RwLock<Option<Arc<Discovered>>>,
    /// Set when the keys may have changed: the next login discovers again.
    refresh: AtomicBool,
    /// Until when discovery is known to fail.
    failing_until: Mutex<Option<Instant>>,
    /// One discovery at a time.
    discovering: tokio::sync::Mutex<()>,
}

impl OidcProvider {
    /// A provider for `config` (login must be enabled), with Meet reachable at `public_url`.
    /// Nothing is fetched yet: discovery happens at the first login, so Meet starts even when
    /// the provider is down.
    pub fn new(config: &OidcConfig, public_url: &str) -> Result<Self, String> {
        let issuer = config
            .issuer_url
            .as_ref()
            .ok_or("OIDC_ISSUER_URL is not set")?;
        let issuer = IssuerUrl::new(issuer.as_str().trim_end_matches('/').to_owned())
            .map_err(|error| format!("OIDC_ISSUER_URL: {error}"))?;
        let redirect_url = RedirectUrl::new(format!("{public_url}{CALLBACK_PATH}"))
            .map_err(|error| format!("MEET_PUBLIC_URL: {error}"))?;
        let post_logout_url =
            PostLogoutRedirectUrl::new(format!("{public_url}{LOGOUT_CALLBACK_PATH}"))
                .map_err(|error| format!("MEET_PUBLIC_URL: {error}"))?;
        // No redirects: a provider answering a redirect could send our requests anywhere. No idle
        // connections kept: logins are few and far between, and a connection the provider closes
        // (after its keep-alive timeout) just as a login reuses it fails that login.
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .timeout(PROVIDER_TIMEOUT)
            .build()
            .map_err(|error| format!("cannot build the HTTP client: {error}"))?;
        Ok(Self {
            config: config.clone(),
            issuer,
            redirect_url,
            post_logout_url,
            http,
            discovered: RwLock::new(None),
            refresh: AtomicBool::new(false),
            failing_until: Mutex::new(None),
            discovering: tokio::sync::Mutex::new(()),
        })
    }

    /// The provider metadata: discovered now if not yet known or stale, at most one discovery at
    /// a time and within [`DISCOVERY_TIMEOUT`]. After a failure, and for [`FAILURE_MEMORY`],
    /// answers at once: with the stale metadata when there is some, else unavailable.
    async fn metadata(&self) -> Result<Arc<Discovered>, OidcError> {
        if let Some(fresh) = self.fresh() {
            return Ok(fresh);
        }
        if self.failing() {
            return self.stale_or(OidcError::Unavailable(
                "discovery failed recently".to_owned(),
            ));
        }
        let Ok(_turn) = tokio::time::timeout(DISCOVERY_TIMEOUT, self.discovering.lock()).await
        else {
            return self.stale_or(OidcError::Unavailable(
                "discovery is taking too long".to_owned(),
            ));
        };
        if let Some(fresh) = self.fresh() {
            return Ok(fresh);
        }
        if self.failing() {
            return self.stale_or(OidcError::Unavailable(
                "discovery failed recently".to_owned(),
            ));
        }
        let outcome = match tokio::time::timeout(DISCOVERY_TIMEOUT, self.discover()).await {
            Ok(outcome) => outcome,
            Err(_) => Err(OidcError::Unavailable(format!(
                "discovery: no answer within {DISCOVERY_TIMEOUT:?}"
            ))),
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
    fn known(&self) -> Option<Arc<Discovered>> {
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
                .map_err(|error| OidcError::Unavailable(format!("discovery: {error}")))?;
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
                .map_err(|error| OidcError::Unavailable(format!("key set: {error}")))?;
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
    fn refresh_metadata(&self) {
        self.refresh.store(true, Ordering::Relaxed);
    }

    fn client(&self, discovered: &Discovered) -> Client {
        let secret = self
            .config
            .client_secret
            .as_ref()
            .map(|s| ClientSecret::new(s.expose().to_owned()));
        let client_id = ClientId::new(self.config.client_id.clone().unwrap_or_default());
        let auth_type = match self.config.client_auth_method {
            ClientAuthMethod::ClientSecretBasic => AuthType::BasicAuth,
            ClientAuthMethod::ClientSecretPost => AuthType::RequestBody,
        };
        CoreClient::from_provider_metadata(discovered.metadata.clone(), client_id, secret)
            .set_redirect_uri(self.redirect_url.clone())
            .set_auth_type(auth_type)
    }

    /// The authorisation request for a new login. `silent` asks the provider not to show any
    /// page (`prompt=none`).
    pub async fn authorization_request(
        &self,
        silent: bool,
        login_hint: Option<&str>,
    ) -> Result<AuthorizationRequest, OidcError> {
        let discovered = self.metadata().await?;
        let client = self.client(&discovered);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in self
            .config
            .scopes
            .split_whitespace()
            .filter(|scope| *scope != "openid")
        {
            request = request.add_scope(Scope::new(scope.to_owned()));
        }
        for (key, value) in &self.config.extra_params.0 {
            request = request.add_extra_param(key.clone(), value.clone());
        }
        if silent {
            request = request.add_prompt(CoreAuthPrompt::None);
        }
        if let Some(hint) = login_hint.filter(|hint| !hint.is_empty()) {
            request = request.set_login_hint(LoginHint::new(hint.to_owned()));
        }
        let (url, state, nonce) = request.url();
        Ok(AuthorizationRequest {
            url,
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Exchanges `code`, verifies the ID token against `nonce`, and fetches the userinfo claims.
    pub async fn complete(
        &self,
        code: &str,
        nonce: &str,
        pkce_verifier: &str,
    ) -> Result<VerifiedLogin, OidcError> {
        let discovered = self.metadata().await?;
        let client = self.client(&discovered);
        let token = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|error| OidcError::Unavailable(format!("no token endpoint: {error}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(classify_token_error)?;

        let id_token = token
            .id_token()
            .ok_or_else(|| OidcError::Invalid("the token response has no ID token".to_owned()))?;
        let verifier = client.id_token_verifier();
        let claims: &CoreIdTokenClaims =
            match id_token.claims(&verifier, &Nonce::new(nonce.to_owned())) {
                Ok(claims) => claims,
                Err(error) => {
                    // Maybe the provider rotated its keys: fetch them again for the next attempt.
                    self.refresh_metadata();
                    return Err(OidcError::Invalid(format!("ID token: {error}")));
                }
            };
        if let Some(expected) = claims.access_token_hash() {
            let signing = id_token
                .signing_alg()
                .map_err(|error| OidcError::Invalid(format!("ID token algorithm: {error}")))?;
            let key = id_token
                .signing_key(&verifier)
                .map_err(|error| OidcError::Invalid(format!("ID token key: {error}")))?;
            let actual = AccessTokenHash::from_token(token.access_token(), signing, key)
                .map_err(|error| OidcError::Invalid(format!("at_hash: {error}")))?;
            if actual != *expected {
                return Err(OidcError::Invalid(
                    "at_hash does not match the access token".to_owned(),
                ));
            }
        }
        let subject = claims.subject().clone();

        let userinfo: UserInfoClaims<OtherClaims, CoreGenderClaim> = client
            .user_info(token.access_token().clone(), Some(subject.clone()))
            .map_err(|error| OidcError::Unavailable(format!("no userinfo endpoint: {error}")))?
            .request_async(&self.http)
            .await
            .map_err(|error| match error {
                openidconnect::UserInfoError::ClaimsVerification(error) => {
                    OidcError::Invalid(format!("userinfo: {error}"))
                }
                openidconnect::UserInfoError::Parse(error) => {
                    OidcError::Invalid(format!("userinfo: {error}"))
                }
                other => OidcError::Unavailable(format!("userinfo: {other}")),
            })?;
        let claims = match serde_json::to_value(&userinfo) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => return Err(OidcError::Invalid("userinfo is not an object".to_owned())),
        };
        Ok(VerifiedLogin {
            subject: subject.to_string(),
            claims,
            id_token: id_token.to_string(),
        })
    }

    /// Where to send the browser to end the provider's session too, when the provider has an
    /// end-session endpoint: with `id_token_hint`, `post_logout_redirect_uri` and `state`. Uses
    /// the metadata already known (a logged-in user's login discovered it): a logout never waits
    /// for the provider.
    pub fn logout_url(&self, id_token: Option<&str>, state: &str) -> Option<url::Url> {
        let Some(discovered) = self.known() else {
            tracing::warn!("logout: the provider's metadata is not known; logged out of Meet only");
            return None;
        };
        let endpoint = discovered
            .metadata
            .additional_metadata()
            .end_session_endpoint
            .clone()?;
        let mut request = LogoutRequest::from(endpoint)
            .set_post_logout_redirect_uri(self.post_logout_url.clone())
            .set_client_id(ClientId::new(
                self.config.client_id.clone().unwrap_or_default(),
            ))
            .set_state(CsrfToken::new(state.to_owned()));
        if let Some(token) =
            id_token.and_then(|token| token.parse::<openidconnect::core::CoreIdToken>().ok())
        {
            request = request.set_id_token_hint(&token);
        }
        Some(request.http_get_url())
    }
}

/// Sorts token-endpoint failures: a refusal of the code (4xx with an OAuth error) is the
/// login's fault, anything else the provider's.
fn classify_token_error<E: std::error::Error + 'static>(
    error: openidconnect::RequestTokenError<
        E,
        openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    >,
) -> OidcError {
    match error {
        openidconnect::RequestTokenError::ServerResponse(response) => {
            OidcError::CodeRejected(response.to_string())
        }
        other => OidcError::Unavailable(format!("token endpoint: {other}")),
    }
}

//! The OpenID Connect relying party: discovery (cached; one at a time, bounded in time, and
//! remembered when it fails, so that a hung provider makes logins fail fast and independently
//! rather than queue), the authorisation request (PKCE S256, `state`, `nonce`), the code exchange
//! with ID token verification, userinfo as JSON or as a signed JWT, and RP-initiated logout
//! (which never waits for the provider).

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use openidconnect::core::{CoreAuthPrompt, CoreAuthenticationFlow, CoreClient, CoreGenderClaim};
use openidconnect::{
    AuthType, ClientId, ClientSecret, CsrfToken, IssuerUrl, LoginHint, LogoutRequest, Nonce,
    PkceCodeChallenge, PostLogoutRedirectUrl, RedirectUrl, Scope,
};

use crate::config::{ClientAuthMethod, OidcConfig};

mod discovery;
mod exchange;

use discovery::Discovered;

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

/// What caused a failure: the other crate's error, kept whole (or what Meet saw, when there is
/// none).
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

/// Why talking to the provider failed, at which step, and the cause.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// Discovery, the key set, the token or the userinfo endpoint could not be reached or
    /// answered with a server error.
    #[error("identity provider unavailable ({step}): {cause}")]
    Unavailable { step: &'static str, cause: Cause },
    /// The provider refused the code (expired, already used, wrong PKCE verifier, wrong client):
    /// its OAuth error response.
    #[error("identity provider refused the code: {0}")]
    CodeRejected(openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>),
    /// A token or the userinfo answer failed verification.
    #[error("identity provider's answer failed verification ({step}): {cause}")]
    Invalid { step: &'static str, cause: Cause },
}

impl OidcError {
    pub(crate) fn unavailable(step: &'static str, cause: impl Into<Cause>) -> Self {
        Self::Unavailable {
            step,
            cause: cause.into(),
        }
    }

    pub(crate) fn invalid(step: &'static str, cause: impl Into<Cause>) -> Self {
        Self::Invalid {
            step,
            cause: cause.into(),
        }
    }
}

/// Why the login settings cannot be used (found at startup).
#[derive(Debug, thiserror::Error)]
pub enum LoginSetupError {
    #[error("OIDC_ISSUER_URL is not set")]
    MissingIssuer,
    #[error("{variable}: {cause}")]
    InvalidUrl {
        variable: &'static str,
        cause: openidconnect::url::ParseError,
    },
    #[error("cannot build the HTTP client for the identity provider: {0}")]
    HttpClient(#[from] openidconnect::reqwest::Error),
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
    pub fn new(config: &OidcConfig, public_url: &str) -> Result<Self, LoginSetupError> {
        let invalid = |variable| move |cause| LoginSetupError::InvalidUrl { variable, cause };
        let issuer = config
            .issuer_url
            .as_ref()
            .ok_or(LoginSetupError::MissingIssuer)?;
        let issuer = IssuerUrl::new(issuer.as_str().trim_end_matches('/').to_owned())
            .map_err(invalid("OIDC_ISSUER_URL"))?;
        let redirect_url = RedirectUrl::new(format!("{public_url}{CALLBACK_PATH}"))
            .map_err(invalid("MEET_PUBLIC_URL"))?;
        let post_logout_url =
            PostLogoutRedirectUrl::new(format!("{public_url}{LOGOUT_CALLBACK_PATH}"))
                .map_err(invalid("MEET_PUBLIC_URL"))?;
        // No redirects: a provider answering a redirect could send our requests anywhere. No idle
        // connections kept: logins are few and far between, and a connection the provider closes
        // (after its keep-alive timeout) just as a login reuses it fails that login.
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .timeout(PROVIDER_TIMEOUT)
            .build()?;
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

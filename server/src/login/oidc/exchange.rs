//! Completing a login: the code exchanged for tokens (with the PKCE verifier), the ID token
//! verified against the nonce (and `at_hash`), and the userinfo claims fetched, as JSON or as a
//! signed JWT.

use openidconnect::core::{CoreGenderClaim, CoreIdTokenClaims};
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AuthorizationCode, Nonce, OAuth2TokenResponse,
    PkceCodeVerifier, TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};

use super::{OidcError, OidcProvider, VerifiedLogin};

/// Userinfo claims beyond the standard ones (ProConnect's `usual_name`, `siret`, …).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct OtherClaims(serde_json::Map<String, serde_json::Value>);
impl AdditionalClaims for OtherClaims {}

impl OidcProvider {
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
            .map_err(|error| OidcError::unavailable("token endpoint", error))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(classify_token_error)?;

        let id_token = token
            .id_token()
            .ok_or_else(|| OidcError::invalid("token response", "no ID token"))?;
        let verifier = client.id_token_verifier();
        let claims: &CoreIdTokenClaims =
            match id_token.claims(&verifier, &Nonce::new(nonce.to_owned())) {
                Ok(claims) => claims,
                Err(error) => {
                    // Maybe the provider rotated its keys: fetch them again for the next attempt.
                    self.refresh_metadata();
                    return Err(OidcError::invalid("ID token", error));
                }
            };
        if let Some(expected) = claims.access_token_hash() {
            let signing = id_token
                .signing_alg()
                .map_err(|error| OidcError::invalid("ID token algorithm", error))?;
            let key = id_token
                .signing_key(&verifier)
                .map_err(|error| OidcError::invalid("ID token key", error))?;
            let actual = AccessTokenHash::from_token(token.access_token(), signing, key)
                .map_err(|error| OidcError::invalid("at_hash", error))?;
            if actual != *expected {
                return Err(OidcError::invalid(
                    "at_hash",
                    "it does not match the access token",
                ));
            }
        }
        let subject = claims.subject().clone();

        let userinfo: UserInfoClaims<OtherClaims, CoreGenderClaim> = client
            .user_info(token.access_token().clone(), Some(subject.clone()))
            .map_err(|error| OidcError::unavailable("userinfo endpoint", error))?
            .request_async(&self.http)
            .await
            .map_err(|error| match error {
                openidconnect::UserInfoError::ClaimsVerification(error) => {
                    OidcError::invalid("userinfo", error)
                }
                openidconnect::UserInfoError::Parse(error) => OidcError::invalid("userinfo", error),
                other => OidcError::unavailable("userinfo", other.to_string()),
            })?;
        let claims = match serde_json::to_value(&userinfo) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => return Err(OidcError::invalid("userinfo", "not an object")),
        };
        Ok(VerifiedLogin {
            subject: subject.to_string(),
            claims,
            id_token: id_token.to_string(),
        })
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
            OidcError::CodeRejected(response)
        }
        other => OidcError::unavailable("token endpoint", other.to_string()),
    }
}

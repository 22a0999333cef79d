//! Login settings: the OpenID Connect provider (ProConnect, Keycloak, …), how its claims become
//! users, and the session. Variable names follow La Suite Meet's, so its provider configurations
//! carry over.

use clap::builder::BoolishValueParser;
use clap::{Args, ValueEnum};
use url::Url;

use super::Secret;

/// How Meet authenticates to the provider's token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClientAuthMethod {
    /// HTTP Basic authentication (the default of OpenID Connect).
    #[value(name = "client_secret_basic")]
    ClientSecretBasic,
    /// Client id and secret in the request body.
    #[value(name = "client_secret_post")]
    ClientSecretPost,
}

/// The `OIDC_*` variables.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Login (OpenID Connect)")]
pub struct OidcConfig {
    /// Issuer of the identity provider; Meet reads its `/.well-known/openid-configuration`.
    /// Without it, login is off and everyone joins as a guest.
    #[arg(
        long = "oidc-issuer-url",
        env = "OIDC_ISSUER_URL",
        value_name = "OIDC_ISSUER_URL"
    )]
    pub issuer_url: Option<Url>,

    /// Client id registered at the provider (required with `OIDC_ISSUER_URL`).
    #[arg(
        long = "oidc-client-id",
        env = "OIDC_RP_CLIENT_ID",
        value_name = "OIDC_RP_CLIENT_ID"
    )]
    pub client_id: Option<String>,

    /// Client secret registered at the provider.
    #[arg(
        long = "oidc-client-secret",
        env = "OIDC_RP_CLIENT_SECRET",
        value_name = "OIDC_RP_CLIENT_SECRET",
        hide_env_values = true
    )]
    pub client_secret: Option<Secret>,

    /// How to send the client secret: `client_secret_basic` or `client_secret_post`.
    #[arg(
        long = "oidc-client-auth-method",
        env = "OIDC_RP_CLIENT_AUTH_METHOD",
        value_name = "OIDC_RP_CLIENT_AUTH_METHOD",
        value_enum,
        default_value_t = ClientAuthMethod::ClientSecretBasic
    )]
    pub client_auth_method: ClientAuthMethod,

    /// Scopes to ask for, separated by spaces (ProConnect: `openid email given_name usual_name`).
    #[arg(
        long = "oidc-scopes",
        env = "OIDC_RP_SCOPES",
        value_name = "OIDC_RP_SCOPES",
        default_value = "openid email"
    )]
    pub scopes: String,

    /// Extra parameters of the authorisation request, as `key=value&key=value` or a JSON
    /// object (ProConnect: `acr_values=eidas1`).
    #[arg(
        long = "oidc-extra-params",
        env = "OIDC_AUTH_REQUEST_EXTRA_PARAMS",
        value_name = "OIDC_AUTH_REQUEST_EXTRA_PARAMS",
        value_parser = parse_extra_params,
        default_value = ""
    )]
    pub extra_params: ExtraParams,

    /// Overrides the discovered authorisation endpoint.
    #[arg(
        long = "oidc-authorization-endpoint",
        env = "OIDC_OP_AUTHORIZATION_ENDPOINT",
        value_name = "OIDC_OP_AUTHORIZATION_ENDPOINT"
    )]
    pub authorization_endpoint: Option<Url>,

    /// Overrides the discovered token endpoint.
    #[arg(
        long = "oidc-token-endpoint",
        env = "OIDC_OP_TOKEN_ENDPOINT",
        value_name = "OIDC_OP_TOKEN_ENDPOINT"
    )]
    pub token_endpoint: Option<Url>,

    /// Overrides the discovered userinfo endpoint.
    #[arg(
        long = "oidc-userinfo-endpoint",
        env = "OIDC_OP_USER_ENDPOINT",
        value_name = "OIDC_OP_USER_ENDPOINT"
    )]
    pub userinfo_endpoint: Option<Url>,

    /// Overrides the discovered key set (JWKS) URL.
    #[arg(
        long = "oidc-jwks-endpoint",
        env = "OIDC_OP_JWKS_ENDPOINT",
        value_name = "OIDC_OP_JWKS_ENDPOINT"
    )]
    pub jwks_endpoint: Option<Url>,

    /// Overrides the discovered end-session (logout) endpoint.
    #[arg(
        long = "oidc-logout-endpoint",
        env = "OIDC_OP_LOGOUT_ENDPOINT",
        value_name = "OIDC_OP_LOGOUT_ENDPOINT"
    )]
    pub logout_endpoint: Option<Url>,

    /// Claims joined with spaces to make the full name; `name` is used when they are all empty.
    #[arg(
        long = "oidc-fullname-fields",
        env = "OIDC_USERINFO_FULLNAME_FIELDS",
        value_name = "OIDC_USERINFO_FULLNAME_FIELDS",
        value_delimiter = ',',
        default_value = "given_name,usual_name"
    )]
    pub fullname_fields: Vec<String>,

    /// Claim holding the short name.
    #[arg(
        long = "oidc-shortname-field",
        env = "OIDC_USERINFO_SHORTNAME_FIELD",
        value_name = "OIDC_USERINFO_SHORTNAME_FIELD",
        default_value = "given_name"
    )]
    pub shortname_field: String,

    /// Create a user at the first login of an unknown identity (`true` or `false`).
    #[arg(
        long = "oidc-create-user",
        env = "OIDC_CREATE_USER",
        value_name = "OIDC_CREATE_USER",
        value_parser = BoolishValueParser::new(),
        default_value = "true",
        action = clap::ArgAction::Set
    )]
    pub create_user: bool,

    /// When the provider's `sub` is unknown, find the user by email, ignoring case (`true` or
    /// `false`). Useful when a provider changes its identifiers.
    #[arg(
        long = "oidc-fallback-to-email",
        env = "OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION",
        value_name = "OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION",
        value_parser = BoolishValueParser::new(),
        default_value = "true",
        action = clap::ArgAction::Set
    )]
    pub fallback_to_email: bool,
}

/// Extra authorisation-request parameters, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtraParams(pub Vec<(String, String)>);

/// Parses `a=1&b=2` or `{"a": "1", "b": 2}`.
fn parse_extra_params(value: &str) -> Result<ExtraParams, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(ExtraParams::default());
    }
    if value.starts_with('{') {
        let object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(value).map_err(|error| format!("invalid JSON object: {error}"))?;
        let pairs = object
            .into_iter()
            .map(|(key, value)| match value {
                serde_json::Value::String(text) => Ok((key, text)),
                serde_json::Value::Number(_) | serde_json::Value::Bool(_) => {
                    Ok((key, value.to_string()))
                }
                _ => Err(format!(
                    "the value of {key:?} must be a string, number or boolean"
                )),
            })
            .collect::<Result<_, _>>()?;
        return Ok(ExtraParams(pairs));
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(value)
        .map_err(|error| format!("expected key=value&key=value: {error}"))?;
    if pairs.iter().any(|(key, _)| key.is_empty()) {
        return Err("a parameter has no name".to_owned());
    }
    Ok(ExtraParams(pairs))
}

impl OidcConfig {
    /// Whether login is configured.
    pub fn enabled(&self) -> bool {
        self.issuer_url.is_some()
    }

    /// Checks what clap cannot: settings that only make sense together.
    pub fn validate(&self) -> Result<(), String> {
        if self.enabled() && self.client_id.as_deref().is_none_or(str::is_empty) {
            return Err("OIDC_RP_CLIENT_ID is required when OIDC_ISSUER_URL is set".to_owned());
        }
        if !self
            .scopes
            .split_whitespace()
            .any(|scope| scope == "openid")
        {
            return Err(format!(
                "OIDC_RP_SCOPES must include `openid` (got {:?})",
                self.scopes
            ));
        }
        Ok(())
    }

    /// Login off: what tests and deployments without a provider use.
    pub fn disabled() -> Self {
        Self {
            issuer_url: None,
            client_id: None,
            client_secret: None,
            client_auth_method: ClientAuthMethod::ClientSecretBasic,
            scopes: "openid email".to_owned(),
            extra_params: ExtraParams::default(),
            authorization_endpoint: None,
            token_endpoint: None,
            userinfo_endpoint: None,
            jwks_endpoint: None,
            logout_endpoint: None,
            fullname_fields: vec!["given_name".to_owned(), "usual_name".to_owned()],
            shortname_field: "given_name".to_owned(),
            create_user: true,
            fallback_to_email: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_params_take_both_forms() {
        let pairs = |value: &str| parse_extra_params(value).map(|params| params.0);
        assert_eq!(pairs(""), Ok(vec![]));
        assert_eq!(
            pairs("acr_values=eidas1"),
            Ok(vec![("acr_values".into(), "eidas1".into())])
        );
        assert_eq!(
            pairs("a=1&b=x%20y"),
            Ok(vec![("a".into(), "1".into()), ("b".into(), "x y".into())])
        );
        assert_eq!(
            pairs(r#"{"acr_values": "eidas1", "max_age": 300}"#),
            Ok(vec![
                ("acr_values".into(), "eidas1".into()),
                ("max_age".into(), "300".into())
            ])
        );
        assert!(pairs(r#"{"claims": {"a": 1}}"#).is_err());
        assert!(pairs("{not json").is_err());
        assert!(pairs("=x").is_err());
    }

    #[test]
    fn an_issuer_needs_a_client_id_and_scopes_need_openid() {
        let mut config = OidcConfig::disabled();
        assert_eq!(config.validate(), Ok(()));
        config.issuer_url = Some(Url::parse("https://idp.example.org").expect("url"));
        assert!(
            config
                .validate()
                .expect_err("no client id")
                .contains("OIDC_RP_CLIENT_ID")
        );
        config.client_id = Some("meet".into());
        assert_eq!(config.validate(), Ok(()));
        config.scopes = "email".into();
        assert!(
            config
                .validate()
                .expect_err("no openid")
                .contains("OIDC_RP_SCOPES")
        );
    }
}

//! Who a login is: the rules that turn an identity provider's claims into a Meet user. The OIDC
//! protocol itself lives in the server; this module only decides which user the verified claims
//! belong to, whether to create one, and keeps the stored claims fresh.

use serde_json::{Map, Value};

use crate::notifier::Invalidation;
use crate::services::Services;
use crate::store::StoreError;
use crate::users::{self, User, UserClaims};

/// The deployment's choices for turning claims into users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInPolicy {
    /// Create a user on the first login of an unknown identity (`OIDC_CREATE_USER`).
    pub create_users: bool,
    /// When the `sub` is unknown, look the user up by email, ignoring case
    /// (`OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION`). The user found takes the new `sub`.
    pub fallback_to_email: bool,
}

/// Which provider claims make the names (`OIDC_USERINFO_FULLNAME_FIELDS`,
/// `OIDC_USERINFO_SHORTNAME_FIELD`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimNames {
    /// Joined with spaces into the full name; `name` when they are all missing.
    pub full_name: Vec<String>,
    pub short_name: String,
}

/// The longest `sub` accepted, and the longest name or email kept.
pub const MAX_CLAIM_CHARS: usize = 255;

/// The user claims in a provider's verified claims: `sub` (from the ID token), `email`, the
/// full name and the short name. Names lose any control character and are cut to
/// [`MAX_CLAIM_CHARS`]; an email with control characters or too long is left out (whatever the
/// provider sends, both databases store the same thing).
pub fn user_claims(subject: &str, claims: &Map<String, Value>, names: &ClaimNames) -> UserClaims {
    let text = |name: &str| {
        claims
            .get(name)
            .and_then(Value::as_str)
            .map(|value| {
                value
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(MAX_CLAIM_CHARS)
                    .collect::<String>()
            })
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    let email = claims
        .get("email")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|email| {
            !email.is_empty()
                && email.chars().count() <= MAX_CLAIM_CHARS
                && !email.chars().any(char::is_control)
        })
        .map(str::to_owned);
    let joined: Vec<String> = names
        .full_name
        .iter()
        .filter_map(|name| text(name))
        .collect();
    let full_name = if joined.is_empty() {
        text("name")
    } else {
        Some(joined.join(" ").chars().take(MAX_CLAIM_CHARS).collect())
    };
    UserClaims {
        sub: Some(subject.to_owned()),
        email,
        full_name,
        short_name: text(&names.short_name),
    }
}

/// Why verified claims do not lead to a user.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// The claims carry no `sub`.
    #[error("the identity provider sent no subject identifier")]
    MissingSubject,
    /// The `sub` is too long or has control characters: not an identifier Meet can keep.
    #[error("the identity provider sent an unusable subject identifier")]
    InvalidSubject,
    /// The identity is unknown and this deployment does not create users.
    #[error("no user for this identity, and creating users is disabled")]
    CreationDisabled,
    /// The `sub` is unknown and several users share the email.
    #[error("{0} users share this email; refusing to guess which one is logging in")]
    AmbiguousEmail(usize),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The user the verified `claims` belong to, created or updated as the policy says.
pub async fn sign_in(
    services: &Services,
    claims: &UserClaims,
    policy: SignInPolicy,
) -> Result<User, SignInError> {
    let user = find_or_create(services, claims, policy).await?;
    services.emit_by(crate::analytics::Event::Login, &user);
    Ok(user)
}

/// The user the verified `claims` belong to, created or updated as the policy says.
async fn find_or_create(
    services: &Services,
    claims: &UserClaims,
    policy: SignInPolicy,
) -> Result<User, SignInError> {
    let store = &services.store;
    let sub = claims.sub.as_deref().filter(|sub| !sub.is_empty());
    let Some(sub) = sub else {
        return Err(SignInError::MissingSubject);
    };
    if sub.chars().count() > MAX_CLAIM_CHARS || sub.chars().any(char::is_control) {
        return Err(SignInError::InvalidSubject);
    }
    if let Some(user) = users::find_by_sub(store, sub).await? {
        return Ok(refresh(services, user, claims).await?);
    }
    if policy.fallback_to_email
        && let Some(email) = claims
            .email
            .as_deref()
            .filter(|email| !email.trim().is_empty())
    {
        let mut matches = users::find_by_email(store, email).await?;
        match matches.len() {
            0 => {}
            1 => {
                let user = matches.remove(0);
                tracing::info!(user = %user.id, "identified by email; recording the new sub");
                return Ok(refresh(services, user, claims).await?);
            }
            several => return Err(SignInError::AmbiguousEmail(several)),
        }
    }
    if !policy.create_users {
        return Err(SignInError::CreationDisabled);
    }
    match users::insert(store, claims).await {
        Ok(user) => {
            tracing::info!(user = %user.id, "created a user at first login");
            Ok(user)
        }
        // Two first logins of the same identity at once: the other one created it.
        Err(StoreError::Conflict(_)) => match users::find_by_sub(store, sub).await? {
            Some(user) => Ok(refresh(services, user, claims).await?),
            None => Err(StoreError::Conflict("email already taken".to_owned()).into()),
        },
        Err(error) => Err(error.into()),
    }
}

/// `user` with `claims` stored, writing only when something changed; the user's other sessions,
/// on every instance, then read it again.
async fn refresh(services: &Services, user: User, claims: &UserClaims) -> Result<User, StoreError> {
    if user.claims() == *claims {
        return Ok(user);
    }
    let updated = users::update_claims(&services.store, user.id, claims).await?;
    services
        .notifier
        .publish(Invalidation::User(updated.id))
        .await;
    Ok(updated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> ClaimNames {
        ClaimNames {
            full_name: vec!["given_name".into(), "usual_name".into()],
            short_name: "given_name".into(),
        }
    }

    fn map(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn names_come_from_the_configured_claims() {
        let claims = map(serde_json::json!({
            "sub": "ignored", "email": "a@b.fr", "given_name": "Alice", "usual_name": "Martin",
            "name": "Not Used"
        }));
        let user = user_claims("s1", &claims, &names());
        assert_eq!(user.sub.as_deref(), Some("s1"));
        assert_eq!(user.email.as_deref(), Some("a@b.fr"));
        assert_eq!(user.full_name.as_deref(), Some("Alice Martin"));
        assert_eq!(user.short_name.as_deref(), Some("Alice"));
    }

    #[test]
    fn the_full_name_falls_back_to_name_and_skips_blanks() {
        let claims = map(serde_json::json!({"name": "Bob Durand", "given_name": "  "}));
        let user = user_claims("s", &claims, &names());
        assert_eq!(user.full_name.as_deref(), Some("Bob Durand"));
        assert_eq!(user.short_name, None);
        assert_eq!(user.email, None);

        let partial = map(serde_json::json!({"usual_name": "Durand", "email": 3}));
        let user = user_claims("s", &partial, &names());
        assert_eq!(user.full_name.as_deref(), Some("Durand"));
        assert_eq!(user.email, None, "non-string claims are ignored");
    }
}

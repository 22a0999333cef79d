//! Why a login did not succeed, as the login error page explains it.

use serde::{Deserialize, Serialize};

/// The outcomes of a failed login that a person can act on. The server logs the cause; the page
/// says what happened and what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginFailure {
    /// Login is not configured on this server.
    NotConfigured,
    /// The identity provider could not be reached or answered with an error.
    ProviderUnavailable,
    /// The person cancelled or refused at the identity provider.
    AccessDenied,
    /// The login attempt is unknown, expired or was already used.
    Expired,
    /// The provider's answer failed verification (signature, audience, nonce, …).
    InvalidResponse,
    /// The account may not use Meet (automatic account creation is off).
    AccountNotAllowed,
    /// Several accounts share the email and none has this identity yet.
    AccountConflict,
}

impl LoginFailure {
    /// Every failure, for tests and documentation.
    pub const ALL: [Self; 7] = [
        Self::NotConfigured,
        Self::ProviderUnavailable,
        Self::AccessDenied,
        Self::Expired,
        Self::InvalidResponse,
        Self::AccountNotAllowed,
        Self::AccountConflict,
    ];

    /// The code carried in the error page's address.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotConfigured => "not_configured",
            Self::ProviderUnavailable => "provider_unavailable",
            Self::AccessDenied => "access_denied",
            Self::Expired => "expired",
            Self::InvalidResponse => "invalid_response",
            Self::AccountNotAllowed => "account_not_allowed",
            Self::AccountConflict => "account_conflict",
        }
    }

    /// The failure a code names, if any.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|failure| failure.code() == code)
    }

    /// A short heading.
    pub fn title(self) -> &'static str {
        match self {
            Self::NotConfigured => "Login is not available",
            Self::ProviderUnavailable => "Your identity provider did not answer",
            Self::AccessDenied => "Login cancelled",
            Self::Expired => "This login attempt has expired",
            Self::InvalidResponse => "Your identity could not be verified",
            Self::AccountNotAllowed => "Your account cannot use Meet",
            Self::AccountConflict => "Your account could not be identified",
        }
    }

    /// What happened and what to do, in a sentence or two.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::NotConfigured => {
                "This Meet server has no identity provider configured. You can still join meetings as a guest."
            }
            Self::ProviderUnavailable => {
                "We could not reach your organisation's identity provider, or it returned an error. Wait a moment and try again."
            }
            Self::AccessDenied => {
                "The login was cancelled or refused at your identity provider. Try again when you are ready."
            }
            Self::Expired => {
                "The login took too long or was already used, for example after going back in the browser. Start again."
            }
            Self::InvalidResponse => {
                "The answer from your identity provider did not pass our security checks. Try again; if it keeps happening, contact your administrator."
            }
            Self::AccountNotAllowed => {
                "Your identity was verified, but this server does not create new accounts automatically. Ask your administrator for access."
            }
            Self::AccountConflict => {
                "Several Meet accounts use your email address. Ask your administrator to merge them."
            }
        }
    }

    /// Whether trying again may help.
    pub fn retryable(self) -> bool {
        !matches!(
            self,
            Self::NotConfigured | Self::AccountNotAllowed | Self::AccountConflict
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for failure in LoginFailure::ALL {
            assert_eq!(LoginFailure::from_code(failure.code()), Some(failure));
            assert!(!failure.title().is_empty() && !failure.explanation().is_empty());
        }
        assert_eq!(LoginFailure::from_code("nonsense"), None);
    }
}

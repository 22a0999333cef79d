//! Values that must never reach logs or `Debug` output: secrets, and the database address that
//! may carry a password.

use std::fmt;

/// A secret (a LiveKit API secret, an OIDC client secret). `Debug` shows `Secret(***)`; the value
/// is reached only through [`Secret::expose`], in the one place that needs it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        if value.is_empty() {
            Err("must not be empty".to_owned())
        } else {
            Ok(Self(value.to_owned()))
        }
    }
}

/// A database address (`DATABASE_URL`), which may hold a password in its user part or its query
/// (`?password=`). `Debug` and `Display` show it with every password replaced by `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }

    /// The address itself, to connect with.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", redact_url(&self.0))
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact_url(&self.0))
    }
}

impl std::str::FromStr for DatabaseUrl {
    type Err = std::convert::Infallible;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(Self(value.to_owned()))
    }
}

/// Query parameters whose value is a secret, whatever their case (libpq's `password` and
/// `sslpassword`, and any other `…password…`, `…secret…` or `…token…`).
fn is_secret_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["password", "secret", "token"]
        .iter()
        .any(|word| name.contains(word))
}

/// `url` with every password replaced by `***` (the user part's, and secret query parameters'),
/// so it can be shown in a log line or an error message.
pub fn redact_url(url: &str) -> String {
    let (before_query, query) = match url.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (url, None),
    };
    let mut redacted = match before_query.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = match rest.find('/') {
                Some(slash) => rest.split_at(slash),
                None => (rest, ""),
            };
            let authority = match authority.rsplit_once('@') {
                Some((credentials, host)) => match credentials.split_once(':') {
                    Some((user, _password)) => format!("{user}:***@{host}"),
                    None => authority.to_owned(),
                },
                None => authority.to_owned(),
            };
            format!("{scheme}://{authority}{path}")
        }
        None => before_query.to_owned(),
    };
    if let Some(query) = query {
        let parameters: Vec<String> = query
            .split('&')
            .map(|parameter| match parameter.split_once('=') {
                Some((name, _)) if is_secret_parameter(name) => format!("{name}=***"),
                _ => parameter.to_owned(),
            })
            .collect();
        redacted.push('?');
        redacted.push_str(&parameters.join("&"));
    }
    redacted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_password_survives_redaction() {
        for (url, shown) in [
            (
                "postgres://meet:hunter2@db:5432/meet",
                "postgres://meet:***@db:5432/meet",
            ),
            (
                "postgres://meet:p@ss@db/meet?sslmode=require",
                "postgres://meet:***@db/meet?sslmode=require",
            ),
            (
                "postgres://db/meet?user=meet&password=hunter2",
                "postgres://db/meet?user=meet&password=***",
            ),
            (
                "postgres://db/meet?sslpassword=hunter2&PASSWORD=hunter2",
                "postgres://db/meet?sslpassword=***&PASSWORD=***",
            ),
            ("postgres://meet@db/meet", "postgres://meet@db/meet"),
            ("sqlite://meet.db", "sqlite://meet.db"),
            ("sqlite::memory:", "sqlite::memory:"),
        ] {
            assert_eq!(redact_url(url), shown, "{url}");
            assert!(!redact_url(url).contains("hunter2"));
        }
    }

    #[test]
    fn debug_output_shows_no_secret() {
        let secret = Secret::new("hunter2");
        let url = DatabaseUrl::new("postgres://meet:hunter2@db/meet?password=hunter2");
        for shown in [format!("{secret:?}"), format!("{url:?}"), format!("{url}")] {
            assert!(!shown.contains("hunter2"), "{shown}");
        }
        assert_eq!(secret.expose(), "hunter2");
    }
}

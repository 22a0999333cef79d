//! The cookies Meet sets, with their attributes in one place (HttpOnly, SameSite=Lax, `Secure`
//! when Meet is served over https), and reading them back from a request.

use http::HeaderMap;
use http::header::COOKIE;

/// The cookie holding a guest's identity (La Suite Meet's name for it).
pub const GUEST: &str = "lobbyParticipantId";

/// How Meet's cookies are written for this deployment.
#[derive(Debug, Clone, Copy)]
pub struct CookiePolicy {
    /// Meet is served over https: cookies travel only over https.
    pub secure: bool,
}

impl CookiePolicy {
    /// The policy for Meet reached at `public_url`.
    pub fn for_public_url(public_url: &str) -> Self {
        Self {
            secure: public_url.starts_with("https://"),
        }
    }

    /// A `Set-Cookie` value: `name=value` for `max_age` seconds (0 removes it), sent back only to
    /// `path` and below, never readable by scripts.
    pub fn set_cookie(&self, name: &str, value: &str, path: &str, max_age: u64) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        format!("{name}={value}; Max-Age={max_age}; Path={path}; HttpOnly; SameSite=Lax{secure}")
    }
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn get<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|header| header.split(';'))
        .find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name && !value.is_empty()).then_some(value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            COOKIE,
            "meet_sessionid=abc; lobbyParticipantId=1234"
                .parse()
                .expect("h"),
        );
        headers.append(COOKIE, "theme=dark".parse().expect("h"));
        assert_eq!(get(&headers, GUEST), Some("1234"));
        assert_eq!(get(&headers, "theme"), Some("dark"));
        assert_eq!(get(&headers, "other"), None);
        let mut empty = HeaderMap::new();
        empty.append(COOKIE, "lobbyParticipantId=".parse().expect("h"));
        assert_eq!(get(&empty, GUEST), None);
    }

    #[test]
    fn cookies_are_http_only_and_secure_over_https() {
        let https = CookiePolicy::for_public_url("https://meet.example.org");
        assert_eq!(
            https.set_cookie(GUEST, "v", "/", 60),
            "lobbyParticipantId=v; Max-Age=60; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
        let http = CookiePolicy::for_public_url("http://127.0.0.1:8080");
        assert!(!http.set_cookie(GUEST, "v", "/", 60).contains("Secure"));
    }
}

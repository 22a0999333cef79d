//! Logins and logouts in progress are kept in the browser, not in the database: a signed cookie
//! per login (`meet_login_<state>`, sent only to the callback) holds what the callback needs
//! (nonce, PKCE verifier, where to return), and `meet_logout` the state of a provider logout. So
//! a visitor who starts logins and never finishes them costs Meet no storage at all; the session
//! is written only once someone has logged in.
//!
//! Each value is signed (HMAC-SHA256, with its cookie's name, under a key derived from the LiveKit
//! secret that every instance shares): a browser can drop it, not forge or swap it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use http::HeaderMap;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use time::OffsetDateTime;

use crate::cookies::CookiePolicy;
use crate::login::oidc::{CALLBACK_PATH, LOGOUT_CALLBACK_PATH};

/// Prefix of the login cookies; the login's `state` follows.
pub const LOGIN_COOKIE_PREFIX: &str = "meet_login_";
/// The cookie holding a provider logout's state.
pub const LOGOUT_COOKIE: &str = "meet_logout";
/// How long a login (or a provider logout) may take.
pub const LIFETIME: std::time::Duration = std::time::Duration::from_secs(15 * 60);
/// The longest `state` accepted back (ours are 22 characters).
const MAX_STATE_LEN: usize = 64;

/// A login started in this browser and not finished yet.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PendingLogin {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// Where to go once logged in: a path inside Meet.
    pub return_to: String,
    /// Started with `prompt=none`.
    pub silent: bool,
    /// Unix time of the start, in seconds.
    pub started_at: i64,
}

/// Writes and reads the signed login and logout cookies.
#[derive(Clone)]
pub struct LoginCookies {
    mac: Hmac<Sha256>,
    policy: CookiePolicy,
}

impl LoginCookies {
    /// Cookies signed with a key derived from `secret`, written as `policy` says.
    pub fn new(secret: &[u8], policy: CookiePolicy) -> Self {
        Self {
            mac: meet_domain::keys::derive(secret, b"meet login cookies v1"),
            policy,
        }
    }

    /// The `Set-Cookie` value remembering `login` until the callback.
    pub fn remember(&self, login: &PendingLogin) -> String {
        let name = format!("{LOGIN_COOKIE_PREFIX}{}", login.state);
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(login).unwrap_or_default());
        self.set_cookie(&name, &payload, CALLBACK_PATH, LIFETIME.as_secs())
    }

    /// The login in progress whose state is `state`, from the request's cookies: `None` when
    /// there is none, it was tampered with, or it is too old.
    pub fn pending_login(&self, headers: &HeaderMap, state: &str) -> Option<PendingLogin> {
        if state.is_empty()
            || state.len() > MAX_STATE_LEN
            || !state
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return None;
        }
        let name = format!("{LOGIN_COOKIE_PREFIX}{state}");
        let payload = self.verified(headers, &name)?;
        let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
        let login: PendingLogin = serde_json::from_slice(&bytes).ok()?;
        let age = OffsetDateTime::now_utc().unix_timestamp() - login.started_at;
        (login.state == state && (0..LIFETIME.as_secs() as i64).contains(&age)).then_some(login)
    }

    /// The `Set-Cookie` value removing the login cookie of `state`.
    pub fn forget_login(&self, state: &str) -> Option<String> {
        let valid = !state.is_empty()
            && state.len() <= MAX_STATE_LEN
            && state
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        valid.then(|| {
            self.set_cookie(
                &format!("{LOGIN_COOKIE_PREFIX}{state}"),
                "",
                CALLBACK_PATH,
                0,
            )
        })
    }

    /// The `Set-Cookie` value remembering the state of a provider logout.
    pub fn remember_logout(&self, state: &str) -> String {
        let payload = format!("{state}~{}", OffsetDateTime::now_utc().unix_timestamp());
        self.set_cookie(
            LOGOUT_COOKIE,
            &payload,
            LOGOUT_CALLBACK_PATH,
            LIFETIME.as_secs(),
        )
    }

    /// The state of the provider logout this browser started, if recent and genuine.
    pub fn logout_state(&self, headers: &HeaderMap) -> Option<String> {
        let payload = self.verified(headers, LOGOUT_COOKIE)?;
        let (state, started) = payload.rsplit_once('~')?;
        let age = OffsetDateTime::now_utc().unix_timestamp() - started.parse::<i64>().ok()?;
        (0..LIFETIME.as_secs() as i64)
            .contains(&age)
            .then(|| state.to_owned())
    }

    /// The `Set-Cookie` value removing the logout cookie.
    pub fn forget_logout(&self) -> String {
        self.set_cookie(LOGOUT_COOKIE, "", LOGOUT_CALLBACK_PATH, 0)
    }

    fn set_cookie(&self, name: &str, payload: &str, path: &str, max_age: u64) -> String {
        let value = if payload.is_empty() {
            String::new()
        } else {
            format!("{payload}.{}", self.tag(name, payload))
        };
        self.policy.set_cookie(name, &value, path, max_age)
    }

    fn tag(&self, name: &str, payload: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(name.as_bytes());
        mac.update(&[0]);
        mac.update(payload.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// The payload of cookie `name`, when its tag is right.
    fn verified<'h>(&self, headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
        let value = crate::cookies::get(headers, name)?;
        let (payload, tag) = value.rsplit_once('.')?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        let mut mac = self.mac.clone();
        mac.update(name.as_bytes());
        mac.update(&[0]);
        mac.update(payload.as_bytes());
        mac.verify_slice(&tag).ok()?;
        Some(payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::COOKIE;

    fn login(state: &str) -> PendingLogin {
        PendingLogin {
            state: state.to_owned(),
            nonce: "nonce".to_owned(),
            pkce_verifier: "verifier".to_owned(),
            return_to: "/abc-defg-hij?x=1".to_owned(),
            silent: false,
            started_at: OffsetDateTime::now_utc().unix_timestamp(),
        }
    }

    fn request_with(set_cookie: &str) -> HeaderMap {
        let pair = set_cookie.split(';').next().unwrap_or_default();
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, format!("other=1; {pair}").parse().expect("header"));
        headers
    }

    #[test]
    fn a_login_comes_back_from_its_cookie() {
        let cookies = LoginCookies::new(b"secret", CookiePolicy { secure: true });
        let set = cookies.remember(&login("abc_DEF-123"));
        assert!(set.starts_with("meet_login_abc_DEF-123="), "{set}");
        for attribute in [
            "Path=/api/v1.0/callback/",
            "HttpOnly",
            "SameSite=Lax",
            "Secure",
            "Max-Age=900",
        ] {
            assert!(set.contains(attribute), "{attribute}: {set}");
        }
        let headers = request_with(&set);
        assert_eq!(
            cookies.pending_login(&headers, "abc_DEF-123"),
            Some(login("abc_DEF-123"))
        );
        assert_eq!(
            cookies.pending_login(&headers, "other"),
            None,
            "another state"
        );
        assert_eq!(
            LoginCookies::new(b"other secret", CookiePolicy { secure: true })
                .pending_login(&headers, "abc_DEF-123"),
            None,
            "another deployment's key"
        );
    }

    #[test]
    fn tampered_swapped_or_old_logins_are_refused() {
        let cookies = LoginCookies::new(b"secret", CookiePolicy { secure: false });
        // A value moved to another state's cookie.
        let set = cookies.remember(&login("first"));
        let value = set
            .split(';')
            .next()
            .unwrap_or_default()
            .split_once('=')
            .expect("pair")
            .1;
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            format!("meet_login_second={value}")
                .parse()
                .expect("header"),
        );
        assert_eq!(cookies.pending_login(&headers, "second"), None);
        // A changed payload.
        let mut old = login("first");
        old.return_to = "//evil.example".to_owned();
        let forged = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&old).expect("json"));
        let tag = value.rsplit_once('.').expect("tag").1;
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            format!("meet_login_first={forged}.{tag}")
                .parse()
                .expect("header"),
        );
        assert_eq!(cookies.pending_login(&headers, "first"), None);
        // Too old.
        let mut stale = login("stale");
        stale.started_at -= LIFETIME.as_secs() as i64;
        let headers = request_with(&cookies.remember(&stale));
        assert_eq!(cookies.pending_login(&headers, "stale"), None);
        // States that cannot be ours.
        assert_eq!(cookies.pending_login(&headers, ""), None);
        assert_eq!(cookies.pending_login(&headers, "a;b"), None);
        assert_eq!(cookies.forget_login("a;b"), None);
    }

    #[test]
    fn a_logout_state_comes_back_once_set() {
        let cookies = LoginCookies::new(b"secret", CookiePolicy { secure: false });
        let headers = request_with(&cookies.remember_logout("xyz"));
        assert_eq!(cookies.logout_state(&headers).as_deref(), Some("xyz"));
        assert_eq!(cookies.logout_state(&HeaderMap::new()), None);
        assert!(cookies.forget_logout().contains("Max-Age=0"));
    }
}

//! Guests' LiveKit identity: a random id kept in an HttpOnly cookie, so that a reload (or the
//! lobby, later) keeps the same participant. Named as La Suite Meet names it.

/// The cookie holding a guest's identity.
pub const COOKIE_NAME: &str = "lobbyParticipantId";

/// The guest id in a `Cookie` request header, if any.
pub fn from_cookie_header(header: &str) -> Option<&str> {
    header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == COOKIE_NAME && !value.is_empty()).then_some(value)
    })
}

/// The `Set-Cookie` value remembering `id` for `max_age_seconds`.
pub fn set_cookie(id: &str, secure: bool, max_age_seconds: u64) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE_NAME}={id}; Max-Age={max_age_seconds}; Path=/; HttpOnly; SameSite=Lax{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_its_cookie_among_others() {
        let header = "meet_sessionid=abc; lobbyParticipantId=1234; theme=dark";
        assert_eq!(from_cookie_header(header), Some("1234"));
        assert_eq!(from_cookie_header("lobbyParticipantId="), None);
        assert_eq!(from_cookie_header("other=1"), None);
    }

    #[test]
    fn the_cookie_is_http_only() {
        let cookie = set_cookie("1234", true, 60);
        assert_eq!(
            cookie,
            "lobbyParticipantId=1234; Max-Age=60; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
        assert!(!set_cookie("1234", false, 60).contains("Secure"));
    }
}

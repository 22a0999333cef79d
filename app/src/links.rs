//! Addresses of server routes the UI links to.

/// Starts a login that comes back to `return_to` (a path inside Meet).
pub fn login(return_to: &str) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("returnTo", return_to)
        .finish();
    format!("/api/v1.0/authenticate/?{query}")
}

/// A page's address from its path and its query string (`search`, with or without the `?`).
pub fn path_and_query(path: &str, search: &str) -> String {
    let query = search.strip_prefix('?').unwrap_or(search);
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// Ends the session (and the identity provider's).
pub const LOGOUT: &str = "/api/v1.0/logout/";

#[cfg(test)]
mod tests {
    #[test]
    fn the_return_path_is_encoded() {
        assert_eq!(super::login("/"), "/api/v1.0/authenticate/?returnTo=%2F");
        assert_eq!(
            super::login("/?code=a b&x=1"),
            "/api/v1.0/authenticate/?returnTo=%2F%3Fcode%3Da+b%26x%3D1"
        );
    }

    #[test]
    fn the_query_keeps_its_question_mark() {
        assert_eq!(
            super::path_and_query("/abc-defg-hij", "x=1"),
            "/abc-defg-hij?x=1"
        );
        assert_eq!(
            super::path_and_query("/abc-defg-hij", "?x=1"),
            "/abc-defg-hij?x=1"
        );
        assert_eq!(super::path_and_query("/abc-defg-hij", ""), "/abc-defg-hij");
    }
}

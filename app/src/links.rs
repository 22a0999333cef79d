//! Addresses of server routes the UI links to.

/// Starts a login that comes back to `return_to` (a path inside Meet).
pub fn login(return_to: &str) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("returnTo", return_to)
        .finish();
    format!("/api/v1.0/authenticate/?{query}")
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
}

//! `returnTo`: where to go after login. Only ever a path inside Meet, so a crafted link cannot
//! use Meet's login to send people to another site.

/// `candidate` if it is a path inside Meet (`/…`, not `//host` or `/\host`, no control
/// characters, at most 2000 bytes), else `/`. A full URL on Meet's own address (`public_url`,
/// as La Suite Meet's front end sends it) becomes its path.
pub fn sanitize(candidate: Option<&str>, public_url: &str) -> String {
    let Some(mut path) = candidate.map(str::trim) else {
        return "/".to_owned();
    };
    if let Some(rest) = path.strip_prefix(public_url)
        && (rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'))
    {
        path = rest;
        if path.is_empty() || path.starts_with('?') {
            return format!("/{path}");
        }
    }
    let inside = path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(|c| c.is_control() || c == '\\')
        && path.len() <= 2000;
    if inside {
        path.to_owned()
    } else {
        "/".to_owned()
    }
}

#[cfg(test)]
mod tests {

    const MEET: &str = "https://meet.example.org";

    fn sanitize(candidate: Option<&str>) -> String {
        super::sanitize(candidate, MEET)
    }

    #[test]
    fn keeps_paths_inside_meet() {
        assert_eq!(sanitize(Some("/abc-defg-hij")), "/abc-defg-hij");
        assert_eq!(sanitize(Some("/?code=x#join")), "/?code=x#join");
        assert_eq!(sanitize(None), "/");
    }

    #[test]
    fn full_urls_on_meet_become_paths() {
        assert_eq!(
            sanitize(Some("https://meet.example.org/abc-defg-hij")),
            "/abc-defg-hij"
        );
        assert_eq!(sanitize(Some("https://meet.example.org")), "/");
        assert_eq!(sanitize(Some("https://meet.example.org?x=1")), "/?x=1");
        assert_eq!(
            sanitize(Some("https://meet.example.org.evil.example/x")),
            "/"
        );
        assert_eq!(
            sanitize(Some("https://meet.example.org@evil.example/x")),
            "/"
        );
        assert_eq!(
            sanitize(Some("https://meet.example.org//evil.example")),
            "/"
        );
    }

    #[test]
    fn refuses_everything_that_leaves() {
        for outside in [
            "https://evil.example",
            "//evil.example/path",
            "/\\evil.example",
            "/\\/evil.example",
            "javascript:alert(1)",
            "evil.example",
            "/ok\r\nLocation: https://evil.example",
            "",
        ] {
            assert_eq!(sanitize(Some(outside)), "/", "{outside:?}");
        }
        assert_eq!(sanitize(Some(&format!("/{}", "a".repeat(3000)))), "/");
    }
}

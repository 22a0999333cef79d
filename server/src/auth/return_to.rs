//! `returnTo`: where to go after login. Only ever a path inside Meet, so a crafted link cannot
//! use Meet's login to send people to another site.

/// `candidate` if it is a path inside Meet (`/…`, not `//host` or `/\host`, no control
/// characters, at most 2000 bytes), else `/`.
pub fn sanitize(candidate: Option<&str>) -> String {
    let Some(path) = candidate.map(str::trim) else {
        return "/".to_owned();
    };
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
    use super::sanitize;

    #[test]
    fn keeps_paths_inside_meet() {
        assert_eq!(sanitize(Some("/abc-defg-hij")), "/abc-defg-hij");
        assert_eq!(sanitize(Some("/?code=x#join")), "/?code=x#join");
        assert_eq!(sanitize(None), "/");
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

//! Security headers, and the script nonce that lets the hydration script run under the CSP.

use crate::helpers::{header, spawn_app, text};

#[tokio::test]
async fn pages_carry_a_csp_whose_nonce_matches_their_scripts() {
    let app = spawn_app().await;
    let response = app.get_page("/").await;
    let policy = header(&response, "content-security-policy");
    assert!(
        response.headers().get("x-meet-csp-nonce").is_none(),
        "internal header removed"
    );
    let html = text(response).await;

    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the policy has a nonce");
    assert!(nonce.len() >= 16, "{nonce}");
    assert!(
        policy.contains("script-src 'self' 'wasm-unsafe-eval' 'nonce-"),
        "{policy}"
    );
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert!(policy.contains("object-src 'none'"), "{policy}");
    assert!(policy.contains("connect-src 'self' ws://127.0.0.1:7880 http://127.0.0.1:7880"));

    let scripts = html.matches("<script").count();
    assert!(scripts >= 1);
    assert_eq!(
        html.matches(&format!(r#"nonce="{nonce}""#)).count(),
        scripts,
        "{html}"
    );

    let other = header(&app.get_page("/").await, "content-security-policy");
    assert_ne!(other, policy, "a fresh nonce per response");
}

#[tokio::test]
async fn every_response_has_the_security_headers() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/healthz",
        "/no/such/page",
        "/favicon.svg",
        "/join?code=x",
    ] {
        let response = app.get(path).await;
        assert_eq!(
            header(&response, "x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            header(&response, "referrer-policy"),
            "same-origin",
            "{path}"
        );
        assert!(header(&response, "content-security-policy").contains("default-src 'self'"));
        assert!(
            header(&response, "permissions-policy").contains("camera=(self)"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn over_https_browsers_are_told_to_keep_to_it() {
    let plain = spawn_app().await;
    assert_eq!(
        header(&plain.get("/").await, "strict-transport-security"),
        ""
    );
    let https = crate::helpers::spawn_app_with(crate::helpers::AppOptions {
        configure: Box::new(|config| {
            config.public_url = Some(url::Url::parse("https://meet.example.org").expect("url"));
        }),
        ..Default::default()
    })
    .await
    .expect("app");
    for path in ["/", "/healthz", "/api/v1.0/config/"] {
        assert_eq!(
            header(&https.get(path).await, "strict-transport-security"),
            "max-age=31536000",
            "{path}"
        );
    }
}

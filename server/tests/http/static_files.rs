//! Static files: the hashed bundle is cached for good and sent compressed; `public/` files are
//! served at the top level, ahead of the `/:slug` meeting route.

use crate::helpers::{BRIDGE_HASH, CSS_HASH, WASM_HASH, header, spawn_app, text};

#[tokio::test]
async fn hashed_bundle_files_are_immutable() {
    let app = spawn_app().await;
    let response = app.get(&format!("/pkg/meet.{CSS_HASH}.css")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), "text/css");
    assert_eq!(
        header(&response, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(text(response).await, "body { color: black; }\n");

    // Bundles esbuild made of npm packages too.
    let response = app
        .get(&format!("/pkg/livekit-bridge.{BRIDGE_HASH}.js"))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), "text/javascript");
    assert_eq!(
        header(&response, "cache-control"),
        "public, max-age=31536000, immutable"
    );
}

#[tokio::test]
async fn precompressed_copies_are_sent_to_browsers_that_accept_them() {
    let app = spawn_app().await;
    let path = format!("/pkg/meet.{WASM_HASH}.wasm");
    let response = app
        .client
        .get(app.url(&path))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-encoding"), "gzip");
    assert_eq!(header(&response, "content-type"), "application/wasm");
    assert_eq!(
        header(&response, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"gzipped wasm");

    let plain = app.get(&path).await;
    assert_eq!(header(&plain, "content-encoding"), "");
    assert_eq!(plain.bytes().await.unwrap().as_ref(), b"\0asm\x01\0\0\0");
}

#[tokio::test]
async fn pages_are_compressed_on_the_fly() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/"))
        .header("accept-encoding", "br")
        .send()
        .await;
    let response = response.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-encoding"), "br");
    assert_eq!(header(&response, "cache-control"), "no-cache, private");
}

#[tokio::test]
async fn public_files_are_served_at_the_top_level() {
    let app = spawn_app().await;
    let response = app.get("/favicon.svg").await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), "image/svg+xml");
    assert_eq!(header(&response, "cache-control"), "public, max-age=86400");
    assert!(text(response).await.starts_with("<svg"));

    let robots = text(app.get("/robots.txt").await).await;
    assert!(robots.contains("Disallow: /"), "{robots}");
}

#[tokio::test]
async fn missing_bundle_files_are_404_and_not_cached() {
    let app = spawn_app().await;
    let response = app.get("/pkg/meet.ffffffffffffffff.js").await;
    assert_eq!(response.status(), 404);
    assert_eq!(header(&response, "cache-control"), "no-cache, private");
}

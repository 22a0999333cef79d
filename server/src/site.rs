//! The built front end on disk (the "site root"): the bundles under `pkg/` (the wasm, its glue
//! module, the stylesheet, the ES modules esbuild made of npm packages), each with its content
//! hash in its name and listed by bundle name in `pkg/manifest.json`, and the files of `public/`
//! at the top. This module reads the manifest at startup and serves the files with the right
//! cache and compression headers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use http::header::{CACHE_CONTROL, HeaderValue};
use meet_app::shell::Assets;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::state::AppState;

/// Base name of the wasm bundle and its glue module (`meet.<hash>.wasm`, `meet.<hash>.js`).
pub const OUTPUT_NAME: &str = "meet";
/// Folder of the site root holding the front-end bundles, served at `/pkg`.
pub const PKG_DIR: &str = "pkg";
/// File in `pkg/` mapping each bundle's name to its hashed file: `{"meet.js": "meet.<hash>.js"}`.
pub const MANIFEST: &str = "manifest.json";

/// Files whose names carry their content hash never change: browsers may keep them for a year.
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
/// Other front-end files must be revalidated on each use.
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");
/// Files of `public/` (favicon, robots.txt) may be kept a day.
const PUBLIC_FILE: HeaderValue = HeaderValue::from_static("public, max-age=86400");

/// Why the site root cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error(
        "MEET_SITE_ROOT={root}: cannot read {file} ({source}); build the front end with `make build`"
    )]
    MissingManifest {
        root: PathBuf,
        file: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "MEET_SITE_ROOT={root}: {file} is not a bundle manifest ({reason}); rebuild with `make build`"
    )]
    InvalidManifest {
        root: PathBuf,
        file: PathBuf,
        reason: String,
    },
    #[error("MEET_SITE_ROOT={root}: {file} names no `{bundle}`; rebuild with `make build`")]
    MissingBundle {
        root: PathBuf,
        file: PathBuf,
        bundle: &'static str,
    },
    #[error("MEET_SITE_ROOT={root}: {file} is missing; rebuild with `make build`")]
    MissingFile { root: PathBuf, file: PathBuf },
}

/// Reads `pkg/manifest.json` and checks that every bundle it names is a hashed file that exists.
pub fn load_assets(site_root: &Path) -> Result<Assets, SiteError> {
    let pkg = site_root.join(PKG_DIR);
    let file = pkg.join(MANIFEST);
    let invalid = |reason: String| SiteError::InvalidManifest {
        root: site_root.to_owned(),
        file: file.clone(),
        reason,
    };
    let text = std::fs::read_to_string(&file).map_err(|source| SiteError::MissingManifest {
        root: site_root.to_owned(),
        file: file.clone(),
        source,
    })?;
    let manifest: BTreeMap<String, String> =
        serde_json::from_str(&text).map_err(|error| invalid(error.to_string()))?;
    let mut bundles = BTreeMap::new();
    for (name, hashed) in manifest {
        if !is_safe_name(&name) || !is_hashed_file(&hashed) {
            return Err(invalid(format!("\"{name}\": \"{hashed}\"")));
        }
        if !pkg.join(&hashed).is_file() {
            return Err(SiteError::MissingFile {
                root: site_root.to_owned(),
                file: pkg.join(hashed),
            });
        }
        bundles.insert(name, format!("/{PKG_DIR}/{hashed}"));
    }
    Assets::new(bundles).map_err(|bundle| SiteError::MissingBundle {
        root: site_root.to_owned(),
        file: file.clone(),
        bundle,
    })
}

/// A bundle name: `name.extension`, of ASCII letters, digits, `-` and `_`.
fn is_safe_name(name: &str) -> bool {
    let mut parts = name.split('.');
    let (Some(base), Some(extension), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    [base, extension].iter().all(|part| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// Whether `name` is a bundle file with its content hash: `name.<hex hash>.extension`.
fn is_hashed_file(name: &str) -> bool {
    let mut parts = name.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(base), Some(hash), Some(extension), None) => {
            is_safe_name(&format!("{base}.{extension}"))
                && hash.len() >= 8
                && hash.bytes().all(|b| b.is_ascii_hexdigit())
        }
        _ => false,
    }
}

/// Routes for the static files: `/pkg/…` and every top-level entry of the site root. They are
/// registered by name, so they take precedence over the `/:slug` meeting route.
pub fn routes(site_root: &Path) -> std::io::Result<Router<AppState>> {
    let pkg = ServeDir::new(site_root.join(PKG_DIR))
        .precompressed_br()
        .precompressed_gzip();
    let mut router = Router::new()
        .nest_service(&format!("/{PKG_DIR}"), pkg)
        .layer(middleware::from_fn(pkg_cache));
    for entry in std::fs::read_dir(site_root)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == PKG_DIR || name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let public = SetResponseHeaderLayer::if_not_present(CACHE_CONTROL, PUBLIC_FILE);
        router = if entry.file_type()?.is_dir() {
            let service = ServeDir::new(path).precompressed_br().precompressed_gzip();
            router.nest_service(
                &format!("/{name}"),
                tower::ServiceBuilder::new().layer(public).service(service),
            )
        } else {
            router.route_service(
                &format!("/{name}"),
                tower::ServiceBuilder::new()
                    .layer(public)
                    .service(ServeFile::new(path)),
            )
        };
    }
    Ok(router)
}

/// Sets `Cache-Control` on `/pkg/…` responses: hashed names are immutable, others revalidate.
async fn pkg_cache(request: Request, next: Next) -> Response {
    let immutable = is_hashed_bundle_file(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == http::StatusCode::NOT_MODIFIED {
        let value = if immutable { IMMUTABLE } else { REVALIDATE };
        response.headers_mut().insert(CACHE_CONTROL, value);
    }
    response
}

/// Whether `path` is `/pkg/<name>.<hex hash>.<extension>`.
fn is_hashed_bundle_file(path: &str) -> bool {
    path.strip_prefix(&format!("/{PKG_DIR}/"))
        .is_some_and(is_hashed_file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use meet_app::bundle::Bundle;

    #[test]
    fn only_hashed_bundle_files_are_immutable() {
        assert!(is_hashed_bundle_file("/pkg/meet.0123456789abcdef.wasm"));
        assert!(is_hashed_bundle_file("/pkg/meet.0123456789abcdef.js"));
        assert!(!is_hashed_bundle_file("/pkg/meet.js"));
        assert!(!is_hashed_bundle_file("/pkg/meet.notahash!.js"));
        assert!(!is_hashed_bundle_file("/pkg/snippets/x/inline0.js"));
        assert!(!is_hashed_bundle_file("/favicon.svg"));
        assert!(is_hashed_bundle_file(
            "/pkg/livekit-bridge.0123456789abcdef.js"
        ));
        assert!(!is_hashed_bundle_file("/pkg/../meet.0123456789abcdef.js"));
    }

    fn site_with(manifest: &str, files: &[String]) -> tempfile::TempDir {
        let root = tempfile::TempDir::new().expect("site root");
        let pkg = root.path().join(PKG_DIR);
        std::fs::create_dir_all(&pkg).expect("pkg");
        std::fs::write(pkg.join(MANIFEST), manifest).expect("manifest");
        for file in files {
            std::fs::write(pkg.join(file), "x").expect("bundle");
        }
        root
    }

    /// The bundles every site has ([`Assets::REQUIRED`]), each at `<stem>.0123456789abcdef.<ext>`:
    /// the manifest's entries (without braces) and the files.
    fn main_bundles() -> (String, Vec<String>) {
        let files: Vec<(&str, String)> = Assets::REQUIRED
            .iter()
            .map(|name| {
                let (stem, extension) = name.rsplit_once('.').expect("an extension");
                (*name, format!("{stem}.0123456789abcdef.{extension}"))
            })
            .collect();
        let entries: Vec<String> = files
            .iter()
            .map(|(name, file)| format!("{name:?}: {file:?}"))
            .collect();
        (
            entries.join(", "),
            files.into_iter().map(|(_, file)| file).collect(),
        )
    }

    #[test]
    fn every_bundle_of_the_manifest_is_found_and_named_in_the_import_map() {
        let (main, mut files) = main_bundles();
        let manifest =
            format!(r#"{{{main}, "livekit-bridge.js": "livekit-bridge.fedcba9876543210.js"}}"#);
        files.push("livekit-bridge.fedcba9876543210.js".to_owned());
        let root = site_with(&manifest, &files);
        let assets = load_assets(root.path()).expect("assets");
        assert_eq!(
            assets.url("livekit-bridge.js"),
            Some("/pkg/livekit-bridge.fedcba9876543210.js")
        );
        assert_eq!(
            assets.import_map(Bundle::Site),
            r#"{"imports":{"livekit-bridge":"/pkg/livekit-bridge.fedcba9876543210.js","meet":"/pkg/meet.0123456789abcdef.js"}}"#
        );
        assert_eq!(
            assets.import_map(Bundle::Meeting),
            r#"{"imports":{"livekit-bridge":"/pkg/livekit-bridge.fedcba9876543210.js","meeting-split":"/pkg/meeting-split.0123456789abcdef.js","meeting":"/pkg/meeting.0123456789abcdef.js"}}"#
        );
        assert_eq!(assets.stylesheets(), ["/pkg/meet.0123456789abcdef.css"]);
    }

    #[test]
    fn a_wrong_manifest_is_named() {
        let (main, main_files) = main_bundles();
        let cases = [
            (format!("{{{main}}}"), Vec::new(), "is missing"),
            (
                "not json".to_owned(),
                main_files.clone(),
                "is not a bundle manifest",
            ),
            (
                r#"{"meet.js": "meet.0123456789abcdef.js"}"#.to_owned(),
                main_files.clone(),
                "names no `meet.wasm`",
            ),
            (
                format!(r#"{{{main}, "x.js": "../x.0123456789abcdef.js"}}"#),
                main_files.clone(),
                "is not a bundle manifest",
            ),
            (
                format!(r#"{{{main}, "</script>.js": "x.0123456789abcdef.js"}}"#),
                main_files.clone(),
                "is not a bundle manifest",
            ),
        ];
        for (manifest, files, message) in cases {
            let root = site_with(&manifest, &files);
            let error = load_assets(root.path()).expect_err("refused").to_string();
            assert!(error.contains(message), "{manifest}: {error}");
        }
    }
}

//! The built front end on disk (the "site root"): the hashed wasm, JS and CSS under `pkg/`, and
//! the files of `public/` at the top. This module finds the hashed names at startup and serves
//! the files with the right cache and compression headers.

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

/// Base name of the front-end files: `meet.<hash>.js`, `meet.<hash>.wasm`, `meet.<hash>.css`.
pub const OUTPUT_NAME: &str = "meet";
/// Folder of the site root holding the front-end bundle, served at `/pkg`.
pub const PKG_DIR: &str = "pkg";
/// File in `pkg/` listing the content hash of each bundle file, one `kind: hash` per line.
pub const HASH_FILE: &str = "hash.txt";

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
    MissingHashFile {
        root: PathBuf,
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("MEET_SITE_ROOT={root}: {file} has no `{kind}:` line; rebuild with `make build`")]
    MissingEntry {
        root: PathBuf,
        file: PathBuf,
        kind: &'static str,
    },
    #[error("MEET_SITE_ROOT={root}: {file} is missing; rebuild with `make build`")]
    MissingFile { root: PathBuf, file: PathBuf },
}

/// Reads `pkg/hash.txt` and checks that the files it names exist.
pub fn load_assets(site_root: &Path) -> Result<Assets, SiteError> {
    let pkg = site_root.join(PKG_DIR);
    let hash_file = pkg.join(HASH_FILE);
    let hashes =
        std::fs::read_to_string(&hash_file).map_err(|source| SiteError::MissingHashFile {
            root: site_root.to_owned(),
            file: hash_file.clone(),
            source,
        })?;
    let url_of = |kind: &'static str, extension: &str| -> Result<String, SiteError> {
        let hash = hashes
            .lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(key, _)| key.trim() == kind)
            .map(|(_, hash)| hash.trim())
            .filter(|hash| !hash.is_empty())
            .ok_or_else(|| SiteError::MissingEntry {
                root: site_root.to_owned(),
                file: hash_file.clone(),
                kind,
            })?;
        let name = format!("{OUTPUT_NAME}.{hash}.{extension}");
        if !pkg.join(&name).is_file() {
            return Err(SiteError::MissingFile {
                root: site_root.to_owned(),
                file: pkg.join(name),
            });
        }
        Ok(format!("/{PKG_DIR}/{name}"))
    };
    Ok(Assets {
        js: url_of("js", "js")?,
        wasm: url_of("wasm", "wasm")?,
        css: url_of("css", "css")?,
    })
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

/// Whether `path` is `/pkg/meet.<hex hash>.<extension>`.
fn is_hashed_bundle_file(path: &str) -> bool {
    let Some(name) = path.strip_prefix(&format!("/{PKG_DIR}/")) else {
        return false;
    };
    let mut parts = name.split('.');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some(OUTPUT_NAME), Some(hash), Some(_extension), None)
            if hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashed_bundle_files_are_immutable() {
        assert!(is_hashed_bundle_file("/pkg/meet.0123456789abcdef.wasm"));
        assert!(is_hashed_bundle_file("/pkg/meet.0123456789abcdef.js"));
        assert!(!is_hashed_bundle_file("/pkg/meet.js"));
        assert!(!is_hashed_bundle_file("/pkg/meet.notahash!.js"));
        assert!(!is_hashed_bundle_file("/pkg/snippets/x/inline0.js"));
        assert!(!is_hashed_bundle_file("/favicon.svg"));
    }
}

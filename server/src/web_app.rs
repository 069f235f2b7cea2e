//! ウェブアプリの配信 (serving the web app): the built yew app beside the API, as a single page.
//!
//! The app routes in the browser (`/c/{token}` the patient's consent page at an institution URL,
//! `/console`, `/limited`, `/me`, `/` the start page), so every page path that is not a file gets
//! `index.html`, which loads `/onshi_web.js` and `/style.css` by absolute path. The service's own
//! paths (`/v1/`, `/bridge/`, `/healthz`, `/metrics`) never do: a wrong API path is a typed JSON
//! 404, not an HTML page a program would misread. A missing asset (a path whose last segment has an
//! extension, like `/onshi_web_bg.wasm`) is a plain 404 too, so a broken build shows as one.
//!
//! Files are sent gzip-compressed from the `.gz` twins `cargo xtask` writes at build time (gzip -9,
//! once) rather than compressed per request: the Wasm module is most of the bytes a patient's phone
//! downloads, and the API's answers are left exactly as they are. Without a twin, or for a client
//! that does not accept gzip, the plain file is sent. File names are not content-hashed, so every
//! file is `Cache-Control: no-cache`: the browser keeps it and revalidates (`If-None-Match` on the
//! ETag, or `If-Modified-Since`; a 304 without a body), and a new build is never mixed with an old
//! page.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::ApiError;

/// Path prefixes that belong to the service, never to the web app.
const SERVICE_PREFIXES: [&str; 4] = ["/v1", "/bridge", "/healthz", "/metrics"];

/// Adds the web app in `dir` (with `index.html`) to `api` as its fallback.
pub fn serve(api: Router, dir: &Path) -> Result<Router, String> {
    let index = dir.join("index.html");
    if !index.is_file() {
        return Err(format!(
            "no index.html in {}: build the web app first (cargo xtask run does)",
            dir.display()
        ));
    }
    let index = ServeFile::new(index).precompressed_gzip();
    let pages = tower::service_fn(move |request: Request| {
        let index = index.clone();
        async move {
            if is_page(request.uri().path()) {
                index
                    .oneshot(request)
                    .await
                    .map(IntoResponse::into_response)
            } else {
                Ok(StatusCode::NOT_FOUND.into_response())
            }
        }
    });
    let files = ServeDir::new(dir).precompressed_gzip().fallback(pages);
    Ok(api.fallback(move |request: Request| {
        let files = files.clone();
        async move {
            if is_service_path(request.uri().path()) {
                return no_such_route().into_response();
            }
            let mut response = match files.oneshot(request).await {
                Ok(response) => response.into_response(),
                Err(never) => match never {},
            };
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response
        }
    }))
}

/// Whether `path` is under one of the service's own prefixes.
fn is_service_path(path: &str) -> bool {
    SERVICE_PREFIXES.iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// Whether `path` names a page of the app (its last segment has no extension), not a file.
fn is_page(path: &str) -> bool {
    !path.rsplit('/').next().unwrap_or_default().contains('.')
}

fn no_such_route() -> ApiError {
    ApiError::not_found(
        "ROUTE_NOT_FOUND",
        "このAPIのパスはありません。APIの一覧は /v1/openapi.json にあります",
        "no such API path; the API is listed at /v1/openapi.json",
    )
}

#[cfg(test)]
mod tests {
    use super::{is_page, is_service_path};

    #[test]
    fn service_paths_are_the_prefixes_and_below() {
        for path in ["/v1", "/v1/nothing", "/bridge/", "/healthz", "/metrics/x"] {
            assert!(is_service_path(path), "{path}");
        }
        for path in ["/", "/v10", "/c/abc", "/console", "/metricsboard", "/me"] {
            assert!(!is_service_path(path), "{path}");
        }
    }

    #[test]
    fn pages_have_no_extension() {
        for path in [
            "/",
            "/c/MTM2MDEwMDAxOAEAAAAB",
            "/console",
            "/limited/",
            "/me",
        ] {
            assert!(is_page(path), "{path}");
        }
        for path in ["/onshi_web_bg.wasm", "/missing.js", "/c/x/favicon.ico"] {
            assert!(!is_page(path), "{path}");
        }
    }
}

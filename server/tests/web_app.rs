//! The web app beside the API: every page path gets index.html, files come gzip-compressed from
//! their build-time twins, everything revalidates, and the service's own paths never turn into the
//! app.

use std::io::{Read, Write};
use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use onshi_server::testing::{state, test_now};
use tower::ServiceExt;

const INDEX: &str = "<!doctype html><html lang=\"ja\"><head><script type=\"module\" src=\"/onshi_web.js\"></script></head><body></body></html>";
const SCRIPT: &str = "export default function init() { return 'onshi'; }\n";

/// A built app in a fresh folder: each file with its gzip twin, as `cargo xtask` writes them.
fn web_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("onshi-web-app-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    for (file, text) in [("index.html", INDEX), ("onshi_web.js", SCRIPT)] {
        std::fs::write(dir.join(file), text).unwrap_or_else(|e| panic!("{e}"));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(text.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        let gz = gz.finish().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.join(format!("{file}.gz")), gz).unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

async fn app(dir: &std::path::Path) -> Router {
    let (state, _clock) = state("sqlite::memory:", test_now()).await;
    onshi_server::web_app::serve(onshi_server::http::router(state), dir)
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn get(
    app: &Router,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .clone()
        .oneshot(
            request
                .body(Body::empty())
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .to_bytes()
        .to_vec();
    (status, headers, body)
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("not gzip: {e}"));
    text
}

fn header(headers: &HeaderMap, name: header::HeaderName) -> &str {
    headers
        .get(&name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no {name} in {headers:?}"))
}

#[tokio::test]
async fn every_page_path_gets_the_app_gzip_compressed() {
    let dir = web_dir("pages");
    let app = app(&dir).await;
    for path in [
        "/",
        "/c/MTM2MDEwMDAxOAEAAAABzUFvbxI1K1tgVZ7FQbzyLA",
        "/console",
        "/limited",
        "/me",
        "/me/",
    ] {
        let (status, headers, body) =
            get(&app, path, &[("accept-encoding", "gzip, deflate, br")]).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(header(&headers, header::CONTENT_ENCODING), "gzip", "{path}");
        assert!(
            header(&headers, header::CONTENT_TYPE).starts_with("text/html"),
            "{path}"
        );
        assert_eq!(
            header(&headers, header::CACHE_CONTROL),
            "no-cache",
            "{path}"
        );
        assert_eq!(gunzip(&body), INDEX, "{path}");
    }
    // A client that does not take gzip gets the plain file.
    let (status, headers, body) = get(&app, "/console", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers.get(header::CONTENT_ENCODING).is_none(),
        "{headers:?}"
    );
    assert_eq!(body, INDEX.as_bytes());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn files_are_sent_from_their_gzip_twin_and_revalidate() {
    let dir = web_dir("files");
    let app = app(&dir).await;
    let (status, headers, body) = get(&app, "/onshi_web.js", &[("accept-encoding", "gzip")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, header::CONTENT_ENCODING), "gzip");
    assert_eq!(header(&headers, header::CONTENT_TYPE), "text/javascript");
    assert_eq!(header(&headers, header::VARY), "accept-encoding");
    assert_eq!(header(&headers, header::CACHE_CONTROL), "no-cache");
    assert_eq!(gunzip(&body), SCRIPT);
    // The browser revalidates what it keeps: unchanged, it gets 304 without a body.
    let modified = header(&headers, header::LAST_MODIFIED).to_owned();
    let (status, _, body) = get(
        &app,
        "/onshi_web.js",
        &[
            ("accept-encoding", "gzip"),
            ("if-modified-since", &modified),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    // A missing file is a 404, never the app in its place.
    let (status, _, _) = get(&app, "/onshi_web_bg.wasm", &[("accept-encoding", "gzip")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_services_paths_never_become_the_app() {
    let dir = web_dir("service");
    let app = app(&dir).await;
    let (status, _, body) = get(&app, "/healthz", &[]).await;
    assert_eq!(
        (status, body.as_slice()),
        (StatusCode::OK, b"ok".as_slice())
    );
    for path in [
        "/v1/no-such-route",
        "/v1",
        "/bridge/status",
        "/metrics/extra",
        "/healthz/x",
    ] {
        let (status, headers, body) = get(&app, path, &[("accept-encoding", "gzip")]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            header(&headers, header::CONTENT_TYPE).starts_with("application/json"),
            "{path}"
        );
        let error: serde_json::Value =
            serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(error["error"]["code"], "ROUTE_NOT_FOUND", "{path}");
        assert!(
            error["error"]["ja"].as_str().is_some_and(|m| !m.is_empty()),
            "{path}"
        );
        assert!(
            error["error"]["en"].as_str().is_some_and(|m| !m.is_empty()),
            "{path}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_folder_without_the_app_is_refused() {
    let dir = std::env::temp_dir().join(format!("onshi-web-app-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let (state, _clock) = state("sqlite::memory:", test_now()).await;
    let refused = onshi_server::web_app::serve(onshi_server::http::router(state), &dir);
    assert!(refused.is_err_and(|e| e.contains("no index.html")));
    let _ = std::fs::remove_dir_all(dir);
}

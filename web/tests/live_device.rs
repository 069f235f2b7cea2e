//! The browser device against a running onshi-server, in headless Chromium: import the key file
//! the service wrote, open a session, send authenticated requests (several at once, which must
//! still reach the service in counter order), again from the device as stored, and once more after
//! the service ended the session (a new one is opened and the request sent again).
//!
//! `cargo xtask test` starts the service on its demo and builds this test with
//! `ONSHI_LIVE_SERVICE` (the service's origin) and `ONSHI_LIVE_KEY_FILE` (a demo device's key
//! file text); the page is served from another origin, so that run lets Chromium skip CORS.
#![cfg(target_arch = "wasm32")]

use onshi_web::device::{Device, DeviceError};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const SERVICE: &str = env!("ONSHI_LIVE_SERVICE");
const KEY_FILE: &str = env!("ONSHI_LIVE_KEY_FILE");

#[wasm_bindgen(inline_js = "export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));")]
extern "C" {
    async fn sleep(ms: u32);
}

/// Sessions the service keeps per device (`MAX_SESSIONS_PER_DEVICE`); opening one more ends the
/// oldest.
const SESSIONS_PER_DEVICE: usize = 8;

fn ok<T>(r: Result<T, DeviceError>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

fn text(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

#[wasm_bindgen_test]
async fn a_browser_device_is_authenticated_by_the_service() {
    let device = ok(Device::import(KEY_FILE).await).with_service(SERVICE);

    let (status, body) = ok(device.request("GET", "/v1/patients", b"").await);
    assert_eq!(status, 200, "{}", text(&body));
    assert!(text(&body).starts_with('['), "{}", text(&body));

    // The MAC covers the path with its query and the body exactly as sent.
    let (status, body) = ok(device
        .request("GET", "/v1/consented?since=20260101", b"")
        .await);
    assert_eq!(status, 200, "{}", text(&body));
    let (status, body) = ok(device
        .request("POST", "/v1/card-checks/challenges", b"null")
        .await);
    assert_eq!(status, 200, "{}", text(&body));

    // Requests started together go one after another: every counter rises.
    let answers =
        futures::future::join_all((0..6).map(|_| device.request("GET", "/v1/patients", b""))).await;
    for answer in answers {
        let (status, body) = ok(answer);
        assert_eq!(status, 200, "{}", text(&body));
    }

    // The stored device opens its own session with the key kept in IndexedDB.
    let loaded = ok(Device::load().await)
        .unwrap_or_else(|| panic!("the imported device is stored"))
        .with_service(SERVICE);
    let (status, body) = ok(loaded.request("GET", "/v1/patients", b"").await);
    assert_eq!(status, 200, "{}", text(&body));

    // Eight newer sessions of the same device make the service end the two oldest (this device's
    // and the loaded one's, opened at least a second earlier): the next request is answered
    // DEVICE_SESSION_UNKNOWN, and the device opens a new session and sends it again.
    sleep(1100).await;
    for _ in 0..SESSIONS_PER_DEVICE {
        let other = ok(Device::load().await)
            .unwrap_or_else(|| panic!("stored"))
            .with_service(SERVICE);
        let (status, body) = ok(other.request("GET", "/v1/patients", b"").await);
        assert_eq!(status, 200, "{}", text(&body));
    }
    let (status, body) = ok(device.request("GET", "/v1/patients", b"").await);
    assert_eq!(status, 200, "{}", text(&body));

    // The service's refusals are answers, with its error code.
    let (status, body) = ok(device.request("GET", "/v1/consented?since=x", b"").await);
    assert_eq!(status, 400, "{}", text(&body));

    ok(Device::forget().await);
}

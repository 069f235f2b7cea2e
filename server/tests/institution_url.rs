//! 医療機関等専用URL・QR through the router: issue, re-issue, resolve, and the QR images, with
//! forged, truncated, outdated and other institutions' tokens refused.

use axum::Router;
use axum::body::Body;
use axum::http::header::CONTENT_TYPE;
use axum::http::{Method, Request, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http_body_util::BodyExt;
use onshi_core::facility::{FacilityKind, OperatingType};
use onshi_server::device::{DeviceClient, DeviceKind};
use onshi_server::institution_url::{self, IssuedUrl, UrlKind};
use onshi_server::institutions::Institution;
use onshi_server::state::AppState;
use onshi_server::testing::{fresh_databases, state, test_now};
use tower::ServiceExt;

const CLINIC: &str = "0110113719";
const NURSING: &str = "1361234568";
const PHARMACY: &str = "1341234563";

async fn institution(
    state: &AppState,
    code: &str,
    facility: FacilityKind,
    operating: OperatingType,
) {
    Institution {
        code: code.into(),
        name: format!("テスト{code}"),
        facility,
        operating,
    }
    .save(&state.db, test_now())
    .await
    .unwrap_or_else(|e| panic!("{e}"));
}

async fn device_of(state: &AppState, router: &Router, code: &str, seed: u8) -> DeviceClient {
    onshi_server::testing::device_client(state, router, code, DeviceKind::Tablet, seed).await
}

async fn call(
    router: &Router,
    client: &mut DeviceClient,
    method: Method,
    path: &str,
) -> (StatusCode, Option<String>, Vec<u8>) {
    let req = client
        .request(method, path, None, Vec::new())
        .unwrap_or_else(|e| panic!("{e}"));
    let response = router
        .clone()
        .oneshot(req)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = response.status();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .to_bytes()
        .to_vec();
    (status, content_type, body)
}

fn error_code(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["error"]["code"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

async fn issue(router: &Router, client: &mut DeviceClient, kind: &str) -> IssuedUrl {
    let (status, _, body) = call(
        router,
        client,
        Method::POST,
        &format!("/v1/institution/urls/{kind}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{e}"))
}

async fn resolve_code(state: &AppState, token: &str) -> String {
    institution_url::resolve(state, token)
        .await
        .err()
        .map(|e| e.code)
        .unwrap_or_default()
}

#[tokio::test]
async fn urls_issue_reissue_and_resolve() {
    for url in fresh_databases().await {
        let (state, _clock) = state(&url, test_now()).await;
        institution(
            &state,
            CLINIC,
            FacilityKind::MedicalClinic,
            OperatingType::ConsentAtHome,
        )
        .await;
        institution(
            &state,
            NURSING,
            FacilityKind::HomeNursingStation,
            OperatingType::ConsentAtHome,
        )
        .await;
        let router = onshi_server::http::router(state.clone());
        let mut clinic = device_of(&state, &router, CLINIC, 21).await;
        let mut nursing = device_of(&state, &router, NURSING, 22).await;

        // Nothing issued yet: an empty list, and no URL of a kind.
        let (status, _, body) =
            call(&router, &mut clinic, Method::GET, "/v1/institution/urls").await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&body).unwrap_or_default(),
            serde_json::json!({ "urls": [] })
        );
        let (status, _, body) = call(
            &router,
            &mut clinic,
            Method::GET,
            "/v1/institution/urls/home_visit",
        )
        .await;
        assert_eq!(
            (status, error_code(&body).as_str()),
            (StatusCode::NOT_FOUND, "INSTITUTION_URL_NOT_ISSUED")
        );

        let first = issue(&router, &mut clinic, "home_visit").await;
        assert_eq!(first.generation, 1);
        assert_eq!(first.url, format!("http://onshi.test/c/{}", first.token));
        let (found, kind) = institution_url::resolve(&state, &first.token)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((found.code.as_str(), kind), (CLINIC, UrlKind::HomeVisit));

        // The current URL is shown again without a new generation.
        let (status, _, body) = call(
            &router,
            &mut clinic,
            Method::GET,
            "/v1/institution/urls/home_visit",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let shown: IssuedUrl = serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(shown, first);

        // Online is a separate URL with its own generations.
        let online = issue(&router, &mut clinic, "online").await;
        assert_eq!(online.generation, 1);
        // The list shows both, each with its kind.
        let (status, _, body) =
            call(&router, &mut clinic, Method::GET, "/v1/institution/urls").await;
        assert_eq!(status, StatusCode::OK);
        let listed: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(
            listed["urls"],
            serde_json::json!([
                { "kind": "home_visit", "url": first.url, "token": first.token, "generation": 1 },
                { "kind": "online", "url": online.url, "token": online.token, "generation": 1 },
            ])
        );
        assert_ne!(online.token, first.token);
        let (_, kind) = institution_url::resolve(&state, &online.token)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kind, UrlKind::Online);

        // Re-issue: the old generation is refused, the new one resolves.
        let second = issue(&router, &mut clinic, "home_visit").await;
        assert_eq!(second.generation, 2);
        assert_eq!(
            resolve_code(&state, &first.token).await,
            "INSTITUTION_URL_REISSUED"
        );
        assert!(
            institution_url::resolve(&state, &second.token)
                .await
                .is_ok()
        );
        assert!(
            institution_url::resolve(&state, &online.token)
                .await
                .is_ok()
        );

        // Another institution's device issues its own URL and touches nothing of the clinic's.
        let theirs = issue(&router, &mut nursing, "home_visit").await;
        assert_eq!(theirs.generation, 1);
        let (found, _) = institution_url::resolve(&state, &theirs.token)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(found.code, NURSING);
        assert!(
            institution_url::resolve(&state, &second.token)
                .await
                .is_ok()
        );

        // A token with the clinic's code put into the other institution's MAC is a forgery.
        let mut bytes = URL_SAFE_NO_PAD
            .decode(&theirs.token)
            .unwrap_or_else(|e| panic!("{e}"));
        bytes[..10].copy_from_slice(CLINIC.as_bytes());
        assert_eq!(
            resolve_code(&state, &URL_SAFE_NO_PAD.encode(&bytes)).await,
            "INSTITUTION_URL_INVALID"
        );
        // A generation bumped by hand is a forgery too.
        let mut bytes = URL_SAFE_NO_PAD
            .decode(&second.token)
            .unwrap_or_else(|e| panic!("{e}"));
        bytes[14] = 3;
        assert_eq!(
            resolve_code(&state, &URL_SAFE_NO_PAD.encode(&bytes)).await,
            "INSTITUTION_URL_INVALID"
        );
        // Truncated, padded and garbled.
        for bad in [
            &second.token[..second.token.len() - 1],
            &second.token[..20],
            &format!("{}A", second.token),
            "",
            "not a token",
        ] {
            assert_eq!(
                resolve_code(&state, bad).await,
                "INSTITUTION_URL_INVALID",
                "{bad}"
            );
        }
        // A token made with another deployment's key.
        let foreign = institution_url::token(&[0; 32], CLINIC, UrlKind::HomeVisit, 2)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            resolve_code(&state, &foreign).await,
            "INSTITUTION_URL_INVALID"
        );

        // Unknown kinds.
        let (status, _, body) = call(
            &router,
            &mut clinic,
            Method::POST,
            "/v1/institution/urls/desk",
        )
        .await;
        assert_eq!(
            (status, error_code(&body).as_str()),
            (StatusCode::NOT_FOUND, "INSTITUTION_URL_KIND_UNKNOWN")
        );
    }
}

#[tokio::test]
async fn only_consent_at_home_institutions_get_urls() {
    for url in fresh_databases().await {
        let (state, _clock) = state(&url, test_now()).await;
        institution(
            &state,
            PHARMACY,
            FacilityKind::Pharmacy,
            OperatingType::Standard,
        )
        .await;
        let router = onshi_server::http::router(state.clone());
        let mut pharmacy = device_of(&state, &router, PHARMACY, 23).await;
        let (status, _, body) = call(
            &router,
            &mut pharmacy,
            Method::POST,
            "/v1/institution/urls/home_visit",
        )
        .await;
        assert_eq!(
            (status, error_code(&body).as_str()),
            (StatusCode::FORBIDDEN, "INSTITUTION_URL_NOT_AVAILABLE")
        );

        // Switched to 居宅同意取得型, it may; switched back, its URL stops resolving.
        institution(
            &state,
            PHARMACY,
            FacilityKind::Pharmacy,
            OperatingType::ConsentAtHome,
        )
        .await;
        let issued = issue(&router, &mut pharmacy, "home_visit").await;
        assert!(
            institution_url::resolve(&state, &issued.token)
                .await
                .is_ok()
        );
        institution(
            &state,
            PHARMACY,
            FacilityKind::Pharmacy,
            OperatingType::Standard,
        )
        .await;
        assert_eq!(
            resolve_code(&state, &issued.token).await,
            "INSTITUTION_URL_NOT_AVAILABLE"
        );

        // Without a device session, nothing.
        let req = Request::post("/v1/institution/urls/home_visit")
            .body(Body::empty())
            .unwrap_or_else(|e| panic!("{e}"));
        let response = router
            .clone()
            .oneshot(req)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn qr_codes_come_as_svg_and_png() {
    for url in fresh_databases().await {
        let (state, _clock) = state(&url, test_now()).await;
        institution(
            &state,
            CLINIC,
            FacilityKind::MedicalClinic,
            OperatingType::ConsentAtHome,
        )
        .await;
        let router = onshi_server::http::router(state.clone());
        let mut clinic = device_of(&state, &router, CLINIC, 24).await;
        let (status, _, body) = call(
            &router,
            &mut clinic,
            Method::GET,
            "/v1/institution/urls/online/qr.png",
        )
        .await;
        assert_eq!(
            (status, error_code(&body).as_str()),
            (StatusCode::NOT_FOUND, "INSTITUTION_URL_NOT_ISSUED")
        );
        issue(&router, &mut clinic, "online").await;

        let (status, content_type, svg) = call(
            &router,
            &mut clinic,
            Method::GET,
            "/v1/institution/urls/online/qr.svg",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(content_type.as_deref(), Some("image/svg+xml"));
        assert!(String::from_utf8_lossy(&svg).contains("<svg"));

        let (status, content_type, png) = call(
            &router,
            &mut clinic,
            Method::GET,
            "/v1/institution/urls/online/qr.png",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(content_type.as_deref(), Some("image/png"));
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap_or_else(|e| panic!("{e}"));
        let (width, height) = (reader.info().width, reader.info().height);
        assert_eq!(width, height);
        let mut pixels = vec![0; reader.output_buffer_size().unwrap_or_default()];
        reader
            .next_frame(&mut pixels)
            .unwrap_or_else(|e| panic!("{e}"));
        // The quiet zone: the first 4 modules' rows (32 px at 8 px/module) are white.
        let quiet = (4 * institution_url::PNG_SCALE * width) as usize;
        assert!(pixels[..quiet].iter().all(|&p| p == 255));
        assert!(pixels.contains(&0));
    }
}

//! 端末認証 (device authentication) through the router: session openings, signed requests, and
//! every way either is refused, on each backend under test.

use axum::Router;
use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{Method, Request, StatusCode};
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http_body_util::BodyExt;
use onshi_core::facility::{FacilityKind, OperatingType};
use onshi_server::device::{self, DeviceClient, DeviceIdentity, DeviceKind, Signed};
use onshi_server::institutions::Institution;
use onshi_server::state::AppState;
use onshi_server::testing::{fresh_databases, state, test_now};
use p256::ecdsa::SigningKey;
use serde::{Deserialize, Serialize};
use tower::ServiceExt;

const CLINIC: &str = "0110113719";
const NURSING: &str = "1361234568";

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Echo {
    x: u32,
}

#[derive(Debug, Serialize, Deserialize)]
struct Echoed {
    device: DeviceIdentity,
    body: Option<Echo>,
}

async fn echo(signed: Signed<Option<Echo>>) -> axum::Json<Echoed> {
    axum::Json(Echoed {
        device: signed.device,
        body: signed.body,
    })
}

async fn raw(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request<Body>,
) -> Result<String, onshi_server::error::ApiError> {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .map_err(onshi_server::error::ApiError::internal)?;
    let device = device::authenticate(&state, &parts, &bytes).await?;
    Ok(format!("{} {}", device.device_id, bytes.len()))
}

fn router(state: AppState) -> Router {
    Router::new()
        .route("/echo", post(echo).get(echo))
        .route("/raw", post(raw))
        .merge(device::routes())
        .with_state(state)
}

async fn institution(state: &AppState, code: &str, facility: FacilityKind) {
    Institution {
        code: code.into(),
        name: format!("テスト{code}"),
        facility,
        operating: OperatingType::ConsentAtHome,
    }
    .save(&state.db, test_now())
    .await
    .unwrap_or_else(|e| panic!("{e}"));
}

struct Setup {
    state: AppState,
    clock: std::sync::Arc<onshi_server::clock::FixedClock>,
    router: Router,
    key: SigningKey,
    device_id: String,
}

impl Setup {
    fn client(&self) -> DeviceClient {
        DeviceClient::new(&self.device_id, CLINIC, self.key.clone()).with_clock(self.clock.clone())
    }
}

fn key(seed: u8) -> SigningKey {
    SigningKey::from_slice(&[seed; 32]).unwrap_or_else(|e| panic!("{e}"))
}

async fn setup(url: &str) -> Setup {
    let (state, clock) = state(url, test_now()).await;
    institution(&state, CLINIC, FacilityKind::MedicalClinic).await;
    institution(&state, NURSING, FacilityKind::HomeNursingStation).await;
    let key = key(11);
    let device_id = device::register(
        &state.db,
        CLINIC,
        "訪問診療タブレット1",
        DeviceKind::Tablet,
        key.verifying_key(),
        test_now(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    Setup {
        router: router(state.clone()),
        state,
        clock,
        key,
        device_id,
    }
}

async fn send(router: &Router, request: Request<Body>) -> (StatusCode, serde_json::Value) {
    let response = router
        .clone()
        .oneshot(request)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .to_bytes();
    let json = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, json)
}

fn code(json: &serde_json::Value) -> &str {
    json["error"]["code"].as_str().unwrap_or("")
}

fn open_request(sign1: Vec<u8>) -> Request<Body> {
    Request::post("/v1/device-sessions")
        .header(CONTENT_TYPE, "application/cose")
        .body(Body::from(sign1))
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn opened(s: &Setup) -> DeviceClient {
    let mut client = s.client();
    client
        .open_session_in_process(&s.router)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    client
}

#[tokio::test]
async fn a_device_opens_a_session_and_signs_json_cbor_and_get_requests() {
    for url in fresh_databases().await {
        let s = setup(&url).await;
        let mut client = opened(&s).await;
        assert!(client.has_session());

        let req = client
            .json_request(Method::POST, "/echo?a=1", &Echo { x: 7 })
            .unwrap_or_else(|e| panic!("{e}"));
        let (status, json) = send(&s.router, req).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        assert_eq!(json["device"]["institution"], CLINIC);
        assert_eq!(json["device"]["device_id"], s.device_id.as_str());
        assert_eq!(json["device"]["kind"], "tablet");
        assert_eq!(json["body"]["x"], 7);

        let mut cbor = Vec::new();
        ciborium::into_writer(&Echo { x: 9 }, &mut cbor).unwrap_or_else(|e| panic!("{e}"));
        let req = client
            .request(Method::POST, "/echo", Some("application/cbor"), cbor)
            .unwrap_or_else(|e| panic!("{e}"));
        let (status, json) = send(&s.router, req).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        assert_eq!(json["body"]["x"], 9);

        let req = client
            .request(Method::GET, "/echo", None, Vec::new())
            .unwrap_or_else(|e| panic!("{e}"));
        let (status, json) = send(&s.router, req).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        assert!(json["body"].is_null());

        // A raw-body handler authenticates the same way.
        let req = client
            .request(
                Method::POST,
                "/raw",
                Some("text/csv"),
                b"a,b\n1,2\n".to_vec(),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let (status, json) = send(&s.router, req).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(json, format!("{} 8", s.device_id).as_str());
    }
}

#[tokio::test]
async fn an_opening_as_json_is_accepted() {
    for url in fresh_databases().await {
        let s = setup(&url).await;
        let mut client = s.client();
        let sign1 = client.begin_session().unwrap_or_else(|e| panic!("{e}"));
        let body = serde_json::json!({ "cose": URL_SAFE_NO_PAD.encode(sign1) }).to_string();
        let req = Request::post("/v1/device-sessions")
            .header(CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap_or_else(|e| panic!("{e}"));
        let (status, json) = send(&s.router, req).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        let grant: device::session::SessionGrant =
            serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(grant.max_skew_seconds, 300);
        client
            .complete_session(&grant)
            .unwrap_or_else(|e| panic!("{e}"));
        let req = client
            .request(Method::GET, "/echo", None, Vec::new())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(send(&s.router, req).await.0, StatusCode::OK);
    }
}

#[tokio::test]
async fn openings_are_refused_for_each_reason_with_its_code() {
    for url in fresh_databases().await {
        let s = setup(&url).await;
        let refuse = |sign1: Vec<u8>| {
            let router = s.router.clone();
            async move {
                let (status, json) = send(&router, open_request(sign1)).await;
                (status, code(&json).to_owned())
            }
        };

        // Signed with a key other than the registered one.
        let mut wrong_key =
            DeviceClient::new(&s.device_id, CLINIC, key(12)).with_clock(s.clock.clone());
        let got = refuse(wrong_key.begin_session().unwrap_or_else(|e| panic!("{e}"))).await;
        assert_eq!(
            got,
            (StatusCode::UNAUTHORIZED, "DEVICE_SIGNATURE_INVALID".into())
        );

        // A device nobody registered.
        let mut unknown = DeviceClient::new("ffff", CLINIC, key(11)).with_clock(s.clock.clone());
        let got = refuse(unknown.begin_session().unwrap_or_else(|e| panic!("{e}"))).await;
        assert_eq!(got, (StatusCode::UNAUTHORIZED, "DEVICE_UNKNOWN".into()));

        // The device claims another institution than the one it is registered to.
        let mut other =
            DeviceClient::new(&s.device_id, NURSING, s.key.clone()).with_clock(s.clock.clone());
        let got = refuse(other.begin_session().unwrap_or_else(|e| panic!("{e}"))).await;
        assert_eq!(
            got,
            (StatusCode::FORBIDDEN, "DEVICE_INSTITUTION_MISMATCH".into())
        );

        // A device clock 6 minutes behind, then 6 minutes ahead.
        for minutes in [-6, 6] {
            let skewed = std::sync::Arc::new(onshi_server::clock::FixedClock::new(
                test_now() + time::Duration::minutes(minutes),
            ));
            let mut c = DeviceClient::new(&s.device_id, CLINIC, s.key.clone()).with_clock(skewed);
            let got = refuse(c.begin_session().unwrap_or_else(|e| panic!("{e}"))).await;
            assert_eq!(
                got,
                (StatusCode::UNAUTHORIZED, "DEVICE_TIMESTAMP_STALE".into())
            );
        }

        // The same opening twice.
        let mut c = s.client();
        let sign1 = c.begin_session().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            send(&s.router, open_request(sign1.clone())).await.0,
            StatusCode::OK
        );
        let got = refuse(sign1).await;
        assert_eq!(
            got,
            (StatusCode::UNAUTHORIZED, "DEVICE_NONCE_REPLAYED".into())
        );

        // Not COSE at all.
        let got = refuse(b"hello".to_vec()).await;
        assert_eq!(
            got,
            (StatusCode::UNAUTHORIZED, "DEVICE_AUTH_MALFORMED".into())
        );

        // A revoked device.
        device::revoke(&s.state.db, &s.device_id, test_now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let got = refuse(s.client().begin_session().unwrap_or_else(|e| panic!("{e}"))).await;
        assert_eq!(got, (StatusCode::FORBIDDEN, "DEVICE_REVOKED".into()));
    }
}

#[tokio::test]
async fn requests_are_refused_for_each_reason_with_its_code() {
    for url in fresh_databases().await {
        let s = setup(&url).await;
        let mut client = opened(&s).await;
        let body = serde_json::to_vec(&Echo { x: 1 }).unwrap_or_else(|e| panic!("{e}"));
        let post = |authorization: Option<String>, path: &str, method: Method, body: Vec<u8>| {
            let mut b = Request::builder()
                .method(method)
                .uri(path)
                .header(CONTENT_TYPE, "application/json");
            if let Some(a) = authorization {
                b = b.header(AUTHORIZATION, a);
            }
            b.body(Body::from(body)).unwrap_or_else(|e| panic!("{e}"))
        };
        let expect = |router: Router,
                      req: Request<Body>,
                      status: StatusCode,
                      want: &'static str| async move {
            let (got_status, json) = send(&router, req).await;
            assert_eq!((got_status, code(&json)), (status, want), "{json}");
        };
        let r = || s.router.clone();
        let auth = |c: &mut DeviceClient, m: &str, p: &str, b: &[u8]| {
            c.authorization(m, p, b).unwrap_or_else(|e| panic!("{e}"))
        };

        expect(
            r(),
            post(None, "/echo", Method::POST, body.clone()),
            StatusCode::UNAUTHORIZED,
            "DEVICE_AUTH_MISSING",
        )
        .await;
        expect(
            r(),
            post(Some("Bearer x".into()), "/echo", Method::POST, body.clone()),
            StatusCode::UNAUTHORIZED,
            "DEVICE_AUTH_MISSING",
        )
        .await;
        expect(
            r(),
            post(
                Some("COSE-Mac0 !!!".into()),
                "/echo",
                Method::POST,
                body.clone(),
            ),
            StatusCode::UNAUTHORIZED,
            "DEVICE_AUTH_MALFORMED",
        )
        .await;
        expect(
            r(),
            post(
                Some("COSE-Mac0 AAAA".into()),
                "/echo",
                Method::POST,
                body.clone(),
            ),
            StatusCode::UNAUTHORIZED,
            "DEVICE_AUTH_MALFORMED",
        )
        .await;

        // Body, method and path other than the ones MACed.
        let a = auth(&mut client, "POST", "/echo", b"{\"x\":2}");
        expect(
            r(),
            post(Some(a), "/echo", Method::POST, body.clone()),
            StatusCode::UNAUTHORIZED,
            "DEVICE_BODY_MISMATCH",
        )
        .await;
        let a = auth(&mut client, "PUT", "/echo", &body);
        expect(
            r(),
            post(Some(a), "/echo", Method::POST, body.clone()),
            StatusCode::UNAUTHORIZED,
            "DEVICE_METHOD_MISMATCH",
        )
        .await;
        let a = auth(&mut client, "POST", "/echo?x=1", &body);
        expect(
            r(),
            post(Some(a), "/echo", Method::POST, body.clone()),
            StatusCode::UNAUTHORIZED,
            "DEVICE_PATH_MISMATCH",
        )
        .await;

        // A tag changed by one bit.
        let a = auth(&mut client, "POST", "/echo", &body);
        let mut mac0 = URL_SAFE_NO_PAD
            .decode(a.trim_start_matches("COSE-Mac0 "))
            .unwrap_or_else(|e| panic!("{e}"));
        if let Some(last) = mac0.last_mut() {
            *last ^= 1;
        }
        let tampered = format!("COSE-Mac0 {}", URL_SAFE_NO_PAD.encode(mac0));
        expect(
            r(),
            post(Some(tampered), "/echo", Method::POST, body.clone()),
            StatusCode::UNAUTHORIZED,
            "DEVICE_MAC_INVALID",
        )
        .await;

        // The same request twice, and an older counter after a newer one.
        let first = auth(&mut client, "POST", "/echo", &body);
        let second = auth(&mut client, "POST", "/echo", &body);
        expect(
            r(),
            post(Some(second.clone()), "/echo", Method::POST, body.clone()),
            StatusCode::OK,
            "",
        )
        .await;
        expect(
            r(),
            post(Some(second), "/echo", Method::POST, body.clone()),
            StatusCode::UNAUTHORIZED,
            "DEVICE_COUNTER_REPLAYED",
        )
        .await;
        expect(
            r(),
            post(Some(first), "/echo", Method::POST, body.clone()),
            StatusCode::UNAUTHORIZED,
            "DEVICE_COUNTER_REPLAYED",
        )
        .await;

        // A malformed body from an authenticated device is a 400, not an authentication error.
        let a = auth(&mut client, "POST", "/echo", b"{nope");
        expect(
            r(),
            post(Some(a), "/echo", Method::POST, b"{nope".to_vec()),
            StatusCode::BAD_REQUEST,
            "REQUEST_BODY_MALFORMED",
        )
        .await;

        // A request stamped 6 minutes late (held back and sent later).
        let late = auth(&mut client, "POST", "/echo", &body);
        s.clock.advance(time::Duration::minutes(6));
        expect(
            r(),
            post(Some(late), "/echo", Method::POST, body.clone()),
            StatusCode::UNAUTHORIZED,
            "DEVICE_TIMESTAMP_STALE",
        )
        .await;

        // After 12 hours the session is over.
        s.clock.advance(time::Duration::hours(12));
        let a = auth(&mut client, "POST", "/echo", &body);
        expect(
            r(),
            post(Some(a.clone()), "/echo", Method::POST, body.clone()),
            StatusCode::UNAUTHORIZED,
            "DEVICE_SESSION_EXPIRED",
        )
        .await;
        expect(
            r(),
            post(Some(a), "/echo", Method::POST, body.clone()),
            StatusCode::UNAUTHORIZED,
            "DEVICE_SESSION_UNKNOWN",
        )
        .await;
    }
}

#[tokio::test]
async fn a_revoked_device_loses_its_sessions() {
    for url in fresh_databases().await {
        let s = setup(&url).await;
        let mut client = opened(&s).await;
        device::revoke(&s.state.db, &s.device_id, test_now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let req = client
            .request(Method::GET, "/echo", None, Vec::new())
            .unwrap_or_else(|e| panic!("{e}"));
        let (status, json) = send(&s.router, req).await;
        assert_eq!(
            (status, code(&json)),
            (StatusCode::UNAUTHORIZED, "DEVICE_SESSION_UNKNOWN")
        );

        // Revoked by another process (straight in storage): noticed within the re-check period.
        let key2 = key(13);
        let id2 = device::register(
            &s.state.db,
            CLINIC,
            "受付PC",
            DeviceKind::Pc,
            key2.verifying_key(),
            test_now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let mut c2 = DeviceClient::new(&id2, CLINIC, key2).with_clock(s.clock.clone());
        c2.open_session_in_process(&s.router)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        sqlx::query("UPDATE devices SET revoked_at = 0 WHERE id = $1")
            .bind(&id2)
            .execute(&s.state.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        s.clock.advance(time::Duration::seconds(
            device::session::REVOCATION_RECHECK_SECONDS,
        ));
        let req = c2
            .request(Method::GET, "/echo", None, Vec::new())
            .unwrap_or_else(|e| panic!("{e}"));
        let (status, json) = send(&s.router, req).await;
        assert_eq!(
            (status, code(&json)),
            (StatusCode::FORBIDDEN, "DEVICE_REVOKED")
        );

        let missing = device::revoke(&s.state.db, "nope", test_now()).await;
        assert_eq!(
            missing.err().map(|e| e.code).as_deref(),
            Some("DEVICE_NOT_FOUND")
        );
    }
}

/// Databases that outlive one state, to stand in for a restart: a SQLite file and, when
/// configured, PostgreSQL.
async fn persistent_databases() -> Vec<(String, Option<std::path::PathBuf>)> {
    let file = std::env::temp_dir().join(format!(
        "onshi-device-{}.db",
        onshi_server::keys::random_id().unwrap_or_else(|e| panic!("{e}"))
    ));
    let mut urls = vec![(format!("sqlite://{}", file.display()), Some(file))];
    if let Ok(server) = std::env::var(onshi_server::testing::POSTGRES_ENV) {
        urls.push((onshi_server::testing::fresh_postgres(&server).await, None));
    }
    urls
}

#[tokio::test]
async fn a_restart_ends_sessions_and_never_accepts_a_replay() {
    for (url, file) in persistent_databases().await {
        let s = setup(&url).await;
        let mut client = s.client();
        let sign1 = client.begin_session().unwrap_or_else(|e| panic!("{e}"));
        let (status, json) = send(&s.router, open_request(sign1.clone())).await;
        assert_eq!(status, StatusCode::OK);
        let grant = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
        client
            .complete_session(&grant)
            .unwrap_or_else(|e| panic!("{e}"));
        let captured = client
            .request(Method::GET, "/echo", None, Vec::new())
            .unwrap_or_else(|e| panic!("{e}"));
        let captured_auth = captured.headers().get(AUTHORIZATION).cloned();
        assert_eq!(send(&s.router, captured).await.0, StatusCode::OK);

        // The restart: sessions in memory are gone; a new state reads the same storage.
        device::session::end_all_sessions(&s.state);
        drop(s);
        let (state2, _clock2) = state(&url, test_now() + time::Duration::seconds(30)).await;
        let router2 = router(state2);

        // The captured opening is still within its timestamp window, but its nonce is remembered.
        let (status, json) = send(&router2, open_request(sign1)).await;
        assert_eq!(
            (status, code(&json)),
            (StatusCode::UNAUTHORIZED, "DEVICE_NONCE_REPLAYED")
        );
        // The captured request names a session that no longer exists.
        let mut replay = Request::get("/echo")
            .body(Body::empty())
            .unwrap_or_else(|e| panic!("{e}"));
        if let Some(a) = captured_auth {
            replay.headers_mut().insert(AUTHORIZATION, a);
        }
        let (status, json) = send(&router2, replay).await;
        assert_eq!(
            (status, code(&json)),
            (StatusCode::UNAUTHORIZED, "DEVICE_SESSION_UNKNOWN")
        );
        if let Some(f) = file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", f.display()));
            }
        }
    }
}

#[tokio::test]
async fn a_session_opens_over_tcp_and_a_key_file_is_private() {
    let url = fresh_databases().await.remove(0);
    let s = setup(&url).await;
    let dir = std::env::temp_dir().join(format!(
        "onshi-key-{}",
        onshi_server::keys::random_id().unwrap_or_else(|e| panic!("{e}"))
    ));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join("tablet.json");
    let id = device::cli::add(
        &s.state.db,
        CLINIC,
        "タブレット2",
        DeviceKind::Tablet,
        &path,
        test_now(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .unwrap_or_else(|e| panic!("{e}"))
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Never over an existing key.
    assert!(
        device::cli::add(&s.state.db, CLINIC, "x", DeviceKind::Pc, &path, test_now())
            .await
            .is_err()
    );
    // An unknown institution leaves no key file behind.
    let stray = dir.join("stray.json");
    assert!(
        device::cli::add(
            &s.state.db,
            "1341234563",
            "x",
            DeviceKind::Pc,
            &stray,
            test_now()
        )
        .await
        .is_err()
    );
    assert!(!stray.exists());

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let app = s.router.clone();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let mut client = DeviceClient::from_key_file(&path)
        .unwrap_or_else(|e| panic!("{e}"))
        .with_clock(s.clock.clone());
    assert_eq!(client.device_id(), id);
    client
        .open_session(&format!("http://{addr}"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let req = client
        .request(Method::GET, "/echo", None, Vec::new())
        .unwrap_or_else(|e| panic!("{e}"));
    let (status, json) = send(&s.router, req).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["device"]["device_id"], id.as_str());
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

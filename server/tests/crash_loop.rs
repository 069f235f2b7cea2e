//! kill -9 while the service works: the real binary on a SQLite file is killed at arbitrary moments
//! during a 10,000-row 一括照会 and during consent registrations, and restarted each time. Every
//! committed record must survive, none may be duplicated, and nothing may be half written: a job
//! finishes with exactly one result per row; each registered session has its consents and receipt.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use onshi_core::card::demo::{self, DEMO_CARDS};
use onshi_core::card::verify::{RevocationList, verify_certificate};
use onshi_core::facility::{FacilityKind, OperatingType};
use onshi_core::flows::CertificateHolder;
use onshi_server::device::{self, DeviceClient, DeviceKind};
use onshi_server::institutions::Institution;
use onshi_server::registry;
use p256::ecdsa::SigningKey;
use serde_json::{Value, json};

const STATION: &str = "1361234568";
const ROWS: usize = 10_000;
/// The service's population seed (its TEST root) — the binary's default.
const SEED: u64 = 1;

struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(url: &str) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_onshi-server"))
            .args(["serve", "--addr", "127.0.0.1:0", "--database-url", url])
            .env("RUST_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("stdout"));
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .unwrap_or_else(|e| panic!("{e}"));
        let addr = line
            .trim()
            .trim_start_matches("onshi service: http://")
            .trim_end_matches('/')
            .to_owned();
        Self { child, addr }
    }

    fn kill9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn http(addr: &str, request: Request<Full<Bytes>>) -> Option<(u16, Value)> {
    let stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .ok()?;
    tokio::spawn(conn);
    let response = sender.send_request(request).await.ok()?;
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.ok()?.to_bytes();
    Some((
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}

fn request(
    method: &str,
    path: &str,
    authorization: Option<String>,
    content_type: &str,
    body: Vec<u8>,
) -> Request<Full<Bytes>> {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1")
        .header("content-type", content_type);
    if let Some(a) = authorization {
        b = b.header("authorization", a);
    }
    b.body(Full::new(Bytes::from(body)))
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn signed(
    client: &mut DeviceClient,
    addr: &str,
    method: &str,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Option<(u16, Value)> {
    client.open_session(&format!("http://{addr}")).await.ok()?;
    let authorization = client.authorization(method, path, &body).ok()?;
    http(
        addr,
        request(method, path, Some(authorization), content_type, body),
    )
    .await
}

async fn count(db: &onshi_server::db::Db, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&db.pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_loses_and_duplicates_nothing() {
    let dir = std::env::temp_dir().join(format!("onshi-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let url = format!("sqlite://{}", dir.join("onshi.db").display());

    // The registry, the station, its device and a registered card, written before the first start.
    let now = onshi_server::clock::Clock::now(&onshi_server::clock::SystemClock);
    let state = onshi_server::state::sandbox(
        &url,
        "http://x",
        SEED,
        std::sync::Arc::new(onshi_server::clock::SystemClock),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    Institution {
        code: STATION.into(),
        name: "クラッシュ試験ステーション".into(),
        facility: FacilityKind::HomeNursingStation,
        operating: OperatingType::ConsentAtHome,
    }
    .save(&state.db, now)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let mut tx = state
        .db
        .pool
        .begin()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut list = String::from("照会番号,保険者番号,記号,番号,枝番,生年月日\n");
    for i in 0..ROWS {
        let q = serde_json::from_value(json!({
            "card_classification": "01", "insurer_number": "06139992", "number": format!("{i:08}"),
            "name": "試験　太郎", "sex1": "1", "birthdate": "19800401", "qualification_date": "20200401"
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        registry::register_person(&mut tx, &format!("p{i}"), now.date(), &[q], now)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        list.push_str(&format!("R{i},06139992,,{i:08},,19800401\n"));
    }
    tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
    let mut card = demo::issue(SEED, 0, now.date()).unwrap_or_else(|e| panic!("{e}"));
    let verified = verify_certificate(
        &card.certificate,
        &state.config.trust,
        &RevocationList::new(),
        CertificateHolder::Card,
        now,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    registry::register_card(&state.db, verified.link_key.as_str(), "p0", now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let key = SigningKey::from_slice(&[5u8; 32]).unwrap_or_else(|e| panic!("{e}"));
    let device_id = device::register(
        &state.db,
        STATION,
        "タブレット",
        DeviceKind::Tablet,
        key.verifying_key(),
        now,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let token = onshi_server::institution_url::issue(
        &state,
        STATION,
        onshi_server::institution_url::UrlKind::HomeVisit,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .token;
    state.db.pool.close().await;
    let mut client = DeviceClient::new(&device_id, STATION, key);

    // 1. A 10,000-row job, killed four times while it runs.
    let server = Server::start(&url);
    let (status, job) = signed(
        &mut client,
        &server.addr,
        "POST",
        "/v1/bulk-jobs",
        "text/csv",
        list.into_bytes(),
    )
    .await
    .unwrap_or_else(|| panic!("upload"));
    assert_eq!(status, 202, "{job}");
    let job_id = job["job"]["id"].as_str().unwrap_or_default().to_owned();
    let mut server = server;
    for delay_ms in [40, 90, 150, 60] {
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        server.kill9();
        server = Server::start(&url);
    }
    let mut finished = false;
    for _ in 0..200 {
        let path = format!("/v1/bulk-jobs/{job_id}");
        if let Some((200, s)) = signed(
            &mut client,
            &server.addr,
            "GET",
            &path,
            "application/json",
            Vec::new(),
        )
        .await
            && s["job"]["state"] == "completed"
        {
            finished = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(finished, "the job never completed after the restarts");

    // 2. Consent registrations, with kills in between and during them.
    let mut registered = 0;
    for round in 0..6 {
        let path = format!("/v1/consent-urls/{token}/sessions");
        let started = http(
            &server.addr,
            request(
                "POST",
                &path,
                None,
                "application/json",
                br#"{"agree_to_all":true}"#.to_vec(),
            ),
        )
        .await;
        if let Some((200, started)) = started {
            let proof = onshi_server::testing::card_proof(
                &mut card,
                DEMO_CARDS[0].pin,
                started["challenge"].as_str().unwrap_or_default(),
            );
            let session = started["session"].as_str().unwrap_or_default();
            let path = format!("/v1/consent-sessions/{session}/card");
            let addr = server.addr.clone();
            let submit = tokio::spawn(async move {
                http(
                    &addr,
                    request(
                        "POST",
                        &path,
                        None,
                        "application/json",
                        proof.to_string().into_bytes(),
                    ),
                )
                .await
            });
            if round % 2 == 1 {
                // Kill while the registration may be in flight.
                tokio::time::sleep(Duration::from_millis(2)).await;
                server.kill9();
                server = Server::start(&url);
            }
            if let Ok(Some((200, _))) = submit.await {
                registered += 1;
            }
        }
    }
    server.kill9();
    // The three rounds without a kill register for sure.
    assert!(registered >= 3, "only {registered} registrations answered");

    // Nothing lost, nothing doubled, nothing half written.
    let state = onshi_server::state::sandbox(
        &url,
        "http://x",
        SEED,
        std::sync::Arc::new(onshi_server::clock::SystemClock),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        count(&state.db, "SELECT COUNT(*) FROM bulk_rows").await,
        ROWS as i64
    );
    assert_eq!(
        count(
            &state.db,
            "SELECT COUNT(*) FROM bulk_rows WHERE status = 'pending'"
        )
        .await,
        0
    );
    assert_eq!(
        count(&state.db, "SELECT MAX(done) FROM bulk_jobs").await,
        ROWS as i64
    );
    let sessions = count(
        &state.db,
        "SELECT COUNT(*) FROM consent_sessions WHERE state = 'registered'",
    )
    .await;
    assert!(
        sessions >= registered,
        "an acknowledged registration was lost"
    );
    assert_eq!(
        count(&state.db, "SELECT COUNT(*) FROM consent_receipts").await,
        sessions
    );
    assert_eq!(
        count(&state.db, "SELECT COUNT(*) FROM consents").await,
        4 * sessions
    );
    assert_eq!(
        count(&state.db, "SELECT COUNT(*) FROM care_relationships").await,
        i64::from(sessions > 0)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

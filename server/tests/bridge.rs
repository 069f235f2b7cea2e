//! The reader bridge (カードリーダー中継) through HTTP, mounted in the service as `serve
//! --reader-bridge virtual` mounts it: a page lists the readers, connects to a demo card and runs
//! core's JPKI client by relaying each APDU — one wrong PIN, then the right one — and the service's
//! own verifier accepts the signature and finds the card registered. Exclusive holding, reset on
//! release, the idle limit, refused origins and hosts, malformed input, and the command line
//! (loopback only; pcscd down) too. The same routes over pcscd: `bridge_pcscd.rs`.

mod bridge_http;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{Method, StatusCode};
use bridge_http::{
    call, call_with, connect, disconnect, readers, run, select_auth_key, select_jpki, sign_status,
    transmit, try_connect, verify_pin,
};
use onshi_core::card::CardError;
use onshi_core::card::demo::DEMO_CARDS;
use onshi_core::card::jpki::{Authenticate, CertificateRead, LastTry, PinState, Probe, TokenKind};
use onshi_core::card::pin::Pin;
use onshi_core::card::verify::verify_authentication;
use onshi_server::bridge::demo_readers::{DemoReaders, reader_name};
use onshi_server::bridge::{AllowedOrigins, Bridge, ReaderKind};
use onshi_server::clock::FixedClock;
use onshi_server::population::{self, store::SeedOptions};
use onshi_server::state::AppState;
use onshi_server::{registry, testing};
use serde_json::json;

/// The ATR of a JPKI card (and of onshi's virtual one).
const ATR: &str = "3BE000FF8131FE4514";
/// The service's public origin in `testing::state`.
const SERVICE_ORIGIN: &str = "http://onshi.test";

fn bound() -> SocketAddr {
    ([127, 0, 0, 1], 8080).into()
}

/// The service with the bridge mounted, as `serve --reader-bridge virtual` builds it.
async fn service() -> (AppState, Bridge, Router) {
    let (state, _clock) = testing::state("sqlite::memory:", testing::test_now()).await;
    let bridge =
        Bridge::for_service(ReaderKind::Virtual, &state, bound()).unwrap_or_else(|e| panic!("{e}"));
    let router = onshi_server::http::router(state.clone()).merge(bridge.routes());
    (state, bridge, router)
}

fn pin(p: &str) -> Pin {
    Pin::new(p).unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn a_page_authenticates_with_a_demo_card_the_service_registered() {
    let (state, bridge, router) = service().await;
    let now = testing::test_now();
    // The demo's population registers demo card 0 to its holder, person 0; the bridge's card must
    // be that card.
    let seeded = population::seed(
        &state,
        SeedOptions {
            people: 1,
            demo_cards: true,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(seeded.cards, 1);

    let listed = readers(&router).await;
    let expected: Vec<(String, bool)> = (0..DEMO_CARDS.len())
        .map(|i| (reader_name(i), true))
        .collect();
    assert_eq!(listed, expected);
    assert_eq!(listed[0].0, "onshi demo card 0 (TEST ONLY)");

    let (connection, atr) = connect(&router, &reader_name(0)).await;
    assert_eq!(atr, ATR);
    assert_eq!(bridge.open_connections(), 1);

    let (status, apdus) = run(&router, &connection, Probe::new()).await;
    let status = status.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (status.token, status.pin, apdus),
        (TokenKind::Card, PinState::TriesLeft(3), 5)
    );

    let wrong = Authenticate::new(pin("9999"), b"x", LastTry::Refuse, CertificateRead::Read);
    let (refused, _) = run(&router, &connection, wrong).await;
    assert_eq!(refused.err(), Some(CardError::WrongPin { tries_left: 2 }));

    // VERIFY and the signature travel in separate requests: the card's security state holds.
    let challenge = b"onshi bridge challenge";
    let right = Authenticate::new(
        pin(DEMO_CARDS[0].pin),
        challenge,
        LastTry::Refuse,
        CertificateRead::Read,
    );
    let (auth, apdus) = run(&router, &connection, right).await;
    let auth = auth.unwrap_or_else(|e| panic!("{e}"));
    assert!(apdus <= 13, "{apdus} APDUs");
    let certificate = auth.certificate.unwrap_or_else(|| panic!("no certificate"));
    let verified = verify_authentication(
        challenge,
        &auth.signature,
        &certificate,
        &state.config.trust,
        &state.config.revocations,
        DEMO_CARDS[0].token.holder(),
        now,
    )
    .unwrap_or_else(|e| panic!("the service refuses the bridge's card: {e}"));
    let holder = registry::person_for_card(&state.db, verified.link_key.as_str())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(holder, Some(population::generate::person_id(0)));

    let (status, _) = run(&router, &connection, Probe::new()).await;
    assert_eq!(
        status.map(|s| s.pin).ok(),
        Some(PinState::TriesLeft(3)),
        "a right PIN resets the counter"
    );

    assert_eq!(
        disconnect(&router, &connection).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(bridge.open_connections(), 0);
    let after = bridge_http::apdu(&router, &connection, "00A4040C0AD392F000260100000001").await;
    assert_eq!(
        (after.status, after.code()),
        (StatusCode::NOT_FOUND, "BRIDGE_CONNECTION_UNKNOWN")
    );
    let again = disconnect(&router, &connection).await;
    assert_eq!(again.code(), "BRIDGE_CONNECTION_UNKNOWN");
}

#[tokio::test]
async fn a_card_is_held_by_one_connection_and_reset_when_released() {
    let (_state, _bridge, router) = service().await;
    let reader = reader_name(1);
    let (first, _) = connect(&router, &reader).await;
    let second = try_connect(&router, &reader).await;
    assert_eq!(
        (second.status, second.code()),
        (StatusCode::CONFLICT, "BRIDGE_CARD_IN_USE")
    );
    assert!(
        second.body["error"]["ja"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );

    select_jpki(&router, &first).await;
    assert_eq!(
        verify_pin(&router, &first, DEMO_CARDS[1].pin).await,
        [0x90, 0x00]
    );
    assert_eq!(sign_status(&router, &first).await, [0x90, 0x00]);
    disconnect(&router, &first).await;

    // The next connection finds the card reset: the PIN verified before does not sign for it.
    let (next, _) = connect(&router, &reader).await;
    assert_eq!(
        select_auth_key(&router, &next).await,
        [0x6A, 0x82],
        "reset: no application selected"
    );
    select_jpki(&router, &next).await;
    assert_eq!(sign_status(&router, &next).await, [0x69, 0x82]);
    // Other readers are free meanwhile.
    let (other, atr) = connect(&router, &reader_name(2)).await;
    assert_eq!(atr, ATR);
    disconnect(&router, &other).await;
    disconnect(&router, &next).await;
}

#[tokio::test]
async fn an_idle_connection_releases_its_card() {
    let clock = Arc::new(FixedClock::new(testing::test_now()));
    let backend = Arc::new(DemoReaders::new(testing::TEST_SEED, clock));
    let bridge = Bridge::with_idle_limit(backend, AllowedOrigins::default(), Duration::ZERO);
    let router = bridge.routes();
    let reader = reader_name(3);
    let (idle, _) = connect(&router, &reader).await;
    // With no idle time allowed the connection ends at once; the card is then free.
    let mut attempts = 0;
    let (fresh, _) = loop {
        let answer = try_connect(&router, &reader).await;
        if answer.status == StatusCode::OK {
            let id = answer.body["connection"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            break (id, answer);
        }
        assert_eq!(answer.code(), "BRIDGE_CARD_IN_USE");
        attempts += 1;
        assert!(
            attempts < 1000,
            "the idle connection never released its card"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_ne!(fresh, idle);
    let stale = bridge_http::apdu(&router, &idle, "00A4040C0AD392F000260100000001").await;
    assert_eq!(stale.code(), "BRIDGE_CONNECTION_UNKNOWN");
}

#[tokio::test]
async fn pages_of_other_origins_and_rebound_hosts_are_refused() {
    let (_state, bridge, router) = service().await;
    let refused = |answer: &bridge_http::Answer| {
        answer.status == StatusCode::FORBIDDEN
            && answer.code() == "BRIDGE_ORIGIN_REFUSED"
            && !answer.headers.contains_key("access-control-allow-origin")
    };
    let body = json!({"reader": reader_name(0)}).to_string();
    for origin in [
        "https://evil.example",
        "null",
        "http://onshi.test.evil.example",
    ] {
        let headers = [("origin", origin)];
        let post = call_with(
            &router,
            Method::POST,
            "/bridge/v1/connections",
            Some(&body),
            &headers,
        );
        assert!(refused(&post.await), "{origin}");
        let get = call_with(&router, Method::GET, "/bridge/v1/readers", None, &headers).await;
        assert!(refused(&get), "{origin}");
        let preflight = call_with(
            &router,
            Method::OPTIONS,
            "/bridge/v1/connections",
            None,
            &[
                ("origin", origin),
                ("access-control-request-method", "POST"),
                ("access-control-request-headers", "content-type"),
            ],
        )
        .await;
        assert!(refused(&preflight), "{origin}");
    }
    assert_eq!(
        bridge.open_connections(),
        0,
        "a refused request opened nothing"
    );

    // A DNS-rebound name: the page's own host resolving to this machine.
    let rebound = call_with(
        &router,
        Method::GET,
        "/bridge/v1/readers",
        None,
        &[("host", "evil.example:8080")],
    )
    .await;
    assert!(refused(&rebound));

    // The service's own pages are served, preflights included.
    let preflight = call_with(
        &router,
        Method::OPTIONS,
        "/bridge/v1/connections",
        None,
        &[
            ("origin", SERVICE_ORIGIN),
            ("access-control-request-method", "POST"),
            ("access-control-request-private-network", "true"),
        ],
    )
    .await;
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
    let header = |answer: &bridge_http::Answer, name: &str| {
        answer
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        header(&preflight, "access-control-allow-origin"),
        SERVICE_ORIGIN
    );
    assert!(header(&preflight, "access-control-allow-methods").contains("POST"));
    assert_eq!(
        header(&preflight, "access-control-allow-private-network"),
        "true"
    );
    let own = call_with(
        &router,
        Method::GET,
        "/bridge/v1/readers",
        None,
        &[("origin", SERVICE_ORIGIN), ("host", "127.0.0.1:8080")],
    )
    .await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(header(&own, "access-control-allow-origin"), SERVICE_ORIGIN);
}

#[tokio::test]
async fn malformed_requests_get_typed_errors_and_the_connection_survives() {
    let (_state, _bridge, router) = service().await;
    let unknown = bridge_http::apdu(
        &router,
        "0123456789abcdef",
        "00A4040C0AD392F000260100000001",
    );
    let unknown = unknown.await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (StatusCode::NOT_FOUND, "BRIDGE_CONNECTION_UNKNOWN")
    );
    let no_reader = try_connect(&router, "Virtual PCD 00 00").await;
    assert_eq!(
        (no_reader.status, no_reader.code()),
        (StatusCode::NOT_FOUND, "BRIDGE_NO_READER")
    );

    let (connection, _) = connect(&router, &reader_name(0)).await;
    for bad in [
        "00A4 040C",
        "ZZA4040C",
        "00A4040",
        "00A4",
        &"00".repeat(262),
    ] {
        let answer = bridge_http::apdu(&router, &connection, bad).await;
        assert_eq!(
            (answer.status, answer.code()),
            (StatusCode::BAD_REQUEST, "BRIDGE_APDU_INVALID"),
            "{bad}"
        );
    }
    let uri = format!("/bridge/v1/connections/{connection}/apdu");
    for body in [
        r#"{"command": 31323334}"#,
        r#"{"command": "0020008004", "pin": "1234"}"#,
        "0020008004",
        "",
    ] {
        let answer = call_with(&router, Method::POST, &uri, Some(body), &[]).await;
        assert_eq!(
            (answer.status, answer.code()),
            (StatusCode::BAD_REQUEST, "BRIDGE_REQUEST_INVALID"),
            "{body}"
        );
        let text = answer.body.to_string();
        assert!(
            !text.contains("31323334") && !text.contains("1234"),
            "{text}"
        );
    }
    let huge = json!({ "command": "00".repeat(4000) }).to_string();
    let answer = call_with(&router, Method::POST, &uri, Some(&huge), &[]).await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "BRIDGE_REQUEST_INVALID")
    );
    let answer = call(
        &router,
        Method::POST,
        "/bridge/v1/connections",
        Some(json!({})),
    )
    .await;
    assert_eq!(answer.code(), "BRIDGE_REQUEST_INVALID");

    // None of that reached the card or ended the connection.
    let response = transmit(&router, &connection, &[0x00, 0xB0, 0x00, 0x00, 0x04]).await;
    assert_eq!(response, [0x69, 0x86], "READ BINARY with no EF selected");
    let (status, _) = run(&router, &connection, Probe::new()).await;
    assert_eq!(status.map(|s| s.pin).ok(), Some(PinState::TriesLeft(3)));
}

/// The real binary, with its stdout's first lines read until `prefix`.
fn start(args: &[&str], env: &[(&str, &str)], prefix: &str) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_onshi-server"))
        .args(args)
        .envs(env.iter().copied())
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("stdout"));
    let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
    let line = lines
        .find_map(|l| l.strip_prefix(prefix).map(str::to_owned))
        .unwrap_or_else(|| panic!("no line starting {prefix:?}"));
    // Keep reading: a closed pipe would end the child at its next line.
    std::thread::spawn(move || lines.for_each(drop));
    (child, line)
}

/// One HTTP/1.1 request over a plain socket: the whole answer as text.
fn http(addr: &str, request: &str) -> String {
    let mut stream = std::net::TcpStream::connect(addr).unwrap_or_else(|e| panic!("{e}"));
    stream
        .write_all(request.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .unwrap_or_else(|e| panic!("{e}"));
    answer
}

#[test]
fn the_command_line_serves_loopback_only_and_reports_pcscd_down() {
    let refused = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_onshi-server"))
            .args(args)
            .env("RUST_LOG", "off")
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!out.status.success(), "{args:?} started");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let text = refused(&["bridge", "--addr", "0.0.0.0:0", "--readers", "virtual"]);
    assert!(text.contains("loopback only"), "{text}");
    let text = refused(&[
        "serve",
        "--addr",
        "0.0.0.0:0",
        "--database-url",
        "sqlite::memory:",
        "--reader-bridge",
        "pcsc",
    ]);
    assert!(text.contains("loopback only"), "{text}");
    let text = refused(&[
        "bridge",
        "--readers",
        "pcsc",
        "--addr",
        "127.0.0.1:0",
        "--allow-origin",
        "https://service.example/app",
    ]);
    assert!(text.contains("without a path"), "{text}");

    // libpcsclite looks for pcscd's socket where PCSCLITE_CSOCK_NAME says: nowhere, here.
    let (mut child, base) = start(
        &[
            "bridge",
            "--addr",
            "127.0.0.1:0",
            "--readers",
            "pcsc",
            "--allow-origin",
            "https://service.example",
        ],
        &[("PCSCLITE_CSOCK_NAME", "/nonexistent/onshi-test/pcscd.comm")],
        "onshi reader bridge: http://",
    );
    let addr = base.trim_end_matches("/bridge/v1/").to_owned();
    let down = http(
        &addr,
        &format!("GET /bridge/v1/readers HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    );
    let preflight = http(
        &addr,
        &format!(
            "OPTIONS /bridge/v1/connections HTTP/1.1\r\nHost: {addr}\r\nOrigin: https://service.example\r\n\
             Access-Control-Request-Method: POST\r\nConnection: close\r\n\r\n"
        ),
    );
    let other = http(
        &addr,
        &format!(
            "GET /bridge/v1/readers HTTP/1.1\r\nHost: {addr}\r\nOrigin: https://other.example\r\n\
             Connection: close\r\n\r\n"
        ),
    );
    let _ = child.kill();
    let _ = child.wait();
    assert!(down.starts_with("HTTP/1.1 503"), "{down}");
    assert!(down.contains("BRIDGE_READER_UNAVAILABLE"), "{down}");
    assert!(preflight.starts_with("HTTP/1.1 204"), "{preflight}");
    assert!(
        preflight
            .to_ascii_lowercase()
            .contains("access-control-allow-origin: https://service.example"),
        "{preflight}"
    );
    assert!(other.starts_with("HTTP/1.1 403"), "{other}");
    assert!(other.contains("BRIDGE_ORIGIN_REFUSED"), "{other}");
}

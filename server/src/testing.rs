//! Test support shared by the unit tests and `server/tests/`: a fresh database per test on every
//! backend under test, and a service state on a clock the test sets.
//!
//! SQLite (in memory) always; PostgreSQL too when `ONSHI_TEST_POSTGRES_URL` names a server
//! (`cargo xtask test` starts one): each test gets its own database there, created on the fly.

use std::sync::Arc;

use onshi_core::jst::JstDateTime;

use crate::clock::FixedClock;
use crate::state::AppState;

/// The environment variable naming a PostgreSQL server for tests (`postgres://user@host:port`).
pub const POSTGRES_ENV: &str = "ONSHI_TEST_POSTGRES_URL";

/// The population seed tests use (its TEST root is derived once per process).
pub const TEST_SEED: u64 = 7;

/// A fresh, empty database URL for each backend under test.
pub async fn fresh_databases() -> Vec<String> {
    let mut urls = vec!["sqlite::memory:".to_owned()];
    if let Ok(server) = std::env::var(POSTGRES_ENV) {
        urls.push(fresh_postgres(&server).await);
    }
    urls
}

/// Creates an empty database on the PostgreSQL server and returns its URL.
pub async fn fresh_postgres(server: &str) -> String {
    use sqlx::Connection;
    let server = server.trim_end_matches('/');
    let name = format!(
        "onshi_test_{}",
        crate::keys::random_id().unwrap_or_else(|e| panic!("random: {e}"))
    );
    let mut admin = sqlx::PgConnection::connect(&format!("{server}/postgres"))
        .await
        .unwrap_or_else(|e| panic!("connecting to test PostgreSQL {server}: {e}"));
    let create = format!("CREATE DATABASE {name}");
    // The name is ours (hex), not input: safe to put into the statement.
    sqlx::raw_sql(sqlx::AssertSqlSafe(create))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("creating {name}: {e}"));
    format!("{server}/{name}")
}

/// A service state on `url` whose clock stands at `now`, with the TEST roots of [`TEST_SEED`].
pub async fn state(url: &str, now: JstDateTime) -> (AppState, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::new(now));
    let state = crate::state::sandbox(url, "http://onshi.test", TEST_SEED, clock.clone())
        .await
        .unwrap_or_else(|e| panic!("opening {url}: {e}"));
    (state, clock)
}

/// 2026-11-21 10:00 JST, the day tests stand on unless they say otherwise.
pub fn test_now() -> JstDateTime {
    onshi_core::jst::parse_datetime("20261121100000").unwrap_or_else(|e| panic!("{e}"))
}

/// Issues demo card `index` of `state`'s TEST root for `now` and registers it (利用登録) to
/// `person`, as the insured person's registration would.
pub async fn register_demo_card(
    state: &AppState,
    person: &str,
    index: usize,
    now: JstDateTime,
) -> onshi_core::card::demo::IssuedDemoCard {
    use onshi_core::card::verify::{RevocationList, verify_certificate};
    let card = onshi_core::card::demo::issue(state.config.population_seed, index, now.date())
        .unwrap_or_else(|e| panic!("{e}"));
    let verified = verify_certificate(
        &card.certificate,
        &state.config.trust,
        &RevocationList::new(),
        card.card.token().holder(),
        now,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    crate::registry::register_card(&state.db, verified.link_key.as_str(), person, now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    card
}

/// Registers a device of `institution` (key bytes all `key_byte`, so each test's devices differ)
/// and opens its session through `router`, on the state's clock: the client a tablet or PC would be.
pub async fn device_client(
    state: &AppState,
    router: &axum::Router,
    institution: &str,
    kind: crate::device::DeviceKind,
    key_byte: u8,
) -> crate::device::DeviceClient {
    let key =
        p256::ecdsa::SigningKey::from_slice(&[key_byte; 32]).unwrap_or_else(|e| panic!("{e}"));
    let id = crate::device::register(
        &state.db,
        institution,
        "試験端末",
        kind,
        key.verifying_key(),
        state.now(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let mut client =
        crate::device::DeviceClient::new(&id, institution, key).with_clock(state.clock.clone());
    client
        .open_session_in_process(router)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    client
}

/// Sends `request` to `router` and reads the answer as JSON (`Null` when the body is not JSON).
pub async fn json_answer(
    router: &axum::Router,
    request: axum::http::Request<axum::body::Body>,
) -> (axum::http::StatusCode, serde_json::Value) {
    use tower::ServiceExt;
    let response = router
        .clone()
        .oneshot(request)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

/// What the card step sends after the PIN: the card in `card` verifies `pin` and signs `challenge`
/// (hex, as the service gave it); the body `{certificate, signature, holder}` of a card proof.
pub fn card_proof(
    card: &mut onshi_core::card::demo::IssuedDemoCard,
    pin: &str,
    challenge: &str,
) -> serde_json::Value {
    use onshi_core::card::host::{from_hex, to_hex};
    use onshi_core::card::jpki::{self, Authenticate, CertificateRead, LastTry};
    let challenge = from_hex(challenge).unwrap_or_else(|| panic!("challenge {challenge:?}"));
    let pin = onshi_core::card::pin::Pin::new(pin).unwrap_or_else(|e| panic!("{e}"));
    let holder = card.card.token().holder();
    let done = jpki::run(
        Authenticate::new(pin, &challenge, LastTry::Refuse, CertificateRead::Read),
        &mut card.card,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    serde_json::json!({
        "certificate": to_hex(&done.certificate.unwrap_or_default()),
        "signature": to_hex(&done.signature),
        "holder": holder,
    })
}

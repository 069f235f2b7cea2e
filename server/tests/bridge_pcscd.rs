//! The reader bridge's PC/SC backend through a real pcscd: a demo card served to vpcd (the virtual
//! reader driver) is read by a page's JPKI client through the bridge's HTTP routes, exactly as a
//! card on the clinic PC's reader would be — held exclusively against other PC/SC programs, reset
//! when released, and reported removed when it leaves the reader.
//!
//! These tests need pcscd with vpcd running and the vpcd port free, so they are `#[ignore]`d for a
//! plain `cargo test`; `cargo xtask test` runs them in reader/tests/pcsc-suite.sh with
//! `--ignored --test-threads=1`.

mod bridge_http;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use bridge_http::{
    connect, disconnect, readers, run, select_auth_key, select_jpki, sign_status, try_connect,
    verify_pin,
};
use onshi_core::card::CardError;
use onshi_core::card::demo::{self, DEMO_CARDS};
use onshi_core::card::jpki::{Authenticate, CertificateRead, LastTry, PinState, Probe, TokenKind};
use onshi_core::card::pin::Pin;
use onshi_core::card::verify::verify_authentication;
use onshi_reader::pcsc::{ReaderError, Readers};
use onshi_reader::vpcd;
use onshi_server::bridge::{Bridge, ReaderKind};
use onshi_server::testing;

/// vpcd's first slot, where the demo card goes, and its second, left empty.
const SLOT: &str = "Virtual PCD 00 00";
const EMPTY_SLOT: &str = "Virtual PCD 00 01";

/// A demo card (of the tests' seed and day) in vpcd's first slot until dropped.
struct InReader {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl InReader {
    fn insert(index: usize) -> Self {
        let mut issued = demo::issue(testing::TEST_SEED, index, testing::test_now().date())
            .unwrap_or_else(|e| panic!("{e}"));
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let stream = vpcd::connect(
            ([127, 0, 0, 1], vpcd::DEFAULT_PORT).into(),
            Duration::from_secs(10),
        )
        .unwrap_or_else(|e| panic!("vpcd is not listening (is pcscd running with vpcd?): {e}"));
        let thread = std::thread::spawn(move || {
            vpcd::serve(stream, &mut issued.card, &flag)
                .unwrap_or_else(|e| panic!("vpcd bridge: {e}"));
        });
        Self {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for InReader {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The full name pcscd gives `slot`, once its card shows as `present` (pcscd polls vpcd every
/// 400 ms).
async fn wait_for(router: &Router, slot: &str, present: bool) -> String {
    for _ in 0..100 {
        if let Some((name, _)) = readers(router)
            .await
            .into_iter()
            .find(|(name, card)| name.starts_with(slot) && *card == present)
        {
            return name;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{slot} never showed a card present = {present}");
}

fn pin(p: &str) -> Pin {
    Pin::new(p).unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
#[ignore = "needs pcscd with vpcd: run by cargo xtask test"]
async fn a_page_authenticates_through_pcscd_via_the_bridge() {
    let (state, _clock) = testing::state("sqlite::memory:", testing::test_now()).await;
    let bound: SocketAddr = ([127, 0, 0, 1], 8080).into();
    let bridge =
        Bridge::for_service(ReaderKind::Pcsc, &state, bound).unwrap_or_else(|e| panic!("{e}"));
    let router = bridge.routes();

    let in_reader = InReader::insert(0);
    // A card of an earlier test can look present for one more poll.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let reader = wait_for(&router, SLOT, true).await;
    let empty = wait_for(&router, EMPTY_SLOT, false).await;

    let no_card = try_connect(&router, &empty).await;
    assert_eq!(
        (no_card.status, no_card.code()),
        (StatusCode::CONFLICT, "BRIDGE_NO_CARD")
    );
    let no_reader = try_connect(&router, "onshi demo card 0 (TEST ONLY)").await;
    assert_eq!(no_reader.code(), "BRIDGE_NO_READER");

    let (connection, atr) = connect(&router, &reader).await;
    assert_eq!(atr, "3BE000FF8131FE4514");
    // Held exclusively: neither the bridge nor any other PC/SC program gets the card meanwhile.
    let second = try_connect(&router, &reader).await;
    assert_eq!(second.code(), "BRIDGE_CARD_IN_USE");
    let other_program = tokio::task::spawn_blocking({
        let reader = reader.clone();
        move || Readers::connect().and_then(|r| r.open(&reader)).map(|_| ())
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(other_program, Err(ReaderError::InUse)),
        "{other_program:?}"
    );

    let (status, apdus) = run(&router, &connection, Probe::new()).await;
    let status = status.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (status.token, status.pin, apdus),
        (TokenKind::Card, PinState::TriesLeft(3), 5)
    );
    let wrong = Authenticate::new(pin("9999"), b"x", LastTry::Refuse, CertificateRead::Read);
    let (refused, _) = run(&router, &connection, wrong).await;
    assert_eq!(refused.err(), Some(CardError::WrongPin { tries_left: 2 }));
    let challenge = b"onshi bridge over pcscd";
    let right = Authenticate::new(
        pin(DEMO_CARDS[0].pin),
        challenge,
        LastTry::Refuse,
        CertificateRead::Read,
    );
    let (auth, _) = run(&router, &connection, right).await;
    let auth = auth.unwrap_or_else(|e| panic!("{e}"));
    let certificate = auth.certificate.unwrap_or_else(|| panic!("no certificate"));
    verify_authentication(
        challenge,
        &auth.signature,
        &certificate,
        &state.config.trust,
        &state.config.revocations,
        DEMO_CARDS[0].token.holder(),
        testing::test_now(),
    )
    .unwrap_or_else(|e| panic!("the service refuses the card read through pcscd: {e}"));

    // Released with a reset: the PIN verified in this connection signs nothing for the next.
    select_jpki(&router, &connection).await;
    assert_eq!(
        verify_pin(&router, &connection, DEMO_CARDS[0].pin).await,
        [0x90, 0x00]
    );
    assert_eq!(sign_status(&router, &connection).await, [0x90, 0x00]);
    assert_eq!(
        disconnect(&router, &connection).await.status,
        StatusCode::NO_CONTENT
    );
    let (next, _) = connect(&router, &reader).await;
    assert_eq!(
        select_auth_key(&router, &next).await,
        [0x6A, 0x82],
        "reset: no application selected"
    );
    select_jpki(&router, &next).await;
    assert_eq!(sign_status(&router, &next).await, [0x69, 0x82]);

    // The card leaves the reader: the next APDU says so, and the connection is over.
    drop(in_reader);
    wait_for(&router, SLOT, false).await;
    let removed = bridge_http::apdu(&router, &next, "00A4040C0AD392F000260100000001").await;
    assert_eq!(
        (removed.status, removed.code()),
        (StatusCode::CONFLICT, "BRIDGE_CARD_REMOVED"),
        "{}",
        removed.body
    );
    let after = bridge_http::apdu(&router, &next, "00A4040C0AD392F000260100000001").await;
    assert_eq!(after.code(), "BRIDGE_CONNECTION_UNKNOWN");
    assert_eq!(bridge.open_connections(), 0);
}

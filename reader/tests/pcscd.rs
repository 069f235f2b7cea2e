//! The whole JPKI authentication through a real pcscd: a demo card served to vpcd (the virtual reader
//! driver), read through the `pcsc` crate exactly as a clinic PC reads a card on a generic reader.
//!
//! These tests need pcscd with vpcd running and the vpcd port free, so they are `#[ignore]`d for a
//! plain `cargo test`; `cargo xtask test` starts pcscd in a private network namespace and runs them
//! with `--ignored --test-threads=1`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use onshi_core::card::CardError;
use onshi_core::card::demo::{self, DEMO_CARDS, IssuedDemoCard};
use onshi_core::card::jpki::{
    self, Authenticate, CertificateRead, LastTry, PinState, Probe, TokenKind,
};
use onshi_core::card::pin::Pin;
use onshi_core::card::transport::Counting;
use onshi_core::card::verify::{RevocationList, TrustAnchors, verify_authentication};
use onshi_core::jst::JstDateTime;
use onshi_reader::pcsc::{PcscTransport, Readers};
use onshi_reader::vpcd;

const SEED: u64 = 2026;

fn today() -> time::Date {
    time::macros::date!(2026 - 11 - 21)
}

/// A demo card in the virtual reader until dropped.
struct InReader {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    certificate: Vec<u8>,
    root: Vec<u8>,
}

impl InReader {
    fn insert(index: usize) -> Self {
        let IssuedDemoCard {
            mut card,
            certificate,
            root,
        } = demo::issue(SEED, index, today()).unwrap_or_else(|e| panic!("{e}"));
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let stream = vpcd::connect(
            ([127, 0, 0, 1], vpcd::DEFAULT_PORT).into(),
            Duration::from_secs(10),
        )
        .unwrap_or_else(|e| panic!("vpcd is not listening (is pcscd running with vpcd?): {e}"));
        let thread = std::thread::spawn(move || {
            vpcd::serve(stream, &mut card, &flag).unwrap_or_else(|e| panic!("vpcd bridge: {e}"));
        });
        Self {
            stop,
            thread: Some(thread),
            certificate,
            root,
        }
    }

    /// Opens the card through pcscd, waiting for the reader to notice it.
    fn open(&self) -> Counting<PcscTransport> {
        let readers = Readers::connect().unwrap_or_else(|e| panic!("{e}"));
        let names = readers.list().unwrap_or_else(|e| panic!("{e}"));
        let reader = names
            .iter()
            .find(|n| n.starts_with("Virtual PCD 00 00"))
            .unwrap_or_else(|| panic!("no vpcd reader among {names:?}"));
        // pcscd polls vpcd every 400 ms; a just-restarted card can look present for one poll.
        std::thread::sleep(Duration::from_millis(500));
        let name = readers
            .wait_for_card(Some(reader), Duration::from_secs(10))
            .unwrap_or_else(|e| panic!("{e}"));
        Counting::new(readers.open(&name).unwrap_or_else(|e| panic!("{e}")))
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

fn pin(p: &str) -> Pin {
    Pin::new(p).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
#[ignore = "needs pcscd with vpcd: run by cargo xtask test"]
fn a_whole_pin_authentication_through_pcscd() {
    let demo_card = DEMO_CARDS[0];
    let in_reader = InReader::insert(0);
    let mut transport = in_reader.open();

    let status = jpki::run(Probe::new(), &mut transport).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (status.token, status.pin),
        (TokenKind::Card, PinState::TriesLeft(3))
    );
    assert_eq!(transport.count(), 5);

    // One wrong PIN first, as the e2e flow does.
    let wrong = Authenticate::new(pin("9999"), b"x", LastTry::Refuse, CertificateRead::Read);
    assert_eq!(
        jpki::run(wrong, &mut transport).err(),
        Some(CardError::WrongPin { tries_left: 2 })
    );

    transport.reset_count();
    let started = std::time::Instant::now();
    let challenge = b"onshi pcscd challenge";
    let auth = Authenticate::new(
        pin(demo_card.pin),
        challenge,
        LastTry::Refuse,
        CertificateRead::Read,
    );
    let a = jpki::run(auth, &mut transport).unwrap_or_else(|e| panic!("{e}"));
    let full = transport.count();
    let took = started.elapsed();
    assert!(full <= 13, "full authentication took {full} APDUs");
    assert_eq!(
        a.certificate.as_deref(),
        Some(in_reader.certificate.as_slice())
    );

    let anchors = TrustAnchors::from_der_roots([&in_reader.root]).unwrap_or_else(|e| panic!("{e}"));
    let now = JstDateTime::new(today(), time::macros::time!(12:00));
    let certificate = a.certificate.unwrap_or_default();
    verify_authentication(
        challenge,
        &a.signature,
        &certificate,
        &anchors,
        &RevocationList::new(),
        demo_card.token.holder(),
        now,
    )
    .unwrap_or_else(|e| panic!("{e}"));

    // The certificate is known now: 6 APDUs, matched by verifying with the cached certificate.
    transport.reset_count();
    let again = Authenticate::new(
        pin(demo_card.pin),
        b"second",
        LastTry::Refuse,
        CertificateRead::Known,
    );
    let b = jpki::run(again, &mut transport).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(transport.count(), 6);
    verify_authentication(
        b"second",
        &b.signature,
        &certificate,
        &anchors,
        &RevocationList::new(),
        demo_card.token.holder(),
        now,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // Reported, not asserted: timing belongs to benchmarks (BENCHMARKS.md quotes this line).
    println!(
        "pcscd: probe 5 APDUs; full authentication {full} APDUs in {took:?}; certificate known 6 APDUs"
    );
}

#[test]
#[ignore = "needs pcscd with vpcd: run by cargo xtask test"]
fn three_wrong_pins_lock_the_card_through_pcscd() {
    let in_reader = InReader::insert(0);
    let mut transport = in_reader.open();
    let wrong = |last_try| Authenticate::new(pin("0000"), b"x", last_try, CertificateRead::Known);

    assert_eq!(
        jpki::run(wrong(LastTry::Refuse), &mut transport).err(),
        Some(CardError::WrongPin { tries_left: 2 })
    );
    assert_eq!(
        jpki::run(wrong(LastTry::Refuse), &mut transport).err(),
        Some(CardError::WrongPin { tries_left: 1 })
    );
    // The last try is not spent unless the patient confirms.
    assert_eq!(
        jpki::run(wrong(LastTry::Refuse), &mut transport).err(),
        Some(CardError::LastTryNotConfirmed)
    );
    assert_eq!(
        jpki::run(wrong(LastTry::Allow), &mut transport).err(),
        Some(CardError::WrongPin { tries_left: 0 })
    );
    // Locked: even the right PIN is never sent.
    transport.reset_count();
    let right = Authenticate::new(
        pin(DEMO_CARDS[0].pin),
        b"x",
        LastTry::Allow,
        CertificateRead::Known,
    );
    assert_eq!(
        jpki::run(right, &mut transport).err(),
        Some(CardError::PinLocked)
    );
    assert_eq!(
        transport.count(),
        3,
        "SELECT AP, SELECT PIN EF, empty VERIFY — no VERIFY with data"
    );
    let status = jpki::run(Probe::new(), &mut transport).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.pin, PinState::Locked);
}

#[test]
#[ignore = "needs pcscd with vpcd: run by cargo xtask test"]
fn a_removed_card_is_reported_as_removed() {
    let in_reader = InReader::insert(1);
    let mut transport = in_reader.open();
    let status = jpki::run(Probe::new(), &mut transport).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.token, TokenKind::Android);
    drop(in_reader);
    // pcscd notices within one poll (400 ms).
    std::thread::sleep(Duration::from_millis(1200));
    let err = jpki::run(Probe::new(), &mut transport).err();
    assert!(
        matches!(err, Some(CardError::Transport(_))),
        "expected a transport error after removal, got {err:?}"
    );
}

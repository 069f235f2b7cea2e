//! Card costs: a whole PIN authentication against the virtual card in memory (the client's APDU
//! handling plus the card's RSA-2048 signature), and the relying party's verification of the result.
//! Run with `cargo xtask bench`.
#![allow(missing_docs)] // criterion_group! generates an undocumented public function.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use onshi_core::card::demo;
use onshi_core::card::jpki::{self, Authenticate, CertificateRead, LastTry, Probe};
use onshi_core::card::pin::Pin;
use onshi_core::card::verify::{RevocationList, TrustAnchors, verify_authentication};
use onshi_core::jst::JstDateTime;
use time::macros::{date, time};

fn card(c: &mut Criterion) {
    let today = date!(2026 - 11 - 21);
    let mut issued = demo::issue(2026, 0, today).unwrap_or_else(|e| panic!("{e}"));
    let pin = || Pin::new("1234").unwrap_or_else(|e| panic!("{e}"));

    c.bench_function("card: probe (5 APDUs, virtual card in memory)", |b| {
        b.iter(|| jpki::run(Probe::new(), &mut issued.card).unwrap_or_else(|e| panic!("{e}")))
    });
    c.bench_function(
        "card: full authentication (12 APDUs incl. RSA-2048 signature)",
        |b| {
            b.iter(|| {
                let auth =
                    Authenticate::new(pin(), b"challenge", LastTry::Refuse, CertificateRead::Read);
                jpki::run(auth, &mut issued.card).unwrap_or_else(|e| panic!("{e}"))
            })
        },
    );

    let auth = Authenticate::new(pin(), b"challenge", LastTry::Refuse, CertificateRead::Read);
    let a = jpki::run(auth, &mut issued.card).unwrap_or_else(|e| panic!("{e}"));
    let certificate = a.certificate.unwrap_or_default();
    let anchors = TrustAnchors::from_der_roots([&issued.root]).unwrap_or_else(|e| panic!("{e}"));
    let revoked = RevocationList::new();
    let now = JstDateTime::new(today, time!(12:00));
    c.bench_function(
        "card: verify signature + chain + validity + revocation",
        |b| {
            b.iter(|| {
                verify_authentication(
                    black_box(b"challenge"),
                    &a.signature,
                    &certificate,
                    &anchors,
                    &revoked,
                    demo::DEMO_CARDS[0].token.holder(),
                    now,
                )
                .unwrap_or_else(|e| panic!("{e}"))
            })
        },
    );
}

criterion_group!(benches, card);
criterion_main!(benches);

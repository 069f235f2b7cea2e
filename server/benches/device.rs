//! 端末認証の費用: opening a device session (ES256 verify + ECDH + HKDF) against checking one
//! request's COSE_Mac0 (base64url + CBOR + HMAC), the service's side of each. The ratio is why
//! onshi verifies a signature once per session and MACs every request. Measured on the 2-core
//! build machine: an opening ≈ 540 µs, a request check ≈ 3.5 µs (about 150× less; one core checks
//! ≈ 280,000 request MACs a second before any other work).
#![allow(missing_docs)] // criterion_group! generates an undocumented public function.

use std::hint::black_box;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use criterion::{Criterion, criterion_group, criterion_main};
use onshi_core::device::{self, NONCE_LEN, RequestClaims, SESSION_ID_LEN, SessionOpening};
use onshi_server::device::random_secret;
use p256::ecdsa::SigningKey;

fn bench(c: &mut Criterion) {
    let device_key = SigningKey::from_slice(&[7u8; 32]).unwrap_or_else(|e| panic!("{e}"));
    let device_ephemeral = random_secret().unwrap_or_else(|e| panic!("{e}"));
    let opening = SessionOpening {
        device_id: "0123456789abcdef0123456789abcdef".into(),
        institution: "1312345678".into(),
        at: 1_790_000_000,
        nonce: [1; NONCE_LEN],
        ephemeral: device_ephemeral.public_key(),
    };
    let sign1 = opening.sign(&device_key).unwrap_or_else(|e| panic!("{e}"));
    let verifying = *device_key.verifying_key();

    c.bench_function("session open (ES256 verify + ECDH + HKDF)", |b| {
        b.iter(|| {
            let read = device::read_opening(black_box(&sign1)).unwrap_or_else(|e| panic!("{e}"));
            let opening = read.verify(&verifying).unwrap_or_else(|e| panic!("{e}"));
            let service = random_secret().unwrap_or_else(|e| panic!("{e}"));
            let service_public = service.public_key();
            black_box(device::derive_session_key(
                &service,
                &opening.ephemeral,
                &[3; SESSION_ID_LEN],
                &opening.ephemeral,
                &service_public,
            ))
        })
    });

    let key = [9u8; 32];
    let body = br#"{"insurer_number":"01130012","number":"12345","birthdate":"19600101"}"#;
    let claims = RequestClaims {
        session: [3; SESSION_ID_LEN],
        counter: 42,
        at: 1_790_000_000,
        method: "POST".into(),
        path: "/v1/checks".into(),
        body_sha256: device::body_digest(body),
    };
    let header = URL_SAFE_NO_PAD
        .encode(device::mac_request(&key, &claims).unwrap_or_else(|e| panic!("{e}")));

    c.bench_function("request check (COSE_Mac0 HMAC + body SHA-256)", |b| {
        b.iter(|| {
            let bytes = URL_SAFE_NO_PAD
                .decode(black_box(&header))
                .unwrap_or_else(|e| panic!("{e}"));
            let read = device::read_request(&bytes).unwrap_or_else(|e| panic!("{e}"));
            let claims = read.verify(&key).unwrap_or_else(|e| panic!("{e}"));
            black_box(claims.body_sha256 == device::body_digest(black_box(body)))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

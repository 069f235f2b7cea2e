//! 利用者証明検証 end to end: a TEST CA issues certificates, a software key signs like the card
//! (PKCS#1 v1.5 over the DigestInfo the client builds), and the verifier judges them. The last tests
//! replay the real card's vector from `my-number/myna` (tests/vectors/card/).
#![cfg(feature = "virtual-card")]

use std::sync::OnceLock;

use onshi_core::card::jpki::digest_info;
use onshi_core::card::test_ca::{TestAuthority, UserCertificateRequest, card_key, end_of_day};
use onshi_core::card::verify::{
    ChainProblem, RevocationList, TrustAnchors, VerifiedCertificate, VerifyError,
    certificate_fingerprint, verify_authentication,
};
use onshi_core::flows::{CertificateHolder, CertificateStatus};
use onshi_core::jst::JstDateTime;
use proptest::prelude::*;
use rsa::pkcs8::DecodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use time::macros::{date, datetime};

const SEED: u64 = 0x0A5E_2026;
const CHALLENGE: &[u8] = b"onshi challenge 0001";

// RSA keygen costs ~200 ms: four keys for the whole file.
fn gen1() -> &'static TestAuthority {
    static CELL: OnceLock<TestAuthority> = OnceLock::new();
    CELL.get_or_init(|| TestAuthority::generation(SEED, 1).unwrap_or_else(|e| panic!("{e}")))
}

fn gen2() -> &'static TestAuthority {
    static CELL: OnceLock<TestAuthority> = OnceLock::new();
    CELL.get_or_init(|| TestAuthority::generation(SEED, 2).unwrap_or_else(|e| panic!("{e}")))
}

/// Same DN as generation 1, another key.
fn impostor() -> &'static TestAuthority {
    static CELL: OnceLock<TestAuthority> = OnceLock::new();
    CELL.get_or_init(|| TestAuthority::generation(SEED + 1, 1).unwrap_or_else(|e| panic!("{e}")))
}

fn card() -> &'static RsaPrivateKey {
    static CELL: OnceLock<RsaPrivateKey> = OnceLock::new();
    CELL.get_or_init(|| card_key(SEED, "card-A"))
}

/// What the card does on `80 2A 00 80`: PKCS#1 v1.5 type-1 padding of the DigestInfo, then RSA.
fn card_sign(challenge: &[u8]) -> Vec<u8> {
    card()
        .sign(Pkcs1v15Sign::new_unprefixed(), &digest_info(challenge))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// 2024-05-02 10:00 → 2029-05-01 23:59:59 JST.
fn issue(ca: &TestAuthority, serial: u64) -> Vec<u8> {
    issue_with(ca, serial, card().to_public_key())
}

fn issue_with(ca: &TestAuthority, serial: u64, public_key: RsaPublicKey) -> Vec<u8> {
    ca.issue_user_certificate(UserCertificateRequest {
        card: "card-A".into(),
        public_key,
        serial,
        not_before: datetime!(2024-05-02 10:00),
        not_after: end_of_day(date!(2029 - 05 - 01)),
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

fn gen1_cert() -> &'static [u8] {
    static CELL: OnceLock<Vec<u8>> = OnceLock::new();
    CELL.get_or_init(|| issue(gen1(), 0x0100_0001))
}

fn anchors(roots: &[&TestAuthority]) -> TrustAnchors {
    let ders: Vec<Vec<u8>> = roots
        .iter()
        .map(|ca| ca.root_certificate_der().to_vec())
        .collect();
    TrustAnchors::from_der_roots(&ders).unwrap_or_else(|e| panic!("{e}"))
}

fn verify_at(
    cert: &[u8],
    anchors: &TrustAnchors,
    revoked: &RevocationList,
    holder: CertificateHolder,
    now: JstDateTime,
) -> Result<VerifiedCertificate, VerifyError> {
    verify_authentication(
        CHALLENGE,
        &card_sign(CHALLENGE),
        cert,
        anchors,
        revoked,
        holder,
        now,
    )
}

fn verify_card(cert: &[u8], now: JstDateTime) -> Result<VerifiedCertificate, VerifyError> {
    verify_at(
        cert,
        &anchors(&[gen1()]),
        &RevocationList::new(),
        CertificateHolder::Card,
        now,
    )
}

const MID_VALIDITY: JstDateTime = datetime!(2026-03-01 09:30);

#[test]
fn good_signature_and_chain_give_a_link_key() {
    let verified = verify_card(gen1_cert(), MID_VALIDITY).unwrap();
    assert_eq!(verified.status, CertificateStatus::Valid);
    assert_eq!(verified.link_key.as_str().len(), 64);
    assert!(
        verified
            .link_key
            .as_str()
            .bytes()
            .all(|b| b.is_ascii_hexdigit())
    );
    assert_eq!(verified.serial_hex, "01000001");
    assert_eq!(verified.not_after, datetime!(2029-05-01 23:59:59));
    // The cached-certificate path: the host keys its cache by this and passes the DER back.
    assert_eq!(verified.fingerprint, certificate_fingerprint(gen1_cert()));
    assert_eq!(verified.root_fingerprint, gen1().root_fingerprint());
    // Same certificate, another session: same link key.
    let again = verify_card(gen1_cert(), datetime!(2027-01-01 00:00)).unwrap();
    assert_eq!(again.link_key, verified.link_key);
}

#[test]
fn test_leaf_fits_the_client_budget() {
    // 1,258 + 4 serial bytes: five READ BINARY blocks, the last one short (card.md §3 step 6).
    assert_eq!(gen1_cert().len(), 1262);
    assert_eq!(&gen1_cert()[..4], &[0x30, 0x82, 0x04, 0xEA]);
}

#[test]
fn tampered_challenge_or_signature_fails_the_signature_check() {
    let sig = card_sign(CHALLENGE);
    let check = |challenge: &[u8], sig: &[u8]| {
        verify_authentication(
            challenge,
            sig,
            gen1_cert(),
            &anchors(&[gen1()]),
            &RevocationList::new(),
            CertificateHolder::Card,
            MID_VALIDITY,
        )
    };
    assert_eq!(
        check(b"onshi challenge 0002", &sig),
        Err(VerifyError::SignatureInvalid)
    );
    let mut flipped = sig.clone();
    flipped[100] ^= 0x01;
    assert_eq!(
        check(CHALLENGE, &flipped),
        Err(VerifyError::SignatureInvalid)
    );
    assert_eq!(
        check(CHALLENGE, &sig[1..]),
        Err(VerifyError::SignatureInvalid)
    );
    assert_eq!(check(CHALLENGE, &[]), Err(VerifyError::SignatureInvalid));
    assert_eq!(
        check(CHALLENGE, &flipped).unwrap_err().code(),
        "CERT_SIGNATURE_INVALID"
    );
}

#[test]
fn every_generation_sharing_the_dn_is_tried() {
    let cert = issue(gen2(), 0x0200_0001);
    let both = anchors(&[gen1(), gen2()]);
    let verified = verify_at(
        &cert,
        &both,
        &RevocationList::new(),
        CertificateHolder::Card,
        MID_VALIDITY,
    )
    .unwrap();
    assert_eq!(verified.root_fingerprint, gen2().root_fingerprint());
    // Generation 1 alone has the right name but the wrong key.
    assert_eq!(
        verify_card(&cert, MID_VALIDITY),
        Err(VerifyError::ChainUntrusted {
            problem: ChainProblem::SignatureMismatch
        })
    );
}

#[test]
fn same_dn_root_with_another_key_is_rejected() {
    use der::Decode;
    let subject = |der: &[u8]| {
        x509_cert::Certificate::from_der(der)
            .unwrap()
            .tbs_certificate
            .subject
    };
    assert_eq!(
        subject(impostor().root_certificate_der()),
        subject(gen1().root_certificate_der())
    );
    let err = verify_at(
        gen1_cert(),
        &anchors(&[impostor()]),
        &RevocationList::new(),
        CertificateHolder::Card,
        MID_VALIDITY,
    )
    .unwrap_err();
    assert_eq!(
        err,
        VerifyError::ChainUntrusted {
            problem: ChainProblem::SignatureMismatch
        }
    );
    assert_eq!(err.code(), "CERT_CHAIN_UNTRUSTED");
    assert!(
        verify_at(
            gen1_cert(),
            &anchors(&[impostor(), gen1()]),
            &RevocationList::new(),
            CertificateHolder::Card,
            MID_VALIDITY,
        )
        .is_ok()
    );
}

#[test]
fn expiry_grace_for_a_card_but_not_for_a_smartphone() {
    let none = RevocationList::new();
    let ours = anchors(&[gen1()]);
    let at = |holder, now| verify_at(gen1_cert(), &ours, &none, holder, now);
    let expired_error = VerifyError::Expired {
        not_after: datetime!(2029-05-01 23:59:59),
    };
    assert_eq!(expired_error.code(), "CERT_EXPIRED");
    let expired = Err(expired_error);

    // Last second: valid, expiring soon.
    assert_eq!(
        at(
            CertificateHolder::Smartphone,
            datetime!(2029-05-01 23:59:59)
        )
        .unwrap()
        .status,
        CertificateStatus::ExpiringSoon
    );
    // One second later: a card enters the grace (to the end of the third month), a phone does not.
    let grace = CertificateStatus::ExpiredInGrace {
        grace_end: date!(2029 - 08 - 31),
    };
    assert_eq!(
        at(CertificateHolder::Card, datetime!(2029-05-02 00:00:00))
            .unwrap()
            .status,
        grace
    );
    assert_eq!(
        at(
            CertificateHolder::Smartphone,
            datetime!(2029-05-02 00:00:00)
        ),
        expired
    );
    let in_grace = at(CertificateHolder::Card, datetime!(2029-08-31 23:59)).unwrap();
    assert_eq!(in_grace.status, grace);
    assert!(!in_grace.status.allows_medical_information());
    assert_eq!(
        at(CertificateHolder::Card, datetime!(2029-09-01 00:00)),
        expired
    );
}

#[test]
fn expired_later_on_its_last_day() {
    // A certificate ending at noon rather than 23:59:59 JST: at 15:00 it has expired.
    let cert = gen1()
        .issue_user_certificate(UserCertificateRequest {
            card: "card-A".into(),
            public_key: card().to_public_key(),
            serial: 77,
            not_before: datetime!(2024-05-02 10:00),
            not_after: datetime!(2026-02-27 12:00),
        })
        .unwrap();
    let none = RevocationList::new();
    let ours = anchors(&[gen1()]);
    let at = |holder| verify_at(&cert, &ours, &none, holder, datetime!(2026-02-27 15:00));
    assert_eq!(
        at(CertificateHolder::Card).unwrap().status,
        CertificateStatus::ExpiredInGrace {
            grace_end: date!(2026 - 05 - 31)
        }
    );
    assert_eq!(
        at(CertificateHolder::Smartphone),
        Err(VerifyError::Expired {
            not_after: datetime!(2026-02-27 12:00)
        })
    );
}

#[test]
fn not_yet_valid() {
    let err = verify_card(gen1_cert(), datetime!(2024-05-02 09:59:59)).unwrap_err();
    assert_eq!(
        err,
        VerifyError::NotYetValid {
            not_before: datetime!(2024-05-02 10:00)
        }
    );
    assert_eq!(err.code(), "CERT_NOT_YET_VALID");
    assert!(verify_card(gen1_cert(), datetime!(2024-05-02 10:00)).is_ok());
}

#[test]
fn revoked_under_its_own_root_only() {
    let both = anchors(&[gen1(), gen2()]);
    let mut revoked = RevocationList::new();
    revoked.revoke(gen2().root_fingerprint(), &0x0100_0001_u64.to_be_bytes());
    assert!(
        verify_at(
            gen1_cert(),
            &both,
            &revoked,
            CertificateHolder::Card,
            MID_VALIDITY
        )
        .is_ok(),
        "same serial under another generation is another certificate"
    );
    revoked.revoke(gen1().root_fingerprint(), &[0x01, 0x00, 0x00, 0x01]);
    let err = verify_at(
        gen1_cert(),
        &both,
        &revoked,
        CertificateHolder::Card,
        MID_VALIDITY,
    )
    .unwrap_err();
    assert_eq!(err, VerifyError::Revoked);
    assert_eq!(err.code(), "CERT_REVOKED");
    assert!(!err.message().ja.is_empty());
}

#[test]
fn key_other_than_rsa_2048_is_refused() {
    let mut rng =
        <rand_chacha::ChaCha20Rng as rand_chacha::rand_core::SeedableRng>::seed_from_u64(7);
    let small = RsaPrivateKey::new(&mut rng, 1024).unwrap();
    let cert = issue_with(gen1(), 9, small.to_public_key());
    let sig = small
        .sign(Pkcs1v15Sign::new_unprefixed(), &digest_info(CHALLENGE))
        .unwrap();
    let err = verify_authentication(
        CHALLENGE,
        &sig,
        &cert,
        &anchors(&[gen1()]),
        &RevocationList::new(),
        CertificateHolder::Card,
        MID_VALIDITY,
    )
    .unwrap_err();
    assert_eq!(err, VerifyError::KeyNotRsa2048);
    assert_eq!(err.code(), "CERT_KEY_NOT_RSA2048");
}

#[test]
fn errors_carry_no_certificate_data() {
    let err = verify_card(b"\x30\x03\x02\x01\x01", MID_VALIDITY).unwrap_err();
    assert_eq!(err, VerifyError::Malformed);
    assert_eq!(err.code(), "CERT_MALFORMED");
    let verified = verify_card(gen1_cert(), MID_VALIDITY).unwrap();
    let debug = format!("{verified:?}");
    assert!(!debug.contains(&verified.serial_hex));
    assert!(!debug.contains(verified.link_key.as_str()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn garbage_never_panics(
        cert in proptest::collection::vec(any::<u8>(), 0..2048),
        sig in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let result = verify_authentication(
            CHALLENGE,
            &sig,
            &cert,
            &anchors(&[gen1()]),
            &RevocationList::new(),
            CertificateHolder::Card,
            MID_VALIDITY,
        );
        prop_assert!(result.is_err());
    }

    #[test]
    fn any_signature_but_the_card_s_is_rejected(
        sig in proptest::collection::vec(any::<u8>(), 250..260),
    ) {
        let result = verify_authentication(
            CHALLENGE,
            &sig,
            gen1_cert(),
            &anchors(&[gen1()]),
            &RevocationList::new(),
            CertificateHolder::Card,
            MID_VALIDITY,
        );
        prop_assert_eq!(result, Err(VerifyError::SignatureInvalid));
    }

    #[test]
    fn a_truncated_certificate_is_malformed(len in 0..1262_usize) {
        let result = verify_card(&gen1_cert()[..len], MID_VALIDITY);
        prop_assert_eq!(result, Err(VerifyError::Malformed));
    }

    #[test]
    fn any_changed_byte_of_a_good_certificate_is_rejected(
        at in 0..1262_usize,
        xor in 1..=255_u8,
    ) {
        let mut cert = gen1_cert().to_vec();
        cert[at] ^= xor;
        let result = verify_card(&cert, MID_VALIDITY);
        prop_assert!(result.is_err(), "byte {} ^ {:#04x} accepted", at, xor);
    }
}

// ---------------------------------------------------------------------------------------------------
// The real card's vector (my-number/myna, Apache-2.0): see tests/vectors/card/README.md.

const REAL_CERT: &[u8] = include_bytes!("../../tests/vectors/card/auth-cert-myna.cer");
const REAL_PUBKEY_PEM: &str = include_str!("../../tests/vectors/card/auth-pubkey-myna.pem");
const REAL_SIG: &[u8] = include_bytes!("../../tests/vectors/card/auth-message1-sha256rsapkcs.sig");

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn real_vector_is_the_published_certificate() {
    assert_eq!(REAL_CERT.len(), 1573);
    assert_eq!(&REAL_CERT[..4], &[0x30, 0x82, 0x06, 0x21]);
    assert_eq!(
        hex(&certificate_fingerprint(REAL_CERT)),
        "449ef3f93be0c5425330af2b41c63769190aa75a713223d96839f6537104007e"
    );
    assert_eq!(REAL_SIG.len(), 256);
    assert_eq!(
        &REAL_SIG[..8],
        &[0x86, 0x6b, 0x66, 0xd3, 0x3d, 0x51, 0x2e, 0x5d]
    );
}

#[test]
fn real_signature_verifies_with_the_certificate_key() {
    // Directly, with the published public key.
    let key = RsaPublicKey::from_public_key_pem(REAL_PUBKEY_PEM).unwrap();
    let hashed = &digest_info(b"message1")[19..];
    key.verify(Pkcs1v15Sign::new::<sha2::Sha256>(), hashed, REAL_SIG)
        .unwrap();

    // Through the verifier: step 2 (the signature, with the certificate's own key) passes, and
    // step 3 fails — it is a real J-LIS certificate and only TEST roots are installed.
    let err = verify_authentication(
        b"message1",
        REAL_SIG,
        REAL_CERT,
        &anchors(&[gen1(), gen2()]),
        &RevocationList::new(),
        CertificateHolder::Card,
        datetime!(2020-01-01 12:00),
    )
    .unwrap_err();
    assert_eq!(
        err,
        VerifyError::ChainUntrusted {
            problem: ChainProblem::UnknownIssuer
        }
    );

    let err = verify_authentication(
        b"message2",
        REAL_SIG,
        REAL_CERT,
        &anchors(&[gen1()]),
        &RevocationList::new(),
        CertificateHolder::Card,
        datetime!(2020-01-01 12:00),
    )
    .unwrap_err();
    assert_eq!(err, VerifyError::SignatureInvalid);
}

//! The virtual card driven by onshi's real client (`jpki::run` over `transport::Counting`): the flows of
//! card.md §3 with their APDU budgets, the PIN counter through wrong tries, consent and locking, smartphone
//! tokens and a removed card.

use std::sync::OnceLock;

use onshi_core::card::CardError;
use onshi_core::card::apdu::StatusWord;
use onshi_core::card::jpki::{
    self, Authenticate, CardStatus, CertificateRead, LastTry, PinState, Probe, ReadCertificate,
    TokenKind, digest_info,
};
use onshi_core::card::kenmen::{ReadBasicInfo, Sex};
use onshi_core::card::pin::Pin;
use onshi_core::card::transport::{CardTransport, Counting, TransportError};
use onshi_core::card::virtual_card::{
    CardProfile, EmptyVerifyAnswer, KenmenProfile, SigningPassword, SigningProfile, VirtualCard,
};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};

const AUTH_PIN: &str = "4321";
const KENMEN_PIN: &str = "8765";
const SIGN_PASSWORD: &str = "TESTPASS2025";
const CHALLENGE: &[u8] = b"onshi test challenge 0001";

fn key(seed: u64) -> RsaPrivateKey {
    static KEYS: [OnceLock<RsaPrivateKey>; 2] = [OnceLock::new(), OnceLock::new()];
    KEYS[seed as usize % 2]
        .get_or_init(|| {
            let mut rng = ChaCha20Rng::seed_from_u64(seed);
            RsaPrivateKey::new(&mut rng, 2048).unwrap_or_else(|e| panic!("{e}"))
        })
        .clone()
}

/// A DER-shaped blob (`30 82 HH LL` and content) standing in for a certificate until the test CA is used.
fn der_blob(len: usize, seed: u8) -> Vec<u8> {
    let mut out = vec![0x30, 0x82];
    out.extend_from_slice(&((len - 4) as u16).to_be_bytes());
    out.extend((0..len - 4).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    out
}

fn pin(digits: &str) -> Pin {
    Pin::new(digits).unwrap_or_else(|e| panic!("{e}"))
}

fn profile(token: TokenKind, certificate_len: usize) -> CardProfile {
    CardProfile {
        token,
        auth_key: key(0),
        auth_certificate: der_blob(certificate_len, 1),
        auth_ca_certificate: der_blob(1000, 2),
        auth_pin: pin(AUTH_PIN),
        signing: Some(SigningProfile {
            key: key(1),
            certificate: der_blob(1800, 3),
            ca_certificate: der_blob(1000, 4),
            password: SigningPassword::new(SIGN_PASSWORD).unwrap_or_else(|e| panic!("{e}")),
        }),
        kenmen: (token == TokenKind::Card).then(|| KenmenProfile {
            pin: pin(KENMEN_PIN),
            name: "試験　一郎".to_owned(),
            address: "東京都千代田区千代田１番１号".to_owned(),
            birth_date: "19700123".to_owned(),
            sex: b'1',
        }),
        empty_verify: EmptyVerifyAnswer::default(),
    }
}

fn card(token: TokenKind, certificate_len: usize) -> VirtualCard {
    VirtualCard::new(profile(token, certificate_len)).unwrap_or_else(|e| panic!("{e}"))
}

/// Keeps every command sent, so a test can prove what was *not* sent.
struct Recording<'a> {
    card: &'a mut VirtualCard,
    sent: Vec<Vec<u8>>,
}

impl CardTransport for Recording<'_> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.sent.push(command.to_vec());
        self.card.transmit(command)
    }
}

impl Recording<'_> {
    /// VERIFY commands that carried a PIN.
    fn verifies_with_data(&self) -> usize {
        self.sent
            .iter()
            .filter(|c| c.starts_with(&[0x00, 0x20]) && c.len() > 4)
            .count()
    }
}

fn probe(card: &mut VirtualCard) -> (Result<CardStatus, CardError>, u32) {
    let mut counting = Counting::new(card);
    let result = jpki::run(Probe::new(), &mut counting);
    (result, counting.count())
}

fn authenticate(
    card: &mut VirtualCard,
    digits: &str,
    last_try: LastTry,
    read: CertificateRead,
) -> (Result<jpki::Authentication, CardError>, u32) {
    let mut counting = Counting::new(card);
    let procedure = Authenticate::new(pin(digits), CHALLENGE, last_try, read);
    let result = jpki::run(procedure, &mut counting);
    (result, counting.count())
}

/// Sends raw bytes; returns data and status word.
fn raw(card: &mut VirtualCard, apdu: &[u8]) -> (Vec<u8>, StatusWord) {
    let mut out = card.transmit(apdu).unwrap_or_else(|e| panic!("{e}"));
    let sw = out.split_off(out.len().saturating_sub(2));
    (out, StatusWord(u16::from_be_bytes([sw[0], sw[1]])))
}

const SELECT_JPKI: [u8; 15] = [
    0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01,
];

fn select_ef(ef: u16) -> Vec<u8> {
    let [hi, lo] = ef.to_be_bytes();
    vec![0x00, 0xA4, 0x02, 0x0C, 0x02, hi, lo]
}

#[test]
fn probe_tells_the_token_and_the_tries_in_five_apdus() {
    for token in [TokenKind::Card, TokenKind::Android, TokenKind::Iphone] {
        let mut c = card(token, 1200);
        let (status, count) = probe(&mut c);
        assert_eq!(
            status,
            Ok(CardStatus {
                token,
                pin: PinState::TriesLeft(3)
            })
        );
        assert_eq!(count, 5, "{token:?}");
    }
}

#[test]
fn authentication_signs_the_challenge_and_reads_the_certificate() {
    // 6 + 1 + ⌈len / 256⌉: 1,200 bytes need 5 reads (12 APDUs), the real 1,573-byte size 7 (14).
    for (len, expected) in [(1200, 12), (1573, 14)] {
        let mut c = card(TokenKind::Card, len);
        let (result, count) =
            authenticate(&mut c, AUTH_PIN, LastTry::Refuse, CertificateRead::Read);
        let auth = result.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(count, 6 + 1 + len.div_ceil(256) as u32);
        assert_eq!(count, expected);
        assert_eq!(auth.certificate, Some(der_blob(len, 1)));
        let public = RsaPublicKey::from(&key(0));
        let hash = Sha256::digest(CHALLENGE);
        assert!(
            public
                .verify(Pkcs1v15Sign::new::<Sha256>(), &hash, &auth.signature)
                .is_ok()
        );
        // The signing key is a different key.
        assert!(
            RsaPublicKey::from(&key(1))
                .verify(Pkcs1v15Sign::new::<Sha256>(), &hash, &auth.signature)
                .is_err()
        );
    }
    let mut c = card(TokenKind::Card, 1573);
    let (result, count) = authenticate(&mut c, AUTH_PIN, LastTry::Refuse, CertificateRead::Known);
    let auth = result.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (count, auth.certificate, auth.signature.len()),
        (6, None, 256)
    );
}

#[test]
fn wrong_pins_count_down_the_last_try_needs_consent_and_a_lock_is_final() {
    let mut c = card(TokenKind::Card, 1200);
    let (r, _) = authenticate(&mut c, "0000", LastTry::Refuse, CertificateRead::Read);
    assert_eq!(r.err(), Some(CardError::WrongPin { tries_left: 2 }));
    let (r, _) = authenticate(&mut c, "0001", LastTry::Refuse, CertificateRead::Read);
    assert_eq!(r.err(), Some(CardError::WrongPin { tries_left: 1 }));

    // One try left and no consent: nothing is spent.
    let (r, count) = authenticate(&mut c, AUTH_PIN, LastTry::Refuse, CertificateRead::Read);
    assert_eq!(r.err(), Some(CardError::LastTryNotConfirmed));
    assert_eq!(count, 3);
    assert_eq!(probe(&mut c).0.map(|s| s.pin), Ok(PinState::TriesLeft(1)));

    let (r, _) = authenticate(&mut c, "0002", LastTry::Allow, CertificateRead::Read);
    assert_eq!(r.err(), Some(CardError::WrongPin { tries_left: 0 }));
    assert_eq!(probe(&mut c).0.map(|s| s.pin), Ok(PinState::Locked));

    // Locked: the client stops at the tries query and never sends the PIN, even the right one.
    let mut recording = Recording {
        card: &mut c,
        sent: Vec::new(),
    };
    let procedure = Authenticate::new(
        pin(AUTH_PIN),
        CHALLENGE,
        LastTry::Allow,
        CertificateRead::Read,
    );
    assert_eq!(
        jpki::run(procedure, &mut recording).err(),
        Some(CardError::PinLocked)
    );
    assert_eq!(recording.sent.len(), 3);
    assert_eq!(recording.verifies_with_data(), 0);

    // Sent by hand, the right PIN is refused with 69 84, and the card stays locked after a power cycle.
    raw(&mut c, &SELECT_JPKI);
    raw(&mut c, &select_ef(0x0018));
    let mut verify = vec![0x00, 0x20, 0x00, 0x80, 0x04];
    verify.extend_from_slice(AUTH_PIN.as_bytes());
    assert_eq!(raw(&mut c, &verify).1, StatusWord::BLOCKED);
    c.reset();
    assert_eq!(probe(&mut c).0.map(|s| s.pin), Ok(PinState::Locked));
}

#[test]
fn the_right_pin_resets_the_counter() {
    let mut c = card(TokenKind::Card, 1200);
    let (r, _) = authenticate(&mut c, "9999", LastTry::Refuse, CertificateRead::Known);
    assert_eq!(r.err(), Some(CardError::WrongPin { tries_left: 2 }));
    assert_eq!(probe(&mut c).0.map(|s| s.pin), Ok(PinState::TriesLeft(2)));
    let (r, _) = authenticate(&mut c, AUTH_PIN, LastTry::Refuse, CertificateRead::Known);
    assert!(r.is_ok());
    assert_eq!(probe(&mut c).0.map(|s| s.pin), Ok(PinState::TriesLeft(3)));
}

#[test]
fn raw_commands_get_the_real_cards_refusals() {
    let mut c = card(TokenKind::Card, 1200);
    assert_eq!(raw(&mut c, &SELECT_JPKI).1, StatusWord::OK);
    // Signature without VERIFY.
    raw(&mut c, &select_ef(0x0017));
    let mut sign = vec![0x80, 0x2A, 0x00, 0x80, 0x33];
    sign.extend_from_slice(&digest_info(CHALLENGE));
    sign.push(0x00);
    assert_eq!(
        raw(&mut c, &sign),
        (vec![], StatusWord::SECURITY_STATUS_NOT_SATISFIED)
    );
    // An application the card does not have (券面事項確認AP), and a random one.
    let mut other = SELECT_JPKI.to_vec();
    other[5..].copy_from_slice(&[0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02]);
    assert_eq!(raw(&mut c, &other).1, StatusWord::FILE_NOT_FOUND);
    other[5..].copy_from_slice(&[0xA0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x01]);
    assert_eq!(raw(&mut c, &other).1, StatusWord::FILE_NOT_FOUND);
    // An instruction it does not know (GET CHALLENGE).
    assert_eq!(
        raw(&mut c, &[0x00, 0x84, 0x00, 0x00, 0x08]).1,
        StatusWord::INS_NOT_SUPPORTED
    );
    // The failed SELECTs left the JPKI AP current: read the certificate's end.
    raw(&mut c, &select_ef(0x000A));
    let (head, sw) = raw(&mut c, &[0x00, 0xB0, 0x00, 0x00, 0x04]);
    assert_eq!((head, sw), (vec![0x30, 0x82, 0x04, 0xAC], StatusWord::OK));
    let (last, sw) = raw(&mut c, &[0x00, 0xB0, 0x04, 0x00, 0x00]);
    assert_eq!((last.len(), sw), (1200 - 1024, StatusWord::OK));
    assert_eq!(last, der_blob(1200, 1)[1024..]);
    assert_eq!(
        raw(&mut c, &[0x00, 0xB0, 0x04, 0xB0, 0x00]).1,
        StatusWord::WRONG_OFFSET
    );
}

#[test]
fn the_certificate_is_free_on_the_card_and_guarded_on_phones() {
    let mut c = card(TokenKind::Card, 1573);
    let mut counting = Counting::new(&mut c);
    let certificate = jpki::run(ReadCertificate::new(), &mut counting);
    assert_eq!(certificate, Ok(der_blob(1573, 1)));
    assert_eq!(counting.count(), 2 + 7);

    for token in [TokenKind::Android, TokenKind::Iphone] {
        let mut c = card(token, 1573);
        let result = jpki::run(ReadCertificate::new(), &mut c);
        assert!(
            matches!(result, Err(CardError::SecurityStatusNotSatisfied { .. })),
            "{result:?}"
        );
        // With the PIN, the same token gives its certificate.
        let (r, count) = authenticate(&mut c, AUTH_PIN, LastTry::Refuse, CertificateRead::Read);
        let auth = r.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(auth.certificate, Some(der_blob(1573, 1)));
        assert_eq!(count, 14);
    }
}

#[test]
fn a_removed_card_fails_the_transport() {
    let mut c = card(TokenKind::Card, 1200);
    c.remove();
    assert_eq!(
        probe(&mut c).0,
        Err(CardError::Transport(TransportError::CardRemoved))
    );
    let (r, count) = authenticate(&mut c, AUTH_PIN, LastTry::Refuse, CertificateRead::Read);
    assert_eq!(
        r.err(),
        Some(CardError::Transport(TransportError::CardRemoved))
    );
    assert_eq!(count, 1);
    c.insert();
    assert_eq!(probe(&mut c).0.map(|s| s.pin), Ok(PinState::TriesLeft(3)));
}

#[test]
fn the_basic_four_are_read_through_the_helper_ap_client() {
    let mut c = card(TokenKind::Card, 1200);
    let info = jpki::run(ReadBasicInfo::new(pin(KENMEN_PIN), LastTry::Refuse), &mut c)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(info.name, "試験　一郎");
    assert_eq!(info.address, "東京都千代田区千代田１番１号");
    assert_eq!(info.birth_date, "19700123");
    assert_eq!(info.sex, Sex::Male);
    // Its PIN has its own counter: a wrong try there leaves the authentication PIN at 3.
    let r = jpki::run(ReadBasicInfo::new(pin(AUTH_PIN), LastTry::Refuse), &mut c);
    assert_eq!(r.err(), Some(CardError::WrongPin { tries_left: 2 }));
    assert_eq!(probe(&mut c).0.map(|s| s.pin), Ok(PinState::TriesLeft(3)));
    // A phone token has no helper AP.
    let mut phone = card(TokenKind::Android, 1200);
    let r = jpki::run(
        ReadBasicInfo::new(pin(KENMEN_PIN), LastTry::Refuse),
        &mut phone,
    );
    assert_eq!(r.err(), Some(CardError::NotJpki));
}

#[test]
fn debug_output_never_shows_the_pins() {
    let p = profile(TokenKind::Card, 1200);
    let profile_text = format!("{p:?}");
    let mut c = VirtualCard::new(p).unwrap_or_else(|e| panic!("{e}"));
    let _ = authenticate(&mut c, AUTH_PIN, LastTry::Refuse, CertificateRead::Known);
    let card_text = format!("{c:?} {c:#?}");
    for text in [&profile_text, &card_text] {
        for secret in [AUTH_PIN, KENMEN_PIN, SIGN_PASSWORD, "試験", "19700123"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}

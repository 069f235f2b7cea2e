//! The card's answers, APDU by APDU. The flows through onshi's own client are in `core/tests/virtual_card.rs`.

use std::sync::OnceLock;

use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};

use super::*;
use crate::card::jpki::digest_info;
use crate::card::pin::Pin;

const JPKI: &str = "00A4040C0AD392F000260100000001";
const KENMEN: &str = "00A4040C0AD3921000310001010408";

fn key() -> RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        RsaPrivateKey::new(&mut rng, 2048).unwrap_or_else(|e| panic!("{e}"))
    })
    .clone()
}

/// A DER-shaped blob: `30 82 HH LL` and `len - 4` bytes.
fn der(len: usize, fill: u8) -> Vec<u8> {
    let mut out = vec![0x30, 0x82];
    out.extend_from_slice(&((len - 4) as u16).to_be_bytes());
    out.resize(len, fill);
    out
}

fn pin(digits: &str) -> Pin {
    Pin::new(digits).unwrap_or_else(|e| panic!("{e}"))
}

fn kenmen_profile() -> KenmenProfile {
    KenmenProfile {
        pin: pin("5678"),
        name: "番号　花子".to_owned(),
        address: "東京都千代田区霞が関２－１－２".to_owned(),
        birth_date: "19650401".to_owned(),
        sex: b'2',
    }
}

fn profile(token: TokenKind, signing: bool) -> CardProfile {
    CardProfile {
        token,
        auth_key: key(),
        auth_certificate: der(1200, 0xA1),
        auth_ca_certificate: der(900, 0xA2),
        auth_pin: pin("1234"),
        signing: signing.then(|| SigningProfile {
            key: key(),
            certificate: der(1573, 0xB1),
            ca_certificate: der(1000, 0xB2),
            password: SigningPassword::new("ABC123XYZ").unwrap_or_else(|e| panic!("{e}")),
        }),
        kenmen: (token == TokenKind::Card).then(kenmen_profile),
        empty_verify: EmptyVerifyAnswer::OkWhenVerified,
    }
}

fn card() -> VirtualCard {
    VirtualCard::new(profile(TokenKind::Card, true)).unwrap_or_else(|e| panic!("{e}"))
}

fn hex(text: &str) -> Vec<u8> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// Sends hex, returns (data, SW as u16).
fn send(card: &mut VirtualCard, apdu: &str) -> (Vec<u8>, u16) {
    send_bytes(card, &hex(apdu))
}

fn send_bytes(card: &mut VirtualCard, apdu: &[u8]) -> (Vec<u8>, u16) {
    let mut out = card.transmit(apdu).unwrap_or_else(|e| panic!("{e}"));
    assert!(out.len() >= 2, "every answer ends with a status word");
    let sw = out.split_off(out.len() - 2);
    (out, u16::from_be_bytes([sw[0], sw[1]]))
}

fn sw(card: &mut VirtualCard, apdu: &str) -> u16 {
    send(card, apdu).1
}

#[test]
fn applications_are_selected_by_their_exact_aid() {
    let mut c = card();
    assert_eq!(sw(&mut c, JPKI), 0x9000);
    // P2 00 (FCI requested, as iOS's discovery SELECT): accepted, answered without FCI.
    assert_eq!(
        send(&mut c, "00A404000AD392F00026010000000100"),
        (vec![], 0x9000)
    );
    assert_eq!(sw(&mut c, KENMEN), 0x9000);
    // 券面事項確認AP, 住基AP, the unknown 0401, a truncated AID, a random one, no AID.
    for other in [
        "00A4040C0AD3921000310001010402",
        "00A4040C0AD3921000310001010100",
        "00A4040C0AD3921000310001010401",
        "00A4040C09D392F0002601000000",
        "00A4040C07A0000003080000",
        "00A4040C",
    ] {
        assert_eq!(sw(&mut c, other), 0x6A82, "{other}");
    }
    // The MF is not pretended.
    assert_eq!(sw(&mut c, "00A40000023F00"), 0x6A82);
    assert_eq!(sw(&mut c, "00A4000C023F00"), 0x6A82);
    assert_eq!(sw(&mut c, "00A40000"), 0x6A82);
    // Unsupported P1 / P2.
    assert_eq!(sw(&mut c, "00A4080C023F00"), 0x6A86);
    assert_eq!(sw(&mut c, "00A404040AD392F000260100000001"), 0x6A86);
}

#[test]
fn files_are_selected_within_the_current_application() {
    let mut c = card();
    assert_eq!(sw(&mut c, "00A4020C020006"), 0x6A82, "no application yet");
    assert_eq!(sw(&mut c, JPKI), 0x9000);
    for ef in [
        "0001", "0002", "0006", "0008", "000A", "000B", "0017", "0018", "001A", "001B",
    ] {
        assert_eq!(sw(&mut c, &format!("00A4020C02{ef}")), 0x9000, "{ef}");
    }
    assert_eq!(
        sw(&mut c, "00A4020C020011"),
        0x6A82,
        "the helper AP's PIN EF"
    );
    assert_eq!(sw(&mut c, "00A4020C02FFFF"), 0x6A82);
    assert_eq!(sw(&mut c, "00A4020C0100"), 0x6700);
    assert_eq!(sw(&mut c, KENMEN), 0x9000);
    assert_eq!(sw(&mut c, "00A4020C020011"), 0x9000);
    assert_eq!(
        sw(&mut c, "00A4020C02000A"),
        0x6A82,
        "JPKI's EF from the helper AP"
    );
}

#[test]
fn read_binary_gives_partial_blocks_and_6b00_past_the_end() {
    let mut c = card();
    sw(&mut c, JPKI);
    sw(&mut c, "00A4020C020006");
    let (label, status) = send(&mut c, "00B0000020");
    assert_eq!(status, 0x9000);
    assert_eq!(label, b"JPKIAPICCTOKEN2                 ");
    assert_eq!(sw(&mut c, "00B0002000"), 0x6B00, "offset == length");
    sw(&mut c, "00A4020C02000A");
    let (head, _) = send(&mut c, "00B0000004");
    assert_eq!(head, [0x30, 0x82, 0x04, 0xAC]); // 0x04AC + 4 = 1200
    let (block, status) = send(&mut c, "00B0000000");
    assert_eq!((block.len(), status), (256, 0x9000));
    // 1200 = 4 * 256 + 176: the last block is partial, whatever Le asks.
    let (last, status) = send(&mut c, "00B0040000");
    assert_eq!((last.len(), status), (176, 0x9000));
    let (last, _) = send(&mut c, "00B00400B0");
    assert_eq!(last.len(), 176);
    let (two, _) = send(&mut c, "00B004AE10");
    assert_eq!(two.len(), 2);
    assert_eq!(sw(&mut c, "00B004B000"), 0x6B00);
    assert_eq!(sw(&mut c, "00B07F0000"), 0x6B00);
    // Short EF id in P1, no Le, data field.
    assert_eq!(sw(&mut c, "00B0810000"), 0x6A86);
    assert_eq!(sw(&mut c, "00B00000"), 0x6700);
    assert_eq!(sw(&mut c, "00B0000001AA00"), 0x6700);
    let (presence, _) = {
        sw(&mut c, "00A4020C020008");
        send(&mut c, "00B0000000")
    };
    assert_eq!(presence, [0x8F, 0x8F, 0x00]);
}

#[test]
fn keys_pins_and_nothing_are_not_readable() {
    let mut c = card();
    sw(&mut c, JPKI);
    assert_eq!(sw(&mut c, "00B0000000"), 0x6986, "no current EF");
    for ef in ["0017", "0018", "001A", "001B"] {
        sw(&mut c, &format!("00A4020C02{ef}"));
        assert_eq!(sw(&mut c, "00B0000000"), 0x6986, "{ef}");
    }
    // The signing certificate is behind the signing password.
    sw(&mut c, "00A4020C020001");
    assert_eq!(sw(&mut c, "00B0000004"), 0x6982);
}

#[test]
fn verify_counts_down_blocks_and_then_refuses() {
    let mut c = card();
    sw(&mut c, JPKI);
    sw(&mut c, "00A4020C020018");
    assert_eq!(sw(&mut c, "00200080"), 0x63C3);
    assert_eq!(sw(&mut c, "002000800431313131"), 0x63C2);
    assert_eq!(sw(&mut c, "00200080"), 0x63C2, "the query spends nothing");
    assert_eq!(sw(&mut c, "002000800431323334"), 0x9000);
    assert_eq!(sw(&mut c, "00200080"), 0x9000, "verified in this session");
    // A wrong VERIFY loses the verified state as well as a try.
    assert_eq!(sw(&mut c, "002000800431323335"), 0x63C2);
    assert_eq!(sw(&mut c, "00200080"), 0x63C2);
    // Wrong lengths are wrong tries.
    assert_eq!(sw(&mut c, "0020008003313233"), 0x63C1);
    assert_eq!(sw(&mut c, "00200080053132333435"), 0x63C0);
    assert_eq!(sw(&mut c, "00200080"), 0x63C0);
    assert_eq!(
        sw(&mut c, "002000800431323334"),
        0x6984,
        "the right PIN once blocked"
    );
    assert_eq!(sw(&mut c, "002000800430303030"), 0x6984);
    c.reset();
    sw(&mut c, JPKI);
    sw(&mut c, "00A4020C020018");
    assert_eq!(
        sw(&mut c, "00200080"),
        0x63C0,
        "blocked across power cycles"
    );
}

#[test]
fn verify_needs_a_pin_ef_and_p2_80() {
    let mut c = card();
    sw(&mut c, JPKI);
    assert_eq!(sw(&mut c, "00200080"), 0x6986);
    sw(&mut c, "00A4020C020017");
    assert_eq!(sw(&mut c, "002000800431323334"), 0x6986);
    sw(&mut c, "00A4020C020018");
    assert_eq!(sw(&mut c, "00200081"), 0x6A86);
    assert_eq!(sw(&mut c, "00200180"), 0x6A86);
    assert_eq!(sw(&mut c, "00200080"), 0x63C3, "none of these spent a try");
}

#[test]
fn the_empty_verify_answer_can_follow_openscs_expectation() {
    let mut p = profile(TokenKind::Card, true);
    p.empty_verify = EmptyVerifyAnswer::AlwaysTriesLeft;
    let mut c = VirtualCard::new(p).unwrap_or_else(|e| panic!("{e}"));
    sw(&mut c, JPKI);
    sw(&mut c, "00A4020C020018");
    assert_eq!(sw(&mut c, "002000800431323334"), 0x9000);
    assert_eq!(sw(&mut c, "00200080"), 0x63C3);
}

#[test]
fn security_state_survives_ef_selection_but_not_reselection_or_reset() {
    let mut c = card();
    sw(&mut c, JPKI);
    sw(&mut c, "00A4020C020018");
    assert_eq!(sw(&mut c, "002000800431323334"), 0x9000);
    sw(&mut c, "00A4020C02000A");
    sw(&mut c, "00A4020C020018");
    assert_eq!(sw(&mut c, "00200080"), 0x9000);
    // A failed SELECT changes nothing.
    assert_eq!(sw(&mut c, "00A4040C0AD3921000310001010402"), 0x6A82);
    assert_eq!(sw(&mut c, "00200080"), 0x9000);
    // Selecting the AP again logs out.
    sw(&mut c, JPKI);
    sw(&mut c, "00A4020C020018");
    assert_eq!(sw(&mut c, "00200080"), 0x63C3);
    assert_eq!(sw(&mut c, "002000800431323334"), 0x9000);
    c.reset();
    assert_eq!(
        sw(&mut c, "00A4020C020018"),
        0x6A82,
        "nothing selected after reset"
    );
    sw(&mut c, JPKI);
    sw(&mut c, "00A4020C020018");
    assert_eq!(sw(&mut c, "00200080"), 0x63C3);
}

#[test]
fn signature_needs_the_verified_pin_and_pads_the_digest_info() {
    let mut c = card();
    sw(&mut c, JPKI);
    sw(&mut c, "00A4020C020017");
    let di = digest_info(b"challenge");
    let mut apdu = hex("802A008033");
    apdu.extend_from_slice(&di);
    apdu.push(0);
    assert_eq!(send_bytes(&mut c, &apdu).1, 0x6982);
    sw(&mut c, "00A4020C020018");
    sw(&mut c, "002000800431323334");
    assert_eq!(
        send_bytes(&mut c, &apdu).1,
        0x6986,
        "the PIN EF is current, not the key"
    );
    sw(&mut c, "00A4020C020017");
    let (signature, status) = send_bytes(&mut c, &apdu);
    assert_eq!((signature.len(), status), (256, 0x9000));
    let public = RsaPublicKey::from(&key());
    let hash = Sha256::digest(b"challenge");
    assert!(
        public
            .verify(Pkcs1v15Sign::new::<Sha256>(), &hash, &signature)
            .is_ok()
    );
    // Deterministic, and any data up to 245 bytes is padded and signed.
    assert_eq!(send_bytes(&mut c, &apdu).0, signature);
    let mut raw = hex("802A0080F5");
    raw.extend_from_slice(&[0x5A; 245]);
    let (sig, status) = send_bytes(&mut c, &raw);
    assert_eq!((sig.len(), status), (256, 0x9000));
    assert!(
        public
            .verify(Pkcs1v15Sign::new_unprefixed(), &[0x5A; 245], &sig)
            .is_ok()
    );
    let mut too_long = hex("802A0080F6");
    too_long.extend_from_slice(&[0x5A; 246]);
    assert_eq!(send_bytes(&mut c, &too_long).1, 0x6700);
    assert_eq!(sw(&mut c, "802A008000"), 0x6700, "no data");
    // Wrong class for the instruction, other P1, other P2.
    apdu[0] = 0x00;
    assert_eq!(send_bytes(&mut c, &apdu).1, 0x6E00);
    apdu[0] = 0x80;
    apdu[2] = 0x01;
    assert_eq!(send_bytes(&mut c, &apdu).1, 0x6A86);
    apdu[2] = 0x00;
    apdu[3] = 0x81;
    assert_eq!(send_bytes(&mut c, &apdu).1, 0x6A86);
    // ISO's PSO header is not this card's.
    assert_eq!(sw(&mut c, "002A9E9A0401020304"), 0x6E00);
}

#[test]
fn the_signing_side_needs_its_password() {
    let mut c = card();
    sw(&mut c, JPKI);
    // The user-authentication PIN does not open the signing key.
    sw(&mut c, "00A4020C020018");
    sw(&mut c, "002000800431323334");
    sw(&mut c, "00A4020C02001A");
    assert_eq!(sw(&mut c, "802A00800401020304"), 0x6982);
    sw(&mut c, "00A4020C02001B");
    assert_eq!(sw(&mut c, "00200080"), 0x63C5);
    assert_eq!(sw(&mut c, "0020008006414243313234"), 0x63C4);
    assert_eq!(sw(&mut c, "002000800941424331323358595A"), 0x9000);
    sw(&mut c, "00A4020C020001");
    let (head, status) = send(&mut c, "00B0000004");
    assert_eq!((head, status), (vec![0x30, 0x82, 0x06, 0x21], 0x9000));
    sw(&mut c, "00A4020C02001A");
    let (sig, status) = send(&mut c, "802A00800401020304");
    assert_eq!((sig.len(), status), (256, 0x9000));
}

#[test]
fn a_child_has_no_signing_files() {
    let mut c = VirtualCard::new(profile(TokenKind::Card, false)).unwrap_or_else(|e| panic!("{e}"));
    sw(&mut c, JPKI);
    for ef in ["0001", "0002", "001A", "001B"] {
        assert_eq!(sw(&mut c, &format!("00A4020C02{ef}")), 0x6A82, "{ef}");
    }
    sw(&mut c, "00A4020C020008");
    assert_eq!(send(&mut c, "00B0000000"), (vec![0x8F, 0x00, 0x00], 0x9000));
}

#[test]
fn change_reference_data_after_verify() {
    let mut c = card();
    sw(&mut c, JPKI);
    sw(&mut c, "00A4020C020018");
    assert_eq!(sw(&mut c, "002401800439383736"), 0x6982, "not verified");
    sw(&mut c, "002000800431323334");
    assert_eq!(sw(&mut c, "00240180043938373A"), 0x6A80, "not digits");
    assert_eq!(sw(&mut c, "0024018003393837"), 0x6A80, "three digits");
    assert_eq!(
        sw(&mut c, "00240080083132333439383736"),
        0x6A86,
        "old ‖ new not supported"
    );
    assert_eq!(sw(&mut c, "00240180"), 0x6700);
    assert_eq!(sw(&mut c, "002401800439383736"), 0x9000);
    sw(&mut c, JPKI);
    sw(&mut c, "00A4020C020018");
    assert_eq!(sw(&mut c, "002000800431323334"), 0x63C2);
    assert_eq!(sw(&mut c, "002000800439383736"), 0x9000);
    // The signing password keeps its own rule.
    sw(&mut c, "00A4020C02001B");
    sw(&mut c, "002000800941424331323358595A");
    assert_eq!(sw(&mut c, "0024018006616263313233"), 0x6A80, "lower case");
    assert_eq!(sw(&mut c, "0024018006414243313233"), 0x9000);
}

#[test]
fn the_helper_ap_guards_the_basic_four_with_its_own_pin() {
    let mut c = card();
    sw(&mut c, KENMEN);
    sw(&mut c, "00A4020C020002");
    assert_eq!(sw(&mut c, "00B0000000"), 0x6982);
    sw(&mut c, "00A4020C020001");
    assert_eq!(sw(&mut c, "00B0000000"), 0x6982);
    sw(&mut c, "00A4020C020011");
    assert_eq!(sw(&mut c, "00200080"), 0x63C3);
    // The user-authentication PIN is not this one, and its counter is separate.
    assert_eq!(sw(&mut c, "002000800431323334"), 0x63C2);
    assert_eq!(sw(&mut c, "002000800435363738"), 0x9000);
    sw(&mut c, "00A4020C020002");
    let (file, status) = send(&mut c, "00B0000000");
    assert_eq!(status, 0x9000);
    let expected = files::basic_four(&kenmen_profile()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(file, expected);
    let name = "番号　花子".as_bytes();
    assert!(file.windows(name.len()).any(|w| w == name));
    sw(&mut c, "00A4020C020001");
    let (number, _) = send(&mut c, "00B0000000");
    assert_eq!(number, b"\xFF\x10\x0C000000000000");
    // The JPKI PIN is untouched.
    sw(&mut c, JPKI);
    sw(&mut c, "00A4020C020018");
    assert_eq!(sw(&mut c, "00200080"), 0x63C3);
}

#[test]
fn smartphone_tokens_guard_the_certificate_and_have_no_helper_ap() {
    for (token, label) in [
        (TokenKind::Android, "JPKIAPGPSETOKEN"),
        (TokenKind::Iphone, "JPKIAPIOSTOKEN"),
    ] {
        let mut c = VirtualCard::new(profile(token, true)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.token(), token);
        assert_eq!(sw(&mut c, KENMEN), 0x6A82);
        sw(&mut c, JPKI);
        sw(&mut c, "00A4020C020006");
        let (info, _) = send(&mut c, "00B0000020");
        assert!(info.starts_with(label.as_bytes()));
        assert_eq!(info[label.len()..], vec![b' '; 32 - label.len()]);
        assert_eq!(sw(&mut c, "00A4020C02000A"), 0x9000);
        assert_eq!(sw(&mut c, "00B0000004"), 0x6982);
        sw(&mut c, "00A4020C02000B");
        assert_eq!(
            sw(&mut c, "00B0000004"),
            0x9000,
            "the CA certificate is free"
        );
        sw(&mut c, "00A4020C020018");
        sw(&mut c, "002000800431323334");
        sw(&mut c, "00A4020C02000A");
        assert_eq!(send(&mut c, "00B0000004").0, [0x30, 0x82, 0x04, 0xAC]);
    }
}

#[test]
fn classes_instructions_and_lengths() {
    let mut c = card();
    assert_eq!(sw(&mut c, "0084000008"), 0x6D00, "GET CHALLENGE");
    assert_eq!(sw(&mut c, "00CA010000"), 0x6D00, "GET DATA");
    assert_eq!(sw(&mut c, "00C0000000"), 0x6D00, "GET RESPONSE");
    assert_eq!(sw(&mut c, "8050000008"), 0x6D00);
    assert_eq!(sw(&mut c, "80A4040C0AD392F000260100000001"), 0x6E00);
    assert_eq!(
        sw(&mut c, "0CA4040C0AD392F000260100000001"),
        0x6E00,
        "secure messaging"
    );
    assert_eq!(
        sw(&mut c, "01A4040C0AD392F000260100000001"),
        0x6E00,
        "logical channel"
    );
    assert_eq!(sw(&mut c, "FF"), 0x6700);
    assert_eq!(sw(&mut c, ""), 0x6700);
    assert_eq!(sw(&mut c, "00A404"), 0x6700);
    assert_eq!(
        sw(&mut c, "00A4040C0BD392F000260100000001"),
        0x6700,
        "Lc too long"
    );
    assert_eq!(
        sw(&mut c, "00A4040C08D392F000260100000001"),
        0x6700,
        "Lc two short"
    );
    // One short reads as a case-4 APDU whose last byte is Le: a 9-byte AID, which is not found.
    assert_eq!(sw(&mut c, "00A4040C09D392F000260100000001"), 0x6A82);
    assert_eq!(sw(&mut c, "00B00000000100"), 0x6700, "extended Le");
}

#[test]
fn removal_fails_the_transport_and_keeps_the_counters() {
    let mut c = card();
    sw(&mut c, JPKI);
    sw(&mut c, "00A4020C020018");
    sw(&mut c, "002000800430303030");
    c.remove();
    assert!(!c.is_present());
    assert_eq!(
        c.transmit(&hex(JPKI)),
        Err(crate::card::transport::TransportError::CardRemoved)
    );
    c.insert();
    assert_eq!(sw(&mut c, "00A4020C020018"), 0x6A82, "powered up afresh");
    sw(&mut c, JPKI);
    sw(&mut c, "00A4020C020018");
    assert_eq!(sw(&mut c, "00200080"), 0x63C2);
    assert_eq!(
        c.atr(),
        [0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14]
    );
}

#[test]
fn debug_shows_no_secret() {
    let p = profile(TokenKind::Card, true);
    let text = format!("{p:?}");
    let mut c = VirtualCard::new(p).unwrap_or_else(|e| panic!("{e}"));
    sw(&mut c, JPKI);
    sw(&mut c, "00A4020C020018");
    sw(&mut c, "002000800431323334");
    let text = format!("{text}\n{c:?}\n{c:#?}");
    for secret in [
        "1234",
        "5678",
        "ABC123XYZ",
        "番号",
        "19650401",
        "[49, 50, 51, 52]",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    // No key material either (the rsa crate's own Debug would print the primes).
    assert!(
        !text.contains("BigUint") && !text.contains("primes"),
        "{text}"
    );
    assert!(
        text.contains("auth_pin") && text.contains("(3/3 tries)"),
        "{text}"
    );
}

#[test]
fn profiles_that_readers_would_trip_on_are_refused() {
    let mut p = profile(TokenKind::Card, false);
    p.auth_certificate = vec![0x30, 0x82, 0x04, 0xAC, 1, 2, 3];
    assert_eq!(
        VirtualCard::new(p).err(),
        Some(ProfileError::NotDer { file: 0x000A })
    );
    let mut p = profile(TokenKind::Card, false);
    p.auth_ca_certificate = der(0x8000, 0);
    assert_eq!(
        VirtualCard::new(p).err(),
        Some(ProfileError::NotDer { file: 0x000B })
    );
    let mut p = profile(TokenKind::Card, true);
    if let Some(s) = p.signing.as_mut() {
        s.certificate = vec![0x31, 0x03, 1, 2, 3];
    }
    assert_eq!(
        VirtualCard::new(p).err(),
        Some(ProfileError::NotDer { file: 0x0001 })
    );
    let mut p = profile(TokenKind::Card, false);
    if let Some(k) = p.kenmen.as_mut() {
        k.birth_date = "1965041".to_owned();
    }
    assert_eq!(VirtualCard::new(p).err(), Some(ProfileError::BirthDate));
    let mut p = profile(TokenKind::Card, false);
    if let Some(k) = p.kenmen.as_mut() {
        k.sex = b'M';
    }
    assert_eq!(VirtualCard::new(p).err(), Some(ProfileError::Sex));
    for bad in [
        "ABC12",
        "abc123",
        "ABC-123",
        "ABCDEFGHIJKLMNOPQ",
        "ＡＢＣ１２３",
    ] {
        assert_eq!(
            SigningPassword::new(bad).err(),
            Some(ProfileError::SigningPassword),
            "{bad}"
        );
    }
    assert!(SigningPassword::new("ABCDEFGHIJKLMNOP").is_ok());
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let small = RsaPrivateKey::new(&mut rng, 1024).unwrap_or_else(|e| panic!("{e}"));
    let mut p = profile(TokenKind::Card, false);
    p.auth_key = small;
    assert_eq!(
        VirtualCard::new(p).err(),
        Some(ProfileError::KeySize {
            file: 0x0017,
            bytes: 128
        })
    );
}

/// Commands near the card's real ones, so a sequence reaches deep states; and plain noise.
fn command() -> impl Strategy<Value = Vec<u8>> {
    let header = prop::sample::select(vec![
        [0x00, 0xA4, 0x04, 0x0C],
        [0x00, 0xA4, 0x02, 0x0C],
        [0x00, 0xB0, 0x00, 0x00],
        [0x00, 0xB0, 0x04, 0x00],
        [0x00, 0x20, 0x00, 0x80],
        [0x00, 0x24, 0x01, 0x80],
        [0x80, 0x2A, 0x00, 0x80],
    ]);
    let body = prop::sample::select(vec![
        hex("0AD392F000260100000001"),
        hex("0AD392100031000101040800"),
        hex("020006"),
        hex("02000A"),
        hex("020017"),
        hex("020018"),
        hex("020002"),
        hex("020011"),
        hex("0431323334"),
        hex("0435363738"),
        hex("0430303030"),
        hex("00"),
        hex("20"),
        vec![],
    ]);
    prop_oneof![
        (header, body).prop_map(|(h, b)| [h.as_slice(), &b].concat()),
        prop::collection::vec(any::<u8>(), 0..300),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_get_a_status_word_and_no_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let mut c = card();
        let answer = c.transmit(&bytes).unwrap_or_else(|e| panic!("{e}"));
        prop_assert!(answer.len() >= 2);
    }

    #[test]
    fn any_sequence_keeps_the_counters_in_range(commands in prop::collection::vec(command(), 1..40)) {
        let mut c = card();
        for bytes in &commands {
            let answer = c.transmit(bytes).unwrap_or_else(|e| panic!("{e}"));
            prop_assert!(answer.len() >= 2);
            // Data only with 90 00.
            let sw = &answer[answer.len() - 2..];
            prop_assert!(answer.len() == 2 || sw == [0x90, 0x00]);
        }
        prop_assert!(c.auth_pin.tries_left() <= 3);
        prop_assert!(c.kenmen_pin.as_ref().is_some_and(|p| p.tries_left() <= 3));
    }
}

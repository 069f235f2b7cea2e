//! Demo cards (デモ用カード): a few virtual マイナンバーカード for tests, the demo population and anyone
//! trying onshi without a real card. TEST ONLY: their certificates chain to the TEST CA of [`test_ca`],
//! which no real verifier trusts, and their PINs are printed for everyone.
//!
//! Everything derives from a seed and the day the cards are issued for, so the same demo comes up
//! every time. Each card costs two or three RSA-2048 key generations (≈ 200 ms each): build on demand.

use time::Duration;

use super::jpki::TokenKind;
use super::pin::Pin;
use super::test_ca::{TestAuthority, TestCaError, UserCertificateRequest, card_key, end_of_day};
use super::virtual_card::{
    CardProfile, EmptyVerifyAnswer, KenmenProfile, SigningPassword, SigningProfile, VirtualCard,
};
use crate::jst::{Date, JstDateTime};

/// The TEST root generation the demo cards are issued under (like today's authca03).
pub const DEMO_ROOT_GENERATION: u8 = 3;

/// How a demo card's certificate stands on the day it is issued for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoCertificate {
    /// Valid for years.
    Valid,
    /// Expired 40 days ago: inside the 3-month grace for a plastic card (qualification only).
    ExpiredInGrace,
}

/// One card of the demo set.
#[derive(Debug, Clone, Copy)]
pub struct DemoCard {
    /// A short id, also the key derivation's card id.
    pub id: &'static str,
    /// Who holds it, for the demo's printed list (a made-up person).
    pub holder: &'static str,
    /// Card, Android or iPhone.
    pub token: TokenKind,
    /// The 利用者証明用 PIN (demo only — printed on purpose).
    pub pin: &'static str,
    /// The 券面事項入力補助 PIN, for a plastic card.
    pub kenmen_pin: Option<&'static str>,
    /// The certificate's standing.
    pub certificate: DemoCertificate,
}

/// The demo set.
pub const DEMO_CARDS: [DemoCard; 4] = [
    DemoCard {
        id: "demo-card-1",
        holder: "デモ　花子 (Hanako Demo)",
        token: TokenKind::Card,
        pin: "1234",
        kenmen_pin: Some("1234"),
        certificate: DemoCertificate::Valid,
    },
    DemoCard {
        id: "demo-android-2",
        holder: "デモ　太郎 (Taro Demo)",
        token: TokenKind::Android,
        pin: "2580",
        kenmen_pin: None,
        certificate: DemoCertificate::Valid,
    },
    DemoCard {
        id: "demo-iphone-3",
        holder: "デモ　次郎 (Jiro Demo)",
        token: TokenKind::Iphone,
        pin: "1357",
        kenmen_pin: None,
        certificate: DemoCertificate::Valid,
    },
    DemoCard {
        id: "demo-card-expired-4",
        holder: "デモ　梅子 (Umeko Demo)",
        token: TokenKind::Card,
        pin: "4321",
        kenmen_pin: Some("4321"),
        certificate: DemoCertificate::ExpiredInGrace,
    },
];

/// A demo card built for a day, with the TEST root it chains to.
pub struct IssuedDemoCard {
    /// The card, ready to answer APDUs.
    pub card: VirtualCard,
    /// Its 利用者証明用電子証明書 (DER), as the verifier will see it.
    pub certificate: Vec<u8>,
    /// The TEST root (DER) to configure as a trust anchor.
    pub root: Vec<u8>,
}

/// Builds demo card `index` of [`DEMO_CARDS`] (an index past the set wraps around, with its own keys),
/// as issued for `today`.
pub fn issue(seed: u64, index: usize, today: Date) -> Result<IssuedDemoCard, TestCaError> {
    let demo = DEMO_CARDS[index % DEMO_CARDS.len()];
    let id = format!("{}#{index}", demo.id);
    let authority = TestAuthority::generation(seed, DEMO_ROOT_GENERATION)?;
    let root = authority.root_certificate_der().to_vec();
    let (not_before, not_after) = match demo.certificate {
        DemoCertificate::Valid => (today - Duration::days(365), today + Duration::days(4 * 365)),
        DemoCertificate::ExpiredInGrace => {
            (today - Duration::days(5 * 365), today - Duration::days(40))
        }
    };
    let issue =
        |purpose: &str, serial: u64| -> Result<(rsa::RsaPrivateKey, Vec<u8>), TestCaError> {
            let key = card_key(seed, &format!("{id}/{purpose}"));
            let certificate = authority.issue_user_certificate(UserCertificateRequest {
                card: format!("{id}/{purpose}"),
                public_key: key.to_public_key(),
                serial,
                not_before: JstDateTime::new(not_before, time::Time::MIDNIGHT),
                not_after: end_of_day(not_after),
            })?;
            Ok((key, certificate))
        };
    let serial = 0x1000 + index as u64 * 2;
    let (auth_key, certificate) = issue("auth", serial)?;
    let pin = |p: &str| {
        Pin::new(p).map_err(|e| TestCaError {
            what: "demo PIN",
            detail: e.to_string(),
        })
    };
    let (signing, kenmen) = match demo.kenmen_pin {
        // A plastic card of an adult: signing certificate and the card-text helper too.
        Some(kenmen_pin) => {
            let (key, sign_certificate) = issue("sign", serial + 1)?;
            let signing = SigningProfile {
                key,
                certificate: sign_certificate,
                ca_certificate: root.clone(),
                password: SigningPassword::new("DEMO1234").map_err(|e| TestCaError {
                    what: "demo password",
                    detail: e.to_string(),
                })?,
            };
            let (name, _) = demo.holder.split_once(" (").unwrap_or((demo.holder, ""));
            let kenmen = KenmenProfile {
                pin: pin(kenmen_pin)?,
                name: name.to_owned(),
                address: "東京都千代田区霞が関１丁目２番２号".to_owned(),
                birth_date: "19500401".to_owned(),
                sex: b'2',
            };
            (Some(signing), Some(kenmen))
        }
        None => (None, None),
    };
    let card = VirtualCard::new(CardProfile {
        token: demo.token,
        auth_key,
        auth_certificate: certificate.clone(),
        auth_ca_certificate: root.clone(),
        auth_pin: pin(demo.pin)?,
        signing,
        kenmen,
        empty_verify: EmptyVerifyAnswer::default(),
    })
    .map_err(|e| TestCaError {
        what: "demo card",
        detail: e.to_string(),
    })?;
    Ok(IssuedDemoCard {
        card,
        certificate,
        root,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::jpki::{self, Authenticate, CertificateRead, LastTry};
    use crate::card::verify::{RevocationList, TrustAnchors, verify_authentication};
    use crate::flows::CertificateStatus;
    use time::macros::date;

    #[test]
    fn a_demo_card_authenticates_and_verifies_against_its_test_root() {
        let today = date!(2026 - 11 - 21);
        for index in [0, 3] {
            let mut issued = issue(7, index, today).unwrap_or_else(|e| panic!("{e}"));
            let demo = DEMO_CARDS[index];
            let pin = Pin::new(demo.pin).unwrap_or_else(|e| panic!("{e}"));
            let auth = Authenticate::new(pin, b"nonce", LastTry::Refuse, CertificateRead::Read);
            let a = jpki::run(auth, &mut issued.card).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                a.certificate.as_deref(),
                Some(issued.certificate.as_slice())
            );
            let anchors =
                TrustAnchors::from_der_roots([&issued.root]).unwrap_or_else(|e| panic!("{e}"));
            let now = JstDateTime::new(today, time::Time::MIDNIGHT);
            let verified = verify_authentication(
                b"nonce",
                &a.signature,
                &issued.certificate,
                &anchors,
                &RevocationList::new(),
                demo.token.holder(),
                now,
            )
            .unwrap_or_else(|e| panic!("{e}"));
            let in_grace = matches!(verified.status, CertificateStatus::ExpiredInGrace { .. });
            assert_eq!(
                in_grace,
                demo.certificate == DemoCertificate::ExpiredInGrace
            );
        }
    }

    #[test]
    fn a_certificate_alone_verifies_for_visual_check_but_not_a_stranger() {
        use crate::card::verify::{VerifyError, verify_certificate};
        let today = date!(2026 - 11 - 21);
        let issued = issue(7, 0, today).unwrap_or_else(|e| panic!("{e}"));
        let anchors =
            TrustAnchors::from_der_roots([&issued.root]).unwrap_or_else(|e| panic!("{e}"));
        let now = JstDateTime::new(today, time::Time::MIDNIGHT);
        let holder = DEMO_CARDS[0].token.holder();
        let verified = verify_certificate(
            &issued.certificate,
            &anchors,
            &RevocationList::new(),
            holder,
            now,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(verified.status, CertificateStatus::Valid);
        // Another seed's card chains to another TEST root.
        let stranger = issue(8, 0, today).unwrap_or_else(|e| panic!("{e}"));
        let refused = verify_certificate(
            &stranger.certificate,
            &anchors,
            &RevocationList::new(),
            holder,
            now,
        );
        assert!(matches!(refused, Err(VerifyError::ChainUntrusted { .. })));
    }
}

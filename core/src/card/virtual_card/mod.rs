//! A software マイナンバーカード (仮想カード) for tests and the demo: it answers APDUs the way a real card
//! does, so that onshi's client and independent JPKI software (OpenSC's jpki driver, `pkcs15-tool`) can
//! be run against it (card.md §8, toolchain.md §7). It is issued from a [`CardProfile`] and carried by
//! [`CardTransport`] like any card.
//!
//! # What it models
//!
//! - The JPKI AP (EF 0001–001B, card.md §2) and the 券面事項入力補助AP (EF 0001, 0002, 0011, §5), each
//!   selected by its exact AID; the token label of a card, an Android or an iPhone token; EF 000A behind
//!   the PIN on smartphone tokens.
//! - PIN counters that count down (`63 Cx`), block with `63 C0`, refuse with `69 84` afterwards, reset to
//!   their maximum on a right PIN, and survive [`VirtualCard::reset`], removal and re-insertion.
//! - Partial reads, `6B 00` past the end, `6A 82` for anything it does not have, `6D 00` for instructions
//!   it does not know, and a signature refused without VERIFY.
//!
//! # Choices where real cards are not documented
//!
//! Each answer below is this card's choice; J-LIS does not publish the card specification (card.md §9).
//!
//! | situation | answer |
//! |---|---|
//! | **Security state** (verified PINs) | Kept across EF selections; cleared by every successful SELECT of an application (even the same one — OpenSC logs out this way), by [`reset`](VirtualCard::reset) and by removal. A failed SELECT changes nothing. Also cleared for one PIN by a wrong VERIFY of it. |
//! | SELECT by AID, P2 | `0C` (no FCI) and `00` (iOS's discovery SELECT) both accepted, answered without FCI; other P2 → `6A 86` |
//! | SELECT P1 `00` (MF, `3F00`, by file id) | `6A 82`: no MF is modelled, and none is pretended |
//! | SELECT P1 other than `00`, `02`, `04` | `6A 86` |
//! | SELECT EF before any application | `6A 82` (there is no current DF to find it in) |
//! | SELECT EF with a data field other than 2 bytes | `67 00` |
//! | READ BINARY of a PIN or key EF, or with no current EF | `69 86` |
//! | READ BINARY with P1 bit 8 (short EF id) | `6A 86` |
//! | READ BINARY without Le, or with data | `67 00` |
//! | READ BINARY with Le beyond the end | the remaining bytes and `90 00` (no `62 82`) |
//! | Guarded EF read before its PIN | `69 82` at READ BINARY; the SELECT itself succeeds |
//! | VERIFY with P1‖P2 other than `00 80` | `6A 86` |
//! | VERIFY with no PIN EF current | `69 86` |
//! | VERIFY data of the wrong length | compared byte for byte like any other: a wrong try (`63 Cx`). The stricter choice: a client that sends a malformed PIN loses a try here, as it may on a card. |
//! | Empty VERIFY on a verified PIN | `90 00` by default; [`EmptyVerifyAnswer::AlwaysTriesLeft`] for `63 Cx` |
//! | CHANGE REFERENCE DATA | `00 24 01 80 <new>` after VERIFY; not verified → `69 82`, blocked → `69 84`, a new PIN breaking the rule (4 digits; 6–16 of A–Z 0–9) → `6A 80`; P1 `00` (old ‖ new) → `6A 86` |
//! | COMPUTE DIGITAL SIGNATURE | any data of 1–245 bytes is padded (PKCS#1 v1.5 type 1) and signed, like the card, which does not parse the DigestInfo; empty or longer → `67 00`; no key EF current → `69 86`; Le is not checked |
//! | Known instruction with the wrong class (e.g. `00 2A`, `80 A4`) and any class but `00`/`80` (secure messaging, logical channels) | `6E 00` |
//! | No signing certificate (a child under 15) | EF 0001, 0002, 001A and 001B do not exist (`6A 82`); EF 0008 is `8F 00 00` (a guess). OpenSC then needs `disable_sign_cert` |
//! | Internal RSA failure | `6F 00` |
//!
//! Any input bytes get an answer; nothing panics (a property test holds this).

mod commands;
mod files;
mod pins;
mod profile;

use std::fmt;

use rsa::RsaPrivateKey;

use super::jpki::TokenKind;
use super::layout::{self, PIN_TRIES, SIGN_PASSWORD_TRIES};
use super::transport::{CardTransport, TransportError};
use files::{Application, Files};
use pins::{PinObject, PinRef, PinRule};

pub use profile::{
    CardProfile, EmptyVerifyAnswer, KenmenProfile, ProfileError, SigningPassword, SigningProfile,
};

/// A virtual マイナンバーカード or smartphone JPKI token. TEST ONLY: its keys and PINs are test data.
pub struct VirtualCard {
    token: TokenKind,
    jpki: Files,
    kenmen: Option<Files>,
    auth_key: RsaPrivateKey,
    sign_key: Option<RsaPrivateKey>,
    auth_pin: PinObject,
    sign_pin: Option<PinObject>,
    kenmen_pin: Option<PinObject>,
    empty_verify: EmptyVerifyAnswer,
    session: Session,
    present: bool,
}

/// What a power cycle forgets: the selection and the verified PINs.
#[derive(Debug, Default)]
struct Session {
    application: Option<Application>,
    current_ef: Option<u16>,
    verified: [bool; 3],
}

impl Session {
    fn is_verified(&self, pin: PinRef) -> bool {
        self.verified[pin.index()]
    }

    fn set_verified(&mut self, pin: PinRef, verified: bool) {
        self.verified[pin.index()] = verified;
    }
}

impl VirtualCard {
    /// Issues a card from `profile`, present in the reader and powered up.
    pub fn new(profile: CardProfile) -> Result<Self, ProfileError> {
        profile.check()?;
        let jpki = files::jpki_files(&profile);
        let kenmen = profile
            .kenmen
            .as_ref()
            .map(files::kenmen_files)
            .transpose()?;
        let auth_pin = PinObject::new(
            profile.auth_pin.verify_data(),
            PIN_TRIES,
            PinRule::FourDigits,
        );
        let kenmen_pin = profile
            .kenmen
            .as_ref()
            .map(|k| PinObject::new(k.pin.verify_data(), PIN_TRIES, PinRule::FourDigits));
        let CardProfile {
            token,
            auth_key,
            signing,
            empty_verify,
            ..
        } = profile;
        let (sign_key, sign_pin) = match signing {
            Some(signing) => (
                Some(signing.key),
                Some(PinObject::new(
                    signing.password.bytes(),
                    SIGN_PASSWORD_TRIES,
                    PinRule::SigningPassword,
                )),
            ),
            None => (None, None),
        };
        Ok(Self {
            token,
            jpki,
            kenmen,
            auth_key,
            sign_key,
            auth_pin,
            sign_pin,
            kenmen_pin,
            empty_verify,
            session: Session::default(),
            present: true,
        })
    }

    /// The contact ATR (`3B E0 00 FF 81 31 FE 45 14`), which OpenSC's jpki driver matches.
    pub fn atr(&self) -> &'static [u8] {
        &layout::ATR
    }

    /// The token kind it was issued as.
    pub fn token(&self) -> TokenKind {
        self.token
    }

    /// Power cycle (リセット): forgets the selected application and EF and every verified PIN; the PIN
    /// counters stay, as on a real card.
    pub fn reset(&mut self) {
        self.session = Session::default();
    }

    /// Takes the card out of the reader: every transmit fails with [`TransportError::CardRemoved`]
    /// until [`insert`](Self::insert). The session is lost.
    pub fn remove(&mut self) {
        self.present = false;
        self.reset();
    }

    /// Puts the card back: powered up afresh, nothing selected or verified.
    pub fn insert(&mut self) {
        self.present = true;
        self.reset();
    }

    /// Whether the card is in the reader.
    pub fn is_present(&self) -> bool {
        self.present
    }

    fn pin_mut(&mut self, pin: PinRef) -> Option<&mut PinObject> {
        match pin {
            PinRef::Auth => Some(&mut self.auth_pin),
            PinRef::Sign => self.sign_pin.as_mut(),
            PinRef::Kenmen => self.kenmen_pin.as_mut(),
        }
    }
}

impl CardTransport for VirtualCard {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        if !self.present {
            return Err(TransportError::CardRemoved);
        }
        Ok(self.respond(command).to_bytes())
    }
}

impl fmt::Debug for VirtualCard {
    /// Token, selection and counters: no key, no PIN, no file content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VirtualCard")
            .field("token", &self.token)
            .field("present", &self.present)
            .field("session", &self.session)
            .field("auth_pin", &self.auth_pin)
            .field("sign_pin", &self.sign_pin)
            .field("kenmen_pin", &self.kenmen_pin)
            .field("empty_verify", &self.empty_verify)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests;

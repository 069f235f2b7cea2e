//! The JPKI card client for Android and iOS: the app implements [`CardTransport`] over its NFC stack
//! (Android `IsoDep.transceive`, iOS `NFCISO7816Tag.sendCommand`); onshi-core decides every byte.
//! Calls block while APDUs travel, so call them off the main thread.

use std::sync::Arc;

use onshi_core::card::jpki::{
    self, Authenticate, CertificateRead, LastTry, PinState, Probe, ReadCertificate, TokenKind,
};
use onshi_core::card::kenmen::ReadBasicInfo;
use onshi_core::card::pin::Pin;
use onshi_core::card::transport::TransportError;
use onshi_core::card::{CardError, pin::PinError};
use zeroize::Zeroize;

/// Carries one command APDU to the card and returns its response (data ‖ SW1 SW2). Implemented in
/// Kotlin or Swift.
#[uniffi::export(with_foreign)]
pub trait CardTransport: Send + Sync {
    /// Sends `command`; returns the card's response bytes.
    fn transmit(&self, command: Vec<u8>) -> Result<Vec<u8>, CardTransportError>;
}

/// What a host transport reports when it cannot carry an APDU.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum CardTransportError {
    /// The card left the field (Android `TagLostException`, iOS tag connection lost).
    #[error("card removed")]
    CardRemoved,
    /// No card present.
    #[error("no card")]
    NoCard,
    /// Anything else (timeout, NFC off). `reason` must not hold personal data.
    #[error("transport failed: {reason}")]
    Failed {
        /// The host's description.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for CardTransportError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Failed { reason: e.reason }
    }
}

/// A card session ended without its result: a stable code, tries left for a wrong PIN, and what to tell
/// the person in Japanese and English.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum CardFailure {
    /// See `code` (`PIN_WRONG`, `PIN_LOCKED`, `PIN_LAST_TRY`, `CARD_NOT_JPKI`, `CARD_REMOVED`, …).
    #[error("{code}")]
    Card {
        /// Stable code, as in `tests/vectors/card.json`.
        code: String,
        /// Tries left after a wrong PIN.
        tries_left: Option<u8>,
        /// 日本語.
        message_ja: String,
        /// English.
        message_en: String,
    },
}

impl From<CardError> for CardFailure {
    fn from(e: CardError) -> Self {
        let message = e.message();
        Self::Card {
            code: e.code().to_owned(),
            tries_left: match e {
                CardError::WrongPin { tries_left } => Some(tries_left),
                _ => None,
            },
            message_ja: message.ja,
            message_en: message.en,
        }
    }
}

impl From<PinError> for CardFailure {
    fn from(e: PinError) -> Self {
        let message = e.message();
        Self::Card {
            code: e.code().to_owned(),
            tries_left: None,
            message_ja: message.ja,
            message_en: message.en,
        }
    }
}

/// Adapts the foreign transport to core's.
struct Foreign(Arc<dyn CardTransport>);

impl onshi_core::card::transport::CardTransport for Foreign {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.0.transmit(command.to_vec()).map_err(|e| match e {
            CardTransportError::CardRemoved => TransportError::CardRemoved,
            CardTransportError::NoCard => TransportError::NoCard,
            CardTransportError::Failed { reason } => TransportError::Failed(reason),
        })
    }
}

/// Which kind of token answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CardToken {
    /// The plastic マイナンバーカード.
    Card,
    /// Android スマホ用電子証明書.
    Android,
    /// iPhoneのマイナンバーカード.
    Iphone,
}

/// The card's kind and PIN counter, read without spending a try.
#[derive(Debug, Clone, uniffi::Record)]
pub struct CardProbe {
    /// Card, Android or iPhone.
    pub token: CardToken,
    /// Tries left (0 when locked); `None` when the card reports the PIN already verified.
    pub tries_left: Option<u8>,
    /// Whether the PIN is locked.
    pub locked: bool,
}

/// A signature over the challenge and, unless it was known, the certificate.
#[derive(Debug, Clone, uniffi::Record)]
pub struct CardAuthentication {
    /// RSA-2048 PKCS#1 v1.5 SHA-256 signature (256 bytes).
    pub signature: Vec<u8>,
    /// The 利用者証明用電子証明書 (DER), unless `certificate_known` was set.
    pub certificate: Option<Vec<u8>>,
}

/// The basic four of the 券面事項入力補助AP.
#[derive(Clone, uniffi::Record)]
pub struct CardBasicInfo {
    /// 氏名.
    pub name: String,
    /// 住所.
    pub address: String,
    /// 生年月日 `YYYYMMDD`.
    pub birth_date: String,
    /// 性別: `male`, `female` or `not_stated`.
    pub sex: String,
}

impl std::fmt::Debug for CardBasicInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CardBasicInfo(redacted)")
    }
}

/// Takes the PIN bytes, checks them, and wipes the copy that crossed the FFI.
fn take_pin(mut pin: Vec<u8>) -> Result<Pin, CardFailure> {
    let checked = Pin::from_bytes(&pin);
    pin.zeroize();
    Ok(checked?)
}

fn last_try(allow: bool) -> LastTry {
    if allow {
        LastTry::Allow
    } else {
        LastTry::Refuse
    }
}

/// Reads the token kind and the PIN tries left, without spending one (5 APDUs).
#[uniffi::export]
pub fn jpki_probe(transport: Arc<dyn CardTransport>) -> Result<CardProbe, CardFailure> {
    let status = jpki::run(Probe::new(), &mut Foreign(transport))?;
    let token = match status.token {
        TokenKind::Card => CardToken::Card,
        TokenKind::Android => CardToken::Android,
        TokenKind::Iphone => CardToken::Iphone,
    };
    let (tries_left, locked) = match status.pin {
        PinState::TriesLeft(n) => (Some(n), false),
        PinState::Locked => (Some(0), true),
        PinState::Verified => (None, false),
    };
    Ok(CardProbe {
        token,
        tries_left,
        locked,
    })
}

/// PIN authentication: VERIFY the PIN (4 ASCII digits as bytes; the app should wipe its own copy),
/// sign `challenge`, and read the certificate unless `certificate_known`. With one try left it stops
/// with `PIN_LAST_TRY` unless `allow_last_try`.
#[uniffi::export]
pub fn jpki_authenticate(
    transport: Arc<dyn CardTransport>,
    pin: Vec<u8>,
    challenge: Vec<u8>,
    allow_last_try: bool,
    certificate_known: bool,
) -> Result<CardAuthentication, CardFailure> {
    let pin = take_pin(pin)?;
    let certificate = if certificate_known {
        CertificateRead::Known
    } else {
        CertificateRead::Read
    };
    let procedure = Authenticate::new(pin, &challenge, last_try(allow_last_try), certificate);
    let a = jpki::run(procedure, &mut Foreign(transport))?;
    Ok(CardAuthentication {
        signature: a.signature,
        certificate: a.certificate,
    })
}

/// Reads the 利用者証明用電子証明書 without a PIN (plastic cards; smartphones answer `CARD_SECURITY_STATUS`).
#[uniffi::export]
pub fn jpki_read_certificate(transport: Arc<dyn CardTransport>) -> Result<Vec<u8>, CardFailure> {
    Ok(jpki::run(ReadCertificate::new(), &mut Foreign(transport))?)
}

/// Reads the basic four with the 券面事項入力補助 PIN.
#[uniffi::export]
pub fn kenmen_read_basic_info(
    transport: Arc<dyn CardTransport>,
    pin: Vec<u8>,
    allow_last_try: bool,
) -> Result<CardBasicInfo, CardFailure> {
    let pin = take_pin(pin)?;
    let b = jpki::run(
        ReadBasicInfo::new(pin, last_try(allow_last_try)),
        &mut Foreign(transport),
    )?;
    Ok(CardBasicInfo {
        name: b.name,
        address: b.address,
        birth_date: b.birth_date,
        sex: b.sex.code().to_owned(),
    })
}

//! What a virtual card is issued with (カードの発行内容): keys, certificates, PINs and the basic four.
//!
//! Every value here is test data, yet the PINs are still treated as secrets: they are held in wiping
//! buffers and no `Debug` output shows them, nor the private keys, nor the basic four.

use std::fmt;

use rsa::RsaPrivateKey;
use rsa::traits::PublicKeyParts;
use zeroize::Zeroizing;

use crate::card::jpki::{TokenKind, der_total_len};
use crate::card::layout::jpki_ef;
use crate::card::pin::Pin;

/// The largest file READ BINARY reaches with its 15-bit offset.
pub(super) const MAX_FILE_LEN: usize = 0x7FFF;

/// Byte length of an RSA-2048 modulus: the only key size the card holds.
const RSA_2048_BYTES: usize = 256;

/// Everything a virtual マイナンバーカード (or smartphone token) is issued with.
pub struct CardProfile {
    /// Which token the card claims to be (EF 0006 label; smartphone tokens protect EF 000A with the PIN).
    pub token: TokenKind,
    /// 利用者証明用秘密鍵 (EF 0017): RSA-2048.
    pub auth_key: RsaPrivateKey,
    /// 利用者証明用電子証明書 (EF 000A): one DER SEQUENCE.
    pub auth_certificate: Vec<u8>,
    /// CA certificate for user authentication (EF 000B): one DER SEQUENCE.
    pub auth_ca_certificate: Vec<u8>,
    /// 利用者証明用パスワード (EF 0018): 4 digits, 3 tries.
    pub auth_pin: Pin,
    /// 署名用電子証明書 and its key and password; `None` for a child under 15, who has none.
    pub signing: Option<SigningProfile>,
    /// 券面事項入力補助AP; `None` for a smartphone token, which carries only the JPKI AP.
    pub kenmen: Option<KenmenProfile>,
    /// How an empty VERIFY is answered once its PIN is verified in the session.
    pub empty_verify: EmptyVerifyAnswer,
}

/// The signing side of the JPKI AP (署名用電子証明書).
pub struct SigningProfile {
    /// 署名用秘密鍵 (EF 001A): RSA-2048.
    pub key: RsaPrivateKey,
    /// 署名用電子証明書 (EF 0001): one DER SEQUENCE.
    pub certificate: Vec<u8>,
    /// CA certificate for signing (EF 0002): one DER SEQUENCE.
    pub ca_certificate: Vec<u8>,
    /// 署名用パスワード (EF 001B): 6–16 characters, 5 tries.
    pub password: SigningPassword,
}

/// The 券面事項入力補助AP's contents: its own PIN and the basic four (基本4情報).
pub struct KenmenProfile {
    /// 券面事項入力補助用暗証番号 (EF 0011): 4 digits, 3 tries, its own counter.
    pub pin: Pin,
    /// 氏名: family and given names separated by U+3000.
    pub name: String,
    /// 住所, with full-width digits as on the card.
    pub address: String,
    /// 生年月日 as `YYYYMMDD` (8 ASCII digits).
    pub birth_date: String,
    /// 性別 as the one ASCII digit the card holds: `b'1'` 男, `b'2'` 女, `b'9'` 適用不能.
    pub sex: u8,
}

/// How an empty VERIFY (the tries-left query) is answered while its PIN is verified in the session.
/// Real cards differ (card.md §3.1, L–M).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EmptyVerifyAnswer {
    /// `90 00`, as some cards answer (card.md §8 asks the emulator to model it); onshi's client reads it
    /// as [`PinState::Verified`](crate::card::jpki::PinState::Verified).
    #[default]
    OkWhenVerified,
    /// `63 Cx` whatever the session state. OpenSC's jpki driver expects this: its PIN GET_INFO fails on
    /// any SW1 but `63`.
    AlwaysTriesLeft,
}

/// 署名用パスワード: 6–16 characters of `A`–`Z` and `0`–`9`, compared as ASCII bytes by the card.
pub struct SigningPassword(Zeroizing<Vec<u8>>);

impl SigningPassword {
    /// Checks and takes a signing password.
    pub fn new(password: &str) -> Result<Self, ProfileError> {
        let bytes = password.as_bytes();
        if is_signing_password(bytes) {
            Ok(Self(Zeroizing::new(bytes.to_vec())))
        } else {
            Err(ProfileError::SigningPassword)
        }
    }

    pub(super) fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// 6–16 bytes of `A`–`Z` and `0`–`9`.
pub(super) fn is_signing_password(bytes: &[u8]) -> bool {
    (6..=16).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

impl fmt::Debug for SigningPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningPassword(****)")
    }
}

/// A profile the card cannot be issued with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// A key is not RSA-2048 (the card's only size; clients expect 256-byte signatures).
    #[error("the key for EF {file:04X} is {bytes} bytes long; the card holds RSA-2048 (256 bytes)")]
    KeySize {
        /// The key EF (0017 or 001A).
        file: u16,
        /// The modulus length found.
        bytes: usize,
    },
    /// A certificate EF is not one DER SEQUENCE whose header gives its exact length, or is longer than a
    /// 15-bit READ BINARY offset reaches. Readers size the file from its first 4 bytes.
    #[error("EF {file:04X} must hold one DER SEQUENCE of at most 32,767 bytes")]
    NotDer {
        /// The certificate EF in the JPKI AP.
        file: u16,
    },
    /// The signing password is not 6–16 characters of A–Z and 0–9.
    #[error("the signing password must be 6-16 characters of A-Z and 0-9")]
    SigningPassword,
    /// The birth date is not 8 ASCII digits.
    #[error("the birth date must be YYYYMMDD")]
    BirthDate,
    /// The sex is not one ASCII digit.
    #[error("the sex must be one ASCII digit")]
    Sex,
    /// The basic four do not fit the file (32,767 bytes).
    #[error("the basic four are too long for EF 0002 of the 券面事項入力補助AP")]
    BasicFourTooLong,
}

impl CardProfile {
    /// Checks what the card's files and readers rely on.
    pub(super) fn check(&self) -> Result<(), ProfileError> {
        check_key(&self.auth_key, jpki_ef::AUTH_KEY)?;
        check_der(&self.auth_certificate, jpki_ef::AUTH_CERT)?;
        check_der(&self.auth_ca_certificate, jpki_ef::AUTH_CA_CERT)?;
        if let Some(signing) = &self.signing {
            check_key(&signing.key, jpki_ef::SIGN_KEY)?;
            check_der(&signing.certificate, jpki_ef::SIGN_CERT)?;
            check_der(&signing.ca_certificate, jpki_ef::SIGN_CA_CERT)?;
        }
        if let Some(kenmen) = &self.kenmen {
            kenmen.check()?;
        }
        Ok(())
    }
}

impl KenmenProfile {
    fn check(&self) -> Result<(), ProfileError> {
        if self.birth_date.len() != 8 || !self.birth_date.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ProfileError::BirthDate);
        }
        if !self.sex.is_ascii_digit() {
            return Err(ProfileError::Sex);
        }
        // The template adds at most 4 bytes of tag and length per item, 11 for the offset table and 4 for
        // its own header.
        if self.name.len() + self.address.len() + 8 + 1 + 4 * 4 + 11 + 4 > MAX_FILE_LEN {
            return Err(ProfileError::BasicFourTooLong);
        }
        Ok(())
    }
}

fn check_key(key: &RsaPrivateKey, file: u16) -> Result<(), ProfileError> {
    match key.size() {
        RSA_2048_BYTES => Ok(()),
        bytes => Err(ProfileError::KeySize { file, bytes }),
    }
}

fn check_der(bytes: &[u8], file: u16) -> Result<(), ProfileError> {
    let whole = bytes.first() == Some(&0x30) && der_total_len(bytes) == Some(bytes.len());
    if whole && bytes.len() <= MAX_FILE_LEN {
        Ok(())
    } else {
        Err(ProfileError::NotDer { file })
    }
}

impl fmt::Debug for CardProfile {
    /// The token and the file sizes only: no key, no PIN, no personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardProfile")
            .field("token", &self.token)
            .field("auth_certificate_len", &self.auth_certificate.len())
            .field("auth_ca_certificate_len", &self.auth_ca_certificate.len())
            .field("auth_pin", &self.auth_pin)
            .field("signing", &self.signing)
            .field("kenmen", &self.kenmen)
            .field("empty_verify", &self.empty_verify)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for SigningProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningProfile")
            .field("certificate_len", &self.certificate.len())
            .field("ca_certificate_len", &self.ca_certificate.len())
            .field("password", &self.password)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for KenmenProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KenmenProfile(redacted)")
    }
}

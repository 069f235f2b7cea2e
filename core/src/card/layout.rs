//! Where things are on the card (カードのAPとEF): application identifiers, file ids and token labels,
//! from card.md §1–§2 and §5. Both the client and the virtual card read them from here.

/// 公的個人認証AP (JPKI).
pub const JPKI_AID: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
/// 券面事項入力補助AP (card-text helper: the basic four items).
pub const KENMEN_HOJO_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];

/// Elementary files of the JPKI AP.
pub mod jpki_ef {
    /// 署名用電子証明書 (behind the signing password).
    pub const SIGN_CERT: u16 = 0x0001;
    /// CA certificate for signing.
    pub const SIGN_CA_CERT: u16 = 0x0002;
    /// Token information: a 32-byte space-padded label first.
    pub const TOKEN_INFO: u16 = 0x0006;
    /// Which certificates exist (`8F 8F 00` when both do).
    pub const CERT_PRESENCE: u16 = 0x0008;
    /// 利用者証明用電子証明書 (X.509 DER).
    pub const AUTH_CERT: u16 = 0x000A;
    /// CA certificate for user authentication.
    pub const AUTH_CA_CERT: u16 = 0x000B;
    /// User-authentication private key (RSA-2048).
    pub const AUTH_KEY: u16 = 0x0017;
    /// User-authentication PIN: 4 digits, 3 tries.
    pub const AUTH_PIN: u16 = 0x0018;
    /// Signing private key.
    pub const SIGN_KEY: u16 = 0x001A;
    /// Signing password: 6–16 characters, 5 tries.
    pub const SIGN_PIN: u16 = 0x001B;
}

/// Elementary files of the 券面事項入力補助AP.
pub mod kenmen_ef {
    /// 個人番号 (12 digits). onshi never selects or reads it.
    pub const MY_NUMBER: u16 = 0x0001;
    /// 基本4情報 (name, address, birth date, sex) as a TLV.
    pub const BASIC_INFO: u16 = 0x0002;
    /// The helper AP's 4-digit PIN, 3 tries.
    pub const PIN: u16 = 0x0011;
}

/// Tries of the 4-digit PINs.
pub const PIN_TRIES: u8 = 3;
/// Tries of the signing password.
pub const SIGN_PASSWORD_TRIES: u8 = 5;

/// The contact ATR of the card (OpenSC matches it); a virtual card presents the same.
pub const ATR: [u8; 9] = [0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14];

/// Label prefix in EF 0006 of the plastic card.
pub const LABEL_CARD: &str = "JPKIAPICCTOKEN";
/// Label prefix of the Android smartphone certificate.
pub const LABEL_ANDROID: &str = "JPKIAPGPSETOKEN";
/// Label prefix of the iPhone's.
pub const LABEL_IPHONE: &str = "JPKIAPIOSTOKEN";
/// Full label of the current plastic card.
pub const LABEL_CARD_FULL: &str = "JPKIAPICCTOKEN2";

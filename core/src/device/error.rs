//! 端末認証の形式エラー (what is wrong with a device-protocol message, key or key file).

use crate::i18n::Message;

/// Why a message of the device protocol could not be built, read or verified. The service maps
/// these to its API error codes; devices show [`ProtocolError::message`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    /// Not the protocol's COSE and CBOR (the field or problem is named).
    #[error("malformed device authentication: {0}")]
    Malformed(&'static str),
    /// A COSE algorithm other than ES256 (openings) or HMAC 256/256 (requests).
    #[error("unsupported COSE algorithm")]
    Algorithm,
    /// The ES256 signature does not verify with the device's key, or is not 64 bytes `r ‖ s`.
    #[error("bad device signature")]
    Signature,
    /// The COSE_Mac0 tag does not verify with the session key.
    #[error("bad request MAC")]
    Mac,
    /// The `Authorization` value is not `COSE-Mac0 <…>`.
    #[error("no COSE-Mac0 authorization")]
    Scheme,
    /// The 32 bytes given for an ephemeral secret are not a P-256 scalar (zero or above the group
    /// order, about once in 2³² draws): draw again.
    #[error("the ephemeral secret is not a P-256 scalar; draw new bytes")]
    EphemeralSecret,
    /// The service's answer to an opening cannot be read (the field is named).
    #[error("unreadable session grant: {0}")]
    Grant(&'static str),
    /// Not a device key file as `onshi-server device add --key-out` writes it (the field is named).
    #[error("not a device key file: {0}")]
    KeyFile(&'static str),
    /// A 端末種別 other than `tablet` or `pc`.
    #[error("the device kind is tablet or pc")]
    Kind,
}

impl ProtocolError {
    /// What a person on the device reads.
    pub fn message(&self) -> Message {
        match self {
            Self::Malformed(_) | Self::Algorithm | Self::Scheme => Message::new(
                "端末認証のメッセージを読み取れません。アプリを更新してください。",
                "A device-authentication message cannot be read. Update the app.",
            ),
            Self::Signature => Message::new(
                "端末の署名を作成・検証できません。端末鍵ファイルを取り込み直してください。",
                "The device signature cannot be made or verified. Import the device key file again.",
            ),
            Self::Mac => Message::new(
                "要求の認証コードが一致しません。",
                "The request's MAC does not verify.",
            ),
            Self::EphemeralSecret => Message::new(
                "一時鍵を作成できませんでした。もう一度お試しください。",
                "The ephemeral key could not be made. Try again.",
            ),
            Self::Grant(_) => Message::new(
                "サービスからのセッション応答を読み取れません。",
                "The service's session answer cannot be read.",
            ),
            Self::KeyFile(_) => Message::new(
                "端末鍵ファイルではありません。onshi-server device add --key-out で作成したファイルを選んでください。",
                "This is not a device key file. Choose the file written by onshi-server device add --key-out.",
            ),
            Self::Kind => Message::new(
                "端末種別は tablet か pc です",
                "the device kind is tablet or pc",
            ),
        }
    }
}

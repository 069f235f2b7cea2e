//! 端末認証の失敗 (why device authentication failed): one internal error, mapped in one place to
//! the API's stable codes with Japanese and English text.

use axum::http::StatusCode;
use onshi_core::device::ProtocolError;

use crate::error::ApiError;

/// Why a session opening or a signed request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeviceAuthError {
    /// No `Authorization: COSE-Mac0 …` header.
    #[error("no device authorization")]
    Missing,
    /// Not decodable as the protocol's COSE and CBOR (the field or problem is named).
    #[error("malformed device authentication: {0}")]
    Malformed(&'static str),
    /// A COSE algorithm other than ES256 (openings) or HMAC 256/256 (requests).
    #[error("unsupported COSE algorithm")]
    Algorithm,
    /// No device with that id.
    #[error("unknown device")]
    UnknownDevice,
    /// The device was revoked.
    #[error("revoked device")]
    Revoked,
    /// The device belongs to another institution than the one named.
    #[error("device of another institution")]
    InstitutionMismatch,
    /// The ES256 signature does not verify with the device's key.
    #[error("bad device signature")]
    Signature,
    /// The timestamp is more than the allowed skew away from the service's clock.
    #[error("stale timestamp")]
    Stale,
    /// The opening's nonce was already used.
    #[error("replayed nonce")]
    NonceReplayed,
    /// No live session with that id in this service.
    #[error("unknown session")]
    UnknownSession,
    /// The session's lifetime is over.
    #[error("expired session")]
    Expired,
    /// The COSE_Mac0 tag does not verify with the session key.
    #[error("bad request MAC")]
    Mac,
    /// The counter is not above the last one accepted in the session.
    #[error("replayed counter")]
    CounterReplayed,
    /// The MAC covers another HTTP method.
    #[error("method mismatch")]
    Method,
    /// The MAC covers another path or query.
    #[error("path mismatch")]
    Path,
    /// The MAC covers another body.
    #[error("body mismatch")]
    Body,
    /// The operating system gave no randomness.
    #[error("no randomness")]
    Randomness,
}

impl From<ProtocolError> for DeviceAuthError {
    /// Core's reading of a message, as the service answers it.
    fn from(e: ProtocolError) -> Self {
        match e {
            ProtocolError::Malformed(what) => Self::Malformed(what),
            ProtocolError::Algorithm => Self::Algorithm,
            ProtocolError::Signature => Self::Signature,
            ProtocolError::Mac => Self::Mac,
            ProtocolError::Scheme => Self::Missing,
            // The service draws its own ephemeral secrets; a refused draw is drawn again.
            ProtocolError::EphemeralSecret => Self::Randomness,
            ProtocolError::Grant(what) | ProtocolError::KeyFile(what) => Self::Malformed(what),
            ProtocolError::Kind => Self::Malformed("device kind"),
        }
    }
}

impl From<ProtocolError> for ApiError {
    fn from(e: ProtocolError) -> Self {
        DeviceAuthError::from(e).into()
    }
}

impl From<DeviceAuthError> for ApiError {
    fn from(e: DeviceAuthError) -> Self {
        use DeviceAuthError as E;
        let unauthorized = |code, ja, en| ApiError::unauthorized(code, ja, en);
        match e {
            E::Missing => unauthorized(
                "DEVICE_AUTH_MISSING",
                "端末の認証情報がありません。端末セッションを開始し、Authorization: COSE-Mac0 を付けて送ってください",
                "no device authorization: open a device session and send Authorization: COSE-Mac0",
            ),
            E::Malformed(what) => ApiError::unauthorized(
                "DEVICE_AUTH_MALFORMED",
                &format!("端末の認証情報を読み取れません（{what}）"),
                &format!("the device authentication cannot be read ({what})"),
            ),
            E::Algorithm => unauthorized(
                "DEVICE_ALGORITHM_UNSUPPORTED",
                "対応していない署名方式です（開始は ES256、要求は HMAC 256/256）",
                "unsupported COSE algorithm (ES256 for openings, HMAC 256/256 for requests)",
            ),
            E::UnknownDevice => unauthorized(
                "DEVICE_UNKNOWN",
                "この端末は登録されていません。管理者に端末登録を依頼してください",
                "this device is not registered; ask the administrator to register it",
            ),
            E::Revoked => ApiError::forbidden(
                "DEVICE_REVOKED",
                "この端末は利用停止されています。管理者に確認してください",
                "this device has been revoked; ask the administrator",
            ),
            E::InstitutionMismatch => ApiError::forbidden(
                "DEVICE_INSTITUTION_MISMATCH",
                "この端末は別の医療機関等に登録されています",
                "this device is registered to another institution",
            ),
            E::Signature => unauthorized(
                "DEVICE_SIGNATURE_INVALID",
                "端末の署名を検証できません。端末の鍵が登録と一致しているか確認してください",
                "the device signature does not verify; check that the device uses its registered key",
            ),
            E::Stale => unauthorized(
                "DEVICE_TIMESTAMP_STALE",
                "端末の時刻がずれています（許容は前後5分）。端末の時刻設定を確認してください",
                "the device clock is off by more than 5 minutes; check the device's time setting",
            ),
            E::NonceReplayed => unauthorized(
                "DEVICE_NONCE_REPLAYED",
                "この開始要求は既に使われています。新しく作り直してください",
                "this session opening was already used; create a new one",
            ),
            E::UnknownSession => unauthorized(
                "DEVICE_SESSION_UNKNOWN",
                "端末セッションが見つかりません（サービスの再起動など）。セッションを開始し直してください",
                "no such device session (the service may have restarted); open a new session",
            ),
            E::Expired => unauthorized(
                "DEVICE_SESSION_EXPIRED",
                "端末セッションの有効期限が切れました。セッションを開始し直してください",
                "the device session has expired; open a new session",
            ),
            E::Mac => unauthorized(
                "DEVICE_MAC_INVALID",
                "要求の認証コードが一致しません",
                "the request's MAC does not verify with the session key",
            ),
            E::CounterReplayed => unauthorized(
                "DEVICE_COUNTER_REPLAYED",
                "要求の番号が前回以下です（再送の疑い）。新しい番号で送り直してください",
                "the request counter is not above the last one accepted (a replay?); send with a new counter",
            ),
            E::Method => unauthorized(
                "DEVICE_METHOD_MISMATCH",
                "認証情報のメソッドが要求と一致しません",
                "the authenticated method differs from the request's",
            ),
            E::Path => unauthorized(
                "DEVICE_PATH_MISMATCH",
                "認証情報のパスが要求と一致しません",
                "the authenticated path and query differ from the request's",
            ),
            E::Body => unauthorized(
                "DEVICE_BODY_MISMATCH",
                "認証情報の本文ハッシュが要求と一致しません",
                "the authenticated body hash differs from the request body",
            ),
            E::Randomness => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "RANDOMNESS_UNAVAILABLE",
                "乱数を取得できません。しばらくしてからやり直してください",
                "no randomness available; try again shortly",
            ),
        }
    }
}

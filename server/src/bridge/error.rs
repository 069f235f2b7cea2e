//! What can go wrong at the reader bridge, and the typed answer (`BRIDGE_*`, ja + en) each becomes.
//! No message carries APDU bytes: a command may hold the PIN, a response personal data.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use onshi_core::card::transport::TransportError;

use crate::error::ApiError;

/// A reader bridge failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BridgeError {
    /// No reader has this name (unplugged, or misspelt).
    #[error("no reader named {0:?}")]
    NoReader(String),
    /// The reader is there but holds no card.
    #[error("no card in the reader")]
    NoCard,
    /// The card left the reader during the connection; the connection is closed.
    #[error("the card was removed")]
    CardRemoved,
    /// Another connection (or program) holds the card.
    #[error("the card is in use")]
    CardInUse,
    /// No open connection has this id (closed, or idle too long).
    #[error("unknown connection")]
    ConnectionUnknown,
    /// The command is not a short APDU in hex.
    #[error("invalid APDU: {0:?}")]
    ApduInvalid(ApduProblem),
    /// The request body is not the JSON the route takes (`expected`), unreadable at line:column.
    #[error("invalid request at {line}:{column}, expected {expected}")]
    RequestInvalid {
        /// The body the route takes.
        expected: &'static str,
        /// Where reading stopped.
        line: usize,
        /// Where reading stopped.
        column: usize,
    },
    /// pcscd is not running, or the reader stopped answering.
    #[error("the reader service is unavailable")]
    ReaderUnavailable,
    /// The request came from a web origin (or host) the bridge does not serve.
    #[error("origin refused: {0}")]
    OriginRefused(String),
}

/// What is wrong with a command APDU's hex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApduProblem {
    /// A character other than 0-9, a-f, A-F.
    NotHex,
    /// Half a byte at the end.
    OddLength,
    /// Fewer than 4 bytes (CLA INS P1 P2) or more than a short APDU's 261.
    Length,
}

impl ApduProblem {
    fn ja(self) -> &'static str {
        match self {
            Self::NotHex => "16 進数（0–9, A–F）以外の文字があります",
            Self::OddLength => "16 進数の桁数が奇数です",
            Self::Length => "長さは 4〜261 バイトです",
        }
    }

    fn en(self) -> &'static str {
        match self {
            Self::NotHex => "a character is not hexadecimal (0-9, A-F)",
            Self::OddLength => "the hex has an odd number of digits",
            Self::Length => "a short APDU is 4 to 261 bytes",
        }
    }
}

impl BridgeError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoReader(_) => "BRIDGE_NO_READER",
            Self::NoCard => "BRIDGE_NO_CARD",
            Self::CardRemoved => "BRIDGE_CARD_REMOVED",
            Self::CardInUse => "BRIDGE_CARD_IN_USE",
            Self::ConnectionUnknown => "BRIDGE_CONNECTION_UNKNOWN",
            Self::ApduInvalid(_) => "BRIDGE_APDU_INVALID",
            Self::RequestInvalid { .. } => "BRIDGE_REQUEST_INVALID",
            Self::ReaderUnavailable => "BRIDGE_READER_UNAVAILABLE",
            Self::OriginRefused(_) => "BRIDGE_ORIGIN_REFUSED",
        }
    }
}

impl From<TransportError> for BridgeError {
    fn from(e: TransportError) -> Self {
        match e {
            TransportError::CardRemoved | TransportError::NoCard => Self::CardRemoved,
            TransportError::Failed(detail) => {
                // The host's text (a PC/SC error name), never card data.
                tracing::warn!(%detail, "reader bridge: transmit failed");
                Self::ReaderUnavailable
            }
        }
    }
}

impl From<BridgeError> for ApiError {
    fn from(e: BridgeError) -> Self {
        let code = e.code();
        match &e {
            BridgeError::NoReader(name) => ApiError::not_found(
                code,
                &format!(
                    "カードリーダー「{name}」が見つかりません。リーダーの接続を確認して、一覧から選び直してください"
                ),
                &format!(
                    "no card reader named {name:?}: check that it is connected and choose it again from the list"
                ),
            ),
            BridgeError::NoCard => ApiError::conflict(
                code,
                "カードリーダーにカードがありません。カードを置いてから、もう一度お試しください",
                "there is no card in the reader: place the card on it and try again",
            ),
            BridgeError::CardRemoved => ApiError::conflict(
                code,
                "読み取り中にカードが離れました。カードを置き直して、最初から読み取ってください",
                "the card left the reader: place it again and start reading from the beginning (connect again)",
            ),
            BridgeError::CardInUse => ApiError::conflict(
                code,
                "このカードは別の画面かプログラムが使用中です。その読み取りが終わってから、もう一度お試しください",
                "the card is held by another page or program: try again once that reading has ended",
            ),
            BridgeError::ConnectionUnknown => ApiError::not_found(
                code,
                "カードとの接続が終了しています（120 秒使わないと終了します）。もう一度接続してください",
                "this card connection is closed (it closes after 120 s without use): connect again",
            ),
            BridgeError::ApduInvalid(problem) => ApiError::bad_request(
                code,
                &format!(
                    "カードへのコマンドの形式が正しくありません（{}）",
                    problem.ja()
                ),
                &format!("the command APDU is invalid: {}", problem.en()),
            ),
            BridgeError::RequestInvalid {
                expected,
                line,
                column,
            } => ApiError::bad_request(
                code,
                &format!(
                    "要求の形式が正しくありません（{line} 行 {column} 文字目）。{expected} の形で送ってください"
                ),
                &format!("malformed request at line {line}, column {column}: send {expected}"),
            ),
            BridgeError::ReaderUnavailable => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                code,
                "カードリーダーのサービス（pcscd）を利用できません。サービスが動いていること、リーダーの接続を確認してください",
                "the card reader service (pcscd) is not available: check that it runs and that the reader is connected",
            ),
            BridgeError::OriginRefused(origin) => ApiError::forbidden(
                code,
                &format!("このページ（{origin}）からはカードリーダーを使えません"),
                &format!("the reader bridge does not serve {origin}: not an allowed origin"),
            ),
        }
    }
}

impl IntoResponse for BridgeError {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

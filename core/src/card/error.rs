//! What can go wrong talking to a card, as a caller can act on it (カード読み取りのエラー).

use crate::i18n::Message;

use super::apdu::StatusWord;
use super::transport::TransportError;

/// The command a card answered unexpectedly, for error reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardStep {
    /// SELECT of an application (AP).
    SelectApplication,
    /// SELECT of an elementary file, by its 2-byte id.
    SelectFile(u16),
    /// READ BINARY.
    ReadBinary,
    /// VERIFY (PIN).
    Verify,
    /// COMPUTE DIGITAL SIGNATURE.
    Sign,
}

impl std::fmt::Display for CardStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SelectApplication => f.write_str("SELECT application"),
            Self::SelectFile(ef) => write!(f, "SELECT EF {ef:04X}"),
            Self::ReadBinary => f.write_str("READ BINARY"),
            Self::Verify => f.write_str("VERIFY"),
            Self::Sign => f.write_str("COMPUTE DIGITAL SIGNATURE"),
        }
    }
}

/// A card session ended without its result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    /// The card has no JPKI application (not a マイナンバーカード, or the wrong side of a phone).
    #[error("not a My Number card (no JPKI application)")]
    NotJpki,
    /// The PIN was wrong; `tries_left` remain (0: this attempt locked it).
    #[error("wrong PIN, {tries_left} tries left")]
    WrongPin {
        /// Tries remaining after this attempt.
        tries_left: u8,
    },
    /// The PIN is locked (63 C0 or 69 84); nothing was sent.
    #[error("the PIN is locked")]
    PinLocked,
    /// One try is left and the caller did not confirm spending it; nothing was sent.
    #[error("one PIN try left; confirm before trying")]
    LastTryNotConfirmed,
    /// The card refused an operation that needs a verified PIN (69 82).
    #[error("security status not satisfied at {step}")]
    SecurityStatusNotSatisfied {
        /// The refused command.
        step: CardStep,
    },
    /// The transport failed (card removed, reader gone).
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The card's answer could not be read.
    #[error("malformed response at {step}: {detail}")]
    Malformed {
        /// The command whose answer was malformed.
        step: CardStep,
        /// What was wrong (no card data).
        detail: &'static str,
    },
    /// The card answered with a status word the protocol does not expect there.
    #[error("unexpected status {sw} at {step}")]
    UnexpectedStatus {
        /// The command.
        step: CardStep,
        /// The status word.
        sw: StatusWord,
    },
}

impl CardError {
    /// Stable code for bindings, logs and vectors.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotJpki => "CARD_NOT_JPKI",
            Self::WrongPin { .. } => "PIN_WRONG",
            Self::PinLocked => "PIN_LOCKED",
            Self::LastTryNotConfirmed => "PIN_LAST_TRY",
            Self::SecurityStatusNotSatisfied { .. } => "CARD_SECURITY_STATUS",
            Self::Transport(e) => e.code(),
            Self::Malformed { .. } => "CARD_MALFORMED_RESPONSE",
            Self::UnexpectedStatus { .. } => "CARD_UNEXPECTED_STATUS",
        }
    }

    /// What the patient or staff should do, in Japanese and English.
    pub fn message(&self) -> Message {
        match self {
            Self::NotJpki => Message::new(
                "マイナンバーカードとして読み取れませんでした。マイナンバーカード（またはスマートフォンの電子証明書）をかざしてください。",
                "This is not readable as a My Number card. Present a My Number card (or a smartphone certificate).",
            ),
            Self::WrongPin { tries_left: 0 } => Message::new(
                "暗証番号が違います。暗証番号がロックされました。お住まいの市区町村の窓口で初期化してください。今日は資格確認書か目視確認をご利用ください。",
                "Wrong PIN. The PIN is now locked; it can be reset at your municipal office. Today, use the eligibility certificate or a visual identity check.",
            ),
            Self::WrongPin { tries_left } => Message::new(
                format!("暗証番号が違います。あと{tries_left}回間違えるとロックされます。"),
                format!("Wrong PIN. {tries_left} more wrong attempts will lock it."),
            ),
            Self::PinLocked => Message::new(
                "暗証番号がロックされています。お住まいの市区町村の窓口で初期化してください。今日は資格確認書か目視確認をご利用ください。",
                "The PIN is locked; it can be reset at your municipal office. Today, use the eligibility certificate or a visual identity check.",
            ),
            Self::LastTryNotConfirmed => Message::new(
                "暗証番号の残り回数はあと1回です。間違えるとロックされます。自信がなければ、目視確認か資格確認書をご利用ください。",
                "One PIN attempt is left; a wrong PIN will lock it. If unsure, use a visual identity check or the eligibility certificate.",
            ),
            Self::SecurityStatusNotSatisfied { .. } => Message::new(
                "カードが操作を拒否しました（暗証番号の照合が済んでいません）。もう一度最初からお試しください。",
                "The card refused the operation (the PIN was not verified). Start again.",
            ),
            Self::Transport(e) => e.message(),
            Self::Malformed { .. } | Self::UnexpectedStatus { .. } => Message::new(
                "カードから想定外の応答がありました。カードを置き直してもう一度お試しください。",
                "The card gave an unexpected answer. Place the card again and retry.",
            ),
        }
    }
}

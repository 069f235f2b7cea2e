//! The card transport (カードとの通信路): whatever carries APDUs between onshi and the card. The host
//! implements it: a PC/SC reader on a desktop, Android `IsoDep.transceive`, iOS
//! `NFCISO7816Tag.sendCommand`, a JS callback, or the virtual card in tests.

use crate::i18n::Message;

/// Carries one command APDU to the card and brings back its response (data ‖ SW1 SW2).
pub trait CardTransport {
    /// Sends `command` and returns the card's response bytes.
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError>;
}

/// The transport could not carry an APDU.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The card left the reader or the NFC field during the exchange.
    #[error("the card was removed")]
    CardRemoved,
    /// No card is present.
    #[error("no card present")]
    NoCard,
    /// Anything else the host reports (reader unplugged, timeout, service stopped). The text is the host's
    /// and must not hold personal data.
    #[error("card transport failed: {0}")]
    Failed(String),
}

impl TransportError {
    /// Stable code for bindings and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::CardRemoved => "CARD_REMOVED",
            Self::NoCard => "NO_CARD",
            Self::Failed(_) => "TRANSPORT_FAILED",
        }
    }

    /// What the person at the reader should do.
    pub fn message(&self) -> Message {
        match self {
            Self::CardRemoved => Message::new(
                "読み取り中にカードが離れました。カードを置き直して、読み取りが終わるまで動かさないでください。",
                "The card moved away while it was being read. Place it again and keep it still until reading ends.",
            ),
            Self::NoCard => Message::new(
                "カードが見つかりません。カードをリーダーに置いてください。",
                "No card was found. Place the card on the reader.",
            ),
            Self::Failed(_) => Message::new(
                "カードリーダーとの通信に失敗しました。リーダーの接続を確認してください。",
                "Communication with the card reader failed. Check the reader's connection.",
            ),
        }
    }
}

/// Counts the APDUs that pass, so tests and benchmarks can hold the round-trip budget.
#[derive(Debug)]
pub struct Counting<T> {
    inner: T,
    count: u32,
}

impl<T: CardTransport> Counting<T> {
    /// Wraps a transport.
    pub fn new(inner: T) -> Self {
        Self { inner, count: 0 }
    }

    /// APDUs sent so far.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// Starts counting again from zero.
    pub fn reset_count(&mut self) {
        self.count = 0;
    }

    /// The wrapped transport.
    pub fn inner_mut(&mut self) -> &mut T {
        &mut self.inner
    }

    /// Unwraps the transport.
    pub fn into_inner(self) -> T {
        self.inner
    }
}

impl<T: CardTransport> CardTransport for Counting<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.count += 1;
        self.inner.transmit(command)
    }
}

impl<T: CardTransport + ?Sized> CardTransport for &mut T {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        (**self).transmit(command)
    }
}

impl<T: CardTransport + ?Sized> CardTransport for Box<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        (**self).transmit(command)
    }
}

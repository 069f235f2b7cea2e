//! The readers behind the bridge (リーダーの実装): one small trait, implemented over PC/SC
//! ([`super::pcsc`]) and by the demo cards in process ([`super::demo_readers`]).

use onshi_core::card::transport::CardTransport;
use serde::Serialize;

use super::error::BridgeError;

/// A reader as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReaderInfo {
    /// The reader's name, to connect with.
    pub name: String,
    /// Whether a card is in (or on) it.
    pub card: bool,
}

/// A card held by one connection alone. Dropping it releases the card and resets it, so that the
/// security state a VERIFY earned (a verified PIN) ends with the connection.
pub struct HeldCard {
    /// The card's answer to reset.
    pub atr: Vec<u8>,
    /// Carries the page's APDUs.
    pub card: Box<dyn CardTransport + Send>,
}

/// Where the bridge finds readers and cards. Every call may block (PC/SC): the bridge makes them on
/// a blocking thread, never on the async runtime.
pub trait ReaderBackend: Send + Sync + 'static {
    /// The readers there are now.
    fn readers(&self) -> Result<Vec<ReaderInfo>, BridgeError>;

    /// Takes the card in `reader` exclusively.
    fn hold(&self, reader: &str) -> Result<HeldCard, BridgeError>;
}

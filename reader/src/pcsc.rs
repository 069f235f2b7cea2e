//! PC/SC readers (汎用カードリーダー) through pcscd: list readers, wait for a card, transmit APDUs.

use std::ffi::{CStr, CString};
use std::time::Duration;

use onshi_core::card::transport::{CardTransport, TransportError};
use pcsc::{Card, Context, Disposition, Protocols, ReaderState, Scope, ShareMode, State};

/// A reader could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ReaderError {
    /// pcscd is not running or not reachable.
    #[error("the PC/SC service (pcscd) is not available: {0}")]
    NoService(pcsc::Error),
    /// No reader is connected.
    #[error("no card reader is connected")]
    NoReader,
    /// No card arrived in time, or none is in the reader.
    #[error("no card was placed on the reader in time")]
    NoCard,
    /// Another program (or connection) holds the card exclusively.
    #[error("the card is in use by another connection")]
    InUse,
    /// Any other PC/SC failure.
    #[error("card reader failed: {0}")]
    Pcsc(#[from] pcsc::Error),
}

/// A reader and whether a card is in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderSlot {
    /// The reader's name, as pcscd gives it.
    pub name: String,
    /// A card is present (placed on a contactless reader, inserted in a contact one).
    pub card_present: bool,
}

/// A connection to pcscd.
pub struct Readers {
    context: Context,
}

impl Readers {
    /// Connects to pcscd.
    pub fn connect() -> Result<Self, ReaderError> {
        Context::establish(Scope::User)
            .map(|context| Self { context })
            .map_err(ReaderError::NoService)
    }

    /// The names of the connected readers.
    pub fn list(&self) -> Result<Vec<String>, ReaderError> {
        match self.context.list_readers_owned() {
            Ok(names) => Ok(names
                .iter()
                .map(|n| n.to_string_lossy().into_owned())
                .collect()),
            Err(pcsc::Error::NoReadersAvailable) => Ok(Vec::new()),
            Err(e) => Err(e.into()),
        }
    }

    /// The connected readers and whether each holds a card, as pcscd sees them now.
    pub fn slots(&self) -> Result<Vec<ReaderSlot>, ReaderError> {
        let names = self.list()?;
        let mut states: Vec<ReaderState> = names
            .iter()
            .filter_map(|n| CString::new(n.as_str()).ok())
            .map(|n| ReaderState::new(n, State::UNAWARE))
            .collect();
        if states.is_empty() {
            return Ok(Vec::new());
        }
        // Against UNAWARE, pcscd answers at once with every reader's current state.
        match self.context.get_status_change(Duration::ZERO, &mut states) {
            Ok(()) | Err(pcsc::Error::Timeout) => {}
            Err(pcsc::Error::NoService | pcsc::Error::ServiceStopped) => {
                return Err(ReaderError::NoService(pcsc::Error::NoService));
            }
            Err(e) => return Err(e.into()),
        }
        Ok(states
            .iter()
            .map(|s| ReaderSlot {
                name: s.name().to_string_lossy().into_owned(),
                card_present: s.event_state().contains(State::PRESENT),
            })
            .collect())
    }

    /// Waits up to `timeout` for a card on any reader (or on `reader` only) and returns that reader's
    /// name. A card already present counts at once.
    pub fn wait_for_card(
        &self,
        reader: Option<&str>,
        timeout: Duration,
    ) -> Result<String, ReaderError> {
        let names: Vec<String> = match reader {
            Some(r) => vec![r.to_owned()],
            None => self.list()?,
        };
        if names.is_empty() {
            return Err(ReaderError::NoReader);
        }
        let mut states: Vec<ReaderState> = names
            .iter()
            .filter_map(|n| CString::new(n.as_str()).ok())
            .map(|n| ReaderState::new(n, State::UNAWARE))
            .collect();
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.context.get_status_change(left, &mut states) {
                Ok(()) => {}
                Err(pcsc::Error::Timeout) => return Err(ReaderError::NoCard),
                Err(e) => return Err(e.into()),
            }
            if let Some(s) = states
                .iter()
                .find(|s| s.event_state().contains(State::PRESENT))
            {
                return Ok(s.name().to_string_lossy().into_owned());
            }
            if left.is_zero() {
                return Err(ReaderError::NoCard);
            }
            states.iter_mut().for_each(ReaderState::sync_current_state);
        }
    }

    /// Opens the card in `reader` (shared, T=0 or T=1).
    pub fn open(&self, reader: &str) -> Result<PcscTransport, ReaderError> {
        self.connect_card(reader, ShareMode::Shared, Disposition::LeaveCard)
    }

    /// Opens the card in `reader` for this connection alone: no other program can send it commands
    /// until the transport is dropped, and dropping it resets the card, so a verified PIN never
    /// outlives the connection that presented it.
    pub fn open_exclusive(&self, reader: &str) -> Result<PcscTransport, ReaderError> {
        self.connect_card(reader, ShareMode::Exclusive, Disposition::ResetCard)
    }

    fn connect_card(
        &self,
        reader: &str,
        share: ShareMode,
        on_close: Disposition,
    ) -> Result<PcscTransport, ReaderError> {
        let name = CString::new(reader).map_err(|_| ReaderError::NoReader)?;
        let card = self
            .context
            .connect(&name, share, Protocols::ANY)
            .map_err(|e| match e {
                pcsc::Error::NoSmartcard | pcsc::Error::RemovedCard => ReaderError::NoCard,
                pcsc::Error::UnknownReader | pcsc::Error::ReaderUnavailable => {
                    ReaderError::NoReader
                }
                pcsc::Error::SharingViolation => ReaderError::InUse,
                pcsc::Error::NoService | pcsc::Error::ServiceStopped => ReaderError::NoService(e),
                e => ReaderError::Pcsc(e),
            })?;
        Ok(PcscTransport {
            card: Some(card),
            reader: name,
            on_close,
        })
    }
}

/// A card in a PC/SC reader, carrying onshi's short APDUs.
pub struct PcscTransport {
    /// `None` only while being dropped.
    card: Option<Card>,
    reader: CString,
    on_close: Disposition,
}

impl PcscTransport {
    /// The reader's name.
    pub fn reader(&self) -> &CStr {
        &self.reader
    }

    /// The card's answer to reset (ATR).
    pub fn atr(&self) -> Result<Vec<u8>, ReaderError> {
        let card = self.card.as_ref().ok_or(ReaderError::NoCard)?;
        let status = card.status2_owned().map_err(|e| match e {
            pcsc::Error::RemovedCard | pcsc::Error::NoSmartcard => ReaderError::NoCard,
            e => ReaderError::Pcsc(e),
        })?;
        Ok(status.atr().to_vec())
    }
}

impl Drop for PcscTransport {
    fn drop(&mut self) {
        if let Some(card) = self.card.take() {
            // On failure pcsc hands the card back, whose own drop still releases the handle.
            let _ = card.disconnect(self.on_close);
        }
    }
}

impl CardTransport for PcscTransport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let Some(card) = self.card.as_ref() else {
            return Err(TransportError::NoCard);
        };
        // Short APDUs: at most 256 data bytes and the status word fit MAX_BUFFER_SIZE (264).
        let mut buffer = [0u8; pcsc::MAX_BUFFER_SIZE];
        match card.transmit(command, &mut buffer) {
            Ok(response) => Ok(response.to_vec()),
            Err(pcsc::Error::RemovedCard | pcsc::Error::ResetCard) => {
                Err(TransportError::CardRemoved)
            }
            Err(pcsc::Error::NoSmartcard) => Err(TransportError::NoCard),
            Err(e) => Err(TransportError::Failed(e.to_string())),
        }
    }
}

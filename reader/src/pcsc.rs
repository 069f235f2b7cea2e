//! PC/SC readers (汎用カードリーダー) through pcscd: list readers, wait for a card, transmit APDUs.

use std::ffi::{CStr, CString};
use std::time::Duration;

use onshi_core::card::transport::{CardTransport, TransportError};
use pcsc::{Card, Context, Protocols, ReaderState, Scope, ShareMode, State};

/// A reader could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ReaderError {
    /// pcscd is not running or not reachable.
    #[error("the PC/SC service (pcscd) is not available: {0}")]
    NoService(pcsc::Error),
    /// No reader is connected.
    #[error("no card reader is connected")]
    NoReader,
    /// No card arrived in time.
    #[error("no card was placed on the reader in time")]
    NoCard,
    /// Any other PC/SC failure.
    #[error("card reader failed: {0}")]
    Pcsc(#[from] pcsc::Error),
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
        let name = CString::new(reader).map_err(|_| ReaderError::NoReader)?;
        let card = self
            .context
            .connect(&name, ShareMode::Shared, Protocols::ANY)
            .map_err(|e| match e {
                pcsc::Error::NoSmartcard | pcsc::Error::RemovedCard => ReaderError::NoCard,
                pcsc::Error::UnknownReader => ReaderError::NoReader,
                e => ReaderError::Pcsc(e),
            })?;
        Ok(PcscTransport { card, reader: name })
    }
}

/// A card in a PC/SC reader, carrying onshi's short APDUs.
pub struct PcscTransport {
    card: Card,
    reader: CString,
}

impl PcscTransport {
    /// The reader's name.
    pub fn reader(&self) -> &CStr {
        &self.reader
    }
}

impl CardTransport for PcscTransport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        // Short APDUs: at most 256 data bytes and the status word fit MAX_BUFFER_SIZE (264).
        let mut buffer = [0u8; pcsc::MAX_BUFFER_SIZE];
        match self.card.transmit(command, &mut buffer) {
            Ok(response) => Ok(response.to_vec()),
            Err(pcsc::Error::RemovedCard | pcsc::Error::ResetCard) => {
                Err(TransportError::CardRemoved)
            }
            Err(pcsc::Error::NoSmartcard) => Err(TransportError::NoCard),
            Err(e) => Err(TransportError::Failed(e.to_string())),
        }
    }
}

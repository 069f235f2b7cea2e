//! PC/SC readers (汎用カードリーダー) through pcscd: a real contact or contactless reader, or vpcd's
//! virtual reader with `onshi-virtual-card` in it.

use onshi_reader::pcsc::{ReaderError, Readers};

use super::backend::{HeldCard, ReaderBackend, ReaderInfo};
use super::error::BridgeError;

/// The readers pcscd knows. A PC/SC context is made per call, so a pcscd restarted meanwhile is found
/// again.
#[derive(Debug, Default, Clone, Copy)]
pub struct PcscReaders;

fn bridge_error(e: ReaderError, reader: &str) -> BridgeError {
    match e {
        ReaderError::NoService(_) => BridgeError::ReaderUnavailable,
        ReaderError::NoReader => BridgeError::NoReader(reader.to_owned()),
        ReaderError::NoCard => BridgeError::NoCard,
        ReaderError::InUse => BridgeError::CardInUse,
        ReaderError::Pcsc(e) => {
            tracing::warn!(error = %e, "reader bridge: PC/SC failed");
            BridgeError::ReaderUnavailable
        }
    }
}

impl ReaderBackend for PcscReaders {
    fn readers(&self) -> Result<Vec<ReaderInfo>, BridgeError> {
        let readers = Readers::connect().map_err(|e| bridge_error(e, ""))?;
        let slots = readers.slots().map_err(|e| bridge_error(e, ""))?;
        Ok(slots
            .into_iter()
            .map(|s| ReaderInfo {
                name: s.name,
                card: s.card_present,
            })
            .collect())
    }

    fn hold(&self, reader: &str) -> Result<HeldCard, BridgeError> {
        let readers = Readers::connect().map_err(|e| bridge_error(e, reader))?;
        // pcscd answers an unknown name with a generic error on some versions: check the list first.
        let known = readers.list().map_err(|e| bridge_error(e, reader))?;
        if !known.iter().any(|n| n == reader) {
            return Err(BridgeError::NoReader(reader.to_owned()));
        }
        let card = readers
            .open_exclusive(reader)
            .map_err(|e| bridge_error(e, reader))?;
        let atr = card.atr().map_err(|e| bridge_error(e, reader))?;
        Ok(HeldCard {
            atr,
            card: Box::new(card),
        })
    }
}

//! デモカードのリーダー (the virtual backend): the demo cards of onshi-core's software JPKI card, one per
//! reader, served in process — for trying the web app without a reader. TEST ONLY: they chain to the
//! TEST root of the service's population seed and their PINs are printed.
//!
//! A card is issued when first held, from the service's seed and its day (the same
//! `demo::issue(seed, index, today)` the population registers to persons 0–3), so the service accepts
//! its certificate. It then stays in its reader: PIN counters count down across connections as on
//! a real card.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use onshi_core::card::demo::{self, DEMO_CARDS};
use onshi_core::card::transport::{CardTransport, TransportError};
use onshi_core::card::virtual_card::VirtualCard;

use super::backend::{HeldCard, ReaderBackend, ReaderInfo};
use super::error::BridgeError;
use crate::clock::Clock;

/// The name of the reader holding demo card `index`.
pub fn reader_name(index: usize) -> String {
    format!("onshi demo card {index} (TEST ONLY)")
}

#[derive(Default)]
struct Slot {
    card: Option<VirtualCard>,
    held: bool,
}

type SharedSlot = Arc<Mutex<Slot>>;

fn lock(slot: &SharedSlot) -> MutexGuard<'_, Slot> {
    slot.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One reader per demo card.
pub struct DemoReaders {
    seed: u64,
    clock: Arc<dyn Clock>,
    slots: Vec<SharedSlot>,
}

impl DemoReaders {
    /// The demo cards of `seed`, issued for the day `clock` shows when each is first held.
    pub fn new(seed: u64, clock: Arc<dyn Clock>) -> Self {
        Self {
            seed,
            clock,
            slots: DEMO_CARDS.iter().map(|_| SharedSlot::default()).collect(),
        }
    }
}

impl ReaderBackend for DemoReaders {
    fn readers(&self) -> Result<Vec<ReaderInfo>, BridgeError> {
        Ok((0..self.slots.len())
            .map(|index| ReaderInfo {
                name: reader_name(index),
                card: true,
            })
            .collect())
    }

    fn hold(&self, reader: &str) -> Result<HeldCard, BridgeError> {
        let (index, slot) = self
            .slots
            .iter()
            .enumerate()
            .find(|(index, _)| reader_name(*index) == reader)
            .ok_or_else(|| BridgeError::NoReader(reader.to_owned()))?;
        let mut guard = lock(slot);
        if guard.held {
            return Err(BridgeError::CardInUse);
        }
        let card = match &mut guard.card {
            Some(card) => card,
            empty => {
                // Two or three RSA key generations: on this blocking thread, once per card.
                let issued =
                    demo::issue(self.seed, index, self.clock.now().date()).map_err(|e| {
                        tracing::error!(error = %e, "reader bridge: demo card not issued");
                        BridgeError::ReaderUnavailable
                    })?;
                empty.insert(issued.card)
            }
        };
        card.reset();
        let atr = card.atr().to_vec();
        guard.held = true;
        Ok(HeldCard {
            atr,
            card: Box::new(HeldDemoCard {
                slot: Arc::clone(slot),
            }),
        })
    }
}

/// A demo card held by one connection.
struct HeldDemoCard {
    slot: SharedSlot,
}

impl CardTransport for HeldDemoCard {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        match lock(&self.slot).card.as_mut() {
            Some(card) => card.transmit(command),
            None => Err(TransportError::NoCard),
        }
    }
}

impl Drop for HeldDemoCard {
    fn drop(&mut self) {
        let mut slot = lock(&self.slot);
        // As a PC/SC reset on release: the next connection starts with no PIN verified.
        if let Some(card) = slot.card.as_mut() {
            card.reset();
        }
        slot.held = false;
    }
}

//! The demo My Number cards (TEST ONLY) for Kotlin/Swift tests and demo builds: a software card to put
//! behind an app's `CardTransport` where no card or NFC is at hand.

use std::sync::Mutex;

use onshi_core::card::demo;
use onshi_core::card::transport::CardTransport as _;

use crate::card::CardTransportError;

/// A demo card answering APDUs as a real card does. Its certificates chain to onshi's TEST CA.
#[derive(uniffi::Object)]
pub struct VirtualCard {
    issued: Mutex<demo::IssuedDemoCard>,
    certificate: Vec<u8>,
    root: Vec<u8>,
}

/// The demo card could not be issued (a malformed date).
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum VirtualCardError {
    /// What went wrong.
    #[error("{reason}")]
    Issue {
        /// Description.
        reason: String,
    },
}

#[uniffi::export]
impl VirtualCard {
    /// Demo card `index` (0: plastic card, PIN 1234; 1: Android, 2580; 2: iPhone, 1357; 3: plastic card
    /// expired 40 days ago, 4321), issued from `seed` as of `today` (`YYYYMMDD`).
    #[uniffi::constructor]
    pub fn issue(seed: u64, index: u32, today: String) -> Result<Self, VirtualCardError> {
        let issue_error = |reason: String| VirtualCardError::Issue { reason };
        let today = onshi_core::jst::parse_date(&today).map_err(|e| issue_error(e.to_string()))?;
        let issued =
            demo::issue(seed, index as usize, today).map_err(|e| issue_error(e.to_string()))?;
        Ok(Self {
            certificate: issued.certificate.clone(),
            root: issued.root.clone(),
            issued: Mutex::new(issued),
        })
    }

    /// Answers one command APDU (data ‖ SW1 SW2).
    pub fn transmit(&self, command: Vec<u8>) -> Result<Vec<u8>, CardTransportError> {
        let mut issued = self.issued.lock().map_err(|_| CardTransportError::Failed {
            reason: "card poisoned".into(),
        })?;
        issued.card.transmit(&command).map_err(|e| match e {
            onshi_core::card::transport::TransportError::CardRemoved => {
                CardTransportError::CardRemoved
            }
            onshi_core::card::transport::TransportError::NoCard => CardTransportError::NoCard,
            onshi_core::card::transport::TransportError::Failed(reason) => {
                CardTransportError::Failed { reason }
            }
        })
    }

    /// The card's 利用者証明用電子証明書 (DER).
    pub fn certificate(&self) -> Vec<u8> {
        self.certificate.clone()
    }

    /// The TEST root certificate (DER).
    pub fn root_certificate(&self) -> Vec<u8> {
        self.root.clone()
    }
}

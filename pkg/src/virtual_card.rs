//! The demo My Number cards (TEST ONLY) for JS: a software card to plug into a page's transport in
//! tests and demos. Their certificates chain to onshi's TEST CA, which no real verifier trusts.

use onshi_core::card::demo;
use onshi_core::card::transport::CardTransport;
use wasm_bindgen::prelude::*;

/// A demo card answering APDUs as a real card does.
#[wasm_bindgen]
pub struct VirtualCard {
    issued: demo::IssuedDemoCard,
}

#[wasm_bindgen]
impl VirtualCard {
    /// Demo card `index` (0: plastic card, PIN 1234; 1: Android, 2580; 2: iPhone, 1357; 3: plastic card
    /// expired 40 days ago, 4321), issued deterministically from `seed` as of `today` (`YYYYMMDD`).
    /// Costs two or three RSA key generations.
    pub fn issue(seed: u64, index: u32, today: &str) -> Result<VirtualCard, JsError> {
        let today = onshi_core::jst::parse_date(today).map_err(|e| JsError::new(&e.to_string()))?;
        let issued =
            demo::issue(seed, index as usize, today).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(VirtualCard { issued })
    }

    /// Answers one command APDU (data ‖ SW1 SW2); throws `CARD_REMOVED` while removed.
    pub fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, JsError> {
        self.issued
            .card
            .transmit(command)
            .map_err(|e| JsError::new(e.code()))
    }

    /// The card's 利用者証明用電子証明書 (DER).
    pub fn certificate(&self) -> Vec<u8> {
        self.issued.certificate.clone()
    }

    /// The TEST root certificate (DER) it chains to.
    #[wasm_bindgen(js_name = rootCertificate)]
    pub fn root_certificate(&self) -> Vec<u8> {
        self.issued.root.clone()
    }

    /// Takes the card out of the field.
    pub fn remove(&mut self) {
        self.issued.card.remove();
    }

    /// Puts it back (a fresh power-up: nothing verified).
    pub fn insert(&mut self) {
        self.issued.card.insert();
    }
}

//! onshi-core: every rule of online eligibility verification (オンライン資格確認) that onshi knows.
//!
//! Pure Rust without IO, clock or randomness: the service, the web app (Wasm) and the mobile bindings
//! (uniffi) all call this crate, so a rule decides the same everywhere. The conformance vectors in
//! `tests/vectors/` are replayed against every layer to prove it.
#![forbid(unsafe_code)]

pub mod api;
pub mod batch;
pub mod card;
pub mod codes;
pub mod consent;
#[cfg(feature = "device")]
pub mod device;
pub mod facility;
pub mod flows;
pub mod i18n;
pub mod ids;
pub mod jst;
pub mod oqs;
pub mod qualification;
pub mod wareki;

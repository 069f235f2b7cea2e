//! The My Number card (マイナンバーカード) and JPKI user authentication (公的個人認証・利用者証明).
//!
//! - [`apdu`]: command and response APDUs, status words.
//! - [`transport`]: [`CardTransport`](transport::CardTransport), which hosts implement (PC/SC, NFC, JS).
//! - [`pin`]: the 4-digit PIN, which goes to the card and nowhere else.
//! - [`jpki`]: the client's procedures (probe, authenticate, read the certificate), sans IO.
//! - `virtual_card` (feature `virtual-card`): a software card answering APDUs as a real one does, for
//!   tests and the demo.
//! - `verify` (feature `verify`): the relying party's check of signature, chain, validity and
//!   revocation (利用者証明検証).
//! - `demo` (feature `virtual-card`): the demo cards, deterministic from a seed, with printed PINs.
//! - `test_ca` (feature `virtual-card`): a TEST ONLY user-authentication CA, deterministic from a seed.
//! - [`kenmen`]: the 券面事項入力補助AP's basic four, behind their own PIN.
//! - [`host`]: the same procedures by name with JSON in and out, for hosts that await each APDU.
//!
//! The byte-level facts come from card.md; J-LIS does not publish the card specification, so every
//! sequence here follows what independent implementations agree on.

pub mod apdu;
#[cfg(feature = "virtual-card")]
pub mod demo;
pub mod error;
pub mod host;
pub mod jpki;
pub mod kenmen;
pub mod layout;
pub mod pin;
#[cfg(feature = "virtual-card")]
pub mod test_ca;
pub mod transport;
#[cfg(feature = "verify")]
pub mod verify;
#[cfg(feature = "virtual-card")]
pub mod virtual_card;

pub use error::{CardError, CardStep};

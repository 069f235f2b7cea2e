//! onshi-reader: the desktop side of card reading (カードリーダー).
//!
//! - [`pcsc`]: a [`CardTransport`](onshi_core::card::transport::CardTransport) over any PC/SC reader —
//!   the generic contact or contactless reader a 柔整 clinic plugs into its PC — through pcscd.
//! - [`vpcd`]: plugs a software card into the virtual reader driver vpcd, so pcscd (and every PC/SC
//!   program, OpenSC included) sees it as a card in a real reader.
#![forbid(unsafe_code)]

#[cfg(feature = "pcsc")]
pub mod pcsc;
pub mod vpcd;

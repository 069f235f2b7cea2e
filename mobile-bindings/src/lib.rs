//! onshi-mobile: onshi-core's rules for Android (Kotlin), iOS (Swift) and Python, through uniffi.
//!
//! A thin adapter: records and enums mirror core's answers; nothing is decided here.
// uniffi's generated scaffolding contains the FFI's `unsafe` blocks; this crate writes none itself.
#![allow(unsafe_code)]

mod card;
mod ids;
mod rules;
mod virtual_card;

pub use card::{
    CardAuthentication, CardBasicInfo, CardFailure, CardProbe, CardToken, CardTransport,
    CardTransportError, jpki_authenticate, jpki_probe, jpki_read_certificate,
    kenmen_read_basic_info,
};
pub use ids::{
    IdentifierCheck, IdentifierDetail, IdentifierKindError, check_identifier, identifier_kinds,
};

pub use rules::{call_rule, rule_names};
pub use virtual_card::{VirtualCard, VirtualCardError};

uniffi::setup_scaffolding!();

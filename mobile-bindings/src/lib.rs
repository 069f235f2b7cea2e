//! onshi-mobile: onshi-core's rules for Android (Kotlin), iOS (Swift) and Python, through uniffi.
//!
//! A thin adapter: records and enums mirror core's answers; nothing is decided here.
// uniffi's generated scaffolding contains the FFI's `unsafe` blocks; this crate writes none itself.
#![allow(unsafe_code)]

mod ids;
mod rules;

pub use ids::{
    IdentifierCheck, IdentifierDetail, IdentifierKindError, check_identifier, identifier_kinds,
};

pub use rules::{call_rule, rule_names};

uniffi::setup_scaffolding!();

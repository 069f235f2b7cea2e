//! onshi-wasm: onshi-core's rules for JavaScript and TypeScript.
//!
//! A thin adapter: each export converts JS values to core types, calls core, and converts back.
//! Nothing is decided here. The npm package `onshi` is built from this crate by `cargo xtask`.
#![forbid(unsafe_code)]

mod card;
mod ids;
mod rules;
mod virtual_card;

pub use card::{CardProcedure, CardStep, run_card_procedure};
pub use ids::{IdentifierCheck, IdentifierDetail, check_identifier, identifier_kinds};
pub use rules::{call_rule, rule_names};
pub use virtual_card::VirtualCard;

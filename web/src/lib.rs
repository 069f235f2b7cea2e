//! onshi-web: the browser app. Every rule it shows comes from onshi-core, compiled to Wasm with it,
//! so the browser decides exactly as the service does.
//!
//! Two bundles are built from this library: `onshi-web` with every screen, and `onshi-patient` with
//! only the patient's screens (the consent flow and the patient's own view), so a patient's phone
//! downloads no staff code. `index.html` loads the bundle the path needs. [`device`] makes this
//! browser a registered device (端末) of its institution.
#![forbid(unsafe_code)]

mod api;
pub mod app;
mod card;
mod clock;
pub mod device;
mod i18n;
mod pages;
mod prefs;

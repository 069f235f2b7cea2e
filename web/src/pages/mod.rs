//! The app's pages, one module per screen.

pub mod card_step;
pub mod consent;
pub mod console;
pub mod device_gate;
pub mod flash;
pub mod home;
pub mod id_checker;
pub mod limited;
pub mod my_consents;
pub mod qualification;

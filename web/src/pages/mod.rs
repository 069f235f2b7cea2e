//! The app's pages, one module per screen.

pub mod card_step;
pub mod consent;
pub mod home;
pub mod id_checker;
pub mod my_consents;

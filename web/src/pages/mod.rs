//! The app's pages, one module per screen.

pub mod consent;
pub mod home;
pub mod id_checker;

//! onshi-web's library part: what the app's pages build on. [`device`] makes this browser a
//! registered device (端末) of its institution.
#![forbid(unsafe_code)]

pub mod device;

//! One module a page.

pub mod id_checker;

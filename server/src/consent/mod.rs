//! 同意 (consent): the patient's consent session behind the institution URL, the registered consents
//! and care relationships, and the signed receipt the patient keeps.

pub mod patient;
pub mod receipt;
pub mod session;
pub mod store;

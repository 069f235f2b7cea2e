//! 同意 (consent): the items a patient answers, the validity window for each care setting, and
//! the life of one consent (register, expire, revoke).
//!
//! Consent is never needed for 資格情報, nor (since the 2024 change) for 限度額.

mod item;
mod record;
mod window;

pub use item::{Answer, ConsentChoices, ConsentItem, MissingAnswers};
pub use record::{Consent, ConsentState, Revocation, RevokedBy, revoke_all};
pub use window::{
    CareSetting, ConsentWindow, ONLINE_WINDOW_END, OnlineWindowEnd, WindowError, WindowRule,
    resolve_window,
};

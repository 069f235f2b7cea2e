//! 暗証番号 (PIN): the 4 digits the patient types, which go to the card and nowhere else.
//!
//! A [`Pin`] is checked as exactly four ASCII digits before any APDU is built, cannot be cloned,
//! printed, serialised or compared, and wipes its bytes when dropped.

use std::fmt;

use zeroize::Zeroizing;

use crate::i18n::Message;

/// A 4-digit PIN (利用者証明用パスワード or 券面事項入力補助用暗証番号), held only for the VERIFY command.
pub struct Pin(Zeroizing<[u8; 4]>);

/// What is wrong with a typed PIN. Carries no digit of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    /// Not exactly four characters.
    #[error("the PIN must be exactly 4 digits")]
    WrongLength,
    /// A character other than 0–9 (full-width digits are not accepted: the card compares ASCII bytes).
    #[error("the PIN must be digits 0-9 only")]
    NotDigits,
}

impl PinError {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::WrongLength => "PIN_WRONG_LENGTH",
            Self::NotDigits => "PIN_NOT_DIGITS",
        }
    }

    /// What the patient should do.
    pub fn message(self) -> Message {
        match self {
            Self::WrongLength => Message::new(
                "暗証番号は4桁の数字で入力してください。",
                "Enter the PIN as 4 digits.",
            ),
            Self::NotDigits => Message::new(
                "暗証番号は数字（0〜9）だけで入力してください。",
                "Enter the PIN using the digits 0-9 only.",
            ),
        }
    }
}

impl Pin {
    /// Checks and takes a typed PIN.
    pub fn new(typed: &str) -> Result<Self, PinError> {
        Self::from_bytes(typed.as_bytes())
    }

    /// Checks and takes a PIN given as bytes (from a host that never made it a string).
    pub fn from_bytes(typed: &[u8]) -> Result<Self, PinError> {
        let digits: [u8; 4] = typed.try_into().map_err(|_| {
            // A multi-byte character counts as one typed character for the message's sake.
            match std::str::from_utf8(typed) {
                Ok(s) if s.chars().count() == 4 => PinError::NotDigits,
                _ => PinError::WrongLength,
            }
        })?;
        let pin = Self(Zeroizing::new(digits));
        if pin.0.iter().all(u8::is_ascii_digit) {
            Ok(pin)
        } else {
            Err(PinError::NotDigits)
        }
    }

    /// The four ASCII bytes for the VERIFY data field. Crate-private: only the card client sends them.
    pub(crate) fn verify_data(&self) -> &[u8; 4] {
        &self.0
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(****)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_ascii_digits_only() {
        assert!(Pin::new("0000").is_ok());
        assert_eq!(Pin::new("123").err(), Some(PinError::WrongLength));
        assert_eq!(Pin::new("12345").err(), Some(PinError::WrongLength));
        assert_eq!(Pin::new("12a4").err(), Some(PinError::NotDigits));
        assert_eq!(Pin::new("１２３４").err(), Some(PinError::NotDigits));
        assert_eq!(Pin::new("").err(), Some(PinError::WrongLength));
    }

    #[test]
    fn debug_hides_the_digits() {
        let pin = Pin::new("9876").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(format!("{pin:?}"), "Pin(****)");
        assert_eq!(pin.verify_data(), b"9876");
    }
}

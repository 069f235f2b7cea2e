//! The card's PIN objects (暗証番号の照合データ): reference data, a try counter that survives power cycles,
//! and the rule a new PIN must follow.

use std::fmt;

use zeroize::Zeroizing;

use super::profile::is_signing_password;

/// One of the card's three PINs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PinRef {
    /// 利用者証明用パスワード, JPKI EF 0018.
    Auth,
    /// 署名用パスワード, JPKI EF 001B.
    Sign,
    /// 券面事項入力補助用暗証番号, EF 0011 of the helper AP.
    Kenmen,
}

impl PinRef {
    /// Slot in the session's verified flags.
    pub(super) fn index(self) -> usize {
        match self {
            Self::Auth => 0,
            Self::Sign => 1,
            Self::Kenmen => 2,
        }
    }
}

/// What a new PIN (CHANGE REFERENCE DATA) must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PinRule {
    /// Exactly 4 ASCII digits.
    FourDigits,
    /// 6–16 of `A`–`Z`, `0`–`9`.
    SigningPassword,
}

impl PinRule {
    fn accepts(self, data: &[u8]) -> bool {
        match self {
            Self::FourDigits => data.len() == 4 && data.iter().all(u8::is_ascii_digit),
            Self::SigningPassword => is_signing_password(data),
        }
    }
}

/// The result of a VERIFY with data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verification {
    /// Right: the counter is back at its maximum.
    Verified,
    /// Wrong: this many tries remain (0: this attempt blocked the PIN).
    Wrong(u8),
    /// Blocked before this attempt; nothing was compared.
    Blocked,
}

/// A PIN held by the card.
pub(super) struct PinObject {
    reference: Zeroizing<Vec<u8>>,
    max_tries: u8,
    tries_left: u8,
    rule: PinRule,
}

impl PinObject {
    /// A PIN with its full counter.
    pub(super) fn new(reference: &[u8], max_tries: u8, rule: PinRule) -> Self {
        Self {
            reference: Zeroizing::new(reference.to_vec()),
            max_tries,
            tries_left: max_tries,
            rule,
        }
    }

    /// Tries remaining (0: blocked).
    pub(super) fn tries_left(&self) -> u8 {
        self.tries_left
    }

    /// Compares `candidate` byte for byte with the reference data, counting a try when it differs (any
    /// length that differs from the reference is simply wrong).
    pub(super) fn verify(&mut self, candidate: &[u8]) -> Verification {
        if self.tries_left == 0 {
            return Verification::Blocked;
        }
        if same(&self.reference, candidate) {
            self.tries_left = self.max_tries;
            Verification::Verified
        } else {
            self.tries_left -= 1;
            Verification::Wrong(self.tries_left)
        }
    }

    /// Replaces the reference data if `new` follows the PIN's rule; the counter goes back to its maximum.
    pub(super) fn change(&mut self, new: &[u8]) -> bool {
        if !self.rule.accepts(new) {
            return false;
        }
        self.reference = Zeroizing::new(new.to_vec());
        self.tries_left = self.max_tries;
        true
    }
}

/// Equality without an early exit on the first differing byte.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl fmt::Debug for PinObject {
    /// The counter only; never the reference data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PinObject({}/{} tries)", self.tries_left, self.max_tries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_blocks_and_resets_on_success() {
        let mut pin = PinObject::new(b"1234", 3, PinRule::FourDigits);
        assert_eq!(pin.verify(b"0000"), Verification::Wrong(2));
        assert_eq!(pin.verify(b"1234"), Verification::Verified);
        assert_eq!(pin.tries_left(), 3);
        assert_eq!(pin.verify(b"123"), Verification::Wrong(2));
        assert_eq!(pin.verify(b"12345"), Verification::Wrong(1));
        assert_eq!(pin.verify(b"1235"), Verification::Wrong(0));
        assert_eq!(pin.verify(b"1234"), Verification::Blocked);
        assert_eq!(pin.tries_left(), 0);
        assert_eq!(format!("{pin:?}"), "PinObject(0/3 tries)");
    }

    #[test]
    fn new_pins_follow_the_rule() {
        let mut pin = PinObject::new(b"1234", 3, PinRule::FourDigits);
        assert!(!pin.change(b"12a4"));
        assert!(!pin.change(b"12345"));
        assert!(pin.change(b"9876"));
        assert_eq!(pin.verify(b"9876"), Verification::Verified);
        let mut password = PinObject::new(b"ABC123", 5, PinRule::SigningPassword);
        assert!(!password.change(b"abc123"));
        assert!(!password.change(b"ABC12"));
        assert!(password.change(b"ZYX9876543210ABC"));
    }
}

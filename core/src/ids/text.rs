//! Normalising what people type: 全角 digits and surrounding spaces.

use super::check_digit::check_digit;
use super::error::{IdError, IdErrorKind};
use super::kind::IdentifierKind;

/// Trims surrounding white space (ASCII, tab, 全角スペース U+3000) and maps full-width digits
/// `０`–`９` to ASCII. Nothing else is changed: other full-width characters stay as typed.
pub(crate) fn normalize(input: &str) -> String {
    input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            other => other,
        })
        .collect()
}

/// Normalises `input` and requires ASCII digits only, in one of `lengths`.
pub(crate) fn digits(
    field: IdentifierKind,
    input: &str,
    lengths: &[usize],
) -> Result<String, IdError> {
    let s = normalize(input);
    if s.is_empty() {
        return Err(IdError::new(field, IdErrorKind::Empty, None));
    }
    if let Some((i, found)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        let kind = IdErrorKind::Characters {
            position: i + 1,
            found,
        };
        return Err(IdError::new(field, kind, None));
    }
    // All ASCII from here on, so byte length is character count.
    if !lengths.contains(&s.len()) {
        let kind = IdErrorKind::Length {
            expected: lengths.to_vec(),
            actual: s.len(),
        };
        return Err(IdError::new(field, kind, None));
    }
    Ok(s)
}

/// The digit values of an all-ASCII-digit string.
pub(crate) fn values(s: &str) -> Vec<u8> {
    s.bytes().map(|b| b - b'0').collect()
}

/// Checks the last digit of `s` (ASCII digits, length ≥ 2) against the check digit of the rest.
pub(crate) fn verify_check_digit(field: IdentifierKind, s: &str) -> Result<(), IdError> {
    let v = values(s);
    let (body, last) = v.split_at(v.len() - 1);
    let expected = check_digit(body);
    if last[0] == expected {
        Ok(())
    } else {
        let kind = IdErrorKind::CheckDigit {
            expected,
            found: last[0],
        };
        Err(IdError::new(field, kind, Some(s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_and_spaces() {
        assert_eq!(normalize("\u{3000}０１１３００１２ "), "01130012");
        assert_eq!(normalize("  131011"), "131011");
        assert_eq!(normalize("ｱ１"), "ｱ1");
    }
}

//! 被保険者証記号・番号・枝番 (symbol, number, branch): with the insurer number they identify one
//! insured person (個人単位被保険者番号). All three are personal data: `Debug` never shows them.

use std::str::FromStr;

use super::error::{IdError, IdErrorKind};
use super::kind::IdentifierKind;
use super::text::{digits, normalize};

/// The most characters onshi accepts in 記号 or 番号.
///
/// The official maximum is fixed in the interface specification's 別紙3-1, which is not public;
/// this generous limit is onshi's documented choice until it is known (cards print far fewer).
pub const TEXT_MAX_CHARS: usize = 38;

/// 記号 and 番号 are opaque text as printed on the card (digits, kana, kanji or symbols). Only
/// full-width digits and surrounding spaces are normalised; control characters are refused.
fn card_text(field: IdentifierKind, input: &str) -> Result<String, IdError> {
    let s = normalize(input);
    if s.is_empty() {
        return Err(IdError::new(field, IdErrorKind::Empty, None));
    }
    if let Some((i, found)) = s.chars().enumerate().find(|(_, c)| c.is_control()) {
        let kind = IdErrorKind::Characters {
            position: i + 1,
            found,
        };
        return Err(IdError::new(field, kind, None));
    }
    let count = s.chars().count();
    if count > TEXT_MAX_CHARS {
        let kind = IdErrorKind::TooLong {
            max: TEXT_MAX_CHARS,
            actual: count,
        };
        return Err(IdError::new(field, kind, None));
    }
    Ok(s)
}

macro_rules! personal_text_id {
    ($(#[$doc:meta])* $name:ident, $parse:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The canonical text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = IdError;

            fn from_str(input: &str) -> Result<Self, IdError> {
                let parse: fn(&str) -> Result<String, IdError> = $parse;
                parse(input).map(Self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::fmt::Debug for $name {
            /// Personal data: the value is not shown.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($name), "(<redacted>)"))
            }
        }
    };
}

personal_text_id!(
    /// 被保険者証記号 (insurance card symbol): optional on requests; some insurers use none.
    InsuredCardSymbol,
    |s| card_text(IdentifierKind::InsuredCardSymbol, s)
);

personal_text_id!(
    /// 被保険者証番号 (insured person's number): required on number-based requests.
    InsuredIdentificationNumber,
    |s| card_text(IdentifierKind::InsuredIdentificationNumber, s)
);

personal_text_id!(
    /// 枝番 (branch number): exactly 2 digits, distinguishing family members under one insured
    /// person. A single digit is refused rather than zero-padded: a guess could name another person.
    InsuredBranchNumber,
    |s| digits(IdentifierKind::InsuredBranchNumber, s, &[2])
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbol_keeps_kana_and_kanji() {
        let s: InsuredCardSymbol = " 北ア１２ ".parse().unwrap();
        assert_eq!(s.as_str(), "北ア12");
    }

    #[test]
    fn number_refuses_control_characters_and_overlong_text() {
        let e = "12\t34".parse::<InsuredIdentificationNumber>().unwrap_err();
        assert_eq!(e.kind().code(), "characters");
        let long = "1".repeat(TEXT_MAX_CHARS + 1);
        let e = long.parse::<InsuredIdentificationNumber>().unwrap_err();
        assert_eq!(e.kind().code(), "too_long");
    }

    #[test]
    fn branch_is_exactly_two_digits() {
        assert_eq!(
            "０１".parse::<InsuredBranchNumber>().unwrap().as_str(),
            "01"
        );
        assert_eq!(
            "1".parse::<InsuredBranchNumber>()
                .unwrap_err()
                .kind()
                .code(),
            "length"
        );
        assert_eq!(
            "a1".parse::<InsuredBranchNumber>()
                .unwrap_err()
                .kind()
                .code(),
            "characters"
        );
    }

    #[test]
    fn debug_is_redacted() {
        let n: InsuredIdentificationNumber = "111111".parse().unwrap();
        assert_eq!(format!("{n:?}"), "InsuredIdentificationNumber(<redacted>)");
    }
}

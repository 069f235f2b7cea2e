//! Properties of identifier parsing over arbitrary input.

use onshi_core::ids::{IdentifierKind, InsurerNumber, MedicalInstitutionCode, check, check_digit};
use proptest::prelude::*;

fn with_check_digit(body: &[u8]) -> String {
    let mut s: String = body.iter().map(|d| char::from(b'0' + d)).collect();
    s.push(char::from(b'0' + check_digit(body)));
    s
}

proptest! {
    /// No input makes any parser panic, and every answer is either a canonical value that
    /// re-parses to itself or an error with a non-empty bilingual message.
    #[test]
    fn any_string_gets_an_answer(input in any::<String>(), k in 0usize..8) {
        let kind = IdentifierKind::ALL[k];
        match check(kind, &input) {
            Ok(v) => {
                let again = check(kind, &v.canonical).expect("canonical form re-parses");
                prop_assert_eq!(again.canonical, v.canonical);
            }
            Err(e) => {
                let m = e.message();
                prop_assert!(!m.ja.is_empty() && !m.en.is_empty());
            }
        }
    }

    /// Digit-heavy input reaches the deeper checks (prefecture, fee schedule, check digit) without a panic.
    #[test]
    fn digit_strings_never_panic(input in "[0-9０-９ ]{0,12}", k in 0usize..8) {
        let _ = check(IdentifierKind::ALL[k], &input);
    }

    /// Every 8-digit body with a listed prefecture and its computed check digit is accepted, and
    /// changing any one digit is refused.
    #[test]
    fn insurer_check_digit_catches_single_changes(
        law in 0u8..100, pref in 1u8..=47, rest in proptest::collection::vec(0u8..10, 3),
        pos in 0usize..8, delta in 1u8..10,
    ) {
        let mut body = vec![law / 10, law % 10, pref / 10, pref % 10];
        body.extend(rest);
        let good = with_check_digit(&body);
        prop_assert!(good.parse::<InsurerNumber>().is_ok());
        let mut bad: Vec<u8> = good.bytes().map(|b| b - b'0').collect();
        bad[pos] = (bad[pos] + delta) % 10;
        let bad: String = bad.iter().map(|d| char::from(b'0' + d)).collect();
        prop_assert!(bad.parse::<InsurerNumber>().is_err());
    }

    /// A 10-digit code is valid exactly when its prefecture, fee schedule and check digit are.
    #[test]
    fn institution_codes(pref in 0u8..100, fee in 0u8..10, rest in proptest::collection::vec(0u8..10, 6)) {
        let mut body = vec![pref / 10, pref % 10, fee];
        body.extend(rest);
        let code = with_check_digit(&body);
        let valid = (1..=47).contains(&pref) && matches!(fee, 1 | 3 | 4 | 6);
        prop_assert_eq!(code.parse::<MedicalInstitutionCode>().is_ok(), valid);
    }
}

//! Typed identifier errors with messages in Japanese and English.

use super::kind::IdentifierKind;
use crate::i18n::Message;

impl IdentifierKind {
    /// The Japanese name of the field, as printed on forms.
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::InsurerNumber => "保険者番号",
            Self::InsuredCardSymbol => "被保険者証記号",
            Self::InsuredIdentificationNumber => "被保険者証番号",
            Self::InsuredBranchNumber => "枝番",
            Self::PublicExpenseNumber => "公費負担者番号",
            Self::BeneficiaryNumber => "公費受給者番号",
            Self::LocalInstitutionCode => "医療機関コード",
            Self::MedicalInstitutionCode => "医療機関等コード",
        }
    }

    /// The English name of the field.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::InsurerNumber => "insurer number",
            Self::InsuredCardSymbol => "insurance card symbol",
            Self::InsuredIdentificationNumber => "insured person's number",
            Self::InsuredBranchNumber => "branch number",
            Self::PublicExpenseNumber => "public-expense payer number",
            Self::BeneficiaryNumber => "public-expense beneficiary number",
            Self::LocalInstitutionCode => "institution code",
            Self::MedicalInstitutionCode => "medical institution code",
        }
    }

    /// Whether the value identifies a person. Such values are never echoed in messages or `Debug`.
    pub fn is_personal(self) -> bool {
        matches!(
            self,
            Self::InsuredCardSymbol
                | Self::InsuredIdentificationNumber
                | Self::InsuredBranchNumber
                | Self::BeneficiaryNumber
        )
    }

    /// Whether the field holds digits only (記号・番号 may hold other characters).
    fn digits_only(self) -> bool {
        !matches!(
            self,
            Self::InsuredCardSymbol | Self::InsuredIdentificationNumber
        )
    }
}

/// What was wrong with an identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdErrorKind {
    /// Nothing was entered.
    Empty,
    /// A character that the field does not allow, at a 1-based position.
    Characters {
        /// 1-based position of the first offending character.
        position: usize,
        /// The character found there.
        found: char,
    },
    /// The number of digits is not one the field allows.
    Length {
        /// The allowed lengths.
        expected: Vec<usize>,
        /// The length entered.
        actual: usize,
    },
    /// Longer than the field's limit (記号・番号).
    TooLong {
        /// The most characters allowed.
        max: usize,
        /// The characters entered.
        actual: usize,
    },
    /// 都道府県番号 outside 01–47.
    Prefecture {
        /// The two digits found.
        found: u8,
    },
    /// 点数表番号 not one of 1, 3, 4, 6.
    FeeSchedule {
        /// The digit found.
        found: u8,
    },
    /// 検証番号 (check digit) does not match.
    CheckDigit {
        /// The check digit the body requires.
        expected: u8,
        /// The last digit entered.
        found: u8,
    },
}

impl IdErrorKind {
    /// A stable code for the kind, used by the conformance vectors and every binding.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::Characters { .. } => "characters",
            Self::Length { .. } => "length",
            Self::TooLong { .. } => "too_long",
            Self::Prefecture { .. } => "prefecture",
            Self::FeeSchedule { .. } => "fee_schedule",
            Self::CheckDigit { .. } => "check_digit",
        }
    }
}

/// An identifier that failed validation: which field, what failed, and (for non-personal
/// identifiers only) the normalised value that was checked.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct IdError {
    field: IdentifierKind,
    kind: IdErrorKind,
    shown_value: Option<String>,
}

impl IdError {
    pub(crate) fn new(field: IdentifierKind, kind: IdErrorKind, value: Option<&str>) -> Self {
        let shown_value = value.filter(|_| !field.is_personal()).map(str::to_owned);
        Self {
            field,
            kind,
            shown_value,
        }
    }

    /// The identifier that failed.
    pub fn field(&self) -> IdentifierKind {
        self.field
    }

    /// What failed.
    pub fn kind(&self) -> &IdErrorKind {
        &self.kind
    }

    /// The check digit that was expected, for a check-digit failure.
    pub fn expected_check_digit(&self) -> Option<u8> {
        match self.kind {
            IdErrorKind::CheckDigit { expected, .. } => Some(expected),
            _ => None,
        }
    }

    /// What was wrong and what to do, in Japanese and English.
    pub fn message(&self) -> Message {
        let ja_label = self.field.label_ja();
        let en_subject = match &self.shown_value {
            Some(v) => format!("{} {v}", self.field.label_en()),
            None => self.field.label_en().to_owned(),
        };
        match &self.kind {
            IdErrorKind::Empty => Message::new(
                format!("{ja_label}が入力されていません"),
                format!("{en_subject} is empty"),
            ),
            IdErrorKind::Characters { position, found } => {
                let shown = printable(*found);
                if self.field.digits_only() {
                    Message::new(
                        format!(
                            "{ja_label}に数字以外の文字「{shown}」があります（{position}文字目）。数字だけを入力してください"
                        ),
                        format!(
                            "{en_subject}: '{shown}' at position {position} is not a digit; enter digits only"
                        ),
                    )
                } else {
                    Message::new(
                        format!(
                            "{ja_label}に使えない文字「{shown}」があります（{position}文字目）"
                        ),
                        format!(
                            "{en_subject}: character '{shown}' at position {position} is not allowed"
                        ),
                    )
                }
            }
            IdErrorKind::Length { expected, actual } => {
                let ja_expected = join(expected, "桁または", "桁");
                let en_expected = join(expected, " or ", " digits");
                Message::new(
                    format!("{ja_label}は{ja_expected}です（入力は{actual}桁）"),
                    format!("{en_subject} must have {en_expected}, not {actual}"),
                )
            }
            IdErrorKind::TooLong { max, actual } => Message::new(
                format!("{ja_label}は{max}文字以内で入力してください（入力は{actual}文字）"),
                format!("{en_subject} is limited to {max} characters, not {actual}"),
            ),
            IdErrorKind::Prefecture { found } => Message::new(
                format!("{ja_label}の都道府県番号「{found:02}」は01〜47の範囲外です"),
                format!("{en_subject}: prefecture number {found:02} is not between 01 and 47"),
            ),
            IdErrorKind::FeeSchedule { found } => Message::new(
                format!(
                    "{ja_label}の点数表番号「{found}」は医科(1)・歯科(3)・調剤(4)・訪問看護(6)のいずれでもありません"
                ),
                format!(
                    "{en_subject}: fee-schedule digit {found} is not 1 (medical), 3 (dental), 4 (pharmacy) or 6 (home nursing)"
                ),
            ),
            IdErrorKind::CheckDigit { expected, .. } => Message::new(
                format!("{ja_label}の検証番号が一致しません（正しい検証番号は {expected}）"),
                format!("{en_subject}: check digit should be {expected}"),
            ),
        }
    }
}

impl std::fmt::Debug for IdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdError")
            .field("field", &self.field)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// A control character is shown by its code point, anything else as itself.
fn printable(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        c.to_string()
    }
}

fn join(values: &[usize], sep: &str, end: &str) -> String {
    let parts: Vec<String> = values.iter().map(usize::to_string).collect();
    format!("{}{end}", parts.join(sep))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_message_names_the_expected_digit() {
        let kind = IdErrorKind::CheckDigit {
            expected: 2,
            found: 3,
        };
        let e = IdError::new(IdentifierKind::InsurerNumber, kind, Some("01130013"));
        assert_eq!(
            e.to_string(),
            "保険者番号の検証番号が一致しません（正しい検証番号は 2） (insurer number 01130013: check digit should be 2)"
        );
    }

    #[test]
    fn personal_values_are_never_shown() {
        let kind = IdErrorKind::CheckDigit {
            expected: 6,
            found: 7,
        };
        let e = IdError::new(IdentifierKind::BeneficiaryNumber, kind, Some("1234567"));
        assert!(!e.to_string().contains("1234567"));
        assert!(!format!("{e:?}").contains("1234567"));
    }

    #[test]
    fn length_message_lists_alternatives() {
        let kind = IdErrorKind::Length {
            expected: vec![6, 8],
            actual: 7,
        };
        let m = IdError::new(IdentifierKind::InsurerNumber, kind, None).message();
        assert_eq!(m.ja, "保険者番号は6桁または8桁です（入力は7桁）");
        assert_eq!(m.en, "insurer number must have 6 or 8 digits, not 7");
    }
}

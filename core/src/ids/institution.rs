//! 医療機関コード (7 digits) and 医療機関等コード (10 digits: 都道府県番号 + 点数表番号 + the 7-digit
//! code), the institution identifier in every OQS message header.

use std::str::FromStr;

use super::error::{IdError, IdErrorKind};
use super::kind::IdentifierKind;
use super::prefecture::Prefecture;
use super::text::{digits, verify_check_digit};

/// 点数表番号 (fee-schedule digit): the kind of care an institution code is for.
///
/// Only the four digits the domain reference confirms are accepted; any other digit is an
/// [`IdErrorKind::FeeSchedule`] error (onshi's documented choice: a code we cannot classify is not
/// silently accepted as an institution).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FeeSchedule {
    /// 1 医科 (medical)
    Medical,
    /// 3 歯科 (dental)
    Dental,
    /// 4 調剤 (pharmacy)
    Pharmacy,
    /// 6 訪問看護 (home-visit nursing)
    HomeNursing,
}

impl FeeSchedule {
    /// The fee schedule for a digit, if it is one of 1, 3, 4, 6.
    pub fn from_digit(d: u8) -> Option<Self> {
        match d {
            1 => Some(Self::Medical),
            3 => Some(Self::Dental),
            4 => Some(Self::Pharmacy),
            6 => Some(Self::HomeNursing),
            _ => None,
        }
    }

    /// The digit.
    pub fn digit(self) -> u8 {
        match self {
            Self::Medical => 1,
            Self::Dental => 3,
            Self::Pharmacy => 4,
            Self::HomeNursing => 6,
        }
    }

    /// The Japanese name: 医科, 歯科, 調剤, 訪問看護.
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Medical => "医科",
            Self::Dental => "歯科",
            Self::Pharmacy => "調剤",
            Self::HomeNursing => "訪問看護",
        }
    }

    /// The English name.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Medical => "medical",
            Self::Dental => "dental",
            Self::Pharmacy => "pharmacy",
            Self::HomeNursing => "home nursing",
        }
    }
}

/// 医療機関コード: 郡市区番号 (2) + 医療機関番号 (4) + 検証番号 (1).
///
/// Its check digit is computed over the prefecture and fee-schedule digits too, so a 7-digit code
/// alone is only checked for form; [`MedicalInstitutionCode::from_parts`] checks it in context.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalInstitutionCode(String);

impl LocalInstitutionCode {
    /// The canonical digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for LocalInstitutionCode {
    type Err = IdError;

    fn from_str(input: &str) -> Result<Self, IdError> {
        digits(IdentifierKind::LocalInstitutionCode, input, &[7]).map(Self)
    }
}

impl std::fmt::Display for LocalInstitutionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// 医療機関等コード: a valid 10-digit institution code, e.g. `0110113719` (北海道, 医科).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MedicalInstitutionCode {
    digits: String,
    prefecture: Prefecture,
    fee_schedule: FeeSchedule,
}

impl MedicalInstitutionCode {
    /// Builds the 10-digit code from its parts, checking the 7-digit code's check digit.
    pub fn from_parts(
        prefecture: Prefecture,
        fee_schedule: FeeSchedule,
        local: &LocalInstitutionCode,
    ) -> Result<Self, IdError> {
        format!("{prefecture}{}{local}", fee_schedule.digit()).parse()
    }

    /// 都道府県番号.
    pub fn prefecture(&self) -> Prefecture {
        self.prefecture
    }

    /// 点数表番号.
    pub fn fee_schedule(&self) -> FeeSchedule {
        self.fee_schedule
    }

    /// The 7-digit 医療機関コード inside it.
    pub fn local_code(&self) -> LocalInstitutionCode {
        LocalInstitutionCode(self.digits[3..].to_owned())
    }

    /// The canonical digits.
    pub fn as_str(&self) -> &str {
        &self.digits
    }
}

impl FromStr for MedicalInstitutionCode {
    type Err = IdError;

    fn from_str(input: &str) -> Result<Self, IdError> {
        let field = IdentifierKind::MedicalInstitutionCode;
        let s = digits(field, input, &[10])?;
        let prefecture = Prefecture::from_digits(field, &s)?;
        let fee_digit = s.as_bytes()[2] - b'0';
        let fee_schedule = FeeSchedule::from_digit(fee_digit).ok_or_else(|| {
            IdError::new(field, IdErrorKind::FeeSchedule { found: fee_digit }, None)
        })?;
        verify_check_digit(field, &s)?;
        Ok(Self {
            digits: s,
            prefecture,
            fee_schedule,
        })
    }
}

impl std::fmt::Display for MedicalInstitutionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_examples() {
        let c: MedicalInstitutionCode = "0110113719".parse().unwrap();
        assert_eq!(c.prefecture().name_ja(), "北海道");
        assert_eq!(c.fee_schedule(), FeeSchedule::Medical);
        assert_eq!(c.local_code().as_str(), "0113719");
        assert_eq!(
            "1341234563"
                .parse::<MedicalInstitutionCode>()
                .unwrap()
                .fee_schedule(),
            FeeSchedule::Pharmacy
        );
        assert_eq!(
            "1361234568"
                .parse::<MedicalInstitutionCode>()
                .unwrap()
                .fee_schedule(),
            FeeSchedule::HomeNursing
        );
    }

    #[test]
    fn the_dummy_code_from_public_samples_fails() {
        let e = "1311111111".parse::<MedicalInstitutionCode>().unwrap_err();
        assert_eq!(e.kind().code(), "check_digit");
    }

    #[test]
    fn unknown_fee_schedule() {
        let e = "1321234567".parse::<MedicalInstitutionCode>().unwrap_err();
        assert_eq!(e.kind(), &IdErrorKind::FeeSchedule { found: 2 });
    }

    #[test]
    fn from_parts_checks_in_context() {
        let local: LocalInstitutionCode = "0113719".parse().unwrap();
        let hokkaido = Prefecture::new(1).unwrap();
        assert!(MedicalInstitutionCode::from_parts(hokkaido, FeeSchedule::Medical, &local).is_ok());
        assert!(MedicalInstitutionCode::from_parts(hokkaido, FeeSchedule::Dental, &local).is_err());
    }
}

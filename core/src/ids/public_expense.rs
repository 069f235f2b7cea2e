//! 公費負担者番号 (public-expense payer number, 8 digits) and 公費受給者番号 (beneficiary number,
//! 7 digits), as used by 医療扶助 and other public-expense programs.

use std::str::FromStr;

use super::error::IdError;
use super::kind::IdentifierKind;
use super::prefecture::Prefecture;
use super::text::{digits, verify_check_digit};

/// 公費負担者番号: 法別番号 (2) + 都道府県番号 (2) + 実施機関番号 (3) + 検証番号 (1).
///
/// For 医療扶助 it names the 福祉事務所 (welfare office); an office may hold several.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublicExpenseNumber {
    digits: String,
    prefecture: Prefecture,
}

impl PublicExpenseNumber {
    /// The program named by the 法別番号.
    pub fn program(&self) -> PublicExpenseProgram {
        PublicExpenseProgram::from_code(self.digits[..2].parse().unwrap_or(0))
    }

    /// The prefecture of the payer.
    pub fn prefecture(&self) -> Prefecture {
        self.prefecture
    }

    /// The canonical digits.
    pub fn as_str(&self) -> &str {
        &self.digits
    }
}

impl FromStr for PublicExpenseNumber {
    type Err = IdError;

    fn from_str(input: &str) -> Result<Self, IdError> {
        let field = IdentifierKind::PublicExpenseNumber;
        let s = digits(field, input, &[8])?;
        let prefecture = Prefecture::from_digits(field, &s[2..])?;
        verify_check_digit(field, &s)?;
        Ok(Self {
            digits: s,
            prefecture,
        })
    }
}

impl std::fmt::Display for PublicExpenseNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.digits)
    }
}

/// 法別番号 of a public-expense program. Only the programs onshi handles are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PublicExpenseProgram {
    /// 12 生活保護法による医療扶助 (medical assistance under public assistance).
    MedicalAssistance,
    /// 15 障害者総合支援法による自立支援医療 (更生医療・育成医療).
    SupportForIndependence,
    /// 54 難病の患者に対する医療等に関する法律 (intractable diseases).
    IntractableDisease,
    /// Any other 法別番号 (two digits).
    Other(u8),
}

impl PublicExpenseProgram {
    /// The program for a 法別番号.
    pub fn from_code(code: u8) -> Self {
        match code {
            12 => Self::MedicalAssistance,
            15 => Self::SupportForIndependence,
            54 => Self::IntractableDisease,
            other => Self::Other(other),
        }
    }

    /// The 法別番号.
    pub fn code(self) -> u8 {
        match self {
            Self::MedicalAssistance => 12,
            Self::SupportForIndependence => 15,
            Self::IntractableDisease => 54,
            Self::Other(code) => code,
        }
    }

    /// The Japanese name, where onshi knows it.
    pub fn label_ja(self) -> Option<&'static str> {
        match self {
            Self::MedicalAssistance => Some("生活保護（医療扶助）"),
            Self::SupportForIndependence => Some("自立支援医療"),
            Self::IntractableDisease => Some("難病医療"),
            Self::Other(_) => None,
        }
    }
}

/// 公費受給者番号: 受給者区分 (6) + 検証番号 (1). Unique only within its 公費負担者番号, so a
/// beneficiary is keyed by the pair. Personal data: `Debug` never shows it.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BeneficiaryNumber(String);

impl BeneficiaryNumber {
    /// The canonical digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for BeneficiaryNumber {
    type Err = IdError;

    fn from_str(input: &str) -> Result<Self, IdError> {
        let field = IdentifierKind::BeneficiaryNumber;
        let s = digits(field, input, &[7])?;
        verify_check_digit(field, &s)?;
        Ok(Self(s))
    }
}

impl std::fmt::Display for BeneficiaryNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Debug for BeneficiaryNumber {
    /// Personal data: the value is not shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BeneficiaryNumber(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_examples() {
        let payer: PublicExpenseNumber = "12130019".parse().unwrap();
        assert_eq!(payer.program(), PublicExpenseProgram::MedicalAssistance);
        assert_eq!(payer.prefecture().name_ja(), "東京都");
        assert_eq!(
            "1234566".parse::<BeneficiaryNumber>().unwrap().as_str(),
            "1234566"
        );
    }

    #[test]
    fn check_digits_are_enforced() {
        let e = "12130018".parse::<PublicExpenseNumber>().unwrap_err();
        assert_eq!(e.expected_check_digit(), Some(9));
        let e = "1234567".parse::<BeneficiaryNumber>().unwrap_err();
        assert_eq!(e.expected_check_digit(), Some(6));
        assert!(!e.to_string().contains("1234567"));
    }
}

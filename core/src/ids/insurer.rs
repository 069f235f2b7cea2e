//! 保険者番号 (insurer number): 8 digits (法別番号 + 都道府県番号 + 保険者別番号 + 検証番号), or 6 for
//! 国民健康保険 (no 法別番号).

use std::str::FromStr;

use super::error::IdError;
use super::kind::IdentifierKind;
use super::prefecture::Prefecture;
use super::text::{digits, verify_check_digit};

/// 保険者番号: a valid insurer number of 6 (国保) or 8 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InsurerNumber {
    digits: String,
    prefecture: Prefecture,
}

impl InsurerNumber {
    /// The prefecture the insurer belongs to.
    pub fn prefecture(&self) -> Prefecture {
        self.prefecture
    }

    /// 国民健康保険 (市町村国保 and 国保組合): the 6-digit numbers.
    pub fn is_national_health_insurance(&self) -> bool {
        self.digits.len() == 6
    }

    /// The program named by the 法別番号; `None` for 6-digit 国保 numbers.
    pub fn program(&self) -> Option<InsuranceProgram> {
        (self.digits.len() == 8).then(|| InsuranceProgram::from_code(&self.digits[..2]))
    }

    /// The 8-character form used in OQS XML: a 6-digit number is padded with two leading spaces.
    pub fn to_xml_field(&self) -> String {
        format!("{:>8}", self.digits)
    }

    /// The canonical digits.
    pub fn as_str(&self) -> &str {
        &self.digits
    }
}

impl FromStr for InsurerNumber {
    type Err = IdError;

    fn from_str(input: &str) -> Result<Self, IdError> {
        let field = IdentifierKind::InsurerNumber;
        let s = digits(field, input, &[6, 8])?;
        let prefecture_at = if s.len() == 6 { 0 } else { 2 };
        let prefecture = Prefecture::from_digits(field, &s[prefecture_at..])?;
        verify_check_digit(field, &s)?;
        Ok(Self {
            digits: s,
            prefecture,
        })
    }
}

impl std::fmt::Display for InsurerNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.digits)
    }
}

/// 法別番号 of health insurance: the program an 8-digit insurer number belongs to.
///
/// An unlisted code is not an error (new programs appear): it is kept as [`Self::Unlisted`] and
/// reported as a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InsuranceProgram {
    /// 01 全国健康保険協会管掌健康保険 (協会けんぽ)
    KyokaiKenpo,
    /// 02 船員保険
    Seamen,
    /// 03 日雇特例被保険者 (一般療養)
    DayLaborerGeneral,
    /// 04 日雇特例被保険者 (特別療養費)
    DayLaborerSpecial,
    /// 06 組合管掌健康保険 (健康保険組合)
    SocietyManaged,
    /// 07 自衛官等の療養の給付
    SelfDefenseForces,
    /// 31 国家公務員共済組合
    NationalPublicServants,
    /// 32 地方公務員等共済組合
    LocalPublicServants,
    /// 33 警察共済組合
    Police,
    /// 34 公立学校共済組合・日本私立学校振興・共済事業団
    Schools,
    /// 39 後期高齢者医療 (aged 75 and over)
    LateStageElderly,
    /// 63 特定健康保険組合 (特例退職被保険者)
    SpecifiedSocietyRetiree,
    /// 67 国民健康保険 退職者医療
    NhiRetiree,
    /// 72 国家公務員共済組合 特例退職組合員
    NationalPublicServantsRetiree,
    /// 73 地方公務員等共済組合 特例退職組合員
    LocalPublicServantsRetiree,
    /// 74 警察共済組合 特例退職組合員
    PoliceRetiree,
    /// 75 公立学校共済組合・私学共済 特例退職加入者
    SchoolsRetiree,
    /// A 法別番号 not in onshi's table (two digits).
    Unlisted(u8),
}

/// The listed programs with their codes and Japanese names: the one table for both directions.
const PROGRAMS: [(InsuranceProgram, u8, &str); 17] = [
    (
        InsuranceProgram::KyokaiKenpo,
        1,
        "全国健康保険協会管掌健康保険",
    ),
    (InsuranceProgram::Seamen, 2, "船員保険"),
    (
        InsuranceProgram::DayLaborerGeneral,
        3,
        "日雇特例被保険者（一般療養）",
    ),
    (
        InsuranceProgram::DayLaborerSpecial,
        4,
        "日雇特例被保険者（特別療養費）",
    ),
    (InsuranceProgram::SocietyManaged, 6, "組合管掌健康保険"),
    (
        InsuranceProgram::SelfDefenseForces,
        7,
        "自衛官等の療養の給付",
    ),
    (
        InsuranceProgram::NationalPublicServants,
        31,
        "国家公務員共済組合",
    ),
    (
        InsuranceProgram::LocalPublicServants,
        32,
        "地方公務員等共済組合",
    ),
    (InsuranceProgram::Police, 33, "警察共済組合"),
    (
        InsuranceProgram::Schools,
        34,
        "公立学校共済組合・日本私立学校振興・共済事業団",
    ),
    (InsuranceProgram::LateStageElderly, 39, "後期高齢者医療"),
    (
        InsuranceProgram::SpecifiedSocietyRetiree,
        63,
        "特定健康保険組合（特例退職被保険者）",
    ),
    (
        InsuranceProgram::NhiRetiree,
        67,
        "国民健康保険（退職者医療）",
    ),
    (
        InsuranceProgram::NationalPublicServantsRetiree,
        72,
        "国家公務員共済組合（特例退職組合員）",
    ),
    (
        InsuranceProgram::LocalPublicServantsRetiree,
        73,
        "地方公務員等共済組合（特例退職組合員）",
    ),
    (
        InsuranceProgram::PoliceRetiree,
        74,
        "警察共済組合（特例退職組合員）",
    ),
    (
        InsuranceProgram::SchoolsRetiree,
        75,
        "公立学校共済組合・私学共済（特例退職加入者）",
    ),
];

impl InsuranceProgram {
    /// The program for a two-digit 法別番号 (ASCII digits).
    pub fn from_code(code: &str) -> Self {
        let n: u8 = code.parse().unwrap_or(0);
        PROGRAMS
            .iter()
            .find(|(_, c, _)| *c == n)
            .map_or(Self::Unlisted(n), |(p, _, _)| *p)
    }

    /// The two-digit 法別番号.
    pub fn code(self) -> u8 {
        match self {
            Self::Unlisted(n) => n,
            listed => PROGRAMS
                .iter()
                .find(|(p, _, _)| *p == listed)
                .map_or(0, |(_, c, _)| *c),
        }
    }

    /// The Japanese name; `None` when the code is not in onshi's table.
    pub fn label_ja(self) -> Option<&'static str> {
        PROGRAMS
            .iter()
            .find(|(p, _, _)| *p == self)
            .map(|(_, _, name)| *name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::IdErrorKind;

    #[test]
    fn eight_digit_numbers() {
        let n: InsurerNumber = "01130012".parse().unwrap();
        assert_eq!(n.program(), Some(InsuranceProgram::KyokaiKenpo));
        assert_eq!(n.prefecture().name_ja(), "東京都");
        assert_eq!(n.to_xml_field(), "01130012");
        assert_eq!(
            "39131008".parse::<InsurerNumber>().unwrap().program(),
            Some(InsuranceProgram::LateStageElderly)
        );
    }

    #[test]
    fn six_digit_kokuho_and_its_xml_padding() {
        let n: InsurerNumber = "  131011".parse().unwrap();
        assert_eq!(n.to_string(), "131011");
        assert!(n.is_national_health_insurance());
        assert_eq!(n.program(), None);
        assert_eq!(n.to_xml_field(), "  131011");
    }

    #[test]
    fn full_width_input() {
        assert_eq!(
            "０１１３００１２"
                .parse::<InsurerNumber>()
                .unwrap()
                .as_str(),
            "01130012"
        );
    }

    #[test]
    fn wrong_check_digit_names_the_expected_one() {
        let e = "01130013".parse::<InsurerNumber>().unwrap_err();
        assert_eq!(e.expected_check_digit(), Some(2));
    }

    #[test]
    fn prefecture_out_of_range() {
        // 01 + 48 + 001 + check digit 1 (valid check digit, impossible prefecture).
        let e = "01480011".parse::<InsurerNumber>().unwrap_err();
        assert_eq!(e.kind(), &IdErrorKind::Prefecture { found: 48 });
    }

    #[test]
    fn unlisted_program_is_kept() {
        // 法別 99 is not a health-insurance program, but the number itself is well formed.
        let n: InsurerNumber = "99130015".parse().unwrap();
        assert_eq!(n.program(), Some(InsuranceProgram::Unlisted(99)));
        assert_eq!(InsuranceProgram::Unlisted(99).label_ja(), None);
    }

    #[test]
    fn program_codes_round_trip() {
        for (p, code, _) in PROGRAMS {
            assert_eq!(InsuranceProgram::from_code(&format!("{code:02}")), p);
            assert_eq!(p.code(), code);
        }
    }
}

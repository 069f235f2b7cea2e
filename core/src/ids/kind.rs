//! One entry point for "is this identifier valid, and why not": the identifier checker screen,
//! the bindings and the conformance vectors all go through [`check`].

use std::str::FromStr;

use super::error::IdError;
use super::institution::{LocalInstitutionCode, MedicalInstitutionCode};
use super::insured::{InsuredBranchNumber, InsuredCardSymbol, InsuredIdentificationNumber};
use super::insurer::{InsuranceProgram, InsurerNumber};
use super::prefecture::Prefecture;
use super::public_expense::{BeneficiaryNumber, PublicExpenseNumber, PublicExpenseProgram};
use crate::i18n::Message;

/// The kinds of identifier onshi validates; also names the field an [`super::IdError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentifierKind {
    /// 保険者番号
    InsurerNumber,
    /// 被保険者証記号
    InsuredCardSymbol,
    /// 被保険者証番号
    InsuredIdentificationNumber,
    /// 枝番
    InsuredBranchNumber,
    /// 公費負担者番号
    PublicExpenseNumber,
    /// 公費受給者番号
    BeneficiaryNumber,
    /// 医療機関コード (7 digits)
    LocalInstitutionCode,
    /// 医療機関等コード (10 digits)
    MedicalInstitutionCode,
}

impl IdentifierKind {
    /// Every kind, in the order a form shows them.
    pub const ALL: [Self; 8] = [
        Self::InsurerNumber,
        Self::InsuredCardSymbol,
        Self::InsuredIdentificationNumber,
        Self::InsuredBranchNumber,
        Self::PublicExpenseNumber,
        Self::BeneficiaryNumber,
        Self::LocalInstitutionCode,
        Self::MedicalInstitutionCode,
    ];

    /// The stable name used in vectors and bindings, e.g. `insurer_number`.
    pub fn code(self) -> &'static str {
        match self {
            Self::InsurerNumber => "insurer_number",
            Self::InsuredCardSymbol => "insured_card_symbol",
            Self::InsuredIdentificationNumber => "insured_identification_number",
            Self::InsuredBranchNumber => "insured_branch_number",
            Self::PublicExpenseNumber => "public_expense_number",
            Self::BeneficiaryNumber => "beneficiary_number",
            Self::LocalInstitutionCode => "local_institution_code",
            Self::MedicalInstitutionCode => "medical_institution_code",
        }
    }

    /// The kind with this stable name.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The field's name on a form, in Japanese and English.
    pub fn label(self) -> Message {
        Message::new(self.label_ja(), self.label_en())
    }
}

/// A valid identifier as a checker shows it: canonical form, what its parts mean, and warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidId {
    /// The canonical form (`Display` of the typed value).
    pub canonical: String,
    /// What the parts mean, e.g. 都道府県: 東京都.
    pub details: Vec<IdDetail>,
    /// Things that are allowed but worth a second look, e.g. an unlisted 法別番号.
    pub warnings: Vec<Message>,
}

/// One part of an identifier and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdDetail {
    /// The part's name.
    pub label: Message,
    /// Its value, e.g. `13 東京都`.
    pub value: String,
}

/// Validates `input` as an identifier of `kind`.
pub fn check(kind: IdentifierKind, input: &str) -> Result<ValidId, IdError> {
    match kind {
        IdentifierKind::InsurerNumber => parse(input, insurer),
        IdentifierKind::InsuredCardSymbol => parse(input, plain::<InsuredCardSymbol>),
        IdentifierKind::InsuredIdentificationNumber => {
            parse(input, plain::<InsuredIdentificationNumber>)
        }
        IdentifierKind::InsuredBranchNumber => parse(input, plain::<InsuredBranchNumber>),
        IdentifierKind::PublicExpenseNumber => parse(input, public_expense),
        IdentifierKind::BeneficiaryNumber => parse(input, plain::<BeneficiaryNumber>),
        IdentifierKind::LocalInstitutionCode => parse(input, local_institution),
        IdentifierKind::MedicalInstitutionCode => parse(input, institution),
    }
}

/// A check's answer as one flat record: the shape the checker screen and every binding show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdReport {
    /// The kind that was checked.
    pub kind: IdentifierKind,
    /// The canonical form, when valid.
    pub canonical: Option<String>,
    /// The error kind's stable code when invalid (see [`super::IdErrorKind::code`]).
    pub error_kind: Option<&'static str>,
    /// The check digit the body requires, for a check-digit error.
    pub expected_digit: Option<u8>,
    /// What was wrong, when invalid.
    pub message: Option<Message>,
    /// What the parts of a valid identifier mean.
    pub details: Vec<IdDetail>,
    /// Warnings on a valid identifier.
    pub warnings: Vec<Message>,
}

impl IdReport {
    /// Whether the input was valid.
    pub fn is_valid(&self) -> bool {
        self.canonical.is_some()
    }
}

/// Validates `input` as an identifier of `kind` and flattens the answer into an [`IdReport`].
pub fn report(kind: IdentifierKind, input: &str) -> IdReport {
    match check(kind, input) {
        Ok(v) => IdReport {
            kind,
            canonical: Some(v.canonical),
            error_kind: None,
            expected_digit: None,
            message: None,
            details: v.details,
            warnings: v.warnings,
        },
        Err(e) => IdReport {
            kind,
            canonical: None,
            error_kind: Some(e.kind().code()),
            expected_digit: e.expected_check_digit(),
            message: Some(e.message()),
            details: Vec::new(),
            warnings: Vec::new(),
        },
    }
}

fn parse<T: FromStr<Err = IdError> + ToString>(
    input: &str,
    describe: fn(&T) -> (Vec<IdDetail>, Vec<Message>),
) -> Result<ValidId, IdError> {
    let value: T = input.parse()?;
    let (details, warnings) = describe(&value);
    Ok(ValidId {
        canonical: value.to_string(),
        details,
        warnings,
    })
}

fn plain<T>(_: &T) -> (Vec<IdDetail>, Vec<Message>) {
    (Vec::new(), Vec::new())
}

fn detail(ja: &str, en: &str, value: String) -> IdDetail {
    IdDetail {
        label: Message::new(ja, en),
        value,
    }
}

fn prefecture_detail(p: Prefecture) -> IdDetail {
    detail(
        "都道府県",
        "prefecture",
        format!("{p} {} ({})", p.name_ja(), p.name_en()),
    )
}

fn insurer(n: &InsurerNumber) -> (Vec<IdDetail>, Vec<Message>) {
    let mut details = Vec::new();
    let mut warnings = Vec::new();
    match n.program() {
        None => details.push(detail("制度", "program", "国民健康保険".to_owned())),
        Some(program) => {
            let code = program.code();
            match program {
                InsuranceProgram::Unlisted(_) => warnings.push(Message::new(
                    format!("法別番号 {code:02} は医療保険の法別番号の一覧にありません。番号をご確認ください"),
                    format!("program code {code:02} is not a listed health-insurance program; please check the number"),
                )),
                listed => details.push(detail(
                    "法別番号",
                    "program",
                    format!("{code:02} {}", listed.label_ja().unwrap_or_default()),
                )),
            }
        }
    }
    details.push(prefecture_detail(n.prefecture()));
    (details, warnings)
}

fn public_expense(n: &PublicExpenseNumber) -> (Vec<IdDetail>, Vec<Message>) {
    let program = n.program();
    let code = program.code();
    let mut warnings = Vec::new();
    let name = match program {
        PublicExpenseProgram::Other(_) => {
            warnings.push(Message::new(
                format!("法別番号 {code:02} はonshiが扱う公費制度ではありません"),
                format!("program code {code:02} is not a public-expense program onshi handles"),
            ));
            String::new()
        }
        known => known.label_ja().unwrap_or_default().to_owned(),
    };
    let details = vec![
        detail(
            "法別番号",
            "program",
            format!("{code:02} {name}").trim_end().to_owned(),
        ),
        prefecture_detail(n.prefecture()),
    ];
    (details, warnings)
}

fn local_institution(_: &LocalInstitutionCode) -> (Vec<IdDetail>, Vec<Message>) {
    let note = Message::new(
        "検証番号は都道府県番号と点数表番号を含めて計算されるため、7桁だけでは確認できません。10桁の医療機関等コードで確認してください",
        "the check digit covers the prefecture and fee-schedule digits, so 7 digits alone cannot be verified; check the 10-digit code",
    );
    (Vec::new(), vec![note])
}

fn institution(c: &MedicalInstitutionCode) -> (Vec<IdDetail>, Vec<Message>) {
    let fee = c.fee_schedule();
    let details = vec![
        prefecture_detail(c.prefecture()),
        detail(
            "点数表",
            "fee schedule",
            format!("{} {} ({})", fee.digit(), fee.label_ja(), fee.label_en()),
        ),
        detail(
            "医療機関コード",
            "institution code",
            c.local_code().to_string(),
        ),
    ];
    (details, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in IdentifierKind::ALL {
            assert_eq!(IdentifierKind::from_code(k.code()), Some(k));
        }
        assert_eq!(IdentifierKind::from_code("nope"), None);
    }

    #[test]
    fn insurer_details() {
        let v = check(IdentifierKind::InsurerNumber, "01130012").unwrap();
        assert_eq!(v.details[0].value, "01 全国健康保険協会管掌健康保険");
        assert_eq!(v.details[1].value, "13 東京都 (Tokyo)");
        assert!(v.warnings.is_empty());
        let v = check(IdentifierKind::InsurerNumber, "99130015").unwrap();
        assert_eq!(v.warnings.len(), 1);
    }

    #[test]
    fn seven_digit_code_warns_it_cannot_be_verified() {
        let v = check(IdentifierKind::LocalInstitutionCode, "0113719").unwrap();
        assert_eq!(v.warnings.len(), 1);
    }
}

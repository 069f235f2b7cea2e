//! Identifiers (識別番号) as newtypes that can only hold valid values.
//!
//! Each type's `FromStr` accepts what staff type or what arrives on the wire: surrounding spaces
//! (ASCII or 全角) are trimmed and full-width digits become ASCII. Its `Display` gives the canonical
//! form. A failure is an [`IdError`] naming the part that failed (length, characters, prefecture,
//! fee schedule or check digit) with a message in Japanese and English.
//!
//! Types holding personal data (記号・番号・枝番, 受給者番号) never show their value in `Debug` or in
//! error messages, so they can travel through logs safely.

mod check_digit;
mod error;
mod institution;
mod insured;
mod insurer;
mod kind;
mod prefecture;
mod public_expense;
mod text;

pub use check_digit::check_digit;
pub use error::{IdError, IdErrorKind};
pub use institution::{FeeSchedule, LocalInstitutionCode, MedicalInstitutionCode};
pub use insured::{
    InsuredBranchNumber, InsuredCardSymbol, InsuredIdentificationNumber, TEXT_MAX_CHARS,
};
pub use insurer::{InsuranceProgram, InsurerNumber};
pub use kind::{IdDetail, IdReport, IdentifierKind, ValidId, check, report};
pub use prefecture::Prefecture;
pub use public_expense::{BeneficiaryNumber, PublicExpenseNumber, PublicExpenseProgram};

/// serde for identifiers through their canonical text: reading validates exactly as `FromStr`.
macro_rules! serde_via_str {
    ($($t:ty),+) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    )+};
}

serde_via_str!(
    InsurerNumber,
    InsuredCardSymbol,
    InsuredIdentificationNumber,
    InsuredBranchNumber,
    PublicExpenseNumber,
    BeneficiaryNumber,
    LocalInstitutionCode,
    MedicalInstitutionCode
);

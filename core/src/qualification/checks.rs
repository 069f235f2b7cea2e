//! データ点検: insurer data that cannot be right is flagged as a warning, never silently
//! accepted and never "corrected". Ages are computed only to warn; what the central system decided
//! (未就学, 高齢受給者証, 後期高齢) is what counts.

use serde::Serialize;

use super::record::{CopayRatio, Qualification};
use crate::i18n::Message;
use crate::ids::InsuranceProgram;
use crate::jst::{Date, Month, age_on};

/// A warning about a record's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "warning")]
pub enum DataWarning {
    /// 一部負担金割合 that the rules do not allow at this age.
    CopayImpossibleForAge {
        /// The ratio in the record (percent).
        ratio: u8,
        /// The age on the 資格確認日.
        age: u32,
    },
    /// A 後期高齢者医療 (法別 39) record for someone under 65 (65–74 join only for disability).
    LateStageUnder65 {
        /// The age.
        age: u32,
    },
    /// Someone aged 75 or over outside 後期高齢者医療 and 医療扶助.
    Aged75OutsideLateStage {
        /// The age.
        age: u32,
    },
    /// A 高齢受給者証 for someone not aged 70–74.
    ElderlyCertificateOutsideAge {
        /// The age.
        age: u32,
    },
    /// 未就学 set for a child of school age, or missing for one who is not.
    PreschoolFlagMismatch,
    /// 資格喪失年月日 on or before 資格取得年月日.
    LossBeforeAcquisition,
}

impl DataWarning {
    /// What staff see.
    pub fn message(&self) -> Message {
        match self {
            Self::CopayImpossibleForAge { ratio, age } => Message::new(
                format!(
                    "一部負担金割合 {ratio}% は {age}歳では通常ありえません。保険者の登録内容をご確認ください"
                ),
                format!(
                    "a co-payment of {ratio}% is not possible at age {age}; check the insurer's record"
                ),
            ),
            Self::LateStageUnder65 { age } => Message::new(
                format!("{age}歳で後期高齢者医療の資格があります（65歳未満は加入できません）"),
                format!(
                    "a late-stage elderly (後期高齢) qualification at age {age}, below the minimum of 65"
                ),
            ),
            Self::Aged75OutsideLateStage { age } => Message::new(
                format!("{age}歳ですが後期高齢者医療以外の資格です"),
                format!("aged {age} but not in late-stage elderly care (後期高齢)"),
            ),
            Self::ElderlyCertificateOutsideAge { age } => Message::new(
                format!("高齢受給者証は70〜74歳が対象ですが、{age}歳です"),
                format!("an elderly recipient certificate is for ages 70–74, not {age}"),
            ),
            Self::PreschoolFlagMismatch => Message::new(
                "未就学区分と生年月日が一致しません",
                "the pre-school flag does not match the birth date",
            ),
            Self::LossBeforeAcquisition => Message::new(
                "資格喪失日が資格取得日以前です",
                "the date of loss is on or before the date of acquisition",
            ),
        }
    }
}

/// Whether a child is before school on `date`: school starts on the 1 April after the 6th
/// birthday, and children born on 1 April start a year earlier (legal age rises the day before).
pub fn is_preschool_age(birth: Date, date: Date) -> bool {
    let start_year = if (birth.month(), birth.day()) <= (Month::April, 1) {
        birth.year() + 6
    } else {
        birth.year() + 7
    };
    Date::from_calendar_date(start_year, Month::April, 1).is_ok_and(|start| date < start)
}

/// The co-payment ratios the rules allow at an age (health insurance; 医療扶助 has none).
fn allowed_copay(age: u32, preschool: bool, late_stage: bool) -> &'static [u8] {
    if late_stage || age >= 75 {
        &[10, 20, 30]
    } else if age >= 70 {
        &[20, 30]
    } else if preschool {
        &[20]
    } else {
        &[30]
    }
}

/// Checks a record against the rules it must follow on `date`.
pub fn check_record(q: &Qualification, date: Date) -> Vec<DataWarning> {
    let mut warnings = Vec::new();
    let age = age_on(q.birthdate, date);
    let late_stage = q
        .insurer_number
        .as_ref()
        .and_then(|n| n.program())
        .is_some_and(|p| p == InsuranceProgram::LateStageElderly);
    let preschool_age = is_preschool_age(q.birthdate, date);

    if let (Some(a), Some(l)) = (q.qualification_date, q.disqualification_date)
        && l <= a
    {
        warnings.push(DataWarning::LossBeforeAcquisition);
    }
    if q.is_medical_assistance() {
        return warnings;
    }
    if q.preschool != preschool_age {
        warnings.push(DataWarning::PreschoolFlagMismatch);
    }
    let ratio = q
        .elderly_recipient
        .as_ref()
        .map(|e| e.copay_ratio)
        .or(q.copay_ratio);
    if let Some(CopayRatio(ratio)) = ratio
        && !allowed_copay(age, preschool_age, late_stage).contains(&ratio)
    {
        warnings.push(DataWarning::CopayImpossibleForAge { ratio, age });
    }
    if late_stage && age < 65 {
        warnings.push(DataWarning::LateStageUnder65 { age });
    }
    if !late_stage && age >= 75 {
        warnings.push(DataWarning::Aged75OutsideLateStage { age });
    }
    if q.elderly_recipient.is_some() && !(70..75).contains(&age) {
        warnings.push(DataWarning::ElderlyCertificateOutsideAge { age });
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn school_starts_on_the_april_after_the_sixth_birthday() {
        assert!(is_preschool_age(
            date!(2019 - 04 - 02),
            date!(2026 - 03 - 31)
        ));
        assert!(!is_preschool_age(
            date!(2019 - 04 - 02),
            date!(2026 - 04 - 01)
        ));
        // Born 1 April: one grade earlier.
        assert!(!is_preschool_age(
            date!(2019 - 04 - 01),
            date!(2025 - 04 - 01)
        ));
        assert!(is_preschool_age(
            date!(2019 - 04 - 01),
            date!(2025 - 03 - 31)
        ));
    }

    #[test]
    fn copay_sets() {
        assert_eq!(allowed_copay(40, false, false), &[30]);
        assert_eq!(allowed_copay(3, true, false), &[20]);
        assert_eq!(allowed_copay(72, false, false), &[20, 30]);
        assert_eq!(allowed_copay(80, false, true), &[10, 20, 30]);
    }
}

//! 合成人口 (the synthetic population): people with qualifications of every kind — 被用者保険 and their
//! families, 国保, 後期高齢, job changers, lost qualifications, 医療扶助 with 医療券 — and their medical
//! history, generated deterministically from a seed, written to the registry fast (`onshi-server
//! seed`), and given virtual マイナンバーカード on demand in the sandbox.
//!
//! SANDBOX ONLY: every person, number and card here is made up; the cards chain to a TEST root.

pub mod cards;
pub mod catalog;
pub mod generate;
pub mod history;
pub mod household;
pub mod names;
pub mod rng;
pub mod sample_list;
pub mod sandbox;
pub mod store;

use serde::{Deserialize, Serialize};

pub use cards::{IssuedCard, issue_card};
pub use generate::{SyntheticPerson, index_of, person, person_id};
pub use sandbox::routes;
pub use store::{SeedSummary, seed};

/// 医療機関等コード of the demo institutions, all in 東京都 (13), valid for core's check digit:
/// `[0]` 訪問看護ステーション (点数表 6), `[1]` 柔道整復 施術所 (recorded under 点数表 1, the only
/// fee schedules core accepts being 1, 3, 4 and 6), `[2]` 医科診療所 (点数表 1). 医療券 of some
/// 医療扶助 recipients name them, and the demo card holder デモ　花子 is a home-visit patient of the
/// clinic.
pub const DEMO_INSTITUTIONS: [&str; 3] = ["1360100018", "1312000019", "1310100019"];

/// Names of [`DEMO_INSTITUTIONS`] as the population's histories show them (the institutions
/// themselves are registered separately, with their own names).
pub const DEMO_INSTITUTION_NAMES: [&str; 3] = [
    "デモ訪問看護ステーション",
    "デモ接骨院",
    "デモ在宅クリニック",
];

/// The kinds of case a synthetic person is an example of (one person can be several).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonKind {
    /// A holder of one of the four demo cards (persons 0–3).
    Demo,
    /// 被用者保険の本人 (協会けんぽ, 健保組合, 共済, 船員, 自衛官).
    Employee,
    /// 被扶養者 (家族).
    Dependant,
    /// 国民健康保険 (市町村国保 or 国保組合).
    NationalHealthInsurance,
    /// 後期高齢者医療 (75 and over).
    LateStageElderly,
    /// 高齢受給者 (70–74, with a 高齢受給者証).
    ElderlyRecipient,
    /// 未就学 (co-payment 20 %).
    Preschool,
    /// Changed jobs: the old numbers answer 無効（新しい資格あり）.
    JobChanger,
    /// Turned 75: the old 国保 numbers answer 無効（新しい資格あり）.
    Turned75,
    /// Every record lost (死亡, 国外転出): 無効.
    Lost,
    /// 医療扶助 (生活保護) with 医療券・調剤券.
    MedicalAid,
    /// 限度額適用認定証.
    LimitCertificate,
    /// 特定疾病療養受療証 (人工透析, 血友病).
    SpecificDisease,
}

impl PersonKind {
    /// Every kind.
    pub const ALL: &'static [Self] = &[
        Self::Demo,
        Self::Employee,
        Self::Dependant,
        Self::NationalHealthInsurance,
        Self::LateStageElderly,
        Self::ElderlyRecipient,
        Self::Preschool,
        Self::JobChanger,
        Self::Turned75,
        Self::Lost,
        Self::MedicalAid,
        Self::LimitCertificate,
        Self::SpecificDisease,
    ];

    /// The stored and query form (`job_changer`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Demo => "demo",
            Self::Employee => "employee",
            Self::Dependant => "dependant",
            Self::NationalHealthInsurance => "national_health_insurance",
            Self::LateStageElderly => "late_stage_elderly",
            Self::ElderlyRecipient => "elderly_recipient",
            Self::Preschool => "preschool",
            Self::JobChanger => "job_changer",
            Self::Turned75 => "turned75",
            Self::Lost => "lost",
            Self::MedicalAid => "medical_aid",
            Self::LimitCertificate => "limit_certificate",
            Self::SpecificDisease => "specific_disease",
        }
    }

    /// The kind named `s`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use onshi_core::facility::FacilityKind;
    use onshi_core::ids::{FeeSchedule, MedicalInstitutionCode};

    #[test]
    fn demo_institutions_are_valid_tokyo_codes_of_their_fee_schedule() {
        let parsed: Vec<MedicalInstitutionCode> = DEMO_INSTITUTIONS
            .iter()
            .map(|c| c.parse().unwrap_or_else(|e| panic!("{c}: {e}")))
            .collect();
        assert!(parsed.iter().all(|c| c.prefecture().number() == 13));
        assert_eq!(parsed[0].fee_schedule(), FeeSchedule::HomeNursing);
        assert_eq!(parsed[2].fee_schedule(), FeeSchedule::Medical);
        let _ = FacilityKind::JudoTherapyClinic;
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in PersonKind::ALL {
            assert_eq!(PersonKind::parse(k.as_str()), Some(*k));
            assert_eq!(
                serde_json::to_value(k).ok(),
                Some(serde_json::Value::String(k.as_str().to_owned()))
            );
        }
    }
}

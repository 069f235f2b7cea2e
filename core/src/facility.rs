//! 施設 (facilities), 運用形態 (operating types) and the capability matrix: what a facility may
//! receive in a scenario.

use serde::{Deserialize, Serialize};

/// 施設種別: the kind of facility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FacilityKind {
    /// 病院
    Hospital,
    /// 医科診療所
    MedicalClinic,
    /// 歯科診療所
    DentalClinic,
    /// 薬局
    Pharmacy,
    /// 訪問看護ステーション
    HomeNursingStation,
    /// 施術所（柔道整復）under 受領委任
    JudoTherapyClinic,
    /// 施術所（あん摩マッサージ指圧・はり・きゅう）under 受領委任
    AhakiClinic,
    /// 健診実施機関 (特定健診・特定保健指導)
    HealthCheckupProvider,
    /// 助産所 (出産育児一時金 直接支払制度)
    MidwiferyHome,
    /// 職域診療所 (workplace clinic with a substitute institution code)
    WorkplaceClinic,
}

impl FacilityKind {
    /// Every kind.
    pub const ALL: [Self; 10] = [
        Self::Hospital,
        Self::MedicalClinic,
        Self::DentalClinic,
        Self::Pharmacy,
        Self::HomeNursingStation,
        Self::JudoTherapyClinic,
        Self::AhakiClinic,
        Self::HealthCheckupProvider,
        Self::MidwiferyHome,
        Self::WorkplaceClinic,
    ];

    /// The Japanese name.
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Hospital => "病院",
            Self::MedicalClinic => "医科診療所",
            Self::DentalClinic => "歯科診療所",
            Self::Pharmacy => "薬局",
            Self::HomeNursingStation => "訪問看護ステーション",
            Self::JudoTherapyClinic => "施術所（柔道整復）",
            Self::AhakiClinic => "施術所（あはき）",
            Self::HealthCheckupProvider => "健診実施機関",
            Self::MidwiferyHome => "助産所",
            Self::WorkplaceClinic => "職域診療所",
        }
    }

    /// Whether the facility is an insured-care institution (保険医療機関・薬局 or 訪問看護), which
    /// runs the standard system. The others may only use 資格確認限定型.
    pub fn is_insured_care(self) -> bool {
        matches!(
            self,
            Self::Hospital
                | Self::MedicalClinic
                | Self::DentalClinic
                | Self::Pharmacy
                | Self::HomeNursingStation
                | Self::WorkplaceClinic
        )
    }

    /// Whether the operating type is open to this kind of facility.
    pub fn may_operate(self, op: OperatingType) -> bool {
        match op {
            OperatingType::Standard => self.is_insured_care(),
            // An added function of the standard system; a 職域診療所 has no home-care designation.
            OperatingType::ConsentAtHome => self.is_insured_care() && self != Self::WorkplaceClinic,
            // Also used by insured-care institutions under transitional exemptions (2号/4号/6号)
            // or allowed paper claims.
            OperatingType::QualificationOnly => true,
        }
    }
}

/// 運用形態: how a facility runs online eligibility checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperatingType {
    /// 既存型: the in-clinic face reader and terminal.
    Standard,
    /// 居宅同意取得型: consent taken at the patient's place (home visits, online, fever clinic, bedside).
    ConsentAtHome,
    /// 資格確認限定型: qualification only, on a generic reader or NFC phone.
    QualificationOnly,
}

/// 情報の種類: what a facility may receive about a patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Information {
    /// 資格情報
    Qualification,
    /// 限度額適用認定証情報
    LimitCertificate,
    /// 特定疾病療養受療証情報
    SpecificDiseaseCertificate,
    /// 薬剤情報
    Medication,
    /// 診療情報
    Diagnosis,
    /// 手術情報
    Surgery,
    /// 特定健診等情報
    HealthCheckups,
}

impl Information {
    /// Every kind of information.
    pub const ALL: [Self; 7] = [
        Self::Qualification,
        Self::LimitCertificate,
        Self::SpecificDiseaseCertificate,
        Self::Medication,
        Self::Diagnosis,
        Self::Surgery,
        Self::HealthCheckups,
    ];

    /// How many years back the central system provides this information: 薬剤情報 3 years, 診療・手術・
    /// 特定健診等情報 5 years [手引き2020]; `None` for what is not a history.
    pub fn history_years(self) -> Option<u8> {
        match self {
            Self::Medication => Some(3),
            Self::Diagnosis | Self::Surgery | Self::HealthCheckups => Some(5),
            Self::Qualification | Self::LimitCertificate | Self::SpecificDiseaseCertificate => None,
        }
    }

    /// 要配慮個人情報: medical data that needs consent and a licensed viewer.
    pub fn is_medical(self) -> bool {
        matches!(
            self,
            Self::Medication | Self::Diagnosis | Self::Surgery | Self::HealthCheckups
        )
    }
}

/// Whether pharmacies may view 特定健診等情報: **the sources conflict.** The 2020 guide limits it to
/// 病院・診療所; the 2024 figures count about 1.5 million views at pharmacies. onshi allows it by
/// default until the current official rule is confirmed; an operator can restrict it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PharmacyCheckupPolicy {
    /// Pharmacies may view check-ups (as the 2024 figures show happening).
    #[default]
    Allow,
    /// Only 病院・診療所 (as the 2020 guide says).
    Deny,
}

/// The question "may this facility, in this scenario, receive this?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapabilityQuery {
    /// The facility's kind.
    pub facility: FacilityKind,
    /// How it runs the check.
    pub operating_type: OperatingType,
    /// What it asks for.
    pub information: Information,
    /// Whether the patient was identified with the card (マイナ保険証) rather than numbers.
    pub card_used: bool,
    /// Whether the person viewing is licensed (有資格者: 医師, 歯科医師, 薬剤師, 看護師 and the like).
    pub licensed_viewer: bool,
    /// The pharmacy check-up policy in force.
    #[serde(default)]
    pub pharmacy_checkups: PharmacyCheckupPolicy,
}

/// The answer: allowed outright, allowed under a valid consent, or denied and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "access", content = "reason")]
pub enum Capability {
    /// Provided without consent (資格情報; 限度額 since the 2024 change).
    Allowed,
    /// Provided only under an active consent for the item.
    RequiresConsent,
    /// Never provided; the request must not even be built.
    Denied(Denial),
}

/// Why a capability is denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Denial {
    /// The facility cannot use this operating type.
    OperatingTypeNotAvailable,
    /// 資格確認限定型 receives qualification only.
    QualificationOnlyFacility,
    /// 特定疾病 is provided only when the card was used.
    RequiresCard,
    /// Medical data is for licensed staff only.
    NotLicensed,
    /// The pharmacy check-up policy forbids it.
    PharmacyCheckupsRestricted,
}

impl Denial {
    /// The stable error code (flows §11).
    pub fn code(self) -> &'static str {
        match self {
            Self::OperatingTypeNotAvailable => "FACILITY_NOT_ALLOWED",
            Self::QualificationOnlyFacility | Self::PharmacyCheckupsRestricted => {
                "FORBIDDEN_FOR_FACILITY_TYPE"
            }
            Self::RequiresCard => "CARD_REQUIRED",
            Self::NotLicensed => "VIEWER_NOT_LICENSED",
        }
    }
}

/// Decides what a facility may receive. One rule for every channel.
pub fn capability(q: &CapabilityQuery) -> Capability {
    use Capability::{Allowed, Denied, RequiresConsent};
    if !q.facility.may_operate(q.operating_type) {
        return Denied(Denial::OperatingTypeNotAvailable);
    }
    if q.operating_type == OperatingType::QualificationOnly {
        // Nothing but 資格情報: 限度額 and 特定疾病 are not stated for this type, and onshi keeps
        // to "qualification only" rather than guess.
        return if q.information == Information::Qualification {
            Allowed
        } else {
            Denied(Denial::QualificationOnlyFacility)
        };
    }
    match q.information {
        Information::Qualification | Information::LimitCertificate => Allowed,
        Information::SpecificDiseaseCertificate if !q.card_used => Denied(Denial::RequiresCard),
        Information::SpecificDiseaseCertificate => RequiresConsent,
        medical => {
            debug_assert!(medical.is_medical());
            if !q.licensed_viewer {
                Denied(Denial::NotLicensed)
            } else if medical == Information::HealthCheckups
                && q.facility == FacilityKind::Pharmacy
                && q.pharmacy_checkups == PharmacyCheckupPolicy::Deny
            {
                Denied(Denial::PharmacyCheckupsRestricted)
            } else {
                RequiresConsent
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(
        facility: FacilityKind,
        op: OperatingType,
        information: Information,
    ) -> CapabilityQuery {
        CapabilityQuery {
            facility,
            operating_type: op,
            information,
            card_used: true,
            licensed_viewer: true,
            pharmacy_checkups: PharmacyCheckupPolicy::default(),
        }
    }

    #[test]
    fn qualification_only_never_gets_anything_else() {
        for facility in FacilityKind::ALL {
            for information in Information::ALL {
                let c = capability(&query(
                    facility,
                    OperatingType::QualificationOnly,
                    information,
                ));
                if information == Information::Qualification {
                    assert_eq!(c, Capability::Allowed);
                } else {
                    assert_eq!(c, Capability::Denied(Denial::QualificationOnlyFacility));
                }
            }
        }
    }

    #[test]
    fn judo_therapy_cannot_run_the_standard_system() {
        let q = query(
            FacilityKind::JudoTherapyClinic,
            OperatingType::Standard,
            Information::Qualification,
        );
        assert_eq!(
            capability(&q),
            Capability::Denied(Denial::OperatingTypeNotAvailable)
        );
    }

    #[test]
    fn pharmacy_checkups_follow_the_named_policy() {
        // The sources conflict (2020 guide: no; 2024 figures: 1.5 million views). Default: allow.
        let mut q = query(
            FacilityKind::Pharmacy,
            OperatingType::Standard,
            Information::HealthCheckups,
        );
        assert_eq!(capability(&q), Capability::RequiresConsent);
        q.pharmacy_checkups = PharmacyCheckupPolicy::Deny;
        assert_eq!(
            capability(&q),
            Capability::Denied(Denial::PharmacyCheckupsRestricted)
        );
    }

    #[test]
    fn specific_disease_needs_the_card_and_medical_data_a_licensed_viewer() {
        let mut q = query(
            FacilityKind::MedicalClinic,
            OperatingType::ConsentAtHome,
            Information::SpecificDiseaseCertificate,
        );
        q.card_used = false;
        assert_eq!(capability(&q), Capability::Denied(Denial::RequiresCard));
        let mut q = query(
            FacilityKind::HomeNursingStation,
            OperatingType::ConsentAtHome,
            Information::Medication,
        );
        assert_eq!(capability(&q), Capability::RequiresConsent);
        q.licensed_viewer = false;
        assert_eq!(capability(&q), Capability::Denied(Denial::NotLicensed));
        let q = query(
            FacilityKind::Hospital,
            OperatingType::Standard,
            Information::LimitCertificate,
        );
        assert_eq!(capability(&q), Capability::Allowed);
    }

    #[test]
    fn every_medical_kind_has_a_history_depth_and_nothing_else_does() {
        for i in Information::ALL {
            assert_eq!(i.history_years().is_some(), i.is_medical(), "{i:?}");
        }
        assert_eq!(Information::Medication.history_years(), Some(3));
    }
}

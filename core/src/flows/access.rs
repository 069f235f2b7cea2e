//! 医療情報の提供判断: whether medical information may be returned for one request. Every check is
//! made here, before anything is sent or shown: the facility's capability, the card certificate's
//! state, and an active consent for the item — or a disaster measure in force with the patient's
//! (usually oral) consent recorded, or the exception for a patient who cannot express their will.

use serde::{Deserialize, Serialize};

use super::cert_grace::CertificateStatus;
use crate::consent::{Consent, ConsentItem, ConsentState};
use crate::facility::{Capability, CapabilityQuery, Information, capability};
use crate::i18n::Message;
use crate::ids::MedicalInstitutionCode;
use crate::jst::{Date, JstDateTime, age_on};

/// 災害時の特例措置: declared by MHLW for institutions or prefectures and a period. onshi never
/// infers one; it is received from outside and set by an administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisasterMeasure {
    /// The measure's identifier, logged with every access under it.
    pub id: String,
    /// Institutions covered by code.
    #[serde(default)]
    pub institutions: Vec<MedicalInstitutionCode>,
    /// Prefectures covered (都道府県番号 1–47).
    #[serde(default)]
    pub prefectures: Vec<u8>,
    /// In force from (JST).
    #[serde(with = "crate::jst::serde_datetime")]
    pub from: JstDateTime,
    /// In force through (JST).
    #[serde(with = "crate::jst::serde_datetime")]
    pub to: JstDateTime,
}

impl DisasterMeasure {
    /// Whether the measure covers `institution` at `now`.
    pub fn covers(&self, institution: &MedicalInstitutionCode, now: JstDateTime) -> bool {
        (self.from..=self.to).contains(&now)
            && (self.institutions.contains(institution)
                || self
                    .prefectures
                    .contains(&institution.prefecture().number()))
    }
}

/// What was recorded about consent under a disaster measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisasterConsent {
    /// The patient consented (usually orally).
    Given,
    /// The patient cannot express their will and viewing is needed to protect life or health.
    CannotExpressVitalNeed,
    /// Nothing recorded.
    None,
}

/// One request for medical information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequest {
    /// Facility, operating type, information, card used, licensed viewer.
    pub capability: CapabilityQuery,
    /// The requesting institution.
    pub institution: MedicalInstitutionCode,
    /// The patient's consent for the item covering the information, if any.
    #[serde(default)]
    pub consent: Option<Consent>,
    /// The moment of the request (JST).
    #[serde(with = "crate::jst::serde_datetime")]
    pub now: JstDateTime,
    /// Whether the care relationship continues (home visits, bedside).
    #[serde(default)]
    pub care_continues: bool,
    /// The card certificate's state at the identity check, when a card was used.
    #[serde(default)]
    pub certificate: Option<CertificateStatus>,
    /// The patient's birth date (for the 特定健診 age note).
    #[serde(default, with = "crate::jst::serde_opt_date")]
    pub birthdate: Option<Date>,
    /// Disaster measures in force anywhere.
    #[serde(default)]
    pub disaster_measures: Vec<DisasterMeasure>,
    /// Consent recorded under a disaster measure.
    #[serde(default = "no_disaster_consent")]
    pub disaster_consent: DisasterConsent,
}

fn no_disaster_consent() -> DisasterConsent {
    DisasterConsent::None
}

/// The grant: on what basis, and any note for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "basis")]
pub enum Grant {
    /// No consent needed (資格情報, 限度額).
    NoConsentNeeded,
    /// An active consent.
    Consent {
        /// A note, e.g. 特定健診 consent from someone under 40.
        warning: Option<String>,
    },
    /// A disaster measure, logged with its identifier.
    DisasterMeasure {
        /// The measure.
        measure: String,
        /// Consent given, or the vital-need exception.
        consent: DisasterConsent,
    },
}

/// Why medical information is refused, with onshi's code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AccessRefusal {
    /// onshi's code.
    pub code: &'static str,
    /// What it means and what to do.
    pub message: Message,
}

/// Decides one request.
pub fn decide_access(r: &AccessRequest) -> Result<Grant, AccessRefusal> {
    let refuse = |code, ja: &str, en: &str| AccessRefusal {
        code,
        message: Message::new(ja, en),
    };
    match capability(&r.capability) {
        Capability::Allowed => return Ok(Grant::NoConsentNeeded),
        Capability::Denied(d) => {
            return Err(refuse(
                d.code(),
                "この施設・場面ではこの情報を取得できません",
                "this facility may not receive this information in this scenario",
            ));
        }
        Capability::RequiresConsent => {}
    }
    if r.certificate
        .is_some_and(|c| !c.allows_medical_information())
    {
        return Err(refuse(
            "CARD_CERT_EXPIRED_GRACE",
            "電子証明書の有効期限切れのため、医療情報は提供できません（資格確認のみ可能）",
            "the card's certificate has expired: qualification only, no medical information",
        ));
    }
    let item = ConsentItem::covering(r.capability.information);
    let consent = r.consent.filter(|c| Some(c.item) == item);
    let state = consent.map_or(ConsentState::Absent, |c| {
        c.state_at(r.now, r.care_continues)
    });
    if state == ConsentState::Active {
        let warning = (r.capability.information == Information::HealthCheckups)
            .then(|| r.birthdate.map(|b| age_on(b, r.now.date())))
            .flatten()
            .filter(|age| *age < 40)
            .map(|age| format!("特定健診は40歳以上が対象です（{age}歳） (check-ups are for ages 40 and over; age {age})"));
        return Ok(Grant::Consent { warning });
    }
    if let Some(m) = r
        .disaster_measures
        .iter()
        .find(|m| m.covers(&r.institution, r.now))
        && r.disaster_consent != DisasterConsent::None
    {
        return Ok(Grant::DisasterMeasure {
            measure: m.id.clone(),
            consent: r.disaster_consent,
        });
    }
    let code = state.refusal_code().unwrap_or("CONSENT_NOT_FOUND");
    let (ja, en) = match state {
        ConsentState::Expired => (
            "同意の有効期間が終了しています。必要なら同意を登録し直してください（資格情報は確認できます）",
            "the consent has expired; register it again if needed (the qualification is still available)",
        ),
        ConsentState::Revoked { .. } => (
            "同意は取り消されています。医療情報は提供できません（資格情報は確認できます）",
            "the consent was revoked; no medical information (the qualification is still available)",
        ),
        _ => (
            "この情報の提供への同意がありません（資格情報は確認できます）",
            "no consent to this information (the qualification is still available)",
        ),
    };
    Err(refuse(code, ja, en))
}

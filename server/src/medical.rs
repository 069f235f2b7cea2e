//! 医療情報の提供 (medical information): 薬剤 (3 years), 診療・手術 and 特定健診 (5 years) for an
//! institution's patient — only when core's access decision grants it (the facility's capability, a
//! licensed viewer, the card certificate's state, an active consent for the item or a disaster
//! measure) and only after the access is appended to the hash-chained audit log in the same
//! transaction. A refusal is logged too, so the patient's list shows attempts as well.

use onshi_core::consent::ConsentItem;
use onshi_core::facility::{CapabilityQuery, Information, PharmacyCheckupPolicy};
use onshi_core::flows::{AccessRequest, DisasterConsent, Grant, decide_access};
use onshi_core::jst::{Date, add_months_clamped, format_date, parse_date};
use serde::{Deserialize, Serialize};

use crate::audit::{self, AuditEntry};
use crate::consent::store::{self, CareRelationship};
use crate::device::DeviceIdentity;
use crate::error::ApiError;
use crate::institutions::Institution;
use crate::population::history::{Checkup, Diagnosis, DiagnosisKind, Dispensing};
use crate::population::store as history;
use crate::state::AppState;

/// The request's options (query string).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MedicalQuery {
    /// From this date (`YYYYMMDD`), within the kind's depth.
    #[serde(default)]
    pub since: Option<String>,
    /// The viewer is licensed staff (医師・歯科医師・薬剤師・看護師等), as the institution attests.
    #[serde(default)]
    pub licensed: bool,
    /// Consent recorded orally under a disaster measure (`given`, `cannot_express_vital_need`).
    #[serde(default)]
    pub disaster_consent: Option<DisasterConsent>,
}

/// The rows of one kind.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "rows")]
pub enum Rows {
    /// 薬剤情報.
    Medications(Vec<Dispensing>),
    /// 診療情報 (diagnoses).
    Diagnoses(Vec<Diagnosis>),
    /// 手術情報.
    Surgeries(Vec<Diagnosis>),
    /// 特定健診等情報.
    Checkups(Vec<Checkup>),
}

/// What is returned: the rows, on what basis, and until when the consent holds.
#[derive(Debug, Clone, Serialize)]
pub struct MedicalAnswer {
    /// The kind of information.
    pub information: Information,
    /// From (`YYYYMMDD`).
    pub since: String,
    /// Core's grant (consent, or a disaster measure) with any note for staff.
    pub basis: Grant,
    /// The consent's window, for showing how long viewing stays possible.
    pub window: Option<onshi_core::consent::ConsentWindow>,
    /// The audit row that recorded this access.
    pub audit: audit::AuditReceipt,
    /// The rows.
    pub rows: Rows,
}

fn information_of(path: &str) -> Result<Information, ApiError> {
    match path {
        "medications" => Ok(Information::Medication),
        "diagnoses" => Ok(Information::Diagnosis),
        "surgeries" => Ok(Information::Surgery),
        "checkups" => Ok(Information::HealthCheckups),
        _ => Err(ApiError::not_found(
            "MEDICAL_KIND_UNKNOWN",
            "情報の種類は medications, diagnoses, surgeries, checkups のいずれかです",
            "the kind must be medications, diagnoses, surgeries or checkups",
        )),
    }
}

/// Reads one kind of medical information for the institution's patient `patient`.
pub async fn read(
    state: &AppState,
    institution: &Institution,
    device: &DeviceIdentity,
    patient: &str,
    kind: &str,
    query: &MedicalQuery,
) -> Result<MedicalAnswer, ApiError> {
    let information = information_of(kind)?;
    let care: CareRelationship = store::care(&state.db, &institution.code, patient).await?;
    let now = state.now();
    let item = ConsentItem::covering(information);
    let consent = store::current_consents(&state.db, &care.person, Some(&institution.code))
        .await?
        .into_iter()
        .find(|c| Some(c.consent.item) == item)
        .map(|c| c.consent);
    let birthdate: Option<String> =
        sqlx::query_scalar("SELECT birthdate FROM persons WHERE id = $1")
            .bind(&care.person)
            .fetch_optional(&state.db.pool)
            .await?;
    let request = AccessRequest {
        capability: CapabilityQuery {
            facility: institution.facility,
            operating_type: institution.operating,
            information,
            card_used: true,
            licensed_viewer: query.licensed,
            pharmacy_checkups: PharmacyCheckupPolicy::default(),
        },
        institution: institution
            .code
            .parse()
            .map_err(|e| ApiError::internal(format_args!("stored code: {e}")))?,
        consent,
        now,
        care_continues: care.active,
        certificate: Some(care.certificate),
        birthdate: birthdate.as_deref().and_then(|b| parse_date(b).ok()),
        // Core decides which measure covers this institution now.
        disaster_measures: crate::disaster::all(state).await?,
        disaster_consent: query.disaster_consent.unwrap_or(DisasterConsent::None),
    };
    let entry = |action: &str, basis: String| AuditEntry {
        at: now,
        institution: institution.code.clone(),
        device_id: Some(device.device_id.clone()),
        person: care.person.clone(),
        action: action.to_owned(),
        information: crate::db::name_of(&information),
        basis,
    };
    let grant = match decide_access(&request) {
        Ok(g) => g,
        Err(refusal) => {
            let mut tx = state.db.pool.begin().await?;
            audit::append(&mut tx, &entry("refused", refusal.code.to_owned())).await?;
            tx.commit().await?;
            state.metrics.event("medical_refused");
            return Err(ApiError::refused(refusal.code, refusal.message));
        }
    };
    let years = information
        .history_years()
        .map(i32::from)
        .ok_or_else(|| ApiError::internal(format_args!("{information:?} has no history")))?;
    let oldest = add_months_clamped(now.date(), -12 * years);
    let since = match query.since.as_deref() {
        Some(s) => parse_date(s)
            .map_err(|e| ApiError::bad_request("DATE_INVALID", &e.to_string(), &e.to_string()))?
            .max(oldest),
        None => oldest,
    };
    let rows = fetch(state, &care.person, information, since).await?;
    let basis = serde_json::to_string(&grant).map_err(ApiError::internal)?;
    let mut tx = state.db.pool.begin().await?;
    let receipt = audit::append(&mut tx, &entry("view", basis)).await?;
    tx.commit().await?;
    state.metrics.event("medical_viewed");
    Ok(MedicalAnswer {
        information,
        since: format_date(since),
        basis: grant,
        window: request.consent.map(|c| c.window),
        audit: receipt,
        rows,
    })
}

async fn fetch(
    state: &AppState,
    person: &str,
    information: Information,
    since: Date,
) -> Result<Rows, ApiError> {
    let db = &state.db;
    Ok(match information {
        Information::Medication => {
            Rows::Medications(history::medications(db, person, since).await?)
        }
        Information::HealthCheckups => Rows::Checkups(history::checkups(db, person, since).await?),
        Information::Surgery | Information::Diagnosis => {
            let want = if information == Information::Surgery {
                DiagnosisKind::Surgery
            } else {
                DiagnosisKind::Disease
            };
            let rows = history::diagnoses(db, person, since)
                .await?
                .into_iter()
                .filter(|d| d.kind == want)
                .collect();
            if want == DiagnosisKind::Surgery {
                Rows::Surgeries(rows)
            } else {
                Rows::Diagnoses(rows)
            }
        }
        other => {
            return Err(ApiError::internal(format_args!("not medical: {other:?}")));
        }
    })
}

//! 資格確認・再照会 (qualification checks and re-inquiry): what an institution gets back for one person
//! on one 資格確認日 — core's determination, the record filtered by what this institution may receive
//! (core's capability matrix and access decision), core's data warnings, and the 医療扶助 view for this
//! institution. The person key never leaves the service.

use onshi_core::consent::ConsentItem;
use onshi_core::facility::{CapabilityQuery, Information, PharmacyCheckupPolicy, capability};
use onshi_core::flows::{
    AccessRequest, DisasterConsent, ReinquiryContext, decide_access, reinquiry_allowed,
};
use onshi_core::i18n::Message;
use onshi_core::ids::MedicalInstitutionCode;
use onshi_core::jst::{Date, format_date, parse_date};
use onshi_core::qualification::{
    Determination, MedAidQuery, MedAidSituation, Qualification, QueryKey, check_record,
    medaid_pattern, medaid_view,
};
use serde::{Deserialize, Serialize};

use crate::consent::store::{self, CareRelationship};
use crate::error::ApiError;
use crate::institutions::Institution;
use crate::registry::{self, Lookup};
use crate::state::AppState;

/// Something the record holds that this answer leaves out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Withheld {
    /// What was left out.
    pub information: Information,
    /// onshi's code (`CARD_REQUIRED`, `FORBIDDEN_FOR_FACILITY_TYPE`, `CONSENT_NOT_FOUND`, …).
    pub code: String,
}

/// The answer to one check: the full result model as this institution may see it.
#[derive(Debug, Clone, Serialize)]
pub struct QualificationAnswer {
    /// 資格確認日 (`YYYYMMDD`).
    pub date: String,
    /// 資格有効性, onshi's code and what to do.
    pub determination: Determination,
    /// The record shown (current, or the last one for reference), filtered for this institution.
    pub qualification: Option<Qualification>,
    /// 医療扶助 display pattern for this institution, for a 医療扶助 record.
    pub medical_assistance_pattern: Option<onshi_core::qualification::MedAidPattern>,
    /// Warnings about data that cannot be right (core's checks).
    pub warnings: Vec<Message>,
    /// What was left out and why.
    pub withheld: Vec<Withheld>,
}

/// How the person was identified at this answer, for what may be shown.
#[derive(Debug, Clone, Copy)]
pub struct Basis<'a> {
    /// A card verified the person (now, or at the first visit for 再照会).
    pub card_used: bool,
    /// The care relationship, for consent-bound items (特定疾病).
    pub care: Option<&'a CareRelationship>,
    /// How the 医療扶助 qualification was asked for.
    pub medaid_query: MedAidQuery,
}

/// The date asked for, or today.
pub fn date_or_today(state: &AppState, date: Option<&str>) -> Result<Date, ApiError> {
    match date {
        None => Ok(state.now().date()),
        Some(s) => parse_date(s)
            .map_err(|e| ApiError::bad_request("DATE_INVALID", &e.to_string(), &e.to_string())),
    }
}

fn institution_code(institution: &Institution) -> Result<MedicalInstitutionCode, ApiError> {
    institution
        .code
        .parse()
        .map_err(|e| ApiError::internal(format_args!("stored code: {e}")))
}

/// Builds the answer from a lookup.
pub async fn answer(
    state: &AppState,
    institution: &Institution,
    lookup: Lookup,
    date: Date,
    basis: Basis<'_>,
) -> Result<QualificationAnswer, ApiError> {
    let mut withheld = Vec::new();
    let mut pattern = None;
    let warnings = lookup
        .qualification
        .as_ref()
        .map(|q| check_record(q, date).iter().map(|w| w.message()).collect())
        .unwrap_or_default();
    let mut qualification = lookup.qualification;
    if let Some(q) = qualification.as_mut() {
        let allowed = |information| {
            capability(&CapabilityQuery {
                facility: institution.facility,
                operating_type: institution.operating,
                information,
                card_used: basis.card_used,
                licensed_viewer: false,
                pharmacy_checkups: PharmacyCheckupPolicy::default(),
            })
        };
        use onshi_core::facility::Capability;
        if q.limit_certificate.is_some()
            && let Capability::Denied(d) = allowed(Information::LimitCertificate)
        {
            q.limit_certificate = None;
            withheld.push(Withheld {
                information: Information::LimitCertificate,
                code: d.code().to_owned(),
            });
        }
        if !q.specific_diseases.is_empty() {
            let refusal = match allowed(Information::SpecificDiseaseCertificate) {
                Capability::Allowed => None,
                Capability::Denied(d) => Some(d.code().to_owned()),
                Capability::RequiresConsent => {
                    consent_refusal(
                        state,
                        institution,
                        basis,
                        Information::SpecificDiseaseCertificate,
                    )
                    .await?
                }
            };
            if let Some(code) = refusal {
                q.specific_diseases.clear();
                withheld.push(Withheld {
                    information: Information::SpecificDiseaseCertificate,
                    code,
                });
            }
        }
        if let Some(block) = q.medical_assistance.as_ref() {
            let code = institution_code(institution)?;
            let situation = MedAidSituation {
                aid_valid: q.covers(date),
                entrusted: block.entrusted_to(&code, date),
                insurance_valid: false,
                new_qualification_exists: false,
            };
            let p = medaid_pattern(basis.medaid_query, situation);
            q.medical_assistance = Some(medaid_view(block, p, &code));
            pattern = Some(p);
        }
    }
    Ok(QualificationAnswer {
        date: format_date(date),
        determination: lookup.determination,
        qualification,
        medical_assistance_pattern: pattern,
        warnings,
        withheld,
    })
}

/// Why a consent-bound item is withheld, or `None` when core's access decision grants it.
async fn consent_refusal(
    state: &AppState,
    institution: &Institution,
    basis: Basis<'_>,
    information: Information,
) -> Result<Option<String>, ApiError> {
    let Some(care) = basis.care else {
        return Ok(Some("CONSENT_NOT_FOUND".to_owned()));
    };
    let item = ConsentItem::covering(information);
    let consents =
        store::current_consents(&state.db, &care.person, Some(&institution.code)).await?;
    let consent = consents
        .into_iter()
        .find(|c| Some(c.consent.item) == item)
        .map(|c| c.consent);
    let decision = decide_access(&AccessRequest {
        capability: CapabilityQuery {
            facility: institution.facility,
            operating_type: institution.operating,
            information,
            card_used: basis.card_used,
            licensed_viewer: false,
            pharmacy_checkups: PharmacyCheckupPolicy::default(),
        },
        institution: institution_code(institution)?,
        consent,
        now: state.now(),
        care_continues: care.active,
        certificate: Some(care.certificate),
        birthdate: None,
        disaster_measures: Vec::new(),
        disaster_consent: DisasterConsent::None,
    });
    Ok(decision.err().map(|r| r.code.to_owned()))
}

/// A check by 被保険者証・資格確認書 numbers.
#[derive(Debug, Clone, Deserialize)]
pub struct NumbersCheck {
    /// 保険者番号, 記号, 番号, 枝番, 生年月日 (`{"by": "numbers", …}`).
    pub key: QueryKey,
    /// 資格確認日 (`YYYYMMDD`, default today).
    #[serde(default)]
    pub date: Option<String>,
}

/// 資格確認 by numbers (no card: 特定疾病 is never shown).
pub async fn check_numbers(
    state: &AppState,
    institution: &Institution,
    request: &NumbersCheck,
) -> Result<QualificationAnswer, ApiError> {
    if matches!(request.key, QueryKey::Card { .. }) {
        return Err(ApiError::bad_request(
            "QUERY_KEY_INVALID",
            "番号による確認には保険者番号・番号・生年月日が必要です",
            "a number check needs the insurer number, the number and the birth date",
        ));
    }
    let date = date_or_today(state, request.date.as_deref())?;
    let lookup = registry::lookup(&state.db, &request.key, date).await?;
    state.metrics.event("qualification_check");
    answer(
        state,
        institution,
        lookup,
        date,
        Basis {
            card_used: false,
            care: None,
            medaid_query: MedAidQuery::Batch,
        },
    )
    .await
}

/// One row of a 再照会.
#[derive(Debug, Clone, Serialize)]
pub struct ReinquiryAnswer {
    /// The patient id asked about.
    pub patient: String,
    /// The answer, when 再照会 is allowed.
    pub answer: Option<QualificationAnswer>,
    /// Why not, when it is refused (REINQUIRY_NOT_ALLOWED and core's reason).
    pub refused: Option<crate::error::ErrorBody>,
}

/// 再照会 for the institution's patients by their ids: allowed only under core's rule (a card-verified
/// first visit, continuing care, no revocation since); the person is followed to their current record.
pub async fn reinquire(
    state: &AppState,
    institution: &Institution,
    patients: &[String],
    date: Option<&str>,
) -> Result<Vec<ReinquiryAnswer>, ApiError> {
    let date = date_or_today(state, date)?;
    let mut out = Vec::with_capacity(patients.len());
    for id in patients {
        let care = match store::care(&state.db, &institution.code, id).await {
            Ok(c) => c,
            Err(e) if e.code == "PATIENT_NOT_FOUND" => {
                out.push(ReinquiryAnswer {
                    patient: id.clone(),
                    answer: None,
                    refused: Some(e.body()),
                });
                continue;
            }
            Err(e) => return Err(e),
        };
        let allowed = reinquiry_allowed(&ReinquiryContext {
            setting: care.setting,
            card_verified_visit: true,
            care_continues: care.active,
            revoked_since_card_visit: care.revoked_since_card,
        });
        if let Err(denied) = allowed {
            out.push(ReinquiryAnswer {
                patient: id.clone(),
                answer: None,
                refused: Some(ApiError::refused("REINQUIRY_NOT_ALLOWED", denied.message()).body()),
            });
            continue;
        }
        let key = QueryKey::Card {
            person: care.person.clone(),
        };
        let lookup = registry::lookup(&state.db, &key, date).await?;
        let answer = answer(
            state,
            institution,
            lookup,
            date,
            Basis {
                card_used: true,
                care: Some(&care),
                medaid_query: MedAidQuery::Card,
            },
        )
        .await?;
        out.push(ReinquiryAnswer {
            patient: id.clone(),
            answer: Some(answer),
            refused: None,
        });
    }
    state.metrics.event("reinquiry");
    Ok(out)
}

/// 同意済資格情報取得: the institution's patients whose card visit was on or after `since`, each with
/// its care relationship and current answer.
pub async fn consented_since(
    state: &AppState,
    institution: &Institution,
    since: Date,
) -> Result<Vec<(CareRelationship, QualificationAnswer)>, ApiError> {
    let date = state.now().date();
    let mut out = Vec::new();
    for care in store::cares(&state.db, &institution.code).await? {
        if care.card_verified_at.date() < since {
            continue;
        }
        let key = QueryKey::Card {
            person: care.person.clone(),
        };
        let lookup = registry::lookup(&state.db, &key, date).await?;
        let basis = Basis {
            card_used: true,
            care: Some(&care),
            medaid_query: MedAidQuery::Card,
        };
        let answer = answer(state, institution, lookup, date, basis).await?;
        out.push((care, answer));
    }
    Ok(out)
}

/// 資格確認 with the card (資格確認限定型 on a generic reader, or any desk without a face reader): the
/// verified certificate names the person through 利用登録. Returns the answer and the lookup (for the
/// face folder).
pub async fn check_card(
    state: &AppState,
    institution: &Institution,
    verified: &onshi_core::card::verify::VerifiedCertificate,
    date: Date,
) -> Result<(QualificationAnswer, Lookup), ApiError> {
    if !verified.status.allows_qualification() {
        return Err(ApiError::refused(
            "CARD_CERT_EXPIRED",
            Message::new(
                "電子証明書の有効期限が切れています。資格確認書で確認してください",
                "the card's certificate has expired; use the 資格確認書",
            ),
        ));
    }
    let person = registry::registered_person(&state.db, verified.link_key.as_str()).await?;
    let key = QueryKey::Card { person };
    let lookup = registry::lookup(&state.db, &key, date).await?;
    state.metrics.event("card_check");
    let mut answer = answer(
        state,
        institution,
        lookup.clone(),
        date,
        Basis {
            card_used: true,
            care: None,
            medaid_query: MedAidQuery::Card,
        },
    )
    .await?;
    // An expired (in the grace) or soon-expiring certificate: staff tell the patient to renew it.
    if let Some((_, notice)) = verified.status.message() {
        answer.warnings.push(notice);
    }
    Ok((answer, lookup))
}

/// 医療券の番号による確認: a 医療扶助 check by 公費負担者番号, 受給者番号 and 生年月日.
#[derive(Debug, Clone, Deserialize)]
pub struct TicketCheck {
    /// 公費負担者番号 (8 digits, 法別 12).
    pub payer: String,
    /// 受給者番号.
    pub beneficiary: String,
    /// 生年月日 (`YYYYMMDD`).
    pub birthdate: String,
    /// 資格確認日 (`YYYYMMDD`, default today).
    #[serde(default)]
    pub date: Option<String>,
}

fn bad(code: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(code, &e.to_string(), &e.to_string())
}

/// A 医療扶助 check by the 医療券's numbers: the 医療扶助 record is shown with this institution's view
/// (未委託 hides the numbers when no ticket names it for the month).
pub async fn check_ticket(
    state: &AppState,
    institution: &Institution,
    request: &TicketCheck,
) -> Result<QualificationAnswer, ApiError> {
    let payer: onshi_core::ids::PublicExpenseNumber =
        request.payer.parse().map_err(|e| bad("PAYER_INVALID", e))?;
    let beneficiary: onshi_core::ids::BeneficiaryNumber = request
        .beneficiary
        .parse()
        .map_err(|e| bad("BENEFICIARY_INVALID", e))?;
    let birthdate = parse_date(&request.birthdate).map_err(|e| bad("DATE_INVALID", e))?;
    let date = date_or_today(state, request.date.as_deref())?;
    let mut records =
        crate::population::store::ticket_holder_records(&state.db, &payer, &beneficiary, birthdate)
            .await?;
    records.retain(|r| r.qualification.is_medical_assistance());
    let person = records
        .first()
        .map(|r| r.person.clone())
        .unwrap_or_default();
    let lookup = registry::determine(&records, &QueryKey::Card { person }, date);
    state.metrics.event("ticket_check");
    let basis = Basis {
        card_used: false,
        care: None,
        medaid_query: MedAidQuery::Ticket,
    };
    answer(state, institution, lookup, date, basis).await
}

/// 委託先資格情報の一括取得: every 医療券・調剤券 naming this institution for the month of `month`, each
/// with the 医療扶助 view for this institution (judged on the month's first day, or today within it).
pub async fn entrusted(
    state: &AppState,
    institution: &Institution,
    month: Date,
) -> Result<Vec<QualificationAnswer>, ApiError> {
    let today = state.now().date();
    let first = month.replace_day(1).unwrap_or(month);
    let date = if (today.year(), today.month()) == (first.year(), first.month()) {
        today
    } else {
        first
    };
    let tickets =
        crate::population::store::entrusted_tickets(&state.db, &institution.code, first).await?;
    let mut out = Vec::with_capacity(tickets.len());
    for t in tickets {
        let records = [onshi_core::qualification::RegisteredRecord {
            person: t.person.clone(),
            qualification: t.qualification,
        }];
        let lookup = registry::determine(&records, &QueryKey::Card { person: t.person }, date);
        let basis = Basis {
            card_used: false,
            care: None,
            medaid_query: MedAidQuery::EntrustedBulk,
        };
        out.push(answer(state, institution, lookup, date, basis).await?);
    }
    state.metrics.event("medaid_entrusted_bulk");
    Ok(out)
}

//! The HTTP routes of consent, checks, 再照会, the patient's own view, medical information and
//! administration. Thin: each handler authenticates, converts, and calls the module that decides.
//! Institution routes take a device-signed request ([`Signed`]); the patient's routes take the
//! institution URL's token or the patient's bearer token; administration takes the admin token.

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use crate::admin::Admin;
use crate::consent::patient::{self, Update};
use crate::consent::session::{self, CardProof, SessionRequest, VisualProof};
use crate::device::DeviceIdentity;
use crate::device::extract::Signed;
use crate::error::{ApiError, ApiResult};
use crate::inquiry::{self, NumbersCheck};
use crate::institution_url::{self, UrlKind};
use crate::institutions::Institution;
use crate::state::AppState;

/// The routes of this file.
pub fn routes() -> Router<AppState> {
    Router::new()
        // The patient, behind the institution URL.
        .route("/v1/consent-urls/{token}", get(consent_url))
        .route("/v1/consent-urls/{token}/sessions", post(start_session))
        .route("/v1/consent-sessions/{id}", get(session_status))
        .route("/v1/consent-sessions/{id}/card", post(complete_card))
        .route("/v1/consent-sessions/{id}/visual", post(complete_visual))
        .route("/v1/consent-receipts/{id}/qr.svg", get(receipt_qr))
        .route("/v1/receipt-key", get(receipt_key))
        // The patient's own view.
        .route("/v1/patient/challenges", post(patient_challenge))
        .route("/v1/patient/sessions", post(patient_sign_in))
        .route("/v1/patient/consents", get(patient_consents))
        .route("/v1/patient/consents/revoke-all", post(patient_revoke_all))
        .route("/v1/patient/consents/update", post(patient_update))
        .route("/v1/patient/accesses", get(patient_accesses))
        // The institution's devices.
        .route("/v1/checks", post(check_numbers))
        .route("/v1/card-checks/challenges", post(card_challenge))
        .route("/v1/card-checks", post(check_card))
        .route("/v1/medaid/ticket-checks", post(check_ticket))
        .route("/v1/medaid/entrusted", get(entrusted))
        .route("/v1/reinquiries", post(reinquire))
        .route("/v1/patients", get(patients))
        .route("/v1/consented", get(consented))
        .route("/v1/patients/{id}/end-care", post(end_care))
        .route(
            "/v1/patients/{id}/reference-number",
            axum::routing::put(set_reference_number),
        )
        .route(
            "/v1/patients/{id}/visits/{date}",
            axum::routing::put(crate::visit_plan::plan).delete(crate::visit_plan::unplan),
        )
        .route("/v1/patients/{id}/medical/{information}", get(medical))
        // Administration.
        .route(
            "/v1/admin/disaster-measures",
            post(declare_disaster).get(list_disasters),
        )
        .route("/v1/admin/audit/verify", get(verify_audit))
}

async fn institution_of(state: &AppState, device: &DeviceIdentity) -> ApiResult<Institution> {
    Institution::get(&state.db, &device.institution).await
}

// ---------------------------------------------------------------------------------------------
// The patient, behind the institution URL.

#[derive(Serialize)]
struct ItemView {
    item: onshi_core::consent::ConsentItem,
    label_ja: &'static str,
}

#[derive(Serialize)]
struct ConsentUrlView {
    institution_code: String,
    institution_name: String,
    facility_ja: &'static str,
    kind: UrlKind,
    kind_ja: &'static str,
    settings: &'static [onshi_core::consent::CareSetting],
    items: Vec<ItemView>,
    planned_date_required: bool,
}

async fn consent_url(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<Json<ConsentUrlView>> {
    let (institution, kind) = institution_url::resolve(&state, &token).await?;
    let online = kind == UrlKind::Online;
    Ok(Json(ConsentUrlView {
        institution_code: institution.code,
        institution_name: institution.name,
        facility_ja: institution.facility.label_ja(),
        kind,
        kind_ja: kind.label_ja(),
        settings: session::settings_for(online),
        items: onshi_core::consent::ConsentItem::ALL
            .into_iter()
            .map(|item| ItemView {
                item,
                label_ja: item.label_ja(),
            })
            .collect(),
        planned_date_required: online,
    }))
}

async fn session_status(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<session::SessionStatus>> {
    Ok(Json(session::status(&state, &id).await?))
}

async fn start_session(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Json(request): Json<SessionRequest>,
) -> ApiResult<Json<session::SessionStarted>> {
    let (institution, kind) = institution_url::resolve(&state, &token).await?;
    Ok(Json(
        session::start(&state, &institution, kind == UrlKind::Online, request).await?,
    ))
}

async fn complete_card(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(proof): Json<CardProof>,
) -> ApiResult<Json<session::Registered>> {
    let registered = session::complete_with_card(&state, &id, &proof).await?;
    Ok(Json(registered))
}

async fn complete_visual(
    State(state): State<AppState>,
    Path(id): Path<String>,
    signed: Signed<VisualProof>,
) -> ApiResult<Json<session::Registered>> {
    let registered =
        session::complete_visual(&state, &id, &signed.device.institution, &signed.body).await?;
    Ok(Json(registered))
}

async fn receipt_qr(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    use base64::Engine;
    let cose: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT cose FROM consent_receipts WHERE id = $1")
            .bind(&id)
            .fetch_optional(&state.db.pool)
            .await?;
    let cose = cose.ok_or_else(|| {
        ApiError::not_found(
            "RECEIPT_NOT_FOUND",
            "同意の控えが見つかりません",
            "no such receipt",
        )
    })?;
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(cose);
    let svg = institution_url::qr_svg(&text)?;
    Ok(([(CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

#[derive(Serialize)]
struct ReceiptKey {
    key_id: &'static str,
    algorithm: &'static str,
    /// SEC1 uncompressed point, hex.
    public_key: String,
}

async fn receipt_key(State(state): State<AppState>) -> Json<ReceiptKey> {
    let point = state.keys.receipt_public_key().to_sec1_point(false);
    Json(ReceiptKey {
        key_id: "onshi-receipt-1",
        algorithm: "ES256",
        public_key: crate::keys::hex(point.as_bytes()),
    })
}

// ---------------------------------------------------------------------------------------------
// The patient's own view.

async fn patient_challenge(State(state): State<AppState>) -> ApiResult<Json<patient::Challenge>> {
    Ok(Json(patient::challenge(&state).await?))
}

#[derive(Deserialize)]
struct SignIn {
    challenge_id: String,
    #[serde(flatten)]
    proof: CardProof,
}

async fn patient_sign_in(
    State(state): State<AppState>,
    Json(body): Json<SignIn>,
) -> ApiResult<Json<patient::PatientSession>> {
    Ok(Json(
        patient::sign_in(&state, &body.challenge_id, &body.proof).await?,
    ))
}

async fn patient_person(state: &AppState, headers: &axum::http::HeaderMap) -> ApiResult<String> {
    let token = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    patient::person_of(state, token).await
}

async fn patient_consents(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> ApiResult<Json<Vec<patient::ConsentView>>> {
    let person = patient_person(&state, &headers).await?;
    Ok(Json(patient::consents(&state, &person).await?))
}

#[derive(Serialize)]
struct Revoked {
    revoked: u64,
}

async fn patient_revoke_all(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> ApiResult<Json<Revoked>> {
    let person = patient_person(&state, &headers).await?;
    let revoked = patient::revoke(&state, &person, None).await?;
    Ok(Json(Revoked { revoked }))
}

async fn patient_update(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Json(update): Json<Update>,
) -> ApiResult<Json<Vec<patient::ConsentView>>> {
    let person = patient_person(&state, &headers).await?;
    patient::update(&state, &person, &update).await?;
    Ok(Json(patient::consents(&state, &person).await?))
}

async fn patient_accesses(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> ApiResult<Response> {
    let person = patient_person(&state, &headers).await?;
    let accesses = crate::audit::accesses_for_person(&state.db, &person).await?;
    Ok(Json(accesses).into_response())
}

// ---------------------------------------------------------------------------------------------
// The institution's devices.

async fn check_numbers(
    State(state): State<AppState>,
    signed: Signed<NumbersCheck>,
) -> ApiResult<Json<inquiry::QualificationAnswer>> {
    let institution = institution_of(&state, &signed.device).await?;
    Ok(Json(
        inquiry::check_numbers(&state, &institution, &signed.body).await?,
    ))
}

async fn card_challenge(
    State(state): State<AppState>,
    _signed: Signed<()>,
) -> ApiResult<Json<patient::Challenge>> {
    Ok(Json(patient::challenge(&state).await?))
}

/// A card check: with the card's signature over a challenge (暗証番号), or — from the institution's
/// registered device — the certificate alone after 目視確認.
#[derive(Deserialize)]
struct CardCheck {
    #[serde(default)]
    challenge_id: Option<String>,
    certificate: String,
    #[serde(default)]
    signature: Option<String>,
    holder: onshi_core::flows::CertificateHolder,
    #[serde(default)]
    date: Option<String>,
}

async fn check_card(
    State(state): State<AppState>,
    signed: Signed<CardCheck>,
) -> ApiResult<Json<inquiry::QualificationAnswer>> {
    use onshi_core::card::verify::{verify_authentication, verify_certificate};
    let institution = institution_of(&state, &signed.device).await?;
    let body = &signed.body;
    let certificate = session::hex_bytes("certificate", &body.certificate)?;
    let now = state.now();
    let verified = match (&body.challenge_id, &body.signature) {
        (Some(id), Some(signature)) => {
            let challenge = patient::take_challenge(&state, id).await?;
            verify_authentication(
                &challenge,
                &session::hex_bytes("signature", signature)?,
                &certificate,
                &state.config.trust,
                &state.config.revocations,
                body.holder,
                now,
            )
        }
        (None, None) => verify_certificate(
            &certificate,
            &state.config.trust,
            &state.config.revocations,
            body.holder,
            now,
        ),
        _ => {
            return Err(ApiError::bad_request(
                "CARD_CHECK_INCOMPLETE",
                "署名には確認用のchallenge_idが必要です",
                "a signature needs its challenge_id (or send neither for 目視確認)",
            ));
        }
    }
    .map_err(|e| ApiError::refused(e.code(), e.message()))?;
    let date = inquiry::date_or_today(&state, body.date.as_deref())?;
    let (answer, lookup) = inquiry::check_card(&state, &institution, &verified, date).await?;
    // The receipt computer learns of the check through the face folder (資格確認限定型 too).
    let mut tx = state.db.pool.begin().await?;
    crate::gateway::record_face_event(&mut tx, &institution.code, &lookup, now, date).await?;
    tx.commit().await?;
    Ok(Json(answer))
}

async fn check_ticket(
    State(state): State<AppState>,
    signed: Signed<inquiry::TicketCheck>,
) -> ApiResult<Json<inquiry::QualificationAnswer>> {
    let institution = institution_of(&state, &signed.device).await?;
    Ok(Json(
        inquiry::check_ticket(&state, &institution, &signed.body).await?,
    ))
}

#[derive(Deserialize)]
struct Month {
    /// `YYYYMM`.
    month: String,
}

async fn entrusted(
    State(state): State<AppState>,
    Params(month): Params<Month>,
    signed: Signed<()>,
) -> ApiResult<Json<Vec<inquiry::QualificationAnswer>>> {
    let institution = institution_of(&state, &signed.device).await?;
    let month = inquiry::date_or_today(&state, Some(&format!("{}01", month.month)))?;
    Ok(Json(inquiry::entrusted(&state, &institution, month).await?))
}

#[derive(Deserialize)]
struct Reinquiry {
    patients: Vec<String>,
    #[serde(default)]
    date: Option<String>,
}

/// The most patients one 再照会 request may name.
const MAX_REINQUIRY: usize = 10_000;

async fn reinquire(
    State(state): State<AppState>,
    signed: Signed<Reinquiry>,
) -> ApiResult<Json<Vec<inquiry::ReinquiryAnswer>>> {
    if signed.body.patients.len() > MAX_REINQUIRY {
        return Err(ApiError::bad_request(
            "REINQUIRY_TOO_MANY",
            "一度に再照会できるのは10,000人までです",
            "at most 10,000 patients per re-inquiry",
        ));
    }
    let institution = institution_of(&state, &signed.device).await?;
    let rows = inquiry::reinquire(
        &state,
        &institution,
        &signed.body.patients,
        signed.body.date.as_deref(),
    )
    .await?;
    Ok(Json(rows))
}

/// A patient under care as the institution's list shows them.
#[derive(Serialize)]
struct PatientView {
    #[serde(flatten)]
    care: crate::consent::store::CareRelationship,
    /// The 照会番号 the institution registered for the patient (its chart number), if any.
    reference_number: Option<String>,
    /// 訪問予定: the days planned from today on (`YYYYMMDD`), earliest first.
    visits: Vec<String>,
}

async fn patients(
    State(state): State<AppState>,
    signed: Signed<()>,
) -> ApiResult<Json<Vec<PatientView>>> {
    let institution = &signed.device.institution;
    let cares = crate::consent::store::cares(&state.db, institution).await?;
    let persons: Vec<&str> = cares.iter().map(|c| c.person.as_str()).collect();
    let mut numbers =
        crate::gateway::reference_number::references_for(&state.db, institution, &persons).await?;
    let mut plan = crate::visit_plan::planned(&state.db, institution, state.now().date()).await?;
    Ok(Json(
        cares
            .into_iter()
            .map(|care| PatientView {
                reference_number: numbers.remove(&care.person),
                visits: plan.remove(&care.id).unwrap_or_default(),
                care,
            })
            .collect(),
    ))
}

#[derive(Deserialize)]
struct ReferenceNumber {
    reference_number: String,
}

/// 照会番号の登録 for a patient under care: the institution's own key (a chart number), carried by
/// its results from then on.
async fn set_reference_number(
    State(state): State<AppState>,
    Path(id): Path<String>,
    signed: Signed<ReferenceNumber>,
) -> ApiResult<Json<serde_json::Value>> {
    let institution = &signed.device.institution;
    let care = crate::consent::store::care(&state.db, institution, &id).await?;
    let number = crate::gateway::reference_number::register_for_person(
        &state.db,
        institution,
        &care.person,
        &signed.body.reference_number,
        state.now(),
    )
    .await?;
    Ok(Json(serde_json::json!({ "reference_number": number })))
}

#[derive(Deserialize)]
struct Since {
    since: String,
}

#[derive(Serialize)]
struct Consented {
    patient: crate::consent::store::CareRelationship,
    answer: inquiry::QualificationAnswer,
}

async fn consented(
    State(state): State<AppState>,
    Params(since): Params<Since>,
    signed: Signed<()>,
) -> ApiResult<Json<Vec<Consented>>> {
    let institution = institution_of(&state, &signed.device).await?;
    let since = inquiry::date_or_today(&state, Some(&since.since))?;
    let rows = inquiry::consented_since(&state, &institution, since).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(patient, answer)| Consented { patient, answer })
            .collect(),
    ))
}

async fn end_care(
    State(state): State<AppState>,
    Path(id): Path<String>,
    signed: Signed<()>,
) -> ApiResult<Json<Revoked>> {
    let care = crate::consent::store::care(&state.db, &signed.device.institution, &id).await?;
    let revoked = crate::consent::store::end_care(&state.db, &care, state.now()).await?;
    Ok(Json(Revoked { revoked }))
}

async fn medical(
    State(state): State<AppState>,
    Path((id, information)): Path<(String, String)>,
    Params(query): Params<crate::medical::MedicalQuery>,
    signed: Signed<()>,
) -> ApiResult<Json<crate::medical::MedicalAnswer>> {
    let institution = institution_of(&state, &signed.device).await?;
    let answer = crate::medical::read(
        &state,
        &institution,
        &signed.device,
        &id,
        &information,
        &query,
    )
    .await?;
    Ok(Json(answer))
}

/// Query-string parameters, refused with a typed QUERY_INVALID (ja + en) like every other bad input.
struct Params<T>(T);

impl<T: for<'de> Deserialize<'de>> axum::extract::FromRequestParts<AppState> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &AppState,
    ) -> Result<Self, ApiError> {
        Query::<T>::try_from_uri(&parts.uri)
            .map(|q| Params(q.0))
            .map_err(|e| {
                ApiError::bad_request(
                    "QUERY_INVALID",
                    &format!("問い合わせの形式が正しくありません: {}", e.body_text()),
                    &format!("malformed query: {}", e.body_text()),
                )
            })
    }
}

// ---------------------------------------------------------------------------------------------
// Administration.

async fn declare_disaster(
    State(state): State<AppState>,
    _admin: Admin,
    Json(measure): Json<onshi_core::flows::DisasterMeasure>,
) -> ApiResult<Json<Vec<onshi_core::flows::DisasterMeasure>>> {
    crate::disaster::declare(&state, &measure).await?;
    Ok(Json(crate::disaster::all(&state).await?))
}

async fn list_disasters(
    State(state): State<AppState>,
    _admin: Admin,
) -> ApiResult<Json<Vec<onshi_core::flows::DisasterMeasure>>> {
    Ok(Json(crate::disaster::all(&state).await?))
}

async fn verify_audit(State(state): State<AppState>, _admin: Admin) -> ApiResult<Response> {
    let report = crate::audit::verify(&state.db).await?;
    Ok(Json(report).into_response())
}

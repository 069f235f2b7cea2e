//! 同意登録 (the patient's consent session), flows (a) and (c): behind the institution URL the patient
//! answers every item and confirms; the service then hands out a challenge bound to this session; the
//! card signs it on the patient's side (the PIN goes to the card and nowhere else — this service never
//! sees it); the signature and certificate are verified, the certificate is mapped to the insured person
//! (利用登録), and the consents are registered with their window — all in one transaction, with a signed
//! receipt. 目視確認 replaces the signature with a registered institution device's word.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use onshi_core::card::verify::{VerifiedCertificate, verify_authentication, verify_certificate};
use onshi_core::consent::{
    Answer, CareSetting, ConsentChoices, ConsentItem, ConsentWindow, resolve_window,
};
use onshi_core::facility::OperatingType;
use onshi_core::flows::{CertificateHolder, IdentityMethod};
use onshi_core::jst::{Date, Duration, format_date, parse_date};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::receipt::{self, ReceiptStatement};
use super::store;
use crate::db::{from_epoch, name_of, parse_name, to_epoch};
use crate::error::ApiError;
use crate::institutions::Institution;
use crate::state::AppState;

/// How long a session waits for the card after confirmation.
pub const SESSION_LIFETIME: Duration = Duration::minutes(15);

/// Card steps that may fail verification before the session is closed (a new one must be started).
pub const MAX_CARD_FAILURES: i64 = 5;

/// The online window ends at the end of the 受診予定日 (core's named choice).
pub use onshi_core::consent::ONLINE_WINDOW_END;

/// The answers and the date, as the patient confirmed them (2/3 確認).
#[derive(Debug, Clone, Deserialize)]
pub struct SessionRequest {
    /// Each item's answer; `agree_to_all` stands for すべての項目に同意する.
    #[serde(default)]
    pub answers: Vec<(ConsentItem, Answer)>,
    /// すべての項目に同意する.
    #[serde(default)]
    pub agree_to_all: bool,
    /// 受診予定日 (`YYYYMMDD`), for online consultations.
    #[serde(default)]
    pub planned_date: Option<String>,
    /// The setting, when the URL kind allows more than one (default: the kind's own).
    #[serde(default)]
    pub setting: Option<CareSetting>,
}

/// A started session: what the card must sign.
#[derive(Debug, Clone, Serialize)]
pub struct SessionStarted {
    /// The session's id.
    pub session: String,
    /// The challenge (hex) the card signs with the 利用者証明用 key.
    pub challenge: String,
    /// When the session closes (JST `YYYYMMDDhhmmss`).
    pub expires_at: String,
    /// The consent's window, for the confirmation screen.
    pub window: ConsentWindow,
    /// The confirmed answers.
    pub answers: Vec<(ConsentItem, Answer)>,
}

/// What the patient's side sends after the card step (PIN path).
#[derive(Debug, Clone, Deserialize)]
pub struct CardProof {
    /// The 利用者証明用電子証明書 (DER, hex).
    pub certificate: String,
    /// The card's signature over the challenge (hex).
    pub signature: String,
    /// Plastic card or smartphone (the 3-month grace applies to cards only).
    pub holder: CertificateHolder,
}

/// What 目視確認 sends: the certificate read from the card without the PIN.
#[derive(Debug, Clone, Deserialize)]
pub struct VisualProof {
    /// The 利用者証明用電子証明書 (DER, hex).
    pub certificate: String,
    /// Plastic card or smartphone.
    pub holder: CertificateHolder,
}

/// The registration (3/3 完了).
#[derive(Debug, Clone, Serialize)]
pub struct Registered {
    /// The receipt id.
    pub receipt_id: String,
    /// The signed receipt (COSE_Sign1, base64url), also shown as a QR code.
    pub receipt: String,
    /// What it states.
    pub statement: ReceiptStatement,
    /// A note about the card certificate (e.g. in the grace period: qualification only).
    pub certificate_notice: Option<onshi_core::i18n::Message>,
}

/// Card data sent as hex (certificate, signature), or CARD_DATA_MALFORMED naming the field.
pub fn hex_bytes(field: &str, s: &str) -> Result<Vec<u8>, ApiError> {
    onshi_core::card::host::from_hex(s).ok_or_else(|| {
        ApiError::bad_request(
            "CARD_DATA_MALFORMED",
            &format!("{field} が16進数ではありません"),
            &format!("{field} is not hex"),
        )
    })
}

/// Which settings a URL kind's sessions may take (the first is the default).
pub fn settings_for(online: bool) -> &'static [CareSetting] {
    if online {
        &[CareSetting::OnlineConsultation]
    } else {
        &[
            CareSetting::HomeVisit,
            CareSetting::HouseCall,
            CareSetting::FeverClinic,
            CareSetting::InpatientBedside,
        ]
    }
}

/// Starts a session at `institution` for a URL of the online kind or not, after checking that every
/// item has an answer and the window resolves (受診予定日 for online).
pub async fn start(
    state: &AppState,
    institution: &Institution,
    online: bool,
    request: SessionRequest,
) -> Result<SessionStarted, ApiError> {
    if institution.operating != OperatingType::ConsentAtHome {
        return Err(ApiError::forbidden(
            "CONSENT_NOT_OFFERED",
            "この医療機関等は居宅同意取得型を利用していません",
            "this institution does not take consent outside the front desk",
        ));
    }
    let allowed = settings_for(online);
    let setting = request.setting.unwrap_or(allowed[0]);
    if !allowed.contains(&setting) {
        return Err(ApiError::bad_request(
            "CONSENT_SETTING_INVALID",
            "このURLではこの診療形態を選べません",
            "this URL does not take consent for this care setting",
        ));
    }
    let mut choices = ConsentChoices::default();
    if request.agree_to_all {
        choices.agree_to_all();
    }
    for (item, answer) in &request.answers {
        choices.set(*item, *answer);
    }
    let answers = choices.confirm().map_err(|missing| {
        let m = missing.message();
        ApiError::bad_request("CONSENT_UNANSWERED", &m.ja, &m.en)
    })?;
    let planned: Option<Date> = match request.planned_date.as_deref() {
        Some(s) => Some(parse_date(s).map_err(|_| {
            ApiError::bad_request(
                "CONSENT_PLANNED_DATE_INVALID",
                "受診予定日を読み取れません（例: 20261130）",
                "the planned consultation date cannot be read (e.g. 20261130)",
            )
        })?),
        None => None,
    };
    let now = state.now();
    let window = resolve_window(setting, now, planned, ONLINE_WINDOW_END).map_err(|e| {
        let m = e.message();
        ApiError::bad_request(e.code(), &m.ja, &m.en)
    })?;
    let id = crate::keys::random_id().map_err(ApiError::internal)?;
    let challenge = crate::keys::random::<32>().map_err(ApiError::internal)?;
    let expires = now + SESSION_LIFETIME;
    sqlx::query(
        "INSERT INTO consent_sessions (id, institution_code, setting, choices, planned_date, \
         challenge, created_at, expires_at, state) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'awaiting_identity')",
    )
    .bind(&id)
    .bind(&institution.code)
    .bind(name_of(&setting))
    .bind(serde_json::to_string(&answers).map_err(ApiError::internal)?)
    .bind(planned.map(format_date))
    .bind(challenge.to_vec())
    .bind(to_epoch(now))
    .bind(to_epoch(expires))
    .execute(&state.db.pool)
    .await?;
    state.metrics.event("consent_session_started");
    Ok(SessionStarted {
        session: id,
        challenge: crate::keys::hex(&challenge),
        expires_at: onshi_core::jst::format_datetime(expires),
        window,
        answers,
    })
}

/// A session as stored.
struct Session {
    institution: String,
    setting: CareSetting,
    answers: Vec<(ConsentItem, Answer)>,
    planned: Option<Date>,
    challenge: Vec<u8>,
    created_at: onshi_core::jst::JstDateTime,
    expires_at: onshi_core::jst::JstDateTime,
    state: String,
    failures: i64,
    fingerprint: Option<Vec<u8>>,
    receipt_id: Option<String>,
}

async fn load(state: &AppState, id: &str) -> Result<Session, ApiError> {
    let row = sqlx::query(
        "SELECT institution_code, setting, choices, planned_date, challenge, created_at, \
         expires_at, state, failures, certificate_fingerprint, receipt_id \
         FROM consent_sessions WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| {
        ApiError::not_found(
            "CONSENT_SESSION_NOT_FOUND",
            "同意の手続きが見つかりません。最初からやり直してください",
            "no such consent session; start again",
        )
    })?;
    let setting: String = row.try_get("setting")?;
    let choices: String = row.try_get("choices")?;
    let planned: Option<String> = row.try_get("planned_date")?;
    Ok(Session {
        institution: row.try_get("institution_code")?,
        setting: parse_name(&setting)?,
        answers: serde_json::from_str(&choices).map_err(ApiError::internal)?,
        planned: planned.and_then(|p| parse_date(&p).ok()),
        challenge: row.try_get("challenge")?,
        created_at: from_epoch(row.try_get("created_at")?),
        expires_at: from_epoch(row.try_get("expires_at")?),
        state: row.try_get("state")?,
        failures: row.try_get("failures")?,
        fingerprint: row.try_get("certificate_fingerprint")?,
        receipt_id: row.try_get("receipt_id")?,
    })
}

/// Completes a session with the card's signature (暗証番号 path).
pub async fn complete_with_card(
    state: &AppState,
    id: &str,
    proof: &CardProof,
) -> Result<Registered, ApiError> {
    let session = load(state, id).await?;
    let certificate = hex_bytes("certificate", &proof.certificate)?;
    let signature = hex_bytes("signature", &proof.signature)?;
    if let Some(done) = already_registered(state, &session, &certificate).await? {
        return Ok(done);
    }
    open_for_card(state, &session)?;
    let now = state.now();
    let verified = verify_authentication(
        &session.challenge,
        &signature,
        &certificate,
        &state.config.trust,
        &state.config.revocations,
        proof.holder,
        now,
    );
    let verified = match verified {
        Ok(v) => v,
        Err(e) => {
            count_failure(state, id).await?;
            return Err(ApiError::refused(e.code(), e.message()));
        }
    };
    register(state, id, session, verified, IdentityMethod::Pin).await
}

/// Completes a session by 目視確認: only a registered device of the session's own institution may
/// say it compared the card's photo with the patient (never the patient's own phone).
pub async fn complete_visual(
    state: &AppState,
    id: &str,
    device_institution: &str,
    proof: &VisualProof,
) -> Result<Registered, ApiError> {
    let session = load(state, id).await?;
    if session.institution != device_institution {
        return Err(ApiError::forbidden(
            "VISUAL_CHECK_NOT_ALLOWED",
            "目視確認はこの医療機関等の登録端末でのみ行えます",
            "目視確認 is only possible on a registered device of this institution",
        ));
    }
    let certificate = hex_bytes("certificate", &proof.certificate)?;
    if let Some(done) = already_registered(state, &session, &certificate).await? {
        return Ok(done);
    }
    open_for_card(state, &session)?;
    let verified = match verify_certificate(
        &certificate,
        &state.config.trust,
        &state.config.revocations,
        proof.holder,
        state.now(),
    ) {
        Ok(v) => v,
        Err(e) => {
            count_failure(state, id).await?;
            return Err(ApiError::refused(e.code(), e.message()));
        }
    };
    register(state, id, session, verified, IdentityMethod::Visual).await
}

fn open_for_card(state: &AppState, session: &Session) -> Result<(), ApiError> {
    if session.state != "awaiting_identity" || session.failures >= MAX_CARD_FAILURES {
        return Err(ApiError::conflict(
            "CONSENT_SESSION_CLOSED",
            "この同意の手続きは終了しています。最初からやり直してください",
            "this consent session is closed; start again",
        ));
    }
    if state.now() > session.expires_at {
        return Err(ApiError::conflict(
            "CONSENT_SESSION_EXPIRED",
            "時間切れです。最初からやり直してください",
            "the session timed out; start again",
        ));
    }
    Ok(())
}

/// How a session stands, for the page a phone returns to after the app read the card
/// (`GET /v1/consent-sessions/{id}`). The session id is the secret: whoever started it may ask.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SessionStatus {
    /// Waiting for the card: the challenge again, so the app can be opened once more.
    Open {
        /// The session's id.
        session: String,
        /// The challenge (hex).
        challenge: String,
        /// When the session closes (JST `YYYYMMDDhhmmss`).
        expires_at: String,
        /// The consent's window.
        window: ConsentWindow,
    },
    /// Registered: the receipt.
    Completed(Registered),
    /// Timed out, or closed after too many failed card steps.
    Closed,
}

/// The state of session `id`.
pub async fn status(state: &AppState, id: &str) -> Result<SessionStatus, ApiError> {
    let session = load(state, id).await?;
    if let (true, Some(receipt_id)) = (session.state == "registered", &session.receipt_id) {
        return Ok(SessionStatus::Completed(
            receipt_of(state, receipt_id).await?,
        ));
    }
    if open_for_card(state, &session).is_err() {
        return Ok(SessionStatus::Closed);
    }
    let window = resolve_window(
        session.setting,
        state.now(),
        session.planned,
        ONLINE_WINDOW_END,
    )
    .map_err(|e| ApiError::bad_request(e.code(), &e.to_string(), &e.to_string()))?;
    Ok(SessionStatus::Open {
        session: id.to_owned(),
        challenge: crate::keys::hex(&session.challenge),
        expires_at: onshi_core::jst::format_datetime(session.expires_at),
        window,
    })
}

/// The stored receipt `receipt_id`, read back under the service's key.
async fn receipt_of(state: &AppState, receipt_id: &str) -> Result<Registered, ApiError> {
    let cose: Vec<u8> = sqlx::query_scalar("SELECT cose FROM consent_receipts WHERE id = $1")
        .bind(receipt_id)
        .fetch_one(&state.db.pool)
        .await?;
    let statement =
        receipt::verify(&cose, &state.keys.receipt_public_key()).map_err(ApiError::internal)?;
    Ok(Registered {
        receipt_id: receipt_id.to_owned(),
        receipt: URL_SAFE_NO_PAD.encode(&cose),
        statement,
        certificate_notice: None,
    })
}

/// A retry after a lost answer: the same certificate on a registered session gets the same receipt.
async fn already_registered(
    state: &AppState,
    session: &Session,
    certificate: &[u8],
) -> Result<Option<Registered>, ApiError> {
    let (Some(fingerprint), Some(receipt_id)) = (&session.fingerprint, &session.receipt_id) else {
        return Ok(None);
    };
    if session.state != "registered"
        || fingerprint.as_slice()
            != onshi_core::card::verify::certificate_fingerprint(certificate).as_slice()
    {
        return Ok(None);
    }
    receipt_of(state, receipt_id).await.map(Some)
}

async fn count_failure(state: &AppState, id: &str) -> Result<(), ApiError> {
    sqlx::query("UPDATE consent_sessions SET failures = failures + 1 WHERE id = $1")
        .bind(id)
        .execute(&state.db.pool)
        .await?;
    state.metrics.event("consent_card_refused");
    Ok(())
}

async fn register(
    state: &AppState,
    id: &str,
    session: Session,
    verified: VerifiedCertificate,
    identity: IdentityMethod,
) -> Result<Registered, ApiError> {
    let person = crate::registry::registered_person(&state.db, verified.link_key.as_str()).await?;
    let institution = Institution::get(&state.db, &session.institution).await?;
    let now = state.now();
    // The window was resolved at the start; resolve again at registration so it counts from now.
    let window = resolve_window(session.setting, now, session.planned, ONLINE_WINDOW_END)
        .map_err(|e| ApiError::bad_request(e.code(), &e.to_string(), &e.to_string()))?;
    let receipt_id = crate::keys::random_id().map_err(ApiError::internal)?;
    let statement = ReceiptStatement {
        receipt: receipt_id.clone(),
        institution: institution.code.clone(),
        institution_name: institution.name.clone(),
        setting: session.setting,
        items: session.answers.clone(),
        window,
        registered_at: receipt::stamp(now),
        identity,
    };
    let cose = receipt::sign(&statement, &state.keys.receipt_key).map_err(ApiError::internal)?;

    // What the receipt computer will read in the face folder once the visit completes.
    let key = onshi_core::qualification::QueryKey::Card {
        person: person.clone(),
    };
    let lookup = crate::registry::lookup(&state.db, &key, now.date()).await?;

    let mut tx = state.db.pool.begin().await?;
    // Only one registration per session, even when two card steps race.
    let claimed = sqlx::query(
        "UPDATE consent_sessions SET state = 'registered', certificate_fingerprint = $1, \
         receipt_id = $2 WHERE id = $3 AND state = 'awaiting_identity'",
    )
    .bind(verified.fingerprint.to_vec())
    .bind(&receipt_id)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed != 1 {
        return Err(ApiError::conflict(
            "CONSENT_SESSION_CLOSED",
            "この同意の手続きは終了しています",
            "this consent session is already closed",
        ));
    }
    let care = store::record_card_visit(
        &mut tx,
        &institution.code,
        &person,
        session.setting,
        identity,
        verified.status,
        now,
    )
    .await?;
    store::insert_consents(
        &mut tx,
        store::NewConsents {
            care: &care,
            institution: &institution.code,
            person: &person,
            answers: &session.answers,
            given_at: now,
            window,
            session: id,
        },
    )
    .await?;
    sqlx::query(
        "INSERT INTO consent_receipts (id, session_id, cose, issued_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&receipt_id)
    .bind(id)
    .bind(cose.clone())
    .bind(to_epoch(now))
    .execute(&mut *tx)
    .await?;
    crate::gateway::record_face_event(&mut tx, &institution.code, &lookup, now, now.date()).await?;
    tx.commit().await?;
    state.metrics.event("consent_registered");
    tracing::info!(
        institution = %institution.code,
        identity = ?identity,
        session_age_s = (now - session.created_at).whole_seconds(),
        "consent registered"
    );
    Ok(Registered {
        receipt_id,
        receipt: URL_SAFE_NO_PAD.encode(&cose),
        statement,
        certificate_notice: verified.status.message().map(|(_, m)| m),
    })
}

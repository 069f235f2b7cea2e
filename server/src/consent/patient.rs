//! 同意照会・更新・取消 (the patient's own view): the patient signs in with the card — a fresh
//! challenge signed by the card, as for registration; the PIN stays on the card — and gets a short-lived
//! bearer token to list their consents at every institution, change single items, revoke everything,
//! and see who accessed what.

use onshi_core::consent::{Answer, ConsentItem, ConsentState, RevokedBy};
use onshi_core::jst::{Duration, format_datetime};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;

use super::session::CardProof;
use super::store;
use crate::db::{from_epoch, to_epoch};
use crate::error::ApiError;
use crate::institutions::Institution;
use crate::state::AppState;

/// How long a sign-in challenge waits for the card.
pub const CHALLENGE_LIFETIME: Duration = Duration::minutes(5);

/// How long the patient's session lasts.
pub const SESSION_LIFETIME: Duration = Duration::minutes(30);

/// A challenge for the card to sign.
#[derive(Debug, Clone, Serialize)]
pub struct Challenge {
    /// Its id, sent back with the signature.
    pub id: String,
    /// The bytes to sign (hex).
    pub challenge: String,
}

/// A signed-in patient's bearer token.
#[derive(Debug, Clone, Serialize)]
pub struct PatientSession {
    /// `Authorization: Bearer <token>` (random; only its SHA-256 is stored).
    pub token: String,
    /// When it ends (JST `YYYYMMDDhhmmss`).
    pub expires_at: String,
}

/// Issues a sign-in challenge.
pub async fn challenge(state: &AppState) -> Result<Challenge, ApiError> {
    let id = crate::keys::random_id().map_err(ApiError::internal)?;
    let bytes = crate::keys::random::<32>().map_err(ApiError::internal)?;
    sqlx::query(
        "INSERT INTO patient_challenges (id, challenge, expires_at, used) VALUES ($1, $2, $3, 0)",
    )
    .bind(&id)
    .bind(bytes.to_vec())
    .bind(to_epoch(state.now() + CHALLENGE_LIFETIME))
    .execute(&state.db.pool)
    .await?;
    Ok(Challenge {
        id,
        challenge: crate::keys::hex(&bytes),
    })
}

/// Uses up a challenge: its bytes, once, before it expires.
pub async fn take_challenge(state: &AppState, challenge_id: &str) -> Result<Vec<u8>, ApiError> {
    let challenge: Option<Vec<u8>> = sqlx::query_scalar(
        "UPDATE patient_challenges SET used = 1 \
         WHERE id = $1 AND used = 0 AND expires_at >= $2 RETURNING challenge",
    )
    .bind(challenge_id)
    .bind(to_epoch(state.now()))
    .fetch_optional(&state.db.pool)
    .await?;
    challenge.ok_or_else(|| {
        ApiError::unauthorized(
            "CARD_CHALLENGE_INVALID",
            "確認の有効期限が切れたか、使用済みです。もう一度カードを読み取ってください",
            "the challenge expired or was already used; read the card again",
        )
    })
}

/// Signs the patient in with the card's signature over a challenge (each challenge once).
pub async fn sign_in(
    state: &AppState,
    challenge_id: &str,
    proof: &CardProof,
) -> Result<PatientSession, ApiError> {
    let now = state.now();
    let challenge = take_challenge(state, challenge_id).await?;
    let verified = onshi_core::card::verify::verify_authentication(
        &challenge,
        &super::session::hex_bytes("signature", &proof.signature)?,
        &super::session::hex_bytes("certificate", &proof.certificate)?,
        &state.config.trust,
        &state.config.revocations,
        proof.holder,
        now,
    )
    .map_err(|e| ApiError::refused(e.code(), e.message()))?;
    let person = crate::registry::registered_person(&state.db, verified.link_key.as_str()).await?;
    let token = crate::keys::random_id().map_err(ApiError::internal)?
        + &crate::keys::random_id().map_err(ApiError::internal)?;
    let expires = now + SESSION_LIFETIME;
    sqlx::query(
        "INSERT INTO patient_sessions (token_sha256, person_id, expires_at) VALUES ($1, $2, $3)",
    )
    .bind(Sha256::digest(token.as_bytes()).to_vec())
    .bind(&person)
    .bind(to_epoch(expires))
    .execute(&state.db.pool)
    .await?;
    Ok(PatientSession {
        token,
        expires_at: format_datetime(expires),
    })
}

/// The person behind a bearer token still in force.
pub async fn person_of(state: &AppState, token: &str) -> Result<String, ApiError> {
    let row =
        sqlx::query("SELECT person_id, expires_at FROM patient_sessions WHERE token_sha256 = $1")
            .bind(Sha256::digest(token.as_bytes()).to_vec())
            .fetch_optional(&state.db.pool)
            .await?;
    let unauthorized = || {
        ApiError::unauthorized(
            "PATIENT_SESSION_INVALID",
            "もう一度カードで本人確認をしてください",
            "sign in with the card again",
        )
    };
    let row = row.ok_or_else(unauthorized)?;
    if from_epoch(row.try_get("expires_at")?) < state.now() {
        return Err(unauthorized());
    }
    Ok(row.try_get("person_id")?)
}

/// One consent as the patient sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ConsentView {
    /// 医療機関等コード.
    pub institution: String,
    /// The institution's name.
    pub institution_name: String,
    /// The item.
    pub item: ConsentItem,
    /// Its label.
    pub label_ja: &'static str,
    /// 同意する / 同意しない.
    pub answer: Answer,
    /// Its state now (core's rule).
    pub state: ConsentState,
    /// When it was given (JST `YYYYMMDDhhmmss`).
    pub given_at: String,
}

/// The patient's consents at every institution, with their state now.
pub async fn consents(state: &AppState, person: &str) -> Result<Vec<ConsentView>, ApiError> {
    let now = state.now();
    let mut out = Vec::new();
    for c in store::current_consents(&state.db, person, None).await? {
        let name = Institution::find(&state.db, &c.institution)
            .await?
            .map(|i| i.name)
            .unwrap_or_default();
        let care_continues = care_continues(state, person, &c.institution).await?;
        out.push(ConsentView {
            institution_name: name,
            label_ja: c.consent.item.label_ja(),
            answer: c.consent.answer,
            state: c.consent.state_at(now, care_continues),
            given_at: format_datetime(c.consent.given_at),
            item: c.consent.item,
            institution: c.institution,
        });
    }
    Ok(out)
}

async fn care_continues(
    state: &AppState,
    person: &str,
    institution: &str,
) -> Result<bool, ApiError> {
    let active: Option<i64> = sqlx::query_scalar(
        "SELECT care_active FROM care_relationships WHERE person_id = $1 AND institution_code = $2",
    )
    .bind(person)
    .bind(institution)
    .fetch_optional(&state.db.pool)
    .await?;
    Ok(active == Some(1))
}

/// すべての同意を取消す (or every consent at one institution). Returns how many were revoked.
pub async fn revoke(
    state: &AppState,
    person: &str,
    institution: Option<&str>,
) -> Result<u64, ApiError> {
    let mut tx = state.db.pool.begin().await?;
    let n = store::revoke(
        &mut tx,
        person,
        institution,
        RevokedBy::Patient,
        state.now(),
    )
    .await?;
    tx.commit().await?;
    state.metrics.event("consent_revoked_by_patient");
    Ok(n)
}

/// A change of single items at one institution (同意照会・更新).
#[derive(Debug, Clone, Deserialize)]
pub struct Update {
    /// 医療機関等コード.
    pub institution: String,
    /// The new answers.
    pub answers: Vec<(ConsentItem, Answer)>,
}

/// Changes single items: 同意しない revokes the item; 同意する registers it again with the window of
/// the institution's newest consent (an item can only be changed where a consent was registered).
pub async fn update(state: &AppState, person: &str, update: &Update) -> Result<(), ApiError> {
    let now = state.now();
    let current = store::current_consents(&state.db, person, Some(&update.institution)).await?;
    let newest = current
        .iter()
        .max_by_key(|c| c.consent.given_at)
        .ok_or_else(|| {
            ApiError::not_found(
                "CONSENT_NOT_FOUND",
                "この医療機関等への同意の登録がありません",
                "no consent was registered for this institution",
            )
        })?;
    let window = newest.consent.window;
    let care: String = sqlx::query_scalar(
        "SELECT id FROM care_relationships WHERE person_id = $1 AND institution_code = $2",
    )
    .bind(person)
    .bind(&update.institution)
    .fetch_one(&state.db.pool)
    .await?;
    let mut tx = state.db.pool.begin().await?;
    let session = format!(
        "patient-update-{}",
        crate::keys::random_id().map_err(ApiError::internal)?
    );
    store::insert_consents(
        &mut tx,
        store::NewConsents {
            care: &care,
            institution: &update.institution,
            person,
            answers: &update.answers,
            given_at: now,
            window,
            session: &session,
        },
    )
    .await?;
    if update.answers.iter().any(|(_, a)| *a == Answer::Decline) {
        // Declining is a revocation by the patient: the next visit needs the card (onshi's rule).
        sqlx::query(
            "UPDATE care_relationships SET revoked_since_card = 1 \
             WHERE person_id = $1 AND institution_code = $2",
        )
        .bind(person)
        .bind(&update.institution)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

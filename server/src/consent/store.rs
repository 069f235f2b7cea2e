//! 同意と継続的な診療の記録 (registered consents and care relationships): one row per consent answer,
//! the newest answer per item in force; one care relationship per institution and person, which
//! holds the last card-verified visit that 再照会 depends on.

use onshi_core::consent::{
    Answer, CareSetting, Consent, ConsentItem, ConsentWindow, Revocation, RevokedBy,
};
use onshi_core::flows::{CertificateStatus, IdentityMethod};
use onshi_core::jst::JstDateTime;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::db::{Db, from_epoch, name_of, parse_name, to_epoch};
use crate::error::ApiError;

/// 継続的な診療: one institution's relationship with one patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CareRelationship {
    /// The institution's handle for the patient (opaque; used in every later request).
    pub id: String,
    /// 医療機関等コード.
    pub institution: String,
    /// The person key (never sent to institutions).
    #[serde(skip)]
    pub person: String,
    /// Where the care happens.
    pub setting: CareSetting,
    /// The last visit whose identity was verified with the card.
    #[serde(with = "onshi_core::jst::serde_datetime")]
    pub card_verified_at: JstDateTime,
    /// How identity was verified at that visit.
    pub identity: IdentityMethod,
    /// The card certificate's state at that visit.
    pub certificate: CertificateStatus,
    /// Care continues.
    pub active: bool,
    /// A consent was revoked since the card visit.
    pub revoked_since_card: bool,
}

fn care_of(row: &AnyRow) -> Result<CareRelationship, ApiError> {
    let setting: String = row.try_get("setting")?;
    let identity: String = row.try_get("identity_method")?;
    let certificate: String = row.try_get("certificate_status")?;
    Ok(CareRelationship {
        id: row.try_get("id")?,
        institution: row.try_get("institution_code")?,
        person: row.try_get("person_id")?,
        setting: parse_name(&setting)?,
        card_verified_at: from_epoch(row.try_get("card_verified_at")?),
        identity: parse_name(&identity)?,
        certificate: serde_json::from_str(&certificate)
            .map_err(|e| ApiError::internal(format_args!("stored certificate status: {e}")))?,
        active: row.try_get::<i64, _>("care_active")? != 0,
        revoked_since_card: row.try_get::<i64, _>("revoked_since_card")? != 0,
    })
}

const CARE_COLUMNS: &str = "id, institution_code, person_id, setting, card_verified_at, \
     identity_method, certificate_status, care_active, revoked_since_card";

/// Records a card-verified visit: starts the care relationship, or renews it (care continues again,
/// and the revocation flag is cleared because the card was used again). Returns its id.
pub async fn record_card_visit(
    tx: &mut Transaction<'_, Any>,
    institution: &str,
    person: &str,
    setting: CareSetting,
    identity: IdentityMethod,
    certificate: CertificateStatus,
    at: JstDateTime,
) -> Result<String, ApiError> {
    let fresh = crate::keys::random_id().map_err(ApiError::internal)?;
    let status = serde_json::to_string(&certificate).map_err(ApiError::internal)?;
    let id: String = sqlx::query_scalar(
        "INSERT INTO care_relationships (id, institution_code, person_id, setting, card_verified_at, \
         identity_method, certificate_status, care_active, ended_at, revoked_since_card) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, NULL, 0) \
         ON CONFLICT (institution_code, person_id) DO UPDATE SET setting = excluded.setting, \
         card_verified_at = excluded.card_verified_at, identity_method = excluded.identity_method, \
         certificate_status = excluded.certificate_status, care_active = 1, ended_at = NULL, \
         revoked_since_card = 0 RETURNING id",
    )
    .bind(fresh)
    .bind(institution)
    .bind(person)
    .bind(name_of(&setting))
    .bind(to_epoch(at))
    .bind(name_of(&identity))
    .bind(status)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// The care relationship `id` of `institution` (another institution's id is not found).
pub async fn care(db: &Db, institution: &str, id: &str) -> Result<CareRelationship, ApiError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {CARE_COLUMNS} FROM care_relationships WHERE id = $1 AND institution_code = $2"
    )))
    .bind(id)
    .bind(institution)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| {
        ApiError::not_found(
            "PATIENT_NOT_FOUND",
            "この患者の記録がありません（初回のマイナ保険証による確認が必要です）",
            "no patient with this id at this institution (a first visit with the card is needed)",
        )
    })?;
    care_of(&row)
}

/// The institution's care relationships, newest card visit first.
pub async fn cares(db: &Db, institution: &str) -> Result<Vec<CareRelationship>, ApiError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {CARE_COLUMNS} FROM care_relationships WHERE institution_code = $1 \
         ORDER BY card_verified_at DESC, id"
    )))
    .bind(institution)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(care_of).collect()
}

/// The confirmed answers of one session, ready to register.
#[derive(Debug, Clone, Copy)]
pub struct NewConsents<'a> {
    /// The care relationship they belong to.
    pub care: &'a str,
    /// 医療機関等コード.
    pub institution: &'a str,
    /// The person key.
    pub person: &'a str,
    /// Every item's answer.
    pub answers: &'a [(ConsentItem, Answer)],
    /// When they were given.
    pub given_at: JstDateTime,
    /// Their window.
    pub window: ConsentWindow,
    /// The consent session they came from.
    pub session: &'a str,
}

/// Registers the confirmed answers of one session.
pub async fn insert_consents(
    tx: &mut Transaction<'_, Any>,
    new: NewConsents<'_>,
) -> Result<(), ApiError> {
    let window = serde_json::to_string(&new.window).map_err(ApiError::internal)?;
    for (item, answer) in new.answers {
        sqlx::query(
            "INSERT INTO consents (care_id, institution_code, person_id, item, answer, given_at, \
             consent_window, session_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new.care)
        .bind(new.institution)
        .bind(new.person)
        .bind(name_of(item))
        .bind(name_of(answer))
        .bind(to_epoch(new.given_at))
        .bind(&window)
        .bind(new.session)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A registered consent with the institution it was given to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisteredConsent {
    /// 医療機関等コード.
    pub institution: String,
    /// The consent (core's model: its state at a moment is core's rule).
    pub consent: Consent,
}

fn consent_of(row: &AnyRow) -> Result<RegisteredConsent, ApiError> {
    let item: String = row.try_get("item")?;
    let answer: String = row.try_get("answer")?;
    let window: String = row.try_get("consent_window")?;
    let revoked_by: Option<String> = row.try_get("revoked_by")?;
    let revoked_at: Option<i64> = row.try_get("revoked_at")?;
    let revoked = match (revoked_by, revoked_at) {
        (Some(by), Some(at)) => Some(Revocation {
            by: parse_name::<RevokedBy>(&by)?,
            at: from_epoch(at),
        }),
        _ => None,
    };
    Ok(RegisteredConsent {
        institution: row.try_get("institution_code")?,
        consent: Consent {
            item: parse_name(&item)?,
            answer: parse_name(&answer)?,
            given_at: from_epoch(row.try_get("given_at")?),
            window: serde_json::from_str(&window)
                .map_err(|e| ApiError::internal(format_args!("stored window: {e}")))?,
            revoked,
        },
    })
}

/// The consent in force per item for one person at one institution (or at every institution with
/// `institution = None`): the newest registration of each item.
pub async fn current_consents(
    db: &Db,
    person: &str,
    institution: Option<&str>,
) -> Result<Vec<RegisteredConsent>, ApiError> {
    let rows = sqlx::query(
        "SELECT institution_code, item, answer, given_at, consent_window, revoked_by, revoked_at \
         FROM consents WHERE person_id = $1 AND ($2 IS NULL OR institution_code = $2) \
         ORDER BY institution_code, item, given_at DESC, id DESC",
    )
    .bind(person)
    .bind(institution)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<RegisteredConsent> = Vec::new();
    for row in &rows {
        let c = consent_of(row)?;
        let newer_seen = out
            .last()
            .is_some_and(|p| p.institution == c.institution && p.consent.item == c.consent.item);
        if !newer_seen {
            out.push(c);
        }
    }
    Ok(out)
}

/// Revokes every consent still unrevoked of `person` (at `institution`, or everywhere), and marks
/// the care relationships so the next visit needs the card. Returns how many were revoked.
pub async fn revoke(
    tx: &mut Transaction<'_, Any>,
    person: &str,
    institution: Option<&str>,
    by: RevokedBy,
    at: JstDateTime,
) -> Result<u64, ApiError> {
    let done = sqlx::query(
        "UPDATE consents SET revoked_by = $1, revoked_at = $2 \
         WHERE person_id = $3 AND revoked_at IS NULL AND ($4 IS NULL OR institution_code = $4)",
    )
    .bind(name_of(&by))
    .bind(to_epoch(at))
    .bind(person)
    .bind(institution)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    sqlx::query(
        "UPDATE care_relationships SET revoked_since_card = 1 \
         WHERE person_id = $1 AND ($2 IS NULL OR institution_code = $2)",
    )
    .bind(person)
    .bind(institution)
    .execute(&mut **tx)
    .await?;
    Ok(done)
}

/// Ends the care relationship (discharge, death, transfer): care no longer continues, and the
/// institution revokes its consents so none outlives the care (flows (b)).
pub async fn end_care(db: &Db, care: &CareRelationship, at: JstDateTime) -> Result<u64, ApiError> {
    let mut tx = db.pool.begin().await?;
    sqlx::query("UPDATE care_relationships SET care_active = 0, ended_at = $1 WHERE id = $2")
        .bind(to_epoch(at))
        .bind(&care.id)
        .execute(&mut *tx)
        .await?;
    let revoked = revoke(
        &mut tx,
        &care.person,
        Some(&care.institution),
        RevokedBy::Institution,
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(revoked)
}

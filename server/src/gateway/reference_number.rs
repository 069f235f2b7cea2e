//! 照会番号登録 (reference-number registration, OQS-IF-003/004): an institution's own patient key,
//! registered for a person found by their 被保険者証 or 医療扶助 numbers; from then on that
//! institution's results carry it as `ReferenceNumber`.

use std::collections::HashMap;
use std::fmt::Write as _;

use onshi_core::jst::JstDateTime;
use onshi_core::oqs::{InsuredKey, RegistrationInfo};
use onshi_core::qualification::Qualification;
use sqlx::Row;

use crate::db::{Db, to_epoch};
use crate::error::ApiError;

/// The longest 照会番号 accepted (the official length is not public; clinics use chart numbers).
pub const MAX_REFERENCE_NUMBER_CHARS: usize = 40;

fn matches(q: &Qualification, key: &InsuredKey) -> bool {
    match key {
        InsuredKey::Insurance { symbol, branch, .. } => {
            symbol.as_ref().is_none_or(|s| q.symbol.as_ref() == Some(s))
                && branch.as_ref().is_none_or(|b| q.branch.as_ref() == Some(b))
        }
        InsuredKey::MedicalAid { .. } => true,
    }
}

/// Registers `info.reference_number` for the one person `info.key` names. No match is
/// `REFERENCE_PERSON_NOT_FOUND`; several people are `REFERENCE_PERSON_AMBIGUOUS` (add the 記号 or
/// 枝番). Registering again replaces the institution's earlier number for that person.
pub async fn register(
    db: &Db,
    institution: &str,
    info: &RegistrationInfo,
    now: JstDateTime,
) -> Result<(), ApiError> {
    let number = checked(&info.reference_number)?;
    let rows = match &info.key {
        InsuredKey::Insurance {
            insurer, number, ..
        } => {
            sqlx::query(
                "SELECT person_id, record FROM qualifications \
                 WHERE insurer_number = $1 AND number = $2",
            )
            .bind(insurer.as_str())
            .bind(number.as_str())
            .fetch_all(&db.pool)
            .await?
        }
        InsuredKey::MedicalAid { payer, beneficiary } => {
            sqlx::query(
                "SELECT person_id, record FROM qualifications \
                 WHERE public_expense_number = $1 AND recipient_number = $2",
            )
            .bind(payer.to_string())
            .bind(beneficiary.as_str())
            .fetch_all(&db.pool)
            .await?
        }
    };
    let mut persons = Vec::new();
    for row in rows {
        let person: String = row.try_get("person_id")?;
        let json: String = row.try_get("record")?;
        let q: Qualification = serde_json::from_str(&json)
            .map_err(|e| ApiError::internal(format_args!("stored record unreadable: {e}")))?;
        if matches(&q, &info.key) && !persons.contains(&person) {
            persons.push(person);
        }
    }
    let person = match persons.as_slice() {
        [one] => one,
        [] => {
            return Err(ApiError::not_found(
                "REFERENCE_PERSON_NOT_FOUND",
                "該当する資格がありません。番号をご確認ください",
                "no qualification matches; check the numbers",
            ));
        }
        _ => {
            return Err(ApiError::conflict(
                "REFERENCE_PERSON_AMBIGUOUS",
                "複数の方が該当します。記号と枝番を入れてください",
                "several people match; add the symbol and branch number",
            ));
        }
    };
    save(db, institution, person, number, now).await
}

/// A 照会番号 as given, trimmed: 1 to [`MAX_REFERENCE_NUMBER_CHARS`] characters.
fn checked(number: &str) -> Result<&str, ApiError> {
    let number = number.trim();
    if number.is_empty() || number.chars().count() > MAX_REFERENCE_NUMBER_CHARS {
        return Err(ApiError::bad_request(
            "REFERENCE_NUMBER_INVALID",
            &format!("照会番号は1〜{MAX_REFERENCE_NUMBER_CHARS}文字です"),
            &format!("a reference number has 1 to {MAX_REFERENCE_NUMBER_CHARS} characters"),
        ));
    }
    Ok(number)
}

/// Registers `number` as `institution`'s 照会番号 for `person`, a patient the institution already
/// knows (under its care): replaces an earlier one. Returns the number as stored.
pub async fn register_for_person(
    db: &Db,
    institution: &str,
    person: &str,
    number: &str,
    now: JstDateTime,
) -> Result<String, ApiError> {
    let number = checked(number)?;
    save(db, institution, person, number, now).await?;
    Ok(number.to_owned())
}

async fn save(
    db: &Db,
    institution: &str,
    person: &str,
    number: &str,
    now: JstDateTime,
) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO reference_numbers (institution_code, person_id, reference_number, registered_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (institution_code, person_id) DO UPDATE SET \
         reference_number = excluded.reference_number, registered_at = excluded.registered_at",
    )
    .bind(institution)
    .bind(person)
    .bind(number)
    .bind(to_epoch(now))
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The 照会番号 `institution` registered, by person, for those of `persons` that have one.
pub async fn references_for(
    db: &Db,
    institution: &str,
    persons: &[&str],
) -> Result<HashMap<String, String>, ApiError> {
    let mut found = HashMap::new();
    for part in persons.chunks(500) {
        let mut sql = String::from(
            "SELECT person_id, reference_number FROM reference_numbers \
             WHERE institution_code = $1 AND person_id IN (",
        );
        for i in 0..part.len() {
            let sep = if i == 0 { "" } else { ", " };
            let _ = write!(sql, "{sep}${}", i + 2);
        }
        sql.push(')');
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(institution);
        for p in part {
            query = query.bind(*p);
        }
        for row in query.fetch_all(&db.pool).await? {
            found.insert(row.try_get("person_id")?, row.try_get("reference_number")?);
        }
    }
    Ok(found)
}

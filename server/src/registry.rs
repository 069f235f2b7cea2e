//! 資格情報の登録と照会 (the registry): the qualifications insurers registered, looked up for one
//! person on one 資格確認日. Storage only — what a record means for a date is core's
//! [`RecordIndex::determine`], the same function every channel uses.

use onshi_core::jst::{Date, JstDateTime, format_date};
use onshi_core::qualification::{
    Determination, Qualification, QueryKey, RecordIndex, RegisteredRecord,
};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::db::{Db, to_epoch};
use crate::error::ApiError;

/// A determination with the record it shows.
#[derive(Debug, Clone)]
pub struct Lookup {
    /// 資格有効性 and what to do.
    pub determination: Determination,
    /// The record shown (the current one, or the last one for reference).
    pub qualification: Option<Qualification>,
    /// Whose record it is (the opaque person key), when one was found.
    pub person: Option<String>,
}

/// Registers a person with their records (in the caller's transaction, so a batch commits whole).
pub async fn register_person(
    tx: &mut Transaction<'_, Any>,
    person: &str,
    birthdate: Date,
    records: &[Qualification],
    now: JstDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO persons (id, birthdate, created_at) VALUES ($1, $2, $3)")
        .bind(person)
        .bind(format_date(birthdate))
        .bind(to_epoch(now))
        .execute(&mut **tx)
        .await?;
    for q in records {
        add_record(tx, person, q).await?;
    }
    Ok(())
}

/// Adds one record to a registered person.
pub async fn add_record(
    tx: &mut Transaction<'_, Any>,
    person: &str,
    q: &Qualification,
) -> Result<(), sqlx::Error> {
    let row = RecordColumns::of(q).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO qualifications (person_id, insurer_number, number, birthdate, \
         public_expense_number, recipient_number, record) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(person)
    .bind(row.insurer_number)
    .bind(row.number)
    .bind(row.birthdate)
    .bind(row.public_expense_number)
    .bind(row.recipient_number)
    .bind(row.record)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The stored columns of one record in `qualifications` (besides `person_id`): the keys number
/// and 医療券 queries use, and the record itself. Bulk loaders write the same columns.
#[derive(Debug, Clone)]
pub struct RecordColumns {
    /// 保険者番号 (NULL for 医療扶助 alone).
    pub insurer_number: Option<String>,
    /// 被保険者証番号.
    pub number: Option<String>,
    /// 生年月日 (YYYYMMDD).
    pub birthdate: String,
    /// 公費負担者番号 (医療扶助).
    pub public_expense_number: Option<String>,
    /// 受給者番号 (医療扶助).
    pub recipient_number: Option<String>,
    /// The record as JSON.
    pub record: String,
}

impl RecordColumns {
    /// The columns of `q`.
    pub fn of(q: &Qualification) -> Result<Self, serde_json::Error> {
        let aid = q.medical_assistance.as_ref();
        Ok(Self {
            insurer_number: q.insurer_number.as_ref().map(|n| n.as_str().to_owned()),
            number: q.number.as_ref().map(|n| n.as_str().to_owned()),
            birthdate: format_date(q.birthdate),
            public_expense_number: aid.and_then(|a| a.payer.as_ref()).map(|p| p.to_string()),
            recipient_number: aid
                .and_then(|a| a.beneficiary.as_ref())
                .map(|b| b.as_str().to_owned()),
            record: serde_json::to_string(q)?,
        })
    }
}

fn record_of(row: &AnyRow) -> Result<RegisteredRecord, ApiError> {
    let person: String = row.try_get("person_id")?;
    let json: String = row.try_get("record")?;
    let qualification = serde_json::from_str(&json)
        .map_err(|e| ApiError::internal(format_args!("stored record unreadable: {e}")))?;
    Ok(RegisteredRecord {
        person,
        qualification,
    })
}

/// Every record that can bear on `key`: the person's own for a card; for numbers, all records of
/// each person whose numbers match (so a newer qualification elsewhere is seen).
pub async fn records_for(db: &Db, key: &QueryKey) -> Result<Vec<RegisteredRecord>, ApiError> {
    let rows = match key {
        QueryKey::Card { person } => {
            sqlx::query("SELECT person_id, record FROM qualifications WHERE person_id = $1")
                .bind(person)
                .fetch_all(&db.pool)
                .await?
        }
        QueryKey::Numbers {
            insurer,
            number,
            birthdate,
            ..
        } => {
            sqlx::query(
                "SELECT person_id, record FROM qualifications WHERE person_id IN \
                 (SELECT person_id FROM qualifications \
                  WHERE insurer_number = $1 AND number = $2 AND birthdate = $3)",
            )
            .bind(insurer.as_str())
            .bind(number.as_str())
            .bind(format_date(*birthdate))
            .fetch_all(&db.pool)
            .await?
        }
    };
    rows.iter().map(record_of).collect()
}

/// Determines 資格有効性 on `date` for `key` from the registered records.
pub async fn lookup(db: &Db, key: &QueryKey, date: Date) -> Result<Lookup, ApiError> {
    let records = records_for(db, key).await?;
    Ok(determine(&records, key, date))
}

/// Determines from records already loaded (一括照会 loads many at once).
pub fn determine(records: &[RegisteredRecord], key: &QueryKey, date: Date) -> Lookup {
    let index = RecordIndex::new(records);
    let determination = index.determine(key, date);
    let shown = determination.record.and_then(|i| records.get(i));
    Lookup {
        qualification: shown.map(|r| r.qualification.clone()),
        person: shown.map(|r| r.person.clone()),
        determination,
    }
}

/// The person a card certificate is registered to (マイナ保険証の利用登録), if any.
pub async fn person_for_card(db: &Db, link_key: &str) -> Result<Option<String>, ApiError> {
    Ok(
        sqlx::query_scalar("SELECT person_id FROM card_registrations WHERE link_key = $1")
            .bind(link_key)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// The person a card certificate is registered to, or CARD_NOT_REGISTERED with what to do.
pub async fn registered_person(db: &Db, link_key: &str) -> Result<String, ApiError> {
    person_for_card(db, link_key).await?.ok_or_else(|| {
        ApiError::refused(
            "CARD_NOT_REGISTERED",
            onshi_core::i18n::Message::new(
                "このマイナンバーカードは保険証として利用登録されていません。マイナポータルか顔認証付きカードリーダーで登録してください（その間は資格確認書で確認できます）",
                "this card is not registered for health-insurance use; register it through マイナポータル or at a face-recognition reader (meanwhile use the 資格確認書)",
            ),
        )
    })
}

/// Registers a card certificate to a person; registering the same certificate again is a no-op.
pub async fn register_card(
    db: &Db,
    link_key: &str,
    person: &str,
    now: JstDateTime,
) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO card_registrations (link_key, person_id, registered_at) VALUES ($1, $2, $3) \
         ON CONFLICT (link_key) DO NOTHING",
    )
    .bind(link_key)
    .bind(person)
    .bind(to_epoch(now))
    .execute(&db.pool)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use onshi_core::codes::QualificationValidity;

    fn qualification(json: serde_json::Value) -> Qualification {
        serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"))
    }

    #[tokio::test]
    async fn a_number_query_sees_the_newer_qualification_of_the_same_person() {
        for url in testing::fresh_databases().await {
            let (state, _) = testing::state(&url, testing::test_now()).await;
            let old = qualification(serde_json::json!({
                "card_classification": "01", "insurer_number": "06139992", "number": "1234",
                "name": "試験　一郎", "sex1": "1", "birthdate": "19800401",
                "qualification_date": "20100401", "disqualification_date": "20260401"
            }));
            let new = qualification(serde_json::json!({
                "card_classification": "01", "insurer_number": "01130012", "number": "9",
                "name": "試験　一郎", "sex1": "1", "birthdate": "19800401",
                "qualification_date": "20260401"
            }));
            let mut tx = state
                .db
                .pool
                .begin()
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            register_person(
                &mut tx,
                "p1",
                new.birthdate,
                &[old.clone(), new],
                testing::test_now(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
            tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
            let key = QueryKey::Numbers {
                insurer: "06139992".parse().unwrap_or_else(|e| panic!("{e}")),
                symbol: None,
                number: "1234".parse().unwrap_or_else(|e| panic!("{e}")),
                branch: None,
                birthdate: old.birthdate,
            };
            let found = lookup(&state.db, &key, testing::test_now().date())
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                found.determination.validity,
                QualificationValidity::InvalidNewQualification,
                "{url}"
            );
            assert_eq!(found.person.as_deref(), Some("p1"));
        }
    }
}

//! The `face` folder: results of card reads that arrive without a request (home-visit and
//! 資格確認限定型 checks here). A completed check records a face event in its own transaction;
//! the gateway writes each event once as `OQSsiquc01res_face_<医療機関等コード><hex id>_<time>.xml`.
//!
//! The persisted cursor is a `delivered_at` mark per event rather than one "last id": ids from a
//! PostgreSQL sequence can commit out of order, and a single high-water mark would then skip an
//! event committed late.

use std::path::Path;

use onshi_core::codes::{
    ProcessingResultStatus, QualificationValidity, ReasonOfLoss, ReferenceClassification,
    SegmentOfResult,
};
use onshi_core::ids::MedicalInstitutionCode;
use onshi_core::jst::{Date, JstDateTime, format_date, format_datetime, parse_date};
use onshi_core::oqs::{QualificationResult, ResultBody, ResultEntry, ResultHeader, XmlEncoding};
use onshi_core::qualification::Qualification;
use serde::{Deserialize, Serialize};
use sqlx::{Any, Row, Transaction};

use super::files::write_atomically;
use crate::db::{from_epoch, to_epoch};
use crate::error::ApiError;
use crate::registry::Lookup;
use crate::state::AppState;

/// What a face event stores (the determination and the record shown).
#[derive(Serialize, Deserialize)]
struct FaceRecord {
    validity: QualificationValidity,
    #[serde(default)]
    reason_of_loss: Option<ReasonOfLoss>,
    #[serde(default)]
    qualification: Option<Qualification>,
    #[serde(default)]
    person: Option<String>,
}

/// Records a completed card check (訪問診療等 or 資格確認限定型) of `institution` for its `face`
/// folder, in the caller's transaction so the event exists exactly when the check does.
/// `at` is when the card was read; `date` the 資格確認日.
pub async fn record_face_event(
    tx: &mut Transaction<'_, Any>,
    institution: &str,
    lookup: &Lookup,
    at: JstDateTime,
    date: Date,
) -> Result<(), ApiError> {
    institution.parse::<MedicalInstitutionCode>().map_err(|e| {
        ApiError::bad_request(
            "INSTITUTION_CODE_INVALID",
            &format!("医療機関等コードが正しくありません: {e}"),
            &format!("invalid institution code: {e}"),
        )
    })?;
    let record = FaceRecord {
        validity: lookup.determination.validity,
        reason_of_loss: lookup.determination.reason_of_loss,
        qualification: lookup.qualification.clone(),
        person: lookup.person.clone(),
    };
    let json = serde_json::to_string(&record)
        .map_err(|e| ApiError::internal(format_args!("face event json: {e}")))?;
    sqlx::query(
        "INSERT INTO face_events (institution_code, read_at, confirmation_date, result) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(institution)
    .bind(to_epoch(at))
    .bind(format_date(date))
    .bind(json)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The face file's name for event `id`: the id as 20 hex digits stands in for the terminal's
/// opaque hex, so a rewrite after a crash lands on the same name.
pub fn face_file_name(
    institution: &MedicalInstitutionCode,
    id: i64,
    read_at: JstDateTime,
) -> String {
    format!(
        "OQSsiquc01res_face_{}{:020x}_{}.xml",
        institution.as_str(),
        id,
        format_datetime(read_at)
    )
}

/// Writes every undelivered face event of `institution` into `face_dir` (atomically, then marks
/// it delivered); returns how many it wrote.
pub async fn deliver_face_events(
    state: &AppState,
    institution: &MedicalInstitutionCode,
    face_dir: &Path,
) -> Result<usize, ApiError> {
    let rows = sqlx::query(
        "SELECT id, read_at, confirmation_date, result FROM face_events \
         WHERE institution_code = $1 AND delivered_at IS NULL ORDER BY id LIMIT 200",
    )
    .bind(institution.as_str())
    .fetch_all(&state.db.pool)
    .await?;
    let mut written = 0;
    for row in rows {
        let id: i64 = row.try_get("id")?;
        let read_at = from_epoch(row.try_get("read_at")?);
        let date: String = row.try_get("confirmation_date")?;
        let json: String = row.try_get("result")?;
        let record: FaceRecord = serde_json::from_str(&json)
            .map_err(|e| ApiError::internal(format_args!("stored face event unreadable: {e}")))?;
        let date = parse_date(&date)
            .map_err(|e| ApiError::internal(format_args!("stored face event date: {e}")))?;
        let reference = match &record.person {
            Some(p) => {
                super::reference_number::references_for(&state.db, institution.as_str(), &[p])
                    .await?
                    .remove(p)
            }
            None => None,
        };
        let result = QualificationResult {
            header: ResultHeader {
                processed_at: Some(read_at),
                confirmation_date: Some(date),
                institution: institution.clone(),
                arbitrary_file_identifier: None,
                reference_classification: Some(ReferenceClassification::MyNumberCard),
                segment_of_result: SegmentOfResult::Completed,
                error_code: None,
                error_message: None,
                character_code: None,
            },
            body: Some(ResultBody {
                processing_result_status: ProcessingResultStatus::Completed,
                processing_result_code: None,
                processing_result_message: None,
                qualification_validity: Some(record.validity),
                results: record
                    .qualification
                    .into_iter()
                    .map(|qualification| ResultEntry {
                        qualification,
                        reference_number: reference.clone(),
                        arbitrary_identifier: None,
                        limit_consent: None,
                        consents: Vec::new(),
                        prescription_issue: None,
                        limit_certificate_changed: None,
                    })
                    .collect(),
            }),
            unknown_elements: Vec::new(),
        };
        // Face files are UTF-8, as the terminal's are.
        let bytes = result
            .to_xml(XmlEncoding::Utf8)
            .map_err(|e| ApiError::internal(format_args!("face result: {e}")))?;
        let name = face_file_name(institution, id, read_at);
        write_atomically(face_dir, &name, &bytes)
            .map_err(|e| ApiError::internal(format_args!("writing face file: {e}")))?;
        sqlx::query("UPDATE face_events SET delivered_at = $1 WHERE id = $2")
            .bind(to_epoch(state.now()))
            .bind(id)
            .execute(&state.db.pool)
            .await?;
        written += 1;
    }
    Ok(written)
}

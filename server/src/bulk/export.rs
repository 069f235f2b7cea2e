//! A job's results as files: the CSV staff open in a spreadsheet, and for OQS uploads the bulk
//! result `OQSmuquc02res` (OQS-IF-008) in the upload's encoding.

use onshi_core::codes::{ProcessingResultStatus, SegmentOfResult};
use onshi_core::ids::MedicalInstitutionCode;
use onshi_core::oqs::{
    BulkConfirmUnit, ResponseHeader, ResultEntry, XmlEncoding, write_bulk_result,
};

use super::view::{QualificationSummary, RowInput, RowOutcome, stored_row};
use super::{Job, JobId, JobState, RowStatus, UploadFormat, job};
use crate::db::from_epoch;
use crate::error::ApiError;
use crate::state::AppState;

async fn all_rows(
    state: &AppState,
    id: &JobId,
) -> Result<Vec<(u64, RowInput, Option<RowOutcome>)>, ApiError> {
    sqlx::query("SELECT row_no, input, result FROM bulk_rows WHERE job_id = $1 ORDER BY row_no")
        .bind(id.as_str())
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(stored_row)
        .collect()
}

fn processing() -> ApiError {
    ApiError::conflict(
        "BATCH_PENDING",
        "一括照会はまだ処理中です。しばらくしてから取得してください",
        "the bulk inquiry is still processing; fetch the results a little later",
    )
}

/// The results of a completed job as CSV (UTF-8 with a BOM, so spreadsheets read the Japanese),
/// one line per uploaded row in upload order.
pub async fn results_csv(
    state: &AppState,
    institution: &str,
    id: &JobId,
) -> Result<Vec<u8>, ApiError> {
    let job = job(state, institution, id).await?;
    if job.state != JobState::Completed {
        return Err(processing());
    }
    let rows = all_rows(state, id).await?;
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let fail = |e: csv::Error| ApiError::internal(format_args!("csv: {e}"));
    out.write_record([
        "行",
        "照会番号",
        "結果",
        "資格有効性",
        "コード",
        "メッセージ",
        "message",
        "保険者番号",
        "保険者名称",
        "記号",
        "番号",
        "枝番",
        "氏名",
        "氏名カナ",
        "生年月日",
        "資格取得年月日",
        "資格喪失年月日",
        "一部負担金割合",
        "登録済照会番号",
    ])
    .map_err(fail)?;
    for (_, input, outcome) in &rows {
        let status = outcome
            .as_ref()
            .map_or(RowStatus::Pending, RowOutcome::status);
        let summary = outcome
            .as_ref()
            .and_then(|o| o.qualification.as_ref())
            .map(QualificationSummary::of);
        let s = summary.as_ref();
        let text = |v: Option<&String>| v.cloned().unwrap_or_default();
        out.write_record([
            input.line.to_string(),
            input.reference.clone().unwrap_or_default(),
            status.label_ja().to_owned(),
            outcome
                .as_ref()
                .and_then(|o| o.validity)
                .map(|v| format!("{} {}", v.code(), v.label_ja()))
                .unwrap_or_default(),
            outcome.as_ref().map(|o| o.code.clone()).unwrap_or_default(),
            outcome.as_ref().map(|o| o.ja.clone()).unwrap_or_default(),
            outcome.as_ref().map(|o| o.en.clone()).unwrap_or_default(),
            text(s.and_then(|s| s.insurer_number.as_ref())),
            text(s.and_then(|s| s.insurer_name.as_ref())),
            text(s.and_then(|s| s.symbol.as_ref())),
            text(s.and_then(|s| s.number.as_ref())),
            text(s.and_then(|s| s.branch.as_ref())),
            text(s.map(|s| &s.name)),
            text(s.and_then(|s| s.name_kana.as_ref())),
            text(s.map(|s| &s.birthdate)),
            text(s.and_then(|s| s.qualification_date.as_ref())),
            text(s.and_then(|s| s.disqualification_date.as_ref())),
            text(s.and_then(|s| s.copay_ratio.as_ref())),
            text(outcome.as_ref().and_then(|o| o.reference_number.as_ref())),
        ])
        .map_err(fail)?;
    }
    out.into_inner()
        .map_err(|e| ApiError::internal(format_args!("csv: {e}")))
}

/// The results of a job uploaded as `OQSmuquc01req`, as the bulk result `OQSmuquc02res`: while
/// rows remain, the header alone with `SegmentOfResult` 2 (処理中), as the central system answers
/// a download request that came too early.
pub async fn results_xml(
    state: &AppState,
    institution: &str,
    id: &JobId,
) -> Result<Vec<u8>, ApiError> {
    let job = job(state, institution, id).await?;
    if job.format != UploadFormat::OqsXml {
        return Err(ApiError::conflict(
            "BULK_NOT_OQS_UPLOAD",
            "OQS形式の結果は、XML（OQSmuquc01req）で受け付けた一括照会にだけあります",
            "the OQS result exists only for jobs uploaded as OQSmuquc01req XML",
        ));
    }
    oqs_result(state, &job).await
}

/// The `OQSmuquc02res` bytes of `job` (the same bytes every time once it is complete).
pub(crate) async fn oqs_result(state: &AppState, job: &Job) -> Result<Vec<u8>, ApiError> {
    let institution: MedicalInstitutionCode = job.institution.parse().map_err(|e| {
        ApiError::internal(format_args!("bulk job institution code unreadable: {e}"))
    })?;
    let mut header = ResponseHeader::new(institution, SegmentOfResult::Processing);
    header.confirmation_date = Some(job.confirmation_date);
    header.arbitrary_file_identifier = job.arbitrary_file_identifier.clone();
    header.reception_number = Some(job.id.to_string());
    let mut units = Vec::new();
    if job.state == JobState::Completed {
        let rows = all_rows(state, &job.id).await?;
        units = rows
            .iter()
            .map(|(_, input, outcome)| unit(input, outcome.as_ref()))
            .collect();
        let errors = units
            .iter()
            .filter(|u| u.processing_result_status == Some(ProcessingResultStatus::Error))
            .count();
        let count = |n: usize| u32::try_from(n).ok();
        header.segment_of_result = SegmentOfResult::Completed;
        header.processed_at = job.completed_at.map(from_epoch);
        header.processed_count = count(units.len());
        header.normal_count = count(units.len() - errors);
        header.error_count = count(errors);
    }
    let encoding = match job.xml_encoding.as_deref() {
        Some("Shift_JIS") => XmlEncoding::ShiftJis,
        _ => XmlEncoding::Utf8,
    };
    match write_bulk_result(Vec::new(), &header, None, &units, encoding) {
        Ok(bytes) => Ok(bytes),
        // A name Shift_JIS cannot hold: the file goes out in UTF-8 rather than not at all.
        Err(_) if encoding == XmlEncoding::ShiftJis => {
            write_bulk_result(Vec::new(), &header, None, &units, XmlEncoding::Utf8)
                .map_err(|e| ApiError::internal(format_args!("bulk result: {e}")))
        }
        Err(e) => Err(ApiError::internal(format_args!("bulk result: {e}"))),
    }
}

fn unit(input: &RowInput, outcome: Option<&RowOutcome>) -> BulkConfirmUnit {
    let mut unit = BulkConfirmUnit {
        search: input.search.clone(),
        processing_result_status: Some(ProcessingResultStatus::Completed),
        processing_result_code: None,
        processing_result_message: None,
        qualification_validity: None,
        results: Vec::new(),
        reference_number: None,
    };
    match outcome {
        Some(o) if o.validity.is_some() => {
            unit.qualification_validity = o.validity;
            unit.reference_number = o.reference_number.clone();
            unit.results = o
                .qualification
                .iter()
                .map(|q| ResultEntry {
                    qualification: q.clone(),
                    reference_number: o.reference_number.clone(),
                    arbitrary_identifier: input.reference.clone(),
                    limit_consent: None,
                    consents: Vec::new(),
                    prescription_issue: None,
                    limit_certificate_changed: None,
                })
                .collect();
        }
        Some(o) => {
            unit.processing_result_status = Some(ProcessingResultStatus::Error);
            unit.processing_result_code = Some(o.code.clone());
            unit.processing_result_message = Some(o.ja.clone());
        }
        None => {
            unit.processing_result_status = Some(ProcessingResultStatus::Error);
            unit.processing_result_code = Some("BATCH_PENDING".to_owned());
        }
    }
    unit
}

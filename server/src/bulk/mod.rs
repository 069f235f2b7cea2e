//! 一括照会 (bulk inquiry) jobs: an institution uploads the list of its booked patients — CSV or
//! JSON read by core's patient-list rules, or the OQS bulk request `OQSmuquc01req` — and gets a job
//! id (受付番号) at once. The rows are determined in the background by core's one qualification
//! logic, a chunk at a time, and each row's result (有効 / 無効 / 無効（新しい資格あり） / 該当なし /
//! 複数該当 / エラー) can be read as JSON, exported as CSV, and for OQS uploads as the bulk result
//! `OQSmuquc02res`.
//!
//! Crash safety: an upload's rows are inserted in one transaction with the job, so a job exists
//! whole or not at all. Processing commits each chunk's results together with the job's `done`
//! counter; on start every unfinished job resumes from `done`. Results are written by primary key
//! (an upsert), so redoing a chunk after a crash rewrites the same rows and duplicates none.

mod answer;
pub(crate) mod export;
mod routes;
mod upload;
mod view;
mod worker;

use std::fmt;

use onshi_core::jst::{Date, format_date, parse_date};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::db::{from_epoch, to_epoch};
use crate::error::ApiError;
use crate::state::AppState;

pub use answer::{csv_answer, result_xml_answer, rows_answer, status_answer, upload_answer};
pub use export::{results_csv, results_xml};
pub use routes::routes;
pub use upload::MAX_UPLOAD_BYTES;
pub use view::{QualificationSummary, RowView};
pub use worker::{CHUNK_ROWS, process_chunk, resume_unfinished, spawn_worker, wake_workers};

/// 受付番号: the id of one 一括照会 job (random hex), also the `ReceptionNumber` of an OQS upload.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JobId(pub String);

impl JobId {
    /// A fresh random id.
    pub fn random() -> Result<Self, ApiError> {
        crate::keys::random_id()
            .map(Self)
            .map_err(|e| ApiError::internal(format_args!("random: {e}")))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The form of an uploaded list (一括照会ファイルの形式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadFormat {
    /// 患者一覧 CSV (UTF-8 or Shift_JIS, comma or tab separated; core's list rules).
    Csv,
    /// The same list as JSON: `{"confirmation_date"?: "YYYYMMDD", "rows": [{"insurer_number",
    /// "symbol"?, "number", "branch"?, "birthdate", "reference_number"?}]}`.
    Json,
    /// 資格確認一括照会要求 `OQSmuquc01req` (OQS-IF-005), UTF-8 or Shift_JIS.
    OqsXml,
}

impl UploadFormat {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
            Self::OqsXml => "xml",
        }
    }

    fn from_stored(s: &str) -> Option<Self> {
        match s {
            "csv" => Some(Self::Csv),
            "json" => Some(Self::Json),
            "xml" => Some(Self::OqsXml),
            _ => None,
        }
    }

    /// The format a `Content-Type` names: `text/csv` (or `text/tab-separated-values`),
    /// `application/json`, `application/xml` (or `text/xml`).
    pub fn from_content_type(content_type: Option<&str>) -> Result<Self, ApiError> {
        let media = content_type
            .and_then(|c| c.split(';').next())
            .map(|m| m.trim().to_ascii_lowercase())
            .unwrap_or_default();
        match media.as_str() {
            "text/csv" | "text/tab-separated-values" => Ok(Self::Csv),
            "application/json" => Ok(Self::Json),
            "application/xml" | "text/xml" => Ok(Self::OqsXml),
            _ => Err(ApiError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "BULK_CONTENT_TYPE",
                "一括照会はCSV（text/csv）、JSON（application/json）またはXML（application/xml）で送ってください",
                "send the list as text/csv, application/json or application/xml",
            )),
        }
    }
}

/// A job's progress (処理状況).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// 処理中: rows remain.
    Processing,
    /// 照会完了: every row has its result.
    Completed,
}

impl JobState {
    fn as_str(self) -> &'static str {
        match self {
            Self::Processing => "processing",
            Self::Completed => "completed",
        }
    }

    fn from_stored(s: &str) -> Option<Self> {
        match s {
            "processing" => Some(Self::Processing),
            "completed" => Some(Self::Completed),
            _ => None,
        }
    }
}

/// One row's result (照会結果), as staff read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// 未処理: not determined yet.
    Pending,
    /// 有効 (資格有効性 1, or 6 with a review warning).
    Valid,
    /// 無効 (資格有効性 2).
    Invalid,
    /// 無効（新しい資格あり） (資格有効性 3).
    Superseded,
    /// 該当資格なし (資格有効性 4).
    NotFound,
    /// 複数該当 (資格有効性 5).
    Ambiguous,
    /// エラー: the row could not be queried (input error, duplicate).
    Error,
}

impl RowStatus {
    /// Every status, in display order.
    pub const ALL: [Self; 7] = [
        Self::Pending,
        Self::Valid,
        Self::Invalid,
        Self::Superseded,
        Self::NotFound,
        Self::Ambiguous,
        Self::Error,
    ];

    /// The stored and query name (`valid`, `not_found`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Valid => "valid",
            Self::Invalid => "invalid",
            Self::Superseded => "superseded",
            Self::NotFound => "not_found",
            Self::Ambiguous => "ambiguous",
            Self::Error => "error",
        }
    }

    /// The label on the result list.
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Pending => "未処理",
            Self::Valid => "有効",
            Self::Invalid => "無効",
            Self::Superseded => "無効（新しい資格あり）",
            Self::NotFound => "該当なし",
            Self::Ambiguous => "複数該当",
            Self::Error => "エラー",
        }
    }

    /// The status of a name, if it is one.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The result a 資格有効性 gives.
    pub fn of_validity(v: onshi_core::codes::QualificationValidity) -> Self {
        use onshi_core::codes::QualificationValidity as V;
        match v {
            V::Valid | V::ValidUnregistered => Self::Valid,
            V::Invalid => Self::Invalid,
            V::InvalidNewQualification => Self::Superseded,
            V::NotFound => Self::NotFound,
            V::MultipleMatches => Self::Ambiguous,
        }
    }
}

/// Rows per result, by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    /// 有効.
    pub valid: u64,
    /// 無効.
    pub invalid: u64,
    /// 無効（新しい資格あり）.
    pub superseded: u64,
    /// 該当なし.
    pub not_found: u64,
    /// 複数該当.
    pub ambiguous: u64,
    /// エラー.
    pub error: u64,
}

/// A job as its institution sees it (一括照会の状況).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobStatus {
    /// 受付番号.
    pub id: JobId,
    /// The upload's format.
    pub format: UploadFormat,
    /// 処理中 or 照会完了.
    pub state: JobState,
    /// 資格確認日 (`YYYYMMDD`).
    pub confirmation_date: String,
    /// Rows in the upload.
    pub total: u64,
    /// Rows with their result.
    pub done: u64,
    /// Results so far.
    pub counts: StatusCounts,
    /// 受付日時 (`YYYYMMDDhhmmss`, JST).
    pub created_at: String,
    /// 完了日時, once complete.
    pub completed_at: Option<String>,
}

/// A job's stored header.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub id: JobId,
    pub institution: String,
    pub format: UploadFormat,
    pub state: JobState,
    pub confirmation_date: Date,
    pub total: i64,
    pub done: i64,
    pub created_at: i64,
    pub completed_at: Option<i64>,
    pub arbitrary_file_identifier: Option<String>,
    pub xml_encoding: Option<String>,
}

fn job_not_found() -> ApiError {
    ApiError::not_found(
        "BULK_JOB_NOT_FOUND",
        "この受付番号の一括照会はありません",
        "no bulk inquiry with this id",
    )
}

fn stored(what: &str, value: &str) -> ApiError {
    ApiError::internal(format_args!("stored bulk {what} unreadable: {value}"))
}

pub(crate) const JOB_COLUMNS: &str = "id, institution_code, format, status, confirmation_date, total, \
     done, created_at, completed_at, arbitrary_file_identifier, xml_encoding";

pub(crate) fn job_of(row: &sqlx::any::AnyRow) -> Result<Job, ApiError> {
    let format: String = row.try_get("format")?;
    let state: String = row.try_get("status")?;
    let date: String = row.try_get("confirmation_date")?;
    Ok(Job {
        id: JobId(row.try_get("id")?),
        institution: row.try_get("institution_code")?,
        format: UploadFormat::from_stored(&format).ok_or_else(|| stored("format", &format))?,
        state: JobState::from_stored(&state).ok_or_else(|| stored("status", &state))?,
        confirmation_date: parse_date(&date).map_err(|_| stored("date", &date))?,
        total: row.try_get("total")?,
        done: row.try_get("done")?,
        created_at: row.try_get("created_at")?,
        completed_at: row.try_get("completed_at")?,
        arbitrary_file_identifier: row.try_get("arbitrary_file_identifier")?,
        xml_encoding: row.try_get("xml_encoding")?,
    })
}

/// The job `id` of `institution`; another institution's job is "not found", never "forbidden",
/// so ids reveal nothing.
pub(crate) async fn job(state: &AppState, institution: &str, id: &JobId) -> Result<Job, ApiError> {
    let sql =
        format!("SELECT {JOB_COLUMNS} FROM bulk_jobs WHERE id = $1 AND institution_code = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.as_str())
        .bind(institution)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(job_not_found)?;
    job_of(&row)
}

/// Accepts an upload of `institution` and returns its 受付番号 at once; the rows are determined in
/// the background (see [`spawn_worker`]). A list that cannot be read at all is refused with a
/// typed 400 and nothing is stored; rows that cannot be read are kept as エラー rows.
pub async fn submit(
    state: &AppState,
    institution: &str,
    format: UploadFormat,
    bytes: &[u8],
) -> Result<JobId, ApiError> {
    let id = JobId::random()?;
    submit_as(state, &id, institution, format, bytes).await?;
    Ok(id)
}

/// [`submit`] under a given id; submitting the same id again for the same institution is a no-op
/// (the gateway derives the id from the request file, so a redo after a crash makes no second job).
pub(crate) async fn submit_as(
    state: &AppState,
    id: &JobId,
    institution: &str,
    format: UploadFormat,
    bytes: &[u8],
) -> Result<(), ApiError> {
    let parsed = upload::parse(format, bytes, institution, state.now().date())?;
    upload::store(state, id, institution, format, &parsed).await?;
    wake_workers();
    Ok(())
}

/// The progress and counts of job `id` of `institution`.
pub async fn status(
    state: &AppState,
    institution: &str,
    id: &JobId,
) -> Result<JobStatus, ApiError> {
    let job = job(state, institution, id).await?;
    let counted = sqlx::query(
        "SELECT status, COUNT(*) AS n FROM bulk_rows WHERE job_id = $1 GROUP BY status",
    )
    .bind(id.as_str())
    .fetch_all(&state.db.pool)
    .await?;
    let mut counts = StatusCounts::default();
    for row in counted {
        let name: String = row.try_get("status")?;
        let n: i64 = row.try_get("n")?;
        let n = u64::try_from(n).unwrap_or_default();
        match RowStatus::parse(&name) {
            Some(RowStatus::Valid) => counts.valid = n,
            Some(RowStatus::Invalid) => counts.invalid = n,
            Some(RowStatus::Superseded) => counts.superseded = n,
            Some(RowStatus::NotFound) => counts.not_found = n,
            Some(RowStatus::Ambiguous) => counts.ambiguous = n,
            Some(RowStatus::Error) => counts.error = n,
            Some(RowStatus::Pending) => {}
            None => return Err(stored("row status", &name)),
        }
    }
    let stamp = |t: i64| onshi_core::jst::format_datetime(from_epoch(t));
    Ok(JobStatus {
        id: job.id,
        format: job.format,
        state: job.state,
        confirmation_date: format_date(job.confirmation_date),
        total: u64::try_from(job.total).unwrap_or_default(),
        done: u64::try_from(job.done).unwrap_or_default(),
        counts,
        created_at: stamp(job.created_at),
        completed_at: job.completed_at.map(stamp),
    })
}

/// Which rows to read: one status or all, a page at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowQuery {
    /// Only rows with this result.
    pub status: Option<RowStatus>,
    /// Rows to skip (in upload order).
    pub offset: u64,
    /// Rows to return (at most [`RowQuery::MAX_LIMIT`]).
    pub limit: u64,
}

impl Default for RowQuery {
    fn default() -> Self {
        Self {
            status: None,
            offset: 0,
            limit: 100,
        }
    }
}

impl RowQuery {
    /// The most rows one page returns.
    pub const MAX_LIMIT: u64 = 1_000;

    /// Reads `status=&offset=&limit=` from a URL query string.
    pub fn from_query(query: Option<&str>) -> Result<Self, ApiError> {
        let bad = |name: &str| {
            ApiError::bad_request(
                "BULK_QUERY_INVALID",
                &format!("{name} の値が正しくありません"),
                &format!("invalid value for {name}"),
            )
        };
        let mut q = Self::default();
        for pair in query
            .unwrap_or_default()
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            match name {
                "status" if value.is_empty() => q.status = None,
                "status" => q.status = Some(RowStatus::parse(value).ok_or_else(|| bad("status"))?),
                "offset" => q.offset = value.parse().map_err(|_| bad("offset"))?,
                "limit" => {
                    q.limit = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=Self::MAX_LIMIT).contains(n))
                        .ok_or_else(|| bad("limit"))?;
                }
                _ => {}
            }
        }
        Ok(q)
    }
}

/// A page of job `id`'s rows, in upload order.
pub async fn rows(
    state: &AppState,
    institution: &str,
    id: &JobId,
    query: &RowQuery,
) -> Result<Vec<RowView>, ApiError> {
    job(state, institution, id).await?;
    let limit = i64::try_from(query.limit.min(RowQuery::MAX_LIMIT)).unwrap_or(100);
    let offset = i64::try_from(query.offset).unwrap_or(i64::MAX);
    let rows = match query.status {
        Some(s) => {
            sqlx::query(
                "SELECT row_no, input, status, result FROM bulk_rows \
                 WHERE job_id = $1 AND status = $2 ORDER BY row_no LIMIT $3 OFFSET $4",
            )
            .bind(id.as_str())
            .bind(s.as_str())
            .bind(limit)
            .bind(offset)
            .fetch_all(&state.db.pool)
            .await?
        }
        None => {
            sqlx::query(
                "SELECT row_no, input, status, result FROM bulk_rows \
                 WHERE job_id = $1 ORDER BY row_no LIMIT $2 OFFSET $3",
            )
            .bind(id.as_str())
            .bind(limit)
            .bind(offset)
            .fetch_all(&state.db.pool)
            .await?
        }
    };
    rows.iter().map(view::row_view).collect()
}

/// Seconds since the epoch for now (the storage form).
fn now_epoch(state: &AppState) -> i64 {
    to_epoch(state.now())
}

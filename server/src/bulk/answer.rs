//! The HTTP answers of 一括照会, as plain functions of an institution already authenticated by the
//! caller (device authentication is wired in front of them by the router). Intended routes:
//!
//! | route | function |
//! |---|---|
//! | `POST /v1/bulk-jobs` (`Content-Type: text/csv`, `application/json` or `application/xml`) | [`upload_answer`]: 202 with the job |
//! | `GET /v1/bulk-jobs/{id}` | [`status_answer`] |
//! | `GET /v1/bulk-jobs/{id}/rows?status=&offset=&limit=` | [`rows_answer`] |
//! | `GET /v1/bulk-jobs/{id}/results.csv` | [`csv_answer`] |
//! | `GET /v1/bulk-jobs/{id}/result.xml` | [`result_xml_answer`] |
//!
//! Every job is visible only to the institution that uploaded it: another's id answers 404.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::{JobId, JobStatus, RowQuery, RowView, UploadFormat, results_csv, results_xml};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Serialize)]
struct JobBody {
    job: JobStatus,
}

#[derive(Serialize)]
struct RowsBody {
    job: JobStatus,
    offset: u64,
    rows: Vec<RowView>,
}

fn answer(result: Result<Response, ApiError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

/// `POST /v1/bulk-jobs`: accepts the list and answers 202 with the job (its id is the 受付番号)
/// and `Location: /v1/bulk-jobs/{id}`.
pub async fn upload_answer(
    state: &AppState,
    institution: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> Response {
    answer(
        async {
            let format = UploadFormat::from_content_type(content_type)?;
            let id = super::submit(state, institution, format, body).await?;
            let job = super::status(state, institution, &id).await?;
            Ok((
                StatusCode::ACCEPTED,
                [(header::LOCATION, format!("/v1/bulk-jobs/{id}"))],
                axum::Json(JobBody { job }),
            )
                .into_response())
        }
        .await,
    )
}

/// `GET /v1/bulk-jobs/{id}`: progress and counts.
pub async fn status_answer(state: &AppState, institution: &str, id: &str) -> Response {
    answer(
        super::status(state, institution, &JobId(id.to_owned()))
            .await
            .map(|job| axum::Json(JobBody { job }).into_response()),
    )
}

/// `GET /v1/bulk-jobs/{id}/rows?status=&offset=&limit=`: a page of results; `query` is the raw
/// URL query string.
pub async fn rows_answer(
    state: &AppState,
    institution: &str,
    id: &str,
    query: Option<&str>,
) -> Response {
    answer(
        async {
            let q = RowQuery::from_query(query)?;
            let id = JobId(id.to_owned());
            let job = super::status(state, institution, &id).await?;
            let rows = super::rows(state, institution, &id, &q).await?;
            Ok(axum::Json(RowsBody {
                job,
                offset: q.offset,
                rows,
            })
            .into_response())
        }
        .await,
    )
}

/// `GET /v1/bulk-jobs/{id}/results.csv`: the results as CSV (409 `BATCH_PENDING` while processing).
pub async fn csv_answer(state: &AppState, institution: &str, id: &str) -> Response {
    answer(
        results_csv(state, institution, &JobId(id.to_owned()))
            .await
            .map(|bytes| {
                (
                    [
                        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                        (
                            header::CONTENT_DISPOSITION,
                            format!("attachment; filename=\"bulk-{id}.csv\""),
                        ),
                    ],
                    bytes,
                )
                    .into_response()
            }),
    )
}

/// `GET /v1/bulk-jobs/{id}/result.xml`: `OQSmuquc02res` for an XML upload (処理中 while processing).
pub async fn result_xml_answer(state: &AppState, institution: &str, id: &str) -> Response {
    answer(
        results_xml(state, institution, &JobId(id.to_owned()))
            .await
            .map(|bytes| {
                (
                    [
                        (header::CONTENT_TYPE, "application/xml".to_owned()),
                        (
                            header::CONTENT_DISPOSITION,
                            format!("attachment; filename=\"OQSmuquc02res_{id}.xml\""),
                        ),
                    ],
                    bytes,
                )
                    .into_response()
            }),
    )
}

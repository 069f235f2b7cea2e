//! The 一括照会 routes: each request is authenticated as a signed device request over its raw body
//! (uploads are CSV, JSON or XML bytes, hashed as sent), then answered by the job functions of [`super`].

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::{csv_answer, result_xml_answer, rows_answer, status_answer, upload_answer};
use crate::device::DeviceIdentity;
use crate::device::extract::{MAX_BODY_BYTES, authenticate};
use crate::error::ApiError;
use crate::state::AppState;

/// `POST /v1/bulk-jobs`, `GET /v1/bulk-jobs/{id}`, `…/rows`, `…/results.csv`, `…/result.xml`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/bulk-jobs", post(upload))
        .route("/v1/bulk-jobs/{id}", get(status))
        .route("/v1/bulk-jobs/{id}/rows", get(rows))
        .route("/v1/bulk-jobs/{id}/results.csv", get(csv))
        .route("/v1/bulk-jobs/{id}/result.xml", get(xml))
}

/// The device behind a request, with the body it signed.
async fn signed(
    state: &AppState,
    request: Request,
) -> Result<(DeviceIdentity, axum::http::request::Parts, Vec<u8>), ApiError> {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            ApiError::new(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                "REQUEST_BODY_TOO_LARGE",
                "ファイルが大きすぎます（16 MiBまで）",
                "the upload is too large (16 MiB at most)",
            )
        })?;
    let device = authenticate(state, &parts, &bytes).await?;
    Ok((device, parts, bytes.to_vec()))
}

async fn upload(State(state): State<AppState>, request: Request) -> Response {
    match signed(&state, request).await {
        Ok((device, parts, body)) => {
            let content_type = parts
                .headers
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok());
            upload_answer(&state, &device.institution, content_type, &body).await
        }
        Err(e) => e.into_response(),
    }
}

async fn status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    match signed(&state, request).await {
        Ok((device, _, _)) => status_answer(&state, &device.institution, &id).await,
        Err(e) => e.into_response(),
    }
}

async fn rows(State(state): State<AppState>, Path(id): Path<String>, request: Request) -> Response {
    match signed(&state, request).await {
        Ok((device, parts, _)) => {
            rows_answer(&state, &device.institution, &id, parts.uri.query()).await
        }
        Err(e) => e.into_response(),
    }
}

async fn csv(State(state): State<AppState>, Path(id): Path<String>, request: Request) -> Response {
    match signed(&state, request).await {
        Ok((device, _, _)) => csv_answer(&state, &device.institution, &id).await,
        Err(e) => e.into_response(),
    }
}

async fn xml(State(state): State<AppState>, Path(id): Path<String>, request: Request) -> Response {
    match signed(&state, request).await {
        Ok((device, _, _)) => result_xml_answer(&state, &device.institution, &id).await,
        Err(e) => e.into_response(),
    }
}

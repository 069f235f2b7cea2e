//! API errors: a stable code a program can act on and the message in Japanese and English, as
//! `{"error": {"code", "ja", "en"}}` with the fitting HTTP status. Internal details (storage errors)
//! are logged without personal data and never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use onshi_core::i18n::Message;
use serde::Serialize;

/// An error answer of the service.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {}", message.en)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// onshi's stable code (`CONSENT_NOT_FOUND`, `DEVICE_SIGNATURE_INVALID`, …).
    pub code: String,
    /// What went wrong and what to do.
    pub message: Message,
}

/// The result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// An error with any status.
    pub fn new(status: StatusCode, code: impl Into<String>, ja: &str, en: &str) -> Self {
        Self {
            status,
            code: code.into(),
            message: Message::new(ja, en),
        }
    }

    /// 400: the request is malformed (a person or program must fix it).
    pub fn bad_request(code: impl Into<String>, ja: &str, en: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, ja, en)
    }

    /// 401: the caller did not prove who it is.
    pub fn unauthorized(code: impl Into<String>, ja: &str, en: &str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, ja, en)
    }

    /// 403: the caller is known but may not do this.
    pub fn forbidden(code: impl Into<String>, ja: &str, en: &str) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, ja, en)
    }

    /// 404: nothing by that name.
    pub fn not_found(code: impl Into<String>, ja: &str, en: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, ja, en)
    }

    /// 409: the request conflicts with the current state.
    pub fn conflict(code: impl Into<String>, ja: &str, en: &str) -> Self {
        Self::new(StatusCode::CONFLICT, code, ja, en)
    }

    /// 422: well-formed but refused by a rule; the core rule's code and message are passed on.
    pub fn refused(code: impl Into<String>, message: Message) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: code.into(),
            message,
        }
    }

    /// 500: the service failed; `detail` goes to the log only and must hold no personal data.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(%detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "サービスで問題が発生しました。しばらくしてからやり直してください",
            "the service failed; try again shortly",
        )
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        Self::internal(format_args!("storage: {e}"))
    }
}

/// An error as it is sent: code and both texts (also used inside answers for one failed row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    /// onshi's stable code.
    pub code: String,
    /// Japanese text.
    pub ja: String,
    /// English text.
    pub en: String,
}

impl ApiError {
    /// The error as it is sent.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code.clone(),
            ja: self.message.ja.clone(),
            en: self.message.en.clone(),
        }
    }
}

#[derive(Serialize)]
struct Envelope {
    error: ErrorBody,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let error = self.body();
        (self.status, axum::Json(Envelope { error })).into_response()
    }
}

//! 署名付き要求 (signed requests) for handlers: [`Signed<T>`] authenticates the request's
//! COSE_Mac0 and then reads the body as JSON or CBOR; [`authenticate`] does the first half for
//! handlers that read raw bodies (CSV, XML uploads).

use axum::extract::{FromRequest, OriginalUri, Request};
use axum::http::StatusCode;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::DeviceIdentity;
use super::session::{ReceivedRequest, verify_request};
use crate::error::ApiError;
use crate::state::AppState;

/// The largest body a signed request may carry (一括照会 files of 10,000 people fit well within).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// 端末認証済みの要求 (a request from an authenticated device): the device and the body read as
/// `T`. JSON by default, CBOR when `Content-Type: application/cbor`; an empty body reads as
/// JSON `null`, so `()` and `Option<_>` take GET requests.
#[derive(Debug, Clone)]
pub struct Signed<T> {
    /// Who sent the request.
    pub device: DeviceIdentity,
    /// The request body.
    pub body: T,
}

/// Checks the request's `Authorization: COSE-Mac0 …` against the method, the path and query (as
/// the client sent them, before any router nesting) and the body bytes; returns the device.
pub async fn authenticate(
    state: &AppState,
    parts: &Parts,
    body: &[u8],
) -> Result<DeviceIdentity, ApiError> {
    let uri = parts
        .extensions
        .get::<OriginalUri>()
        .map(|o| &o.0)
        .unwrap_or(&parts.uri);
    let path_and_query = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or_else(|| uri.path());
    let request = ReceivedRequest {
        authorization: parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok()),
        method: parts.method.as_str(),
        path_and_query,
        body,
    };
    verify_request(state, request).await
}

fn malformed(e: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(
        "REQUEST_BODY_MALFORMED",
        &format!("本文を読み取れません: {e}"),
        &format!("the body cannot be read: {e}"),
    )
}

/// Reads a body as JSON or CBOR by its content type.
pub fn decode_body<T: DeserializeOwned>(
    content_type: Option<&str>,
    body: &[u8],
) -> Result<T, ApiError> {
    let media = content_type
        .unwrap_or("application/json")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if body.is_empty() {
        return T::deserialize(serde_json::Value::Null).map_err(malformed);
    }
    if media == "application/json" || media.ends_with("+json") {
        serde_json::from_slice(body).map_err(malformed)
    } else if media == "application/cbor" {
        ciborium::from_reader(body).map_err(malformed)
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "REQUEST_MEDIA_TYPE_UNSUPPORTED",
            "本文は application/json か application/cbor で送ってください",
            "send the body as application/json or application/cbor",
        ))
    }
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for Signed<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let (parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "REQUEST_BODY_TOO_LARGE",
                    "本文が大きすぎるか、途中で切れました（上限16MiB）",
                    "the body is larger than 16 MiB or was cut off",
                )
            })?;
        // Nothing of the body is read before the sender is known.
        let device = authenticate(state, &parts, &bytes).await?;
        let content_type = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let body = decode_body(content_type, &bytes)?;
        Ok(Self { device, body })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, serde::Serialize, Debug, PartialEq)]
    struct B {
        x: u32,
    }

    #[test]
    fn json_cbor_and_empty_bodies_read() {
        let json: B = decode_body(Some("application/json; charset=utf-8"), br#"{"x":1}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(json, B { x: 1 });
        let mut cbor = Vec::new();
        ciborium::into_writer(&B { x: 2 }, &mut cbor).unwrap_or_else(|e| panic!("{e}"));
        let read: B =
            decode_body(Some("application/cbor"), &cbor).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read, B { x: 2 });
        let unit: () = decode_body(None, b"").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(unit, ());
    }

    #[test]
    fn malformed_and_foreign_bodies_are_typed_errors() {
        let e = decode_body::<B>(None, b"{").err().map(|e| e.code);
        assert_eq!(e.as_deref(), Some("REQUEST_BODY_MALFORMED"));
        let e = decode_body::<B>(Some("application/cbor"), b"\xff")
            .err()
            .map(|e| e.code);
        assert_eq!(e.as_deref(), Some("REQUEST_BODY_MALFORMED"));
        let e = decode_body::<B>(Some("text/csv"), b"a,b")
            .err()
            .map(|e| e.code);
        assert_eq!(e.as_deref(), Some("REQUEST_MEDIA_TYPE_UNSUPPORTED"));
    }
}

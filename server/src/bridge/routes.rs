//! The bridge's HTTP routes under `/bridge/v1/`: list readers, connect to a card, relay one APDU,
//! disconnect. Bytes travel as upper-case hex; they are relayed, never read.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use onshi_core::card::host::to_hex;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use super::Bridge;
use super::backend::ReaderInfo;
use super::error::{ApduProblem, BridgeError};
use crate::error::{ApiError, ApiResult};

/// The routes, on the bridge's state.
pub(super) fn routes() -> Router<Bridge> {
    Router::new()
        .route("/bridge/v1/readers", get(readers))
        .route("/bridge/v1/connections", post(connect))
        .route("/bridge/v1/connections/{id}/apdu", post(apdu))
        .route("/bridge/v1/connections/{id}", delete(disconnect))
}

/// A JSON body whose raw bytes are wiped once read (an APDU request carries the PIN), refused with
/// BRIDGE_REQUEST_INVALID (ja + en) when it is not `T`.
struct Body<T>(T);

/// What a route's body looks like, for the error message.
trait Shape {
    const SHAPE: &'static str;
}

impl<S: Send + Sync, T: DeserializeOwned + Shape> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(request, state).await.map_err(|e| {
            ApiError::new(
                e.status(),
                "BRIDGE_REQUEST_INVALID",
                "要求の本文を読み取れませんでした（大きすぎる可能性があります）",
                "the request body could not be read (it may be too large)",
            )
        })?;
        let parsed = serde_json::from_slice::<T>(&bytes);
        if let Ok(mut owned) = bytes.try_into_mut() {
            owned.as_mut().zeroize();
        }
        // serde's message can quote a value (a command given as a number): give the position only.
        parsed.map(Body).map_err(|e| {
            BridgeError::RequestInvalid {
                expected: T::SHAPE,
                line: e.line(),
                column: e.column(),
            }
            .into()
        })
    }
}

#[derive(Serialize)]
struct Readers {
    readers: Vec<ReaderInfo>,
}

async fn readers(State(bridge): State<Bridge>) -> ApiResult<Json<Readers>> {
    let backend = Arc::clone(&bridge.backend);
    let readers = tokio::task::spawn_blocking(move || backend.readers())
        .await
        .map_err(ApiError::internal)??;
    Ok(Json(Readers { readers }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Connect {
    reader: String,
}

impl Shape for Connect {
    const SHAPE: &'static str = r#"{"reader": "<reader name>"}"#;
}

#[derive(Serialize)]
struct Connected {
    connection: String,
    atr: String,
}

async fn connect(
    State(bridge): State<Bridge>,
    Body(request): Body<Connect>,
) -> ApiResult<Json<Connected>> {
    let (connection, atr) = bridge
        .connections
        .open(Arc::clone(&bridge.backend), request.reader)
        .await?;
    Ok(Json(Connected {
        connection,
        atr: to_hex(&atr),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Apdu {
    command: String,
}

impl Shape for Apdu {
    const SHAPE: &'static str = r#"{"command": "<hex>"}"#;
}

impl Drop for Apdu {
    fn drop(&mut self) {
        self.command.zeroize();
    }
}

#[derive(Serialize)]
struct Answered {
    response: String,
}

/// The smallest APDU is CLA INS P1 P2; the largest short one adds Lc, 255 data bytes and Le.
const APDU_LEN: std::ops::RangeInclusive<usize> = 4..=261;

/// The command's bytes, from hex of either case, straight into a buffer wiped on drop.
fn command_bytes(hex: &str) -> Result<Zeroizing<Vec<u8>>, BridgeError> {
    if !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Err(BridgeError::ApduInvalid(ApduProblem::NotHex));
    }
    if !hex.len().is_multiple_of(2) {
        return Err(BridgeError::ApduInvalid(ApduProblem::OddLength));
    }
    if !APDU_LEN.contains(&(hex.len() / 2)) {
        return Err(BridgeError::ApduInvalid(ApduProblem::Length));
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(hex.len() / 2));
    for pair in hex.as_bytes().chunks_exact(2) {
        let digit = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
        bytes.push(digit(pair[0]) << 4 | digit(pair[1]));
    }
    Ok(bytes)
}

async fn apdu(
    State(bridge): State<Bridge>,
    Path(id): Path<String>,
    Body(request): Body<Apdu>,
) -> ApiResult<Json<Answered>> {
    let command = command_bytes(&request.command)?;
    drop(request);
    let response = bridge.connections.transmit(&id, command).await?;
    Ok(Json(Answered {
        response: to_hex(&response),
    }))
}

async fn disconnect(State(bridge): State<Bridge>, Path(id): Path<String>) -> ApiResult<Response> {
    bridge.connections.close(&id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_of_either_case_becomes_the_command() {
        let bytes =
            command_bytes("00a4040C0AD392F000260100000001").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(bytes.len(), 15);
        assert_eq!(&bytes[..4], &[0x00, 0xA4, 0x04, 0x0C]);
    }

    #[test]
    fn malformed_commands_are_named() {
        let problem = |hex: &str| match command_bytes(hex) {
            Err(BridgeError::ApduInvalid(p)) => Some(p),
            _ => None,
        };
        assert_eq!(problem("00A4 0400"), Some(ApduProblem::NotHex));
        assert_eq!(problem("+0A40400"), Some(ApduProblem::NotHex));
        assert_eq!(problem("00A404000"), Some(ApduProblem::OddLength));
        assert_eq!(problem("00A404"), Some(ApduProblem::Length));
        assert_eq!(problem(""), Some(ApduProblem::Length));
        assert_eq!(problem(&"00".repeat(262)), Some(ApduProblem::Length));
        assert_eq!(problem(&"00".repeat(261)), None);
    }
}

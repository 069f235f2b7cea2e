//! 端末側の実装 (the device side of the protocol): [`DeviceClient`] opens a session and signs
//! requests. Tests, the load generator and the demo use it. The messages are onshi-core's
//! [`onshi_core::device`], whose documentation describes protocol version 1 for implementers;
//! this client only adds the clock, randomness and transport.
//!
//! The transport here is plain HTTP/1.1 for a service on loopback or a private network (the demo,
//! the load generator); devices in the field reach the service over HTTPS with their platform's
//! client, and the messages are the same.

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{Method, Request};
use onshi_core::device::{DeviceSession, PendingSession, ProtocolError, SessionGrant};
use p256::ecdsa::SigningKey;
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;
use zeroize::Zeroizing;

use super::DeviceAuthError;
use crate::clock::{Clock, SystemClock};
use crate::db::to_epoch;

/// What went wrong on the device side.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// No session yet: open one first.
    #[error("no device session: open one first")]
    NoSession,
    /// The service refused (status and its JSON error body).
    #[error("the service answered {status}: {body}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The answer's body.
        body: String,
    },
    /// The answer could not be read.
    #[error("unreadable answer: {0}")]
    Answer(String),
    /// Building a message failed.
    #[error("device protocol: {0}")]
    Protocol(#[from] super::DeviceAuthError),
    /// Network or file trouble.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

impl From<ProtocolError> for ClientError {
    fn from(e: ProtocolError) -> Self {
        Self::Protocol(DeviceAuthError::from(e))
    }
}

/// 端末鍵ファイル: onshi-core's, re-exported where the service's tools look for it.
pub use onshi_core::device::DeviceKeyFile;

/// 端末クライアント: a registered device's side of the protocol.
pub struct DeviceClient {
    device_id: String,
    institution: String,
    key: SigningKey,
    clock: Arc<dyn Clock>,
    pending: Option<PendingSession>,
    session: Option<DeviceSession>,
}

impl std::fmt::Debug for DeviceClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceClient")
            .field("device_id", &self.device_id)
            .field("institution", &self.institution)
            .finish_non_exhaustive()
    }
}

impl DeviceClient {
    /// A client for a registered device, on the system clock.
    pub fn new(device_id: &str, institution: &str, key: SigningKey) -> Self {
        Self {
            device_id: device_id.to_owned(),
            institution: institution.to_owned(),
            key,
            clock: Arc::new(SystemClock),
            pending: None,
            session: None,
        }
    }

    /// The same client reading time from `clock` (tests share the service's clock).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// A client from a key file written by `onshi-server device add`.
    pub fn from_key_file(path: &Path) -> Result<Self, ClientError> {
        let text = Zeroizing::new(std::fs::read_to_string(path)?);
        let file = DeviceKeyFile::parse(&text)?;
        Ok(Self::new(
            &file.device_id,
            &file.institution,
            file.signing_key()?,
        ))
    }

    /// The device id.
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// Whether a session is open and not yet expired by the client's clock.
    pub fn has_session(&self) -> bool {
        let now = to_epoch(self.clock.now());
        self.session.as_ref().is_some_and(|s| s.is_live(now))
    }

    /// Step 1a: a fresh session opening (COSE_Sign1 bytes) to send to `POST /v1/device-sessions`.
    pub fn begin_session(&mut self) -> Result<Vec<u8>, ClientError> {
        let at = to_epoch(self.clock.now());
        let nonce = crate::keys::random().map_err(|_| DeviceAuthError::Randomness)?;
        let pending = loop {
            let secret =
                Zeroizing::new(crate::keys::random().map_err(|_| DeviceAuthError::Randomness)?);
            match PendingSession::new(&self.device_id, &self.institution, at, nonce, &secret) {
                // Bytes that are no P-256 scalar (about once in 2³² draws) are drawn again.
                Err(ProtocolError::EphemeralSecret) => continue,
                other => break other?,
            }
        };
        let bytes = pending.opening().sign(&self.key)?;
        self.pending = Some(pending);
        Ok(bytes)
    }

    /// Step 1b: derives the session key from the service's answer to the last opening.
    pub fn complete_session(&mut self, grant: &SessionGrant) -> Result<(), ClientError> {
        let pending = self.pending.take().ok_or(ClientError::NoSession)?;
        self.session = Some(pending.complete(grant)?);
        Ok(())
    }

    /// Opens a session against an in-process router (tests, benchmarks).
    pub async fn open_session_in_process(&mut self, router: &Router) -> Result<(), ClientError> {
        let sign1 = self.begin_session()?;
        let request = Request::builder()
            .method(Method::POST)
            .uri("/v1/device-sessions")
            .header(CONTENT_TYPE, "application/cose")
            .body(Body::from(sign1))
            .map_err(|e| ClientError::Answer(e.to_string()))?;
        let response = router
            .clone()
            .oneshot(request)
            .await
            .map_err(|e| ClientError::Answer(e.to_string()))?;
        let status = response.status().as_u16();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .map_err(|e| ClientError::Answer(e.to_string()))?;
        self.finish_open(status, &body)
    }

    /// Opens a session against a service at `base_url` (`http://127.0.0.1:8080`).
    pub async fn open_session(&mut self, base_url: &str) -> Result<(), ClientError> {
        let sign1 = self.begin_session()?;
        let (status, body) =
            http_post(base_url, "/v1/device-sessions", "application/cose", &sign1).await?;
        self.finish_open(status, &body)
    }

    fn finish_open(&mut self, status: u16, body: &[u8]) -> Result<(), ClientError> {
        if status != 200 {
            self.pending = None;
            return Err(ClientError::Refused {
                status,
                body: String::from_utf8_lossy(body).into_owned(),
            });
        }
        self.complete_session(&SessionGrant::from_json(body)?)
    }

    /// Step 2: the `Authorization` header value for one request (uses up one counter value).
    pub fn authorization(
        &mut self,
        method: &str,
        path_and_query: &str,
        body: &[u8],
    ) -> Result<String, ClientError> {
        let at = to_epoch(self.clock.now());
        let session = self.session.as_mut().ok_or(ClientError::NoSession)?;
        Ok(session.authorization(method, path_and_query, body, at)?)
    }

    /// A signed HTTP request for an in-process router: `content_type` is set when given.
    pub fn request(
        &mut self,
        method: Method,
        path_and_query: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Result<Request<Body>, ClientError> {
        let authorization = self.authorization(method.as_str(), path_and_query, &body)?;
        let mut builder = Request::builder()
            .method(method)
            .uri(path_and_query)
            .header(AUTHORIZATION, authorization);
        if let Some(ct) = content_type {
            builder = builder.header(CONTENT_TYPE, ct);
        }
        builder
            .body(Body::from(body))
            .map_err(|e| ClientError::Answer(e.to_string()))
    }

    /// A signed JSON request for an in-process router.
    pub fn json_request<B: Serialize>(
        &mut self,
        method: Method,
        path_and_query: &str,
        body: &B,
    ) -> Result<Request<Body>, ClientError> {
        let bytes = serde_json::to_vec(body).map_err(|e| ClientError::Answer(e.to_string()))?;
        self.request(method, path_and_query, Some("application/json"), bytes)
    }
}

/// A minimal HTTP/1.1 POST over plain TCP (`Connection: close`), enough to open a session with a
/// service on loopback; answers the status and body.
async fn http_post(
    base_url: &str,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> Result<(u16, Vec<u8>), ClientError> {
    let authority = base_url
        .strip_prefix("http://")
        .ok_or_else(|| ClientError::Answer("only http:// base URLs are supported".into()))?
        .trim_end_matches('/');
    let (authority, prefix) = match authority.split_once('/') {
        Some((a, p)) => (a, format!("/{p}")),
        None => (authority, String::new()),
    };
    let mut stream = tokio::net::TcpStream::connect(authority).await?;
    let head = format!(
        "POST {prefix}{path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| ClientError::Answer("no HTTP header end".into()))?;
    let head = String::from_utf8_lossy(&answer[..split]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| ClientError::Answer("no HTTP status".into()))?;
    let mut body = answer[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body).ok_or_else(|| ClientError::Answer("bad chunked body".into()))?;
    }
    Ok((status, body))
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = data.get(line_end + 2..)?;
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::dechunk;

    #[test]
    fn chunked_bodies_join() {
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").as_deref(),
            Some(&b"abcde"[..])
        );
        assert_eq!(dechunk(b"zz\r\n"), None);
        assert_eq!(dechunk(b"5\r\nab"), None);
    }
}

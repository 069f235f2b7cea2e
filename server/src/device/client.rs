//! 端末側の実装 (the device side of the protocol): [`DeviceClient`] opens a session and signs
//! requests. Tests, the load generator and the demo use it; a Kotlin or JS device follows the
//! protocol below.
//!
//! # Protocol (version 1)
//!
//! All CBOR maps have text keys; byte strings are CBOR byte strings (major type 2); base64url is
//! without padding. P-256 public keys are SEC1 uncompressed (65 bytes, `04 ‖ x ‖ y`).
//!
//! **Registration.** The device holds a P-256 key pair; its public key is registered to an
//! institution (`onshi-server device add`), which gives the device id.
//!
//! **1. Opening a session** — `POST /v1/device-sessions`, body the COSE_Sign1 bytes with
//! `Content-Type: application/cose`, or JSON `{"cose": "<base64url>"}`.
//! - Make an ephemeral P-256 key pair `(e, E)` and 16 random bytes `nonce`.
//! - Payload = CBOR map `{"v": 1, "device": <device id>, "institution": <医療機関等コード>,
//!   "at": <unix seconds>, "nonce": <16 bytes>, "ephemeral": <E, 65 bytes>}`.
//! - COSE_Sign1 (tag 18) with protected header `{1: -7 (ES256), 4: <device id as UTF-8 bytes>}`,
//!   empty unprotected header, that payload, and the ES256 signature (64 bytes `r ‖ s`) over the
//!   `Sig_structure` `["Signature1", protected, h'', payload]` with the device key.
//! - The answer is JSON `{"session_id", "service_key", "expires_at", "max_skew_seconds"}`
//!   (`session_id`: 16 bytes base64url; `service_key`: the service's ephemeral key `S`).
//! - Session key `K` = HKDF-SHA-256(salt = session id bytes, IKM = x-coordinate of ECDH(e, S),
//!   info = `"onshi device session v1"` ‖ E ‖ S), 32 bytes. `K` never travels.
//! - A nonce is accepted once; `at` must be within ± 5 minutes of the service's clock.
//!
//! **2. Each request** carries `Authorization: COSE-Mac0 <base64url of a COSE_Mac0 (tag 17)>`:
//! - Payload = CBOR map `{"v": 1, "session": <16 bytes>, "counter": <n>, "at": <unix seconds>,
//!   "method": "POST", "path": "/v1/…?query", "body": <SHA-256 of the body bytes, 32 bytes>}`.
//!   `path` is the path and query exactly as sent; an empty body hashes the empty string.
//! - `counter` starts at 1 and rises with every request of the session; a value not above the last
//!   accepted one is refused, so send a session's requests one after another (or open a session per
//!   parallel worker).
//! - Protected header `{1: 5 (HMAC 256/256), 4: <session id bytes>}`, empty unprotected header,
//!   tag = HMAC-SHA-256(K, `MAC_structure` `["MAC0", protected, h'', payload]`), 32 bytes.
//!
//! **3. Renewal.** On `DEVICE_SESSION_UNKNOWN` (a restart) or `DEVICE_SESSION_EXPIRED` (after
//! 12 hours), open a new session and send the request again with it.
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
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::SecretKey;
use p256::ecdsa::SigningKey;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;
use zeroize::Zeroizing;

use super::DeviceKind;
use super::cose::{self, RequestClaims, SESSION_ID_LEN, SessionOpening};
use super::session::{AUTHORIZATION_SCHEME, SessionGrant};
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

/// 端末鍵ファイル (a device key file) as `onshi-server device add --key-out` writes it (mode 0600).
#[derive(Clone, Serialize, Deserialize)]
pub struct DeviceKeyFile {
    /// The device id.
    pub device_id: String,
    /// 医療機関等コード.
    pub institution: String,
    /// 端末種別.
    pub kind: DeviceKind,
    /// The P-256 private scalar, 32 bytes base64url.
    pub private_key: String,
}

impl std::fmt::Debug for DeviceKeyFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceKeyFile")
            .field("device_id", &self.device_id)
            .field("institution", &self.institution)
            .finish_non_exhaustive()
    }
}

struct ClientSession {
    id: [u8; SESSION_ID_LEN],
    key: Zeroizing<[u8; 32]>,
    counter: u64,
    expires_at: i64,
}

/// 端末クライアント: a registered device's side of the protocol.
pub struct DeviceClient {
    device_id: String,
    institution: String,
    key: SigningKey,
    clock: Arc<dyn Clock>,
    pending: Option<(SecretKey, SessionOpening)>,
    session: Option<ClientSession>,
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
        let file: DeviceKeyFile =
            serde_json::from_str(&text).map_err(|e| ClientError::Answer(e.to_string()))?;
        let scalar = Zeroizing::new(
            URL_SAFE_NO_PAD
                .decode(file.private_key.as_bytes())
                .map_err(|e| ClientError::Answer(e.to_string()))?,
        );
        let key = SigningKey::from_slice(&scalar)
            .map_err(|_| ClientError::Answer("the key file holds no P-256 key".into()))?;
        Ok(Self::new(&file.device_id, &file.institution, key))
    }

    /// The device id.
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// Whether a session is open and not yet expired by the client's clock.
    pub fn has_session(&self) -> bool {
        let now = to_epoch(self.clock.now());
        self.session.as_ref().is_some_and(|s| now < s.expires_at)
    }

    /// Step 1a: a fresh session opening (COSE_Sign1 bytes) to send to `POST /v1/device-sessions`.
    pub fn begin_session(&mut self) -> Result<Vec<u8>, ClientError> {
        let ephemeral = cose::random_secret()?;
        let nonce = crate::keys::random().map_err(|_| super::DeviceAuthError::Randomness)?;
        let opening = SessionOpening {
            device_id: self.device_id.clone(),
            institution: self.institution.clone(),
            at: to_epoch(self.clock.now()),
            nonce,
            ephemeral: ephemeral.public_key(),
        };
        let bytes = cose::sign_opening(&self.key, &opening)?;
        self.pending = Some((ephemeral, opening));
        Ok(bytes)
    }

    /// Step 1b: derives the session key from the service's answer to the last opening.
    pub fn complete_session(&mut self, grant: &SessionGrant) -> Result<(), ClientError> {
        let (ephemeral, opening) = self.pending.take().ok_or(ClientError::NoSession)?;
        let bad = |what: &str| ClientError::Answer(what.to_owned());
        let id: [u8; SESSION_ID_LEN] = URL_SAFE_NO_PAD
            .decode(grant.session_id.as_bytes())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| bad("session_id"))?;
        let service_key = URL_SAFE_NO_PAD
            .decode(grant.service_key.as_bytes())
            .map_err(|_| bad("service_key"))?;
        let service_key = cose::public_key_from_bytes(&service_key)?;
        let key = cose::derive_session_key(
            &ephemeral,
            &service_key,
            &id,
            &opening.ephemeral,
            &service_key,
        );
        self.session = Some(ClientSession {
            id,
            key,
            counter: 0,
            expires_at: grant.expires_at,
        });
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
        let grant: SessionGrant =
            serde_json::from_slice(body).map_err(|e| ClientError::Answer(e.to_string()))?;
        self.complete_session(&grant)
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
        session.counter += 1;
        let claims = RequestClaims {
            session: session.id,
            counter: session.counter,
            at,
            method: method.to_ascii_uppercase(),
            path: path_and_query.to_owned(),
            body_sha256: cose::body_digest(body),
        };
        let mac0 = cose::mac_request(&session.key, &claims)?;
        Ok(format!(
            "{AUTHORIZATION_SCHEME} {}",
            URL_SAFE_NO_PAD.encode(mac0)
        ))
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

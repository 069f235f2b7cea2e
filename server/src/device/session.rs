//! 端末セッション (device sessions): opened by one verified COSE_Sign1, then carrying requests
//! authenticated by COSE_Mac0.
//!
//! Where state lives, and why a restart is safe:
//! - **Sessions live in this process's memory** (id → device, MAC key, last counter, expiry). The
//!   MAC key must stay secret, and a counter written to storage on every request would cost a write
//!   per check. A restart ends every session; devices get `DEVICE_SESSION_UNKNOWN` and open a new
//!   one. Several processes behind one address need the load balancer to keep a device on its
//!   process (or the device opens a session per process).
//! - **Opening nonces live in the database** until the opening's timestamp leaves the allowed skew,
//!   so a captured opening cannot be replayed — not even just after a restart. After that, its
//!   timestamp is refused.
//! - **Counters** are per session and die with it; a MAC made for an ended session names a session
//!   that no longer exists, so it cannot be replayed either.
//! - **Revocation**: [`super::revoke`] ends the device's sessions in this process at once; a
//!   session re-reads its device's status at most every [`REVOCATION_RECHECK_SECONDS`], so a
//!   revocation made by another process (the command line) takes effect within that time.
//!
//! Sessions of different databases in one process (tests) never mix: each session is scoped to a
//! fingerprint of the deployment's secret.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, RwLock};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use onshi_core::device::{
    MAX_SKEW_SECONDS, SESSION_ID_LEN, SESSION_LIFETIME_SECONDS, body_digest, derive_session_key,
    read_authorization, read_opening,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::error::DeviceAuthError;
use super::{DeviceIdentity, find, random_secret};
use crate::db::to_epoch;
use crate::error::ApiError;
use crate::state::AppState;

/// How often (seconds) a live session re-reads whether its device was revoked.
pub const REVOCATION_RECHECK_SECONDS: i64 = 60;

/// At most this many live sessions per device; opening one more ends the oldest.
pub const MAX_SESSIONS_PER_DEVICE: usize = 8;

pub use onshi_core::device::{AUTHORIZATION_SCHEME, SessionGrant};

struct Session {
    scope: [u8; 32],
    device: DeviceIdentity,
    key: Zeroizing<[u8; 32]>,
    opened_at: i64,
    expires_at: i64,
    last_counter: AtomicU64,
    checked_at: AtomicI64,
}

type Table = RwLock<HashMap<[u8; SESSION_ID_LEN], Arc<Session>>>;

static SESSIONS: LazyLock<Table> = LazyLock::new(|| RwLock::new(HashMap::new()));

/// The deployment a state belongs to: sessions opened against one database are unknown to another.
fn scope(state: &AppState) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"onshi device session scope");
    h.update(state.keys.url_key.as_slice());
    h.finalize().into()
}

fn lookup(id: &[u8; SESSION_ID_LEN]) -> Option<Arc<Session>> {
    SESSIONS.read().ok()?.get(id).cloned()
}

fn remove(id: &[u8; SESSION_ID_LEN]) {
    if let Ok(mut t) = SESSIONS.write() {
        t.remove(id);
    }
}

/// Ends every session of a device in this process.
pub fn end_device_sessions(device_id: &str) {
    if let Ok(mut t) = SESSIONS.write() {
        t.retain(|_, s| s.device.device_id != device_id);
    }
}

/// Ends every session of this deployment in this process — what a restart does.
pub fn end_all_sessions(state: &AppState) {
    let scope = scope(state);
    if let Ok(mut t) = SESSIONS.write() {
        t.retain(|_, s| s.scope != scope);
    }
}

/// Stores a new session, dropping expired ones and the device's oldest beyond the cap.
fn insert(id: [u8; SESSION_ID_LEN], session: Session, now: i64) -> Result<(), ApiError> {
    let mut t = SESSIONS
        .write()
        .map_err(|_| ApiError::internal("session table poisoned"))?;
    t.retain(|_, s| s.expires_at > now);
    let mut own: Vec<([u8; SESSION_ID_LEN], i64)> = t
        .iter()
        .filter(|(_, s)| s.scope == session.scope && s.device.device_id == session.device.device_id)
        .map(|(k, s)| (*k, s.opened_at))
        .collect();
    if own.len() >= MAX_SESSIONS_PER_DEVICE {
        own.sort_by_key(|(_, opened)| *opened);
        for (k, _) in own.iter().take(own.len() + 1 - MAX_SESSIONS_PER_DEVICE) {
            t.remove(k);
        }
    }
    t.insert(id, Arc::new(session));
    Ok(())
}

/// 端末セッション開始: verifies a COSE_Sign1 opening and grants a session.
///
/// Checks, in order: COSE and CBOR form, ES256, a registered device, not revoked, the signature,
/// the institution the device is registered to, the timestamp (± [`MAX_SKEW_SECONDS`]) and the
/// nonce (once only, remembered in the database).
pub async fn open(state: &AppState, sign1: &[u8]) -> Result<SessionGrant, ApiError> {
    let unverified = read_opening(sign1)?;
    let device = find(&state.db, &unverified.opening.device_id)
        .await?
        .ok_or(DeviceAuthError::UnknownDevice)?;
    if device.revoked_at.is_some() {
        return Err(DeviceAuthError::Revoked.into());
    }
    let opening = unverified.verify(&device.public_key)?;
    if opening.institution != device.institution {
        return Err(DeviceAuthError::InstitutionMismatch.into());
    }
    let now = to_epoch(state.now());
    if (now - opening.at).abs() > MAX_SKEW_SECONDS {
        return Err(DeviceAuthError::Stale.into());
    }
    remember_nonce(state, &device.id, &opening.nonce, opening.at, now).await?;

    let service_secret = random_secret()?;
    let service_public = service_secret.public_key();
    let id: [u8; SESSION_ID_LEN] =
        crate::keys::random().map_err(|_| DeviceAuthError::Randomness)?;
    let key = derive_session_key(
        &service_secret,
        &opening.ephemeral,
        &id,
        &opening.ephemeral,
        &service_public,
    );
    let expires_at = now + SESSION_LIFETIME_SECONDS;
    insert(
        id,
        Session {
            scope: scope(state),
            device: device.identity(),
            key,
            opened_at: now,
            expires_at,
            last_counter: AtomicU64::new(0),
            checked_at: AtomicI64::new(now),
        },
        now,
    )?;
    tracing::info!(device = %device.id, "device session opened");
    Ok(SessionGrant::new(&id, &service_public, expires_at))
}

/// Records the nonce, refusing one seen before; forgets nonces whose openings are refused anyway.
async fn remember_nonce(
    state: &AppState,
    device_id: &str,
    nonce: &[u8],
    at: i64,
    now: i64,
) -> Result<(), ApiError> {
    sqlx::query("DELETE FROM device_nonces WHERE expires_at < $1")
        .bind(now)
        .execute(&state.db.pool)
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO device_nonces (device_id, nonce, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (device_id, nonce) DO NOTHING",
    )
    .bind(device_id)
    .bind(nonce.to_vec())
    .bind(at + MAX_SKEW_SECONDS)
    .execute(&state.db.pool)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(DeviceAuthError::NonceReplayed.into());
    }
    Ok(())
}

/// What a request MAC is checked against: the request as the service received it.
#[derive(Debug, Clone, Copy)]
pub struct ReceivedRequest<'a> {
    /// The `Authorization` header's value.
    pub authorization: Option<&'a str>,
    /// The HTTP method.
    pub method: &'a str,
    /// The path and query as received.
    pub path_and_query: &'a str,
    /// The body bytes.
    pub body: &'a [u8],
}

/// 要求の認証: checks a request's COSE_Mac0 and returns the device that sent it.
///
/// Checks, in order: header form, HMAC 256/256, a live session of this deployment, its expiry,
/// the tag, the timestamp, method, path and body, the device's revocation (re-read at most every
/// [`REVOCATION_RECHECK_SECONDS`]) and last the counter, so only a request that passed everything
/// uses up its counter value.
pub async fn verify_request(
    state: &AppState,
    request: ReceivedRequest<'_>,
) -> Result<DeviceIdentity, ApiError> {
    let unverified = read_authorization(request.authorization.ok_or(DeviceAuthError::Missing)?)?;
    let session_id = unverified.session;
    let session = lookup(&session_id)
        .filter(|s| s.scope == scope(state))
        .ok_or(DeviceAuthError::UnknownSession)?;
    let now = to_epoch(state.now());
    if now >= session.expires_at {
        remove(&session_id);
        return Err(DeviceAuthError::Expired.into());
    }
    let claims = unverified.verify(&session.key)?;
    if (now - claims.at).abs() > MAX_SKEW_SECONDS {
        return Err(DeviceAuthError::Stale.into());
    }
    if !claims.method.eq_ignore_ascii_case(request.method) {
        return Err(DeviceAuthError::Method.into());
    }
    if claims.path != request.path_and_query {
        return Err(DeviceAuthError::Path.into());
    }
    if claims.body_sha256 != body_digest(request.body) {
        return Err(DeviceAuthError::Body.into());
    }
    if now - session.checked_at.load(Ordering::Relaxed) >= REVOCATION_RECHECK_SECONDS {
        let live = find(&state.db, &session.device.device_id)
            .await?
            .is_some_and(|d| d.revoked_at.is_none());
        if !live {
            remove(&session_id);
            return Err(DeviceAuthError::Revoked.into());
        }
        session.checked_at.store(now, Ordering::Relaxed);
    }
    session
        .last_counter
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |last| {
            (claims.counter > last).then_some(claims.counter)
        })
        .map_err(|_| DeviceAuthError::CounterReplayed)?;
    Ok(session.device.clone())
}

#[derive(Deserialize)]
struct OpeningJson {
    cose: String,
}

/// `POST /v1/device-sessions`: the COSE_Sign1 bytes as `application/cose`, or JSON
/// `{"cose": "<base64url>"}`; answers a [`SessionGrant`].
pub async fn open_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let sign1 = if content_type == "application/json" {
        let json: OpeningJson = serde_json::from_slice(&body).map_err(|e| {
            ApiError::bad_request(
                "REQUEST_BODY_MALFORMED",
                &format!("本文を読み取れません: {e}"),
                &format!("the body cannot be read: {e}"),
            )
        })?;
        URL_SAFE_NO_PAD
            .decode(json.cose.trim().trim_end_matches('='))
            .map_err(|_| DeviceAuthError::Malformed("cose is not base64url"))?
    } else {
        body.to_vec()
    };
    let grant = open(&state, &sign1).await?;
    Ok(axum::Json(grant).into_response())
}

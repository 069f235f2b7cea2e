//! 端末 (devices) and their authentication. Each institution registers its devices (a nurse's
//! tablet for home visits, a clinic PC), each with its own P-256 key. A device proves itself once
//! per session with a COSE_Sign1; its requests are then authenticated with a cheap COSE_Mac0 under
//! a key both sides derived by ECDH. The messages are onshi-core's [`onshi_core::device`] (端末認証
//! protocol v1); this module keeps the service's rules around them ([`session`]). Handlers receive
//! the caller as a [`DeviceIdentity`] through [`Signed`] or [`authenticate`].
//!
//! 目視確認 (visual check of the card's face) is allowed only on a registered device; this module is
//! what makes "registered device" checkable.

pub mod cli;
pub mod client;
pub mod error;
pub mod extract;
pub mod session;

use axum::Router;
use axum::routing::post;
use onshi_core::device::{public_key_bytes, public_key_from_bytes, secret_from_bytes};
use onshi_core::jst::JstDateTime;
use p256::SecretKey;
use p256::ecdsa::VerifyingKey;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use zeroize::Zeroizing;

use crate::db::{Db, to_epoch};
use crate::error::ApiError;
use crate::institutions::Institution;
use crate::state::AppState;

pub use client::DeviceClient;
pub use error::DeviceAuthError;
pub use extract::{Signed, authenticate};
pub use onshi_core::device::DeviceKind;

/// A fresh random P-256 secret (an ephemeral ECDH key or a device key).
pub fn random_secret() -> Result<SecretKey, DeviceAuthError> {
    loop {
        let candidate =
            Zeroizing::new(crate::keys::random::<32>().map_err(|_| DeviceAuthError::Randomness)?);
        // A scalar of zero or above the group order is refused; retry the rare miss.
        if let Ok(secret) = secret_from_bytes(&candidate) {
            return Ok(secret);
        }
    }
}

/// 認証済み端末 (an authenticated device): who sent a request, as handlers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceIdentity {
    /// 医療機関等コード of the institution the device is registered to.
    pub institution: String,
    /// The device's id.
    pub device_id: String,
    /// 端末種別.
    pub kind: DeviceKind,
}

/// 登録端末 (a registered device), as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// The device's id (32 lowercase hex).
    pub id: String,
    /// 医療機関等コード.
    pub institution: String,
    /// A name staff recognise (「訪問看護タブレット1」).
    pub name: String,
    /// 端末種別.
    pub kind: DeviceKind,
    /// The device's P-256 public key.
    pub public_key: VerifyingKey,
    /// 登録日時.
    pub created_at: JstDateTime,
    /// 利用停止日時, when revoked.
    pub revoked_at: Option<JstDateTime>,
}

impl Device {
    /// The identity requests of this device carry.
    pub fn identity(&self) -> DeviceIdentity {
        DeviceIdentity {
            institution: self.institution.clone(),
            device_id: self.id.clone(),
            kind: self.kind,
        }
    }
}

/// 端末登録: registers a device of `institution` with its public key and returns the new
/// device id. The institution must be registered.
pub async fn register(
    db: &Db,
    institution: &str,
    name: &str,
    kind: DeviceKind,
    public_key: &VerifyingKey,
    now: JstDateTime,
) -> Result<String, ApiError> {
    Institution::get(db, institution).await?;
    if name.trim().is_empty() || name.chars().count() > 100 {
        return Err(ApiError::bad_request(
            "DEVICE_NAME_INVALID",
            "端末名は1〜100文字で入力してください",
            "the device name must be 1 to 100 characters",
        ));
    }
    let id = crate::keys::random_id().map_err(|_| DeviceAuthError::Randomness)?;
    let key = public_key_bytes(&p256::PublicKey::from(public_key));
    sqlx::query(
        "INSERT INTO devices (id, institution_code, name, kind, public_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(institution)
    .bind(name.trim())
    .bind(kind.as_str())
    .bind(key)
    .bind(to_epoch(now))
    .execute(&db.pool)
    .await?;
    tracing::info!(device = %id, institution, kind = kind.as_str(), "device registered");
    Ok(id)
}

/// 端末の利用停止: revokes a device. Its sessions in this process end at once; other processes
/// of the deployment notice within [`session::REVOCATION_RECHECK_SECONDS`].
pub async fn revoke(db: &Db, device_id: &str, now: JstDateTime) -> Result<(), ApiError> {
    let done =
        sqlx::query("UPDATE devices SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(to_epoch(now))
            .bind(device_id)
            .execute(&db.pool)
            .await?;
    if done.rows_affected() == 0 && find(db, device_id).await?.is_none() {
        return Err(ApiError::not_found(
            "DEVICE_NOT_FOUND",
            "この端末は登録されていません",
            "no device with this id is registered",
        ));
    }
    session::end_device_sessions(device_id);
    tracing::info!(device = %device_id, "device revoked");
    Ok(())
}

/// The device with `id`, revoked or not.
pub async fn find(db: &Db, id: &str) -> Result<Option<Device>, ApiError> {
    let row = sqlx::query(
        "SELECT id, institution_code, name, kind, public_key, created_at, revoked_at \
         FROM devices WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let kind: String = row.try_get("kind")?;
    let key: Vec<u8> = row.try_get("public_key")?;
    let public_key = public_key_from_bytes(&key)
        .map(VerifyingKey::from)
        .map_err(|_| ApiError::internal("stored device key unreadable"))?;
    let revoked_at: Option<i64> = row.try_get("revoked_at")?;
    Ok(Some(Device {
        id: row.try_get("id")?,
        institution: row.try_get("institution_code")?,
        name: row.try_get("name")?,
        kind: kind
            .parse()
            .map_err(|_| ApiError::internal("stored device kind unreadable"))?,
        public_key,
        created_at: crate::db::from_epoch(row.try_get("created_at")?),
        revoked_at: revoked_at.map(crate::db::from_epoch),
    }))
}

/// The device routes: `POST /v1/device-sessions` opens a session.
pub fn routes() -> Router<AppState> {
    Router::new().route("/v1/device-sessions", post(session::open_handler))
}

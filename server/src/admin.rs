//! 管理者 (the administrator): the bearer token that guards administration over HTTP (disaster
//! declarations). Only its SHA-256 is kept; without a configured token those routes answer 403.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// Proof that the request carries the administrator's token.
#[derive(Debug, Clone, Copy)]
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(expected) = state.config.admin_token_sha256 else {
            return Err(ApiError::forbidden(
                "ADMIN_DISABLED",
                "管理用トークンが設定されていません",
                "administration over HTTP is not enabled (no admin token configured)",
            ));
        };
        let presented = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        // Compare digests in constant time.
        let same = digest
            .iter()
            .zip(expected.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
        if same && !presented.is_empty() {
            Ok(Admin)
        } else {
            Err(ApiError::unauthorized(
                "ADMIN_TOKEN_INVALID",
                "管理用トークンが正しくありません",
                "the administrator token is wrong",
            ))
        }
    }
}

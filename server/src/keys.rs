//! サービス鍵 (the service's own keys): the secret behind institution URLs and the P-256 key that
//! signs consent receipts. Created once, on the first start, and kept in the database so every
//! process of one deployment (and every restart) uses the same ones.

use p256::ecdsa::{SigningKey, VerifyingKey};
use zeroize::Zeroizing;

use crate::db::Db;

/// The service's keys.
pub struct ServiceKeys {
    /// HMAC-SHA-256 key for 医療機関等専用URL tokens.
    pub url_key: Zeroizing<[u8; 32]>,
    /// Signs 同意の控え (consent receipts) as COSE_Sign1.
    pub receipt_key: SigningKey,
}

impl std::fmt::Debug for ServiceKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceKeys").finish_non_exhaustive()
    }
}

/// Random bytes from the operating system.
pub fn random<const N: usize>() -> Result<[u8; N], getrandom::Error> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b)?;
    Ok(b)
}

/// A random identifier: 16 bytes as lowercase hex.
pub fn random_id() -> Result<String, getrandom::Error> {
    Ok(hex(&random::<16>()?))
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    onshi_core::card::host::to_hex(bytes).to_ascii_lowercase()
}

impl ServiceKeys {
    /// Loads the keys, creating them on the first start. Two processes starting together agree:
    /// the first insert wins and both read it back.
    pub async fn load_or_create(db: &Db) -> Result<Self, String> {
        let url_key = Zeroizing::new(Self::secret(db, "institution_url_hmac").await?);
        let receipt = Zeroizing::new(Self::secret(db, "receipt_p256").await?);
        let receipt_key = SigningKey::from_slice(receipt.as_slice())
            .map_err(|e| format!("stored receipt key is not a P-256 scalar: {e}"))?;
        Ok(Self {
            url_key,
            receipt_key,
        })
    }

    /// The receipt key's public half (published so anyone can check a receipt).
    pub fn receipt_public_key(&self) -> VerifyingKey {
        *self.receipt_key.verifying_key()
    }

    async fn secret(db: &Db, name: &str) -> Result<[u8; 32], String> {
        let fresh = loop {
            let candidate = random::<32>().map_err(|e| e.to_string())?;
            // A P-256 scalar must be non-zero and below the group order; retry the rare miss.
            if SigningKey::from_slice(&candidate).is_ok() {
                break candidate;
            }
        };
        sqlx::query(
            "INSERT INTO service_keys (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(fresh.to_vec())
        .execute(&db.pool)
        .await
        .map_err(|e| format!("storing service key: {e}"))?;
        let stored: Vec<u8> = sqlx::query_scalar("SELECT secret FROM service_keys WHERE name = $1")
            .bind(name)
            .fetch_one(&db.pool)
            .await
            .map_err(|e| format!("reading service key: {e}"))?;
        stored
            .try_into()
            .map_err(|_| format!("service key {name} is not 32 bytes"))
    }
}

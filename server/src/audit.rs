//! 監査ログ (the access log) for medical information: who saw what about whom, when, on what
//! basis. Append-only and hash-chained: row `n` stores `prev_hash` (row `n-1`'s hash, 32 zero
//! bytes for the first) and `hash = SHA-256(prev_hash ‖ canonical encoding of row n)`, so a changed
//! or deleted row breaks the chain at that row.
//!
//! Appends serialize on the single-row chain head (`audit_head`), updated in the caller's
//! transaction: on PostgreSQL the first `UPDATE` takes the row lock and a concurrent appender waits
//! and then reads the committed head; on SQLite the same `UPDATE` takes the database's write lock.
//! The entry is thus committed or rolled back with whatever the caller did (a consent check, a
//! disclosure), never on its own. On SQLite, append before the transaction's other reads where
//! possible: a transaction that read first and then finds another writer committed fails with
//! `SQLITE_BUSY` rather than waiting, and the caller retries it.
//!
//! The canonical encoding (version 1) is, in this order: `seq` (8 bytes big-endian), `at` (unix
//! seconds, 8 bytes big-endian, two's complement), then each of `institution`, `device_id`,
//! `person`, `action`, `information`, `basis` as a 4-byte big-endian length and its UTF-8 bytes,
//! `device_id` preceded by one byte: 0 absent, 1 present.

use onshi_core::jst::JstDateTime;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::db::{Db, from_epoch, to_epoch};
use crate::error::ApiError;

/// 監査ログの記録 (an access to record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// 閲覧日時.
    #[serde(with = "onshi_core::jst::serde_datetime")]
    pub at: JstDateTime,
    /// 医療機関等コード of the institution that accessed.
    pub institution: String,
    /// The device used, when the access came from one.
    pub device_id: Option<String>,
    /// The opaque person key (never a name or number).
    pub person: String,
    /// What was done (`view`, `disclose`, `export`, …).
    pub action: String,
    /// What information (`medication`, `diagnosis`, …: core's `Information` names).
    pub information: String,
    /// On what basis (a consent id, 災害時 mode, …).
    pub basis: String,
}

/// 記録の控え (the receipt of an append): the row's place and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditReceipt {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// The row's hash, lowercase hex.
    pub hash: String,
}

/// 閲覧履歴 (an access as the patient sees it in "who accessed my information").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntryView {
    /// Position in the chain.
    pub seq: i64,
    /// 閲覧日時.
    #[serde(with = "onshi_core::jst::serde_datetime")]
    pub at: JstDateTime,
    /// 医療機関等コード.
    pub institution: String,
    /// The institution's name, when it is still registered.
    pub institution_name: Option<String>,
    /// The device used.
    pub device_id: Option<String>,
    /// What was done.
    pub action: String,
    /// What information.
    pub information: String,
    /// On what basis.
    pub basis: String,
}

/// Why the chain does not hold at a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Break {
    /// The row's content does not match its hash (改ざん: the row was changed).
    Tampered,
    /// The row's `prev_hash` is not the previous row's hash (rows were replaced or reordered).
    LinkBroken,
    /// A row is missing before this one (削除: a row was deleted).
    Missing,
    /// The chain head names a later row or another hash than the last row (rows were deleted at
    /// the end, or the head was changed).
    HeadMismatch,
}

/// 検証結果 (the result of re-walking the chain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainReport {
    /// Rows walked.
    pub rows: i64,
    /// The hash of the last row that held (lowercase hex).
    pub head: String,
    /// The first row where the chain breaks, and how; `None` when the chain holds.
    pub first_broken: Option<(i64, Break)>,
}

impl ChainReport {
    /// Whether the whole chain holds.
    pub fn is_intact(&self) -> bool {
        self.first_broken.is_none()
    }
}

fn push_text(out: &mut Vec<u8>, s: &str) {
    // Lengths above 4 GiB cannot reach this table; saturating keeps the encoding total anyway.
    let len = u32::try_from(s.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// The canonical encoding of a row (see the module doc).
pub fn canonical(seq: i64, entry: &AuditEntry) -> Vec<u8> {
    canonical_parts(seq, to_epoch(entry.at), entry)
}

fn canonical_parts(seq: i64, at: i64, entry: &AuditEntry) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&at.to_be_bytes());
    push_text(&mut out, &entry.institution);
    match &entry.device_id {
        Some(d) => {
            out.push(1);
            push_text(&mut out, d);
        }
        None => out.push(0),
    }
    push_text(&mut out, &entry.person);
    push_text(&mut out, &entry.action);
    push_text(&mut out, &entry.information);
    push_text(&mut out, &entry.basis);
    out
}

/// `SHA-256(prev_hash ‖ canonical row)`.
pub fn row_hash(prev: &[u8], canonical_row: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(canonical_row);
    h.finalize().into()
}

/// 記録の追加: appends an entry in the caller's transaction and returns its place and hash.
pub async fn append(
    tx: &mut Transaction<'_, Any>,
    entry: &AuditEntry,
) -> Result<AuditReceipt, ApiError> {
    // Taking the head first is the lock that orders concurrent appenders.
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await?;
    let seq: i64 = head.try_get("seq")?;
    let prev: Vec<u8> = head.try_get("hash")?;
    let hash = row_hash(&prev, &canonical(seq, entry));
    sqlx::query(
        "INSERT INTO audit_log (seq, at, institution, device_id, person, action, information, \
         basis, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(seq)
    .bind(to_epoch(entry.at))
    .bind(&entry.institution)
    .bind(entry.device_id.as_deref())
    .bind(&entry.person)
    .bind(&entry.action)
    .bind(&entry.information)
    .bind(&entry.basis)
    .bind(prev)
    .bind(hash.to_vec())
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(hash.to_vec())
        .execute(&mut **tx)
        .await?;
    Ok(AuditReceipt {
        seq,
        hash: crate::keys::hex(&hash),
    })
}

fn entry_of(row: &AnyRow) -> Result<(i64, i64, AuditEntry), ApiError> {
    let at: i64 = row.try_get("at")?;
    Ok((
        row.try_get("seq")?,
        at,
        AuditEntry {
            at: from_epoch(at),
            institution: row.try_get("institution")?,
            device_id: row.try_get("device_id")?,
            person: row.try_get("person")?,
            action: row.try_get("action")?,
            information: row.try_get("information")?,
            basis: row.try_get("basis")?,
        },
    ))
}

/// Rows read per page while verifying, so memory stays bounded however long the log grows.
const PAGE: i64 = 1000;

/// 監査ログの検証: re-walks the chain from the first row and names the first row that breaks it.
pub async fn verify(db: &Db) -> Result<ChainReport, ApiError> {
    let mut running = [0u8; 32].to_vec();
    let mut expected_seq = 1i64;
    let mut rows = 0i64;
    loop {
        let page = sqlx::query(
            "SELECT seq, at, institution, device_id, person, action, information, basis, \
             prev_hash, hash FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2",
        )
        .bind(expected_seq)
        .bind(PAGE)
        .fetch_all(&db.pool)
        .await?;
        let last_page = (page.len() as i64) < PAGE;
        for row in &page {
            let (seq, at, entry) = entry_of(row)?;
            let prev: Vec<u8> = row.try_get("prev_hash")?;
            let stored: Vec<u8> = row.try_get("hash")?;
            let broken = if seq != expected_seq {
                Some(Break::Missing)
            } else if prev != running {
                Some(Break::LinkBroken)
            } else if row_hash(&prev, &canonical_parts(seq, at, &entry)).as_slice() != stored {
                Some(Break::Tampered)
            } else {
                None
            };
            if let Some(b) = broken {
                return Ok(report(rows, &running, Some((seq, b))));
            }
            running = stored;
            rows += 1;
            expected_seq += 1;
        }
        if last_page {
            break;
        }
    }
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(&db.pool)
        .await?;
    let head_seq: i64 = head.try_get("seq")?;
    let head_hash: Vec<u8> = head.try_get("hash")?;
    if head_seq != rows || head_hash != running {
        return Ok(report(
            rows,
            &running,
            Some((rows + 1, Break::HeadMismatch)),
        ));
    }
    Ok(report(rows, &running, None))
}

fn report(rows: i64, head: &[u8], first_broken: Option<(i64, Break)>) -> ChainReport {
    ChainReport {
        rows,
        head: crate::keys::hex(head),
        first_broken,
    }
}

/// 閲覧履歴: every recorded access to one person's information, oldest first.
pub async fn accesses_for_person(db: &Db, person: &str) -> Result<Vec<AuditEntryView>, ApiError> {
    let rows = sqlx::query(
        "SELECT a.seq, a.at, a.institution, a.device_id, a.person, a.action, a.information, \
         a.basis, i.name AS institution_name FROM audit_log a \
         LEFT JOIN institutions i ON i.code = a.institution \
         WHERE a.person = $1 ORDER BY a.seq",
    )
    .bind(person)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            let (seq, _, e) = entry_of(row)?;
            Ok(AuditEntryView {
                seq,
                at: e.at,
                institution: e.institution,
                institution_name: row.try_get("institution_name")?,
                device_id: e.device_id,
                action: e.action,
                information: e.information,
                basis: e.basis,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(device: Option<&str>) -> AuditEntry {
        AuditEntry {
            at: crate::testing::test_now(),
            institution: "1312345678".into(),
            device_id: device.map(str::to_owned),
            person: "p1".into(),
            action: "view".into(),
            information: "medication".into(),
            basis: "consent:c1".into(),
        }
    }

    #[test]
    fn the_encoding_separates_fields_and_absence() {
        // An absent device and an empty one differ; moving text between fields changes the bytes.
        assert_ne!(canonical(1, &entry(None)), canonical(1, &entry(Some(""))));
        let mut a = entry(None);
        a.action = "viewmedication".into();
        a.information = String::new();
        assert_ne!(canonical(1, &a), canonical(1, &entry(None)));
        assert_ne!(canonical(1, &entry(None)), canonical(2, &entry(None)));
    }
}

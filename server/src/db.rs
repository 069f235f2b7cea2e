//! 記録の保存 (storage): one set of queries over SQLite — one file in WAL mode, the embedded
//! default — and PostgreSQL for deployments that outgrow one machine, chosen by the database URL.
//!
//! Queries go through sqlx's `Any` driver and must stay portable: `$1, $2, …` placeholders numbered in
//! order of first use, `ON CONFLICT … DO NOTHING/UPDATE`, `RETURNING`, and only the column types both
//! sides decode alike: `TEXT`, `BIGINT` (never `INTEGER` on PostgreSQL: `Any` reads every integer as
//! `i64`) and `BLOB`/`BYTEA`. Times are `BIGINT` seconds since the Unix epoch; dates are `TEXT`
//! `YYYYMMDD`. Each backend has its own migrations folder with the same numbered files.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

/// Which database a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite: `sqlite://path/to/onshi.db` (created when missing), or `sqlite::memory:` for tests.
    Sqlite,
    /// PostgreSQL: `postgres://user@host/db`.
    Postgres,
}

impl Backend {
    /// The backend a database URL names.
    pub fn of_url(url: &str) -> Result<Self, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(DbError::Url(
                url.split(':').next().unwrap_or_default().to_owned(),
            ))
        }
    }
}

/// Storage could not be opened or prepared.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL names no supported database.
    #[error(
        "データベースURLが対応していません（sqlite: か postgres://）: {0}: (unsupported database URL scheme; use sqlite: or postgres://)"
    )]
    Url(String),
    /// The database refused or failed.
    #[error("データベースに接続できません (cannot open the database): {0}")]
    Sqlx(#[from] sqlx::Error),
    /// A migration failed.
    #[error("データベースの更新に失敗しました (database migration failed): {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// The service's database: a connection pool and its backend.
#[derive(Clone, Debug)]
pub struct Db {
    /// The pool; every query of the service goes through it.
    pub pool: AnyPool,
    /// Which database it is, for the few places that must differ.
    pub backend: Backend,
}

impl Db {
    /// Opens (creating a SQLite file when missing) and migrates the database at `url`.
    pub async fn open(url: &str) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let url = match backend {
            // Create the file when missing; `sqlite::memory:` stays as it is.
            Backend::Sqlite if !url.contains("memory") && !url.contains('?') => {
                format!("{url}?mode=rwc")
            }
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = match backend {
            Backend::Sqlite => {
                // One writer at a time is SQLite's rule; readers proceed beside it in WAL mode.
                // `sqlite::memory:` is one database per connection, so it gets exactly one.
                let connections = if url.contains("memory") { 1 } else { 8 };
                AnyPoolOptions::new()
                    .max_connections(connections)
                    .min_connections(connections.min(2))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?
            }
        };
        match backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&pool).await?,
            Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&pool).await?,
        }
        Ok(Self { pool, backend })
    }
}

/// The stored form of a unit enum value: its serde name (`home_visit`, `agree`, `medical_clinic`).
pub fn name_of<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Reads a stored enum name back; a name the code does not know is a storage fault.
pub fn parse_name<T: for<'de> serde::Deserialize<'de>>(
    s: &str,
) -> Result<T, crate::error::ApiError> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).map_err(|_| {
        crate::error::ApiError::internal(format_args!("stored value {s:?} unreadable"))
    })
}

/// Seconds since the Unix epoch for a JST wall-clock time (the storage form of a moment).
pub fn to_epoch(t: onshi_core::jst::JstDateTime) -> i64 {
    t.assume_offset(time::UtcOffset::from_hms(9, 0, 0).unwrap_or(time::UtcOffset::UTC))
        .unix_timestamp()
}

/// The JST wall-clock time of a stored moment.
pub fn from_epoch(seconds: i64) -> onshi_core::jst::JstDateTime {
    let offset = time::UtcOffset::from_hms(9, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let t = time::OffsetDateTime::from_unix_timestamp(seconds)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset);
    onshi_core::jst::JstDateTime::new(t.date(), t.time())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_round_trips_in_jst() {
        let t = onshi_core::jst::parse_datetime("20261121093000").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(from_epoch(to_epoch(t)), t);
        // 09:30 JST is 00:30 UTC.
        assert_eq!(to_epoch(t) % 86_400, 30 * 60);
    }

    #[test]
    fn urls_choose_the_backend() {
        assert_eq!(Backend::of_url("sqlite://x.db").ok(), Some(Backend::Sqlite));
        assert_eq!(
            Backend::of_url("postgres://u@h/d").ok(),
            Some(Backend::Postgres)
        );
        assert!(Backend::of_url("mysql://u@h/d").is_err());
    }
}

#[cfg(test)]
mod open_tests {
    use super::*;

    #[tokio::test]
    async fn an_in_memory_database_opens_migrated() {
        let db = Db::open("sqlite::memory:")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM institutions")
            .fetch_one(&db.pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(n, 0);
    }
}

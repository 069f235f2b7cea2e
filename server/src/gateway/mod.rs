//! The OQS file gateway (`onshi-server gateway`): it stands in for the qualification terminal's
//! 連携アプリ. A receipt computer drops request files into `<dir>/req`; the gateway answers each
//! in `<dir>/res` under the paired name, and writes card reads into `<dir>/face`.
//!
//! - **Watching.** `req` is polled (every 200 ms by default). A file is taken once it is the same
//!   size and age on two polls in a row, so a file still being copied in is not read half-way;
//!   hidden files and `*.tmp` are a writer's work in progress and are left alone.
//! - **Exactly once.** Each request (name and SHA-256 of its bytes) is recorded before it is
//!   answered; the response is written atomically (temp file, fsync, rename, fsync of the folder);
//!   the request is marked answered after the rename. A restart redoes only unmarked requests,
//!   and a redo writes the same bytes.
//! - **Answered requests leave `req`.** The 連携アプリ consumes its request files, so the gateway
//!   moves each answered request into `<dir>/trash` (the folder receipt computers already use for
//!   processed files), where it stays for inspection instead of being deleted.
//! - **Files that are not requests** (a name that is not `<API識別ID>_<suffix>.xml` of a request)
//!   cannot be answered under any name: they are moved to `<dir>/error` and logged.
//! - **Malformed requests** get a typed error result (`SegmentOfResult` 9, onshi's code in
//!   `ErrorCode`).

pub mod face;
pub mod files;
pub mod reference_number;
mod respond;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use onshi_core::ids::MedicalInstitutionCode;
use onshi_core::oqs::{Direction, FileName};
use sha2::{Digest, Sha256};
use sqlx::Row;

pub use face::{deliver_face_events, face_file_name, record_face_event};

use crate::db::{from_epoch, to_epoch};
use crate::error::ApiError;
use crate::state::AppState;

/// The default interval between two looks at `req`.
pub const DEFAULT_POLL: Duration = Duration::from_millis(200);

/// What one pass over the folders did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pass {
    /// Requests answered (error results included).
    pub answered: usize,
    /// Answered requests whose result was a typed error.
    pub errors: usize,
    /// Files moved to `error` because they are not requests.
    pub rejected: usize,
    /// Requests left for the next pass because the service failed (logged).
    pub retried: usize,
    /// Face files written.
    pub faces: usize,
}

/// The gateway of one institution over one folder (資格確認端末の連携フォルダ).
#[derive(Clone)]
pub struct Gateway {
    state: AppState,
    dir: PathBuf,
    institution: MedicalInstitutionCode,
}

fn io_error(what: &str, e: &std::io::Error) -> ApiError {
    ApiError::internal(format_args!("gateway {what}: {e}"))
}

impl Gateway {
    /// A gateway for `institution` over `dir`, creating `req`, `res`, `face`, `trash` and `error`
    /// when missing.
    pub fn open(state: AppState, dir: &Path, institution: &str) -> Result<Self, ApiError> {
        let institution: MedicalInstitutionCode = institution.parse().map_err(|e| {
            ApiError::bad_request(
                "INSTITUTION_CODE_INVALID",
                &format!("医療機関等コードが正しくありません: {e}"),
                &format!("invalid institution code: {e}"),
            )
        })?;
        for sub in ["req", "res", "face", "trash", "error"] {
            std::fs::create_dir_all(dir.join(sub)).map_err(|e| io_error("folder", &e))?;
        }
        Ok(Self {
            state,
            dir: dir.to_owned(),
            institution,
        })
    }

    /// A folder of the gateway (`req`, `res`, `face`, `trash`, `error`).
    pub fn folder(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// One pass: answers every request now in `req` and writes pending face events.
    pub async fn pass(&self) -> Pass {
        self.pass_over(|_| true).await
    }

    async fn pass_over(&self, take: impl Fn(&files::Waiting) -> bool) -> Pass {
        let mut pass = Pass::default();
        match files::waiting(&self.folder("req")) {
            Ok(waiting) => {
                for w in waiting.iter().filter(|w| take(w)) {
                    match self.handle(w).await {
                        Ok(Handled::Answered { error }) => {
                            pass.answered += 1;
                            pass.errors += usize::from(error);
                        }
                        Ok(Handled::Rejected) => pass.rejected += 1,
                        Ok(Handled::Gone) => {}
                        Err(e) => {
                            tracing::error!(file = %w.name, code = %e.code, "gateway: will retry: {e}");
                            pass.retried += 1;
                        }
                    }
                }
            }
            Err(e) => tracing::error!("gateway: cannot list req: {e}"),
        }
        match deliver_face_events(&self.state, &self.institution, &self.folder("face")).await {
            Ok(n) => pass.faces = n,
            Err(e) => tracing::error!(code = %e.code, "gateway: face delivery will retry: {e}"),
        }
        pass
    }

    /// Watches the folders every `poll` until `shutdown` completes. A file is taken once it looks
    /// the same (size, modification time) on two polls in a row.
    pub async fn run(&self, poll: Duration, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut last: HashMap<String, (u64, Option<SystemTime>)> = HashMap::new();
        loop {
            let now: HashMap<String, (u64, Option<SystemTime>)> =
                files::waiting(&self.folder("req"))
                    .map(|ws| {
                        ws.into_iter()
                            .map(|w| (w.name, (w.len, w.modified)))
                            .collect()
                    })
                    .unwrap_or_default();
            let pass = self
                .pass_over(|w| last.get(&w.name) == Some(&(w.len, w.modified)))
                .await;
            if pass != Pass::default() {
                tracing::info!(?pass, "gateway pass");
            }
            last = now;
            tokio::select! {
                () = &mut shutdown => return,
                () = tokio::time::sleep(poll) => {}
            }
        }
    }

    async fn handle(&self, w: &files::Waiting) -> Result<Handled, ApiError> {
        let file = match w.name.parse::<FileName>() {
            Ok(f) if f.api.direction == Direction::Request => f,
            _ => {
                tracing::warn!(file = %w.name, "gateway: not a request file name; moved to error");
                files::move_into(&w.path, &self.folder("error"), "dup")
                    .map_err(|e| io_error("move", &e))?;
                return Ok(Handled::Rejected);
            }
        };
        let bytes = match std::fs::read(&w.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Handled::Gone),
            Err(e) => return Err(io_error("read", &e)),
        };
        let sha = crate::keys::hex(&Sha256::digest(&bytes));
        let recorded = self.record(&w.name, &sha).await?;
        let mut error = false;
        if recorded.status != "answered" {
            let ctx = respond::Context {
                institution: &self.institution,
                name: &w.name,
                sha256: &sha,
                received_at: recorded.received_at,
                decision: recorded.decision.clone(),
            };
            let answer = respond::respond(&self.state, &ctx, &file, &bytes).await?;
            if answer.decision.is_some() && answer.decision != recorded.decision {
                self.update(&w.name, &sha, "decision", answer.decision.as_deref())
                    .await?;
            }
            files::write_atomically(&self.folder("res"), &answer.name, &answer.bytes)
                .map_err(|e| io_error("write", &e))?;
            sqlx::query(
                "UPDATE gateway_requests SET status = 'answered', response_name = $1, \
                 answered_at = $2 WHERE institution_code = $3 AND file_name = $4 AND sha256 = $5",
            )
            .bind(&answer.name)
            .bind(to_epoch(self.state.now()))
            .bind(self.institution.as_str())
            .bind(&w.name)
            .bind(&sha)
            .execute(&self.state.db.pool)
            .await?;
            error = answer.error.is_some();
            match &answer.error {
                Some(code) => {
                    tracing::warn!(file = %w.name, response = %answer.name, %code, "gateway answered with an error result")
                }
                None => tracing::info!(file = %w.name, response = %answer.name, "gateway answered"),
            }
        }
        files::move_into(&w.path, &self.folder("trash"), &sha[..12])
            .map_err(|e| io_error("move", &e))?;
        Ok(Handled::Answered { error })
    }

    async fn record(&self, name: &str, sha: &str) -> Result<Recorded, ApiError> {
        sqlx::query(
            "INSERT INTO gateway_requests (institution_code, file_name, sha256, received_at, status) \
             VALUES ($1, $2, $3, $4, 'received') \
             ON CONFLICT (institution_code, file_name, sha256) DO NOTHING",
        )
        .bind(self.institution.as_str())
        .bind(name)
        .bind(sha)
        .bind(to_epoch(self.state.now()))
        .execute(&self.state.db.pool)
        .await?;
        let row = sqlx::query(
            "SELECT received_at, status, decision FROM gateway_requests \
             WHERE institution_code = $1 AND file_name = $2 AND sha256 = $3",
        )
        .bind(self.institution.as_str())
        .bind(name)
        .bind(sha)
        .fetch_one(&self.state.db.pool)
        .await?;
        Ok(Recorded {
            received_at: from_epoch(row.try_get("received_at")?),
            status: row.try_get("status")?,
            decision: row.try_get("decision")?,
        })
    }

    async fn update(
        &self,
        name: &str,
        sha: &str,
        column: &'static str,
        value: Option<&str>,
    ) -> Result<(), ApiError> {
        // `column` is one of ours, never input.
        let sql = format!(
            "UPDATE gateway_requests SET {column} = $1 \
             WHERE institution_code = $2 AND file_name = $3 AND sha256 = $4"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(value)
            .bind(self.institution.as_str())
            .bind(name)
            .bind(sha)
            .execute(&self.state.db.pool)
            .await?;
        Ok(())
    }
}

enum Handled {
    Answered { error: bool },
    Rejected,
    Gone,
}

struct Recorded {
    received_at: onshi_core::jst::JstDateTime,
    status: String,
    decision: Option<String>,
}

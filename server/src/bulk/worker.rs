//! The background worker: determines a job's rows a chunk at a time with core's
//! [`RecordIndex`], loading the records a whole chunk needs in one query, and commits each chunk's
//! results together with the job's `done` counter.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::time::Duration;

use onshi_core::jst::format_date;
use onshi_core::qualification::{QueryKey, RecordIndex, RegisteredRecord};
use sqlx::Row;
use tokio::sync::Notify;

use super::view::{RowInput, RowOutcome, stored_row, to_json};
use super::{JOB_COLUMNS, JobId, JobState, job_of, now_epoch};
use crate::error::ApiError;
use crate::state::AppState;

/// Rows determined and committed together: a crash loses at most this much work, never a
/// committed row.
pub const CHUNK_ROWS: usize = 500;

/// Rows per multi-row upsert (5 values each).
const ROWS_PER_STATEMENT: usize = 200;

/// How long an idle worker sleeps before looking for work it was not told about (a job another
/// process accepted).
const IDLE_POLL: Duration = Duration::from_secs(2);

static WAKE: Notify = Notify::const_new();

/// Tells this process's workers that a job is waiting.
pub fn wake_workers() {
    WAKE.notify_waiters();
}

/// Starts the 一括照会 worker: it resumes every unfinished job (from its `done` counter), then
/// processes new jobs as they are accepted.
pub fn spawn_worker(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            // Registered before looking, so a job accepted meanwhile still wakes the worker.
            let notified = WAKE.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Err(e) = resume_unfinished(&state).await {
                tracing::error!(code = %e.code, "一括照会 worker: {e}");
            }
            let _ = tokio::time::timeout(IDLE_POLL, notified).await;
        }
    })
}

/// Completes every unfinished job, each from its `done` counter; returns how many it completed.
pub async fn resume_unfinished(state: &AppState) -> Result<usize, ApiError> {
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM bulk_jobs WHERE status = $1 ORDER BY created_at, id")
            .bind(JobState::Processing.as_str())
            .fetch_all(&state.db.pool)
            .await?;
    for id in &ids {
        let id = JobId(id.clone());
        while process_chunk(state, &id, CHUNK_ROWS).await? {}
    }
    Ok(ids.len())
}

/// Determines and commits the next `chunk` rows of job `id`; `Ok(true)` while rows remain.
pub async fn process_chunk(state: &AppState, id: &JobId, chunk: usize) -> Result<bool, ApiError> {
    let sql = format!("SELECT {JOB_COLUMNS} FROM bulk_jobs WHERE id = $1");
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.as_str())
        .fetch_optional(&state.db.pool)
        .await?
    else {
        return Ok(false);
    };
    let job = job_of(&row)?;
    if job.state == JobState::Completed {
        return Ok(false);
    }
    let stored = sqlx::query(
        "SELECT row_no, input, result FROM bulk_rows WHERE job_id = $1 AND row_no >= $2 \
         ORDER BY row_no LIMIT $3",
    )
    .bind(id.as_str())
    .bind(job.done)
    .bind(i64::try_from(chunk.max(1)).unwrap_or(500))
    .fetch_all(&state.db.pool)
    .await?;
    let rows = stored
        .iter()
        .map(stored_row)
        .collect::<Result<Vec<_>, _>>()?;
    let pending: Vec<(u64, &RowInput)> = rows
        .iter()
        .filter(|(_, _, outcome)| outcome.is_none())
        .map(|(no, input, _)| (*no, input))
        .collect();
    let keys: Vec<&QueryKey> = {
        let mut seen = HashSet::new();
        pending
            .iter()
            .filter_map(|(_, input)| input.key.as_ref())
            .filter(|k| seen.insert(*k))
            .collect()
    };
    let records = load_records(state, &keys).await?;
    let index = RecordIndex::new(&records);
    let mut outcomes: Vec<(u64, &RowInput, RowOutcome)> = pending
        .iter()
        .map(|(no, input)| (*no, *input, determine(&index, input, job.confirmation_date)))
        .collect();
    let persons: Vec<&str> = outcomes
        .iter()
        .filter_map(|(_, _, o)| o.reference_number.as_deref())
        .collect();
    let references =
        crate::gateway::reference_number::references_for(&state.db, &job.institution, &persons)
            .await?;
    for (_, _, o) in &mut outcomes {
        // `reference_number` carried the person key until here; it becomes the 照会番号.
        o.reference_number = o
            .reference_number
            .take()
            .and_then(|person| references.get(&person).cloned());
    }

    let mut tx = state.db.pool.begin().await?;
    for part in outcomes.chunks(ROWS_PER_STATEMENT) {
        let mut sql =
            String::from("INSERT INTO bulk_rows (job_id, row_no, input, status, result) VALUES ");
        for i in 0..part.len() {
            let b = i * 5;
            let sep = if i == 0 { "" } else { ", " };
            let _ = write!(
                sql,
                "{sep}(${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5
            );
        }
        sql.push_str(
            " ON CONFLICT (job_id, row_no) DO UPDATE SET status = excluded.status, \
             result = excluded.result",
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (no, input, outcome) in part {
            query = query
                .bind(id.as_str())
                .bind(i64::try_from(*no).unwrap_or_default())
                .bind(to_json(*input)?)
                .bind(outcome.status().as_str())
                .bind(to_json(outcome)?);
        }
        query.execute(&mut *tx).await?;
    }
    let advanced = i64::try_from(rows.len()).unwrap_or_default();
    // No rows left below `total` would mean a broken job; completing it ends the loop.
    let done = if advanced == 0 {
        job.total
    } else {
        (job.done + advanced).min(job.total)
    };
    let finished = done >= job.total;
    let state_now = if finished {
        JobState::Completed
    } else {
        JobState::Processing
    };
    let updated = sqlx::query(
        "UPDATE bulk_jobs SET done = $1, status = $2, completed_at = $3 WHERE id = $4 AND done = $5",
    )
    .bind(done)
    .bind(state_now.as_str())
    .bind(finished.then(|| now_epoch(state)))
    .bind(id.as_str())
    .bind(job.done)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        // Another worker committed this chunk first; its results are the same. Look again.
        tx.rollback().await?;
        return Ok(true);
    }
    tx.commit().await?;
    if finished {
        tracing::info!(job = %id, rows = job.total, "一括照会 completed");
    }
    Ok(!finished)
}

/// One row's determination by core. The person key rides in `reference_number` until the
/// registered 照会番号 are looked up for the whole chunk.
fn determine(index: &RecordIndex<'_>, input: &RowInput, date: onshi_core::jst::Date) -> RowOutcome {
    let Some(key) = &input.key else {
        return RowOutcome::error(
            "BATCH_ROW_UNREADABLE",
            &onshi_core::i18n::Message::new("この行を読み取れません", "this row cannot be read"),
            None,
        );
    };
    let d = index.determine(key, date);
    let shown = d.record.and_then(|i| index.records().get(i));
    RowOutcome {
        validity: Some(d.validity),
        reason_of_loss: d.reason_of_loss,
        code: d.code.to_owned(),
        ja: d.message.ja,
        en: d.message.en,
        column: None,
        qualification: shown.map(|r| r.qualification.clone()),
        reference_number: shown.map(|r| r.person.clone()),
    }
}

/// Keys per records query (3 values each).
const KEYS_PER_QUERY: usize = 500;

/// Every record that can bear on any of `keys`: all records of each person whose numbers match
/// one of them (so a newer qualification elsewhere is seen), in one query per 500 keys.
async fn load_records(
    state: &AppState,
    keys: &[&QueryKey],
) -> Result<Vec<RegisteredRecord>, ApiError> {
    let numbers: Vec<(&str, &str, String)> = keys
        .iter()
        .filter_map(|k| match k {
            QueryKey::Numbers {
                insurer,
                number,
                birthdate,
                ..
            } => Some((insurer.as_str(), number.as_str(), format_date(*birthdate))),
            QueryKey::Card { .. } => None,
        })
        .collect();
    let mut records = Vec::new();
    let mut persons_seen = HashSet::new();
    for part in numbers.chunks(KEYS_PER_QUERY) {
        // A join from the keys (VALUES columns are column1.. on both backends) lets SQLite probe
        // the numbers index per key; `(a, b, c) IN (VALUES …)` would scan the whole table.
        let mut sql = String::from(
            "SELECT person_id, record FROM qualifications WHERE person_id IN \
             (SELECT m.person_id FROM (VALUES ",
        );
        for i in 0..part.len() {
            let b = i * 3;
            let sep = if i == 0 { "" } else { ", " };
            let _ = write!(sql, "{sep}(${}, ${}, ${})", b + 1, b + 2, b + 3);
        }
        sql.push_str(
            ") AS k JOIN qualifications m ON m.insurer_number = k.column1 \
             AND m.number = k.column2 AND m.birthdate = k.column3) ORDER BY person_id, id",
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (insurer, number, birthdate) in part {
            query = query.bind(*insurer).bind(*number).bind(birthdate.as_str());
        }
        let rows = query.fetch_all(&state.db.pool).await?;
        let mut fresh = HashSet::new();
        for row in rows {
            let person: String = row.try_get("person_id")?;
            // A person reached from two parts is loaded once.
            if persons_seen.contains(&person) {
                continue;
            }
            fresh.insert(person.clone());
            let json: String = row.try_get("record")?;
            let qualification = serde_json::from_str(&json)
                .map_err(|e| ApiError::internal(format_args!("stored record unreadable: {e}")))?;
            records.push(RegisteredRecord {
                person,
                qualification,
            });
        }
        persons_seen.extend(fresh);
    }
    Ok(records)
}

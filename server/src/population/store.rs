//! 合成人口の登録と照会 (storing the population and reading its history): writes many people fast —
//! generation on a worker thread while the previous chunk is written, one transaction per chunk,
//! multi-row `INSERT`s with numbered placeholders (the form both backends accept through `Any`) —
//! and answers the queries of the medical-information and 医療扶助 endpoints.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use onshi_core::ids::{BeneficiaryNumber, PublicExpenseNumber};
use onshi_core::jst::{Date, format_date, parse_date};
use onshi_core::qualification::{MedicalTicket, Qualification, RegisteredRecord};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

use super::generate::{SyntheticPerson, person};
use super::history::{self, Checkup, Diagnosis, DiagnosisKind, Dispensing, InstitutionRef};
use super::household::BLOCK;
use crate::db::{Backend, Db, to_epoch};
use crate::error::ApiError;
use crate::registry::RecordColumns;
use crate::state::AppState;

/// People generated and written per transaction.
pub const CHUNK: u64 = 5_000;

/// Bind parameters per statement: well under SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_BINDS: usize = 4_000;

/// A value for a bulk insert.
enum Value {
    Text(String),
    Opt(Option<String>),
    Int(i64),
}

/// Rows for one table, written with multi-row `INSERT`s.
struct Bulk {
    table: &'static str,
    columns: &'static [&'static str],
    values: Vec<Value>,
    rows: u64,
}

impl Bulk {
    fn new(table: &'static str, columns: &'static [&'static str]) -> Self {
        Self {
            table,
            columns,
            values: Vec::new(),
            rows: 0,
        }
    }

    fn push<const N: usize>(&mut self, row: [Value; N]) {
        debug_assert_eq!(N, self.columns.len());
        self.values.extend(row);
        self.rows += 1;
    }

    async fn flush(
        &mut self,
        backend: Backend,
        tx: &mut Transaction<'_, Any>,
    ) -> Result<(), sqlx::Error> {
        let width = self.columns.len();
        let per_statement = (MAX_BINDS / width).max(1) * width;
        let values = std::mem::take(&mut self.values);
        let mut values = values.into_iter().peekable();
        while values.peek().is_some() {
            let chunk: Vec<Value> = values.by_ref().take(per_statement).collect();
            let rows = chunk.len() / width;
            let sql = insert_sql(backend, self.table, self.columns, rows);
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for v in chunk {
                q = match v {
                    Value::Text(s) => q.bind(s),
                    Value::Opt(s) => q.bind(s),
                    Value::Int(i) => q.bind(i),
                };
            }
            q.execute(&mut **tx).await?;
        }
        Ok(())
    }
}

/// `INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), …`: placeholders numbered in order of use on
/// PostgreSQL; plain `?` on SQLite, whose lookup of a numbered parameter's name walks every
/// parameter before it — quadratic in a statement of thousands (measured: 84 % of a seed's time).
fn insert_sql(backend: Backend, table: &str, columns: &[&str], rows: usize) -> String {
    let width = columns.len();
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    sql.reserve(rows * width * 7);
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..width {
            if c > 0 {
                sql.push_str(", ");
            }
            match backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => {
                    sql.push('$');
                    sql.push_str(&(r * width + c + 1).to_string());
                }
            }
        }
        sql.push(')');
    }
    sql
}

/// What a seed wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SeedSummary {
    /// The population seed.
    pub seed: u64,
    /// People written.
    pub people: u64,
    /// People per kind (a person can count under several).
    pub kinds: BTreeMap<String, u64>,
    /// 資格情報 records.
    pub records: u64,
    /// 調剤 rows (薬剤情報).
    pub medications: u64,
    /// 診療・手術 rows.
    pub diagnoses: u64,
    /// 特定健診 rows.
    pub checkups: u64,
    /// 医療券・調剤券.
    pub tickets: u64,
    /// Demo cards registered (利用登録) for persons 0–3.
    pub cards: u64,
    /// Wall-clock time of the whole seed.
    pub elapsed: Duration,
}

/// How to seed.
#[derive(Debug, Clone, Copy)]
pub struct SeedOptions {
    /// How many people.
    pub people: u64,
    /// Whether to issue and register the four demo cards (persons 0–3, card indices 0–3). Each
    /// costs a few RSA key generations.
    pub demo_cards: bool,
}

fn already_seeded() -> ApiError {
    ApiError::conflict(
        "POPULATION_ALREADY_SEEDED",
        "このデータベースには合成人口が登録済みです。新しいデータベースを指定してください",
        "this database already holds a synthetic population; seed a fresh database",
    )
}

/// Generates people `0..options.people` of the state's population seed for the state's today and
/// writes them (persons, records, history, tickets, kinds), then registers the demo cards. Refuses
/// a database that was seeded before.
pub async fn seed(state: &AppState, options: SeedOptions) -> Result<SeedSummary, ApiError> {
    let started = Instant::now();
    let seed = state.config.population_seed;
    let now = state.now();
    let today = now.date();
    let db = &state.db;
    let inserted = sqlx::query(
        "INSERT INTO population_runs (id, seed, people, today, started_at) \
         VALUES (1, $1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
    )
    .bind(seed as i64)
    .bind(options.people as i64)
    .bind(format_date(today))
    .bind(to_epoch(now))
    .execute(&db.pool)
    .await?;
    if inserted.rows_affected() != 1 {
        return Err(already_seeded());
    }

    let mut summary = SeedSummary {
        seed,
        ..SeedSummary::default()
    };
    // Generation runs on a worker thread one chunk ahead of the writes.
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<SyntheticPerson>>(2);
    let people = options.people;
    let generator = tokio::task::spawn_blocking(move || {
        let mut start = 0;
        while start < people {
            let end = (start + CHUNK).min(people);
            let chunk: Vec<SyntheticPerson> =
                (start..end).map(|i| person(seed, i, today)).collect();
            if sender.blocking_send(chunk).is_err() {
                break;
            }
            start = end;
        }
    });
    let created = to_epoch(now);
    while let Some(chunk) = receiver.recv().await {
        write_chunk(db, &chunk, created, &mut summary).await?;
    }
    generator
        .await
        .map_err(|e| ApiError::internal(format_args!("population generator: {e}")))?;

    if options.demo_cards {
        for index in 0..BLOCK.min(options.people) {
            super::cards::register_demo_card(state, index).await?;
            summary.cards += 1;
        }
    }
    sqlx::query("UPDATE population_runs SET completed_at = $1 WHERE id = 1")
        .bind(to_epoch(state.now()))
        .execute(&db.pool)
        .await?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

async fn write_chunk(
    db: &Db,
    chunk: &[SyntheticPerson],
    created: i64,
    summary: &mut SeedSummary,
) -> Result<(), ApiError> {
    let mut persons = Bulk::new("persons", &["id", "birthdate", "created_at"]);
    let mut records = Bulk::new(
        "qualifications",
        &[
            "person_id",
            "insurer_number",
            "number",
            "birthdate",
            "public_expense_number",
            "recipient_number",
            "record",
        ],
    );
    let mut population = Bulk::new("population", &["person_id", "idx", "household"]);
    let mut kinds = Bulk::new("population_kinds", &["kind", "person_id"]);
    let mut medications = Bulk::new(
        "medications",
        &[
            "person_id",
            "dispensed_on",
            "pharmacy_code",
            "prescriber_code",
            "drugs",
        ],
    );
    let mut diagnoses = Bulk::new(
        "diagnoses",
        &[
            "person_id",
            "diagnosed_on",
            "institution_code",
            "kind",
            "code",
            "name",
        ],
    );
    let mut checkups = Bulk::new(
        "checkups",
        &["person_id", "checked_on", "institution_code", "results"],
    );
    let mut tickets = Bulk::new(
        "medical_tickets",
        &[
            "person_id",
            "institution_code",
            "month",
            "public_expense_number",
            "recipient_number",
            "ticket",
        ],
    );
    let encode = |e: serde_json::Error| ApiError::internal(format_args!("encoding: {e}"));
    for p in chunk {
        let id = || Value::Text(p.id.clone());
        persons.push([
            id(),
            Value::Text(format_date(p.birthdate)),
            Value::Int(created),
        ]);
        population.push([
            id(),
            Value::Int(p.index as i64),
            Value::Int(p.household as i64),
        ]);
        for k in &p.kinds {
            kinds.push([Value::Text(k.as_str().to_owned()), id()]);
            *summary.kinds.entry(k.as_str().to_owned()).or_default() += 1;
        }
        for q in &p.records {
            let c = RecordColumns::of(q).map_err(encode)?;
            if let Some(aid) = &q.medical_assistance
                && let (Some(payer), Some(beneficiary)) = (&aid.payer, &aid.beneficiary)
            {
                for t in &aid.tickets {
                    tickets.push([
                        id(),
                        Value::Text(t.designated_institution.as_str().to_owned()),
                        Value::Text(format_date(t.month)),
                        Value::Text(payer.to_string()),
                        Value::Text(beneficiary.as_str().to_owned()),
                        Value::Text(serde_json::to_string(t).map_err(encode)?),
                    ]);
                }
            }
            records.push([
                id(),
                Value::Opt(c.insurer_number),
                Value::Opt(c.number),
                Value::Text(c.birthdate),
                Value::Opt(c.public_expense_number),
                Value::Opt(c.recipient_number),
                Value::Text(c.record),
            ]);
        }
        for d in &p.history.dispensed {
            medications.push([
                id(),
                Value::Text(format_date(d.date)),
                Value::Text(d.pharmacy.clone()),
                Value::Text(d.prescriber.clone()),
                Value::Text(history::encode_drugs(&d.drugs)),
            ]);
        }
        for d in &p.history.diagnosed {
            diagnoses.push([
                id(),
                Value::Text(format_date(d.date)),
                Value::Text(d.institution.clone()),
                Value::Text(d.kind.as_str().to_owned()),
                Value::Text(d.code.to_owned()),
                Value::Text(d.name.to_owned()),
            ]);
        }
        for c in &p.history.checked {
            checkups.push([
                id(),
                Value::Text(format_date(c.date)),
                Value::Text(c.institution.clone()),
                Value::Text(c.values.join(";")),
            ]);
        }
    }
    summary.people += chunk.len() as u64;
    summary.records += records.rows;
    summary.medications += medications.rows;
    summary.diagnoses += diagnoses.rows;
    summary.checkups += checkups.rows;
    summary.tickets += tickets.rows;
    let mut tx = db.pool.begin().await?;
    // Persons first: the other tables refer to them.
    for table in [
        &mut persons,
        &mut records,
        &mut population,
        &mut kinds,
        &mut medications,
        &mut diagnoses,
        &mut checkups,
        &mut tickets,
    ] {
        table.flush(db.backend, &mut tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The seed of the population stored in `db`, if one was seeded.
pub async fn population_seed(db: &Db) -> Result<Option<u64>, ApiError> {
    let seed: Option<i64> = sqlx::query_scalar("SELECT seed FROM population_runs WHERE id = 1")
        .fetch_optional(&db.pool)
        .await?;
    Ok(seed.map(|s| s as u64))
}

/// What was seeded: the population's seed, its size and the day it was generated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PopulationRun {
    /// The population seed.
    pub seed: u64,
    /// How many people.
    pub people: u64,
    /// The day the records were generated as of.
    pub today: Date,
}

/// The population seeded in `db`, if one was.
pub async fn population_run(db: &Db) -> Result<Option<PopulationRun>, ApiError> {
    let row: Option<(i64, i64, String)> =
        sqlx::query_as("SELECT seed, people, today FROM population_runs WHERE id = 1")
            .fetch_optional(&db.pool)
            .await?;
    row.map(|(seed, people, today)| {
        Ok(PopulationRun {
            seed: seed as u64,
            people: people as u64,
            today: stored_date(&today)?,
        })
    })
    .transpose()
}

fn stored_date(s: &str) -> Result<Date, ApiError> {
    parse_date(s).map_err(|e| ApiError::internal(format_args!("stored date: {e}")))
}

/// 薬剤情報: the person's dispensings on or after `since`, oldest first.
pub async fn medications(db: &Db, person: &str, since: Date) -> Result<Vec<Dispensing>, ApiError> {
    let rows = sqlx::query(
        "SELECT dispensed_on, pharmacy_code, prescriber_code, drugs FROM medications \
         WHERE person_id = $1 AND dispensed_on >= $2 ORDER BY dispensed_on",
    )
    .bind(person)
    .bind(format_date(since))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let on: String = r.try_get("dispensed_on")?;
            let pharmacy: String = r.try_get("pharmacy_code")?;
            let prescriber: String = r.try_get("prescriber_code")?;
            let drugs: String = r.try_get("drugs")?;
            Ok(history::dispensing(
                stored_date(&on)?,
                &pharmacy,
                &prescriber,
                &drugs,
            ))
        })
        .collect()
}

/// 診療情報・手術情報: the person's diagnoses and operations on or after `since`, oldest first.
pub async fn diagnoses(db: &Db, person: &str, since: Date) -> Result<Vec<Diagnosis>, ApiError> {
    let rows = sqlx::query(
        "SELECT diagnosed_on, institution_code, kind, code, name FROM diagnoses \
         WHERE person_id = $1 AND diagnosed_on >= $2 ORDER BY diagnosed_on",
    )
    .bind(person)
    .bind(format_date(since))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let on: String = r.try_get("diagnosed_on")?;
            let institution: String = r.try_get("institution_code")?;
            let kind: String = r.try_get("kind")?;
            Ok(Diagnosis {
                date: stored_date(&on)?,
                institution: InstitutionRef::of(&institution),
                kind: DiagnosisKind::parse(&kind),
                code: r.try_get("code")?,
                name: r.try_get("name")?,
            })
        })
        .collect()
}

/// 特定健診情報: the person's check-ups on or after `since`, oldest first.
pub async fn checkups(db: &Db, person: &str, since: Date) -> Result<Vec<Checkup>, ApiError> {
    let rows = sqlx::query(
        "SELECT checked_on, institution_code, results FROM checkups \
         WHERE person_id = $1 AND checked_on >= $2 ORDER BY checked_on",
    )
    .bind(person)
    .bind(format_date(since))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let on: String = r.try_get("checked_on")?;
            let institution: String = r.try_get("institution_code")?;
            let results: String = r.try_get("results")?;
            Ok(history::checkup(stored_date(&on)?, &institution, &results))
        })
        .collect()
}

/// One ticket of 委託先資格情報の一括取得: the 医療券/調剤券 naming the institution, with the 医療扶助
/// record it belongs to.
#[derive(Debug, Clone, Serialize)]
pub struct EntrustedTicket {
    /// Whose ticket it is (the person key).
    pub person: String,
    /// The ticket.
    pub ticket: MedicalTicket,
    /// The 医療扶助 qualification (公費負担者番号, 受給者番号, 福祉事務所).
    pub qualification: Qualification,
}

fn json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, ApiError> {
    serde_json::from_str(s).map_err(|e| ApiError::internal(format_args!("stored record: {e}")))
}

/// 委託先資格情報の一括取得 (医療扶助): every ticket of `month` (any day of it) naming
/// `institution_code` as 委託先, with its qualification.
pub async fn entrusted_tickets(
    db: &Db,
    institution_code: &str,
    month: Date,
) -> Result<Vec<EntrustedTicket>, ApiError> {
    let first = month.replace_day(1).unwrap_or(month);
    let rows = sqlx::query(
        "SELECT t.person_id, t.ticket, q.record FROM medical_tickets t \
         JOIN qualifications q ON q.person_id = t.person_id \
          AND q.public_expense_number = t.public_expense_number \
          AND q.recipient_number = t.recipient_number \
         WHERE t.institution_code = $1 AND t.month = $2 ORDER BY t.person_id",
    )
    .bind(institution_code)
    .bind(format_date(first))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let ticket: String = r.try_get("ticket")?;
            let record: String = r.try_get("record")?;
            Ok(EntrustedTicket {
                person: r.try_get("person_id")?,
                ticket: json(&ticket)?,
                qualification: json(&record)?,
            })
        })
        .collect()
}

/// 医療券 numbers query: every record of the person holding 受給者番号 `beneficiary` under
/// 公費負担者番号 `payer` with birth date `birthdate` (so a newer 医療扶助 or insurance record is
/// seen too), for core to determine.
pub async fn ticket_holder_records(
    db: &Db,
    payer: &PublicExpenseNumber,
    beneficiary: &BeneficiaryNumber,
    birthdate: Date,
) -> Result<Vec<RegisteredRecord>, ApiError> {
    let rows = sqlx::query(
        "SELECT person_id, record FROM qualifications WHERE person_id IN \
         (SELECT person_id FROM qualifications \
          WHERE public_expense_number = $1 AND recipient_number = $2 AND birthdate = $3)",
    )
    .bind(payer.to_string())
    .bind(beneficiary.as_str())
    .bind(format_date(birthdate))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let record: String = r.try_get("record")?;
            Ok(RegisteredRecord {
                person: r.try_get("person_id")?,
                qualification: json(&record)?,
            })
        })
        .collect()
}

/// A few people of `kind`, by index.
pub async fn people_of_kind(db: &Db, kind: &str, limit: i64) -> Result<Vec<String>, ApiError> {
    Ok(sqlx::query_scalar(
        "SELECT person_id FROM population_kinds WHERE kind = $1 ORDER BY person_id LIMIT $2",
    )
    .bind(kind)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?)
}

/// Whether `person` is in the population.
pub async fn exists(db: &Db, person: &str) -> Result<bool, ApiError> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT person_id FROM population WHERE person_id = $1")
            .bind(person)
            .fetch_optional(&db.pool)
            .await?;
    Ok(found.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order_of_use() {
        assert_eq!(
            insert_sql(Backend::Postgres, "t", &["a", "b"], 2),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
        assert_eq!(
            insert_sql(Backend::Sqlite, "t", &["a", "b"], 2),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
    }
}

//! Reading an upload into rows (core's patient-list rules for CSV and JSON, core's OQS reader for
//! XML) and storing the job with all its rows in one transaction.

use std::fmt::Write as _;

use onshi_core::batch::{BatchListError, DEFAULT_MAX_ROWS, parse_batch_list};
use onshi_core::i18n::Message;
use onshi_core::jst::{Date, format_date, parse_date};
use onshi_core::oqs::{BulkQualificationRequest, InsuredKey, XmlEncoding, decode_xml};
use onshi_core::qualification::QueryKey;

use super::view::{RowInput, RowOutcome, to_json};
use super::{JobId, JobState, RowStatus, UploadFormat, now_epoch};
use crate::error::ApiError;
use crate::state::AppState;

/// The largest upload accepted, in bytes (10,000 rows of XML take about 4 MB).
pub const MAX_UPLOAD_BYTES: usize = 16 << 20;

/// Rows per multi-row statement (5 values each: well under every backend's parameter limit).
const ROWS_PER_STATEMENT: usize = 200;

/// An upload as read.
pub(crate) struct Parsed {
    pub confirmation_date: Date,
    pub rows: Vec<(RowInput, Option<RowOutcome>)>,
    pub arbitrary_file_identifier: Option<String>,
    pub xml_encoding: Option<XmlEncoding>,
}

/// Splits core's "日本語 (English)" error text into its two languages.
pub(crate) fn bilingual(text: &str) -> Message {
    match (text.rfind(" ("), text.ends_with(')')) {
        (Some(at), true) => Message::new(&text[..at], &text[at + 2..text.len() - 1]),
        _ => Message::new(text, text),
    }
}

fn refused(code: &str, text: &str) -> ApiError {
    let m = bilingual(text);
    ApiError::bad_request(code, &m.ja, &m.en)
}

fn empty() -> ApiError {
    ApiError::bad_request(
        "BATCH_EMPTY",
        "一覧に照会する患者がいません",
        "the list has no patients to check",
    )
}

fn too_large(limit: usize, rows: usize) -> ApiError {
    refused(
        "BATCH_TOO_LARGE",
        &BatchListError::TooLarge { limit, rows }.to_string(),
    )
}

pub(crate) fn parse(
    format: UploadFormat,
    bytes: &[u8],
    institution: &str,
    today: Date,
) -> Result<Parsed, ApiError> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(ApiError::bad_request(
            "BATCH_TOO_LARGE",
            &format!("ファイルが大きすぎます（上限{}MB）", MAX_UPLOAD_BYTES >> 20),
            &format!(
                "the file is too large (at most {} MB)",
                MAX_UPLOAD_BYTES >> 20
            ),
        ));
    }
    let parsed = match format {
        UploadFormat::Csv => list(bytes, today, 0)?,
        UploadFormat::Json => json(bytes, today)?,
        UploadFormat::OqsXml => xml(bytes, institution)?,
    };
    if parsed.rows.is_empty() {
        return Err(empty());
    }
    Ok(parsed)
}

/// A patient list through core's rules; `line_shift` maps its lines to the caller's numbering.
fn list(bytes: &[u8], date: Date, line_shift: usize) -> Result<Parsed, ApiError> {
    let list =
        parse_batch_list(bytes, DEFAULT_MAX_ROWS).map_err(|e| refused(e.code(), &e.to_string()))?;
    let line = |l: usize| u64::try_from(l.saturating_sub(line_shift)).unwrap_or_default();
    let mut rows: Vec<(usize, RowInput, Option<RowOutcome>)> = list
        .rows
        .into_iter()
        .map(|r| {
            let input = RowInput {
                line: line(r.line),
                reference: r.reference,
                key: Some(r.key),
                search: None,
            };
            (r.line, input, None)
        })
        .chain(list.errors.into_iter().map(|e| {
            let input = RowInput {
                line: line(e.line),
                reference: e.reference.clone(),
                key: None,
                search: None,
            };
            let outcome = RowOutcome::error(&e.code, &e.message, e.column);
            (e.line, input, Some(outcome))
        }))
        .collect();
    rows.sort_by_key(|(l, _, _)| *l);
    Ok(Parsed {
        confirmation_date: date,
        rows: rows.into_iter().map(|(_, i, o)| (i, o)).collect(),
        arbitrary_file_identifier: None,
        xml_encoding: None,
    })
}

/// The JSON list, written as the CSV core reads, so both forms follow the same rules (lines are
/// then the JSON list's element numbers, from 1).
fn json(bytes: &[u8], today: Date) -> Result<Parsed, ApiError> {
    let invalid = |detail: &str| {
        ApiError::bad_request(
            "BATCH_JSON_INVALID",
            &format!("JSONの一覧を読み取れません: {detail}"),
            &format!("the JSON list cannot be read: {detail}"),
        )
    };
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| invalid(&e.to_string()))?;
    let (date, items) = match &value {
        serde_json::Value::Array(items) => (None, items),
        serde_json::Value::Object(o) => (
            o.get("confirmation_date"),
            o.get("rows")
                .and_then(serde_json::Value::as_array)
                .ok_or_else(|| invalid("rows がありません (no rows array)"))?,
        ),
        _ => {
            return Err(invalid(
                "配列かオブジェクトではありません (not an array or object)",
            ));
        }
    };
    let date = match date {
        None | Some(serde_json::Value::Null) => today,
        Some(serde_json::Value::String(s)) => parse_date(s).map_err(|e| {
            let m = bilingual(&e.to_string());
            ApiError::bad_request("BATCH_BAD_DATE", &m.ja, &m.en)
        })?,
        Some(_) => return Err(invalid("confirmation_date は YYYYMMDD の文字列です")),
    };
    if items.len() > DEFAULT_MAX_ROWS {
        return Err(too_large(DEFAULT_MAX_ROWS, items.len()));
    }
    const FIELDS: [&str; 6] = [
        "reference_number",
        "insurer_number",
        "symbol",
        "number",
        "branch",
        "birthdate",
    ];
    let mut out = csv::Writer::from_writer(Vec::with_capacity(items.len() * 64));
    let header_error = |e: csv::Error| ApiError::internal(format_args!("csv: {e}"));
    out.write_record(FIELDS).map_err(header_error)?;
    for (i, item) in items.iter().enumerate() {
        let object = item.as_object().ok_or_else(|| {
            invalid(&format!(
                "{}件目がオブジェクトではありません (element {} is not an object)",
                i + 1,
                i + 1
            ))
        })?;
        let mut record = Vec::with_capacity(FIELDS.len());
        for field in FIELDS {
            record.push(match object.get(field) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                Some(_) => {
                    return Err(invalid(&format!(
                        "{}件目の {field} は文字列で書いてください ({field} of element {} must be a string)",
                        i + 1,
                        i + 1
                    )));
                }
            });
        }
        // A row whose fields are all empty would be skipped by the list rules; keep it visible.
        if record.iter().all(String::is_empty) {
            record[3] = " ".to_owned();
        }
        out.write_record(&record).map_err(header_error)?;
    }
    let text = out
        .into_inner()
        .map_err(|e| ApiError::internal(format_args!("csv: {e}")))?;
    list(&text, date, 1)
}

fn xml(bytes: &[u8], institution: &str) -> Result<Parsed, ApiError> {
    let (_, encoding) =
        decode_xml(bytes).map_err(|e| refused("OQS_MESSAGE_INVALID", &e.to_string()))?;
    let request = BulkQualificationRequest::from_xml(bytes)
        .map_err(|e| refused("OQS_MESSAGE_INVALID", &e.to_string()))?;
    if request.institution.as_str() != institution {
        return Err(ApiError::bad_request(
            "BULK_INSTITUTION_MISMATCH",
            "ファイルの医療機関等コードが送信元の医療機関と一致しません",
            "the file's institution code is not the sender's",
        ));
    }
    if request.persons.len() > DEFAULT_MAX_ROWS {
        return Err(too_large(DEFAULT_MAX_ROWS, request.persons.len()));
    }
    let rows = request
        .persons
        .into_iter()
        .enumerate()
        .map(|(i, person)| {
            let line = u64::try_from(i + 1).unwrap_or_default();
            let (key, outcome) = match &person.key {
                InsuredKey::Insurance {
                    insurer,
                    symbol,
                    number,
                    branch,
                } => (
                    Some(QueryKey::Numbers {
                        insurer: insurer.clone(),
                        symbol: symbol.clone(),
                        number: number.clone(),
                        branch: branch.clone(),
                        birthdate: person.birthdate,
                    }),
                    None,
                ),
                InsuredKey::MedicalAid { .. } => (
                    None,
                    Some(RowOutcome::error(
                        "BATCH_MEDAID_NOT_SUPPORTED",
                        &Message::new(
                            "受給者番号による一括照会にはまだ対応していません。医療券の照会で確認してください",
                            "bulk checks by 受給者番号 are not supported yet; check the ticket singly",
                        ),
                        None,
                    )),
                ),
            };
            let input = RowInput {
                line,
                reference: person.arbitrary_identifier.clone(),
                key,
                search: Some(person),
            };
            (input, outcome)
        })
        .collect();
    Ok(Parsed {
        confirmation_date: request.confirmation_date,
        rows,
        arbitrary_file_identifier: request.arbitrary_file_identifier,
        xml_encoding: Some(encoding),
    })
}

/// Stores the job and every row in one transaction. A job with this id already stored for this
/// institution is left as it is.
pub(crate) async fn store(
    state: &AppState,
    id: &JobId,
    institution: &str,
    format: UploadFormat,
    parsed: &Parsed,
) -> Result<(), ApiError> {
    let mut tx = state.db.pool.begin().await?;
    let total = i64::try_from(parsed.rows.len()).unwrap_or(i64::MAX);
    let inserted = sqlx::query(
        "INSERT INTO bulk_jobs (id, institution_code, created_at, confirmation_date, format, \
         status, total, done, arbitrary_file_identifier, xml_encoding) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id.as_str())
    .bind(institution)
    .bind(now_epoch(state))
    .bind(format_date(parsed.confirmation_date))
    .bind(format.as_str())
    .bind(JobState::Processing.as_str())
    .bind(total)
    .bind(parsed.arbitrary_file_identifier.as_deref())
    .bind(parsed.xml_encoding.map(XmlEncoding::declaration_name))
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        let owner: Option<String> =
            sqlx::query_scalar("SELECT institution_code FROM bulk_jobs WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        return match owner {
            Some(owner) if owner == institution => Ok(()),
            _ => Err(ApiError::conflict(
                "BULK_JOB_EXISTS",
                "この受付番号はすでに使われています",
                "this job id is already in use",
            )),
        };
    }
    let mut row_no = 0i64;
    for chunk in parsed.rows.chunks(ROWS_PER_STATEMENT) {
        let mut sql =
            String::from("INSERT INTO bulk_rows (job_id, row_no, input, status, result) VALUES ");
        for i in 0..chunk.len() {
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
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (input, outcome) in chunk {
            let status = outcome
                .as_ref()
                .map_or(RowStatus::Pending, RowOutcome::status);
            query = query
                .bind(id.as_str())
                .bind(row_no)
                .bind(to_json(input)?)
                .bind(status.as_str())
                .bind(outcome.as_ref().map(to_json).transpose()?);
            row_no += 1;
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    tracing::info!(job = %id, rows = total, format = format.as_str(), "一括照会 accepted");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        crate::testing::test_now().date()
    }

    #[test]
    fn core_errors_split_into_two_languages() {
        let m = bilingual("一覧が空です (the list is empty)");
        assert_eq!(m.ja, "一覧が空です");
        assert_eq!(m.en, "the list is empty");
        assert_eq!(bilingual("plain").en, "plain");
    }

    #[test]
    fn json_rows_follow_the_list_rules_and_keep_their_numbers() {
        let body = br#"{"rows": [
            {"insurer_number": "01130012", "number": "111111", "birthdate": "19800401", "reference_number": "P1"},
            {"insurer_number": "01130013", "number": "2", "birthdate": "19800401"},
            {"insurer_number": "01130012", "number": "111111", "birthdate": "1980/4/1"}
        ]}"#;
        let parsed = parse(UploadFormat::Json, body, "1311234567", today())
            .unwrap_or_else(|e| panic!("{e}"));
        let lines: Vec<(u64, Option<String>)> = parsed
            .rows
            .iter()
            .map(|(i, o)| (i.line, o.as_ref().map(|o| o.code.clone())))
            .collect();
        assert_eq!(
            lines,
            [
                (1, None),
                (2, Some("ID_CHECK_DIGIT".to_owned())),
                (3, Some("BATCH_DUPLICATE".to_owned()))
            ]
        );
        assert_eq!(parsed.rows[0].0.reference.as_deref(), Some("P1"));
    }

    #[test]
    fn unreadable_uploads_are_typed_refusals() {
        let code = |format, body: &[u8]| {
            parse(format, body, "1311234567", today())
                .err()
                .map(|e| e.code)
                .unwrap_or_default()
        };
        assert_eq!(code(UploadFormat::Json, b"{"), "BATCH_JSON_INVALID");
        assert_eq!(code(UploadFormat::Json, b"[]"), "BATCH_EMPTY");
        assert_eq!(
            code(UploadFormat::Json, br#"[{"number": true}]"#),
            "BATCH_JSON_INVALID"
        );
        assert_eq!(
            code(UploadFormat::Csv, b"name,number\nx,1\n"),
            "BATCH_MISSING_COLUMN"
        );
        assert_eq!(
            code(UploadFormat::Csv, "保険者番号,番号,生年月日\n".as_bytes()),
            "BATCH_EMPTY"
        );
        assert_eq!(
            code(UploadFormat::OqsXml, b"<nope/>"),
            "OQS_MESSAGE_INVALID"
        );
    }
}

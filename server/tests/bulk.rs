//! 一括照会 jobs on every backend: uploads in each format, typed refusals that store nothing,
//! progress to completion, isolation between institutions, and resuming after a stopped worker.

use axum::http::StatusCode;
use http_body_util::BodyExt;
use onshi_core::codes::{LimitCertificateConsent, ProcessingResultStatus, QualificationValidity};
use onshi_core::oqs::{
    BulkQualificationRequest, InsuredKey, SearchInfo, XmlEncoding, read_bulk_result,
};
use onshi_core::qualification::Qualification;
use onshi_server::bulk::{self, JobId, JobState, RowQuery, RowStatus, UploadFormat};
use onshi_server::state::AppState;
use onshi_server::{registry, testing};

const CLINIC: &str = "1361234568";
const OTHER_CLINIC: &str = "0110113719";

fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

fn qualification(json: serde_json::Value) -> Qualification {
    ok(serde_json::from_value(json))
}

fn record(insurer: &str, number: &str, birth: &str, from: &str, to: Option<&str>) -> Qualification {
    let mut v = serde_json::json!({
        "card_classification": "01", "insurer_number": insurer, "number": number,
        "name": "試験　太郎", "name_kana": "ｼｹﾝ ﾀﾛｳ", "sex1": "1", "birthdate": birth,
        "qualification_date": from, "copay_ratio": "030"
    });
    if let Some(to) = to {
        v["disqualification_date"] = serde_json::json!(to);
        v["reason_of_loss"] = serde_json::json!("99");
    }
    qualification(v)
}

/// Five people: valid, superseded (moved insurer), lost, and two who share numbers.
async fn seed(state: &AppState) {
    let people = [
        (
            "p1",
            vec![record("01130012", "1001", "19800401", "20100401", None)],
        ),
        (
            "p2",
            vec![
                record("06139992", "2002", "19750303", "20100401", Some("20260331")),
                record("01130012", "2003", "19750303", "20260401", None),
            ],
        ),
        (
            "p3",
            vec![record(
                "01130012",
                "3003",
                "19900101",
                "20100401",
                Some("20250331"),
            )],
        ),
        (
            "p4",
            vec![record("01130012", "4004", "19850505", "20100401", None)],
        ),
        (
            "p5",
            vec![record("01130012", "4004", "19850505", "20150401", None)],
        ),
    ];
    let mut tx = ok(state.db.pool.begin().await);
    for (person, records) in &people {
        ok(registry::register_person(
            &mut tx,
            person,
            records[0].birthdate,
            records,
            testing::test_now(),
        )
        .await);
    }
    ok(tx.commit().await);
}

const LIST: &str = "照会番号,保険者番号,記号,番号,枝番,生年月日,住所\n\
    A1,01130012,,1001,,19800401,東京都\n\
    A2,06139992,,2002,,19750303,東京都\n\
    A3,01130012,,3003,,19900101,東京都\n\
    A4,01130012,,4004,,19850505,東京都\n\
    A5,01130012,,9999,,19800401,東京都\n\
    A6,01130013,,1,,19800401,東京都\n";

async fn count(state: &AppState, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(&state.db.pool)
        .await)
}

async fn body(response: axum::response::Response) -> (StatusCode, Vec<u8>) {
    let status = response.status();
    let bytes = ok(response.into_body().collect().await).to_bytes();
    (status, bytes.to_vec())
}

fn json(bytes: &[u8]) -> serde_json::Value {
    ok(serde_json::from_slice(bytes))
}

#[tokio::test]
async fn a_csv_list_is_determined_row_by_row() {
    for url in testing::fresh_databases().await {
        let (state, _) = testing::state(&url, testing::test_now()).await;
        seed(&state).await;
        let id = ok(bulk::submit(&state, CLINIC, UploadFormat::Csv, LIST.as_bytes()).await);
        let before = ok(bulk::status(&state, CLINIC, &id).await);
        assert_eq!(
            (before.state, before.total, before.done),
            (JobState::Processing, 6, 0),
            "{url}"
        );
        assert_eq!(ok(bulk::resume_unfinished(&state).await), 1);
        let after = ok(bulk::status(&state, CLINIC, &id).await);
        assert_eq!((after.state, after.done), (JobState::Completed, 6), "{url}");
        let c = &after.counts;
        assert_eq!(
            (
                c.valid,
                c.superseded,
                c.invalid,
                c.ambiguous,
                c.not_found,
                c.error
            ),
            (1, 1, 1, 1, 1, 1),
            "{url}"
        );
        let rows = ok(bulk::rows(&state, CLINIC, &id, &RowQuery::default()).await);
        let seen: Vec<(u64, Option<&str>, RowStatus, Option<&str>)> = rows
            .iter()
            .map(|r| (r.line, r.reference.as_deref(), r.status, r.code.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                (2, Some("A1"), RowStatus::Valid, Some("QUAL_VALID")),
                (
                    3,
                    Some("A2"),
                    RowStatus::Superseded,
                    Some("QUAL_SUPERSEDED")
                ),
                (4, Some("A3"), RowStatus::Invalid, Some("QUAL_INVALID")),
                (5, Some("A4"), RowStatus::Ambiguous, Some("QUAL_AMBIGUOUS")),
                (6, Some("A5"), RowStatus::NotFound, Some("QUAL_NOT_FOUND")),
                (7, Some("A6"), RowStatus::Error, Some("ID_CHECK_DIGIT")),
            ],
            "{url}"
        );
        let shown = rows[0]
            .qualification
            .as_ref()
            .map(|q| (q.insurer_number.clone(), q.copay_ratio.clone()));
        assert_eq!(
            shown,
            Some((Some("01130012".to_owned()), Some("030".to_owned())))
        );
        assert_eq!(
            rows[1].validity_label.as_deref(),
            Some("無効（新しい資格あり）")
        );
        assert_eq!(rows[5].column.as_deref(), Some("保険者番号"));

        let only_valid = RowQuery::from_query(Some("status=valid&limit=10"));
        let valid = ok(bulk::rows(&state, CLINIC, &id, &ok(only_valid)).await);
        assert_eq!(valid.len(), 1);
        let page = ok(bulk::rows(
            &state,
            CLINIC,
            &id,
            &RowQuery {
                status: None,
                offset: 4,
                limit: 1,
            },
        )
        .await);
        assert_eq!(page.iter().map(|r| r.row_no).collect::<Vec<_>>(), [4]);

        let csv =
            String::from_utf8(ok(bulk::results_csv(&state, CLINIC, &id).await)).unwrap_or_default();
        assert!(csv.starts_with('\u{feff}'));
        assert_eq!(csv.lines().count(), 7, "{url}");
        assert!(
            csv.lines()
                .nth(1)
                .is_some_and(|l| l.starts_with("2,A1,有効,1 有効,QUAL_VALID")),
            "{csv}"
        );
        assert!(csv.contains(",該当なし,"));
    }
}

#[tokio::test]
async fn a_json_list_follows_the_same_rules() {
    for url in testing::fresh_databases().await {
        let (state, _) = testing::state(&url, testing::test_now()).await;
        seed(&state).await;
        let body = serde_json::json!({
            "confirmation_date": "20250301",
            "rows": [
                {"insurer_number": "01130012", "number": "3003", "birthdate": "19900101", "reference_number": "J1"},
                {"insurer_number": "06139992", "number": "2002", "birthdate": "1975/3/3"},
                {"insurer_number": "06139992", "number": "2002", "birthdate": "19750303"}
            ]
        });
        let id = ok(bulk::submit(
            &state,
            CLINIC,
            UploadFormat::Json,
            body.to_string().as_bytes(),
        )
        .await);
        ok(bulk::resume_unfinished(&state).await);
        let status = ok(bulk::status(&state, CLINIC, &id).await);
        assert_eq!(status.confirmation_date, "20250301");
        let rows = ok(bulk::rows(&state, CLINIC, &id, &RowQuery::default()).await);
        let seen: Vec<(u64, RowStatus, Option<&str>)> = rows
            .iter()
            .map(|r| (r.line, r.status, r.code.as_deref()))
            .collect();
        // On 2025-03-01 the lost qualification still covered, and the old insurer was current.
        assert_eq!(
            seen,
            [
                (1, RowStatus::Valid, Some("QUAL_VALID")),
                (2, RowStatus::Valid, Some("QUAL_VALID")),
                (3, RowStatus::Error, Some("BATCH_DUPLICATE")),
            ],
            "{url}"
        );
        assert_eq!(rows[0].reference.as_deref(), Some("J1"));
    }
}

fn search(insurer: &str, number: &str, birth: &str, id: &str) -> SearchInfo {
    SearchInfo {
        key: InsuredKey::Insurance {
            insurer: ok(insurer.parse()),
            symbol: None,
            number: ok(number.parse()),
            branch: None,
        },
        birthdate: ok(onshi_core::jst::parse_date(birth)),
        limit_consent: Some(LimitCertificateConsent::Consented),
        arbitrary_identifier: Some(id.to_owned()),
    }
}

fn bulk_request(institution: &str) -> BulkQualificationRequest {
    BulkQualificationRequest {
        confirmation_date: testing::test_now().date(),
        institution: ok(institution.parse()),
        arbitrary_file_identifier: Some("FILE-1".to_owned()),
        persons: vec![
            search("01130012", "1001", "19800401", "X1"),
            search("01130012", "9999", "19800401", "X2"),
            search("01130012", "1001", "19800401", "X3"),
        ],
    }
}

#[tokio::test]
async fn an_oqs_upload_is_answered_with_the_bulk_result() {
    for url in testing::fresh_databases().await {
        let (state, _) = testing::state(&url, testing::test_now()).await;
        seed(&state).await;
        let xml = ok(bulk_request(CLINIC).to_xml(XmlEncoding::ShiftJis));
        let id = ok(bulk::submit(&state, CLINIC, UploadFormat::OqsXml, &xml).await);
        let early = ok(read_bulk_result(&ok(bulk::results_xml(
            &state, CLINIC, &id,
        )
        .await)));
        assert_eq!(early.header.segment_of_result.code(), "2", "{url}");
        assert!(early.units.is_empty());
        ok(bulk::resume_unfinished(&state).await);
        let bytes = ok(bulk::results_xml(&state, CLINIC, &id).await);
        assert!(bytes.starts_with(b"<?xml version=\"1.0\" encoding=\"Shift_JIS\""));
        let result = ok(read_bulk_result(&bytes));
        assert_eq!(result.header.segment_of_result.code(), "1");
        assert_eq!(result.header.reception_number.as_deref(), Some(id.as_str()));
        assert_eq!(
            result.header.arbitrary_file_identifier.as_deref(),
            Some("FILE-1")
        );
        assert_eq!(
            (
                result.header.processed_count,
                result.header.normal_count,
                result.header.error_count
            ),
            (Some(3), Some(3), Some(0))
        );
        let units: Vec<(Option<QualificationValidity>, usize, Option<String>)> = result
            .units
            .iter()
            .map(|u| {
                (
                    u.qualification_validity,
                    u.results.len(),
                    u.search
                        .as_ref()
                        .and_then(|s| s.arbitrary_identifier.clone()),
                )
            })
            .collect();
        assert_eq!(
            units,
            [
                (Some(QualificationValidity::Valid), 1, Some("X1".to_owned())),
                (
                    Some(QualificationValidity::NotFound),
                    0,
                    Some("X2".to_owned())
                ),
                (Some(QualificationValidity::Valid), 1, Some("X3".to_owned())),
            ],
            "{url}"
        );
        assert!(
            result
                .units
                .iter()
                .all(|u| u.processing_result_status == Some(ProcessingResultStatus::Completed))
        );
        // A rewrite gives the same bytes.
        assert_eq!(ok(bulk::results_xml(&state, CLINIC, &id).await), bytes);
    }
}

#[tokio::test]
async fn unreadable_uploads_are_refused_and_store_nothing() {
    for url in testing::fresh_databases().await {
        let (state, _) = testing::state(&url, testing::test_now()).await;
        let other = ok(bulk_request(OTHER_CLINIC).to_xml(XmlEncoding::Utf8));
        let cases: [(UploadFormat, &[u8], &str); 6] = [
            (UploadFormat::Csv, b"", "BATCH_EMPTY"),
            (
                UploadFormat::Csv,
                "氏名,番号,生年月日\nx,1,19800101\n".as_bytes(),
                "BATCH_MISSING_COLUMN",
            ),
            (
                UploadFormat::Csv,
                &[0x82, 0xff, 0xfe, 0x0a],
                "BATCH_ENCODING",
            ),
            (UploadFormat::Json, b"{\"rows\": 3}", "BATCH_JSON_INVALID"),
            (
                UploadFormat::OqsXml,
                b"<XmlMsg><MessageHeader/></XmlMsg>",
                "OQS_MESSAGE_INVALID",
            ),
            (UploadFormat::OqsXml, &other, "BULK_INSTITUTION_MISMATCH"),
        ];
        for (format, bytes, code) in cases {
            let e = bulk::submit(&state, CLINIC, format, bytes).await.err();
            assert_eq!(
                e.as_ref().map(|e| (e.status, e.code.as_str())),
                Some((StatusCode::BAD_REQUEST, code)),
                "{url}"
            );
        }
        let too_many = format!(
            "保険者番号,番号,生年月日\n{}",
            "01130012,1,19800101\n".repeat(10_001)
        );
        let e = bulk::submit(&state, CLINIC, UploadFormat::Csv, too_many.as_bytes())
            .await
            .err();
        assert_eq!(e.map(|e| e.code), Some("BATCH_TOO_LARGE".to_owned()));
        assert_eq!(
            (
                count(&state, "bulk_jobs").await,
                count(&state, "bulk_rows").await
            ),
            (0, 0),
            "{url}"
        );
    }
}

#[tokio::test]
async fn a_job_is_visible_to_its_institution_only() {
    for url in testing::fresh_databases().await {
        let (state, _) = testing::state(&url, testing::test_now()).await;
        seed(&state).await;
        let id = ok(bulk::submit(&state, CLINIC, UploadFormat::Csv, LIST.as_bytes()).await);
        ok(bulk::resume_unfinished(&state).await);
        let not_found = |r: Result<_, onshi_server::error::ApiError>| r.err().map(|e| e.code);
        let nf = Some("BULK_JOB_NOT_FOUND".to_owned());
        assert_eq!(
            not_found(bulk::status(&state, OTHER_CLINIC, &id).await.map(|_| ())),
            nf,
            "{url}"
        );
        assert_eq!(
            not_found(
                bulk::rows(&state, OTHER_CLINIC, &id, &RowQuery::default())
                    .await
                    .map(|_| ())
            ),
            nf
        );
        assert_eq!(
            not_found(
                bulk::results_csv(&state, OTHER_CLINIC, &id)
                    .await
                    .map(|_| ())
            ),
            nf
        );
        assert_eq!(
            not_found(
                bulk::results_xml(&state, OTHER_CLINIC, &id)
                    .await
                    .map(|_| ())
            ),
            nf
        );
        let (status, _) = body(bulk::status_answer(&state, OTHER_CLINIC, id.as_str()).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_stopped_worker_resumes_without_losing_or_repeating_rows() {
    for url in testing::fresh_databases().await {
        let (state, _) = testing::state(&url, testing::test_now()).await;
        seed(&state).await;
        let list = format!(
            "保険者番号,番号,生年月日\n{}",
            (0..25)
                .map(|i| format!("01130012,{},19800401\n", 5000 + i))
                .collect::<String>()
        );
        let id = ok(bulk::submit(&state, CLINIC, UploadFormat::Csv, list.as_bytes()).await);
        // Two chunks, then the worker stops (a crash after the second commit).
        assert!(ok(bulk::process_chunk(&state, &id, 10).await));
        assert_eq!(
            ok(bulk::status(&state, CLINIC, &id).await).done,
            10,
            "{url}"
        );
        assert!(ok(bulk::process_chunk(&state, &id, 10).await));
        let mid = ok(bulk::status(&state, CLINIC, &id).await);
        assert_eq!(
            (mid.state, mid.done, mid.counts.not_found),
            (JobState::Processing, 20, 20)
        );
        // A restart resumes from `done`.
        assert_eq!(ok(bulk::resume_unfinished(&state).await), 1);
        let end = ok(bulk::status(&state, CLINIC, &id).await);
        assert_eq!(
            (end.state, end.done, end.counts.not_found),
            (JobState::Completed, 25, 25),
            "{url}"
        );
        let distinct: i64 = ok(sqlx::query_scalar(
            "SELECT COUNT(DISTINCT row_no) FROM bulk_rows WHERE job_id = $1",
        )
        .bind(id.as_str())
        .fetch_one(&state.db.pool)
        .await);
        assert_eq!((count(&state, "bulk_rows").await, distinct), (25, 25));
        let pending: i64 = ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM bulk_rows WHERE status = 'pending'",
        )
        .fetch_one(&state.db.pool)
        .await);
        assert_eq!(pending, 0);
        // Nothing left to resume, and a completed job is not touched again.
        assert_eq!(ok(bulk::resume_unfinished(&state).await), 0);
        assert!(!ok(bulk::process_chunk(&state, &id, 10).await));
    }
}

#[tokio::test]
async fn the_background_worker_completes_an_upload() {
    for url in testing::fresh_databases().await {
        let (state, _) = testing::state(&url, testing::test_now()).await;
        seed(&state).await;
        let worker = bulk::spawn_worker(state.clone());
        let id = ok(bulk::submit(&state, CLINIC, UploadFormat::Csv, LIST.as_bytes()).await);
        let mut state_now = JobState::Processing;
        for _ in 0..500 {
            state_now = ok(bulk::status(&state, CLINIC, &id).await).state;
            if state_now == JobState::Completed {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        worker.abort();
        assert_eq!(state_now, JobState::Completed, "{url}");
    }
}

#[tokio::test]
async fn the_http_answers() {
    for url in testing::fresh_databases().await {
        let (state, _) = testing::state(&url, testing::test_now()).await;
        seed(&state).await;
        let (status, _) =
            body(bulk::upload_answer(&state, CLINIC, Some("text/plain"), b"x").await).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let (status, bytes) =
            body(bulk::upload_answer(&state, CLINIC, Some("application/json"), b"[").await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(json(&bytes)["error"]["code"], "BATCH_JSON_INVALID");

        let response = bulk::upload_answer(
            &state,
            CLINIC,
            Some("text/csv; charset=utf-8"),
            LIST.as_bytes(),
        )
        .await;
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let (status, bytes) = body(response).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{url}");
        let job = json(&bytes);
        let id = job["job"]["id"].as_str().unwrap_or_default().to_owned();
        assert_eq!(location, Some(format!("/v1/bulk-jobs/{id}")));
        assert_eq!(job["job"]["state"], "processing");

        let (status, bytes) = body(bulk::csv_answer(&state, CLINIC, &id).await).await;
        assert_eq!(
            (status, json(&bytes)["error"]["code"].clone()),
            (StatusCode::CONFLICT, "BATCH_PENDING".into())
        );
        ok(bulk::resume_unfinished(&state).await);

        let (status, bytes) = body(bulk::status_answer(&state, CLINIC, &id).await).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(json(&bytes)["job"]["counts"]["valid"], 1);
        let (status, bytes) =
            body(bulk::rows_answer(&state, CLINIC, &id, Some("status=not_found")).await).await;
        assert_eq!(status, StatusCode::OK);
        let rows = json(&bytes);
        assert_eq!(rows["rows"].as_array().map(Vec::len), Some(1));
        assert_eq!(rows["rows"][0]["status_label"], "該当なし");
        let (status, _) = body(bulk::rows_answer(&state, CLINIC, &id, Some("limit=0")).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, bytes) = body(bulk::csv_answer(&state, CLINIC, &id).await).await;
        assert_eq!(status, StatusCode::OK);
        assert!(String::from_utf8_lossy(&bytes).contains("複数該当"));
        let (status, _) = body(bulk::result_xml_answer(&state, CLINIC, &id).await).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, _) = body(bulk::status_answer(&state, CLINIC, "nope").await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let _ = JobId(id);
    }
}

//! The OQS file gateway on every backend: answering request files, typed error results for
//! malformed ones, exactly-once across a restart, 一括照会 and 照会番号 through files, and face events.

use std::path::{Path, PathBuf};

use onshi_core::codes::{
    LimitCertificateConsent, ProcessingResultStatus, QualificationValidity, SegmentOfResult,
};
use onshi_core::oqs::{
    BulkFunction, BulkQualificationRequest, DownloadRequest, FileName, InsuredKey, Message,
    QualificationRequest, ReferenceNumberRequest, RegistrationInfo, SearchInfo, UploadResult,
    XmlEncoding, read_message,
};
use onshi_core::qualification::{Qualification, QueryKey};
use onshi_server::gateway::{self, Gateway, Pass};
use onshi_server::state::AppState;
use onshi_server::{bulk, registry, testing};

const CLINIC: &str = "1361234568";

fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

fn record(number: &str) -> Qualification {
    ok(serde_json::from_value(serde_json::json!({
        "card_classification": "01", "insurer_number": "01130012", "number": number,
        "name": "試験　花子", "sex1": "2", "birthdate": "19800401",
        "qualification_date": "20100401", "insurer_name": "試験健保"
    })))
}

async fn seed(state: &AppState) {
    let mut tx = ok(state.db.pool.begin().await);
    let q = record("1001");
    ok(registry::register_person(&mut tx, "p1", q.birthdate, &[q], testing::test_now()).await);
    ok(tx.commit().await);
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "onshi-gateway-{}",
        ok(onshi_server::keys::random_id())
    ));
    ok(std::fs::create_dir_all(&dir));
    dir
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = ok(std::fs::read_dir(dir))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn put(gw: &Gateway, name: &str, bytes: &[u8]) {
    ok(std::fs::write(gw.folder("req").join(name), bytes));
}

fn single_request(number: &str) -> QualificationRequest {
    QualificationRequest {
        confirmation_date: testing::test_now().date(),
        institution: ok(CLINIC.parse()),
        arbitrary_file_identifier: Some("F1".to_owned()),
        insurer: ok("01130012".parse()),
        symbol: None,
        number: ok(number.parse()),
        branch: None,
        birthdate: ok(onshi_core::jst::parse_date("19800401")),
        limit_consent: LimitCertificateConsent::NotConsented,
        arbitrary_identifier: Some("chart-7".to_owned()),
    }
}

fn read(gw: &Gateway, folder: &str, name: &str) -> Message {
    let bytes = ok(std::fs::read(gw.folder(folder).join(name)));
    ok(read_message(name, &bytes))
}

async fn open(url: &str) -> (AppState, Gateway, PathBuf) {
    let (state, _) = testing::state(url, testing::test_now()).await;
    seed(&state).await;
    let dir = temp_dir();
    let gw = ok(Gateway::open(state.clone(), &dir, CLINIC));
    (state, gw, dir)
}

#[tokio::test]
async fn a_single_check_is_answered_once() {
    for url in testing::fresh_databases().await {
        let (_, gw, dir) = open(&url).await;
        let req = "OQSsiquc01req_202611210001.xml";
        put(
            &gw,
            req,
            &ok(single_request("1001").to_xml(XmlEncoding::ShiftJis)),
        );
        let pass = gw.pass().await;
        assert_eq!((pass.answered, pass.errors), (1, 0), "{url}");
        let res = "OQSsiquc01res_202611210001.xml";
        assert_eq!(names(&gw.folder("res")), [res]);
        assert!(names(&gw.folder("req")).is_empty());
        assert_eq!(names(&gw.folder("trash")), [req]);
        let bytes = ok(std::fs::read(gw.folder("res").join(res)));
        assert!(bytes.starts_with(b"<?xml version=\"1.0\" encoding=\"Shift_JIS\""));
        let Message::QualificationResult(r) = read(&gw, "res", res) else {
            panic!("not a qualification result")
        };
        assert_eq!(r.header.segment_of_result, SegmentOfResult::Completed);
        assert_eq!(r.header.arbitrary_file_identifier.as_deref(), Some("F1"));
        let body = r.body.unwrap_or_else(|| panic!("no body"));
        assert_eq!(
            body.qualification_validity,
            Some(QualificationValidity::Valid)
        );
        assert_eq!(body.results.len(), 1);
        assert_eq!(
            body.results[0].arbitrary_identifier.as_deref(),
            Some("chart-7")
        );
        // Nothing more to do.
        assert_eq!(gw.pass().await, Pass::default());
        ok(std::fs::remove_dir_all(dir));
    }
}

#[tokio::test]
async fn malformed_files_get_a_typed_error_and_strangers_are_set_aside() {
    for url in testing::fresh_databases().await {
        let (_, gw, dir) = open(&url).await;
        put(
            &gw,
            "OQSsiquc01req_bad1.xml",
            b"<XmlMsg><MessageHeader/></XmlMsg>",
        );
        put(&gw, "OQSsiquc01req_bad2.xml", b"\x82\xa0 not xml");
        put(&gw, "OQSsihvq01req_x.xml", b"<XmlMsg/>");
        put(
            &gw,
            "OQSmuquc01req_far.xml",
            &ok(other_clinic_bulk().to_xml(XmlEncoding::Utf8)),
        );
        put(&gw, "notes.txt", b"hello");
        put(&gw, "OQSsiquc01res_1.xml", b"<XmlMsg/>");
        put(&gw, ".half.tmp", b"<Xml");
        let pass = gw.pass().await;
        assert_eq!(
            (pass.answered, pass.errors, pass.rejected),
            (4, 4, 2),
            "{url}"
        );
        assert_eq!(
            names(&gw.folder("error")),
            ["OQSsiquc01res_1.xml", "notes.txt"]
        );
        assert_eq!(names(&gw.folder("req")), [".half.tmp"]);
        let error_of = |name: &str| match read(&gw, "res", name) {
            Message::QualificationResult(r) => (r.header.segment_of_result, r.header.error_code),
            Message::UploadResult { result, .. } => {
                (result.header.segment_of_result, result.header.error_code)
            }
            other => panic!("unexpected {:?}", other.kind()),
        };
        let aborted = |code: &str| (SegmentOfResult::Aborted, Some(code.to_owned()));
        assert_eq!(
            error_of("OQSsiquc01res_bad1.xml"),
            aborted("OQS_MESSAGE_INVALID")
        );
        assert_eq!(
            error_of("OQSsiquc01res_bad2.xml"),
            aborted("OQS_MESSAGE_INVALID")
        );
        // onshi reads no OQSsihvq files, so this one is read as the common response header.
        let hvq = ok(std::fs::read(gw.folder("res").join("OQSsihvq01res_x.xml")));
        let hvq = ok(UploadResult::from_xml(&hvq));
        assert_eq!(
            (hvq.header.segment_of_result, hvq.header.error_code),
            aborted("OQS_NOT_SUPPORTED")
        );
        assert_eq!(
            error_of("OQSmuquc01res_far.xml"),
            aborted("GATEWAY_INSTITUTION_MISMATCH")
        );
        ok(std::fs::remove_dir_all(dir));
    }
}

fn other_clinic_bulk() -> BulkQualificationRequest {
    BulkQualificationRequest {
        confirmation_date: testing::test_now().date(),
        institution: ok("0110113719".parse()),
        arbitrary_file_identifier: None,
        persons: Vec::new(),
    }
}

#[tokio::test]
async fn a_restart_redoes_only_what_was_not_marked_and_writes_the_same_bytes() {
    for url in testing::fresh_databases().await {
        let (state, gw, dir) = open(&url).await;
        let req = "OQSsiquc01req_202611210002.xml";
        let res = "OQSsiquc01res_202611210002.xml";
        let request = ok(single_request("1001").to_xml(XmlEncoding::Utf8));
        put(&gw, req, &request);
        gw.pass().await;
        let first = ok(std::fs::read(gw.folder("res").join(res)));

        // Crash after the rename, before the mark: the request is back in req, unmarked, with a
        // stale temp file; the redo writes the same bytes.
        ok(
            sqlx::query("UPDATE gateway_requests SET status = 'received'")
                .execute(&state.db.pool)
                .await,
        );
        ok(std::fs::rename(
            gw.folder("trash").join(req),
            gw.folder("req").join(req),
        ));
        ok(std::fs::remove_file(gw.folder("res").join(res)));
        ok(std::fs::write(
            gw.folder("res").join(format!(".{res}.tmp")),
            b"<Xm",
        ));
        let pass = gw.pass().await;
        assert_eq!(pass.answered, 1, "{url}");
        assert_eq!(
            ok(std::fs::read(gw.folder("res").join(res))),
            first,
            "{url}"
        );
        assert_eq!(names(&gw.folder("res")), [res]);

        // Crash after the mark, before the request left req: no second answer, only the move.
        ok(std::fs::remove_file(gw.folder("res").join(res)));
        ok(std::fs::copy(
            gw.folder("trash").join(req),
            gw.folder("req").join(req),
        ));
        let pass = gw.pass().await;
        assert_eq!(pass.answered, 1);
        assert!(names(&gw.folder("res")).is_empty(), "{url}");
        assert!(names(&gw.folder("req")).is_empty());
        // The trash keeps both copies rather than overwriting one.
        assert_eq!(names(&gw.folder("trash")).len(), 2);

        // The same name with other content is a new request.
        put(
            &gw,
            req,
            &ok(single_request("9999").to_xml(XmlEncoding::Utf8)),
        );
        gw.pass().await;
        let Message::QualificationResult(r) = read(&gw, "res", res) else {
            panic!("not a qualification result")
        };
        assert_eq!(
            r.body.and_then(|b| b.qualification_validity),
            Some(QualificationValidity::NotFound)
        );
        let recorded: i64 = ok(sqlx::query_scalar("SELECT COUNT(*) FROM gateway_requests")
            .fetch_one(&state.db.pool)
            .await);
        assert_eq!(recorded, 2);
        ok(std::fs::remove_dir_all(dir));
    }
}

#[tokio::test]
async fn a_bulk_inquiry_goes_through_the_four_files() {
    for url in testing::fresh_databases().await {
        let (state, gw, dir) = open(&url).await;
        let upload = BulkQualificationRequest {
            confirmation_date: testing::test_now().date(),
            institution: ok(CLINIC.parse()),
            arbitrary_file_identifier: Some("B1".to_owned()),
            persons: vec![SearchInfo {
                key: InsuredKey::Insurance {
                    insurer: ok("01130012".parse()),
                    symbol: None,
                    number: ok("1001".parse()),
                    branch: None,
                },
                birthdate: ok(onshi_core::jst::parse_date("19800401")),
                limit_consent: None,
                arbitrary_identifier: Some("X1".to_owned()),
            }],
        };
        put(
            &gw,
            "OQSmuquc01req_202611210001.xml",
            &ok(upload.to_xml(XmlEncoding::ShiftJis)),
        );
        gw.pass().await;
        let Message::UploadResult { result, .. } =
            read(&gw, "res", "OQSmuquc01res_202611210001.xml")
        else {
            panic!("not an upload result")
        };
        let UploadResult { header, body, .. } = result;
        assert_eq!(
            header.segment_of_result,
            SegmentOfResult::Completed,
            "{url}"
        );
        assert_eq!(
            body.map(|b| b.status),
            Some(ProcessingResultStatus::Completed)
        );
        let reception = header.reception_number.unwrap_or_default();
        assert_eq!(reception.len(), 32);

        let download = |suffix: &str| {
            let request = DownloadRequest {
                institution: ok(CLINIC.parse()),
                reception_number: reception.clone(),
            };
            put(
                &gw,
                &format!("OQSmuquc02req_{suffix}.xml"),
                &ok(request.to_xml(XmlEncoding::Utf8)),
            );
        };
        // Too early: 処理中.
        download("early");
        gw.pass().await;
        let Message::BulkResult { result, function } = read(&gw, "res", "OQSmuquc02res_early.xml")
        else {
            panic!("not a bulk result")
        };
        assert_eq!(function, BulkFunction::Qualification);
        assert_eq!(
            result.header.segment_of_result,
            SegmentOfResult::Processing,
            "{url}"
        );

        ok(bulk::resume_unfinished(&state).await);
        download("late");
        gw.pass().await;
        let Message::BulkResult { result, .. } = read(&gw, "res", "OQSmuquc02res_late.xml") else {
            panic!("not a bulk result")
        };
        assert_eq!(result.header.segment_of_result, SegmentOfResult::Completed);
        assert_eq!(result.units.len(), 1);
        assert_eq!(
            result.units[0].qualification_validity,
            Some(QualificationValidity::Valid)
        );

        // The job belongs to the institution, and also shows over the bulk API.
        let job = ok(bulk::status(&state, CLINIC, &bulk::JobId(reception.clone())).await);
        assert_eq!(job.total, 1);

        // A redo of the early download after a crash answers 処理中 again (same bytes).
        let early = ok(std::fs::read(
            gw.folder("res").join("OQSmuquc02res_early.xml"),
        ));
        ok(
            sqlx::query("UPDATE gateway_requests SET status = 'received' WHERE file_name = $1")
                .bind("OQSmuquc02req_early.xml")
                .execute(&state.db.pool)
                .await,
        );
        ok(std::fs::rename(
            gw.folder("trash").join("OQSmuquc02req_early.xml"),
            gw.folder("req").join("OQSmuquc02req_early.xml"),
        ));
        gw.pass().await;
        assert_eq!(
            ok(std::fs::read(
                gw.folder("res").join("OQSmuquc02res_early.xml")
            )),
            early
        );

        // A redo of the upload makes no second job.
        ok(
            sqlx::query("UPDATE gateway_requests SET status = 'received' WHERE file_name = $1")
                .bind("OQSmuquc01req_202611210001.xml")
                .execute(&state.db.pool)
                .await,
        );
        ok(std::fs::rename(
            gw.folder("trash").join("OQSmuquc01req_202611210001.xml"),
            gw.folder("req").join("OQSmuquc01req_202611210001.xml"),
        ));
        gw.pass().await;
        let jobs: i64 = ok(sqlx::query_scalar("SELECT COUNT(*) FROM bulk_jobs")
            .fetch_one(&state.db.pool)
            .await);
        assert_eq!(jobs, 1, "{url}");

        // An unknown reception number is a typed error.
        let request = DownloadRequest {
            institution: ok(CLINIC.parse()),
            reception_number: "nope".to_owned(),
        };
        put(
            &gw,
            "OQSmuquc02req_unknown.xml",
            &ok(request.to_xml(XmlEncoding::Utf8)),
        );
        assert_eq!(gw.pass().await.errors, 1);
        ok(std::fs::remove_dir_all(dir));
    }
}

#[tokio::test]
async fn a_registered_reference_number_comes_back_in_results() {
    for url in testing::fresh_databases().await {
        let (_, gw, dir) = open(&url).await;
        let registration = |number: &str| ReferenceNumberRequest {
            institution: ok(CLINIC.parse()),
            arbitrary_file_identifier: None,
            info: RegistrationInfo {
                reference_number: "K-0042".to_owned(),
                key: InsuredKey::Insurance {
                    insurer: ok("01130012".parse()),
                    symbol: None,
                    number: ok(number.parse()),
                    branch: None,
                },
            },
        };
        put(
            &gw,
            "OQSsiimm01req_1.xml",
            &ok(registration("1001").to_xml(XmlEncoding::Utf8)),
        );
        put(
            &gw,
            "OQSsiimm01req_2.xml",
            &ok(registration("9999").to_xml(XmlEncoding::Utf8)),
        );
        gw.pass().await;
        let status = |name: &str| match read(&gw, "res", name) {
            Message::ReferenceNumberResult(r) => r.body.map(|b| (b.result.status, b.result.code)),
            other => panic!("unexpected {:?}", other.kind()),
        };
        assert_eq!(
            status("OQSsiimm01res_1.xml"),
            Some((ProcessingResultStatus::Completed, None)),
            "{url}"
        );
        assert_eq!(
            status("OQSsiimm01res_2.xml"),
            Some((
                ProcessingResultStatus::Error,
                Some("REFERENCE_PERSON_NOT_FOUND".to_owned())
            ))
        );
        put(
            &gw,
            "OQSsiquc01req_3.xml",
            &ok(single_request("1001").to_xml(XmlEncoding::Utf8)),
        );
        gw.pass().await;
        let Message::QualificationResult(r) = read(&gw, "res", "OQSsiquc01res_3.xml") else {
            panic!("not a qualification result")
        };
        let reference = r
            .body
            .and_then(|b| b.results.first().and_then(|e| e.reference_number.clone()));
        assert_eq!(reference.as_deref(), Some("K-0042"), "{url}");
        ok(std::fs::remove_dir_all(dir));
    }
}

#[tokio::test]
async fn face_events_are_written_once_each() {
    for url in testing::fresh_databases().await {
        let (state, gw, dir) = open(&url).await;
        let key = QueryKey::Numbers {
            insurer: ok("01130012".parse()),
            symbol: None,
            number: ok("1001".parse()),
            branch: None,
            birthdate: ok(onshi_core::jst::parse_date("19800401")),
        };
        let date = testing::test_now().date();
        let lookup = ok(registry::lookup(&state.db, &key, date).await);
        let mut tx = ok(state.db.pool.begin().await);
        ok(gateway::record_face_event(&mut tx, CLINIC, &lookup, testing::test_now(), date).await);
        ok(gateway::record_face_event(&mut tx, CLINIC, &lookup, testing::test_now(), date).await);
        ok(tx.commit().await);
        // A check that rolled back leaves no event.
        let mut tx = ok(state.db.pool.begin().await);
        ok(gateway::record_face_event(&mut tx, CLINIC, &lookup, testing::test_now(), date).await);
        ok(tx.rollback().await);
        let mut tx = ok(state.db.pool.begin().await);
        let bad =
            gateway::record_face_event(&mut tx, "123", &lookup, testing::test_now(), date).await;
        assert_eq!(
            bad.err().map(|e| e.code),
            Some("INSTITUTION_CODE_INVALID".to_owned())
        );
        drop(tx);

        assert_eq!(gw.pass().await.faces, 2, "{url}");
        let faces = names(&gw.folder("face"));
        assert_eq!(faces.len(), 2);
        for name in &faces {
            let parsed: FileName = ok(name.parse());
            let face = parsed
                .face
                .unwrap_or_else(|| panic!("not a face name: {name}"));
            assert_eq!(face.institution.as_str(), CLINIC);
            assert_eq!(face.read_at, testing::test_now());
            let Message::QualificationResult(r) = read(&gw, "face", name) else {
                panic!("not a qualification result")
            };
            let body = r.body.unwrap_or_else(|| panic!("no body"));
            assert_eq!(
                body.qualification_validity,
                Some(QualificationValidity::Valid)
            );
            assert_eq!(body.results.len(), 1);
        }
        assert_eq!(gw.pass().await.faces, 0, "{url}");
        assert_eq!(names(&gw.folder("face")).len(), 2);
        ok(std::fs::remove_dir_all(dir));
    }
}

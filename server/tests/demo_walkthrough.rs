//! The demo walkthrough, end to end, as a new user does it after `cargo xtask run`: the real
//! binary starts with `serve --demo` on a fresh SQLite file and seeds 10,000 synthetic people, the
//! demo institutions, their device key files and URLs. Then, over plain HTTP/1.1 and files only:
//!
//! 1. the 訪問看護ステーション's tablet (its key file from the demo folder) reads its 訪問診療等 URL;
//! 2. the holder of demo card 0 opens it, agrees to every item and signs the challenge with the
//!    virtual card — a wrong PIN first, which the card refuses with tries left, then the right one
//!    — and gets a receipt;
//! 3. the tablet sees its new patient, re-inquires (有効) and reads the medication history;
//! 4. the clinic's PC uploads a 10,000-row 一括照会 list built from the registry and downloads its
//!    results once the background worker completes it;
//! 5. the OQS file gateway, a second process on the same database, answers a single-check request
//!    file for one of those people as 有効, like the bulk job did.
//!
//! It proves the demo works from the command line with nothing but what the demo prints, and that
//! the service, its worker and the gateway share one database file as processes.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use onshi_core::card::CardError;
use onshi_core::card::demo::{self, DEMO_CARDS};
use onshi_core::card::host::{from_hex, to_hex};
use onshi_core::card::jpki::{self, Authenticate, CertificateRead, LastTry};
use onshi_core::card::pin::Pin;
use onshi_core::codes::{
    LimitCertificateConsent, ProcessingResultStatus, QualificationValidity, SegmentOfResult,
};
use onshi_core::jst::{Date, format_date};
use onshi_core::oqs::{Message, QualificationRequest, XmlEncoding, read_message};
use onshi_core::qualification::Qualification;
use onshi_server::clock::{Clock, SystemClock};
use onshi_server::device::DeviceClient;
use onshi_server::population::DEMO_INSTITUTIONS;
use serde_json::{Value, json};
use sqlx::Connection;

/// The population seed: the binary's default, so demo card 0 chains to the service's TEST root.
const SEED: u64 = 1;
/// People in the demo population, and rows in the 一括照会 list.
const PEOPLE: usize = 10_000;
/// The header of a 一括照会 CSV list.
const LIST_HEADER: [&str; 6] = ["照会番号", "保険者番号", "記号", "番号", "枝番", "生年月日"];

fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

// ---------------------------------------------------------------------------------------------
// Processes and the temporary folder, cleaned up on success and on failure alike.

/// The temporary demo folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let dir =
            std::env::temp_dir().join(format!("onshi-demo-walkthrough-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        ok(std::fs::create_dir_all(&dir));
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A child process of the test, killed when dropped. Its stdout is drained by a thread (a closed
/// pipe would make the child's next `println!` panic); the lines arrive on `lines`.
struct Process {
    name: &'static str,
    child: Child,
    lines: Receiver<String>,
    log: PathBuf,
}

impl Process {
    fn spawn(name: &'static str, args: &[&str], log: PathBuf) -> Self {
        let mut child = ok(Command::new(env!("CARGO_BIN_EXE_onshi-server"))
            .args(args)
            .env("RUST_LOG", "onshi_server=warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::from(ok(std::fs::File::create(&log))))
            .spawn());
        let stdout = child
            .stdout
            .take()
            .unwrap_or_else(|| panic!("{name}: no stdout"));
        let (send, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        Self {
            name,
            child,
            lines,
            log,
        }
    }

    /// Waits for the first stdout line starting with `prefix`; panics with the process's log when
    /// it exits or `timeout` passes first.
    fn wait_for_line(&self, prefix: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return line,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    panic!(
                        "{}: no {prefix:?} within {timeout:?}\n{}",
                        self.name,
                        self.log()
                    )
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("{}: exited before {prefix:?}\n{}", self.name, self.log())
                }
            }
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// Plain HTTP/1.1, as a browser or a device would talk to the service.

/// The service at `addr` (`127.0.0.1:port`).
struct Service {
    addr: String,
}

impl Service {
    fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sends one request; answers the status and the raw body.
    async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> (u16, Bytes) {
        let stream = ok(tokio::net::TcpStream::connect(&self.addr).await);
        let (mut sender, conn) =
            ok(hyper::client::conn::http1::handshake(TokioIo::new(stream)).await);
        tokio::spawn(conn);
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", &self.addr);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = ok(request.body(Full::new(Bytes::from(body))));
        let response = ok(sender.send_request(request).await);
        let status = response.status().as_u16();
        let bytes = ok(response.into_body().collect().await).to_bytes();
        (status, bytes)
    }

    /// An unauthenticated JSON request (the patient's browser).
    async fn plain(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let body = body.map(Value::to_string).unwrap_or_default().into_bytes();
        let (status, bytes) = self
            .send(method, path, &[("content-type", "application/json")], body)
            .await;
        (status, json_of(&bytes))
    }

    /// A request signed by `device` over the raw `body` bytes; answers the raw body.
    async fn signed_raw(
        &self,
        device: &mut DeviceClient,
        method: &str,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (u16, Bytes) {
        let authorization = device
            .authorization(method, path, &body)
            .unwrap_or_else(|e| panic!("{e:?}"));
        self.send(
            method,
            path,
            &[
                ("content-type", content_type),
                ("authorization", &authorization),
            ],
            body,
        )
        .await
    }

    /// A signed JSON request (no body for `None`).
    async fn signed(
        &self,
        device: &mut DeviceClient,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let body = body.map(Value::to_string).unwrap_or_default().into_bytes();
        let (status, bytes) = self
            .signed_raw(device, method, path, "application/json", body)
            .await;
        (status, json_of(&bytes))
    }
}

fn json_of(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()))
}

fn text<'a>(value: &'a Value, what: &str) -> &'a str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{what} is not a string: {value}"))
}

/// A demo device, from the key file the demo wrote, with an open session.
async fn device(service: &Service, dir: &Path, name: &str) -> DeviceClient {
    let mut client = DeviceClient::from_key_file(&dir.join("devices").join(format!("{name}.json")))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    client
        .open_session(&service.base_url())
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    client
}

// ---------------------------------------------------------------------------------------------
// The walkthrough's steps.

/// The patient's side of a first home visit: the URL page, すべての項目に同意する, the card (a
/// wrong PIN, then the right one), and the registration with its receipt.
async fn patient_consents_with_card(
    service: &Service,
    token: &str,
    card: &mut demo::IssuedDemoCard,
    station: &str,
) {
    let (status, page) = service
        .plain("GET", &format!("/v1/consent-urls/{token}"), None)
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["institution_code"], station, "{page}");
    assert_eq!(page["institution_name"], "デモ訪問看護ステーション");
    assert_eq!(page["kind"], "home_visit", "{page}");

    let (status, started) = service
        .plain(
            "POST",
            &format!("/v1/consent-urls/{token}/sessions"),
            Some(&json!({"agree_to_all": true})),
        )
        .await;
    assert_eq!(status, 200, "{started}");
    let challenge = from_hex(text(&started["challenge"], "challenge"))
        .unwrap_or_else(|| panic!("challenge is not hex: {started}"));
    let session = text(&started["session"], "session").to_owned();

    // A wrong PIN: the card refuses and counts it; nothing reaches the service.
    let wrong_pin = if DEMO_CARDS[0].pin == "9999" {
        "0000"
    } else {
        "9999"
    };
    let wrong = Authenticate::new(
        ok(Pin::new(wrong_pin)),
        &challenge,
        LastTry::Refuse,
        CertificateRead::Read,
    );
    match jpki::run(wrong, &mut card.card) {
        Err(CardError::WrongPin { tries_left }) => {
            assert!(tries_left > 0, "one wrong PIN locked the card");
        }
        Err(other) => panic!("a wrong PIN gave {other}"),
        Ok(_) => panic!("the card signed with a wrong PIN"),
    }
    // The right PIN signs the session's challenge.
    let right = Authenticate::new(
        ok(Pin::new(DEMO_CARDS[0].pin)),
        &challenge,
        LastTry::Refuse,
        CertificateRead::Read,
    );
    let signed = ok(jpki::run(right, &mut card.card));
    let proof = json!({
        "certificate": to_hex(&signed.certificate.unwrap_or_default()),
        "signature": to_hex(&signed.signature),
        "holder": "card",
    });
    let (status, registered) = service
        .plain(
            "POST",
            &format!("/v1/consent-sessions/{session}/card"),
            Some(&proof),
        )
        .await;
    assert_eq!(status, 200, "{registered}");
    assert_eq!(
        registered["statement"]["institution"], station,
        "{registered}"
    );
    let receipt = text(&registered["receipt_id"], "receipt_id");
    assert!(!receipt.is_empty(), "{registered}");
    let (status, svg) = service
        .send(
            "GET",
            &format!("/v1/consent-receipts/{receipt}/qr.svg"),
            &[],
            Vec::new(),
        )
        .await;
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&svg).contains("<svg"));
}

/// 10,000 people with insurance numbers, as the registry holds them (read-only, beside the
/// running service).
async fn people_with_numbers(database_url: &str) -> Vec<Qualification> {
    let options = ok(sqlx::sqlite::SqliteConnectOptions::from_str(database_url)).read_only(true);
    let mut conn = ok(sqlx::SqliteConnection::connect_with(&options).await);
    let records: Vec<String> = ok(sqlx::query_scalar(
        "SELECT record FROM qualifications WHERE insurer_number IS NOT NULL ORDER BY id LIMIT $1",
    )
    .bind(PEOPLE as i64)
    .fetch_all(&mut conn)
    .await);
    ok(conn.close().await);
    assert_eq!(records.len(), PEOPLE, "too few insured records in the demo");
    records
        .iter()
        .map(|r| ok(serde_json::from_str::<Qualification>(r)))
        .collect()
}

fn reference(i: usize) -> String {
    format!("W{i:05}")
}

/// The 一括照会 CSV list of `people`: 照会番号 `W00000`… in order.
fn bulk_list(people: &[Qualification]) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::new());
    ok(out.write_record(LIST_HEADER));
    for (i, q) in people.iter().enumerate() {
        let insurer = q
            .insurer_number
            .as_ref()
            .unwrap_or_else(|| panic!("row {i} has no insurer"));
        let number = q
            .number
            .as_ref()
            .unwrap_or_else(|| panic!("row {i} has no number"));
        ok(out.write_record([
            reference(i).as_str(),
            insurer.as_str(),
            q.symbol.as_ref().map_or("", |s| s.as_str()),
            number.as_str(),
            q.branch.as_ref().map_or("", |b| b.as_str()),
            format_date(q.birthdate).as_str(),
        ]));
    }
    ok(out.into_inner())
}

/// Uploads the list as the clinic's PC, waits for the worker to complete it, checks its counts and
/// answers the job's counts and the results CSV's text (without its BOM).
async fn bulk_check(
    service: &Service,
    clinic: &mut DeviceClient,
    list: Vec<u8>,
) -> (Value, String) {
    let (status, body) = service
        .signed_raw(clinic, "POST", "/v1/bulk-jobs", "text/csv", list)
        .await;
    let accepted = json_of(&body);
    assert_eq!(status, 202, "{accepted}");
    assert_eq!(accepted["job"]["total"], PEOPLE, "{accepted}");
    let id = text(&accepted["job"]["id"], "job id").to_owned();

    let path = format!("/v1/bulk-jobs/{id}");
    let deadline = Instant::now() + Duration::from_secs(60);
    let job = loop {
        let (status, answer) = service.signed(clinic, "GET", &path, None).await;
        assert_eq!(status, 200, "{answer}");
        if answer["job"]["state"] == "completed" {
            break answer["job"].clone();
        }
        assert_eq!(answer["job"]["state"], "processing", "{answer}");
        assert!(
            Instant::now() < deadline,
            "the 10,000-row job did not complete within 60 s: {answer}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert_eq!(job["total"], PEOPLE, "{job}");
    assert_eq!(job["done"], PEOPLE, "{job}");
    let count = |k: &str| {
        job["counts"][k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k}: {job}"))
    };
    let counts: u64 = [
        "valid",
        "invalid",
        "superseded",
        "not_found",
        "ambiguous",
        "error",
    ]
    .iter()
    .map(|k| count(k))
    .sum();
    assert_eq!(counts, PEOPLE as u64, "the counts do not add up: {job}");
    // Every row came from the registry: each is found, and most people are insured today.
    assert_eq!(count("not_found"), 0, "{job}");
    assert_eq!(count("error"), 0, "{job}");
    assert!(count("valid") > PEOPLE as u64 / 2, "{job}");

    let (status, csv) = service
        .signed_raw(
            clinic,
            "GET",
            &format!("{path}/results.csv"),
            "application/json",
            Vec::new(),
        )
        .await;
    let csv = String::from_utf8(csv.to_vec()).unwrap_or_else(|e| panic!("not UTF-8: {e}"));
    assert_eq!(status, 200, "{csv}");
    let csv = csv.strip_prefix('\u{feff}').unwrap_or(&csv).to_owned();
    assert_eq!(
        csv.lines().count(),
        PEOPLE + 1,
        "header and one line per row"
    );
    (job["counts"].clone(), csv)
}

/// The first row of the results CSV answered 有効, as (its index in the list, the row).
fn first_valid_row(results: &str) -> (usize, csv::StringRecord) {
    let mut reader = csv::Reader::from_reader(results.as_bytes());
    let header = ok(reader.headers()).clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no {name} column in {header:?}"))
    };
    let (reference_col, code_col) = (column("照会番号"), column("コード"));
    let rows: Vec<csv::StringRecord> = reader.records().map(ok).collect();
    assert_eq!(rows.len(), PEOPLE);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(&row[reference_col], reference(i), "rows out of order");
    }
    rows.into_iter()
        .enumerate()
        .find(|(_, row)| &row[code_col] == "QUAL_VALID")
        .unwrap_or_else(|| panic!("no QUAL_VALID row"))
}

/// Drops a single-check request (OQSsiquc01req) for `person` into the gateway's req folder, the way
/// a receipt computer does (written aside, then renamed in), and answers the result's file name.
fn drop_single_request(
    oqs: &Path,
    clinic: &str,
    today: Date,
    person: &Qualification,
    reference: &str,
) -> PathBuf {
    let request = QualificationRequest {
        confirmation_date: today,
        institution: ok(clinic.parse()),
        arbitrary_file_identifier: Some("walkthrough".to_owned()),
        insurer: person
            .insurer_number
            .clone()
            .unwrap_or_else(|| panic!("no insurer")),
        symbol: person.symbol.clone(),
        number: person.number.clone().unwrap_or_else(|| panic!("no number")),
        branch: person.branch.clone(),
        birthdate: person.birthdate,
        limit_consent: LimitCertificateConsent::NotConsented,
        arbitrary_identifier: Some(reference.to_owned()),
    };
    let req = oqs.join("req");
    let stem = "202611210001";
    let aside = req.join(format!(".OQSsiquc01req_{stem}.xml.tmp"));
    ok(std::fs::write(
        &aside,
        ok(request.to_xml(XmlEncoding::ShiftJis)),
    ));
    ok(std::fs::rename(
        &aside,
        req.join(format!("OQSsiquc01req_{stem}.xml")),
    ));
    oqs.join("res").join(format!("OQSsiquc01res_{stem}.xml"))
}

/// Waits up to `timeout` for the gateway to write `path`.
async fn wait_for_file(path: &Path, timeout: Duration, gateway: &Process) -> Vec<u8> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Ok(bytes) = std::fs::read(path) {
            return bytes;
        }
        assert!(
            Instant::now() < deadline,
            "no {} within {timeout:?}\n{}",
            path.display(),
            gateway.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_walkthrough_from_the_command_line() {
    let started = Instant::now();
    let dir = TempDir::new();
    let database_url = format!("sqlite://{}", dir.0.join("onshi.db").display());
    let demo_dir = dir.0.display().to_string();
    let people = PEOPLE.to_string();
    let [station_code, _, clinic_code] = DEMO_INSTITUTIONS;
    let today = SystemClock.now().date();

    // 1. `onshi-server serve --demo`: seeds, prepares the demo and prints its address first.
    let server = Process::spawn(
        "serve",
        &[
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--database-url",
            &database_url,
            "--demo",
            &demo_dir,
            "--demo-people",
            &people,
        ],
        dir.0.join("serve.log"),
    );
    let line = server.wait_for_line("onshi service: http://", Duration::from_secs(300));
    let service = Service {
        addr: line
            .trim()
            .trim_start_matches("onshi service: http://")
            .trim_end_matches('/')
            .to_owned(),
    };
    for name in ["station-tablet", "clinic-pc", "seikotsuin-pc"] {
        let key = dir.0.join("devices").join(format!("{name}.json"));
        assert!(key.is_file(), "the demo wrote no {}", key.display());
    }

    // 2. The station's tablet reads its 訪問診療等 URL.
    let mut tablet = device(&service, &dir.0, "station-tablet").await;
    let (status, url) = service
        .signed(&mut tablet, "GET", "/v1/institution/urls/home_visit", None)
        .await;
    assert_eq!(status, 200, "{url}");
    let token = text(&url["token"], "token").to_owned();
    assert_eq!(
        url["url"],
        format!("{}/c/{token}", service.base_url()),
        "{url}"
    );

    // 3. The patient, holder of demo card 0 (person 0), consents with the card.
    let mut card = ok(demo::issue(SEED, 0, today));
    patient_consents_with_card(&service, &token, &mut card, station_code).await;

    // 4. The tablet sees its patient, re-inquires, and reads the medication history.
    let (status, patients) = service
        .signed(&mut tablet, "GET", "/v1/patients", None)
        .await;
    assert_eq!(status, 200, "{patients}");
    let list = patients.as_array().unwrap_or_else(|| panic!("{patients}"));
    assert_eq!(list.len(), 1, "{patients}");
    assert_eq!(list[0]["institution"], station_code, "{patients}");
    assert_eq!(list[0]["identity"], "pin", "{patients}");
    let patient = text(&list[0]["id"], "patient id").to_owned();
    let (status, rows) = service
        .signed(
            &mut tablet,
            "POST",
            "/v1/reinquiries",
            Some(&json!({"patients": [patient]})),
        )
        .await;
    assert_eq!(status, 200, "{rows}");
    assert_eq!(rows[0]["patient"], patient.as_str(), "{rows}");
    assert_eq!(
        rows[0]["answer"]["determination"]["code"], "QUAL_VALID",
        "{rows}"
    );
    let (status, meds) = service
        .signed(
            &mut tablet,
            "GET",
            &format!("/v1/patients/{patient}/medical/medications?licensed=true"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{meds}");
    assert_eq!(meds["basis"]["basis"], "consent", "{meds}");
    assert_eq!(meds["rows"]["kind"], "medications", "{meds}");
    let dispensed = meds["rows"]["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("{meds}"));
    assert!(
        !dispensed.is_empty(),
        "person 0 has no medication history: {meds}"
    );

    // 5. 一括照会 of 10,000 people by the clinic's PC.
    let selected = people_with_numbers(&database_url).await;
    let mut clinic = device(&service, &dir.0, "clinic-pc").await;
    let bulk_started = Instant::now();
    let (counts, results) = bulk_check(&service, &mut clinic, bulk_list(&selected)).await;
    let bulk_took = bulk_started.elapsed();
    let (index, row) = first_valid_row(&results);

    // 6. The OQS gateway, a second process on the same database, answers a single check for the
    // same person as 有効.
    let oqs = dir.0.join("oqs");
    let oqs_dir = oqs.display().to_string();
    let gateway = Process::spawn(
        "gateway",
        &[
            "gateway",
            "--dir",
            &oqs_dir,
            "--institution",
            clinic_code,
            "--database-url",
            &database_url,
        ],
        dir.0.join("gateway.log"),
    );
    gateway.wait_for_line("onshi gateway: watching", Duration::from_secs(30));
    let reference = reference(index);
    let res = drop_single_request(&oqs, clinic_code, today, &selected[index], &reference);
    let bytes = wait_for_file(&res, Duration::from_secs(20), &gateway).await;
    let name = res
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Message::QualificationResult(result) = ok(read_message(&name, &bytes)) else {
        panic!("{name} is not a qualification result")
    };
    assert_eq!(result.header.segment_of_result, SegmentOfResult::Completed);
    assert_eq!(
        result.header.arbitrary_file_identifier.as_deref(),
        Some("walkthrough")
    );
    let body = result.body.unwrap_or_else(|| panic!("{name} has no body"));
    assert_eq!(
        body.processing_result_status,
        ProcessingResultStatus::Completed
    );
    assert_eq!(
        body.qualification_validity,
        Some(QualificationValidity::Valid),
        "the gateway disagrees with the bulk row {row:?}"
    );
    assert_eq!(body.results.len(), 1);
    assert_eq!(
        body.results[0].arbitrary_identifier.as_deref(),
        Some(reference.as_str())
    );
    assert_eq!(
        body.results[0].qualification.birthdate,
        selected[index].birthdate
    );

    // 7. Both processes stop and the folder goes (the guards do it on failure too).
    drop(gateway);
    drop(server);
    eprintln!(
        "demo walkthrough: {:.1} s in all, 10,000-row 一括照会 {:.1} s ({counts})",
        started.elapsed().as_secs_f64(),
        bulk_took.as_secs_f64()
    );
}

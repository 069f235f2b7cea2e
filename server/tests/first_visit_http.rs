//! A first home visit through the HTTP API, as a nurse's tablet and a patient would do it: the
//! station's device issues its URL; the patient opens it, answers every item, confirms; the virtual
//! card signs the session's challenge (the PIN goes to the card only); the service registers the
//! consent and returns a receipt; a week later the device re-inquires without the card, and a
//! number check answers too. On every backend under test.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use onshi_core::card::demo::{self, DEMO_CARDS};
use onshi_core::card::jpki::{self, Authenticate, CertificateRead, LastTry};
use onshi_core::card::pin::Pin;
use onshi_core::facility::{FacilityKind, OperatingType};
use onshi_server::device::{DeviceClient, DeviceKind};
use onshi_server::institutions::Institution;
use onshi_server::registry;
use onshi_server::state::AppState;
use onshi_server::testing;
use serde_json::{Value, json};
use tower::ServiceExt;

const STATION: &str = "1361234568";

async fn call(router: &Router, request: Request<Body>) -> (StatusCode, Value) {
    testing::json_answer(router, request).await
}

fn plain(method: Method, uri: &str, body: Value) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn setup(state: &AppState) -> (Router, DeviceClient, demo::IssuedDemoCard) {
    let now = testing::test_now();
    Institution {
        code: STATION.into(),
        name: "デモ訪問看護ステーション".into(),
        facility: FacilityKind::HomeNursingStation,
        operating: OperatingType::ConsentAtHome,
    }
    .save(&state.db, now)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let q = serde_json::from_value(json!({
        "card_classification": "01", "insurer_number": "39131156", "number": "00012345",
        "name": "デモ　花子", "sex1": "2", "birthdate": "19500401",
        "qualification_date": "20250401", "copay_ratio": "010"
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    let mut tx = state
        .db
        .pool
        .begin()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    registry::register_person(&mut tx, "person-1", now.date(), &[q], now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
    let card = testing::register_demo_card(state, "person-1", 0, now).await;
    let router = onshi_server::http::router(state.clone());
    let client = testing::device_client(state, &router, STATION, DeviceKind::Tablet, 3).await;
    (router, client, card)
}

fn signed(client: &mut DeviceClient, method: Method, uri: &str, body: &Value) -> Request<Body> {
    client
        .json_request(method, uri, body)
        .unwrap_or_else(|e| panic!("{e:?}"))
}

#[tokio::test]
async fn a_first_home_visit_then_reinquiry_through_the_api() {
    for url in testing::fresh_databases().await {
        let (state, clock) = testing::state(&url, testing::test_now()).await;
        let (router, mut nurse, mut card) = setup(&state).await;

        // The station issues its 訪問診療等 URL.
        let (status, issued) = call(
            &router,
            signed(
                &mut nurse,
                Method::POST,
                "/v1/institution/urls/home_visit",
                &Value::Null,
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{issued}");
        let token = issued["token"].as_str().unwrap_or_default().to_owned();

        // The patient opens it and confirms every item (すべての項目に同意する).
        let (status, page) = call(
            &router,
            plain(
                Method::GET,
                &format!("/v1/consent-urls/{token}"),
                Value::Null,
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["institution_name"], "デモ訪問看護ステーション");
        let (status, started) = call(
            &router,
            plain(
                Method::POST,
                &format!("/v1/consent-urls/{token}/sessions"),
                json!({"agree_to_all": true}),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{started}");
        let session = started["session"].as_str().unwrap_or_default();
        let status_path = format!("/v1/consent-sessions/{session}");

        // Before the card, the session is open with the same challenge (a phone back from the app
        // that did not finish can open it again).
        let (status, open) = call(&router, plain(Method::GET, &status_path, Value::Null)).await;
        assert_eq!(status, StatusCode::OK, "{open}");
        assert_eq!(open["state"], "open");
        assert_eq!(open["challenge"], started["challenge"]);

        // The card: one wrong PIN first (the card counts it, nothing reaches the service), then the
        // right one signs the challenge.
        let challenge =
            onshi_core::card::host::from_hex(started["challenge"].as_str().unwrap_or_default())
                .unwrap_or_else(|| panic!("challenge"));
        let wrong = Authenticate::new(
            Pin::new("9999").unwrap_or_else(|e| panic!("{e}")),
            &challenge,
            LastTry::Refuse,
            CertificateRead::Read,
        );
        assert!(jpki::run(wrong, &mut card.card).is_err());
        let proof = testing::card_proof(
            &mut card,
            DEMO_CARDS[0].pin,
            started["challenge"].as_str().unwrap_or_default(),
        );
        let (status, registered) = call(
            &router,
            plain(
                Method::POST,
                &format!("/v1/consent-sessions/{session}/card"),
                proof,
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{registered}");
        assert_eq!(registered["statement"]["institution"], STATION);

        // Afterwards the session answers with the same receipt; an unknown session is not found.
        let (status, completed) =
            call(&router, plain(Method::GET, &status_path, Value::Null)).await;
        assert_eq!(status, StatusCode::OK, "{completed}");
        assert_eq!(completed["state"], "completed");
        assert_eq!(completed["receipt_id"], registered["receipt_id"]);
        let (status, unknown) = call(
            &router,
            plain(Method::GET, "/v1/consent-sessions/00ff", Value::Null),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{unknown}");

        // The receipt's QR code.
        let receipt_id = registered["receipt_id"].as_str().unwrap_or_default();
        let response = router
            .clone()
            .oneshot(plain(
                Method::GET,
                &format!("/v1/consent-receipts/{receipt_id}/qr.svg"),
                Value::Null,
            ))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(response.status(), StatusCode::OK);

        // The station sees its new patient and, a week later, re-inquires without the card.
        let (status, patients) = call(
            &router,
            signed(&mut nurse, Method::GET, "/v1/patients", &Value::Null),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{patients}");
        let patient = patients[0]["id"].as_str().unwrap_or_default().to_owned();
        assert_eq!(patients[0]["reference_number"], Value::Null, "{patients}");

        // The station registers its chart number as the 照会番号; the list shows it from then on.
        let number_path = format!("/v1/patients/{patient}/reference-number");
        let (status, set) = call(
            &router,
            signed(
                &mut nurse,
                Method::PUT,
                &number_path,
                &json!({"reference_number": " K-0012 "}),
            ),
        )
        .await;
        assert_eq!(
            (status, &set["reference_number"]),
            (StatusCode::OK, &json!("K-0012")),
            "{set}"
        );
        let (_, patients) = call(
            &router,
            signed(&mut nurse, Method::GET, "/v1/patients", &Value::Null),
        )
        .await;
        assert_eq!(patients[0]["reference_number"], "K-0012", "{patients}");
        let (status, refused) = call(
            &router,
            signed(
                &mut nurse,
                Method::PUT,
                &number_path,
                &json!({"reference_number": "  "}),
            ),
        )
        .await;
        assert_eq!(
            (status, &refused["error"]["code"]),
            (StatusCode::BAD_REQUEST, &json!("REFERENCE_NUMBER_INVALID"))
        );
        let (status, _) = call(
            &router,
            signed(
                &mut nurse,
                Method::PUT,
                "/v1/patients/no-such-patient/reference-number",
                &json!({"reference_number": "K-1"}),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // 訪問予定: tomorrow's round planned on one device is in every device's list; a past day is
        // refused; taken off again, the list no longer has it.
        let tomorrow = "20261122";
        let visit = format!("/v1/patients/{patient}/visits/{tomorrow}");
        let (status, planned) = call(
            &router,
            signed(&mut nurse, Method::PUT, &visit, &Value::Null),
        )
        .await;
        assert_eq!(
            (status, &planned["visits"]),
            (StatusCode::OK, &json!([tomorrow])),
            "{planned}"
        );
        let (_, patients) = call(
            &router,
            signed(&mut nurse, Method::GET, "/v1/patients", &Value::Null),
        )
        .await;
        assert_eq!(patients[0]["visits"], json!([tomorrow]), "{patients}");
        let past = format!("/v1/patients/{patient}/visits/20261120");
        let (status, refused) = call(
            &router,
            signed(&mut nurse, Method::PUT, &past, &Value::Null),
        )
        .await;
        assert_eq!(
            (status, &refused["error"]["code"]),
            (StatusCode::BAD_REQUEST, &json!("VISIT_DATE_OUT_OF_RANGE"))
        );
        let (status, left) = call(
            &router,
            signed(&mut nurse, Method::DELETE, &visit, &Value::Null),
        )
        .await;
        assert_eq!(
            (status, &left["visits"]),
            (StatusCode::OK, &json!([])),
            "{left}"
        );
        clock.advance(time::Duration::days(7));
        // The device's session ended long ago (12 h): it opens a new one with one signature.
        nurse
            .open_session_in_process(&router)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let (status, rows) = call(
            &router,
            signed(
                &mut nurse,
                Method::POST,
                "/v1/reinquiries",
                &json!({"patients": [patient]}),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{rows}");
        assert_eq!(
            rows[0]["answer"]["determination"]["code"], "QUAL_VALID",
            "{url}: {rows}"
        );

        // Medication under the consent, for licensed staff only; each access is on the audit log.
        let path = format!("/v1/patients/{patient}/medical/medications?licensed=true");
        let (status, meds) = call(
            &router,
            signed(&mut nurse, Method::GET, &path, &Value::Null),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{meds}");
        assert_eq!(meds["basis"]["basis"], "consent", "{meds}");
        assert_eq!(meds["rows"]["kind"], "medications");
        let path = format!("/v1/patients/{patient}/medical/medications");
        let (status, refused) = call(
            &router,
            signed(&mut nurse, Method::GET, &path, &Value::Null),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused["error"]["code"], "VIEWER_NOT_LICENSED");
        let path = format!("/v1/patients/{patient}/medical/medications?licensed=maybe");
        let (status, refused) = call(
            &router,
            signed(&mut nurse, Method::GET, &path, &Value::Null),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(refused["error"]["code"], "QUERY_INVALID");
        let chain = onshi_server::audit::verify(&state.db)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(chain.rows, 2, "{url}");
        assert!(chain.first_broken.is_none());

        // A number check by the 後期高齢 numbers.
        let check = json!({"key": {"by": "numbers", "insurer": "39131156", "number": "00012345", "birthdate": "19500401"}});
        let (status, answer) = call(
            &router,
            signed(&mut nurse, Method::POST, "/v1/checks", &check),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(answer["determination"]["code"], "QUAL_VALID");

        // 一括照会 of tomorrow's list over HTTP: the upload is signed as raw CSV bytes.
        let list = "照会番号,保険者番号,記号,番号,枝番,生年月日\nV1,39131156,,00012345,,19500401\nV2,39131156,,99999999,,19500401\n";
        let upload = nurse
            .request(
                Method::POST,
                "/v1/bulk-jobs",
                Some("text/csv"),
                list.as_bytes().to_vec(),
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
        let (status, job) = call(&router, upload).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{job}");
        let job_id = job["job"]["id"].as_str().unwrap_or_default().to_owned();
        onshi_server::bulk::resume_unfinished(&state)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let (status, rows) = call(
            &router,
            signed(
                &mut nurse,
                Method::GET,
                &format!("/v1/bulk-jobs/{job_id}/rows"),
                &Value::Null,
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{rows}");
        let text = rows.to_string();
        assert!(
            text.contains("QUAL_VALID") && text.contains("QUAL_NOT_FOUND"),
            "{text}"
        );

        // Unsigned institution requests are refused with a typed error.
        let (status, refused) = call(&router, plain(Method::POST, "/v1/checks", check)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(refused["error"]["code"], "DEVICE_AUTH_MISSING");
    }
}

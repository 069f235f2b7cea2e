//! 資格確認限定型 through the HTTP API (`/v1/card-checks`), as a 柔整 施術所's PC with a generic reader
//! does it: a challenge, the card's signature with the PIN — or 目視確認 with the certificate alone —
//! and the qualification only. A certificate in its grace answers with the guidance to renew it; a
//! signature without its challenge, or a challenge used twice, is refused. On every backend under test.

use axum::Router;
use axum::http::{Method, StatusCode};
use onshi_core::card::demo::{DEMO_CARDS, IssuedDemoCard};
use onshi_core::card::host::to_hex;
use onshi_core::card::jpki::{self, ReadCertificate};
use onshi_core::facility::{FacilityKind, OperatingType};
use onshi_server::device::{DeviceClient, DeviceKind};
use onshi_server::institutions::Institution;
use onshi_server::registry;
use onshi_server::state::AppState;
use onshi_server::testing;
use serde_json::{Value, json};

const CLINIC: &str = "1312000019";
/// Demo card 3: its certificate expired, inside the card's 3-month grace.
const GRACE_CARD: usize = 3;

async fn call(
    router: &Router,
    client: &mut DeviceClient,
    uri: &str,
    body: &Value,
) -> (StatusCode, Value) {
    let request = client
        .json_request(Method::POST, uri, body)
        .unwrap_or_else(|e| panic!("{e:?}"));
    testing::json_answer(router, request).await
}

/// The 施術所 with its PC, and two people with demo cards 0 and [`GRACE_CARD`].
async fn setup(state: &AppState) -> (Router, DeviceClient, IssuedDemoCard, IssuedDemoCard) {
    let now = testing::test_now();
    Institution {
        code: CLINIC.into(),
        name: "デモ整骨院（柔道整復）".into(),
        facility: FacilityKind::JudoTherapyClinic,
        operating: OperatingType::QualificationOnly,
    }
    .save(&state.db, now)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let mut tx = state
        .db
        .pool
        .begin()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    for (person, number) in [("person-1", "00012345"), ("person-2", "00067890")] {
        let q = serde_json::from_value(json!({
            "card_classification": "01", "insurer_number": "39131156", "number": number,
            "name": "デモ　患者", "sex1": "2", "birthdate": "19500401",
            "qualification_date": "20250401", "copay_ratio": "010"
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        registry::register_person(&mut tx, person, now.date(), &[q], now)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
    let card = testing::register_demo_card(state, "person-1", 0, now).await;
    let grace = testing::register_demo_card(state, "person-2", GRACE_CARD, now).await;
    let router = onshi_server::http::router(state.clone());
    let client = testing::device_client(state, &router, CLINIC, DeviceKind::Pc, 5).await;
    (router, client, card, grace)
}

/// A challenge from the service, and the card's answer to it with `pin`: the body of a PIN check.
async fn signed_check(
    router: &Router,
    client: &mut DeviceClient,
    card: &mut IssuedDemoCard,
    pin: &str,
) -> Value {
    let (status, challenge) =
        call(router, client, "/v1/card-checks/challenges", &Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{challenge}");
    let mut body = testing::card_proof(
        card,
        pin,
        challenge["challenge"].as_str().unwrap_or_default(),
    );
    body["challenge_id"] = challenge["id"].clone();
    body
}

fn warnings(answer: &Value) -> Vec<String> {
    answer["warnings"]
        .as_array()
        .map(|w| {
            w.iter()
                .filter_map(|m| m["ja"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_card_confirms_the_qualification_by_pin_or_by_its_photo() {
    for url in testing::fresh_databases().await {
        let (state, _clock) = testing::state(&url, testing::test_now()).await;
        let (router, mut pc, mut card, _) = setup(&state).await;

        // The PIN: the card signs the service's challenge.
        let body = signed_check(&router, &mut pc, &mut card, DEMO_CARDS[0].pin).await;
        let (status, answer) = call(&router, &mut pc, "/v1/card-checks", &body).await;
        assert_eq!(status, StatusCode::OK, "{url}: {answer}");
        assert_eq!(answer["determination"]["validity"], "1", "{answer}");
        assert_eq!(answer["qualification"]["number"], "00012345");
        assert!(warnings(&answer).is_empty(), "{answer}");

        // The same challenge twice: refused, it was used.
        let (status, again) = call(&router, &mut pc, "/v1/card-checks", &body).await;
        assert_ne!(status, StatusCode::OK, "{again}");

        // 目視確認: the certificate read without a PIN, no signature.
        let certificate =
            jpki::run(ReadCertificate::new(), &mut card.card).unwrap_or_else(|e| panic!("{e}"));
        let visual = json!({ "certificate": to_hex(&certificate), "holder": "card" });
        let (status, answer) = call(&router, &mut pc, "/v1/card-checks", &visual).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(answer["qualification"]["number"], "00012345");

        // A signature without the challenge it answers is refused.
        let mut incomplete = body.clone();
        incomplete["challenge_id"] = Value::Null;
        let (status, refused) = call(&router, &mut pc, "/v1/card-checks", &incomplete).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
        assert_eq!(refused["error"]["code"], "CARD_CHECK_INCOMPLETE");
    }
}

#[tokio::test]
async fn a_certificate_in_its_grace_answers_with_the_guidance_to_renew() {
    for url in testing::fresh_databases().await {
        let (state, _clock) = testing::state(&url, testing::test_now()).await;
        let (router, mut pc, _, mut grace) = setup(&state).await;
        let body = signed_check(&router, &mut pc, &mut grace, DEMO_CARDS[GRACE_CARD].pin).await;
        let (status, answer) = call(&router, &mut pc, "/v1/card-checks", &body).await;
        assert_eq!(status, StatusCode::OK, "{url}: {answer}");
        assert_eq!(answer["qualification"]["number"], "00067890");
        let said = warnings(&answer);
        assert!(
            said.iter()
                .any(|w| w.contains("有効期限が切れています") && w.contains("更新")),
            "{said:?}"
        );
    }
}

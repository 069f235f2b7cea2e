//! The synthetic population through the registry, the history queries and the sandbox routes, on
//! every backend under test.

use axum::body::Body;
use http_body_util::BodyExt;
use onshi_core::codes::{QualificationValidity, ReasonOfLoss};
use onshi_core::ids::InsuranceProgram;
use onshi_core::jst::{Date, add_months_clamped};
use onshi_core::qualification::{Qualification, QueryKey, RecordIndex};
use onshi_server::population::store::{self, SeedOptions};
use onshi_server::population::{self, DEMO_INSTITUTIONS, PersonKind};
use onshi_server::registry;
use onshi_server::state::AppState;
use onshi_server::testing;
use tower::ServiceExt;

const PEOPLE: u64 = 600;

async fn seeded(url: &str, demo_cards: bool) -> AppState {
    let (state, _) = testing::state(url, testing::test_now()).await;
    let summary = population::seed(
        &state,
        SeedOptions {
            people: PEOPLE,
            demo_cards,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{url}: {e}"));
    assert_eq!(summary.people, PEOPLE);
    assert!(summary.medications > PEOPLE, "{summary:?}");
    state
}

fn today() -> Date {
    testing::test_now().date()
}

fn numbers_key(q: &Qualification) -> QueryKey {
    QueryKey::Numbers {
        insurer: q
            .insurer_number
            .clone()
            .unwrap_or_else(|| panic!("insurer")),
        symbol: q.symbol.clone(),
        number: q.number.clone().unwrap_or_else(|| panic!("number")),
        branch: q.branch.clone(),
        birthdate: q.birthdate,
    }
}

async fn lookup(state: &AppState, key: &QueryKey) -> registry::Lookup {
    registry::lookup(&state.db, key, today())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn first_of(state: &AppState, kind: PersonKind) -> String {
    store::people_of_kind(&state.db, kind.as_str(), 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {kind:?} among {PEOPLE}"))
}

async fn records(state: &AppState, person: &str) -> Vec<Qualification> {
    registry::records_for(
        &state.db,
        &QueryKey::Card {
            person: person.to_owned(),
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .into_iter()
    .map(|r| r.qualification)
    .collect()
}

#[tokio::test]
async fn validity_of_each_kind_through_the_registry() {
    for url in testing::fresh_databases().await {
        let state = seeded(&url, false).await;

        // A job changer's old numbers: 無効（新しい資格あり）; the card: 有効, the new record.
        for person in [
            "P00000002".to_owned(),
            first_of(&state, PersonKind::JobChanger).await,
            first_of(&state, PersonKind::Turned75).await,
        ] {
            let recs = records(&state, &person).await;
            let old = recs
                .iter()
                .find(|q| q.reason_of_loss == Some(ReasonOfLoss::OtherInsuranceAcquired))
                .unwrap_or_else(|| panic!("{person}: no old record"));
            let found = lookup(&state, &numbers_key(old)).await;
            assert_eq!(
                found.determination.validity,
                QualificationValidity::InvalidNewQualification,
                "{url} {person}"
            );
            let by_card = lookup(&state, &QueryKey::Card { person }).await;
            assert_eq!(by_card.determination.validity, QualificationValidity::Valid);
        }

        // 75 and over: 後期高齢者医療, valid by card and by numbers.
        let elderly = first_of(&state, PersonKind::LateStageElderly).await;
        let by_card = lookup(
            &state,
            &QueryKey::Card {
                person: elderly.clone(),
            },
        )
        .await;
        assert_eq!(by_card.determination.validity, QualificationValidity::Valid);
        let q = by_card.qualification.unwrap_or_else(|| panic!("record"));
        assert_eq!(
            q.insurer_number.as_ref().and_then(|n| n.program()),
            Some(InsuranceProgram::LateStageElderly)
        );
        let by_numbers = lookup(&state, &numbers_key(&q)).await;
        assert_eq!(
            by_numbers.determination.validity,
            QualificationValidity::Valid
        );
        assert_eq!(by_numbers.person.as_deref(), Some(elderly.as_str()));

        // Every record lost: 無効.
        let lost = first_of(&state, PersonKind::Lost).await;
        let found = lookup(&state, &QueryKey::Card { person: lost }).await;
        assert_eq!(found.determination.validity, QualificationValidity::Invalid);
        assert!(found.determination.reason_of_loss.is_some());

        // A dependant's numbers with the 枝番 find exactly them.
        let dependant = first_of(&state, PersonKind::Dependant).await;
        let recs = records(&state, &dependant).await;
        let current = recs
            .iter()
            .find(|q| q.covers(today()))
            .unwrap_or_else(|| panic!("current"));
        let found = lookup(&state, &numbers_key(current)).await;
        assert_eq!(found.determination.validity, QualificationValidity::Valid);
        assert_eq!(found.person.as_deref(), Some(dependant.as_str()));
    }
}

#[tokio::test]
async fn medical_aid_tickets_and_history_queries() {
    for url in testing::fresh_databases().await {
        let state = seeded(&url, false).await;
        let aided = first_of(&state, PersonKind::MedicalAid).await;
        let recs = records(&state, &aided).await;
        let aid = recs
            .iter()
            .find(|q| q.is_medical_assistance())
            .unwrap_or_else(|| panic!("A1 record"));
        let block = aid
            .medical_assistance
            .as_ref()
            .unwrap_or_else(|| panic!("block"));
        let (payer, beneficiary) = (
            block.payer.clone().unwrap_or_else(|| panic!("payer")),
            block.beneficiary.clone().unwrap_or_else(|| panic!("no.")),
        );
        assert_eq!(payer.as_str().get(..2), Some("12"));
        let holder = store::ticket_holder_records(&state.db, &payer, &beneficiary, aid.birthdate)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(holder.iter().all(|r| r.person == aided));
        assert!(
            holder
                .iter()
                .any(|r| r.qualification.is_medical_assistance())
        );
        // Someone else's birth date finds nothing.
        let other = add_months_clamped(aid.birthdate, -1);
        let none = store::ticket_holder_records(&state.db, &payer, &beneficiary, other)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(none.is_empty());
        let card = RecordIndex::new(&holder).determine(
            &QueryKey::Card {
                person: aided.clone(),
            },
            today(),
        );
        assert_eq!(card.validity, QualificationValidity::Valid);

        // 委託先一括取得: the tickets of last month naming the institution on one of them.
        let ticket = block.tickets.first().unwrap_or_else(|| panic!("a ticket"));
        let listed = store::entrusted_tickets(
            &state.db,
            ticket.designated_institution.as_str(),
            ticket.month,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            listed
                .iter()
                .any(|t| t.person == aided && &t.ticket == ticket)
        );
        assert!(listed.iter().all(|t| {
            t.ticket.designated_institution == ticket.designated_institution
                && t.qualification.is_medical_assistance()
        }));
        // Demo institutions are named on some tickets (over all months of the population).
        let mut demo_named = 0;
        for code in DEMO_INSTITUTIONS {
            for back in 0..3 {
                let month = add_months_clamped(today(), -back);
                demo_named += store::entrusted_tickets(&state.db, code, month)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"))
                    .len();
            }
        }
        assert!(demo_named > 0, "{url}");

        // デモ　花子: medications (three years), diagnoses and check-ups.
        let since = add_months_clamped(today(), -36);
        let meds = store::medications(&state.db, "P00000000", since)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(meds.len() > 50, "{}", meds.len());
        assert!(
            meds.windows(2)
                .all(|w| w[0].dispensed_on <= w[1].dispensed_on)
        );
        assert!(meds.iter().all(|d| !d.drugs.is_empty()));
        assert_eq!(meds[0].prescriber.code, DEMO_INSTITUTIONS[2]);
        let recent = store::medications(&state.db, "P00000000", add_months_clamped(today(), -1))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!recent.is_empty() && recent.len() < meds.len());
        let dx = store::diagnoses(&state.db, "P00000000", add_months_clamped(today(), -60))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(dx.iter().any(|d| d.code == "I10"));
        let checks = store::checkups(&state.db, "P00000000", add_months_clamped(today(), -60))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(checks.iter().all(|c| !c.items.is_empty()));
        let json = serde_json::to_value(&meds[0]).unwrap_or_else(|e| panic!("{e}"));
        assert!(json["dispensed_on"].as_str().is_some_and(|d| d.len() == 8));
    }
}

#[tokio::test]
async fn seeding_twice_is_refused() {
    for url in testing::fresh_databases().await {
        let state = seeded(&url, false).await;
        let again = population::seed(
            &state,
            SeedOptions {
                people: 10,
                demo_cards: false,
            },
        )
        .await;
        let e = again
            .err()
            .unwrap_or_else(|| panic!("{url}: second seed accepted"));
        assert_eq!(e.code, "POPULATION_ALREADY_SEEDED");
        assert_eq!(
            store::population_seed(&state.db).await.ok().flatten(),
            Some(testing::TEST_SEED)
        );
    }
}

async fn call(state: &AppState, method: &str, uri: &str) -> (u16, serde_json::Value) {
    let app = onshi_server::http::router(state.clone());
    let request = axum::http::Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::empty())
        .unwrap_or_else(|e| panic!("{e}"));
    let response = app.oneshot(request).await.unwrap_or_else(|e| panic!("{e}"));
    let status = response.status().as_u16();
    let bytes = response
        .into_body()
        .collect()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

async fn registrations(state: &AppState, person: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM card_registrations WHERE person_id = $1")
        .bind(person)
        .fetch_one(&state.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn cards_for_the_demo_holders_and_for_anyone_on_demand() {
    for url in testing::fresh_databases().await {
        let state = seeded(&url, true).await;
        for i in 0..4 {
            assert_eq!(registrations(&state, &format!("P0000000{i}")).await, 1);
        }

        let (status, body) = call(&state, "POST", "/v1/sandbox/persons/P00000123/card").await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["sandbox_only"], true);
        assert_eq!(body["card"]["card_index"], 4);
        assert_eq!(body["card"]["pin"], "1234");
        assert_eq!(body["card"]["token"], "card");
        assert_eq!(registrations(&state, "P00000123").await, 1);
        // Asking again gives the same card.
        let (_, again) = call(&state, "POST", "/v1/sandbox/persons/P00000123/card").await;
        assert_eq!(again["card"], body["card"]);

        let (status, phone) = call(
            &state,
            "POST",
            "/v1/sandbox/persons/P00000124/card?variant=iphone",
        )
        .await;
        assert_eq!(status, 200, "{phone}");
        assert_eq!(phone["card"]["card_index"], 6);
        assert_eq!(phone["card"]["token"], "iphone");

        let (status, missing) = call(&state, "POST", "/v1/sandbox/persons/P99999999/card").await;
        assert_eq!(status, 404);
        assert_eq!(missing["error"]["code"], "PERSON_NOT_FOUND");

        let (status, list) = call(&state, "GET", "/v1/sandbox/people?kind=job_changer").await;
        assert_eq!(status, 200, "{list}");
        let people = list["people"].as_array().cloned().unwrap_or_default();
        assert!(!people.is_empty());
        assert!(people.iter().all(|p| {
            p["kinds"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "job_changer"))
        }));
        assert!(people.iter().all(|p| {
            p["records"]
                .as_array()
                .is_some_and(|r| r.iter().any(|r| r["covers_today"] == false))
        }));

        let (status, all) = call(&state, "GET", "/v1/sandbox/people").await;
        assert_eq!(status, 200);
        let demo = all["people"]
            .as_array()
            .and_then(|p| p.iter().find(|p| p["person_id"] == "P00000000").cloned())
            .unwrap_or_else(|| panic!("demo holder listed: {all}"));
        assert_eq!(demo["card_index"], 0);

        let (status, bad) = call(&state, "GET", "/v1/sandbox/people?kind=martian").await;
        assert_eq!(status, 400);
        assert_eq!(bad["error"]["code"], "POPULATION_KIND_UNKNOWN");
    }
}

//! The patient's consent session end to end against the service's own functions: a demo card signs
//! the session's challenge (the PIN goes to the virtual card only), the certificate maps to the
//! registered person, consents and the care relationship are stored, the receipt verifies.

use onshi_core::card::demo::{self, DEMO_CARDS};
use onshi_core::card::jpki::{self, Authenticate, CertificateRead, LastTry};
use onshi_core::card::pin::Pin;
use onshi_core::consent::{Answer, ConsentItem, ConsentState};
use onshi_core::facility::{FacilityKind, OperatingType};
use onshi_core::flows::CertificateHolder;
use onshi_server::consent::session::{self, CardProof, SessionRequest, VisualProof};
use onshi_server::consent::{receipt, store};
use onshi_server::institutions::Institution;
use onshi_server::registry;
use onshi_server::state::AppState;
use onshi_server::testing::{self, TEST_SEED};

const STATION: &str = "0110113719";

async fn setup(state: &AppState) -> demo::IssuedDemoCard {
    let now = testing::test_now();
    Institution {
        code: STATION.into(),
        name: "デモ訪問診療所".into(),
        facility: FacilityKind::MedicalClinic,
        operating: OperatingType::ConsentAtHome,
    }
    .save(&state.db, now)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let q = serde_json::from_value(serde_json::json!({
        "card_classification": "01", "insurer_number": "06139992", "number": "1234",
        "name": "デモ　花子", "sex1": "2", "birthdate": "19500401",
        "qualification_date": "20100401"
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
    testing::register_demo_card(state, "person-1", 0, now).await
}

fn hex(b: &[u8]) -> String {
    onshi_core::card::host::to_hex(b)
}

fn sign(card: &mut demo::IssuedDemoCard, pin: &str, challenge: &str) -> Result<CardProof, String> {
    let challenge = onshi_core::card::host::from_hex(challenge).ok_or("challenge")?;
    let pin = Pin::new(pin).map_err(|e| e.to_string())?;
    let auth = Authenticate::new(pin, &challenge, LastTry::Refuse, CertificateRead::Read);
    let done = jpki::run(auth, &mut card.card).map_err(|e| e.to_string())?;
    Ok(CardProof {
        certificate: hex(&done.certificate.ok_or("no certificate")?),
        signature: hex(&done.signature),
        holder: CertificateHolder::Card,
    })
}

fn institution_url_request() -> SessionRequest {
    SessionRequest {
        answers: vec![
            (ConsentItem::CareAndMedication, Answer::Agree),
            (ConsentItem::Surgery, Answer::Agree),
            (ConsentItem::HealthCheckups, Answer::Decline),
            (ConsentItem::SpecificDisease, Answer::Agree),
        ],
        agree_to_all: false,
        planned_date: None,
        setting: None,
    }
}

#[tokio::test]
async fn a_first_home_visit_registers_consent_after_the_card_signs() {
    for url in testing::fresh_databases().await {
        let (state, _) = testing::state(&url, testing::test_now()).await;
        let mut card = setup(&state).await;
        let institution = Institution::get(&state.db, STATION)
            .await
            .unwrap_or_else(|e| panic!("{e}"));

        // Unanswered items are refused before anything is stored.
        let mut partial = institution_url_request();
        partial.answers.pop();
        let refused = session::start(&state, &institution, false, partial).await;
        assert_eq!(
            refused.err().map(|e| e.code),
            Some("CONSENT_UNANSWERED".into())
        );

        let started = session::start(&state, &institution, false, institution_url_request())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(started.challenge.len(), 64);

        // A signature over another challenge does not verify and is counted.
        let wrong =
            sign(&mut card, DEMO_CARDS[0].pin, &"00".repeat(32)).unwrap_or_else(|e| panic!("{e}"));
        let refused = session::complete_with_card(&state, &started.session, &wrong).await;
        assert_eq!(
            refused.err().map(|e| e.code),
            Some("CERT_SIGNATURE_INVALID".into()),
            "{url}"
        );

        let proof = sign(&mut card, DEMO_CARDS[0].pin, &started.challenge)
            .unwrap_or_else(|e| panic!("{e}"));
        let registered = session::complete_with_card(&state, &started.session, &proof)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        // The receipt verifies under the published key and states what was agreed.
        let bytes = base64_decode(&registered.receipt);
        let statement = receipt::verify(&bytes, &state.keys.receipt_public_key())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(statement.institution, STATION);
        assert_eq!(statement.items.len(), 4);

        // A retry with the same card gets the same receipt; nothing is registered twice.
        let again = session::complete_with_card(&state, &started.session, &proof)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.receipt_id, registered.receipt_id);
        let consents = store::current_consents(&state.db, "person-1", Some(STATION))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(consents.len(), 4, "{url}");
        let now = testing::test_now();
        let medication = consents
            .iter()
            .find(|c| c.consent.item == ConsentItem::CareAndMedication)
            .map(|c| c.consent.state_at(now, true));
        assert_eq!(medication, Some(ConsentState::Active));
        let cares = store::cares(&state.db, STATION)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cares.len(), 1);
        assert!(cares[0].active);
    }
}

#[tokio::test]
async fn an_unregistered_card_and_a_foreign_visual_check_are_refused() {
    for url in testing::fresh_databases().await {
        let (state, _) = testing::state(&url, testing::test_now()).await;
        setup(&state).await;
        let institution = Institution::get(&state.db, STATION)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let started = session::start(&state, &institution, false, institution_url_request())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        // Demo card 2 (another card of the same TEST root) is not registered to anyone.
        let mut stranger =
            demo::issue(TEST_SEED, 1, testing::test_now().date()).unwrap_or_else(|e| panic!("{e}"));
        let proof = sign(&mut stranger, DEMO_CARDS[1].pin, &started.challenge)
            .unwrap_or_else(|e| panic!("{e}"));
        let refused = session::complete_with_card(&state, &started.session, &proof).await;
        assert_eq!(
            refused.err().map(|e| e.code),
            Some("CARD_NOT_REGISTERED".into())
        );

        let visual = VisualProof {
            certificate: proof.certificate.clone(),
            holder: CertificateHolder::Card,
        };
        let refused =
            session::complete_visual(&state, &started.session, "1310000000", &visual).await;
        assert_eq!(
            refused.err().map(|e| e.code),
            Some("VISUAL_CHECK_NOT_ALLOWED".into())
        );
        let consents = store::current_consents(&state.db, "person-1", None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(consents.is_empty());
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn reinquiry_follows_the_card_visit_and_stops_after_revocation() {
    use onshi_server::inquiry;
    for url in testing::fresh_databases().await {
        let (state, clock) = testing::state(&url, testing::test_now()).await;
        let mut card = setup(&state).await;
        let institution = Institution::get(&state.db, STATION)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let started = session::start(&state, &institution, false, institution_url_request())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let proof = sign(&mut card, DEMO_CARDS[0].pin, &started.challenge)
            .unwrap_or_else(|e| panic!("{e}"));
        session::complete_with_card(&state, &started.session, &proof)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let care = store::cares(&state.db, STATION)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let patient = care[0].id.clone();

        // A week later, without the card.
        clock.advance(time::Duration::days(7));
        let rows = inquiry::reinquire(
            &state,
            &institution,
            &[patient.clone(), "nobody".into()],
            None,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let answer = rows[0]
            .answer
            .as_ref()
            .unwrap_or_else(|| panic!("{:?}", rows[0].refused));
        assert_eq!(answer.determination.code, "QUAL_VALID");
        assert_eq!(
            rows[1].refused.as_ref().map(|e| e.code.as_str()),
            Some("PATIENT_NOT_FOUND")
        );

        // The patient revokes everything: the next visit needs the card again.
        let mut tx = state
            .db
            .pool
            .begin()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        store::revoke(
            &mut tx,
            &care[0].person,
            None,
            onshi_core::consent::RevokedBy::Patient,
            state.now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
        let rows = inquiry::reinquire(&state, &institution, &[patient], None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            rows[0].refused.as_ref().map(|e| e.code.as_str()),
            Some("REINQUIRY_NOT_ALLOWED"),
            "{url}"
        );
    }
}

//! 医療扶助 through the service on the synthetic population: a check by a 医療券's numbers, and
//! 委託先資格情報の一括取得 for an institution named on this month's tickets.

use onshi_core::facility::{FacilityKind, OperatingType};
use onshi_server::institutions::Institution;
use onshi_server::population::{self, store::SeedOptions};
use onshi_server::{inquiry, testing};
use sqlx::Row;

#[tokio::test]
async fn tickets_are_checked_and_listed_for_their_institution() {
    for url in testing::fresh_databases().await {
        let (state, _) = testing::state(&url, testing::test_now()).await;
        population::seed(
            &state,
            SeedOptions {
                people: 3_000,
                demo_cards: false,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        // An institution named on some ticket of this month.
        let month = testing::test_now()
            .date()
            .replace_day(1)
            .unwrap_or_else(|e| panic!("{e}"));
        let row = sqlx::query(
            "SELECT institution_code, COUNT(*) AS n FROM medical_tickets WHERE month = $1 \
             GROUP BY institution_code ORDER BY n DESC, institution_code LIMIT 1",
        )
        .bind(onshi_core::jst::format_date(month))
        .fetch_one(&state.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let code: String = row
            .try_get("institution_code")
            .unwrap_or_else(|e| panic!("{e}"));
        let named: i64 = row.try_get("n").unwrap_or_else(|e| panic!("{e}"));
        let institution = Institution {
            code: code.clone(),
            name: "医療扶助の委託先".into(),
            facility: FacilityKind::MedicalClinic,
            operating: OperatingType::Standard,
        };
        institution
            .save(&state.db, state.now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let listed = inquiry::entrusted(&state, &institution, month)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(listed.len() as i64, named, "{url}");
        for answer in &listed {
            let aid = answer
                .qualification
                .as_ref()
                .and_then(|q| q.medical_assistance.as_ref())
                .unwrap_or_else(|| panic!("no 医療扶助 block"));
            // Only this institution's tickets are shown.
            assert!(
                aid.tickets
                    .iter()
                    .all(|t| t.designated_institution.as_str() == code)
            );
        }

        // A check by one recipient's 医療券 numbers.
        let row = sqlx::query(
            "SELECT public_expense_number, recipient_number, birthdate FROM qualifications \
             WHERE public_expense_number IS NOT NULL ORDER BY id LIMIT 1",
        )
        .fetch_one(&state.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let check = inquiry::TicketCheck {
            payer: row
                .try_get("public_expense_number")
                .unwrap_or_else(|e| panic!("{e}")),
            beneficiary: row
                .try_get("recipient_number")
                .unwrap_or_else(|e| panic!("{e}")),
            birthdate: row.try_get("birthdate").unwrap_or_else(|e| panic!("{e}")),
            date: None,
        };
        let answer = inquiry::check_ticket(&state, &institution, &check)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            answer
                .qualification
                .is_some_and(|q| q.is_medical_assistance())
        );
        assert!(answer.medical_assistance_pattern.is_some());
        // Unknown numbers are 該当資格なし, not an error.
        let mut unknown = check;
        unknown.birthdate = "19000101".into();
        let answer = inquiry::check_ticket(&state, &institution, &unknown)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(answer.determination.code, "QUAL_NOT_FOUND");
    }
}

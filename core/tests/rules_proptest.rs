//! Properties of the rules over arbitrary input: no panics, windows monotone in time, revocation wins.

use onshi_core::api::{RULES, call};
use onshi_core::consent::{
    Answer, CareSetting, Consent, ConsentItem, ConsentState, OnlineWindowEnd, RevokedBy,
    resolve_window,
};
use onshi_core::jst::{Duration, JstDateTime};
use proptest::prelude::*;
use time::macros::datetime;

const SETTINGS: [CareSetting; 6] = [
    CareSetting::Outpatient,
    CareSetting::FeverClinic,
    CareSetting::HouseCall,
    CareSetting::HomeVisit,
    CareSetting::InpatientBedside,
    CareSetting::OnlineConsultation,
];

fn base() -> JstDateTime {
    datetime!(2026-11-21 09:00:00)
}

fn agreed(setting: usize, given_offset: i64, planned_days: i64) -> Option<Consent> {
    let given_at = base() + Duration::seconds(given_offset);
    let planned = Some(given_at.date() + Duration::days(planned_days));
    let window = resolve_window(
        SETTINGS[setting],
        given_at,
        planned,
        OnlineWindowEnd::default(),
    )
    .ok()?;
    Some(Consent {
        item: ConsentItem::CareAndMedication,
        answer: Answer::Agree,
        given_at,
        window,
        revoked: None,
    })
}

proptest! {
    /// Any rule name and any request text get a JSON answer, never a panic.
    #[test]
    fn call_never_panics(rule in 0usize..10, request in any::<String>()) {
        let name = RULES.get(rule).copied().unwrap_or("unknown");
        let answer: serde_json::Value = serde_json::from_str(&call(name, &request)).unwrap();
        prop_assert!(answer.get("ok").is_some() || answer.get("error").is_some());
    }

    /// Once a consent is no longer active, it never becomes active again later.
    #[test]
    fn windows_are_monotone(setting in 0usize..6, offset in 0i64..1_000_000, planned in 0i64..30,
                            t1 in 0i64..5_000_000, dt in 0i64..5_000_000, care in any::<bool>()) {
        if let Some(c) = agreed(setting, offset, planned) {
            let early = base() + Duration::seconds(t1);
            let late = early + Duration::seconds(dt);
            if c.state_at(late, care) == ConsentState::Active {
                prop_assert!(early < c.given_at || c.state_at(early, care) == ConsentState::Active);
            }
        }
    }

    /// After a revocation, the consent is revoked at every later moment, whatever the window.
    #[test]
    fn revoke_always_wins(setting in 0usize..6, offset in 0i64..100_000, revoke_after in 0i64..10_000_000,
                          later in 0i64..10_000_000, by in 0usize..3, care in any::<bool>()) {
        if let Some(mut c) = agreed(setting, offset, 10) {
            let by = [RevokedBy::Institution, RevokedBy::Patient, RevokedBy::UsageChange][by];
            let at = c.given_at + Duration::seconds(revoke_after);
            c.revoke(by, at);
            prop_assert_eq!(c.state_at(at + Duration::seconds(later), care), ConsentState::Revoked { by });
        }
    }
}

proptest! {
    /// Any bytes as a patient list get a list or a typed error, never a panic; every row error
    /// names a line after the header.
    #[test]
    fn batch_lists_never_panic(body in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut bytes = "保険者番号,番号,生年月日,枝番\n".as_bytes().to_vec();
        bytes.extend(body);
        if let Ok(list) = onshi_core::batch::parse_batch_list(&bytes, 50) {
            prop_assert!(list.errors.iter().all(|e| e.line >= 2));
        }
    }

    /// Any text as a date in a list gets a date or `None`.
    #[test]
    fn any_date_text(s in any::<String>()) {
        let _ = onshi_core::wareki::parse_any_date(&s);
    }
}

proptest! {
    /// Any bytes as an OQS file get text or a typed decoding error; any name a name or an error.
    #[test]
    fn oqs_files_and_names_never_panic(head in 0usize..3, body in proptest::collection::vec(any::<u8>(), 0..300), name in any::<String>()) {
        let decl: &[u8] = [&b""[..], b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>", b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"][head];
        let mut bytes = decl.to_vec();
        bytes.extend(body);
        let _ = onshi_core::oqs::decode_xml(&bytes);
        let _ = name.parse::<onshi_core::oqs::FileName>();
        let _ = format!("OQSsiquc01res_face_{name}.xml").parse::<onshi_core::oqs::FileName>();
    }
}

proptest! {
    /// Any bytes as a 資格確認結果 get a result or a typed error, never a panic.
    #[test]
    fn results_never_panic(body in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = onshi_core::oqs::read_qualification_result(&body);
        let mut xml = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader>".to_vec();
        xml.extend(&body);
        let _ = onshi_core::oqs::read_qualification_result(&xml);
    }
}

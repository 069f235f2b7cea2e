//! What a decision costs: a whole first home visit with the access decision that follows it, and a
//! 10,000-row 一括照会 from CSV to results. Run with `cargo xtask bench`.
#![allow(missing_docs)] // criterion_group! generates an undocumented public function.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use onshi_core::batch::{DEFAULT_MAX_ROWS, evaluate_batch, parse_batch_list};
use onshi_core::consent::{CareSetting, ConsentItem};
use onshi_core::facility::{
    CapabilityQuery, FacilityKind, Information, OperatingType, PharmacyCheckupPolicy,
};
use onshi_core::flows::{
    AccessRequest, CentralAnswer, CertificateHolder, Channel, DeviceOwner, DisasterConsent,
    IdentityMethod, PinOutcome, VisitContext, VisitEvent, VisitState, decide_access, start, step,
};
use onshi_core::ids::check_digit;
use onshi_core::qualification::{Qualification, RecordIndex, RegisteredRecord};
use time::macros::{date, datetime};

fn first_visit() -> bool {
    let ctx = VisitContext {
        facility: FacilityKind::HomeNursingStation,
        setting: CareSetting::HomeVisit,
        channel: Channel::App,
        device: DeviceOwner::Institution,
        planned_date: None,
    };
    let at = datetime!(2026-11-21 10:00:00);
    let events = [
        VisitEvent::AgreeToAll,
        VisitEvent::Confirm,
        VisitEvent::ChooseIdentity {
            method: IdentityMethod::Pin,
        },
        VisitEvent::Pin(PinOutcome::Wrong { remaining: 2 }),
        VisitEvent::Pin(PinOutcome::Verified),
        VisitEvent::CardRead {
            expiry: date!(2030 - 01 - 01),
            holder: CertificateHolder::Card,
            today: date!(2026 - 11 - 21),
        },
        VisitEvent::Central {
            answer: CentralAnswer::Accepted,
            at,
        },
        VisitEvent::Retrieve { at },
    ];
    let Ok(mut state) = start(&ctx) else {
        return false;
    };
    for e in &events {
        match step(&ctx, &state, e) {
            Ok(s) => state = s.state,
            Err(_) => return false,
        }
    }
    let VisitState::Retrieved { consents, .. } = state else {
        return false;
    };
    let request = AccessRequest {
        capability: CapabilityQuery {
            facility: ctx.facility,
            operating_type: OperatingType::ConsentAtHome,
            information: Information::Medication,
            card_used: true,
            licensed_viewer: true,
            pharmacy_checkups: PharmacyCheckupPolicy::default(),
        },
        institution: "1361234568".parse().unwrap_or_else(|e| panic!("{e}")),
        consent: consents
            .into_iter()
            .find(|c| c.item == ConsentItem::CareAndMedication),
        now: datetime!(2026-12-01 09:00:00),
        care_continues: true,
        certificate: None,
        birthdate: None,
        disaster_measures: Vec::new(),
        disaster_consent: DisasterConsent::None,
    };
    decide_access(&request).is_ok()
}

/// `n` people with valid 協会けんぽ-style insurer numbers, and a CSV listing them all.
fn population(n: usize) -> (Vec<RegisteredRecord>, String) {
    let mut records = Vec::with_capacity(n);
    let mut csv = String::from("患者氏名,保険者番号,記号,番号,枝番,生年月日\n");
    for i in 0..n {
        let pref = 1 + (i % 47) as u8;
        let body = [
            0,
            1,
            pref / 10,
            pref % 10,
            ((i / 100) % 10) as u8,
            ((i / 10) % 10) as u8,
            (i % 10) as u8,
        ];
        let insurer: String = body
            .iter()
            .chain(std::iter::once(&check_digit(&body)))
            .map(|d| char::from(b'0' + d))
            .collect();
        let number = format!("{:08}", i);
        let birth = format!("19{:02}{:02}{:02}", 40 + i % 60, 1 + i % 12, 1 + i % 28);
        let q: Qualification = serde_json::from_value(serde_json::json!({
            "card_classification": "01", "insurer_number": insurer, "number": number, "branch": "00",
            "name": "テスト", "sex1": "1", "birthdate": birth, "qualification_date": "20200401",
            "disqualification_date": if i % 10 == 0 { Some("20260401") } else { None },
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        records.push(RegisteredRecord {
            person: format!("p{i}"),
            qualification: q,
        });
        csv.push_str(&format!("患者{i},{insurer},,{number},00,{birth}\n"));
    }
    (records, csv)
}

fn benches(c: &mut Criterion) {
    c.bench_function("first home visit, 8 steps + medical access decision", |b| {
        b.iter(|| black_box(first_visit()))
    });

    let (records, csv) = population(DEFAULT_MAX_ROWS);
    let index = RecordIndex::new(&records);
    let mut group = c.benchmark_group("一括照会 10,000 rows");
    group.sample_size(20);
    group.bench_function("parse CSV", |b| {
        b.iter(|| {
            parse_batch_list(black_box(csv.as_bytes()), DEFAULT_MAX_ROWS).map(|l| l.rows.len())
        })
    });
    let list = parse_batch_list(csv.as_bytes(), DEFAULT_MAX_ROWS).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        list.rows.len(),
        DEFAULT_MAX_ROWS,
        "every generated row parses"
    );
    group.bench_function("evaluate", |b| {
        b.iter(|| evaluate_batch(black_box(&list), &index, date!(2026 - 11 - 21)).valid)
    });
    group.bench_function("index + parse + evaluate", |b| {
        b.iter(|| {
            let index = RecordIndex::new(&records);
            let list = parse_batch_list(csv.as_bytes(), DEFAULT_MAX_ROWS)
                .unwrap_or_else(|e| panic!("{e}"));
            evaluate_batch(&list, &index, date!(2026 - 11 - 21)).valid
        })
    });
    group.finish();
}

criterion_group! {
    name = decisions;
    config = Criterion::default();
    targets = benches
}
criterion_main!(decisions);

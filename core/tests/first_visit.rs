//! The first home visit as a nurse and a patient go through it.

use onshi_core::consent::{Answer, CareSetting, ConsentItem, ConsentState};
use onshi_core::facility::FacilityKind;
use onshi_core::flows::{
    CentralAnswer, CertificateHolder, Channel, DeviceOwner, IdentityMethod, PinOutcome,
    VisitContext, VisitEvent, VisitState, start, step,
};
use time::macros::{date, datetime};

fn ctx(channel: Channel, device: DeviceOwner, setting: CareSetting) -> VisitContext {
    VisitContext {
        facility: FacilityKind::HomeNursingStation,
        setting,
        channel,
        device,
        planned_date: None,
    }
}

fn run(ctx: &VisitContext, events: &[VisitEvent]) -> (VisitState, Vec<&'static str>) {
    let mut state = start(ctx)
        .unwrap_or_else(|r| panic!("a home-nursing station may take consent at home: {r}"));
    let mut notices = Vec::new();
    for e in events {
        let s = step(ctx, &state, e)
            .unwrap_or_else(|r| panic!("{e:?} refused in {}: {r}", state.name()));
        notices.extend(s.notice.map(|n| n.code));
        state = s.state;
    }
    (state, notices)
}

fn card_read() -> VisitEvent {
    VisitEvent::CardRead {
        expiry: date!(2030 - 01 - 01),
        holder: CertificateHolder::Card,
        today: date!(2026 - 11 - 21),
    }
}

#[test]
fn first_home_visit_with_one_wrong_pin() {
    let c = ctx(
        Channel::App,
        DeviceOwner::Institution,
        CareSetting::HomeVisit,
    );
    let at = datetime!(2026-11-21 10:00:00);
    let (state, notices) = run(
        &c,
        &[
            VisitEvent::AgreeToAll,
            VisitEvent::Answer {
                item: ConsentItem::HealthCheckups,
                answer: Answer::Decline,
            },
            VisitEvent::Confirm,
            VisitEvent::ChooseIdentity {
                method: IdentityMethod::Pin,
            },
            VisitEvent::Pin(PinOutcome::Wrong { remaining: 2 }),
            VisitEvent::Pin(PinOutcome::Verified),
            card_read(),
            VisitEvent::Central {
                answer: CentralAnswer::Accepted,
                at,
            },
            VisitEvent::Retrieve {
                at: datetime!(2026-11-21 10:05:00),
            },
        ],
    );
    assert_eq!(notices, ["CARD_PIN_WRONG"]);
    let VisitState::Retrieved {
        consents,
        qualification_only,
        viewable_until,
    } = state
    else {
        panic!("not retrieved: {state:?}");
    };
    assert!(!qualification_only);
    assert_eq!(viewable_until, datetime!(2026-11-22 10:05:00));
    let checkups = consents
        .iter()
        .find(|c| c.item == ConsentItem::HealthCheckups)
        .unwrap();
    assert_eq!(checkups.state_at(at, true), ConsentState::Declined);
    let care = consents
        .iter()
        .find(|c| c.item == ConsentItem::CareAndMedication)
        .unwrap();
    // Home visits: active while care continues, however long.
    assert_eq!(
        care.state_at(datetime!(2028-01-01 00:00:00), true),
        ConsentState::Active
    );
}

#[test]
fn locked_pin_on_the_web_stops_and_the_app_offers_the_visual_check() {
    let web = ctx(
        Channel::Web,
        DeviceOwner::Institution,
        CareSetting::HomeVisit,
    );
    let events = [
        VisitEvent::AgreeToAll,
        VisitEvent::Confirm,
        VisitEvent::ChooseIdentity {
            method: IdentityMethod::Pin,
        },
        VisitEvent::Pin(PinOutcome::Wrong { remaining: 1 }),
        VisitEvent::Pin(PinOutcome::Locked),
    ];
    let (state, notices) = run(&web, &events);
    assert_eq!(notices, ["CARD_PIN_WRONG", "CARD_PIN_LOCKED"]);
    let refused = step(
        &web,
        &state,
        &VisitEvent::ChooseIdentity {
            method: IdentityMethod::Visual,
        },
    )
    .unwrap_err();
    assert_eq!(refused.code, "VISUAL_CHECK_NOT_ALLOWED");

    let app = ctx(
        Channel::App,
        DeviceOwner::Institution,
        CareSetting::HomeVisit,
    );
    let (state, _) = run(&app, &events);
    let next = step(
        &app,
        &state,
        &VisitEvent::ChooseIdentity {
            method: IdentityMethod::Visual,
        },
    )
    .unwrap();
    assert!(matches!(
        next.state,
        VisitState::AwaitingIdentity {
            method: IdentityMethod::Visual,
            ..
        }
    ));
}

#[test]
fn a_patients_own_phone_never_offers_the_visual_check() {
    let mut c = ctx(
        Channel::App,
        DeviceOwner::Patient,
        CareSetting::OnlineConsultation,
    );
    c.planned_date = Some(date!(2026 - 11 - 25));
    let (state, _) = run(&c, &[VisitEvent::AgreeToAll, VisitEvent::Confirm]);
    let r = step(
        &c,
        &state,
        &VisitEvent::ChooseIdentity {
            method: IdentityMethod::Visual,
        },
    )
    .unwrap_err();
    assert_eq!(r.code, "VISUAL_CHECK_NOT_ALLOWED");
}

#[test]
fn online_consultation_needs_the_planned_date() {
    let c = ctx(
        Channel::Web,
        DeviceOwner::Patient,
        CareSetting::OnlineConsultation,
    );
    let (state, _) = run(&c, &[VisitEvent::AgreeToAll]);
    assert_eq!(
        step(&c, &state, &VisitEvent::Confirm).unwrap_err().code,
        "CONSENT_PLANNED_DATE_MISSING"
    );
}

#[test]
fn an_expired_certificate_in_grace_registers_qualification_only() {
    let c = ctx(
        Channel::App,
        DeviceOwner::Institution,
        CareSetting::HomeVisit,
    );
    let (state, notices) = run(
        &c,
        &[
            VisitEvent::AgreeToAll,
            VisitEvent::Confirm,
            VisitEvent::ChooseIdentity {
                method: IdentityMethod::Visual,
            },
            VisitEvent::VisualConfirmed,
            VisitEvent::CardRead {
                expiry: date!(2026 - 10 - 15),
                holder: CertificateHolder::Card,
                today: date!(2026 - 11 - 21),
            },
            VisitEvent::Central {
                answer: CentralAnswer::Accepted,
                at: datetime!(2026-11-21 10:00:00),
            },
        ],
    );
    assert_eq!(notices, ["CARD_CERT_EXPIRED_GRACE", "QUALIFICATION_ONLY"]);
    assert_eq!(
        state,
        VisitState::Registered {
            consents: Vec::new(),
            qualification_only: true
        }
    );
}

#[test]
fn unanswered_items_and_illegal_steps_are_refused() {
    let c = ctx(
        Channel::Web,
        DeviceOwner::Institution,
        CareSetting::HomeVisit,
    );
    let (state, _) = run(
        &c,
        &[VisitEvent::Answer {
            item: ConsentItem::Surgery,
            answer: Answer::Agree,
        }],
    );
    assert_eq!(
        step(&c, &state, &VisitEvent::Confirm).unwrap_err().code,
        "CONSENT_ANSWERS_MISSING"
    );
    assert_eq!(
        step(&c, &state, &VisitEvent::Pin(PinOutcome::Verified))
            .unwrap_err()
            .code,
        "ILLEGAL_TRANSITION"
    );
}

#[test]
fn a_judo_therapy_clinic_cannot_start_a_home_visit() {
    let mut c = ctx(
        Channel::App,
        DeviceOwner::Institution,
        CareSetting::HomeVisit,
    );
    c.facility = FacilityKind::JudoTherapyClinic;
    assert_eq!(start(&c).unwrap_err().code, "FACILITY_NOT_ALLOWED");
}

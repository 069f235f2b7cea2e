//! 合成人口の生成 (the synthetic population generator): a pure, deterministic function from a seed, a
//! person index and today's date to one person — their qualification records as insurers and
//! welfare offices would register them, and their medical history.
//!
//! Records follow the age rules core checks ([`check_record`] gives no warning on the day each
//! record is judged: today for a current record, its last covered day for a lost one): 未就学 20 %,
//! 6–69 30 %, 70–74 20 % or 30 % with a 高齢受給者証, 75 and over 後期高齢者医療 10/20/30 %.

use onshi_core::codes::{
    InsuredCardClassification, LimitCategory, LimitCertificateKind, MedicalTreatmentType,
    PersonalFamilyClassification, ReasonOfLoss, Sex, SingleOrCombinedUse, SpecificDisease,
    TicketType,
};
use onshi_core::ids::InsuranceProgram;
use onshi_core::jst::{Date, Duration, Month, add_months_clamped, age_on};
use onshi_core::qualification::{
    CopayRatio, DataWarning, ElderlyRecipientCertificate, LimitCertificate, MedicalAssistance,
    MedicalTicket, Qualification, SpecificDiseaseCertificate, check_record,
};

use super::catalog::{
    FacilityRole, Insurer, POOL_SIZE, Scheme, defense_family_insurer, facility, insurer_of,
    with_check_digit,
};
use super::history::{self, Condition, History, Profile};
use super::household::{BLOCK, Event, Household, Member, Role, is_employer, plan_block};
use super::names::{FAMILY_NAMES, GIVEN_NAMES, TOWNS, full_width_digits, half_width_kana};
use super::rng::{Purpose, Stream};
use super::{DEMO_INSTITUTIONS, PersonKind};

/// One synthetic person: the registry key, what kind of case they are, their records and history.
#[derive(Debug, Clone)]
pub struct SyntheticPerson {
    /// The person key in the registry (`P` and the index, 8 digits or more).
    pub id: String,
    /// The index in the population.
    pub index: u64,
    /// 世帯: the household key (the index of its head).
    pub household: u64,
    /// The kinds of case this person is an example of.
    pub kinds: Vec<PersonKind>,
    /// 生年月日.
    pub birthdate: Date,
    /// 資格情報 as registered, oldest first.
    pub records: Vec<Qualification>,
    /// 薬剤・診療・特定健診 history.
    pub history: History,
}

/// The registry key of person `index`.
pub fn person_id(index: u64) -> String {
    format!("P{index:08}")
}

/// The index of a person key made by [`person_id`].
pub fn index_of(id: &str) -> Option<u64> {
    id.strip_prefix('P')
        .filter(|d| d.len() >= 8 && d.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|d| d.parse().ok())
}

/// Generates person `index` of the population `seed` as of `today`. Persons 0–3 are the holders of
/// the four demo cards (`DEMO_CARDS[i].holder`).
pub fn person(seed: u64, index: u64, today: Date) -> SyntheticPerson {
    if index < BLOCK {
        let (household, overrides) = demo_household(index, today);
        return build(seed, &household, index, today, &overrides);
    }
    let households = plan_block(seed, index / BLOCK, today);
    let found = households
        .iter()
        .find(|h| h.member(index).is_some())
        .or_else(|| households.first());
    match found {
        Some(h) => build(seed, h, index, today, &Overrides::default()),
        // Every block fills its four slots (a test checks it); an empty plan is not reachable,
        // but it still yields a person without records rather than a panic.
        None => SyntheticPerson {
            id: person_id(index),
            index,
            household: index,
            kinds: vec![PersonKind::Lost],
            birthdate: today,
            records: Vec::new(),
            history: History::default(),
        },
    }
}

/// What the demo card holders have instead of random draws.
#[derive(Debug, Clone, Default)]
struct Overrides {
    family: Option<(&'static str, &'static str)>,
    given: Option<(&'static str, &'static str)>,
    address: Option<&'static str>,
    conditions: Option<Vec<Condition>>,
    home_clinic: Option<&'static str>,
    late_copay: Option<u8>,
    limit: Option<LimitCategory>,
    dialysis: bool,
    turned_75_prior: bool,
}

/// 霞が関 address printed in the demo cards' 券面事項入力補助 data.
const DEMO_ADDRESS: &str = "東京都千代田区霞が関１丁目２番２号";

fn date(y: i32, m: Month, d: u8, fallback: Date) -> Date {
    Date::from_calendar_date(y, m, d).unwrap_or(fallback)
}

fn demo_household(index: u64, today: Date) -> (Household, Overrides) {
    let tokyo = &super::names::PLACES[0];
    let member = |role, female, birth| Member {
        index,
        role,
        female,
        birth,
        own_scheme: None,
    };
    let base = |m: Member, scheme, since, job_change| Household {
        id: index,
        members: vec![m],
        family: 0,
        place: tokyo,
        municipality: 0,
        street: (0, 1, 2, 2),
        post: "100-8916".to_owned(),
        scheme,
        since,
        job_change,
        event: Event::None,
    };
    let demo = Some(("デモ", "デモ"));
    match index {
        // デモ　花子: 76, a home-visit patient of the demo clinic with years of medication; her
        // 国保 was lost on her 75th birthday when 後期高齢者医療 began.
        0 => (
            base(
                member(Role::Head, true, date(1950, Month::April, 1, today)),
                Scheme::Kokuho,
                date(2010, Month::April, 1, today),
                None,
            ),
            Overrides {
                family: demo,
                given: Some(("花子", "ハナコ")),
                address: Some(DEMO_ADDRESS),
                conditions: Some(vec![
                    Condition::Hypertension,
                    Condition::Osteoporosis,
                    Condition::Insomnia,
                    Condition::Constipation,
                    Condition::Dementia,
                ]),
                home_clinic: Some(DEMO_INSTITUTIONS[2]),
                late_copay: Some(10),
                turned_75_prior: true,
                ..Overrides::default()
            },
        ),
        // デモ　太郎: 45, 協会けんぽ 本人 with a 限度額適用認定証 (区分ウ).
        1 => {
            let mut h = base(
                member(Role::Head, false, date(1981, Month::June, 15, today)),
                Scheme::Kyokai,
                date(2004, Month::April, 1, today),
                None,
            );
            h.municipality = 2;
            (
                h,
                Overrides {
                    family: demo,
                    given: Some(("太郎", "タロウ")),
                    conditions: Some(vec![Condition::Dyslipidemia, Condition::Reflux]),
                    limit: Some(LimitCategory::U),
                    ..Overrides::default()
                },
            )
        }
        // デモ　次郎: 38, changed jobs on 1 April 2026 — his old 健保組合 numbers answer
        // 無効（新しい資格あり）; now 東京都職員共済組合.
        2 => {
            let changed = date(2026, Month::April, 1, today).min(today);
            let mut h = base(
                member(Role::Head, false, date(1988, Month::September, 3, today)),
                Scheme::MutualAid(3),
                changed,
                Some((
                    Scheme::Society(0),
                    date(2011, Month::April, 1, today),
                    changed,
                )),
            );
            h.municipality = 11;
            (
                h,
                Overrides {
                    family: demo,
                    given: Some(("次郎", "ジロウ")),
                    conditions: Some(vec![Condition::Asthma]),
                    ..Overrides::default()
                },
            )
        }
        // デモ　梅子: 76 (the demo card's 券面 birth date), on dialysis with a 特定疾病療養受療証;
        // her card's certificate expired 40 days ago (grace: qualification only).
        _ => {
            let mut h = base(
                member(Role::Head, true, date(1950, Month::April, 1, today)),
                Scheme::Kokuho,
                date(2012, Month::April, 1, today),
                None,
            );
            h.municipality = 11;
            (
                h,
                Overrides {
                    family: demo,
                    given: Some(("梅子", "ウメコ")),
                    address: Some(DEMO_ADDRESS),
                    conditions: Some(vec![Condition::Dialysis, Condition::Hypertension]),
                    late_copay: Some(10),
                    dialysis: true,
                    ..Overrides::default()
                },
            )
        }
    }
}

fn generation(birth: Date) -> usize {
    match birth.year() {
        ..=1955 => 0,
        1956..=1989 => 1,
        _ => 2,
    }
}

fn given_name(seed: u64, m: &Member) -> (&'static str, &'static str) {
    let list = GIVEN_NAMES[generation(m.birth)][usize::from(m.female)];
    let mut rng = Stream::new(seed, Purpose::Name, m.index);
    rng.pick(list).copied().unwrap_or(("一郎", "イチロウ"))
}

/// One period of coverage by one insurer (one record).
struct Coverage {
    insurer: Insurer,
    card: InsuredCardClassification,
    symbol: Option<String>,
    number: String,
    branch: String,
    family: PersonalFamilyClassification,
    /// 被保険者氏名（世帯主氏名）; `None` for the insured person's own record.
    insured_name: Option<String>,
    from: Date,
    until: Option<Date>,
    reason: Option<ReasonOfLoss>,
}

/// The household's card numbers under `scheme` (`old`: the numbers of a previous insurer, kept
/// apart so old and new numbers never collide). Unique per household: a bijection of its key.
fn card_numbers(scheme: Scheme, h: &Household, old: bool) -> (Option<String>, String) {
    let n = (h.id.wrapping_mul(1_234_567).wrapping_add(424_242)) % 5_000_000
        + if old { 5_000_000 } else { 0 };
    let muni = h.place.municipalities[h.municipality % h.place.municipalities.len()];
    match scheme {
        Scheme::Kyokai => (
            Some(format!("{}", 1_000_000 + (h.id * 31) % 9_000_000)),
            n.to_string(),
        ),
        Scheme::Seamen => (Some(format!("{:04}", h.id % 10_000)), n.to_string()),
        Scheme::Society(_) => (Some(format!("{}", 100 + h.id % 900)), n.to_string()),
        Scheme::SelfDefense => (
            Some(format!(
                "{}{:02}",
                ["陸自", "海自", "空自"][(h.id % 3) as usize],
                h.id % 97
            )),
            n.to_string(),
        ),
        Scheme::MutualAid(_) => (Some(format!("{:02}", 10 + h.id % 80)), n.to_string()),
        Scheme::Kokuho => (
            Some(format!(
                "{}{:02}",
                muni.name.chars().take(2).collect::<String>(),
                h.id % 100
            )),
            format!("{n:07}"),
        ),
        Scheme::KokuhoUnion(_) => (Some(format!("{:02}", 1 + h.id % 50)), format!("{n:07}")),
        Scheme::LateStage => (None, String::new()),
    }
}

fn late_stage_number(index: u64) -> String {
    format!(
        "{:08}",
        (index.wrapping_mul(2_718_281).wrapping_add(1)) % 100_000_000
    )
}

/// The first day of the 8月–7月 cycle (限度額・高齢受給者証 are renewed each 1 August) holding `d`.
fn cycle_start(d: Date) -> Date {
    let year = if d.month() >= Month::August {
        d.year()
    } else {
        d.year() - 1
    };
    date(year, Month::August, 1, d)
}

fn cycle_end(d: Date) -> Date {
    let start = cycle_start(d);
    date(start.year() + 1, Month::July, 31, d)
}

/// The person-level draws, made in a fixed order from the person's own stream.
struct Draws {
    late_copay: u8,
    elderly_copay: u8,
    limit: Option<u64>,
    dialysis: bool,
    hemophilia: bool,
    demo_ticket: Option<usize>,
}

/// Who a record is for: the person and how their name and address are written.
struct Identity<'a> {
    m: &'a Member,
    name: &'a str,
    kana: &'a str,
    address: &'a str,
    post: &'a str,
}

fn record(who: &Identity<'_>, c: &Coverage, draws: &Draws, today: Date) -> Qualification {
    let late_stage = c
        .insurer
        .number
        .as_ref()
        .and_then(|n| n.program())
        .is_some_and(|p| p == InsuranceProgram::LateStageElderly);
    // Judged on its last covered day when lost, today when current.
    let as_of = c
        .until
        .and_then(|u| u.previous_day())
        .map_or(today, |d| d.min(today));
    let m = who.m;
    let age = age_on(m.birth, as_of);
    let mut q = Qualification {
        card_classification: c.card,
        insurer_number: c.insurer.number.clone(),
        insurer_name: Some(c.insurer.name.clone()),
        symbol: c.symbol.as_deref().and_then(|s| s.parse().ok()),
        number: c.number.parse().ok(),
        branch: c.branch.parse().ok(),
        personal_family: Some(c.family),
        insured_name: Some(
            c.insured_name
                .clone()
                .unwrap_or_else(|| who.name.to_owned()),
        ),
        name: who.name.to_owned(),
        name_of_other: None,
        name_kana: Some(who.kana.to_owned()),
        name_of_other_kana: None,
        sex1: if m.female { Sex::Female } else { Sex::Male },
        sex2: None,
        birthdate: m.birth,
        address: Some(who.address.to_owned()),
        post_number: Some(who.post.to_owned()),
        qualification_date: Some(c.from),
        disqualification_date: c.until,
        card_valid_date: Some(c.from),
        card_expiration_date: None,
        copay_ratio: Some(CopayRatio(30)),
        preschool: false,
        reason_of_loss: c.reason,
        elderly_recipient: None,
        limit_certificate: None,
        specific_diseases: Vec::new(),
        medical_assistance: None,
    };
    if late_stage {
        q.copay_ratio = Some(CopayRatio(draws.late_copay));
    } else if age >= 70 {
        // From the first of the month after the 70th birthday (that day when it is the 1st).
        let seventy = add_months_clamped(m.birth, 12 * 70);
        let eligible = if seventy.day() == 1 {
            seventy
        } else {
            add_months_clamped(seventy.replace_day(1).unwrap_or(seventy), 1)
        };
        if eligible <= as_of {
            let last = add_months_clamped(m.birth, 12 * 75)
                .previous_day()
                .unwrap_or(as_of);
            q.elderly_recipient = Some(ElderlyRecipientCertificate {
                valid_from: Some(eligible.max(cycle_start(as_of)).max(c.from)),
                valid_until: Some(cycle_end(as_of).min(last)),
                copay_ratio: CopayRatio(draws.elderly_copay),
            });
            q.copay_ratio = Some(CopayRatio(draws.elderly_copay));
        }
    } else if check_record(&q, as_of).contains(&DataWarning::PreschoolFlagMismatch) {
        // Core decides who is before school (1 April after the 6th birthday).
        q.preschool = true;
        q.copay_ratio = Some(CopayRatio(20));
    }
    if c.until.is_none() {
        q.limit_certificate = draws
            .limit
            .map(|roll| limit_certificate(&q, age, roll, as_of));
        if draws.dialysis || draws.hemophilia {
            q.specific_diseases.push(SpecificDiseaseCertificate {
                disease: if draws.dialysis {
                    SpecificDisease::Dialysis
                } else {
                    SpecificDisease::Hemophilia
                },
                valid_from: Some(c.from.max(add_months_clamped(today, -40))),
                valid_until: None,
                monthly_self_pay_limit: Some(if age < 70 && draws.limit == Some(0) {
                    20_000
                } else {
                    10_000
                }),
            });
        }
    }
    q
}

fn limit_certificate(q: &Qualification, age: u32, roll: u64, as_of: Date) -> LimitCertificate {
    let copay = q
        .elderly_recipient
        .as_ref()
        .map(|e| e.copay_ratio)
        .or(q.copay_ratio)
        .map_or(30, |c| c.0);
    let (kind, category) = if age < 70 {
        let category = match roll {
            0..=4 => LimitCategory::A,
            5..=14 => LimitCategory::I,
            15..=74 => LimitCategory::U,
            75..=89 => LimitCategory::E,
            _ => LimitCategory::O,
        };
        let kind = if category == LimitCategory::O {
            LimitCertificateKind::LimitAndReduction
        } else {
            LimitCertificateKind::Limit
        };
        (kind, category)
    } else if copay == 30 {
        let category = if roll < 50 {
            LimitCategory::ActiveIncome1
        } else {
            LimitCategory::ActiveIncome2
        };
        (LimitCertificateKind::Limit, category)
    } else {
        let category = if roll < 60 {
            LimitCategory::LowIncome2
        } else {
            LimitCategory::LowIncome1
        };
        (LimitCertificateKind::LimitAndReduction, category)
    };
    LimitCertificate {
        kind,
        category,
        valid_from: Some(cycle_start(as_of).max(q.qualification_date.unwrap_or(as_of))),
        valid_until: Some(cycle_end(as_of)),
        long_term_date: None,
    }
}

fn medical_aid_record(
    rng: &mut Stream,
    who: &Identity<'_>,
    h: &Household,
    since: Date,
    combined: bool,
    demo_ticket: Option<usize>,
    today: Date,
) -> Qualification {
    let m = who.m;
    let muni = h.place.municipalities[h.municipality % h.place.municipalities.len()];
    let payer = with_check_digit(&format!("12{:02}{}", h.place.prefecture, muni.code));
    let beneficiary = with_check_digit(&format!(
        "{:06}",
        (m.index.wrapping_mul(7_654_321).wrapping_add(13)) % 1_000_000
    ));
    let pref = h.place.prefecture;
    let clinic = facility(
        FacilityRole::Clinic,
        pref,
        rng.below(u64::from(POOL_SIZE)) as u32,
    );
    let pharmacy = facility(
        FacilityRole::Pharmacy,
        pref,
        rng.below(u64::from(POOL_SIZE)) as u32,
    );
    let month_now = today.replace_day(1).unwrap_or(today);
    let mut tickets = Vec::new();
    for back in (0..3).rev() {
        let month = add_months_clamped(month_now, -back);
        let month_end = add_months_clamped(month, 1).previous_day().unwrap_or(month);
        if month_end < since {
            continue;
        }
        // Welfare offices register the month's tickets around the 15th–20th: early in the
        // month most of this month's are not there yet (未委託).
        if back == 0 && today.day() < 15 && !rng.chance(300) {
            continue;
        }
        let (institution, treatment) = match demo_ticket {
            Some(0) => (
                DEMO_INSTITUTIONS[0].to_owned(),
                MedicalTreatmentType::HomeNursing,
            ),
            Some(i) => (
                DEMO_INSTITUTIONS[i % DEMO_INSTITUTIONS.len()].to_owned(),
                MedicalTreatmentType::Outpatient,
            ),
            None => (clinic.code.clone(), MedicalTreatmentType::Outpatient),
        };
        let combined_use = if combined {
            SingleOrCombinedUse::Combined
        } else {
            SingleOrCombinedUse::Single
        };
        let entries = [
            (TicketType::MedicalTicket, institution, treatment),
            (
                TicketType::DispensingTicket,
                pharmacy.code.clone(),
                MedicalTreatmentType::Dispensing,
            ),
        ];
        for (ticket_type, code, treatment) in entries {
            let Ok(designated) = code.parse() else {
                continue;
            };
            tickets.push(MedicalTicket {
                ticket_type,
                month,
                designated_institution: designated,
                designated_flag: None,
                treatment_type: Some(treatment),
                single_or_combined: combined_use,
                issue_number: Some(format!("{:08}", rng.below(100_000_000))),
                valid_from: Some(month.max(since)),
                valid_until: Some(month_end),
            });
        }
    }
    Qualification {
        card_classification: InsuredCardClassification::MedicalAssistance,
        insurer_number: None,
        insurer_name: None,
        symbol: None,
        number: None,
        branch: None,
        personal_family: None,
        insured_name: None,
        name: who.name.to_owned(),
        name_of_other: None,
        name_kana: Some(who.kana.to_owned()),
        name_of_other_kana: None,
        sex1: if m.female { Sex::Female } else { Sex::Male },
        sex2: None,
        birthdate: m.birth,
        address: Some(who.address.to_owned()),
        post_number: Some(h.post.clone()),
        qualification_date: Some(since),
        disqualification_date: None,
        card_valid_date: Some(since),
        card_expiration_date: None,
        copay_ratio: None,
        preschool: false,
        reason_of_loss: None,
        elderly_recipient: None,
        limit_certificate: None,
        specific_diseases: Vec::new(),
        medical_assistance: Some(MedicalAssistance {
            payer: payer.parse().ok(),
            beneficiary: beneficiary.parse().ok(),
            welfare_office_name: format!("{}福祉事務所", muni.name),
            tickets,
        }),
    }
}

fn build(seed: u64, h: &Household, index: u64, today: Date, ov: &Overrides) -> SyntheticPerson {
    let Some(m) = h.member(index) else {
        return SyntheticPerson {
            id: person_id(index),
            index,
            household: index,
            kinds: vec![PersonKind::Lost],
            birthdate: today,
            records: Vec::new(),
            history: History::default(),
        };
    };
    let mut rng = Stream::new(seed, Purpose::Person, index);
    let (family, family_kana) = ov
        .family
        .unwrap_or(FAMILY_NAMES[h.family % FAMILY_NAMES.len()]);
    let full = |given: (&str, &str)| {
        (
            format!("{family}\u{3000}{}", given.0),
            half_width_kana(&format!("{family_kana}\u{3000}{}", given.1)),
        )
    };
    let (name, kana) = full(ov.given.unwrap_or_else(|| given_name(seed, m)));
    let head_name = match h.head() {
        Some(head) if head.index != index => full(given_name(seed, head)).0,
        _ => name.clone(),
    };
    let muni = h.place.municipalities[h.municipality % h.place.municipalities.len()];
    let (town, a, b, c) = h.street;
    let address = ov.address.map_or_else(
        || {
            format!(
                "{}{}{}{}丁目{}番{}号",
                h.place.name,
                muni.name,
                TOWNS[town % TOWNS.len()],
                full_width_digits(u64::from(a)),
                full_width_digits(u64::from(b)),
                full_width_digits(u64::from(c)),
            )
        },
        str::to_owned,
    );
    let age = age_on(m.birth, today);
    let draws = Draws {
        late_copay: ov
            .late_copay
            .unwrap_or([10, 20, 30][rng.weighted(&[80, 12, 8])]),
        elderly_copay: if rng.chance(900) { 20 } else { 30 },
        limit: match ov.limit {
            Some(LimitCategory::U) => Some(40),
            Some(_) => Some(0),
            None => rng.chance(40).then(|| rng.below(100)),
        },
        dialysis: ov.dialysis || (age >= 40 && ov.conditions.is_none() && rng.chance(4)),
        hemophilia: !m.female && ov.conditions.is_none() && rng.chance(1),
        demo_ticket: rng.chance(350).then(|| rng.below(3) as usize),
    };

    let coverages = coverages(&mut rng, h, m, &head_name, today, ov);
    let who = Identity {
        m,
        name: &name,
        kana: &kana,
        address: &address,
        post: &h.post,
    };
    let mut records: Vec<Qualification> = coverages
        .iter()
        .map(|c| record(&who, c, &draws, today))
        .collect();
    if let Event::MedicalAid {
        since, combined, ..
    } = h.event
        && h.id == index
    {
        records.push(medical_aid_record(
            &mut rng,
            &who,
            h,
            since,
            combined,
            draws.demo_ticket,
            today,
        ));
    }

    let mut conditions = ov
        .conditions
        .clone()
        .unwrap_or_else(|| history::pick_conditions(&mut rng, age, m.female));
    if draws.dialysis && !conditions.contains(&Condition::Dialysis) {
        conditions.push(Condition::Dialysis);
    }
    if draws.hemophilia {
        conditions.push(Condition::Hemophilia);
    }
    let until = match h.event {
        Event::Died(d) | Event::Emigrated(d) if h.id == index => d,
        _ => today,
    };
    let history = history::generate(
        &mut rng,
        &Profile {
            birth: m.birth,
            female: m.female,
            prefecture: h.place.prefecture,
            conditions,
            until,
            home_clinic: ov.home_clinic,
        },
        today,
    );
    let mut person = SyntheticPerson {
        id: person_id(index),
        index,
        household: h.id,
        kinds: Vec::new(),
        birthdate: m.birth,
        records,
        history,
    };
    person.kinds = kinds_of(&person, h, today);
    person
}

fn coverages(
    rng: &mut Stream,
    h: &Household,
    m: &Member,
    head_name: &str,
    today: Date,
    ov: &Overrides,
) -> Vec<Coverage> {
    let place = h.place;
    let mut out = Vec::new();
    let seventy_five = add_months_clamped(m.birth, 12 * 75);
    let is_head = m.role == Role::Head;
    let branch = h
        .members
        .iter()
        .position(|x| x.index == m.index)
        .unwrap_or(0);
    let branch = format!("{branch:02}");
    let kokuho_scheme = match h.scheme {
        Scheme::KokuhoUnion(i) => Scheme::KokuhoUnion(i),
        _ => Scheme::Kokuho,
    };
    let household_cover = |scheme: Scheme, old: bool, from: Date| {
        let (symbol, number) = card_numbers(scheme, h, old);
        let head_insured = is_head || !is_employer(scheme);
        let insurer = if scheme == Scheme::SelfDefense && !is_head {
            defense_family_insurer()
        } else {
            insurer_of(scheme, place, h.municipality)
        };
        Coverage {
            insurer,
            card: if scheme == Scheme::SelfDefense && is_head {
                InsuredCardClassification::SelfDefenseForces
            } else {
                InsuredCardClassification::General
            },
            symbol,
            number,
            branch: branch.clone(),
            family: if head_insured {
                PersonalFamilyClassification::Insured
            } else {
                PersonalFamilyClassification::Dependant
            },
            insured_name: Some(head_name.to_owned()),
            from: from.max(m.birth),
            until: None,
            reason: None,
        }
    };
    let late_stage = |from: Date| Coverage {
        insurer: insurer_of(Scheme::LateStage, place, h.municipality),
        card: InsuredCardClassification::General,
        symbol: None,
        number: late_stage_number(m.index),
        branch: "00".to_owned(),
        family: PersonalFamilyClassification::Insured,
        insured_name: None,
        from,
        until: None,
        reason: None,
    };
    let lose = |mut c: Coverage, on: Date, reason: ReasonOfLoss| {
        c.until = Some(on);
        c.reason = Some(reason);
        c
    };

    // 医療扶助: 国保 and 後期高齢 end when assistance starts (loss reason 02); 併用 keeps the
    // employer's insurance.
    if let Event::MedicalAid {
        since,
        combined,
        had_prior,
    } = h.event
    {
        if combined {
            let scheme = if is_employer(h.scheme) {
                h.scheme
            } else {
                Scheme::Kyokai
            };
            out.push(household_cover(scheme, false, h.since.min(since)));
        } else if had_prior {
            let start =
                add_months_clamped(m.birth, 12 * 18).max(add_months_clamped(since, -12 * 15));
            let from = rng.day_between(start, since - Duration::days(90));
            if from < since {
                let prior = if since > seventy_five {
                    late_stage(seventy_five.max(from))
                } else {
                    household_cover(kokuho_scheme, false, from)
                };
                if prior.from < since {
                    out.push(lose(prior, since, ReasonOfLoss::PublicAssistanceStarted));
                }
            }
        }
        return out;
    }

    let mut current = if seventy_five <= today {
        // 75 and over: 後期高齢者医療 from the 75th birthday; whatever came before was lost that
        // day (shown when it was within the last three years, or for the demo holder).
        let recent = seventy_five > add_months_clamped(today, -36);
        if (recent && rng.chance(700)) || ov.turned_75_prior {
            let from = if is_head {
                h.since
            } else {
                h.since.max(add_months_clamped(m.birth, 12 * 60))
            };
            let prior = household_cover(kokuho_scheme, false, from.min(seventy_five));
            if prior.from < seventy_five {
                out.push(lose(
                    prior,
                    seventy_five,
                    ReasonOfLoss::OtherInsuranceAcquired,
                ));
            }
        }
        late_stage(seventy_five)
    } else if let (Role::Spouse, Some(own)) = (m.role, m.own_scheme) {
        let (symbol, number) = card_numbers(own, h, false);
        let from = rng.day_between(
            add_months_clamped(m.birth, 12 * 18),
            today - Duration::days(60),
        );
        Coverage {
            insurer: insurer_of(own, place, h.municipality),
            card: if own == Scheme::SelfDefense {
                InsuredCardClassification::SelfDefenseForces
            } else {
                InsuredCardClassification::General
            },
            symbol: symbol.map(|s| format!("{s}0")),
            number: format!("{number}1"),
            branch: "00".to_owned(),
            family: PersonalFamilyClassification::Insured,
            insured_name: None,
            from,
            until: None,
            reason: None,
        }
    } else {
        let head_age = h.head().map_or(0, |x| age_on(x.birth, today));
        let scheme = if is_head || (is_employer(h.scheme) && head_age < 75) {
            h.scheme
        } else {
            kokuho_scheme
        };
        if let Some((old, old_since, changed)) = h.job_change
            && scheme == h.scheme
            && m.birth < changed
        {
            let prior = household_cover(old, true, old_since);
            if prior.from < changed {
                out.push(lose(prior, changed, ReasonOfLoss::OtherInsuranceAcquired));
            }
        }
        household_cover(scheme, false, h.since)
    };
    match h.event {
        Event::Died(d) if is_head => {
            let on = d.next_day().unwrap_or(d);
            current = lose(current, on, ReasonOfLoss::Death);
        }
        Event::Emigrated(d) if is_head => {
            current = lose(current, d, ReasonOfLoss::Other);
        }
        _ => {}
    }
    if current.until.is_none_or(|u| current.from < u) {
        out.push(current);
    }
    out
}

fn kinds_of(p: &SyntheticPerson, h: &Household, today: Date) -> Vec<PersonKind> {
    let mut kinds = Vec::new();
    if p.index < BLOCK {
        kinds.push(PersonKind::Demo);
    }
    let current: Vec<&Qualification> = p.records.iter().filter(|q| q.covers(today)).collect();
    let lost: Vec<&Qualification> = p
        .records
        .iter()
        .filter(|q| q.disqualification_date.is_some_and(|d| d <= today))
        .collect();
    for q in &current {
        if q.is_medical_assistance() {
            kinds.push(PersonKind::MedicalAid);
            continue;
        }
        let program = q.insurer_number.as_ref().and_then(|n| n.program());
        let national = q
            .insurer_number
            .as_ref()
            .is_some_and(|n| n.is_national_health_insurance());
        if program == Some(InsuranceProgram::LateStageElderly) {
            kinds.push(PersonKind::LateStageElderly);
        } else if national {
            kinds.push(PersonKind::NationalHealthInsurance);
        } else if q.personal_family == Some(PersonalFamilyClassification::Dependant) {
            kinds.push(PersonKind::Dependant);
        } else {
            kinds.push(PersonKind::Employee);
        }
        if q.elderly_recipient.is_some() {
            kinds.push(PersonKind::ElderlyRecipient);
        }
        if q.preschool {
            kinds.push(PersonKind::Preschool);
        }
        if q.limit_certificate.is_some() {
            kinds.push(PersonKind::LimitCertificate);
        }
        if !q.specific_diseases.is_empty() {
            kinds.push(PersonKind::SpecificDisease);
        }
    }
    if current.is_empty() {
        kinds.push(PersonKind::Lost);
    } else if lost
        .iter()
        .any(|q| q.reason_of_loss == Some(ReasonOfLoss::OtherInsuranceAcquired))
    {
        let turned_75 = lost
            .iter()
            .any(|q| q.disqualification_date == Some(add_months_clamped(q.birthdate, 12 * 75)));
        kinds.push(if turned_75 && h.job_change.is_none() {
            PersonKind::Turned75
        } else {
            PersonKind::JobChanger
        });
    }
    kinds.sort();
    kinds.dedup();
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;
    use onshi_core::card::demo::DEMO_CARDS;
    use std::collections::BTreeMap;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 21);

    fn judged_on(q: &Qualification) -> Date {
        q.disqualification_date
            .and_then(|d| d.previous_day())
            .map_or(TODAY, |d| d.min(TODAY))
    }

    #[test]
    fn the_same_seed_gives_the_same_person() {
        for index in [0, 3, 4, 17, 1234, 99_999] {
            let a = person(5, index, TODAY);
            let b = person(5, index, TODAY);
            assert_eq!(a.records, b.records);
            assert_eq!(a.kinds, b.kinds);
            assert_eq!(a.history.dispensed, b.history.dispensed);
            assert_eq!(a.id, person_id(index));
            assert_eq!(index_of(&a.id), Some(index));
        }
        assert_ne!(person(5, 40, TODAY).records, person(6, 40, TODAY).records);
    }

    #[test]
    fn many_seeds_give_records_without_data_warnings() {
        let mut kinds: BTreeMap<PersonKind, u32> = BTreeMap::new();
        let n = 4_000;
        for seed in [1, 2, 3] {
            for index in 0..n {
                let p = person(seed, index, TODAY);
                assert!(!p.records.is_empty() || p.kinds.contains(&PersonKind::Lost));
                for q in &p.records {
                    let w = check_record(q, judged_on(q));
                    assert!(w.is_empty(), "seed {seed} person {index}: {w:?} on {q:?}");
                    assert_eq!(q.birthdate, p.birthdate);
                    if !q.is_medical_assistance() {
                        assert!(q.insurer_number.is_some() && q.number.is_some());
                    }
                }
                for k in &p.kinds {
                    *kinds.entry(*k).or_default() += 1;
                }
            }
        }
        let total = 3 * n as u32;
        let share = |k: PersonKind| kinds.get(&k).copied().unwrap_or(0) * 1000 / total;
        // 医療扶助 about 1.5 %; every kind present.
        assert!(
            (8..=25).contains(&share(PersonKind::MedicalAid)),
            "{kinds:?}"
        );
        for k in PersonKind::ALL {
            assert!(kinds.contains_key(k), "no {k:?} in {kinds:?}");
        }
    }

    #[test]
    fn demo_holders_carry_the_demo_card_names() {
        for (i, card) in DEMO_CARDS.iter().enumerate() {
            let p = person(1, i as u64, TODAY);
            let (name, _) = card.holder.split_once(" (").unwrap_or((card.holder, ""));
            assert!(p.records.iter().all(|q| q.name == name), "{i}");
            assert!(p.kinds.contains(&PersonKind::Demo));
        }
        let hanako = person(1, 0, TODAY);
        assert_eq!(hanako.birthdate, date!(1950 - 04 - 01));
        assert_eq!(age_on(hanako.birthdate, TODAY), 76);
        assert!(hanako.kinds.contains(&PersonKind::LateStageElderly));
        assert!(hanako.history.dispensed.len() > 50);
        assert!(person(1, 2, TODAY).kinds.contains(&PersonKind::JobChanger));
        assert!(
            person(1, 3, TODAY)
                .kinds
                .contains(&PersonKind::SpecificDisease)
        );
        assert!(
            person(1, 1, TODAY)
                .kinds
                .contains(&PersonKind::LimitCertificate)
        );
    }

    #[test]
    fn household_members_share_numbers_and_differ_by_branch() {
        let mut seen = 0;
        for index in 4..400 {
            let p = person(2, index, TODAY);
            let Some(q) = p.records.iter().find(|q| {
                q.covers(TODAY)
                    && q.personal_family == Some(PersonalFamilyClassification::Dependant)
            }) else {
                continue;
            };
            // The head is the first of the block's household; find a record with the same numbers.
            let block = index / BLOCK * BLOCK;
            let mates = (block..block + BLOCK)
                .filter(|&i| i != index)
                .map(|i| person(2, i, TODAY))
                // Same numbers; the insurer differs only for a 自衛官's family (防衛省共済組合).
                .filter(|o| o.records.iter().any(|r| r.number == q.number))
                .count();
            assert!(mates >= 1, "{index}");
            assert_ne!(q.branch.as_ref().map(|b| b.as_str()), Some("00"));
            seen += 1;
        }
        assert!(seen > 20);
    }
}

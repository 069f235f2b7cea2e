//! 世帯 (households): person indices are grouped in blocks of four slots, and each block is split
//! into households from its own random stream — a 本人 with a spouse and children, an elderly couple,
//! someone living alone. A person is generated from their block's plan plus their own stream, so
//! any one person can be generated again without the rest of the population.

use onshi_core::jst::{Date, add_months_clamped, age_on};

use super::catalog::Scheme;
use super::names::{FAMILY_NAMES, PLACES, Place, TOWNS};
use super::rng::{Purpose, Stream};

/// Slots per block.
pub const BLOCK: u64 = 4;

/// Someone's place in the household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// 世帯主 / 被保険者本人.
    Head,
    /// 配偶者.
    Spouse,
    /// 子.
    Child,
}

/// One member of a household plan.
#[derive(Debug, Clone)]
pub struct Member {
    /// The person index.
    pub index: u64,
    /// Their role.
    pub role: Role,
    /// 女性.
    pub female: bool,
    /// 生年月日.
    pub birth: Date,
    /// Their own employer insurance (a working spouse), when not a dependant.
    pub own_scheme: Option<Scheme>,
}

/// What happened to someone living alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Nothing unusual.
    None,
    /// Died on this day (資格喪失事由 01); the record was lost the next day.
    Died(Date),
    /// Moved abroad (資格喪失事由 99) on this day.
    Emigrated(Date),
    /// 生活保護 (医療扶助) since this day; `combined` when employee insurance continues (併用),
    /// `had_prior` when a 国保 or 後期高齢 record was lost that day (資格喪失事由 02).
    MedicalAid {
        /// 開始日.
        since: Date,
        /// 併用.
        combined: bool,
        /// A prior record lost on `since`.
        had_prior: bool,
    },
}

/// A household's plan.
#[derive(Debug, Clone)]
pub struct Household {
    /// The household key: the head's person index (unique, so numbers derived from it are too).
    pub id: u64,
    /// Members, head first.
    pub members: Vec<Member>,
    /// Index into [`FAMILY_NAMES`].
    pub family: usize,
    /// Where they live.
    pub place: &'static Place,
    /// Index of the municipality in `place`.
    pub municipality: usize,
    /// 住所 (without the prefecture and municipality) and 郵便番号.
    pub street: (usize, u32, u32, u32),
    /// 郵便番号.
    pub post: String,
    /// The head's current scheme (before the age rules: 75 and over are 後期高齢 whatever it says).
    pub scheme: Scheme,
    /// Since when the head is in `scheme`.
    pub since: Date,
    /// A job change: the previous employer scheme, since when, and the day of the change.
    pub job_change: Option<(Scheme, Date, Date)>,
    /// What happened (households of one only).
    pub event: Event,
}

impl Household {
    /// The member with `index`.
    pub fn member(&self, index: u64) -> Option<&Member> {
        self.members.iter().find(|m| m.index == index)
    }

    /// The head.
    pub fn head(&self) -> Option<&Member> {
        self.members.first()
    }
}

fn birth_for_age(rng: &mut Stream, today: Date, age: u32) -> Date {
    // Born in (today − (age+1) years, today − age years].
    let latest = add_months_clamped(today, -12 * age as i32);
    let earliest = add_months_clamped(today, -12 * (age as i32 + 1))
        .next_day()
        .unwrap_or(latest);
    let b = rng.day_between(earliest, latest);
    if age_on(b, today) == age { b } else { latest }
}

/// An employer scheme, by share of the employed.
pub fn employer_scheme(rng: &mut Stream) -> Scheme {
    match rng.weighted(&[45, 33, 12, 2, 4, 4]) {
        0 => Scheme::Kyokai,
        1 => Scheme::Society(rng.below(8) as u8),
        2 => Scheme::MutualAid(rng.below(8) as u8),
        3 => Scheme::Seamen,
        4 => Scheme::SelfDefense,
        _ => Scheme::Society(rng.below(8) as u8),
    }
}

/// Whether a scheme is employee insurance (with dependants).
pub fn is_employer(s: Scheme) -> bool {
    matches!(
        s,
        Scheme::Kyokai
            | Scheme::Seamen
            | Scheme::Society(_)
            | Scheme::SelfDefense
            | Scheme::MutualAid(_)
    )
}

fn pick_place(rng: &mut Stream) -> &'static Place {
    let weights: Vec<u32> = PLACES.iter().map(|p| p.weight).collect();
    &PLACES[rng.weighted(&weights)]
}

/// The households of block `block` (≥ 1; block 0 holds the demo card holders).
pub fn plan_block(seed: u64, block: u64, today: Date) -> Vec<Household> {
    let mut rng = Stream::new(seed, Purpose::Household, block);
    // Splits of four slots: one household of four, two couples, someone alone and a family of
    // three, and so on (the average household is a little over two people).
    const SPLITS: &[&[u64]] = &[
        &[4],
        &[2, 2],
        &[1, 3],
        &[3, 1],
        &[1, 1, 2],
        &[2, 1, 1],
        &[1, 1, 1, 1],
    ];
    let split = SPLITS[rng.weighted(&[12, 22, 16, 16, 14, 12, 8])];
    let mut households = Vec::with_capacity(split.len());
    let mut slot = block * BLOCK;
    for &size in split {
        households.push(plan_household(&mut rng, slot, size, today));
        slot += size;
    }
    households
}

fn plan_household(rng: &mut Stream, first: u64, size: u64, today: Date) -> Household {
    let place = pick_place(rng);
    let municipality = rng.below(place.municipalities.len() as u64) as usize;
    let head_female = size == 1 && rng.chance(550) || size > 1 && rng.chance(120);
    let head_age = match size {
        1 => match rng.weighted(&[30, 30, 40]) {
            0 => rng.range(20, 39),
            1 => rng.range(40, 64),
            _ => rng.range(65, 100),
        },
        2 => rng.range(25, 92),
        _ => rng.range(28, 55),
    };
    let head_birth = birth_for_age(rng, today, head_age);
    let mut members = vec![Member {
        index: first,
        role: Role::Head,
        female: head_female,
        birth: head_birth,
        own_scheme: None,
    }];
    // A couple, unless a parent lives with one child.
    let single_parent = size == 2 && head_age < 60 && rng.chance(200);
    let mut next = first + 1;
    if size >= 2 && !single_parent {
        let spouse_age = (head_age as i64 + rng.range(0, 8) as i64 - 4).clamp(20, 100) as u32;
        let mut birth = birth_for_age(rng, today, spouse_age);
        if birth == head_birth {
            birth = birth.previous_day().unwrap_or(birth);
        }
        let working = spouse_age < 65 && rng.chance(300);
        members.push(Member {
            index: next,
            role: Role::Spouse,
            female: !head_female,
            birth,
            own_scheme: working.then(|| employer_scheme(rng)),
        });
        next += 1;
    }
    let mut child_ages: Vec<u32> = Vec::new();
    while next < first + size {
        let max = head_age.saturating_sub(24).min(22);
        let mut age = rng.range(0, max);
        while child_ages.contains(&age) {
            age = (age + 1) % (max + 1);
        }
        child_ages.push(age);
        members.push(Member {
            index: next,
            role: Role::Child,
            female: rng.chance(490),
            birth: birth_for_age(rng, today, age),
            own_scheme: None,
        });
        next += 1;
    }

    let employed =
        head_age < 65 && rng.chance(780) || (65..75).contains(&head_age) && rng.chance(150);
    let scheme = if employed {
        employer_scheme(rng)
    } else if rng.chance(120) {
        Scheme::KokuhoUnion(rng.below(4) as u8)
    } else {
        Scheme::Kokuho
    };
    // Working life starts at 18 (every head is 20 or over, so this lies in the past).
    let adult = add_months_clamped(head_birth, 12 * 18);
    let since = rng.day_between(
        adult.max(add_months_clamped(today, -12 * 25)),
        today - time::Duration::days(30),
    );
    let job_change =
        (is_employer(scheme) && (25..65).contains(&head_age) && rng.chance(90)).then(|| {
            // At least a year into working life, so the old record spans a year or more (heads
            // changing jobs are 25 or over).
            let earliest = add_months_clamped(today, -36).max(add_months_clamped(adult, 12));
            let changed = rng.day_between(earliest, today - time::Duration::days(10));
            let mut old = employer_scheme(rng);
            if old == scheme {
                old = if scheme == Scheme::Kyokai {
                    Scheme::Society(rng.below(8) as u8)
                } else {
                    Scheme::Kyokai
                };
            }
            let old_since = rng.day_between(adult, changed - time::Duration::days(200));
            (old, old_since, changed)
        });
    let since = job_change.map_or(since, |(_, _, changed)| changed);

    let event = if size == 1 {
        let roll = rng.below(1000) as u32;
        if head_age >= 80 && roll < 25 {
            Event::Died(rng.day_between(
                add_months_clamped(today, -24),
                today - time::Duration::days(2),
            ))
        } else if (25..61).contains(&head_age) && roll < 15 {
            Event::Emigrated(rng.day_between(
                add_months_clamped(today, -24),
                today - time::Duration::days(2),
            ))
        } else if roll >= 940 && head_age >= 20 {
            let start =
                add_months_clamped(head_birth, 12 * 20).max(add_months_clamped(today, -120));
            Event::MedicalAid {
                since: rng.day_between(start, today - time::Duration::days(20)),
                combined: head_age < 65 && rng.chance(200),
                had_prior: rng.chance(600),
            }
        } else {
            Event::None
        }
    } else {
        Event::None
    };

    Household {
        id: first,
        members,
        family: rng.below(FAMILY_NAMES.len() as u64) as usize,
        place,
        municipality,
        street: (
            rng.below(TOWNS.len() as u64) as usize,
            rng.range(1, 5),
            rng.range(1, 30),
            rng.range(1, 20),
        ),
        post: format!("{:03}-{:04}", rng.range(100, 999), rng.range(0, 9999)),
        scheme,
        since,
        job_change,
        event,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn blocks_fill_their_four_slots_with_distinct_birthdays_per_household() {
        let today = date!(2026 - 11 - 21);
        for block in 1..500 {
            let hs = plan_block(11, block, today);
            let indices: Vec<u64> = hs
                .iter()
                .flat_map(|h| h.members.iter().map(|m| m.index))
                .collect();
            assert_eq!(indices, (block * 4..block * 4 + 4).collect::<Vec<_>>());
            for h in &hs {
                let mut births: Vec<Date> = h.members.iter().map(|m| m.birth).collect();
                births.sort();
                births.dedup();
                assert_eq!(births.len(), h.members.len());
                assert!(h.members.iter().all(|m| m.birth <= today));
            }
        }
    }
}

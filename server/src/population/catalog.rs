//! 保険者・医療機関の一覧 (the population's insurers and institutions): fictitious insurers of every
//! 法別 and the clinics, pharmacies and check-up centres people visit, all with valid check digits
//! computed by core. Made-up values for tests and demos; none is claimed to be a real insurer or
//! institution.

use onshi_core::ids::{InsurerNumber, MedicalInstitutionCode, check_digit};

use super::names::{PLACES, Place};

/// 被用者保険 and the other schemes a synthetic household can be insured under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// 01 協会けんぽ (the prefecture's 支部).
    Kyokai,
    /// 02 船員保険.
    Seamen,
    /// 06 健康保険組合 (one of [`SOCIETIES`]).
    Society(u8),
    /// 07 自衛官等 (the member); the family belongs to 31 防衛省共済組合.
    SelfDefense,
    /// 31–34 共済組合 (one of [`MUTUAL_AID`]).
    MutualAid(u8),
    /// 市町村国保 of a municipality of the household's prefecture.
    Kokuho,
    /// 国保組合 (one of [`KOKUHO_UNIONS`]).
    KokuhoUnion(u8),
    /// 39 後期高齢者医療広域連合 of the prefecture.
    LateStage,
}

/// 健康保険組合: (保険者別番号, name), all registered in 東京都.
pub const SOCIETIES: &[(&str, &str)] = &[
    ("101", "東都電機健康保険組合"),
    ("102", "関東食品健康保険組合"),
    ("103", "日本精密工業健康保険組合"),
    ("104", "みなと商事健康保険組合"),
    ("105", "首都圏運輸健康保険組合"),
    ("106", "全国情報サービス産業健康保険組合"),
    ("107", "大和化学健康保険組合"),
    ("108", "東京百貨店健康保険組合"),
];

/// 共済組合: (法別, 保険者別番号, name), all registered in 東京都.
pub const MUTUAL_AID: &[(u8, &str, &str)] = &[
    (31, "014", "財務省共済組合"),
    (31, "016", "厚生労働省共済組合"),
    (31, "019", "国土交通省共済組合"),
    (32, "001", "東京都職員共済組合"),
    (32, "123", "地方職員共済組合　東京都支部"),
    (33, "001", "警察共済組合　東京都支部"),
    (34, "001", "公立学校共済組合　東京支部"),
    (34, "901", "日本私立学校振興・共済事業団"),
];

/// 防衛省共済組合 (法別 31), where the families of 自衛官 (法別 07) are insured.
pub const DEFENSE_MUTUAL_AID: (&str, &str) = ("010", "防衛省共済組合");

/// 国保組合: (保険者別番号 starting with 3, name), in 東京都.
pub const KOKUHO_UNIONS: &[(&str, &str)] = &[
    ("301", "東京都医師国民健康保険組合"),
    ("302", "東京建設業国民健康保険組合"),
    ("303", "全国飲食業国民健康保険組合"),
    ("304", "東京美容理容国民健康保険組合"),
];

fn digits_of(s: &str) -> Vec<u8> {
    s.bytes().map(|b| b.wrapping_sub(b'0')).collect()
}

/// A number with its check digit appended (core's 検証番号 rule).
pub fn with_check_digit(body: &str) -> String {
    format!("{body}{}", check_digit(&digits_of(body)))
}

/// An insurer: its number and name.
#[derive(Debug, Clone)]
pub struct Insurer {
    /// 保険者番号 (always present: every body in this module is digits with a prefecture in
    /// 01–47, which a test checks; kept optional so that no path can panic).
    pub number: Option<InsurerNumber>,
    /// 保険者名称.
    pub name: String,
}

fn insurer(body: &str, name: String) -> Insurer {
    Insurer {
        number: with_check_digit(body).parse().ok(),
        name,
    }
}

/// The insurer of `scheme` for a household in `place`, municipality `municipality`.
pub fn insurer_of(scheme: Scheme, place: &Place, municipality: usize) -> Insurer {
    let pref = place.prefecture;
    match scheme {
        Scheme::Kyokai => insurer(
            &format!("01{pref:02}001"),
            format!("全国健康保険協会　{}支部", place.short),
        ),
        Scheme::Seamen => insurer("0213001", "全国健康保険協会　船員保険部".to_owned()),
        Scheme::Society(i) => {
            let (code, name) = SOCIETIES[usize::from(i) % SOCIETIES.len()];
            insurer(&format!("0613{code}"), name.to_owned())
        }
        Scheme::SelfDefense => insurer("0713001", "防衛省（自衛官等）".to_owned()),
        Scheme::MutualAid(i) => {
            let (law, code, name) = MUTUAL_AID[usize::from(i) % MUTUAL_AID.len()];
            insurer(&format!("{law:02}13{code}"), name.to_owned())
        }
        Scheme::Kokuho => {
            let m = place.municipalities[municipality % place.municipalities.len()];
            insurer(&format!("{pref:02}{}", m.code), m.name.to_owned())
        }
        Scheme::KokuhoUnion(i) => {
            let (code, name) = KOKUHO_UNIONS[usize::from(i) % KOKUHO_UNIONS.len()];
            insurer(&format!("13{code}"), name.to_owned())
        }
        Scheme::LateStage => insurer(
            &format!("39{pref:02}100"),
            format!("{}後期高齢者医療広域連合", place.name),
        ),
    }
}

/// The insurer of the family of a 自衛官: 防衛省共済組合 (法別 31).
pub fn defense_family_insurer() -> Insurer {
    let (code, name) = DEFENSE_MUTUAL_AID;
    insurer(&format!("3113{code}"), name.to_owned())
}

/// 医療機関等: an institution of the population's histories and tickets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facility {
    /// 医療機関等コード.
    pub code: String,
    /// 名称.
    pub name: String,
}

/// What an institution of the pool does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacilityRole {
    /// 医科診療所・病院 (点数表 1).
    Clinic,
    /// 保険薬局 (点数表 4).
    Pharmacy,
    /// 健診機関 (点数表 1).
    Checkup,
}

/// Institutions per role and prefecture in the pool.
pub const POOL_SIZE: u32 = 40;

const CLINIC_NAMES: &[&str] = &[
    "内科クリニック",
    "ファミリークリニック",
    "整形外科",
    "眼科医院",
    "総合病院",
    "こどもクリニック",
    "循環器内科",
    "耳鼻咽喉科",
];
const PHARMACY_NAMES: &[&str] = &["さくら薬局", "あおば調剤薬局", "ひまわり薬局", "みどり薬局"];

/// Institution `i` of `role` in prefecture `pref`: a valid code and a name built from the pool.
pub fn facility(role: FacilityRole, pref: u8, i: u32) -> Facility {
    let i = i % POOL_SIZE;
    let (fee, block) = match role {
        FacilityRole::Clinic => (1, 10),
        FacilityRole::Pharmacy => (4, 20),
        FacilityRole::Checkup => (1, 30),
    };
    let code = with_check_digit(&format!("{pref:02}{fee}{block:02}{:04}", 100 + i));
    let town = super::names::TOWNS[i as usize % super::names::TOWNS.len()];
    let name = match role {
        FacilityRole::Clinic => {
            let (family, _) =
                super::names::FAMILY_NAMES[(i as usize * 7) % super::names::FAMILY_NAMES.len()];
            let kind = CLINIC_NAMES[i as usize % CLINIC_NAMES.len()];
            if kind == "総合病院" || kind == "ファミリークリニック" {
                format!("{town}{kind}")
            } else {
                format!("{family}{kind}")
            }
        }
        FacilityRole::Pharmacy => format!(
            "{}　{town}店",
            PHARMACY_NAMES[i as usize % PHARMACY_NAMES.len()]
        ),
        FacilityRole::Checkup => format!("{town}健診センター"),
    };
    Facility { code, name }
}

/// The name of an institution of the population (pool, or one of the demo institutions), for
/// rows that store only the code.
pub fn facility_name(code: &str) -> String {
    if let Some(i) = super::DEMO_INSTITUTIONS.iter().position(|c| *c == code) {
        return super::DEMO_INSTITUTION_NAMES[i].to_owned();
    }
    let parsed: Option<(u8, u8, u32)> = (code.len() == 10)
        .then(|| {
            Some((
                code.get(0..2)?.parse().ok()?,
                code.get(3..5)?.parse().ok()?,
                code.get(5..9)?.parse::<u32>().ok()?.checked_sub(100)?,
            ))
        })
        .flatten();
    let role = match parsed.map(|(_, block, _)| block) {
        Some(10) => Some(FacilityRole::Clinic),
        Some(20) => Some(FacilityRole::Pharmacy),
        Some(30) => Some(FacilityRole::Checkup),
        _ => None,
    };
    match (parsed, role) {
        (Some((pref, _, i)), Some(role)) if facility(role, pref, i).code == code => {
            facility(role, pref, i).name
        }
        _ => "医療機関".to_owned(),
    }
}

/// Checks that a generated institution code is valid for core.
pub fn is_valid_code(code: &str) -> bool {
    code.parse::<MedicalInstitutionCode>().is_ok()
}

/// The prefectures of [`PLACES`] by number.
pub fn place_of(prefecture: u8) -> &'static Place {
    PLACES
        .iter()
        .find(|p| p.prefecture == prefecture)
        .unwrap_or(&PLACES[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use onshi_core::ids::InsuranceProgram;

    fn num(i: &Insurer) -> InsurerNumber {
        i.number
            .clone()
            .unwrap_or_else(|| panic!("{} has no valid number", i.name))
    }

    #[test]
    fn every_insurer_is_valid_and_of_its_program() {
        for place in PLACES {
            for m in 0..place.municipalities.len() {
                let k = insurer_of(Scheme::Kokuho, place, m);
                assert!(num(&k).is_national_health_insurance());
                assert_eq!(num(&k).prefecture().number(), place.prefecture);
            }
            let l = insurer_of(Scheme::LateStage, place, 0);
            assert_eq!(num(&l).program(), Some(InsuranceProgram::LateStageElderly));
            let k = insurer_of(Scheme::Kyokai, place, 0);
            assert_eq!(num(&k).program(), Some(InsuranceProgram::KyokaiKenpo));
        }
        assert_eq!(
            num(&insurer_of(Scheme::LateStage, &PLACES[0], 0)).as_str(),
            "39131008"
        );
        assert_eq!(
            num(&insurer_of(Scheme::Kyokai, &PLACES[0], 0)).as_str(),
            "01130012"
        );
        for i in 0..SOCIETIES.len() as u8 {
            let s = insurer_of(Scheme::Society(i), &PLACES[0], 0);
            assert_eq!(num(&s).program(), Some(InsuranceProgram::SocietyManaged));
        }
        for i in 0..MUTUAL_AID.len() as u8 {
            let s = insurer_of(Scheme::MutualAid(i), &PLACES[0], 0);
            assert!(matches!(
                num(&s).program(),
                Some(
                    InsuranceProgram::NationalPublicServants
                        | InsuranceProgram::LocalPublicServants
                        | InsuranceProgram::Police
                        | InsuranceProgram::Schools
                )
            ));
        }
        for i in 0..KOKUHO_UNIONS.len() as u8 {
            let s = insurer_of(Scheme::KokuhoUnion(i), &PLACES[0], 0);
            assert!(num(&s).is_national_health_insurance());
            assert!(num(&s).as_str()[2..].starts_with('3'));
        }
        assert_eq!(
            num(&insurer_of(Scheme::SelfDefense, &PLACES[0], 0)).program(),
            Some(InsuranceProgram::SelfDefenseForces)
        );
        assert_eq!(
            num(&insurer_of(Scheme::Seamen, &PLACES[0], 0)).program(),
            Some(InsuranceProgram::Seamen)
        );
        assert_eq!(
            num(&defense_family_insurer()).program(),
            Some(InsuranceProgram::NationalPublicServants)
        );
    }

    #[test]
    fn pool_institutions_are_valid_and_named_back_from_their_code() {
        for place in PLACES {
            for role in [
                FacilityRole::Clinic,
                FacilityRole::Pharmacy,
                FacilityRole::Checkup,
            ] {
                for i in 0..POOL_SIZE {
                    let f = facility(role, place.prefecture, i);
                    assert!(is_valid_code(&f.code), "{}", f.code);
                    assert_eq!(facility_name(&f.code), f.name);
                }
            }
        }
        assert_eq!(facility_name("0000000000"), "医療機関");
    }
}

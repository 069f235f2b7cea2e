//! 医療情報の履歴 (medical history) of synthetic people: 薬剤情報 (3 years of dispensings), 診療・手術情報
//! (5 years of diagnoses and operations) and 特定健診 results (5 years, aged 40 and over), made from
//! a small drug master, chronic conditions by age and acute episodes. Drug and item codes are
//! made up in the shape of the real ones (YJ 12 characters, JLAC10 17 characters); none is claimed
//! to be a real code.

use onshi_core::jst::{Date, Duration, Month, add_months_clamped};
use serde::{Deserialize, Serialize};

use super::catalog::{FacilityRole, POOL_SIZE, facility, facility_name};
use super::rng::Stream;

/// 医薬品マスター entry: one drug as 薬剤情報 shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drug {
    /// 薬剤コード (YJ-shaped).
    pub code: &'static str,
    /// 薬剤名.
    pub name: &'static str,
    /// 成分名.
    pub ingredient: &'static str,
    /// 1日量.
    pub per_day: &'static str,
    /// 単位.
    pub unit: &'static str,
    /// 用法.
    pub usage: &'static str,
}

const fn drug(
    code: &'static str,
    name: &'static str,
    ingredient: &'static str,
    per_day: &'static str,
    unit: &'static str,
    usage: &'static str,
) -> Drug {
    Drug {
        code,
        name,
        ingredient,
        per_day,
        unit,
        usage,
    }
}

/// The drug master.
pub const DRUGS: &[Drug] = &[
    drug(
        "2171022F1019",
        "アムロジピンOD錠5mg「トーワ」",
        "アムロジピンベシル酸塩",
        "1",
        "錠",
        "1日1回朝食後",
    ),
    drug(
        "2149044F2021",
        "オルメサルタン錠20mg「DSEP」",
        "オルメサルタン　メドキソミル",
        "1",
        "錠",
        "1日1回朝食後",
    ),
    drug(
        "3962002F2024",
        "メトホルミン塩酸塩錠500mgMT「DSEP」",
        "メトホルミン塩酸塩",
        "2",
        "錠",
        "1日2回朝夕食後",
    ),
    drug(
        "3969010F1020",
        "シタグリプチン錠50mg「サワイ」",
        "シタグリプチンリン酸塩水和物",
        "1",
        "錠",
        "1日1回朝食後",
    ),
    drug(
        "2189017F1026",
        "ロスバスタチン錠2.5mg「日医工」",
        "ロスバスタチンカルシウム",
        "1",
        "錠",
        "1日1回夕食後",
    ),
    drug(
        "2329023F1020",
        "ランソプラゾールOD錠15mg「トーワ」",
        "ランソプラゾール",
        "1",
        "錠",
        "1日1回朝食後",
    ),
    drug(
        "3112004M1020",
        "エルデカルシトールカプセル0.75μg「日医工」",
        "エルデカルシトール",
        "1",
        "カプセル",
        "1日1回朝食後",
    ),
    drug(
        "1129009F1025",
        "ゾルピデム酒石酸塩錠5mg「サワイ」",
        "ゾルピデム酒石酸塩",
        "1",
        "錠",
        "1日1回就寝前",
    ),
    drug(
        "3339004F1024",
        "エリキュース錠2.5mg",
        "アピキサバン",
        "2",
        "錠",
        "1日2回朝夕食後",
    ),
    drug(
        "1190012F3021",
        "ドネペジル塩酸塩OD錠5mg「サワイ」",
        "ドネペジル塩酸塩",
        "1",
        "錠",
        "1日1回朝食後",
    ),
    drug(
        "2344009F1022",
        "酸化マグネシウム錠330mg「ケンエー」",
        "酸化マグネシウム",
        "3",
        "錠",
        "1日3回毎食後",
    ),
    drug(
        "4490026F1029",
        "モンテルカスト錠10mg「KM」",
        "モンテルカストナトリウム",
        "1",
        "錠",
        "1日1回就寝前",
    ),
    drug(
        "2190031F1020",
        "ホスレノールOD錠250mg",
        "炭酸ランタン水和物",
        "3",
        "錠",
        "1日3回毎食直後",
    ),
    drug(
        "3999034F1023",
        "シナカルセト錠25mg「フソー」",
        "シナカルセト塩酸塩",
        "1",
        "錠",
        "1日1回夕食後",
    ),
    drug(
        "6343445G1020",
        "ヘムライブラ皮下注150mg",
        "エミシズマブ（遺伝子組換え）",
        "1",
        "瓶",
        "週1回皮下注射",
    ),
    drug(
        "1149019F1560",
        "ロキソプロフェンNa錠60mg「サワイ」",
        "ロキソプロフェンナトリウム水和物",
        "3",
        "錠",
        "1日3回毎食後",
    ),
    drug(
        "1141007F1063",
        "カロナール錠200",
        "アセトアミノフェン",
        "3",
        "錠",
        "1日3回毎食後",
    ),
    drug(
        "6131001M2073",
        "アモキシシリンカプセル250mg「トーワ」",
        "アモキシシリン水和物",
        "3",
        "カプセル",
        "1日3回毎食後",
    ),
    drug(
        "2233002F1060",
        "カルボシステイン錠500mg「トーワ」",
        "L-カルボシステイン",
        "3",
        "錠",
        "1日3回毎食後",
    ),
    drug(
        "6149003F1270",
        "クラリスロマイシン錠200mg「サワイ」",
        "クラリスロマイシン",
        "2",
        "錠",
        "1日2回朝夕食後",
    ),
    drug(
        "5200013D1030",
        "ツムラ葛根湯エキス顆粒（医療用）",
        "葛根湯",
        "7.5",
        "g",
        "1日3回食前",
    ),
    drug(
        "2329021F1021",
        "レバミピド錠100mg「トーワ」",
        "レバミピド",
        "3",
        "錠",
        "1日3回毎食後",
    ),
    drug(
        "2316004B1036",
        "ビオフェルミンR散",
        "耐性乳酸菌",
        "3",
        "g",
        "1日3回毎食後",
    ),
    drug(
        "6250021M1027",
        "オセルタミビルカプセル75mg「サワイ」",
        "オセルタミビルリン酸塩",
        "2",
        "カプセル",
        "1日2回朝夕食後",
    ),
    drug(
        "1141007C1075",
        "カロナール細粒20%",
        "アセトアミノフェン",
        "1.5",
        "g",
        "1日3回毎食後",
    ),
    drug(
        "2233002R2029",
        "カルボシステインDS50%「タカタ」",
        "L-カルボシステイン",
        "1",
        "g",
        "1日3回毎食後",
    ),
    drug(
        "4490017R1040",
        "オノンドライシロップ10%",
        "プランルカスト水和物",
        "1",
        "g",
        "1日2回朝夕食後",
    ),
];

fn drug_by_code(code: &str) -> Option<&'static Drug> {
    DRUGS.iter().find(|d| d.code == code)
}

fn drugs(codes: &[&str]) -> Vec<&'static Drug> {
    codes.iter().filter_map(|c| drug_by_code(c)).collect()
}

/// A chronic condition (慢性疾患) a synthetic person is treated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// 本態性高血圧症.
    Hypertension,
    /// 2型糖尿病.
    Diabetes,
    /// 脂質異常症.
    Dyslipidemia,
    /// 逆流性食道炎.
    Reflux,
    /// 骨粗鬆症.
    Osteoporosis,
    /// 不眠症.
    Insomnia,
    /// 心房細動.
    AtrialFibrillation,
    /// アルツハイマー型認知症.
    Dementia,
    /// 便秘症.
    Constipation,
    /// 気管支喘息.
    Asthma,
    /// 慢性腎不全（透析）: 特定疾病 1.
    Dialysis,
    /// 血友病Ａ: 特定疾病 2.
    Hemophilia,
}

impl Condition {
    /// (ICD-10, 傷病名).
    pub fn diagnosis(self) -> (&'static str, &'static str) {
        match self {
            Self::Hypertension => ("I10", "本態性高血圧症"),
            Self::Diabetes => ("E119", "2型糖尿病"),
            Self::Dyslipidemia => ("E785", "脂質異常症"),
            Self::Reflux => ("K219", "逆流性食道炎"),
            Self::Osteoporosis => ("M810", "骨粗鬆症"),
            Self::Insomnia => ("G470", "不眠症"),
            Self::AtrialFibrillation => ("I489", "心房細動"),
            Self::Dementia => ("G309", "アルツハイマー型認知症"),
            Self::Constipation => ("K590", "便秘症"),
            Self::Asthma => ("J459", "気管支喘息"),
            Self::Dialysis => ("N185", "慢性腎不全（透析）"),
            Self::Hemophilia => ("D66", "血友病Ａ"),
        }
    }

    fn drug_codes(self) -> &'static [&'static str] {
        match self {
            Self::Hypertension => &["2171022F1019"],
            Self::Diabetes => &["3962002F2024", "3969010F1020"],
            Self::Dyslipidemia => &["2189017F1026"],
            Self::Reflux => &["2329023F1020"],
            Self::Osteoporosis => &["3112004M1020"],
            Self::Insomnia => &["1129009F1025"],
            Self::AtrialFibrillation => &["3339004F1024"],
            Self::Dementia => &["1190012F3021"],
            Self::Constipation => &["2344009F1022"],
            Self::Asthma => &["4490026F1029"],
            Self::Dialysis => &["2190031F1020", "3999034F1023", "2171022F1019"],
            Self::Hemophilia => &["6343445G1020"],
        }
    }
}

/// The chronic conditions of someone of `age` (today), drawn by rough prevalence.
pub fn pick_conditions(rng: &mut Stream, age: u32, female: bool) -> Vec<Condition> {
    let mut out = Vec::new();
    let mut maybe = |c: Condition, per_mille: u32, rng: &mut Stream| {
        if rng.chance(per_mille) {
            out.push(c);
        }
    };
    if age >= 40 {
        maybe(Condition::Hypertension, ((age - 30) * 9).min(600), rng);
        maybe(Condition::Diabetes, if age >= 60 { 180 } else { 90 }, rng);
        maybe(Condition::Dyslipidemia, 200, rng);
        maybe(Condition::Reflux, 60, rng);
    }
    if age >= 60 {
        maybe(Condition::Insomnia, 100, rng);
        if female {
            maybe(Condition::Osteoporosis, 250, rng);
        }
    }
    if age >= 70 {
        maybe(Condition::AtrialFibrillation, 70, rng);
        maybe(Condition::Constipation, 250, rng);
    }
    if age >= 80 {
        maybe(Condition::Dementia, 200, rng);
    }
    if (6..40).contains(&age) {
        maybe(Condition::Asthma, 50, rng);
    }
    out
}

/// 調剤 as generated: compact (drug master entries), expanded into [`Dispensing`] when read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispensed {
    /// 調剤日.
    pub date: Date,
    /// 調剤した薬局 (医療機関等コード).
    pub pharmacy: String,
    /// 処方した医療機関 (医療機関等コード).
    pub prescriber: String,
    /// The drugs and the days supplied.
    pub drugs: Vec<(&'static Drug, u32)>,
}

/// 診療情報・手術情報 as generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosed {
    /// 診療日.
    pub date: Date,
    /// 医療機関等コード.
    pub institution: String,
    /// 傷病名 or 手術.
    pub kind: DiagnosisKind,
    /// ICD-10 (傷病名) or 診療行為コード (手術).
    pub code: &'static str,
    /// Its name.
    pub name: &'static str,
}

/// 特定健診 as generated: the values of [`CHECKUP_PANEL`], in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// 実施日.
    pub date: Date,
    /// 健診機関 (医療機関等コード).
    pub institution: String,
    /// The results, one per panel item.
    pub values: Vec<String>,
}

/// Whether a 診療情報 row is a diagnosis or an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosisKind {
    /// 傷病名.
    Disease,
    /// 手術.
    Surgery,
}

impl DiagnosisKind {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Disease => "disease",
            Self::Surgery => "surgery",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> Self {
        if s == "surgery" {
            Self::Surgery
        } else {
            Self::Disease
        }
    }
}

/// 医療機関等 as shown in a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionRef {
    /// 医療機関等コード.
    pub code: String,
    /// 名称.
    pub name: String,
}

impl InstitutionRef {
    /// The reference for a stored code.
    pub fn of(code: &str) -> Self {
        Self {
            code: code.to_owned(),
            name: facility_name(code),
        }
    }
}

/// 薬剤情報: one dispensing (調剤) with its drugs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispensing {
    /// 調剤日.
    #[serde(with = "onshi_core::jst::serde_date")]
    pub dispensed_on: Date,
    /// 調剤した薬局.
    pub pharmacy: InstitutionRef,
    /// 処方医療機関.
    pub prescriber: InstitutionRef,
    /// 薬剤.
    pub drugs: Vec<DrugLine>,
}

/// One drug of a dispensing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrugLine {
    /// 薬剤コード.
    pub code: String,
    /// 薬剤名.
    pub name: String,
    /// 成分名.
    pub ingredient: String,
    /// 1日量.
    pub quantity: String,
    /// 単位.
    pub unit: String,
    /// 用法.
    pub usage: String,
    /// 日数.
    pub days: u32,
}

/// 診療情報・手術情報: one diagnosis or operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    /// 診療日.
    #[serde(with = "onshi_core::jst::serde_date")]
    pub date: Date,
    /// 医療機関等.
    pub institution: InstitutionRef,
    /// 傷病名 or 手術.
    pub kind: DiagnosisKind,
    /// ICD-10 or 診療行為コード.
    pub code: String,
    /// 傷病名 or 手術名.
    pub name: String,
}

/// 特定健診情報: one check-up with its results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkup {
    /// 実施日.
    #[serde(with = "onshi_core::jst::serde_date")]
    pub date: Date,
    /// 健診機関.
    pub institution: InstitutionRef,
    /// 結果.
    pub items: Vec<CheckupResult>,
}

/// One 特定健診 result item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckupResult {
    /// 項目コード.
    pub code: String,
    /// 項目名.
    pub name: String,
    /// 値.
    pub value: String,
    /// 単位.
    pub unit: String,
}

/// The 特定健診 panel: (項目コード, 項目名, 単位).
pub const CHECKUP_PANEL: &[(&str, &str, &str)] = &[
    ("9N001000000000001", "身長", "cm"),
    ("9N006000000000001", "体重", "kg"),
    ("9N011000000000001", "BMI", "kg/m2"),
    ("9N016160100000001", "腹囲（実測）", "cm"),
    ("9A751000000000001", "収縮期血圧", "mmHg"),
    ("9A761000000000001", "拡張期血圧", "mmHg"),
    ("3F015000002327101", "中性脂肪", "mg/dL"),
    ("3F070000002327101", "HDLコレステロール", "mg/dL"),
    ("3F077000002327101", "LDLコレステロール", "mg/dL"),
    ("3D010000001926101", "空腹時血糖", "mg/dL"),
    ("3D046000001906202", "HbA1c（NGSP値）", "%"),
    ("3B035000002327201", "AST（GOT）", "U/L"),
    ("3B045000002327201", "ALT（GPT）", "U/L"),
    ("3B090000002327101", "γ-GT（γ-GTP）", "U/L"),
    ("1A020000000191111", "尿糖", ""),
    ("1A010000000191111", "尿蛋白", ""),
];

/// Expands a stored dispensing (drugs as `code*days;…`).
pub fn dispensing(date: Date, pharmacy: &str, prescriber: &str, drugs: &str) -> Dispensing {
    let drugs = drugs
        .split(';')
        .filter_map(|item| {
            let (code, days) = item.split_once('*')?;
            let d = drug_by_code(code)?;
            Some(DrugLine {
                code: d.code.to_owned(),
                name: d.name.to_owned(),
                ingredient: d.ingredient.to_owned(),
                quantity: d.per_day.to_owned(),
                unit: d.unit.to_owned(),
                usage: d.usage.to_owned(),
                days: days.parse().unwrap_or(0),
            })
        })
        .collect();
    Dispensing {
        dispensed_on: date,
        pharmacy: InstitutionRef::of(pharmacy),
        prescriber: InstitutionRef::of(prescriber),
        drugs,
    }
}

/// The stored form of a dispensing's drugs.
pub fn encode_drugs(drugs: &[(&'static Drug, u32)]) -> String {
    let mut s = String::with_capacity(drugs.len() * 16);
    for (i, (d, days)) in drugs.iter().enumerate() {
        if i > 0 {
            s.push(';');
        }
        s.push_str(d.code);
        s.push('*');
        s.push_str(&days.to_string());
    }
    s
}

/// Expands stored check-up values (`;`-separated, in panel order).
pub fn checkup(date: Date, institution: &str, values: &str) -> Checkup {
    Checkup {
        date,
        institution: InstitutionRef::of(institution),
        items: CHECKUP_PANEL
            .iter()
            .zip(values.split(';'))
            .map(|((code, name, unit), value)| CheckupResult {
                code: (*code).to_owned(),
                name: (*name).to_owned(),
                value: value.to_owned(),
                unit: (*unit).to_owned(),
            })
            .collect(),
    }
}

/// Who the history is for.
#[derive(Debug, Clone)]
pub struct Profile {
    /// 生年月日.
    pub birth: Date,
    /// 女性.
    pub female: bool,
    /// 都道府県番号 (where the pool institutions are).
    pub prefecture: u8,
    /// Chronic conditions.
    pub conditions: Vec<Condition>,
    /// The last day of care (today, or the day before death).
    pub until: Date,
    /// Treated at home (訪問診療): prescriptions every two weeks from this clinic.
    pub home_clinic: Option<&'static str>,
}

/// The person's history.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// 薬剤情報 (3 years).
    pub dispensed: Vec<Dispensed>,
    /// 診療・手術情報 (5 years).
    pub diagnosed: Vec<Diagnosed>,
    /// 特定健診 (5 years, aged 40 and over).
    pub checked: Vec<Checked>,
}

const ACUTE: &[(&str, &str, &[&str], &[&str])] = &[
    (
        "J069",
        "急性上気道炎",
        &["2233002F1060", "1141007F1063"],
        &["2233002R2029", "1141007C1075"],
    ),
    (
        "J209",
        "急性気管支炎",
        &["6149003F1270", "2233002F1060"],
        &["4490017R1040", "2233002R2029"],
    ),
    (
        "J029",
        "急性咽頭炎",
        &["6131001M2073", "1149019F1560"],
        &["1141007C1075"],
    ),
    (
        "M545",
        "腰痛症",
        &["1149019F1560", "2329021F1021"],
        &["1141007C1075"],
    ),
    ("A09", "感染性胃腸炎", &["2316004B1036"], &["2316004B1036"]),
    (
        "J101",
        "インフルエンザ",
        &["6250021M1027", "1141007F1063"],
        &["1141007C1075"],
    ),
    ("J00", "感冒", &["5200013D1030"], &["2233002R2029"]),
];

const SURGERIES: &[(&str, &str)] = &[
    ("150264110", "水晶体再建術（眼内レンズを挿入する場合）"),
    ("150153810", "虫垂切除術"),
    ("150263410", "経皮的冠動脈形成術"),
    ("150049410", "人工骨頭挿入術（股）"),
    ("150208310", "内シャント設置術"),
];

fn years_ago(today: Date, years: i32) -> Date {
    add_months_clamped(today, -12 * years)
}

/// Generates the history of `profile` up to `today`.
pub fn generate(rng: &mut Stream, profile: &Profile, today: Date) -> History {
    let mut h = History::default();
    let until = profile.until.min(today);
    let pref = profile.prefecture;
    let clinic = facility(
        FacilityRole::Clinic,
        pref,
        rng.below(u64::from(POOL_SIZE)) as u32,
    );
    let clinic_code = profile.home_clinic.map_or(clinic.code, str::to_owned);
    let pharmacy = facility(
        FacilityRole::Pharmacy,
        pref,
        rng.below(u64::from(POOL_SIZE)) as u32,
    );
    let med_from = years_ago(today, 3);
    let dx_from = years_ago(today, 5);
    let age_on = |d: Date| onshi_core::jst::age_on(profile.birth, d);

    // Chronic care: a diagnosis when it began (or at the window's start), then regular
    // prescriptions dispensed at the person's pharmacy.
    let mut onsets = Vec::with_capacity(profile.conditions.len());
    for &c in &profile.conditions {
        let onset = if rng.chance(700) {
            dx_from
        } else {
            rng.day_between(dx_from.max(profile.birth), until)
        };
        onsets.push((c, onset));
        let (code, name) = c.diagnosis();
        h.diagnosed.push(Diagnosed {
            date: onset,
            institution: clinic_code.clone(),
            kind: DiagnosisKind::Disease,
            code,
            name,
        });
        if c == Condition::Dialysis {
            h.diagnosed.push(Diagnosed {
                date: onset,
                institution: clinic_code.clone(),
                kind: DiagnosisKind::Surgery,
                code: SURGERIES[4].0,
                name: SURGERIES[4].1,
            });
        }
    }
    if !onsets.is_empty() {
        let interval = if profile.home_clinic.is_some() {
            14
        } else {
            [28, 28, 56, 56, 84][rng.below(5) as usize]
        };
        let first = onsets
            .iter()
            .map(|(_, d)| *d)
            .min()
            .unwrap_or(med_from)
            .max(med_from);
        let mut day = first + Duration::days(rng.below(interval) as i64);
        while day <= until {
            let drugs: Vec<(&'static Drug, u32)> = onsets
                .iter()
                .filter(|(_, onset)| *onset <= day)
                .flat_map(|(c, _)| drugs(c.drug_codes()))
                .map(|d| (d, interval as u32))
                .collect();
            if !drugs.is_empty() {
                h.dispensed.push(Dispensed {
                    date: day,
                    pharmacy: pharmacy.code.clone(),
                    prescriber: clinic_code.clone(),
                    drugs,
                });
            }
            day += Duration::days(interval as i64);
        }
    }

    // Acute episodes: colds, back pain, influenza; more often for small children.
    let start = dx_from.max(profile.birth);
    let years = 5;
    let per_year = |age: u32| match age {
        0..=5 => 4,
        6..=14 => 2,
        _ => 1,
    };
    let episodes = (0..years)
        .map(|_| rng.below(per_year(age_on(today)) as u64 * 2 + 1))
        .sum::<u64>();
    for _ in 0..episodes {
        let date = rng.day_between(start, until);
        let Some(&(code, name, adult, child)) = rng.pick(ACUTE) else {
            continue;
        };
        let acute_clinic = facility(
            FacilityRole::Clinic,
            pref,
            rng.below(u64::from(POOL_SIZE)) as u32,
        );
        h.diagnosed.push(Diagnosed {
            date,
            institution: acute_clinic.code.clone(),
            kind: DiagnosisKind::Disease,
            code,
            name,
        });
        if date >= med_from {
            let list = if age_on(date) < 12 { child } else { adult };
            let days = rng.range(3, 7);
            h.dispensed.push(Dispensed {
                date,
                pharmacy: pharmacy.code.clone(),
                prescriber: acute_clinic.code,
                drugs: drugs(list).into_iter().map(|d| (d, days)).collect(),
            });
        }
    }

    // Operations: cataract and hip fracture with age, appendicitis at any age.
    let age = age_on(until);
    let hospital = facility(FacilityRole::Clinic, pref, 4);
    let operate = |rng: &mut Stream, per_mille: u32, which: usize, h: &mut History| {
        if rng.chance(per_mille) {
            h.diagnosed.push(Diagnosed {
                date: rng.day_between(start, until),
                institution: hospital.code.clone(),
                kind: DiagnosisKind::Surgery,
                code: SURGERIES[which].0,
                name: SURGERIES[which].1,
            });
        }
    };
    if age >= 65 {
        operate(rng, 60, 0, &mut h);
    }
    if age >= 80 && profile.female {
        operate(rng, 20, 3, &mut h);
    }
    if age >= 65 && profile.conditions.contains(&Condition::Hypertension) {
        operate(rng, 15, 2, &mut h);
    }
    operate(rng, 3, 1, &mut h);

    // 特定健診: yearly from 40, most years.
    let centre = facility(
        FacilityRole::Checkup,
        pref,
        rng.below(u64::from(POOL_SIZE)) as u32,
    );
    let day_of_year = rng.range(120, 300) as i64;
    for back in (1..=5).rev() {
        let jan1 =
            Date::from_calendar_date(today.year() - back + 1, Month::January, 1).unwrap_or(today);
        let date = jan1 + Duration::days(day_of_year);
        if date > until || date < dx_from || age_on(date) < 40 || !rng.chance(750) {
            continue;
        }
        h.checked.push(Checked {
            date,
            institution: centre.code.clone(),
            values: checkup_values(rng, profile, age_on(date)),
        });
    }
    h.diagnosed.sort_by_key(|d| d.date);
    h.dispensed.sort_by_key(|d| d.date);
    h
}

fn checkup_values(rng: &mut Stream, p: &Profile, age: u32) -> Vec<String> {
    let has = |c: Condition| p.conditions.contains(&c);
    let jitter =
        |rng: &mut Stream, base: u32, spread: u32| base + rng.below(u64::from(spread) + 1) as u32;
    let height_cm = if p.female {
        jitter(rng, 1480, 160)
    } else {
        jitter(rng, 1600, 180)
    } - if age >= 70 { 30 } else { 0 };
    let bmi_x10 = jitter(rng, 190, 70) + if has(Condition::Diabetes) { 30 } else { 0 };
    let h = f64::from(height_cm) / 1000.0;
    let weight = f64::from(bmi_x10) / 10.0 * h * h;
    let waist = 60 + bmi_x10 / 10 + rng.below(10) as u32 + if p.female { 0 } else { 5 };
    let (sbp, dbp) = if has(Condition::Hypertension) {
        (jitter(rng, 132, 20), jitter(rng, 80, 14))
    } else {
        (jitter(rng, 106, 24), jitter(rng, 62, 20))
    };
    let (fbs, a1c_x10) = if has(Condition::Diabetes) {
        (jitter(rng, 120, 40), jitter(rng, 64, 16))
    } else {
        (jitter(rng, 82, 24), jitter(rng, 50, 8))
    };
    let ldl = if has(Condition::Dyslipidemia) {
        jitter(rng, 120, 50)
    } else {
        jitter(rng, 80, 60)
    };
    let tg = jitter(rng, 60, 120);
    let hdl = jitter(rng, 40, 40);
    let ast = jitter(rng, 15, 20);
    let alt = jitter(rng, 10, 25);
    let ggt = jitter(rng, 15, if p.female { 20 } else { 50 });
    let urine = |rng: &mut Stream, positive: bool| {
        if positive && rng.chance(300) {
            "+"
        } else {
            "－"
        }
        .to_owned()
    };
    vec![
        format!("{:.1}", f64::from(height_cm) / 10.0),
        format!("{weight:.1}"),
        format!("{:.1}", f64::from(bmi_x10) / 10.0),
        waist.to_string(),
        sbp.to_string(),
        dbp.to_string(),
        tg.to_string(),
        hdl.to_string(),
        ldl.to_string(),
        fbs.to_string(),
        format!("{:.1}", f64::from(a1c_x10) / 10.0),
        ast.to_string(),
        alt.to_string(),
        ggt.to_string(),
        urine(rng, has(Condition::Diabetes)),
        urine(
            rng,
            has(Condition::Dialysis) || has(Condition::Hypertension),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::super::catalog::is_valid_code;
    use super::super::rng::Purpose;
    use super::*;
    use time::macros::date;

    #[test]
    fn drug_codes_resolve_and_round_trip() {
        for c in [
            Condition::Hypertension,
            Condition::Diabetes,
            Condition::Dyslipidemia,
            Condition::Reflux,
            Condition::Osteoporosis,
            Condition::Insomnia,
            Condition::AtrialFibrillation,
            Condition::Dementia,
            Condition::Constipation,
            Condition::Asthma,
            Condition::Dialysis,
            Condition::Hemophilia,
        ] {
            assert_eq!(drugs(c.drug_codes()).len(), c.drug_codes().len(), "{c:?}");
        }
        for (_, _, adult, child) in ACUTE {
            assert_eq!(drugs(adult).len(), adult.len());
            assert_eq!(drugs(child).len(), child.len());
        }
        let list: Vec<(&'static Drug, u32)> = drugs(&["2171022F1019", "3962002F2024"])
            .into_iter()
            .map(|d| (d, 28))
            .collect();
        let d = dispensing(
            date!(2026 - 01 - 05),
            "1340100014",
            "1310100019",
            &encode_drugs(&list),
        );
        assert_eq!(d.drugs.len(), 2);
        assert_eq!(d.drugs[1].days, 28);
        assert_eq!(d.drugs[0].usage, "1日1回朝食後");
    }

    #[test]
    fn an_elderly_history_has_three_years_of_drugs_and_yearly_checkups() {
        let today = date!(2026 - 11 - 21);
        let mut rng = Stream::new(9, Purpose::Person, 1);
        let profile = Profile {
            birth: date!(1952 - 06 - 10),
            female: true,
            prefecture: 13,
            conditions: vec![Condition::Hypertension, Condition::Osteoporosis],
            until: today,
            home_clinic: None,
        };
        let h = generate(&mut rng, &profile, today);
        let first = h.dispensed.first().map(|d| d.date).unwrap_or(today);
        assert!(first >= date!(2023 - 11 - 21), "{first}");
        assert!(h.dispensed.len() >= 12);
        assert!(
            h.dispensed
                .iter()
                .all(|d| is_valid_code(&d.pharmacy) && is_valid_code(&d.prescriber))
        );
        assert!(
            h.checked
                .iter()
                .all(|c| c.values.len() == CHECKUP_PANEL.len())
        );
        assert!(h.diagnosed.iter().any(|d| d.code == "I10"));
        let c = checkup(
            today,
            "1310100019",
            &h.checked
                .first()
                .map(|c| c.values.join(";"))
                .unwrap_or_default(),
        );
        assert!(c.items.len() <= CHECKUP_PANEL.len());
    }
}

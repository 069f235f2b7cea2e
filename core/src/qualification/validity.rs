//! 資格有効性の判定: whether a person is covered on a 資格確認日, from the records insurers
//! registered. One function for every channel (face reader, web, app, batch, 再照会).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::record::Qualification;
use crate::codes::{QualificationValidity, ReasonOfLoss};
use crate::i18n::Message;
use crate::ids::{
    InsuredBranchNumber, InsuredCardSymbol, InsuredIdentificationNumber, InsurerNumber,
};
use crate::jst::Date;

/// A record as registered for one person (the person key is the central system's, never the 個人番号).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredRecord {
    /// The person the record belongs to (an opaque key).
    pub person: String,
    /// The qualification.
    pub qualification: Qualification,
}

/// How the person is identified.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "by")]
pub enum QueryKey {
    /// マイナ保険証: the card's certificate already named the person.
    Card {
        /// The person key linked to the card's certificate.
        person: String,
    },
    /// 被保険者証・資格確認書 numbers: 保険者番号, 記号 (optional), 番号, 枝番 (optional), 生年月日.
    Numbers {
        /// 保険者番号.
        insurer: InsurerNumber,
        /// 記号, when the card has one.
        #[serde(default)]
        symbol: Option<InsuredCardSymbol>,
        /// 番号.
        number: InsuredIdentificationNumber,
        /// 枝番, when known.
        #[serde(default)]
        branch: Option<InsuredBranchNumber>,
        /// 生年月日.
        #[serde(with = "crate::jst::serde_date")]
        birthdate: Date,
    },
}

/// The determination: the OQSCD006 value, the record to show, and what staff should do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Determination {
    /// 資格有効性.
    pub validity: QualificationValidity,
    /// Index of the record to show (the current one, or the last one for reference).
    pub record: Option<usize>,
    /// 資格喪失事由 of the shown record, when it is not valid.
    pub reason_of_loss: Option<ReasonOfLoss>,
    /// onshi's stable code (flows §11).
    pub code: &'static str,
    /// What it means and what to do.
    pub message: Message,
}

/// 有効・無効・エラー: the three outcomes staff sort answers by (screens, 一括照会 tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 有効 (資格有効性 1, and 6 — onshi's named choice: valid with a warning).
    Valid,
    /// 無効: a record exists but does not cover the day (2, 3).
    Invalid,
    /// エラー: no record, or more than one (4, 5).
    Error,
}

impl Verdict {
    /// The verdict of a 資格有効性.
    pub fn of(validity: QualificationValidity) -> Self {
        use QualificationValidity as V;
        match validity {
            V::Valid | V::ValidUnregistered => Self::Valid,
            V::Invalid | V::InvalidNewQualification => Self::Invalid,
            V::NotFound | V::MultipleMatches => Self::Error,
        }
    }
}

impl Determination {
    fn new(
        validity: QualificationValidity,
        record: Option<usize>,
        reason: Option<ReasonOfLoss>,
    ) -> Self {
        let (code, message) = outcome(validity, reason);
        Self {
            validity,
            record,
            reason_of_loss: reason,
            code,
            message,
        }
    }
}

/// onshi's code and message for a validity, whether onshi determined it or read it from a result.
pub fn outcome(
    validity: QualificationValidity,
    reason: Option<ReasonOfLoss>,
) -> (&'static str, Message) {
    use QualificationValidity as V;
    match validity {
        V::Valid => (
            "QUAL_VALID",
            Message::new("資格は有効です", "the qualification is valid"),
        ),
        V::Invalid => {
            let (ja, en) = match reason {
                Some(ReasonOfLoss::PublicAssistanceStarted) => (
                    "資格は無効です（生活保護受給開始）。医療扶助の資格を確認してください",
                    "not covered: public assistance started; check the 医療扶助 qualification",
                ),
                Some(r) => {
                    return (
                        "QUAL_INVALID",
                        Message::new(
                            format!(
                                "資格は無効です（{}）。現在の資格確認書かマイナ保険証を確認してください",
                                r.label_ja()
                            ),
                            format!(
                                "not covered on this date (reason code {}); ask for a current credential",
                                r.code()
                            ),
                        ),
                    );
                }
                None => (
                    "資格は無効です。現在の資格確認書かマイナ保険証を確認してください",
                    "not covered on this date; ask for a current credential",
                ),
            };
            ("QUAL_INVALID", Message::new(ja, en))
        }
        V::InvalidNewQualification => (
            "QUAL_SUPERSEDED",
            Message::new(
                "この資格は終了し、新しい資格があります。新しい資格確認書かマイナ保険証で確認してください",
                "this qualification has ended and a newer one exists; check with the new credential or the card",
            ),
        ),
        V::NotFound => (
            "QUAL_NOT_FOUND",
            Message::new(
                "該当する資格がありません。番号と生年月日の入力をご確認ください",
                "no matching qualification; check the numbers and the birth date",
            ),
        ),
        V::MultipleMatches => (
            "QUAL_AMBIGUOUS",
            Message::new(
                "複数の資格が該当します。枝番を入力するか、マイナ保険証で確認してください",
                "several qualifications match; add the branch number or use the card",
            ),
        ),
        V::ValidUnregistered => (
            "QUAL_REVIEW",
            Message::new(
                "有効（未登録）: 資格内容を目視で確認してください",
                "valid (unregistered): check the record by hand",
            ),
        ),
    }
}

fn matches_numbers(q: &Qualification, key: &QueryKey) -> bool {
    let QueryKey::Numbers {
        insurer,
        symbol,
        number,
        branch,
        birthdate,
    } = key
    else {
        return false;
    };
    q.insurer_number.as_ref() == Some(insurer)
        && q.number.as_ref() == Some(number)
        && q.birthdate == *birthdate
        && symbol.as_ref().is_none_or(|s| q.symbol.as_ref() == Some(s))
        && branch.as_ref().is_none_or(|b| q.branch.as_ref() == Some(b))
}

/// The records, indexed by person and by (保険者番号, 番号, 生年月日), so that each determination
/// looks at a handful of records rather than all of them (一括照会 of thousands of rows).
#[derive(Debug)]
pub struct RecordIndex<'a> {
    records: &'a [RegisteredRecord],
    by_person: HashMap<&'a str, Vec<usize>>,
    by_numbers: HashMap<(&'a str, &'a str, Date), Vec<usize>>,
}

impl<'a> RecordIndex<'a> {
    /// Indexes `records`.
    pub fn new(records: &'a [RegisteredRecord]) -> Self {
        let mut by_person: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_numbers: HashMap<(&str, &str, Date), Vec<usize>> = HashMap::new();
        for (i, r) in records.iter().enumerate() {
            by_person.entry(r.person.as_str()).or_default().push(i);
            if let (Some(insurer), Some(number)) =
                (&r.qualification.insurer_number, &r.qualification.number)
            {
                by_numbers
                    .entry((insurer.as_str(), number.as_str(), r.qualification.birthdate))
                    .or_default()
                    .push(i);
            }
        }
        Self {
            records,
            by_person,
            by_numbers,
        }
    }

    /// The records.
    pub fn records(&self) -> &'a [RegisteredRecord] {
        self.records
    }

    fn person(&self, person: &str) -> &[usize] {
        self.by_person.get(person).map_or(&[], Vec::as_slice)
    }

    /// Determines 資格有効性 on `date` for the person named by `key` (see [`determine_validity`]).
    pub fn determine(&self, key: &QueryKey, date: Date) -> Determination {
        use QualificationValidity as V;
        let records = self.records;
        match key {
            QueryKey::Card { person } => {
                let own = self.person(person);
                let mut covering: Vec<usize> = own
                    .iter()
                    .copied()
                    .filter(|&i| records[i].qualification.covers(date))
                    .collect();
                covering.sort_by_key(|&i| records[i].qualification.is_medical_assistance());
                if let Some(&i) = covering.first() {
                    Determination::new(V::Valid, Some(i), None)
                } else if let Some(i) = latest(records, own) {
                    Determination::new(V::Invalid, Some(i), records[i].qualification.reason_of_loss)
                } else {
                    Determination::new(V::NotFound, None, None)
                }
            }
            QueryKey::Numbers {
                insurer,
                number,
                birthdate,
                ..
            } => {
                let candidates: Vec<usize> = self
                    .by_numbers
                    .get(&(insurer.as_str(), number.as_str(), *birthdate))
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .copied()
                    .filter(|&i| matches_numbers(&records[i].qualification, key))
                    .collect();
                let Some(&first) = candidates.first() else {
                    return Determination::new(V::NotFound, None, None);
                };
                let person = records[first].person.as_str();
                if candidates.iter().any(|&i| records[i].person != person) {
                    return Determination::new(V::MultipleMatches, None, None);
                }
                if let Some(&i) = candidates
                    .iter()
                    .find(|&&i| records[i].qualification.covers(date))
                {
                    return Determination::new(V::Valid, Some(i), None);
                }
                let shown = latest(records, &candidates);
                let reason = shown.and_then(|i| records[i].qualification.reason_of_loss);
                let newer_exists = self
                    .person(person)
                    .iter()
                    .any(|&i| !candidates.contains(&i) && records[i].qualification.covers(date));
                let validity = if newer_exists {
                    V::InvalidNewQualification
                } else {
                    V::Invalid
                };
                Determination::new(validity, shown, reason)
            }
        }
    }
}

/// The most recent of `indices` (latest acquisition), for showing a lost record for reference.
fn latest(records: &[RegisteredRecord], indices: &[usize]) -> Option<usize> {
    indices
        .iter()
        .copied()
        .max_by_key(|&i| records[i].qualification.qualification_date)
}

/// Determines 資格有効性 on `date` for the person named by `key`.
///
/// A card query names the person, so it returns their current record (an insurance record before a
/// 医療扶助 one). A number query matches records by the numbers and birth date: none is 該当資格なし;
/// several people is 複数該当; a matched record that does not cover the date is 無効, or
/// 無効（新しい資格あり） when the same person has another record that does. `有効（未登録）` is
/// never produced here (its meaning is undocumented); it is only read from results. For many
/// queries over the same records, build a [`RecordIndex`] once.
pub fn determine_validity(
    records: &[RegisteredRecord],
    key: &QueryKey,
    date: Date,
) -> Determination {
    RecordIndex::new(records).determine(key, date)
}

#[cfg(test)]
mod verdict_tests {
    use super::Verdict;
    use crate::codes::QualificationValidity as V;

    #[test]
    fn verdicts_group_every_validity() {
        assert_eq!(Verdict::of(V::Valid), Verdict::Valid);
        assert_eq!(Verdict::of(V::ValidUnregistered), Verdict::Valid);
        assert_eq!(Verdict::of(V::Invalid), Verdict::Invalid);
        assert_eq!(Verdict::of(V::InvalidNewQualification), Verdict::Invalid);
        assert_eq!(Verdict::of(V::NotFound), Verdict::Error);
        assert_eq!(Verdict::of(V::MultipleMatches), Verdict::Error);
    }
}

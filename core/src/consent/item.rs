//! 同意項目: the items of the consent screen (入力 → 確認 → 完了).

use serde::{Deserialize, Serialize};

use crate::codes::ConsentInformationKind;
use crate::facility::Information;

/// One item on the consent screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentItem {
    /// 手術情報の提供
    Surgery,
    /// 診療情報および薬剤情報の提供 (one item on the screen; two flags in the result)
    CareAndMedication,
    /// 特定健診等情報の提供（40歳以上対象）
    HealthCheckups,
    /// 特定疾病療養受療証情報の提供 (only when the card is used)
    SpecificDisease,
}

impl ConsentItem {
    /// The items in screen order.
    pub const ALL: [Self; 4] = [
        Self::Surgery,
        Self::CareAndMedication,
        Self::HealthCheckups,
        Self::SpecificDisease,
    ];

    /// The screen wording.
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Surgery => "手術情報の提供",
            Self::CareAndMedication => "診療情報および薬剤情報の提供",
            Self::HealthCheckups => "特定健診等情報の提供（40歳以上対象）",
            Self::SpecificDisease => "特定疾病療養受療証情報の提供",
        }
    }

    /// The wording in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Surgery => "Share surgery records",
            Self::CareAndMedication => "Share care and medication records",
            Self::HealthCheckups => "Share specific health checkup results (age 40 and over)",
            Self::SpecificDisease => "Share the specific-disease treatment certificate",
        }
    }

    /// The item that covers a kind of information, if consent applies to it.
    pub fn covering(information: Information) -> Option<Self> {
        match information {
            Information::Medication | Information::Diagnosis => Some(Self::CareAndMedication),
            Information::Surgery => Some(Self::Surgery),
            Information::HealthCheckups => Some(Self::HealthCheckups),
            Information::SpecificDiseaseCertificate => Some(Self::SpecificDisease),
            Information::Qualification | Information::LimitCertificate => None,
        }
    }

    /// The OQSCD036 categories the item covers. **Provisional**: the code table comes from one
    /// source, and the screen merges 診療 and 薬剤 into one item.
    pub fn categories(self) -> &'static [ConsentInformationKind] {
        match self {
            Self::Surgery => &[ConsentInformationKind::Surgery],
            Self::CareAndMedication => &[
                ConsentInformationKind::Care,
                ConsentInformationKind::Medication,
            ],
            Self::HealthCheckups => &[ConsentInformationKind::HealthCheckups],
            Self::SpecificDisease => &[ConsentInformationKind::SpecificDiseaseCertificate],
        }
    }
}

/// 同意する / 同意しない.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// 同意する
    Agree,
    /// 同意しない
    Decline,
}

/// The answers on the input screen. "Not chosen" is not 同意しない: confirmation needs an explicit
/// answer for every item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ConsentChoices {
    answers: [Option<Answer>; 4],
}

/// Items without an answer, named so the screen can point at them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未回答の項目があります: {} (answer every item)", .0.iter().map(|i| i.label_ja()).collect::<Vec<_>>().join("、"))]
pub struct MissingAnswers(pub Vec<ConsentItem>);

impl MissingAnswers {
    /// What to tell the person, naming the items in each language.
    pub fn message(&self) -> crate::i18n::Message {
        let ja: Vec<&str> = self.0.iter().map(|i| i.label_ja()).collect();
        let en: Vec<&str> = self.0.iter().map(|i| i.label_en()).collect();
        crate::i18n::Message::new(
            format!("回答していない項目があります: {}", ja.join("、")),
            format!("Please answer every item: {}", en.join(", ")),
        )
    }
}

impl ConsentChoices {
    /// Sets one item's answer.
    pub fn set(&mut self, item: ConsentItem, answer: Answer) {
        self.answers[item as usize] = Some(answer);
    }

    /// すべての項目に同意する.
    pub fn agree_to_all(&mut self) {
        self.answers = [Some(Answer::Agree); 4];
    }

    /// The answer for an item, if given.
    pub fn get(&self, item: ConsentItem) -> Option<Answer> {
        self.answers[item as usize]
    }

    /// 同意内容を確認する: every item must be answered.
    pub fn confirm(&self) -> Result<Vec<(ConsentItem, Answer)>, MissingAnswers> {
        let missing: Vec<ConsentItem> = ConsentItem::ALL
            .into_iter()
            .filter(|i| self.get(*i).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(MissingAnswers(missing));
        }
        Ok(ConsentItem::ALL
            .into_iter()
            .filter_map(|i| self.get(i).map(|a| (i, a)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unanswered_is_not_declined() {
        let mut c = ConsentChoices::default();
        c.set(ConsentItem::Surgery, Answer::Decline);
        let missing = c.confirm().unwrap_err();
        assert_eq!(missing.0.len(), 3);
        // Each language names the items in its own words.
        let m = missing.message();
        assert!(
            m.ja.contains("手術") || m.ja.contains("診療情報"),
            "{}",
            m.ja
        );
        assert!(
            m.en.contains("Share care and medication records"),
            "{}",
            m.en
        );
        assert!(!m.en.contains("提供"), "{}", m.en);
        c.agree_to_all();
        assert!(
            c.confirm()
                .unwrap()
                .iter()
                .all(|(_, a)| *a == Answer::Agree)
        );
    }

    #[test]
    fn information_maps_to_items() {
        assert_eq!(
            ConsentItem::covering(Information::Diagnosis),
            Some(ConsentItem::CareAndMedication)
        );
        assert_eq!(ConsentItem::covering(Information::LimitCertificate), None);
    }
}

//! 医療扶助の表示パターン (seed 004 §2.2.1): what a 医療扶助 result shows, by how it was asked and
//! whether a 医療券/調剤券 names this institution for the month (未委託 when none does).

use serde::{Deserialize, Serialize};

use super::record::MedicalAssistance;
use crate::i18n::Message;
use crate::ids::MedicalInstitutionCode;
use crate::jst::Date;

/// How the 医療扶助 qualification was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MedAidQuery {
    /// マイナンバーカード.
    Card,
    /// 医療券 numbers (公費負担者番号, 受給者番号, 生年月日, 資格確認日).
    Ticket,
    /// 一括照会 by 受給者番号.
    Batch,
    /// 委託先資格情報の一括取得 (every ticket naming this institution for a month).
    EntrustedBulk,
}

/// The facts the pattern depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedAidSituation {
    /// The person receives 医療扶助 on the date.
    pub aid_valid: bool,
    /// A ticket names this institution for the month of the date.
    pub entrusted: bool,
    /// A health-insurance qualification is valid too (併用).
    pub insurance_valid: bool,
    /// The aid ended, and a new 医療扶助 qualification exists (another 受給者番号).
    pub new_qualification_exists: bool,
}

/// The display pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "pattern")]
pub enum MedAidPattern {
    /// Valid and entrusted: show the qualification (単独), or with the insurance one (併用).
    Valid {
        /// 併用: health insurance is shown too.
        combined: bool,
    },
    /// 未委託: show 氏名, 生年月日 and the welfare office, **without** 公費負担者番号 and 受給者番号
    /// (plus the insurance qualification when combined). Not ineligible: the ticket is not yet
    /// registered for this institution.
    NotEntrusted {
        /// 併用: the insurance qualification is shown.
        combined: bool,
    },
    /// The aid is lost: the last qualification is shown for reference (card), or the loss is
    /// stated (ticket, batch), with whether a new qualification exists.
    Lost {
        /// A new 医療扶助 qualification exists (shown for ticket and batch queries).
        new_qualification_exists: bool,
    },
    /// Not part of this institution's entrusted list (bulk fetch returns only matching tickets).
    NotListed,
}

impl MedAidPattern {
    /// onshi's code and message for staff.
    pub fn message(self) -> (&'static str, Message) {
        match self {
            Self::Valid { combined: false } => (
                "MEDAID_VALID",
                Message::new("医療扶助（単独）", "medical assistance alone"),
            ),
            Self::Valid { combined: true } => (
                "MEDAID_VALID",
                Message::new(
                    "医療扶助（医療保険との併用）",
                    "medical assistance combined with health insurance",
                ),
            ),
            Self::NotEntrusted { .. } => (
                "MEDAID_NOT_ENTRUSTED",
                Message::new(
                    "当月の医療券がまだ当院あてに登録されていません。福祉事務所の登録後（例年月中旬以降）に一括取得で再確認してください。",
                    "this month's ticket is not yet registered for this institution; fetch again after the welfare office registers it (usually mid-month). The patient is not ineligible.",
                ),
            ),
            Self::Lost {
                new_qualification_exists: false,
            } => (
                "MEDAID_LOST",
                Message::new(
                    "医療扶助の資格は喪失しています",
                    "the medical-assistance qualification is lost",
                ),
            ),
            Self::Lost {
                new_qualification_exists: true,
            } => (
                "MEDAID_SUPERSEDED",
                Message::new(
                    "この受給者番号の資格は喪失し、新しい資格があります",
                    "the qualification for this beneficiary number is lost and a new one exists",
                ),
            ),
            Self::NotListed => (
                "MEDAID_NOT_LISTED",
                Message::new(
                    "当院あての医療券はありません",
                    "no ticket names this institution",
                ),
            ),
        }
    }
}

/// Decides the pattern (seed 004 figures 2.2.1-10 and -11).
pub fn medaid_pattern(query: MedAidQuery, s: MedAidSituation) -> MedAidPattern {
    match (query, s.aid_valid, s.entrusted) {
        (MedAidQuery::EntrustedBulk, true, true) => MedAidPattern::Valid {
            combined: s.insurance_valid,
        },
        (MedAidQuery::EntrustedBulk, _, _) => MedAidPattern::NotListed,
        (_, true, true) => MedAidPattern::Valid {
            combined: s.insurance_valid,
        },
        (_, true, false) => MedAidPattern::NotEntrusted {
            combined: s.insurance_valid,
        },
        // A card names the person, so "a new qualification" would already be the one shown.
        (MedAidQuery::Card, false, _) => MedAidPattern::Lost {
            new_qualification_exists: false,
        },
        (_, false, _) => MedAidPattern::Lost {
            new_qualification_exists: s.new_qualification_exists,
        },
    }
}

impl MedicalAssistance {
    /// Whether a ticket names `institution` for the month of `date`.
    pub fn entrusted_to(&self, institution: &MedicalInstitutionCode, date: Date) -> bool {
        self.tickets.iter().any(|t| {
            &t.designated_institution == institution
                && (t.month.year(), t.month.month()) == (date.year(), date.month())
        })
    }
}

/// The 医療扶助 block as the pattern allows it to be shown: 未委託 removes 公費負担者番号 and
/// 受給者番号 and any ticket naming another institution.
pub fn medaid_view(
    block: &MedicalAssistance,
    pattern: MedAidPattern,
    institution: &MedicalInstitutionCode,
) -> MedicalAssistance {
    let mut shown = block.clone();
    shown
        .tickets
        .retain(|t| &t.designated_institution == institution);
    if matches!(pattern, MedAidPattern::NotEntrusted { .. }) {
        shown.payer = None;
        shown.beneficiary = None;
        shown.tickets.clear();
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(aid_valid: bool, entrusted: bool, insurance_valid: bool, new_q: bool) -> MedAidSituation {
        MedAidSituation {
            aid_valid,
            entrusted,
            insurance_valid,
            new_qualification_exists: new_q,
        }
    }

    #[test]
    fn the_table_of_seed_004() {
        use MedAidPattern as P;
        use MedAidQuery as Q;
        assert_eq!(
            medaid_pattern(Q::Card, s(true, true, false, false)),
            P::Valid { combined: false }
        );
        assert_eq!(
            medaid_pattern(Q::Card, s(true, true, true, false)),
            P::Valid { combined: true }
        );
        assert_eq!(
            medaid_pattern(Q::Card, s(true, false, true, false)),
            P::NotEntrusted { combined: true }
        );
        assert_eq!(
            medaid_pattern(Q::Ticket, s(true, false, false, false)),
            P::NotEntrusted { combined: false }
        );
        assert_eq!(
            medaid_pattern(Q::Card, s(false, false, false, true)),
            P::Lost {
                new_qualification_exists: false
            }
        );
        assert_eq!(
            medaid_pattern(Q::Ticket, s(false, true, false, true)),
            P::Lost {
                new_qualification_exists: true
            }
        );
        assert_eq!(
            medaid_pattern(Q::EntrustedBulk, s(true, false, false, false)),
            P::NotListed
        );
    }
}

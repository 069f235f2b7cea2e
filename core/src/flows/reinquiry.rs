//! 再照会 (re-inquiry, flows (b)): later visits in continuing home care confirm eligibility without
//! the card — only after a card-verified visit for this institution and patient, while care
//! continues, and while no consent has been revoked since.

use serde::{Deserialize, Serialize};

use crate::consent::CareSetting;
use crate::i18n::Message;

/// What the institution knows about its care of the patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReinquiryContext {
    /// The setting of the care (only home visits and bedside allow 再照会).
    pub setting: CareSetting,
    /// A first visit with the card was verified for this institution and patient.
    pub card_verified_visit: bool,
    /// The care relationship (home care or admission) continues.
    pub care_continues: bool,
    /// Any consent was revoked since that card visit (onshi's rule: the next visit needs the card).
    pub revoked_since_card_visit: bool,
}

/// Why 再照会 is refused (REINQUIRY_NOT_ALLOWED); a number-based check is still possible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum ReinquiryDenied {
    /// The setting is not continuing care.
    #[error(
        "この診療形態では再照会できません (re-inquiry is only for continuing home care or bedside)"
    )]
    SettingNotContinuing,
    /// No card-verified first visit.
    #[error("初回のマイナ保険証による確認がありません (no card-verified first visit)")]
    NoCardVisit,
    /// Care has ended.
    #[error("継続的な診療が終了しています (continuing care has ended)")]
    CareEnded,
    /// A consent was revoked since the card visit.
    #[error(
        "同意が取り消されたため、次回はマイナ保険証が必要です (consent was revoked: the card is needed again)"
    )]
    RevokedSinceCardVisit,
}

impl ReinquiryDenied {
    /// What staff do next.
    pub fn message(self) -> Message {
        let next = Message::new(
            "次回の訪問でマイナ保険証による確認を行ってください（番号による確認は可能です）",
            "verify with the card at the next visit (a number-based check is still possible)",
        );
        match self {
            Self::CareEnded => Message::new(
                format!("継続的な診療が終了しています。{}", next.ja),
                format!("continuing care has ended; {}", next.en),
            ),
            _ => next,
        }
    }
}

/// Whether 再照会 is allowed. Checked in the order a person would fix things.
pub fn reinquiry_allowed(c: &ReinquiryContext) -> Result<(), ReinquiryDenied> {
    if !c.setting.allows_reinquiry() {
        Err(ReinquiryDenied::SettingNotContinuing)
    } else if !c.card_verified_visit {
        Err(ReinquiryDenied::NoCardVisit)
    } else if !c.care_continues {
        Err(ReinquiryDenied::CareEnded)
    } else if c.revoked_since_card_visit {
        Err(ReinquiryDenied::RevokedSinceCardVisit)
    } else {
        Ok(())
    }
}

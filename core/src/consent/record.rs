//! One consent (one institution, one patient, one item) and its state at a moment.
//!
//! ```text
//! Absent ──register(Agree)──▶ Active{window}      Absent ──register(Decline)──▶ Declined
//! Active ──window over / care ended──▶ Expired(OQSCD031 0)
//! Active ──revoked by institution / patient / usage change──▶ Revoked(1 / 2 / 3)
//! ```
//! A revocation always wins over the window. The window's end second is still inside it.

use serde::{Deserialize, Serialize};

use super::item::{Answer, ConsentItem};
use super::window::ConsentWindow;
use crate::codes::{ConsentExpiryReason, ConsentStatus};
use crate::jst::JstDateTime;

/// Who revoked a consent (OQSCD031 1–3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevokedBy {
    /// 医療機関による同意取り消し (e.g. when care ends).
    Institution,
    /// 患者による同意取り消し (すべての同意を取消す, or one item).
    Patient,
    /// 用途変更による同意取り消し.
    UsageChange,
}

impl RevokedBy {
    /// The OQSCD031 reason.
    pub fn reason(self) -> ConsentExpiryReason {
        match self {
            Self::Institution => ConsentExpiryReason::RevokedByInstitution,
            Self::Patient => ConsentExpiryReason::RevokedByPatient,
            Self::UsageChange => ConsentExpiryReason::RevokedByUsageChange,
        }
    }
}

/// A registered consent answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// The item.
    pub item: ConsentItem,
    /// 同意する or 同意しない.
    pub answer: Answer,
    /// When it was registered (JST).
    #[serde(with = "crate::jst::serde_datetime")]
    pub given_at: JstDateTime,
    /// Its window.
    pub window: ConsentWindow,
    /// The revocation, if any: who and when.
    #[serde(default)]
    pub revoked: Option<Revocation>,
}

/// A revocation: who and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    /// Who revoked.
    pub by: RevokedBy,
    /// When (JST).
    #[serde(with = "crate::jst::serde_datetime")]
    pub at: JstDateTime,
}

/// A consent's state at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ConsentState {
    /// Not registered at that moment (CONSENT_NOT_FOUND).
    Absent,
    /// 同意しない was registered.
    Declined,
    /// In force.
    Active,
    /// The window is over, or the care relationship ended (OQSCD031 0).
    Expired,
    /// Revoked (OQSCD031 1–3).
    Revoked {
        /// Who revoked.
        by: RevokedBy,
    },
}

impl ConsentState {
    /// The OQSCD016 flag a result would carry.
    pub fn status_code(self) -> ConsentStatus {
        match self {
            Self::Absent | Self::Declined => ConsentStatus::NoConsent,
            Self::Active => ConsentStatus::Consented,
            Self::Expired | Self::Revoked { .. } => ConsentStatus::Expired,
        }
    }

    /// The OQSCD031 reason, for an ended consent.
    pub fn expiry_reason(self) -> Option<ConsentExpiryReason> {
        match self {
            Self::Expired => Some(ConsentExpiryReason::WindowEnded),
            Self::Revoked { by } => Some(by.reason()),
            _ => None,
        }
    }

    /// The stable error code when medical data is asked for in this state.
    pub fn refusal_code(self) -> Option<&'static str> {
        match self {
            Self::Active => None,
            Self::Absent | Self::Declined => Some("CONSENT_NOT_FOUND"),
            Self::Expired => Some("CONSENT_EXPIRED"),
            Self::Revoked { .. } => Some("CONSENT_REVOKED"),
        }
    }
}

impl Consent {
    /// The state at `now`, given whether the care relationship is still active (it matters only
    /// for windows that last while care continues).
    pub fn state_at(&self, now: JstDateTime, care_continues: bool) -> ConsentState {
        if now < self.given_at {
            return ConsentState::Absent;
        }
        if let Some(r) = self.revoked.filter(|r| now >= r.at) {
            return ConsentState::Revoked { by: r.by };
        }
        if self.answer == Answer::Decline {
            return ConsentState::Declined;
        }
        let in_window = match self.window {
            ConsentWindow::Until { until } => now <= until,
            ConsentWindow::WhileCareContinues => care_continues,
        };
        if in_window {
            ConsentState::Active
        } else {
            ConsentState::Expired
        }
    }

    /// Records a revocation at `at`. An earlier revocation stands: the first one is the one that
    /// ended the consent.
    pub fn revoke(&mut self, by: RevokedBy, at: JstDateTime) {
        if self.revoked.is_none_or(|r| at < r.at) {
            self.revoked = Some(Revocation { by, at });
        }
    }
}

/// すべての同意を取消す (revoke all): the patient's menu item, or the institution when care ends.
pub fn revoke_all(consents: &mut [Consent], by: RevokedBy, at: JstDateTime) {
    for c in consents {
        c.revoke(by, at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn consent(window: ConsentWindow) -> Consent {
        Consent {
            item: ConsentItem::CareAndMedication,
            answer: Answer::Agree,
            given_at: datetime!(2026-11-21 10:00:00),
            window,
            revoked: None,
        }
    }

    #[test]
    fn the_last_second_is_inside_the_window() {
        let c = consent(ConsentWindow::Until {
            until: datetime!(2026-11-22 10:00:00),
        });
        assert_eq!(
            c.state_at(datetime!(2026-11-21 09:59:59), true),
            ConsentState::Absent
        );
        assert_eq!(
            c.state_at(datetime!(2026-11-21 10:00:00), true),
            ConsentState::Active
        );
        assert_eq!(
            c.state_at(datetime!(2026-11-22 10:00:00), true),
            ConsentState::Active
        );
        assert_eq!(
            c.state_at(datetime!(2026-11-22 10:00:01), true),
            ConsentState::Expired
        );
    }

    #[test]
    fn revocation_wins_and_maps_to_oqscd031() {
        let mut c = consent(ConsentWindow::WhileCareContinues);
        c.revoke(RevokedBy::Patient, datetime!(2026-12-01 09:00:00));
        assert_eq!(
            c.state_at(datetime!(2026-11-30 00:00:00), true),
            ConsentState::Active
        );
        let s = c.state_at(datetime!(2026-12-01 09:00:00), true);
        assert_eq!(
            s,
            ConsentState::Revoked {
                by: RevokedBy::Patient
            }
        );
        assert_eq!(
            s.expiry_reason(),
            Some(ConsentExpiryReason::RevokedByPatient)
        );
        assert_eq!(s.status_code(), ConsentStatus::Expired);
        assert_eq!(
            c.state_at(datetime!(2026-11-30 00:00:00), false),
            ConsentState::Expired
        );
    }
}

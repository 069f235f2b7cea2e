//! 同意の有効期間: how long a consent lasts, by care setting. One rule table; where the sources
//! are unsure, the value is a named policy with a documented default.

use serde::{Deserialize, Serialize};

use crate::jst::{Date, Duration, JstDateTime, end_of_day};

/// 診療の場面: where the consent is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CareSetting {
    /// 外来 at the face reader.
    Outpatient,
    /// 発熱外来 (通常とは異なる動線).
    FeverClinic,
    /// 往診 (house call).
    HouseCall,
    /// 訪問診療・訪問看護 in continuing care.
    HomeVisit,
    /// 入院時（ベッドサイド）.
    InpatientBedside,
    /// オンライン診療・オンライン服薬指導.
    OnlineConsultation,
}

/// The kind of window a setting has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowRule {
    /// A fixed number of hours after the consent is registered.
    Hours(u32),
    /// While care (home care, or the admission) continues with the institution, until revoked.
    WhileCareContinues,
    /// Up to the 受診予定日 entered by the patient.
    UntilPlannedDate,
}

impl CareSetting {
    /// The rule table (consent.md §5).
    ///
    /// | setting | rule | confidence |
    /// |---|---|---|
    /// | 外来 | 24 h | M: one public sample (ConsTime + 24 h = AvailableTime) |
    /// | 発熱外来, 往診 | 24 h | H: 2024 seminar deck |
    /// | 訪問診療・訪問看護, 入院時 | while care continues | H for the rule; no length is published |
    /// | オンライン | up to 受診予定日 | H per use; M for the date; the exact end is [`OnlineWindowEnd`] |
    pub fn window_rule(self) -> WindowRule {
        match self {
            Self::Outpatient | Self::FeverClinic | Self::HouseCall => WindowRule::Hours(24),
            Self::HomeVisit | Self::InpatientBedside => WindowRule::WhileCareContinues,
            Self::OnlineConsultation => WindowRule::UntilPlannedDate,
        }
    }

    /// Whether the later visits may use 再照会 without the card.
    pub fn allows_reinquiry(self) -> bool {
        self.window_rule() == WindowRule::WhileCareContinues
    }
}

/// Where an online-consultation window ends on the 受診予定日. The sources say "up to that date"
/// and no more; onshi's default is the end of that day (23:59:59 JST).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineWindowEnd {
    /// The last second of the 受診予定日 (default).
    #[default]
    EndOfPlannedDate,
    /// The other reading ("+24 h"): 24 hours past the end of the 受診予定日.
    EndOfDayAfter,
}

/// Where onshi ends an online window: the end of the 受診予定日. The service and every page resolve
/// windows with it, so the confirmation screen shows what the service registers.
pub const ONLINE_WINDOW_END: OnlineWindowEnd = OnlineWindowEnd::EndOfPlannedDate;

/// A consent's window, resolved for one registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ConsentWindow {
    /// Active through this second (inclusive), JST.
    Until {
        /// The last second of the window.
        #[serde(with = "crate::jst::serde_datetime")]
        until: JstDateTime,
    },
    /// Active while the care relationship is.
    WhileCareContinues,
}

/// A window that cannot be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    /// Online consultation without a 受診予定日.
    #[error("受診予定日が入力されていません (the planned consultation date is missing)")]
    PlannedDateMissing,
    /// The 受診予定日 is before the day the consent is given (CONSENT_DATE_MISMATCH).
    #[error(
        "受診予定日が同意日より前です (the planned consultation date is before the consent date)"
    )]
    PlannedDateInPast,
}

impl WindowError {
    /// What to tell the person.
    pub fn message(&self) -> crate::i18n::Message {
        match self {
            Self::PlannedDateMissing => crate::i18n::Message::new(
                "受診予定日を入力してください",
                "Enter the planned consultation date",
            ),
            Self::PlannedDateInPast => crate::i18n::Message::new(
                "受診予定日は今日以降の日を選んでください",
                "The planned date must be today or later",
            ),
        }
    }

    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::PlannedDateMissing => "CONSENT_PLANNED_DATE_MISSING",
            Self::PlannedDateInPast => "CONSENT_DATE_MISMATCH",
        }
    }
}

/// Resolves the window of a consent registered at `given_at` in `setting`.
pub fn resolve_window(
    setting: CareSetting,
    given_at: JstDateTime,
    planned_date: Option<Date>,
    online_end: OnlineWindowEnd,
) -> Result<ConsentWindow, WindowError> {
    match setting.window_rule() {
        WindowRule::Hours(h) => Ok(ConsentWindow::Until {
            until: given_at + Duration::hours(i64::from(h)),
        }),
        WindowRule::WhileCareContinues => Ok(ConsentWindow::WhileCareContinues),
        WindowRule::UntilPlannedDate => {
            let planned = planned_date.ok_or(WindowError::PlannedDateMissing)?;
            if planned < given_at.date() {
                return Err(WindowError::PlannedDateInPast);
            }
            let day = match online_end {
                OnlineWindowEnd::EndOfPlannedDate => planned,
                OnlineWindowEnd::EndOfDayAfter => planned.next_day().unwrap_or(planned),
            };
            Ok(ConsentWindow::Until {
                until: end_of_day(day),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn outpatient_window_matches_the_public_sample() {
        // PharmacistsInfoConsTime=20230221174835, AvailableTime=20230222174835.
        let w = resolve_window(
            CareSetting::Outpatient,
            datetime!(2023-02-21 17:48:35),
            None,
            OnlineWindowEnd::default(),
        );
        assert_eq!(
            w,
            Ok(ConsentWindow::Until {
                until: datetime!(2023-02-22 17:48:35)
            })
        );
    }

    #[test]
    fn online_needs_a_planned_date_not_in_the_past() {
        let at = datetime!(2026-11-21 10:00:00);
        let end = OnlineWindowEnd::default();
        assert_eq!(
            resolve_window(CareSetting::OnlineConsultation, at, None, end),
            Err(WindowError::PlannedDateMissing)
        );
        assert_eq!(
            resolve_window(
                CareSetting::OnlineConsultation,
                at,
                Some(date!(2026 - 11 - 20)),
                end
            ),
            Err(WindowError::PlannedDateInPast)
        );
        assert_eq!(
            resolve_window(
                CareSetting::OnlineConsultation,
                at,
                Some(date!(2026 - 11 - 25)),
                end
            ),
            Ok(ConsentWindow::Until {
                until: datetime!(2026-11-25 23:59:59)
            })
        );
    }

    #[test]
    fn home_and_bedside_last_while_care_continues() {
        for s in [CareSetting::HomeVisit, CareSetting::InpatientBedside] {
            assert_eq!(
                resolve_window(
                    s,
                    datetime!(2026-01-01 00:00:00),
                    None,
                    OnlineWindowEnd::default()
                ),
                Ok(ConsentWindow::WhileCareContinues)
            );
            assert!(s.allows_reinquiry());
        }
        assert!(!CareSetting::FeverClinic.allows_reinquiry());
    }
}

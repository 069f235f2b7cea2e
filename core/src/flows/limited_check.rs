//! 資格確認限定型の確認 (flows (e)): a 施術所, 健診実施機関 or 助産所 reads the card on a generic
//! reader and sees the qualification — nothing medical is ever requested or shown.
//!
//! `Idle → Reading → Verified → Shown → Cleared`; `Cleared` wipes the result from the device.

use serde::{Deserialize, Serialize};

use super::cert_grace::{CertificateHolder, CertificateStatus, certificate_status};
use crate::facility::{Denial, FacilityKind, Information, OperatingType};
use crate::i18n::Message;
use crate::jst::Date;

/// Where one check stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum LimitedState {
    /// Waiting for a card.
    Idle,
    /// Reading the card.
    Reading,
    /// The card is verified; the qualification is being fetched.
    Verified,
    /// The qualification is on screen.
    Shown,
    /// The result is wiped from the device.
    Cleared,
}

/// What happens next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum LimitedEvent {
    /// The card is on the reader.
    CardPresented,
    /// The card's certificate was verified.
    CardRead {
        /// The certificate's last valid day.
        #[serde(with = "crate::jst::serde_date")]
        expiry: Date,
        /// Today (JST).
        #[serde(with = "crate::jst::serde_date")]
        today: Date,
    },
    /// The qualification arrived and is shown.
    Show,
    /// Close and wipe the result.
    Clear,
    /// Something asked for information (only 資格情報 is ever allowed).
    Request {
        /// What was asked for.
        information: Information,
    },
}

/// A refused step, with onshi's code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct LimitedRefusal {
    /// onshi's code.
    pub code: &'static str,
    /// Why.
    pub message: Message,
}

/// Starts a check: only facilities that may use 資格確認限定型.
pub fn start_limited(facility: FacilityKind) -> Result<LimitedState, LimitedRefusal> {
    if facility.may_operate(OperatingType::QualificationOnly) {
        Ok(LimitedState::Idle)
    } else {
        Err(LimitedRefusal {
            code: Denial::OperatingTypeNotAvailable.code(),
            message: Message::new(
                "資格確認限定型を利用できない施設です",
                "this facility cannot use the qualification-only check",
            ),
        })
    }
}

/// Applies `event` to `state`.
pub fn step_limited(
    state: LimitedState,
    event: LimitedEvent,
) -> Result<LimitedState, LimitedRefusal> {
    use LimitedEvent as E;
    use LimitedState as S;
    match (state, event) {
        (_, E::Request { information }) if information != Information::Qualification => {
            Err(LimitedRefusal {
                code: "FORBIDDEN_FOR_FACILITY_TYPE",
                message: Message::new(
                    "資格確認限定型では資格情報のみ確認できます。医療情報は要求できません",
                    "the qualification-only check shows the qualification only; medical information is never requested",
                ),
            })
        }
        (s, E::Request { .. }) => Ok(s),
        (S::Idle | S::Cleared, E::CardPresented) => Ok(S::Reading),
        (S::Reading, E::CardRead { expiry, today }) => {
            match certificate_status(expiry, today, CertificateHolder::Card) {
                CertificateStatus::ExpiredBeyondGrace => Err(LimitedRefusal {
                    code: "CARD_CERT_EXPIRED",
                    message: Message::new(
                        "電子証明書の有効期限が切れています。資格確認書で確認してください",
                        "the certificate has expired beyond the grace period; use the 資格確認書",
                    ),
                }),
                _ => Ok(S::Verified),
            }
        }
        (S::Verified, E::Show) => Ok(S::Shown),
        (S::Reading | S::Verified | S::Shown, E::Clear) => Ok(S::Cleared),
        (s, e) => Err(LimitedRefusal {
            code: "ILLEGAL_TRANSITION",
            message: Message::new(
                format!("この段階では行えません ({s:?}, {e:?})"),
                format!("not possible now ({s:?}, {e:?})"),
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_judo_therapy_check_never_requests_medical_data() {
        let s = start_limited(FacilityKind::JudoTherapyClinic).unwrap();
        let s = step_limited(s, LimitedEvent::CardPresented).unwrap();
        let s = step_limited(
            s,
            LimitedEvent::CardRead {
                expiry: date!(2030 - 01 - 01),
                today: date!(2026 - 11 - 21),
            },
        )
        .unwrap();
        for information in [
            Information::Medication,
            Information::HealthCheckups,
            Information::LimitCertificate,
        ] {
            assert_eq!(
                step_limited(s, LimitedEvent::Request { information })
                    .unwrap_err()
                    .code,
                "FORBIDDEN_FOR_FACILITY_TYPE"
            );
        }
        let s = step_limited(s, LimitedEvent::Show).unwrap();
        assert_eq!(
            step_limited(s, LimitedEvent::Clear),
            Ok(LimitedState::Cleared)
        );
    }
}

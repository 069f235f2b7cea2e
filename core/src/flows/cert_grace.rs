//! 電子証明書の有効期限と3か月の猶予 (flows (j)): after the 利用者証明用電子証明書 expires, the card
//! still confirms 資格情報 — but no medical data — until the end of the third month after expiry.

use serde::{Deserialize, Serialize};

use crate::i18n::Message;
use crate::jst::{Date, add_months_clamped, end_of_month_after, format_date};

/// Where the certificate lives: smartphone certificates get no grace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateHolder {
    /// The plastic マイナンバーカード.
    Card,
    /// スマホ用電子証明書 (Android or iPhone).
    Smartphone,
}

/// The certificate's state on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum CertificateStatus {
    /// Valid, and more than 3 months from expiry.
    Valid,
    /// Valid, expiring within 3 months: tell the patient to renew (renewal opens then).
    ExpiringSoon,
    /// Expired, inside the grace: qualification only (CARD_CERT_EXPIRED_GRACE).
    ExpiredInGrace {
        /// The last day of the grace.
        #[serde(with = "crate::jst::serde_date")]
        grace_end: Date,
    },
    /// Expired beyond the grace (CARD_CERT_EXPIRED): use the 資格確認書.
    ExpiredBeyondGrace,
}

impl CertificateStatus {
    /// Whether qualification may be confirmed with the card.
    pub fn allows_qualification(self) -> bool {
        !matches!(self, Self::ExpiredBeyondGrace)
    }

    /// Whether medical data may be shared (consent screens are skipped otherwise).
    pub fn allows_medical_information(self) -> bool {
        matches!(self, Self::Valid | Self::ExpiringSoon)
    }

    /// onshi's code and message, when there is something to say.
    pub fn message(self) -> Option<(&'static str, Message)> {
        match self {
            Self::Valid => None,
            Self::ExpiringSoon => Some((
                "CARD_CERT_EXPIRING",
                Message::new(
                    "電子証明書の有効期限が近づいています。市区町村で更新してください",
                    "the card's certificate expires within 3 months; renew it at the municipal office",
                ),
            )),
            Self::ExpiredInGrace { grace_end } => {
                let d = format_date(grace_end);
                Some((
                    "CARD_CERT_EXPIRED_GRACE",
                    Message::new(
                        format!(
                            "電子証明書の有効期限が切れています。{}年{}月{}日までは資格確認のみ可能です。市区町村で更新してください。",
                            &d[..4],
                            grace_end.month() as u8,
                            grace_end.day()
                        ),
                        format!(
                            "the certificate has expired; until {} only the qualification can be confirmed. Renew it at the municipal office.",
                            grace_end
                        ),
                    ),
                ))
            }
            Self::ExpiredBeyondGrace => Some((
                "CARD_CERT_EXPIRED",
                Message::new(
                    "電子証明書の有効期限が切れています。資格確認書で確認してください",
                    "the certificate has expired beyond the grace period; use the 資格確認書",
                ),
            )),
        }
    }
}

/// The last day of the grace: the end of the third month after the month of expiry (a February
/// expiry is usable until 31 May). The sources differ slightly in wording; this is the one place
/// to change.
pub fn grace_end(expiry: Date) -> Date {
    end_of_month_after(expiry, 3)
}

/// The status on `today` of a certificate valid through `expiry` (inclusive).
pub fn certificate_status(
    expiry: Date,
    today: Date,
    holder: CertificateHolder,
) -> CertificateStatus {
    if today > expiry {
        let end = grace_end(expiry);
        return if holder == CertificateHolder::Card && today <= end {
            CertificateStatus::ExpiredInGrace { grace_end: end }
        } else {
            CertificateStatus::ExpiredBeyondGrace
        };
    }
    // Renewal opens three months before expiry.
    let soon_from = add_months_clamped(expiry, -3);
    if today >= soon_from {
        CertificateStatus::ExpiringSoon
    } else {
        CertificateStatus::Valid
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn february_expiry_is_usable_until_the_end_of_may() {
        let expiry = date!(2026 - 02 - 10);
        assert_eq!(grace_end(expiry), date!(2026 - 05 - 31));
        let s = certificate_status(expiry, date!(2026 - 05 - 31), CertificateHolder::Card);
        assert_eq!(
            s,
            CertificateStatus::ExpiredInGrace {
                grace_end: date!(2026 - 05 - 31)
            }
        );
        assert!(s.allows_qualification() && !s.allows_medical_information());
        assert_eq!(
            certificate_status(expiry, date!(2026 - 06 - 01), CertificateHolder::Card),
            CertificateStatus::ExpiredBeyondGrace
        );
    }

    #[test]
    fn smartphones_get_no_grace_and_the_expiry_day_is_valid() {
        let expiry = date!(2026 - 02 - 10);
        assert_eq!(
            certificate_status(expiry, date!(2026 - 02 - 10), CertificateHolder::Smartphone),
            CertificateStatus::ExpiringSoon
        );
        assert_eq!(
            certificate_status(expiry, date!(2026 - 02 - 11), CertificateHolder::Smartphone),
            CertificateStatus::ExpiredBeyondGrace
        );
    }

    #[test]
    fn expiring_soon_starts_three_months_before() {
        let expiry = date!(2026 - 05 - 31);
        assert_eq!(
            certificate_status(expiry, date!(2026 - 02 - 27), CertificateHolder::Card),
            CertificateStatus::Valid
        );
        assert_eq!(
            certificate_status(expiry, date!(2026 - 02 - 28), CertificateHolder::Card),
            CertificateStatus::ExpiringSoon
        );
    }
}

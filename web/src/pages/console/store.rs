//! 端末内の保存 (for home visits without signal): the patient list, each patient's latest answer with
//! when it was fetched, and the re-inquiries waiting to be sent. The visit plan is the service's
//! (shared by the institution's devices); its copy here comes with the list.
//! One JSON document per institution in `localStorage`; it is removed with the device registration.
//!
//! The answers hold personal data (name, insurance numbers): they stay on this registered device, as
//! the visit needs them offline, and leave with 登録を解除.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::pages::qualification::QualificationAnswer;

/// A patient under the institution's care (`GET /v1/patients`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Patient {
    /// The service's handle for the patient (opaque; every later request names it).
    pub id: String,
    /// 照会番号: the institution's own key for the patient (its chart number), once registered.
    #[serde(default)]
    pub reference_number: Option<String>,
    /// 訪問予定: the days planned from today on (`YYYYMMDD`), as the service keeps them.
    #[serde(default)]
    pub visits: Vec<String>,
    pub setting: onshi_core::consent::CareSetting,
    /// The last visit identified with the card (JST `YYYYMMDDhhmmss`).
    pub card_verified_at: String,
    pub active: bool,
    pub revoked_since_card: bool,
}

/// A patient's latest answer, and when it came (milliseconds since the epoch, the browser's clock).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Latest {
    pub answer: Option<QualificationAnswer>,
    /// Why 再照会 was refused, when it was.
    pub refused: Option<crate::pages::consent::Notice>,
    pub at_ms: f64,
}

/// Everything kept for one institution.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Kept {
    pub patients: Vec<Patient>,
    /// When the list was fetched.
    pub patients_at_ms: Option<f64>,
    pub latest: BTreeMap<String, Latest>,
    /// 送信待ち: re-inquiries asked for while offline, sent when the network is back.
    pub queue: Vec<String>,
}

fn key(institution: &str) -> String {
    format!("onshi.console.{institution}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

impl Kept {
    /// What this browser kept for `institution` (empty when nothing or unreadable).
    pub fn load(institution: &str) -> Self {
        storage()
            .and_then(|s| s.get_item(&key(institution)).ok().flatten())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Keeps it.
    pub fn save(&self, institution: &str) {
        if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(self)) {
            let _ = s.set_item(&key(institution), &text);
        }
    }

    /// Removes everything kept for `institution`.
    pub fn clear(institution: &str) {
        if let Some(s) = storage() {
            let _ = s.remove_item(&key(institution));
        }
    }

    /// Queues re-inquiries (each patient once).
    pub fn enqueue(&mut self, patients: &[String]) {
        for p in patients {
            if !self.queue.contains(p) {
                self.queue.push(p.clone());
            }
        }
    }
}

/// How old a result is, in words (`3分前`, `2 h ago`).
pub fn age(lang: crate::i18n::Lang, at_ms: f64, now_ms: f64) -> String {
    use crate::i18n::Lang;
    // Whole minutes; a clock set back shows "now".
    #[allow(clippy::cast_possible_truncation)]
    let minutes = ((now_ms - at_ms) / 60_000.0).max(0.0).floor() as i64;
    let (h, d) = (minutes / 60, minutes / (60 * 24));
    match (lang, minutes, h, d) {
        (Lang::Ja, 0, ..) => "たった今".to_owned(),
        (Lang::Ja, m, 0, _) => format!("{m}分前"),
        (Lang::Ja, _, h, 0) => format!("{h}時間前"),
        (Lang::Ja, .., d) => format!("{d}日前"),
        (Lang::En, 0, ..) => "just now".to_owned(),
        (Lang::En, m, 0, _) => format!("{m} min ago"),
        (Lang::En, _, h, 0) => format!("{h} h ago"),
        (Lang::En, .., d) => format!("{d} days ago"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn ages_read_naturally() {
        let now = 10_000_000_000.0;
        assert_eq!(age(Lang::Ja, now - 30_000.0, now), "たった今");
        assert_eq!(age(Lang::Ja, now - 5.0 * 60_000.0, now), "5分前");
        assert_eq!(age(Lang::En, now - 3.0 * 3_600_000.0, now), "3 h ago");
        assert_eq!(age(Lang::Ja, now - 50.0 * 3_600_000.0, now), "2日前");
        assert_eq!(age(Lang::En, now + 60_000.0, now), "just now");
    }

    #[test]
    fn a_patient_is_queued_once() {
        let mut kept = Kept::default();
        kept.enqueue(&["a".into(), "b".into()]);
        kept.enqueue(&["a".into()]);
        assert_eq!(kept.queue, vec!["a".to_owned(), "b".to_owned()]);
    }
}

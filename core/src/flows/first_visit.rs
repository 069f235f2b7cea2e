//! 初回訪問 (first visit) in 居宅同意取得型 — home visits, online consultations, fever clinics and
//! bedsides: consent entry → confirmation → identity by PIN or 目視確認 → card → registration →
//! the institution retrieves the qualification.
//!
//! ```text
//! Drafting ─confirm─▶ Confirmed ─choose identity─▶ AwaitingIdentity ─PIN ok / visual ok─▶ AwaitingCard
//! AwaitingCard ─card read─▶ CardVerified ─central accepted─▶ Registered ─retrieve─▶ Retrieved
//! AwaitingIdentity ─wrong PIN─▶ AwaitingIdentity{tries left} ─locked─▶ PinLocked ─(app) visual─▶ AwaitingIdentity
//! any ─cancel─▶ Abandoned        card or central refusal ─▶ Stopped{code}
//! ```
//! The PIN itself never enters this module: only the card's answer does.

use serde::{Deserialize, Serialize};

use super::cert_grace::{CertificateHolder, CertificateStatus, certificate_status};
use crate::consent::{
    Answer, CareSetting, Consent, ConsentChoices, ConsentItem, OnlineWindowEnd, resolve_window,
};
use crate::facility::{Denial, FacilityKind, OperatingType};
use crate::i18n::Message;
use crate::jst::{Date, Duration, JstDateTime};

/// How long retrieved qualification data stays viewable after retrieval (セミナー2024: 24 h).
pub const RETRIEVED_VIEWABLE_HOURS: i64 = 24;

/// マイナ在宅受付Web (PIN only) or マイナ資格確認アプリ (PIN or 目視確認).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// マイナ在宅受付Web.
    Web,
    /// マイナ資格確認アプリ（居宅同意取得型）.
    App,
}

/// Whose device runs the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceOwner {
    /// A device registered to the institution (the nurse's tablet).
    Institution,
    /// The patient's own phone or PC.
    Patient,
}

/// 本人確認の方法.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityMethod {
    /// 暗証番号: the patient types the 4-digit PIN.
    Pin,
    /// 目視確認: staff compare the card photo with the patient.
    Visual,
}

/// The fixed facts of one first visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitContext {
    /// The facility's kind.
    pub facility: FacilityKind,
    /// Where the consent is taken.
    pub setting: CareSetting,
    /// Web or app.
    pub channel: Channel,
    /// Whose device.
    pub device: DeviceOwner,
    /// 受診予定日, for online consultations.
    #[serde(default, with = "crate::jst::serde_opt_date")]
    pub planned_date: Option<Date>,
}

impl VisitContext {
    /// 目視確認 is offered only in the app on a registered institution device, never on a
    /// patient's own phone and never on the web.
    pub fn allows_visual(&self) -> bool {
        self.channel == Channel::App && self.device == DeviceOwner::Institution
    }
}

/// The card's answer to VERIFY.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "pin")]
pub enum PinOutcome {
    /// The PIN was right.
    Verified,
    /// Wrong; this many tries remain (63Cx).
    Wrong {
        /// Tries left before the lock.
        remaining: u8,
    },
    /// Locked (63C0, 6984).
    Locked,
}

/// The central system's answer to the registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CentralAnswer {
    /// Registered.
    Accepted,
    /// The card is not registered for 保険証利用.
    CardNotRegistered,
    /// The certificate is revoked.
    CertificateRevoked,
}

/// What happens next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum VisitEvent {
    /// One item's answer.
    Answer {
        /// The item.
        item: ConsentItem,
        /// 同意する / 同意しない.
        answer: Answer,
    },
    /// すべての項目に同意する.
    AgreeToAll,
    /// 同意内容を確認する.
    Confirm,
    /// 選択内容を修正する.
    Edit,
    /// 同意内容を登録する, with the identity method.
    ChooseIdentity {
        /// PIN or 目視確認.
        method: IdentityMethod,
    },
    /// The card answered the PIN.
    Pin(PinOutcome),
    /// Staff confirmed the face against the card photo.
    VisualConfirmed,
    /// The card's certificate was read and verified.
    CardRead {
        /// The certificate's last valid day.
        #[serde(with = "crate::jst::serde_date")]
        expiry: Date,
        /// Card or smartphone.
        holder: CertificateHolder,
        /// Today (JST).
        #[serde(with = "crate::jst::serde_date")]
        today: Date,
    },
    /// The central system answered the registration.
    Central {
        /// Its answer.
        answer: CentralAnswer,
        /// When (JST).
        #[serde(with = "crate::jst::serde_datetime")]
        at: JstDateTime,
    },
    /// The institution retrieved the qualification (同意済資格情報取得).
    Retrieve {
        /// When (JST).
        #[serde(with = "crate::jst::serde_datetime")]
        at: JstDateTime,
    },
    /// The flow is given up.
    Cancel,
}

/// Where the visit stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum VisitState {
    /// 入力: answering the items.
    Drafting {
        /// The answers so far.
        choices: ConsentChoices,
    },
    /// 確認: every item answered.
    Confirmed {
        /// The answers.
        answers: Vec<(ConsentItem, Answer)>,
    },
    /// Waiting for the PIN or the visual check.
    AwaitingIdentity {
        /// The answers.
        answers: Vec<(ConsentItem, Answer)>,
        /// The method.
        method: IdentityMethod,
        /// Tries left, once a wrong PIN has been entered.
        tries_left: Option<u8>,
    },
    /// The PIN is locked; the app may still use 目視確認.
    PinLocked {
        /// The answers.
        answers: Vec<(ConsentItem, Answer)>,
    },
    /// Identity confirmed; waiting for the card's certificate.
    AwaitingCard {
        /// The answers.
        answers: Vec<(ConsentItem, Answer)>,
    },
    /// The card is verified.
    CardVerified {
        /// The answers.
        answers: Vec<(ConsentItem, Answer)>,
        /// Qualification only (certificate expired, in the grace).
        qualification_only: bool,
    },
    /// 完了: the consents are registered.
    Registered {
        /// The consents, with their windows.
        consents: Vec<Consent>,
        /// Qualification only: no medical consent was registered.
        qualification_only: bool,
    },
    /// The institution has the qualification.
    Retrieved {
        /// The consents.
        consents: Vec<Consent>,
        /// Qualification only.
        qualification_only: bool,
        /// The retrieved data is viewable through this second.
        #[serde(with = "crate::jst::serde_datetime")]
        viewable_until: JstDateTime,
    },
    /// Stopped by a refusal the patient or staff must act on (its code says which).
    Stopped {
        /// onshi's code.
        code: String,
    },
    /// Given up.
    Abandoned,
}

impl VisitState {
    /// The state's name, for messages and vectors.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Drafting { .. } => "drafting",
            Self::Confirmed { .. } => "confirmed",
            Self::AwaitingIdentity { .. } => "awaiting_identity",
            Self::PinLocked { .. } => "pin_locked",
            Self::AwaitingCard { .. } => "awaiting_card",
            Self::CardVerified { .. } => "card_verified",
            Self::Registered { .. } => "registered",
            Self::Retrieved { .. } => "retrieved",
            Self::Stopped { .. } => "stopped",
            Self::Abandoned => "abandoned",
        }
    }
}

/// Something a person must be told, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// onshi's code (flows §11).
    pub code: &'static str,
    /// What happened and what to do.
    pub message: Message,
}

/// A transition: the next state and what to tell the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The next state.
    pub state: VisitState,
    /// What to say, if anything.
    pub notice: Option<Notice>,
}

/// A step that is refused; the state stays as it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct Refusal {
    /// onshi's code.
    pub code: &'static str,
    /// Why, and what to do.
    pub message: Message,
}

fn refuse(code: &'static str, ja: impl Into<String>, en: impl Into<String>) -> Refusal {
    Refusal {
        code,
        message: Message::new(ja, en),
    }
}

fn to(state: VisitState) -> Result<Step, Refusal> {
    Ok(Step {
        state,
        notice: None,
    })
}

fn with(state: VisitState, code: &'static str, message: Message) -> Result<Step, Refusal> {
    Ok(Step {
        state,
        notice: Some(Notice { code, message }),
    })
}

/// Starts a first visit, if the facility may take consent at the patient's place.
pub fn start(ctx: &VisitContext) -> Result<VisitState, Refusal> {
    if !ctx.facility.may_operate(OperatingType::ConsentAtHome) {
        return Err(refuse(
            Denial::OperatingTypeNotAvailable.code(),
            format!(
                "{}は居宅同意取得型を利用できません",
                ctx.facility.label_ja()
            ),
            "this facility cannot take consent at the patient's place (居宅同意取得型)",
        ));
    }
    Ok(VisitState::Drafting {
        choices: ConsentChoices::default(),
    })
}

/// Applies `event` to `state`.
pub fn step(ctx: &VisitContext, state: &VisitState, event: &VisitEvent) -> Result<Step, Refusal> {
    use VisitEvent as E;
    use VisitState as S;
    match (state, event) {
        (S::Stopped { .. } | S::Abandoned | S::Retrieved { .. }, E::Cancel) => {
            Err(illegal(state, event))
        }
        (_, E::Cancel) => to(S::Abandoned),
        (S::Drafting { choices }, E::Answer { item, answer }) => {
            let mut choices = *choices;
            choices.set(*item, *answer);
            to(S::Drafting { choices })
        }
        (S::Drafting { choices }, E::AgreeToAll) => {
            let mut choices = *choices;
            choices.agree_to_all();
            to(S::Drafting { choices })
        }
        (S::Drafting { choices }, E::Confirm) => {
            let answers = choices.confirm().map_err(|missing| Refusal {
                code: "CONSENT_ANSWERS_MISSING",
                message: Message::new(
                    missing.to_string(),
                    "answer every item (同意する or 同意しない)",
                ),
            })?;
            // An online consultation's window needs the 受診予定日: ask before the card step.
            if ctx.setting == CareSetting::OnlineConsultation && ctx.planned_date.is_none() {
                let e = crate::consent::WindowError::PlannedDateMissing;
                return Err(Refusal {
                    code: e.code(),
                    message: Message::new(e.to_string(), e.to_string()),
                });
            }
            to(S::Confirmed { answers })
        }
        (S::Confirmed { answers }, E::Edit) => {
            let mut choices = ConsentChoices::default();
            for (item, answer) in answers {
                choices.set(*item, *answer);
            }
            to(S::Drafting { choices })
        }
        (S::Confirmed { answers } | S::PinLocked { answers }, E::ChooseIdentity { method }) => {
            if *method == IdentityMethod::Visual && !ctx.allows_visual() {
                return Err(refuse(
                    "VISUAL_CHECK_NOT_ALLOWED",
                    "目視確認は医療機関に登録された端末のアプリでのみ利用できます",
                    "the visual check is only available in the app on a registered institution device",
                ));
            }
            if matches!(state, S::PinLocked { .. }) && *method == IdentityMethod::Pin {
                return Err(pin_locked_refusal(ctx));
            }
            to(S::AwaitingIdentity {
                answers: answers.clone(),
                method: *method,
                tries_left: None,
            })
        }
        (
            S::AwaitingIdentity {
                answers,
                method: IdentityMethod::Pin,
                ..
            },
            E::Pin(outcome),
        ) => match outcome {
            PinOutcome::Verified => to(S::AwaitingCard {
                answers: answers.clone(),
            }),
            PinOutcome::Wrong { remaining: 0 } | PinOutcome::Locked => {
                let refusal = pin_locked_refusal(ctx);
                with(
                    S::PinLocked {
                        answers: answers.clone(),
                    },
                    refusal.code,
                    refusal.message,
                )
            }
            PinOutcome::Wrong { remaining } => {
                let n = *remaining;
                let mut ja = format!("暗証番号が違います。あと{n}回間違えるとロックされます。");
                let mut en = format!("wrong PIN: {n} more wrong tries lock the card.");
                if n == 1 {
                    ja.push_str("次が最後の入力です。分からない場合は入力せず、");
                    en.push_str(" This is the last try; if unsure, do not guess and ");
                    if ctx.allows_visual() {
                        ja.push_str("目視確認を選んでください。");
                        en.push_str("choose the visual check.");
                    } else {
                        ja.push_str("資格確認書による確認に切り替えてください。");
                        en.push_str("switch to the number-based check with the 資格確認書.");
                    }
                }
                with(
                    S::AwaitingIdentity {
                        answers: answers.clone(),
                        method: IdentityMethod::Pin,
                        tries_left: Some(n),
                    },
                    "CARD_PIN_WRONG",
                    Message::new(ja, en),
                )
            }
        },
        (
            S::AwaitingIdentity {
                answers,
                method: IdentityMethod::Visual,
                ..
            },
            E::VisualConfirmed,
        ) => to(S::AwaitingCard {
            answers: answers.clone(),
        }),
        (
            S::AwaitingCard { answers },
            E::CardRead {
                expiry,
                holder,
                today,
            },
        ) => {
            let status = certificate_status(*expiry, *today, *holder);
            let notice = status.message();
            match status {
                CertificateStatus::ExpiredBeyondGrace => {
                    let (code, message) =
                        notice.unwrap_or(("CARD_CERT_EXPIRED", Message::new("", "")));
                    with(
                        S::Stopped {
                            code: code.to_owned(),
                        },
                        code,
                        message,
                    )
                }
                _ => {
                    let next = S::CardVerified {
                        answers: answers.clone(),
                        qualification_only: !status.allows_medical_information(),
                    };
                    match notice {
                        Some((code, message)) => with(next, code, message),
                        None => to(next),
                    }
                }
            }
        }
        (
            S::CardVerified {
                answers,
                qualification_only,
            },
            E::Central { answer, at },
        ) => match answer {
            CentralAnswer::Accepted => {
                let window = resolve_window(
                    ctx.setting,
                    *at,
                    ctx.planned_date,
                    OnlineWindowEnd::default(),
                )
                .map_err(|e| Refusal {
                    code: e.code(),
                    message: Message::new(e.to_string(), e.to_string()),
                })?;
                let consents = if *qualification_only {
                    Vec::new()
                } else {
                    answers
                        .iter()
                        .map(|(item, answer)| Consent {
                            item: *item,
                            answer: *answer,
                            given_at: *at,
                            window,
                            revoked: None,
                        })
                        .collect()
                };
                let all_declined = consents.iter().all(|c| c.answer == Answer::Decline);
                let next = S::Registered {
                    consents,
                    qualification_only: *qualification_only,
                };
                if all_declined {
                    with(
                        next,
                        "QUALIFICATION_ONLY",
                        Message::new(
                            "登録しました。医療情報の提供への同意はないため、資格情報のみ確認できます",
                            "registered; with no consent to medical information, only the qualification is available",
                        ),
                    )
                } else {
                    to(next)
                }
            }
            CentralAnswer::CardNotRegistered => with(
                S::Stopped {
                    code: "CARD_NOT_REGISTERED".to_owned(),
                },
                "CARD_NOT_REGISTERED",
                Message::new(
                    "このマイナンバーカードは健康保険証として登録されていません。マイナポータルかカードリーダーで登録してください。今回は資格確認書で確認できます",
                    "this card is not registered for health-insurance use; register it through マイナポータル or at a card reader. Use the 資格確認書 for now.",
                ),
            ),
            CentralAnswer::CertificateRevoked => with(
                S::Stopped {
                    code: "CARD_CERT_REVOKED".to_owned(),
                },
                "CARD_CERT_REVOKED",
                Message::new(
                    "電子証明書が失効しています。資格確認書で確認してください",
                    "the card's certificate is revoked; use the 資格確認書",
                ),
            ),
        },
        (
            S::Registered {
                consents,
                qualification_only,
            },
            E::Retrieve { at },
        ) => to(S::Retrieved {
            consents: consents.clone(),
            qualification_only: *qualification_only,
            viewable_until: *at + Duration::hours(RETRIEVED_VIEWABLE_HOURS),
        }),
        _ => Err(illegal(state, event)),
    }
}

fn pin_locked_refusal(ctx: &VisitContext) -> Refusal {
    let (ja, en) = if ctx.allows_visual() {
        (
            "暗証番号がロックされました。目視確認に切り替えてください。暗証番号の再設定はお住まいの市区町村で行えます",
            "the PIN is locked: switch to the visual check. The PIN is reset at the municipal office.",
        )
    } else {
        (
            "暗証番号がロックされました。この方法では続けられません。資格確認書で確認し、暗証番号はお住まいの市区町村で再設定してください",
            "the PIN is locked and this flow cannot continue; use the 資格確認書, and reset the PIN at the municipal office.",
        )
    };
    refuse("CARD_PIN_LOCKED", ja, en)
}

fn illegal(state: &VisitState, event: &VisitEvent) -> Refusal {
    let event = serde_json::to_value(event)
        .ok()
        .and_then(|v| v.get("event").and_then(|e| e.as_str()).map(str::to_owned))
        .unwrap_or_default();
    Refusal {
        code: "ILLEGAL_TRANSITION",
        message: Message::new(
            format!("この段階（{}）では「{event}」はできません", state.name()),
            format!("{event} is not possible in state {}", state.name()),
        ),
    }
}

//! 資格情報の表示: one answer of the service (a check, a 再照会, a card check) shown in full — the
//! validity and what to do, the insurer, 記号・番号・枝番, 負担割合, 高齢受給者証, 限度額, 特定疾病,
//! 医療扶助 with its 医療券 — and what was withheld and why. Code values are shown with the official
//! Japanese labels of onshi-core's code tables.

use onshi_core::codes::QualificationValidity;
use onshi_core::facility::Information;
use onshi_core::jst::Date;
use onshi_core::qualification::{Qualification, Verdict};
use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::i18n::{self, Lang, Text, t};
use crate::pages::consent::Notice;

/// 資格有効性 as the service decided it (core's determination).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeterminationView {
    /// 資格有効性.
    pub validity: QualificationValidity,
    /// onshi's stable code (`QUAL_VALID`, …).
    pub code: String,
    /// What it means and what to do.
    pub message: Notice,
}

/// Something left out of an answer, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Withheld {
    pub information: Information,
    pub code: String,
}

/// One answer of the service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualificationAnswer {
    /// 資格確認日 (`YYYYMMDD`).
    pub date: String,
    pub determination: DeterminationView,
    pub qualification: Option<Qualification>,
    #[serde(default)]
    pub warnings: Vec<Notice>,
    #[serde(default)]
    pub withheld: Vec<Withheld>,
}

impl QualificationAnswer {
    /// 有効 / 無効 / エラー, by core's grouping of the 資格有効性.
    pub fn verdict(&self) -> Verdict {
        Verdict::of(self.determination.validity)
    }
}

/// The CSS class of a verdict.
pub fn verdict_class(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Valid => "status-valid",
        Verdict::Invalid => "status-invalid",
        Verdict::Error => "status-error",
    }
}

/// The word staff read for a verdict.
pub fn verdict_text(lang: Lang, verdict: Verdict) -> &'static str {
    t(
        lang,
        match verdict {
            Verdict::Valid => Text::VerdictValid,
            Verdict::Invalid => Text::VerdictInvalid,
            Verdict::Error => Text::VerdictError,
        },
    )
}

/// Properties of the view.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub answer: QualificationAnswer,
}

fn date(lang: Lang, d: Option<Date>) -> String {
    d.map(|d| i18n::date(lang, d))
        .unwrap_or_else(|| "—".to_owned())
}

/// 負担割合 as printed on cards (`3割`); the wire value is a percentage.
fn copay(ratio: onshi_core::qualification::CopayRatio) -> String {
    if ratio.0.is_multiple_of(10) {
        format!("{}割", ratio.0 / 10)
    } else {
        format!("{}%", ratio.0)
    }
}

fn row(label: &str, value: impl Into<String>) -> Html {
    html! { <><dt>{ label.to_owned() }</dt><dd>{ value.into() }</dd></> }
}

/// The full qualification view.
#[function_component]
pub fn QualificationView(props: &Props) -> Html {
    let lang = props.lang;
    let a = &props.answer;
    let verdict = a.verdict();
    let q = a.qualification.as_ref();
    let text = |k| t(lang, k);
    let record = q.map(|q| {
        let mut rows = vec![
            row(text(Text::QName), q.name.clone()),
            row(text(Text::QBirthdate), i18n::date(lang, q.birthdate)),
            row(
                text(Text::QInsurer),
                format!(
                    "{} {}",
                    q.insurer_number
                        .as_ref()
                        .map(|n| n.to_string())
                        .unwrap_or_default(),
                    q.insurer_name.clone().unwrap_or_default()
                ),
            ),
            row(
                text(Text::QSymbolNumber),
                // Only the parts the card has (many have no 記号).
                [
                    q.symbol.as_ref().map(|s| s.to_string()),
                    q.number.as_ref().map(|s| s.to_string()),
                    q.branch.as_ref().map(|s| s.to_string()),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ・ "),
            ),
            row(text(Text::QCardKind), q.card_classification.label_ja()),
            row(
                text(Text::QCopay),
                q.copay_ratio.map(copay).unwrap_or_else(|| "—".to_owned()),
            ),
            row(
                text(Text::QPeriod),
                format!(
                    "{} 〜 {}",
                    date(lang, q.qualification_date),
                    date(lang, q.disqualification_date)
                ),
            ),
        ];
        if let Some(e) = &q.elderly_recipient {
            rows.push(row(
                text(Text::QElderly),
                format!(
                    "{} ({} 〜 {})",
                    copay(e.copay_ratio),
                    date(lang, e.valid_from),
                    date(lang, e.valid_until)
                ),
            ));
        }
        if let Some(l) = &q.limit_certificate {
            rows.push(row(
                text(Text::QLimit),
                format!(
                    "{} / {} ({} 〜 {})",
                    l.kind.label_ja(),
                    l.category.label_ja(),
                    date(lang, l.valid_from),
                    date(lang, l.valid_until)
                ),
            ));
        }
        for s in &q.specific_diseases {
            rows.push(row(
                text(Text::QSpecificDisease),
                format!(
                    "{} ({} 〜 {}){}",
                    s.disease.label_ja(),
                    date(lang, s.valid_from),
                    date(lang, s.valid_until),
                    s.monthly_self_pay_limit
                        .map(|y| format!(" {y}円/月"))
                        .unwrap_or_default()
                ),
            ));
        }
        if let Some(m) = &q.medical_assistance {
            rows.push(row(
                text(Text::QMedAid),
                format!(
                    "{} {} {}",
                    m.payer
                        .as_ref()
                        .map(|p| p.to_string())
                        .unwrap_or_else(|| text(Text::QNotEntrusted).to_owned()),
                    m.beneficiary
                        .as_ref()
                        .map(|b| b.to_string())
                        .unwrap_or_default(),
                    m.welfare_office_name
                ),
            ));
            for ticket in &m.tickets {
                rows.push(row(
                    text(Text::QMedAidTicket),
                    format!(
                        "{} {}年{}月 {} ({} 〜 {})",
                        ticket.ticket_type.label_ja(),
                        ticket.month.year(),
                        u8::from(ticket.month.month()),
                        ticket.designated_institution,
                        date(lang, ticket.valid_from),
                        date(lang, ticket.valid_until)
                    ),
                ));
            }
        }
        html! { <dl class="qualification">{ for rows }</dl> }
    });
    html! {
        <section class="qualification-answer" aria-label={text(Text::QTitle)}>
            <p class={verdict_class(verdict)}>{ verdict_text(lang, verdict) }</p>
            <p>{ a.determination.message.message().text(lang).to_owned() }</p>
            { for record }
            { for a.warnings.iter().map(|w| html! { <p class="warning">{ w.message().text(lang).to_owned() }</p> }) }
            if !a.withheld.is_empty() {
                <p class="note">
                    { text(Text::QWithheld) }
                    { a.withheld.iter().map(|w| format!("{}（{}）", i18n::information(lang, w.information), w.code)).collect::<Vec<_>>().join("、") }
                </p>
            }
        </section>
    }
}

//! 薬剤情報・特定健診等情報 under the patient's consent: the tables staff read before a visit, with how
//! long the consent holds and the 24 hours the retrieved information stays viewable (core's
//! `RETRIEVED_VIEWABLE_HOURS`). Fetched on request only, kept in this page's memory only, and every
//! view is in the service's audit log (the patient sees it in 閲覧履歴).
//!
//! Medical information is for 有資格者 (医師・歯科医師・薬剤師・看護師等): the person at the screen says
//! so before each view (the service refuses a request without it). The device cannot know who holds
//! it; the statement is the institution's, under its own access management, and is on the audit log.

use onshi_core::consent::ConsentWindow;
use onshi_core::flows::RETRIEVED_VIEWABLE_HOURS;
use serde::Deserialize;
use serde_json::Value;
use yew::prelude::*;

use crate::clock::now_jst;
use crate::device::Device;
use crate::i18n::{self, Lang, Message, Text, t};
use crate::pages::device_gate::call;

/// One kind of medical information as the service answers it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct MedicalAnswer {
    window: Option<ConsentWindow>,
    rows: Rows,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Rows {
    kind: String,
    rows: Vec<Value>,
}

#[derive(Properties)]
pub struct Props {
    pub lang: Lang,
    pub device: Device,
    /// The patient's id at the institution.
    pub patient: String,
}

impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang && self.patient == other.patient
    }
}

#[derive(Clone, PartialEq)]
struct Shown {
    kind: &'static str,
    answer: Result<MedicalAnswer, Message>,
    viewable_until: onshi_core::jst::JstDateTime,
}

/// The medical tables of one patient.
#[function_component]
pub fn MedicalPanel(props: &Props) -> Html {
    let lang = props.lang;
    let shown = use_state(|| None::<Shown>);
    let licensed = use_state(|| false);
    let on_licensed = {
        let licensed = licensed.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            licensed.set(input.checked());
        })
    };
    let fetch = |kind: &'static str| {
        let (shown, device, patient) = (shown.clone(), props.device.clone(), props.patient.clone());
        Callback::from(move |_: MouseEvent| {
            let (shown, device, patient) = (shown.clone(), device.clone(), patient.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/v1/patients/{patient}/medical/{kind}?licensed=true");
                let answer = call::<MedicalAnswer>(&device, "GET", &path, None)
                    .await
                    .map_err(|e| e.message);
                shown.set(Some(Shown {
                    kind,
                    answer,
                    viewable_until: now_jst() + time::Duration::hours(RETRIEVED_VIEWABLE_HOURS),
                }));
            });
        })
    };
    let body = match &*shown {
        None => html! {},
        Some(Shown { answer: Err(m), .. }) => {
            html! { <p class="alert" role="alert">{ m.text(lang).to_owned() }</p> }
        }
        Some(Shown {
            kind,
            answer: Ok(a),
            viewable_until,
        }) => html! {
            <>
                <p class="note">
                    { t(lang, Text::MedViewable) }{ i18n::datetime(lang, *viewable_until) }
                    if let Some(w) = &a.window {
                        { " ・ " }{ t(lang, Text::MedConsentWindow) }{ i18n::window(lang, w) }
                    }
                </p>
                { if *kind == "medications" { medications(lang, &a.rows) } else { checkups(lang, &a.rows) } }
            </>
        },
    };
    html! {
        <section class="medical" aria-label={t(lang, Text::MedTitle)}>
            <h3>{ t(lang, Text::MedTitle) }</h3>
            <label class="check">
                <input type="checkbox" checked={*licensed} onchange={on_licensed} />
                { t(lang, Text::MedLicensed) }
            </label>
            <button type="button" class="button" disabled={!*licensed} onclick={fetch("medications")}>{ t(lang, Text::MedMedications) }</button>
            <button type="button" class="button" disabled={!*licensed} onclick={fetch("checkups")}>{ t(lang, Text::MedCheckups) }</button>
            { body }
        </section>
    }
}

fn s(v: &Value, path: &[&str]) -> String {
    let mut cur = v;
    for p in path {
        cur = &cur[*p];
    }
    match cur {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

fn date(lang: Lang, wire: &str) -> String {
    onshi_core::jst::parse_date(wire)
        .map(|d| i18n::date(lang, d))
        .unwrap_or_else(|_| wire.to_owned())
}

/// 薬剤情報: one row per drug, like the official 薬剤情報 screen.
fn medications(lang: Lang, rows: &Rows) -> Html {
    if rows.rows.is_empty() {
        return html! { <p>{ t(lang, Text::MedNone) }</p> };
    }
    // Newest first, as staff read before a visit (the service answers oldest first).
    let lines = rows.rows.iter().rev().flat_map(|d| {
        let drugs = d["drugs"].as_array().cloned().unwrap_or_default();
        drugs.into_iter().map(move |drug| {
            html! {
                <tr>
                    <td>{ date(lang, &s(d, &["dispensed_on"])) }</td>
                    <td>{ s(&drug, &["name"]) }</td>
                    <td>{ format!("{} {}", s(&drug, &["quantity"]), s(&drug, &["unit"])) }</td>
                    <td>{ s(&drug, &["usage"]) }</td>
                    <td>{ s(&drug, &["days"]) }</td>
                    <td>{ s(d, &["pharmacy", "name"]) }</td>
                    <td>{ s(d, &["prescriber", "name"]) }</td>
                </tr>
            }
        })
    });
    html! {
        <table>
            <caption>{ t(lang, Text::MedMedications) }</caption>
            <thead><tr>
                <th scope="col">{ t(lang, Text::MedDispensedOn) }</th>
                <th scope="col">{ t(lang, Text::MedDrug) }</th>
                <th scope="col">{ t(lang, Text::MedQuantity) }</th>
                <th scope="col">{ t(lang, Text::MedUsage) }</th>
                <th scope="col">{ t(lang, Text::MedDays) }</th>
                <th scope="col">{ t(lang, Text::MedPharmacy) }</th>
                <th scope="col">{ t(lang, Text::MedPrescriber) }</th>
            </tr></thead>
            <tbody>{ for lines }</tbody>
        </table>
    }
}

/// 特定健診等情報: one row per result item.
fn checkups(lang: Lang, rows: &Rows) -> Html {
    if rows.rows.is_empty() || rows.kind != "checkups" {
        return html! { <p>{ t(lang, Text::MedNone) }</p> };
    }
    let lines = rows.rows.iter().rev().flat_map(|c| {
        let items = c["items"].as_array().cloned().unwrap_or_default();
        items.into_iter().map(move |item| {
            html! {
                <tr>
                    <td>{ date(lang, &s(c, &["date"])) }</td>
                    <td>{ s(&item, &["name"]) }</td>
                    <td>{ format!("{} {}", s(&item, &["value"]), s(&item, &["unit"])) }</td>
                    <td>{ s(c, &["institution", "name"]) }</td>
                </tr>
            }
        })
    });
    html! {
        <table>
            <caption>{ t(lang, Text::MedCheckups) }</caption>
            <thead><tr>
                <th scope="col">{ t(lang, Text::MedCheckupDate) }</th>
                <th scope="col">{ t(lang, Text::MedCheckupItem) }</th>
                <th scope="col">{ t(lang, Text::MedCheckupValue) }</th>
                <th scope="col">{ t(lang, Text::MedCheckupInstitution) }</th>
            </tr></thead>
            <tbody>{ for lines }</tbody>
        </table>
    }
}

//! 訪問予定と再照会: the institution's patients under continuing care, the round of today and tomorrow
//! (the service's visit plan, shared by the institution's devices), 再照会 per patient or for the
//! whole round, each patient's latest answer with its age, and the full qualification view with the
//! medical tables.
//!
//! Without signal the list and answers come from this browser's storage; re-inquiries asked for then
//! wait in a queue and are sent when the browser is back online.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde::Deserialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use super::medical::MedicalPanel;
use super::store::{Kept, Latest, Patient, age};
use crate::api::ApiError;
use crate::device::Device;
use crate::i18n::{self, Message, Text, t};
use crate::pages::consent::Notice;
use crate::pages::device_gate::{DeviceProps, call};
use crate::pages::flash::Flash;
use crate::pages::qualification::{
    QualificationAnswer, QualificationView, verdict_class, verdict_text,
};

/// The answer of a visit-plan change: the patient's planned days.
#[derive(Debug, Clone, Deserialize)]
struct PlannedVisits {
    visits: Vec<String>,
}

/// One answer of `POST /v1/reinquiries`.
#[derive(Debug, Clone, Deserialize)]
struct ReinquiryAnswer {
    patient: String,
    answer: Option<QualificationAnswer>,
    refused: Option<Notice>,
}

/// How often queued re-inquiries are tried again. The browser's `online` event alone is not
/// enough: a tablet can be "online" on a network that reaches nothing (a hotel's Wi-Fi before its
/// sign-in page), and back on the network without the event.
const QUEUE_RETRY_MS: i32 = 10_000;

/// Which patients the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    Today,
    Tomorrow,
    All,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The shared state of the screen: what is kept, and a way to redraw.
#[derive(Clone)]
struct Screen {
    institution: String,
    kept: Rc<RefCell<Kept>>,
    redraw: Callback<()>,
    notice: UseStateHandle<Option<Flash>>,
    device: Device,
    /// A drain is under way: the next waits for its answer rather than sending the queue twice.
    draining: Rc<Cell<bool>>,
}

impl Screen {
    fn save(&self) {
        self.kept.borrow().save(&self.institution);
        self.redraw.emit(());
    }

    /// Fetches the patient list; offline, the kept one stays.
    async fn refresh(&self) {
        match call::<Vec<Patient>>(&self.device, "GET", "/v1/patients", None).await {
            Ok(list) => {
                {
                    let mut kept = self.kept.borrow_mut();
                    kept.patients = list;
                    kept.patients_at_ms = Some(now_ms());
                }
                self.save();
                self.drain().await;
            }
            Err(e) if e.is_network() => self.notice.set(Some(Flash::Info(offline_notice()))),
            Err(e) => self.notice.set(Some(Flash::Error(e.message))),
        }
    }

    /// 再照会 of `patients`; offline, they join the queue.
    async fn reinquire(&self, patients: Vec<String>) -> Result<(), ApiError> {
        let body = serde_json::json!({ "patients": patients });
        match call::<Vec<ReinquiryAnswer>>(&self.device, "POST", "/v1/reinquiries", Some(&body))
            .await
        {
            Ok(answers) => {
                {
                    let mut kept = self.kept.borrow_mut();
                    for a in answers {
                        kept.queue.retain(|p| *p != a.patient);
                        kept.latest.insert(
                            a.patient,
                            Latest {
                                answer: a.answer,
                                refused: a.refused,
                                at_ms: now_ms(),
                            },
                        );
                    }
                }
                self.save();
                Ok(())
            }
            Err(e) if e.is_network() => {
                self.kept.borrow_mut().enqueue(&patients);
                self.save();
                let queued = self.kept.borrow().queue.len();
                self.notice.set(Some(Flash::Info(queued_notice(queued))));
                Err(e)
            }
            Err(e) => {
                self.notice.set(Some(Flash::Error(e.message.clone())));
                Err(e)
            }
        }
    }

    /// Sends the queued re-inquiries, if any.
    async fn drain(&self) {
        let queued = self.kept.borrow().queue.clone();
        if queued.is_empty() || self.draining.replace(true) {
            return;
        }
        let sent = self.reinquire(queued.clone()).await.is_ok();
        self.draining.set(false);
        if sent {
            self.notice
                .set(Some(Flash::Info(sent_notice(queued.len()))));
        }
    }
}

fn offline_notice() -> Message {
    Message::new(
        "通信できません。この端末に保存した一覧と結果を表示しています。",
        "Offline: showing the list and results kept on this device.",
    )
}

fn queued_notice(n: usize) -> Message {
    Message::new(
        format!(
            "通信できないため、再照会を送信待ちにしました（{n}件）。通信が戻ると自動で送信します。"
        ),
        format!(
            "Offline: the re-inquiry is queued ({n} waiting) and will be sent when the connection is back."
        ),
    )
}

fn sent_notice(n: usize) -> Message {
    Message::new(
        format!("送信待ちの再照会を送信しました（{n}件）。"),
        format!("The queued re-inquiries were sent ({n})."),
    )
}

/// The visit list.
#[function_component]
pub fn Visits(props: &DeviceProps) -> Html {
    let lang = props.lang;
    let institution = props.device.institution().to_owned();
    let kept = {
        let institution = institution.clone();
        use_mut_ref(move || Kept::load(&institution))
    };
    let redraw = {
        let update = use_force_update();
        Callback::from(move |()| update.force_update())
    };
    let notice = use_state(|| None::<Flash>);
    let filter = use_state(|| Filter::All);
    let selected = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let draining = use_memo((), |()| Cell::new(false));
    let screen = Screen {
        institution,
        kept: kept.clone(),
        redraw,
        notice: notice.clone(),
        device: props.device.clone(),
        draining: draining.clone(),
    };

    {
        // On start: the list, then anything queued; again whenever the browser says it is online,
        // and the queue every QUEUE_RETRY_MS while it holds anything.
        let screen = screen.clone();
        use_effect_with((), move |()| {
            let first = screen.clone();
            wasm_bindgen_futures::spawn_local(async move { first.refresh().await });
            let online = {
                let screen = screen.clone();
                Closure::<dyn Fn()>::new(move || {
                    let screen = screen.clone();
                    wasm_bindgen_futures::spawn_local(async move { screen.refresh().await });
                })
            };
            let retry = Closure::<dyn Fn()>::new(move || {
                if !screen.kept.borrow().queue.is_empty() {
                    let screen = screen.clone();
                    wasm_bindgen_futures::spawn_local(async move { screen.drain().await });
                }
            });
            let window = web_sys::window();
            let timer = window.as_ref().and_then(|w| {
                let _ =
                    w.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
                w.set_interval_with_callback_and_timeout_and_arguments_0(
                    retry.as_ref().unchecked_ref(),
                    QUEUE_RETRY_MS,
                )
                .ok()
            });
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback(
                        "online",
                        online.as_ref().unchecked_ref(),
                    );
                    if let Some(t) = timer {
                        w.clear_interval_with_handle(t);
                    }
                }
                drop(retry);
            }
        });
    }

    let k = kept.borrow().clone();
    let now = now_ms();
    // Today and tomorrow as JST days, in the service's form (YYYYMMDD).
    let today_date = crate::clock::now_jst().date();
    let today = onshi_core::jst::format_date(today_date);
    let tomorrow = today_date
        .next_day()
        .map(onshi_core::jst::format_date)
        .unwrap_or_default();
    let shown: Vec<&Patient> = k
        .patients
        .iter()
        .filter(|p| match *filter {
            Filter::All => true,
            Filter::Today => p.visits.contains(&today),
            Filter::Tomorrow => p.visits.contains(&tomorrow),
        })
        .collect();
    let reinquire = |ids: Vec<String>| {
        let (screen, busy) = (screen.clone(), busy.clone());
        Callback::from(move |_: MouseEvent| {
            let (screen, busy, ids) = (screen.clone(), busy.clone(), ids.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                screen.notice.set(None);
                let _ = screen.reinquire(ids).await;
                busy.set(false);
            });
        })
    };
    // 訪問予定 is the service's, shared by the institution's devices: a change needs the network.
    let plan = |id: &str, day: &str, planned: bool| {
        let (screen, id, day) = (screen.clone(), id.to_owned(), day.to_owned());
        Callback::from(move |_: MouseEvent| {
            let (screen, id, day) = (screen.clone(), id.clone(), day.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!(
                    "/v1/patients/{}/visits/{day}",
                    js_sys::encode_uri_component(&id)
                );
                let method = if planned { "DELETE" } else { "PUT" };
                match call::<PlannedVisits>(&screen.device, method, &path, None).await {
                    Ok(answer) => {
                        if let Some(p) = screen.kept.borrow_mut().patients.iter_mut().find(|p| p.id == id) {
                            p.visits = answer.visits;
                        }
                        screen.save();
                    }
                    Err(e) if e.is_network() => screen.notice.set(Some(Flash::Error(Message::new(
                        "通信できないため、訪問予定を変更できません。通信が戻ってから変更してください。",
                        "Offline: the visit plan cannot be changed until the connection is back.",
                    )))),
                    Err(e) => screen.notice.set(Some(Flash::Error(e.message))),
                }
            });
        })
    };
    let filter_button = |f: Filter, label: Text| {
        let filter = filter.clone();
        let pressed = *filter == f;
        html! {
            <button type="button" class="button" aria-pressed={pressed.to_string()}
                onclick={Callback::from(move |_| filter.set(f))}>{ t(lang, label) }</button>
        }
    };
    let rows = shown.iter().map(|p| {
        let latest = k.latest.get(&p.id);
        let verdict = latest.map(|l| match (&l.answer, &l.refused) {
            (Some(a), _) => html! { <span class={verdict_class(a.verdict())}>{ verdict_text(lang, a.verdict()) }</span> },
            (None, Some(r)) => html! { <span class="status-error">{ r.message().text(lang).to_owned() }</span> },
            _ => html! {},
        });
        let name = latest
            .and_then(|l| l.answer.as_ref())
            .and_then(|a| a.qualification.as_ref())
            .map(|q| q.name.clone())
            .unwrap_or_default();
        let (on_today, on_tomorrow) = (p.visits.contains(&today), p.visits.contains(&tomorrow));
        let select = {
            let (selected, id) = (selected.clone(), p.id.clone());
            Callback::from(move |_: MouseEvent| selected.set(Some(id.clone())))
        };
        let queued = k.queue.contains(&p.id);
        html! {
            <tr>
                <td class="mono">{ p.reference_number.clone().unwrap_or_else(|| t(lang, Text::VisitNoReference).to_owned()) }</td>
                <td>{ name }</td>
                <td>{ i18n::datetime_text(lang, &p.card_verified_at) }</td>
                <td>
                    { for verdict }
                    if let Some(l) = latest { <span class="age">{ format!(" ({})", age(lang, l.at_ms, now)) }</span> }
                    if queued { <span class="age">{ format!(" {}", t(lang, Text::VisitQueued)) }</span> }
                </td>
                <td>
                    <button type="button" class="button" aria-pressed={on_today.to_string()}
                        onclick={plan(&p.id, &today, on_today)}>{ t(lang, Text::VisitToday) }</button>
                    <button type="button" class="button" aria-pressed={on_tomorrow.to_string()}
                        onclick={plan(&p.id, &tomorrow, on_tomorrow)}>{ t(lang, Text::VisitTomorrow) }</button>
                </td>
                <td>
                    <button type="button" class="button" disabled={*busy} onclick={reinquire(vec![p.id.clone()])}>{ t(lang, Text::VisitReinquire) }</button>
                    <button type="button" class="button" onclick={select}>{ t(lang, Text::VisitDetails) }</button>
                </td>
            </tr>
        }
    });
    let all_ids: Vec<String> = shown.iter().map(|p| p.id.clone()).collect();
    let reference_saved = {
        let screen = screen.clone();
        Callback::from(move |()| {
            let screen = screen.clone();
            wasm_bindgen_futures::spawn_local(async move { screen.refresh().await });
        })
    };
    let detail = (*selected).clone().map(|id| {
        let latest = k.latest.get(&id).cloned();
        let reference = k
            .patients
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| p.reference_number.clone());
        let close = {
            let selected = selected.clone();
            Callback::from(move |_: MouseEvent| selected.set(None))
        };
        html! {
            <section class="detail" aria-labelledby="detail">
                <h2 id="detail">{ t(lang, Text::VisitDetailTitle) }{ " " }<span class="mono">{ reference.clone().unwrap_or_else(|| short(&id).to_owned()) }</span></h2>
                <ReferenceForm {lang} device={props.device.clone()} patient={id.clone()} {reference}
                    on_saved={reference_saved.clone()} />
                { match latest.as_ref().and_then(|l| l.answer.clone()) {
                    Some(answer) => html! { <QualificationView {lang} {answer} /> },
                    None => html! { <p>{ t(lang, Text::VisitNoResult) }</p> },
                } }
                <MedicalPanel {lang} device={props.device.clone()} patient={id.clone()} />
                <button type="button" class="button" onclick={close}>{ t(lang, Text::Close) }</button>
            </section>
        }
    });
    html! {
        <section aria-labelledby="visits">
            <h2 id="visits">{ t(lang, Text::VisitsTitle) }</h2>
            if let Some(n) = &*notice {
                { n.view(lang) }
            }
            if let Some(at) = k.patients_at_ms {
                <p class="age">{ t(lang, Text::VisitListAge) }{ age(lang, at, now) }</p>
            }
            <div role="group" aria-label={t(lang, Text::VisitFilter)}>
                { filter_button(Filter::Today, Text::VisitToday) }
                { filter_button(Filter::Tomorrow, Text::VisitTomorrow) }
                { filter_button(Filter::All, Text::VisitAll) }
            </div>
            <button type="button" class="button primary" disabled={*busy || all_ids.is_empty()}
                onclick={reinquire(all_ids.clone())}>{ t(lang, Text::VisitReinquireAll) }</button>
            if k.patients.is_empty() {
                <p>{ t(lang, Text::VisitNone) }</p>
            } else {
                <table>
                    <thead><tr>
                        <th scope="col">{ t(lang, Text::VisitReference) }</th>
                        <th scope="col">{ t(lang, Text::QName) }</th>
                        <th scope="col">{ t(lang, Text::VisitCardAt) }</th>
                        <th scope="col">{ t(lang, Text::VisitResult) }</th>
                        <th scope="col">{ t(lang, Text::VisitRound) }</th>
                        <th scope="col">{ t(lang, Text::VisitActions) }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
            { for detail }
        </section>
    }
}

/// The first 8 characters of an id: enough to tell patients apart on screen.
fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// Properties of the 照会番号 form.
#[derive(Properties)]
struct ReferenceProps {
    lang: crate::i18n::Lang,
    device: Device,
    patient: String,
    reference: Option<String>,
    on_saved: Callback<()>,
}

impl PartialEq for ReferenceProps {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
            && self.patient == other.patient
            && self.reference == other.reference
    }
}

/// 照会番号の登録: the institution's chart number for the patient, so its results carry it.
#[function_component]
fn ReferenceForm(props: &ReferenceProps) -> Html {
    let lang = props.lang;
    let typed = use_state(|| props.reference.clone().unwrap_or_default());
    let flash = use_state(|| None::<Flash>);
    let on_input = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            typed.set(input.value());
        })
    };
    let on_submit = {
        let (typed, flash, device, patient, saved) = (
            typed.clone(),
            flash.clone(),
            props.device.clone(),
            props.patient.clone(),
            props.on_saved.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (flash, device, saved) = (flash.clone(), device.clone(), saved.clone());
            let body = serde_json::json!({ "reference_number": *typed });
            let path = format!(
                "/v1/patients/{}/reference-number",
                js_sys::encode_uri_component(&patient)
            );
            wasm_bindgen_futures::spawn_local(async move {
                match call::<serde_json::Value>(&device, "PUT", &path, Some(&body)).await {
                    Ok(_) => {
                        flash.set(Some(Flash::Info(Message::new(
                            "照会番号を登録しました",
                            "The reference number was registered",
                        ))));
                        saved.emit(());
                    }
                    Err(e) => flash.set(Some(Flash::Error(e.message))),
                }
            });
        })
    };
    html! {
        <form class="reference" onsubmit={on_submit}>
            <div class="field">
                <label for="reference-number">{ t(lang, Text::VisitReference) }</label>
                <input id="reference-number" type="text" maxlength="40" value={(*typed).clone()} oninput={on_input}
                    aria-describedby="reference-note" autocomplete="off" />
                <p id="reference-note" class="note">{ t(lang, Text::VisitReferenceNote) }</p>
            </div>
            <button type="submit" class="button">{ t(lang, Text::VisitReferenceSave) }</button>
            if let Some(f) = &*flash { { f.view(lang) } }
        </form>
    }
}

//! 同意取得 at the institution URL (`/c/{token}`): the patient's consent-and-PIN flow, on the nurse's
//! tablet for a home visit or on the patient's own phone for an online consultation.
//!
//! Steps: the institution and what to prepare → each item (すべての項目に同意する too) → 受診予定日
//! (online only) → confirmation → the card and PIN → the signed receipt with its QR. The rules (every
//! item answered, the planned date not before today, the consent's window) are onshi-core's, so the
//! page and the service decide alike.

mod on_device;
mod receipt;

pub use on_device::ConsentOnDevice;

use onshi_core::consent::{
    Answer, CareSetting, ConsentChoices, ConsentItem, ConsentWindow, ONLINE_WINDOW_END,
    WindowError, resolve_window,
};
use onshi_core::i18n::Message;
use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::clock::now_jst;
use crate::i18n::{self, Lang, Text, t};
use crate::pages::card_step::{CardStep, Submit, Visual, VisualCard};

use receipt::Receipt;

/// What the institution URL says about itself (`GET /v1/consent-urls/{token}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct UrlView {
    pub institution_code: String,
    pub institution_name: String,
    pub kind: String,
    pub settings: Vec<CareSetting>,
    pub planned_date_required: bool,
}

/// A started session: the challenge the card signs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Started {
    pub session: String,
    pub challenge: String,
    pub expires_at: String,
    pub window: ConsentWindow,
}

/// A message of the service in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub ja: String,
    pub en: String,
}

impl Notice {
    pub fn message(&self) -> Message {
        Message::new(self.ja.clone(), self.en.clone())
    }
}

/// What a receipt states (the service signs it; no personal data in it).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Statement {
    pub receipt: String,
    pub institution: String,
    pub institution_name: String,
    pub setting: CareSetting,
    pub items: Vec<(ConsentItem, Answer)>,
    pub window: ConsentWindow,
    pub registered_at: String,
    pub identity: String,
}

/// The consent is registered.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Registered {
    pub receipt_id: String,
    pub receipt: String,
    pub statement: Statement,
    #[serde(default)]
    pub certificate_notice: Option<Notice>,
}

/// The body of `POST /v1/consent-urls/{token}/sessions`.
#[derive(Serialize)]
struct SessionRequest {
    answers: Vec<(ConsentItem, Answer)>,
    planned_date: Option<String>,
    setting: CareSetting,
}

/// Where the flow stands.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Loading,
    /// The URL does not work (re-issued, unknown, the institution does not take consent here).
    Unavailable(Message),
    Intro,
    Items,
    PlannedDate,
    Confirm,
    Card(Started),
    /// Back from the native app: checking what happened to the session.
    Returned,
    Done(Registered),
}

/// The answer of a 目視確認 sent by the staff device.
pub type VisualFuture =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Registered, Message>>>>;

/// This browser as a registered device of an institution (the nurse's tablet): the institution,
/// and how to send a session's 目視確認 signed by the device. Made by the full app only, so the
/// patient's bundle carries no device code.
#[derive(Clone)]
pub struct StaffDevice {
    /// 医療機関等コード of the device's institution.
    pub institution: String,
    /// Sends `POST /v1/consent-sessions/{session}/visual` with the card's certificate.
    pub send_visual: std::rc::Rc<dyn Fn(String, VisualCard) -> VisualFuture>,
}

impl PartialEq for StaffDevice {
    fn eq(&self, other: &Self) -> bool {
        self.institution == other.institution
            && std::rc::Rc::ptr_eq(&self.send_visual, &other.send_visual)
    }
}

/// Properties of the flow.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The institution URL's token.
    pub token: String,
    /// The registered device this browser is, if any: 目視確認 is offered when it belongs to the
    /// URL's institution (a home visit only; never on the patient's own phone).
    #[prop_or_default]
    pub staff: Option<StaffDevice>,
}

/// The consent flow.
#[function_component]
pub fn ConsentFlow(props: &Props) -> Html {
    let lang = props.lang;
    let step = use_state(|| Step::Loading);
    let view = use_state(|| None::<UrlView>);
    let choices = use_state(ConsentChoices::default);
    let planned = use_state(String::new);
    let error = use_state(|| None::<Message>);

    {
        let (step, view, token) = (step.clone(), view.clone(), props.token.clone());
        use_effect_with((), move |()| {
            wasm_bindgen_futures::spawn_local(async move {
                match api::get::<UrlView>(&format!("/v1/consent-urls/{token}")).await {
                    Ok(v) => {
                        view.set(Some(v));
                        step.set(match crate::prefs::query_param("session") {
                            Some(_) => Step::Returned,
                            None => Step::Intro,
                        });
                    }
                    Err(e) => step.set(Step::Unavailable(e.message)),
                }
            });
        });
    }

    let go = |to: Step| {
        let (step, error) = (step.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            error.set(None);
            step.set(to.clone());
        })
    };
    let Some(url) = (*view).clone() else {
        return match &*step {
            Step::Unavailable(m) => html! {
                <section class="alert" role="alert">
                    <h1>{ t(lang, Text::UrlUnavailable) }</h1>
                    <p>{ m.text(lang).to_owned() }</p>
                </section>
            },
            _ => html! { <p class="working" role="status">{ t(lang, Text::Loading) }</p> },
        };
    };
    let online = url.planned_date_required;
    let setting = url
        .settings
        .first()
        .copied()
        .unwrap_or(CareSetting::HomeVisit);
    let error_box = (*error).clone().map(|m| {
        html! { <p class="alert" role="alert">{ m.text(lang).to_owned() }</p> }
    });
    let header = html! {
        <header class="institution">
            <p class="kind">{ t(lang, if online { Text::KindOnline } else { Text::KindHomeVisit }) }</p>
            <p class="name">{ &url.institution_name }</p>
        </header>
    };

    let body = match &*step {
        Step::Loading | Step::Unavailable(_) => html! {},
        Step::Intro => html! {
            <section aria-labelledby="intro">
                <h1 id="intro">{ t(lang, Text::ConsentTitle) }</h1>
                <p>{ t(lang, Text::ConsentIntro) }</p>
                <h2>{ t(lang, Text::PrepareTitle) }</h2>
                <ul class="guidance">
                    <li>{ t(lang, Text::PrepareCard) }</li>
                    <li>{ t(lang, Text::PreparePin) }</li>
                    if online { <li>{ t(lang, Text::PreparePlannedDate) }</li> }
                </ul>
                <p class="note">{ t(lang, Text::NoCardAlternative) }</p>
                <button type="button" class="button primary" onclick={go(Step::Items)}>{ t(lang, Text::Start) }</button>
            </section>
        },
        Step::Items => {
            let set = |item: ConsentItem, answer: Answer| {
                let choices = choices.clone();
                Callback::from(move |_: Event| {
                    let mut next = *choices;
                    next.set(item, answer);
                    choices.set(next);
                })
            };
            let all = {
                let choices = choices.clone();
                Callback::from(move |_: MouseEvent| {
                    let mut next = *choices;
                    next.agree_to_all();
                    choices.set(next);
                })
            };
            let next = {
                let (choices, step, error) = (choices.clone(), step.clone(), error.clone());
                Callback::from(move |_: MouseEvent| match choices.confirm() {
                    Ok(_) => {
                        error.set(None);
                        step.set(if online {
                            Step::PlannedDate
                        } else {
                            Step::Confirm
                        });
                    }
                    Err(missing) => error.set(Some(missing.message())),
                })
            };
            let items = ConsentItem::ALL.into_iter().map(|item| {
                let name = format!("item-{}", i18n::item_code(item));
                let chosen = choices.get(item);
                html! {
                    <fieldset class="item">
                        <legend>{ i18n::item_label(lang, item) }</legend>
                        <p class="explain">{ i18n::item_explanation(lang, item) }</p>
                        <div class="answers">
                            <label class="answer">
                                <input type="radio" name={name.clone()} checked={chosen == Some(Answer::Agree)}
                                    onchange={set(item, Answer::Agree)} />
                                { t(lang, Text::Agree) }
                            </label>
                            <label class="answer">
                                <input type="radio" name={name} checked={chosen == Some(Answer::Decline)}
                                    onchange={set(item, Answer::Decline)} />
                                { t(lang, Text::Decline) }
                            </label>
                        </div>
                    </fieldset>
                }
            });
            html! {
                <section aria-labelledby="items">
                    <h1 id="items">{ t(lang, Text::ItemsTitle) }</h1>
                    <p>{ t(lang, Text::ItemsIntro) }</p>
                    <button type="button" class="button" onclick={all}>{ t(lang, Text::AgreeToAll) }</button>
                    { for items }
                    { error_box.clone() }
                    <div class="actions">
                        <button type="button" class="button" onclick={go(Step::Intro)}>{ t(lang, Text::Back) }</button>
                        <button type="button" class="button primary" onclick={next}>{ t(lang, Text::Next) }</button>
                    </div>
                </section>
            }
        }
        Step::PlannedDate => {
            let on_input = {
                let planned = planned.clone();
                Callback::from(move |e: InputEvent| {
                    let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                    planned.set(input.value());
                })
            };
            let next = {
                let (planned, step, error) = (planned.clone(), step.clone(), error.clone());
                Callback::from(move |_: MouseEvent| match planned_window(&planned) {
                    Ok(_) => {
                        error.set(None);
                        step.set(Step::Confirm);
                    }
                    Err(m) => error.set(Some(m)),
                })
            };
            html! {
                <section aria-labelledby="planned">
                    <h1 id="planned">{ t(lang, Text::PlannedDateTitle) }</h1>
                    <div class="field">
                        <label for="planned-date">{ t(lang, Text::PlannedDateLabel) }</label>
                        <input id="planned-date" type="date" value={(*planned).clone()} oninput={on_input} />
                    </div>
                    <p class="note">{ t(lang, Text::PlannedDateNote) }</p>
                    { error_box.clone() }
                    <div class="actions">
                        <button type="button" class="button" onclick={go(Step::Items)}>{ t(lang, Text::Back) }</button>
                        <button type="button" class="button primary" onclick={next}>{ t(lang, Text::Next) }</button>
                    </div>
                </section>
            }
        }
        Step::Confirm => {
            let answers = choices.confirm().unwrap_or_default();
            let window = if online {
                planned_window(&planned).ok()
            } else {
                resolve_window(setting, now_jst(), None, ONLINE_WINDOW_END).ok()
            };
            let submit = {
                let (step, error, token) = (step.clone(), error.clone(), props.token.clone());
                let request = SessionRequest {
                    answers: answers.clone(),
                    planned_date: online.then(|| planned.replace('-', "")),
                    setting,
                };
                let body = serde_json::to_value(&request).unwrap_or_default();
                Callback::from(move |_: MouseEvent| {
                    let (step, error, token, body) =
                        (step.clone(), error.clone(), token.clone(), body.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        let path = format!("/v1/consent-urls/{token}/sessions");
                        match api::post::<_, Started>(&path, &body).await {
                            Ok(started) => {
                                error.set(None);
                                step.set(Step::Card(started));
                            }
                            Err(e) => error.set(Some(e.message)),
                        }
                    });
                })
            };
            let back = if online {
                Step::PlannedDate
            } else {
                Step::Items
            };
            html! {
                <section aria-labelledby="confirm">
                    <h1 id="confirm">{ t(lang, Text::ConfirmTitle) }</h1>
                    <dl class="summary">
                        { for answers.iter().map(|(item, answer)| html! {
                            <>
                                <dt>{ i18n::item_label(lang, *item) }</dt>
                                <dd>{ t(lang, if *answer == Answer::Agree { Text::Agree } else { Text::Decline }) }</dd>
                            </>
                        }) }
                        if let Some(w) = window {
                            <dt>{ t(lang, Text::WindowLabel) }</dt>
                            <dd>{ i18n::window(lang, &w) }</dd>
                        }
                    </dl>
                    <p class="note">{ t(lang, Text::ConfirmNote) }</p>
                    { error_box.clone() }
                    <div class="actions">
                        <button type="button" class="button" onclick={go(back)}>{ t(lang, Text::Back) }</button>
                        <button type="button" class="button primary" onclick={submit}>{ t(lang, Text::ConfirmAndIdentify) }</button>
                    </div>
                </section>
            }
        }
        Step::Card(started) => {
            let submit = {
                let (step, session) = (step.clone(), started.session.clone());
                Submit::new(move |signed| {
                    let (step, path) =
                        (step.clone(), format!("/v1/consent-sessions/{session}/card"));
                    async move {
                        let registered: Registered =
                            api::post(&path, &signed).await.map_err(|e| e.message)?;
                        step.set(Step::Done(registered));
                        Ok(())
                    }
                })
            };
            let visual = props
                .staff
                .clone()
                .filter(|staff| !online && staff.institution == url.institution_code)
                .map(|staff| {
                    let (step, session) = (step.clone(), started.session.clone());
                    Visual::new(move |card| {
                        let (step, sent) =
                            (step.clone(), (staff.send_visual)(session.clone(), card));
                        async move {
                            step.set(Step::Done(sent.await?));
                            Ok(())
                        }
                    })
                });
            html! {
                <section aria-labelledby="identity">
                    <h1 id="identity">{ t(lang, Text::IdentityTitle) }</h1>
                    <p class="note">{ t(lang, Text::WindowLabel) }{ ": " }{ i18n::window(lang, &started.window) }</p>
                    <CardStep {lang} challenge={started.challenge.clone()} {submit} {visual}
                        handoff={Some(app_link(&props.token, started))} />
                </section>
            }
        }
        Step::Returned => html! { <AppReturn {lang} token={props.token.clone()} on_done={
            let step = step.clone();
            Callback::from(move |r: Registered| step.set(Step::Done(r)))
        } /> },
        Step::Done(registered) => html! { <Receipt {lang} registered={registered.clone()} /> },
    };
    html! {
        <>
            { header }
            { body }
        </>
    }
}

/// The online window for the typed 受診予定日 (`YYYY-MM-DD` from the date field), by core's rule.
fn planned_window(typed: &str) -> Result<ConsentWindow, Message> {
    let date = onshi_core::jst::parse_date(&typed.replace('-', ""))
        .map_err(|_| WindowError::PlannedDateMissing.message())?;
    resolve_window(
        CareSetting::OnlineConsultation,
        now_jst(),
        Some(date),
        ONLINE_WINDOW_END,
    )
    .map_err(|e| e.message())
}

/// The link that hands the card step to onshi's app on a phone without a reader. The app reads the
/// card by NFC, sends the signature to the service itself, and opens `return` again; the page then
/// asks the service how the session ended.
pub fn app_link(token: &str, started: &Started) -> String {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let back = format!("{origin}/c/{token}?session={}", started.session);
    let enc = |s: &str| String::from(js_sys::encode_uri_component(s));
    format!(
        "onshi://consent?service={}&session={}&challenge={}&return={}",
        enc(&origin),
        enc(&started.session),
        enc(&started.challenge),
        enc(&back)
    )
}

/// How a session stands, for the page the app returns to (`GET /v1/consent-sessions/{id}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
enum SessionState {
    /// Still waiting for the card: the app did not finish.
    Open(Started),
    /// Registered.
    Completed(Registered),
    /// Closed (expired, or too many failed card steps).
    Closed,
}

#[derive(Properties, PartialEq)]
struct ReturnProps {
    lang: Lang,
    token: String,
    on_done: Callback<Registered>,
}

/// The page the app returns to: done, not done (try again), or closed (start again).
#[function_component]
fn AppReturn(props: &ReturnProps) -> Html {
    let lang = props.lang;
    let state = use_state(|| None::<Result<SessionState, ApiError>>);
    {
        let (state, on_done) = (state.clone(), props.on_done.clone());
        use_effect_with((), move |()| {
            let id = crate::prefs::query_param("session").unwrap_or_default();
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/v1/consent-sessions/{}", js_sys::encode_uri_component(&id));
                match api::get::<SessionState>(&path).await {
                    Ok(SessionState::Completed(r)) => on_done.emit(r),
                    other => state.set(Some(other)),
                }
            });
        });
    }
    let restart = format!("/c/{}", props.token);
    match &*state {
        None => html! { <p class="working" role="status">{ t(lang, Text::ReturnChecking) }</p> },
        Some(Ok(SessionState::Open(started))) => html! {
            <section class="alert" role="alert">
                <h1>{ t(lang, Text::ReturnNotFinished) }</h1>
                <p>{ t(lang, Text::ReturnNotFinishedWhat) }</p>
                <a class="button primary" href={app_link(&props.token, started)}>{ t(lang, Text::HandoffOpen) }</a>
                <a class="button" href={restart}>{ t(lang, Text::StartAgain) }</a>
            </section>
        },
        Some(Ok(SessionState::Closed)) | Some(Ok(SessionState::Completed(_))) => html! {
            <section class="alert" role="alert">
                <h1>{ t(lang, Text::ReturnClosed) }</h1>
                <a class="button primary" href={restart}>{ t(lang, Text::StartAgain) }</a>
            </section>
        },
        Some(Err(e)) => html! {
            <section class="alert" role="alert">
                <p>{ e.message.text(lang).to_owned() }</p>
                <a class="button primary" href={restart}>{ t(lang, Text::StartAgain) }</a>
            </section>
        },
    }
}

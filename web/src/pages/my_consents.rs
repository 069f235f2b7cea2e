//! 同意の確認・変更・取り消し (`/me`): the patient signs in with the card and PIN (the card signs the
//! service's challenge), sees every consent with its state now, changes one item, withdraws every
//! consent at once, and sees who accessed their information (閲覧履歴). The bearer token lives in
//! this page's memory only, for the service's 30 minutes.

use onshi_core::consent::{Answer, ConsentItem, ConsentState, RevokedBy};
use onshi_core::facility::Information;
use onshi_core::jst::JstDateTime;
use serde::Deserialize;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::i18n::{self, Lang, Message, Text, t};
use crate::pages::card_step::{CardStep, Submit};
use crate::pages::flash::Flash;

/// A sign-in challenge.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Challenge {
    id: String,
    challenge: String,
}

/// The signed-in patient's token.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Session {
    token: String,
}

/// One consent as the patient sees it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct ConsentView {
    institution: String,
    institution_name: String,
    item: ConsentItem,
    answer: Answer,
    state: ConsentState,
    given_at: String,
}

/// One access to the patient's information (閲覧履歴).
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Access {
    #[serde(with = "onshi_core::jst::serde_datetime")]
    at: JstDateTime,
    institution: String,
    institution_name: Option<String>,
    action: String,
    information: String,
}

/// What the page knows once signed in.
#[derive(Debug, Clone, PartialEq)]
struct Signed {
    token: String,
    consents: Vec<ConsentView>,
    accesses: Vec<Access>,
}

async fn load(token: String) -> Result<Signed, ApiError> {
    let consents = api::get_with_token("/v1/patient/consents", &token).await?;
    let accesses = api::get_with_token("/v1/patient/accesses", &token).await?;
    Ok(Signed {
        token,
        consents,
        accesses,
    })
}

/// Properties of the page.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
}

/// The patient's own view.
#[function_component]
pub fn MyConsents(props: &Props) -> Html {
    let lang = props.lang;
    let challenge = use_state(|| None::<Result<Challenge, ApiError>>);
    let signed = use_state(|| None::<Signed>);
    let notice = use_state(|| None::<Flash>);
    let confirm_revoke = use_state(|| false);

    {
        let challenge = challenge.clone();
        use_effect_with((), move |()| {
            wasm_bindgen_futures::spawn_local(async move {
                let issued = api::post::<_, Challenge>("/v1/patient/challenges", &()).await;
                challenge.set(Some(issued));
            });
        });
    }

    let Some(state) = (*signed).clone() else {
        let body = match &*challenge {
            None => html! { <p class="working" role="status">{ t(lang, Text::Loading) }</p> },
            Some(Err(e)) => {
                html! { <p class="alert" role="alert">{ e.message.text(lang).to_owned() }</p> }
            }
            Some(Ok(c)) => {
                let submit = {
                    let (signed, id) = (signed.clone(), c.id.clone());
                    Submit::new(move |card| {
                        let (signed, id) = (signed.clone(), id.clone());
                        async move {
                            let mut body = serde_json::to_value(&card).unwrap_or_default();
                            body["challenge_id"] = id.into();
                            let session: Session = api::post("/v1/patient/sessions", &body)
                                .await
                                .map_err(|e| e.message)?;
                            signed.set(Some(load(session.token).await.map_err(|e| e.message)?));
                            Ok(())
                        }
                    })
                };
                html! { <CardStep {lang} challenge={c.challenge.clone()} {submit} /> }
            }
        };
        return html! {
            <section aria-labelledby="me">
                <h1 id="me">{ t(lang, Text::MeTitle) }</h1>
                <p>{ t(lang, Text::MeSignIn) }</p>
                { body }
            </section>
        };
    };

    let refresh = {
        let (signed, notice) = (signed.clone(), notice.clone());
        move |token: String, done: Message| {
            let (signed, notice) = (signed.clone(), notice.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match load(token).await {
                    Ok(s) => {
                        signed.set(Some(s));
                        notice.set(Some(Flash::Info(done)));
                    }
                    Err(e) => notice.set(Some(Flash::Error(e.message))),
                }
            });
        }
    };
    let change = |c: &ConsentView, answer: Answer| {
        let (token, notice, refresh) = (state.token.clone(), notice.clone(), refresh.clone());
        let body =
            serde_json::json!({ "institution": c.institution, "answers": [[c.item, answer]] });
        Callback::from(move |_: MouseEvent| {
            let (token, notice, refresh, body) =
                (token.clone(), notice.clone(), refresh.clone(), body.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let auth = format!("Bearer {token}");
                let sent = api::post_with(
                    "/v1/patient/consents/update",
                    &body,
                    &[("Authorization", &auth)],
                )
                .await
                .and_then(|a| a.ok());
                match sent {
                    Ok(()) => refresh(
                        token,
                        Message::new("同意の内容を変更しました", "Your consent was changed"),
                    ),
                    Err(e) => notice.set(Some(Flash::Error(e.message))),
                }
            });
        })
    };
    let revoke_all = {
        let (token, notice, refresh, confirm) = (
            state.token.clone(),
            notice.clone(),
            refresh.clone(),
            confirm_revoke.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (token, notice, refresh, confirm) = (
                token.clone(),
                notice.clone(),
                refresh.clone(),
                confirm.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let auth = format!("Bearer {token}");
                let sent = api::post_with(
                    "/v1/patient/consents/revoke-all",
                    &(),
                    &[("Authorization", &auth)],
                )
                .await
                .and_then(|a| a.ok());
                confirm.set(false);
                match sent {
                    Ok(()) => refresh(
                        token,
                        Message::new(
                            "すべての同意を取り消しました",
                            "Every consent was withdrawn",
                        ),
                    ),
                    Err(e) => notice.set(Some(Flash::Error(e.message))),
                }
            });
        })
    };
    let ask_revoke = {
        let confirm = confirm_revoke.clone();
        Callback::from(move |_: MouseEvent| confirm.set(true))
    };
    let cancel_revoke = {
        let confirm = confirm_revoke.clone();
        Callback::from(move |_: MouseEvent| confirm.set(false))
    };

    let rows = state.consents.iter().map(|c| {
        let flip = match (c.answer, c.state) {
            (Answer::Agree, ConsentState::Active) => Some((Answer::Decline, Text::MeWithdrawItem)),
            (_, ConsentState::Active) => None,
            _ => Some((Answer::Agree, Text::MeAgreeItem)),
        };
        html! {
            <tr>
                <td>{ &c.institution_name }</td>
                <td>{ i18n::item_label(lang, c.item) }</td>
                <td>{ consent_state(lang, c.answer, c.state) }</td>
                <td>{ i18n::datetime_text(lang, &c.given_at) }</td>
                <td>
                    if let Some((answer, label)) = flip {
                        <button type="button" class="button" onclick={change(c, answer)}>{ t(lang, label) }</button>
                    }
                </td>
            </tr>
        }
    });
    let accesses = state.accesses.iter().rev().map(|a| html! {
        <tr>
            <td>{ i18n::datetime(lang, a.at) }</td>
            <td>{ a.institution_name.clone().unwrap_or_else(|| a.institution.clone()) }</td>
            <td>{ information_label(lang, &a.information) }</td>
            <td>{ t(lang, if a.action == "view" { Text::MeAccessViewed } else { Text::MeAccessRefused }) }</td>
        </tr>
    });
    let any_active = state
        .consents
        .iter()
        .any(|c| c.state == ConsentState::Active);
    html! {
        <section aria-labelledby="me">
            <h1 id="me">{ t(lang, Text::MeTitle) }</h1>
            if let Some(n) = &*notice {
                { n.view(lang) }
            }
            <h2>{ t(lang, Text::MeConsents) }</h2>
            if state.consents.is_empty() {
                <p>{ t(lang, Text::MeNoConsents) }</p>
            } else {
                <table>
                    <thead><tr>
                        <th scope="col">{ t(lang, Text::InstitutionLabel) }</th>
                        <th scope="col">{ t(lang, Text::MeItem) }</th>
                        <th scope="col">{ t(lang, Text::MeState) }</th>
                        <th scope="col">{ t(lang, Text::MeGivenAt) }</th>
                        <th scope="col">{ t(lang, Text::MeChange) }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
            if any_active {
                if *confirm_revoke {
                    <div class="alert" role="alert">
                        <p>{ t(lang, Text::MeRevokeAllConfirm) }</p>
                        <button type="button" class="button primary" onclick={revoke_all}>{ t(lang, Text::MeRevokeAllYes) }</button>
                        <button type="button" class="button" onclick={cancel_revoke}>{ t(lang, Text::MeRevokeAllNo) }</button>
                    </div>
                } else {
                    <button type="button" class="button" onclick={ask_revoke}>{ t(lang, Text::MeRevokeAll) }</button>
                }
            }
            <h2>{ t(lang, Text::MeAccesses) }</h2>
            if state.accesses.is_empty() {
                <p>{ t(lang, Text::MeNoAccesses) }</p>
            } else {
                <table>
                    <thead><tr>
                        <th scope="col">{ t(lang, Text::MeAccessAt) }</th>
                        <th scope="col">{ t(lang, Text::InstitutionLabel) }</th>
                        <th scope="col">{ t(lang, Text::MeAccessInformation) }</th>
                        <th scope="col">{ t(lang, Text::MeAccessResult) }</th>
                    </tr></thead>
                    <tbody>{ for accesses }</tbody>
                </table>
            }
        </section>
    }
}

/// A consent's answer and state in words.
fn consent_state(lang: Lang, answer: Answer, state: ConsentState) -> &'static str {
    t(
        lang,
        match state {
            ConsentState::Active if answer == Answer::Agree => Text::MeStateActive,
            ConsentState::Active | ConsentState::Declined => Text::MeStateDeclined,
            ConsentState::Expired => Text::MeStateExpired,
            ConsentState::Revoked {
                by: RevokedBy::Patient,
            } => Text::MeStateRevokedByMe,
            ConsentState::Revoked { .. } => Text::MeStateRevokedByInstitution,
            ConsentState::Absent => Text::MeStateAbsent,
        },
    )
}

/// The kind of information an audit entry names (core's stored name).
pub fn information_label(lang: Lang, stored: &str) -> String {
    serde_json::from_value::<Information>(serde_json::Value::String(stored.to_owned()))
        .map(|i| i18n::information(lang, i).to_owned())
        .unwrap_or_else(|_| stored.to_owned())
}

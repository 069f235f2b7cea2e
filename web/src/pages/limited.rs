//! 資格確認限定型 (`/limited`): a 柔整・あはき 施術所, a 健診実施機関 or a 助産所 checks the card on a
//! generic reader and sees the qualification only. Nothing medical is asked for or shown: the screen
//! has no such request, and the service answers this institution with qualification alone.
//!
//! Per patient: a challenge from the service, the card and PIN (the shared card step), the signed
//! card check, the answer; then the next patient. Staff may instead confirm the patient by the card's
//! photo (目視確認, as with a generic reader at the desk): the card's certificate alone is checked.

use serde::Deserialize;
use yew::prelude::*;

use crate::device::Device;
use crate::i18n::{Lang, Message, Text, t};
use crate::pages::card_step::{CardStep, Submit, Visual};
use crate::pages::device_gate::{DeviceGate, DeviceProps, call};
use crate::pages::qualification::{QualificationAnswer, QualificationView};

/// Properties of the page.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
}

/// The page: the device gate, then the check.
#[function_component]
pub fn Limited(props: &Props) -> Html {
    let lang = props.lang;
    let render = Callback::from(move |device: Device| html! { <LimitedCheck {lang} {device} /> });
    html! { <DeviceGate {lang} {render} /> }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Challenge {
    id: String,
    challenge: String,
}

#[derive(Clone, PartialEq)]
enum Stage {
    Asking,
    Card(Challenge),
    Answer(Box<QualificationAnswer>),
    Failed(Message),
}

#[function_component]
fn LimitedCheck(props: &DeviceProps) -> Html {
    let lang = props.lang;
    let stage = use_state(|| Stage::Asking);
    let next_patient = {
        let (stage, device) = (stage.clone(), props.device.clone());
        Callback::from(move |()| {
            let (stage, device) = (stage.clone(), device.clone());
            stage.set(Stage::Asking);
            wasm_bindgen_futures::spawn_local(async move {
                stage.set(
                    match call::<Challenge>(&device, "POST", "/v1/card-checks/challenges", None)
                        .await
                    {
                        Ok(c) => Stage::Card(c),
                        Err(e) => Stage::Failed(e.message),
                    },
                );
            });
        })
    };
    {
        let next_patient = next_patient.clone();
        use_effect_with((), move |()| next_patient.emit(()));
    }
    let again = next_patient.reform(|_: MouseEvent| ());
    let body = match &*stage {
        Stage::Asking => html! { <p class="working" role="status">{ t(lang, Text::Loading) }</p> },
        Stage::Card(challenge) => {
            // Both ways end in the same signed card check; only the proof differs.
            let check = {
                let (stage, device) = (stage.clone(), props.device.clone());
                move |body: serde_json::Value| {
                    let (stage, device) = (stage.clone(), device.clone());
                    async move {
                        let answer: QualificationAnswer =
                            call(&device, "POST", "/v1/card-checks", Some(&body))
                                .await
                                .map_err(|e| e.message)?;
                        stage.set(Stage::Answer(Box::new(answer)));
                        Ok(())
                    }
                }
            };
            let submit = {
                let (check, id) = (check.clone(), challenge.id.clone());
                Submit::new(move |signed| {
                    let mut body = serde_json::to_value(&signed).unwrap_or_default();
                    body["challenge_id"] = id.clone().into();
                    check(body)
                })
            };
            let visual =
                Visual::new(move |card| check(serde_json::to_value(&card).unwrap_or_default()));
            html! {
                <>
                    <p>{ t(lang, Text::LimitedPatientPin) }</p>
                    <CardStep {lang} challenge={challenge.challenge.clone()} {submit} visual={Some(visual)} />
                </>
            }
        }
        Stage::Answer(answer) => html! {
            <>
                <QualificationView {lang} answer={(**answer).clone()} />
                <button type="button" class="button primary" onclick={again}>{ t(lang, Text::LimitedNext) }</button>
            </>
        },
        Stage::Failed(m) => html! {
            <>
                <p class="alert" role="alert">{ m.text(lang).to_owned() }</p>
                <button type="button" class="button primary" onclick={again}>{ t(lang, Text::TryAgain) }</button>
            </>
        },
    };
    html! {
        <section aria-labelledby="limited">
            <h1 id="limited">{ t(lang, Text::LimitedTitle) }</h1>
            <p class="note">{ t(lang, Text::LimitedIntro) }</p>
            { body }
        </section>
    }
}

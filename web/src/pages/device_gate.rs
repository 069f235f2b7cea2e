//! 登録端末: the staff screens work only in a browser registered as a device of the institution. The
//! first time, staff choose the device key file issued by `onshi-server device add --key-out`; the
//! key is imported into WebCrypto as non-extractable and kept in this browser's IndexedDB, so the page
//! never holds it again.

use yew::prelude::*;

use crate::device::{Device, DeviceError};
use crate::i18n::{Lang, Message, Text, t};

/// Properties of a screen that works on the registered device: the language and the device
/// (compared by id: the same device is the same screen).
#[derive(Properties)]
pub struct DeviceProps {
    pub lang: Lang,
    pub device: Device,
}

impl PartialEq for DeviceProps {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang && self.device.id() == other.device.id()
    }
}

/// Properties of the gate.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The screen, given the registered device.
    pub render: Callback<Device, Html>,
}

#[derive(Clone)]
enum State {
    Loading,
    Unregistered(Option<Message>),
    Ready(Device),
}

/// Shows `render` once this browser is a registered device; the key-file import before that.
#[function_component]
pub fn DeviceGate(props: &Props) -> Html {
    let lang = props.lang;
    let state = use_state(|| State::Loading);
    {
        let state = state.clone();
        use_effect_with((), move |()| {
            wasm_bindgen_futures::spawn_local(async move {
                state.set(match Device::load().await {
                    Ok(Some(d)) => State::Ready(d),
                    Ok(None) => State::Unregistered(None),
                    Err(e) => State::Unregistered(Some(e.message())),
                });
            });
        });
    }
    let on_file = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string())
                    .unwrap_or_default();
                state.set(match Device::import(&text).await {
                    Ok(d) => State::Ready(d),
                    Err(e) => State::Unregistered(Some(e.message())),
                });
            });
        })
    };
    let forget = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let state = state.clone();
            // What the console kept for offline visits leaves with the registration.
            if let State::Ready(device) = &*state {
                crate::pages::console::Kept::clear(device.institution());
            }
            wasm_bindgen_futures::spawn_local(async move {
                let _ = Device::forget().await;
                state.set(State::Unregistered(None));
            });
        })
    };
    match &*state {
        State::Loading => html! { <p class="working" role="status">{ t(lang, Text::Loading) }</p> },
        State::Unregistered(error) => html! {
            <section aria-labelledby="device">
                <h1 id="device">{ t(lang, Text::DeviceTitle) }</h1>
                <p>{ t(lang, Text::DeviceIntro) }</p>
                if let Some(m) = error {
                    <p class="alert" role="alert">{ m.text(lang).to_owned() }</p>
                }
                <div class="field">
                    <label for="device-key">{ t(lang, Text::DeviceKeyFile) }</label>
                    <input id="device-key" type="file" accept=".json,application/json" onchange={on_file} />
                </div>
                <p class="note">{ t(lang, Text::DeviceKeyNote) }</p>
            </section>
        },
        State::Ready(device) => html! {
            <>
                <p class="device-line">
                    { t(lang, Text::DeviceRegistered) }
                    <span class="mono">{ format!(" {} / {}", device.institution(), device.id()) }</span>
                    <button type="button" class="link" onclick={forget}>{ t(lang, Text::DeviceForget) }</button>
                </p>
                { props.render.emit(device.clone()) }
            </>
        },
    }
}

/// A device's answer as JSON, or the service's typed error.
pub async fn call<T: serde::de::DeserializeOwned>(
    device: &Device,
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
) -> Result<T, crate::api::ApiError> {
    let bytes = body
        .map(|b| serde_json::to_vec(b).unwrap_or_default())
        .unwrap_or_default();
    let (status, answer) = device
        .request(method, path, &bytes)
        .await
        .map_err(|e| match e {
            // fetch itself failed: offline, so the request may wait in the queue.
            DeviceError::Browser(_) => crate::api::ApiError::network(),
            other => crate::api::ApiError {
                status: 0,
                code: "DEVICE".to_owned(),
                message: other.message(),
            },
        })?;
    crate::api::Answer {
        status,
        body: answer,
    }
    .json()
}

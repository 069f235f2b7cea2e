//! The consent flow on the institution's registered device (the nurse's tablet): the same flow, with
//! 目視確認 offered and sent signed by the device. Only the full app routes here; a patient's phone
//! loads the patient bundle, which has no device code (see index.html).

use std::rc::Rc;

use yew::prelude::*;

use super::{ConsentFlow, Registered, StaffDevice};
use crate::device::Device;
use crate::i18n::{Lang, Text, t};
use crate::pages::device_gate::call;

/// Properties of the flow on a device.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The institution URL's token.
    pub token: String,
}

/// The consent flow, told which registered device this browser is (if any).
#[function_component]
pub fn ConsentOnDevice(props: &Props) -> Html {
    let lang = props.lang;
    // `None` while the device is looked up.
    let staff = use_state(|| None::<Option<StaffDevice>>);
    {
        let staff = staff.clone();
        use_effect_with((), move |()| {
            wasm_bindgen_futures::spawn_local(async move {
                let device = Device::load().await.ok().flatten();
                staff.set(Some(device.map(staff_device)));
            });
        });
    }
    match &*staff {
        None => html! { <p class="working" role="status">{ t(lang, Text::Loading) }</p> },
        Some(staff) => {
            html! { <ConsentFlow {lang} token={props.token.clone()} staff={staff.clone()} /> }
        }
    }
}

fn staff_device(device: Device) -> StaffDevice {
    StaffDevice {
        institution: device.institution().to_owned(),
        send_visual: Rc::new(move |session, card| {
            let device = device.clone();
            Box::pin(async move {
                let body = serde_json::to_value(&card).unwrap_or_default();
                let path = format!(
                    "/v1/consent-sessions/{}/visual",
                    js_sys::encode_uri_component(&session)
                );
                call::<Registered>(&device, "POST", &path, Some(&body))
                    .await
                    .map_err(|e| e.message)
            })
        }),
    }
}

//! スタッフ画面 (`/console`): on the institution's registered device — the visit list with 再照会,
//! 一括照会, and the institution's consent URLs. Every request is signed by the device (#6's protocol).

mod bulk;
mod medical;
mod store;
mod urls;
mod visits;

use yew::prelude::*;

use crate::device::Device;
use crate::i18n::{Lang, Text, t};
use crate::pages::device_gate::{DeviceGate, DeviceProps};

pub use store::Kept;

/// Properties of the console.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
}

/// The console's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Visits,
    Bulk,
    Urls,
}

/// The console.
#[function_component]
pub fn Console(props: &Props) -> Html {
    let lang = props.lang;
    let render = Callback::from(move |device: Device| html! { <Sections {lang} {device} /> });
    html! { <DeviceGate {lang} {render} /> }
}

#[function_component]
fn Sections(props: &DeviceProps) -> Html {
    let lang = props.lang;
    let tab = use_state(|| Tab::Visits);
    let tab_button = |to: Tab, label: Text| {
        let tab = tab.clone();
        let current = *tab == to;
        html! {
            <button type="button" role="tab" class="tab" aria-selected={current.to_string()}
                onclick={Callback::from(move |_| tab.set(to))}>{ t(lang, label) }</button>
        }
    };
    let device = props.device.clone();
    html! {
        <>
            <h1>{ t(lang, Text::ConsoleTitle) }</h1>
            <div role="tablist" class="tabs">
                { tab_button(Tab::Visits, Text::VisitsTitle) }
                { tab_button(Tab::Bulk, Text::BulkTitle) }
                { tab_button(Tab::Urls, Text::UrlsTitle) }
            </div>
            <div role="tabpanel">
                { match *tab {
                    Tab::Visits => html! { <visits::Visits {lang} {device} /> },
                    Tab::Bulk => html! { <bulk::Bulk {lang} {device} /> },
                    Tab::Urls => html! { <urls::Urls {lang} {device} /> },
                } }
            </div>
        </>
    }
}

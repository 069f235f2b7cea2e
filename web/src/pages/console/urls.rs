//! 医療機関URL・QRコード: the institution's consent URLs (訪問診療等 and オンライン診療等) with their
//! QR codes to print or show, and re-issue (the old URL stops working at once).

use serde::Deserialize;
use yew::prelude::*;

use crate::device::Device;
use crate::i18n::{Lang, Message, Text, t};
use crate::pages::device_gate::{DeviceProps, call};

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Issued {
    /// In the list only (an issue answers with the URL alone).
    #[serde(default)]
    kind: String,
    url: String,
    generation: u32,
}

/// `GET /v1/institution/urls`: the URLs issued so far.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct UrlList {
    urls: Vec<Issued>,
}

/// One URL kind: its current URL, QR, and re-issue.
#[derive(Properties)]
struct KindProps {
    lang: Lang,
    device: Device,
    kind: &'static str,
    /// The URL issued so far, if any.
    issued: Option<Issued>,
}

impl PartialEq for KindProps {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang && self.kind == other.kind && self.issued == other.issued
    }
}

#[function_component]
fn KindUrl(props: &KindProps) -> Html {
    let lang = props.lang;
    let issued = {
        let first = props.issued.clone();
        use_state(move || first)
    };
    let qr = use_state(|| None::<String>);
    let error = use_state(|| None::<Message>);
    // The QR code is signed like every staff request; shown as an inline image.
    {
        let (qr, device, kind) = (qr.clone(), props.device.clone(), props.kind);
        use_effect_with((*issued).clone(), move |issued| {
            if issued.is_some() {
                wasm_bindgen_futures::spawn_local(async move {
                    let path = format!("/v1/institution/urls/{kind}/qr.svg");
                    if let Ok((200, svg)) = device.request("GET", &path, &[]).await {
                        let text = String::from_utf8_lossy(&svg).into_owned();
                        let data = js_sys::encode_uri_component(&text);
                        qr.set(Some(format!("data:image/svg+xml;charset=utf-8,{data}")));
                    }
                });
            }
        });
    }
    let issue = {
        let (issued, error, device, kind) = (
            issued.clone(),
            error.clone(),
            props.device.clone(),
            props.kind,
        );
        Callback::from(move |_: MouseEvent| {
            let (issued, error, device) = (issued.clone(), error.clone(), device.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/v1/institution/urls/{kind}");
                match call::<Issued>(&device, "POST", &path, None).await {
                    Ok(i) => {
                        error.set(None);
                        issued.set(Some(i));
                    }
                    Err(e) => error.set(Some(e.message)),
                }
            });
        })
    };
    let label = t(
        lang,
        if props.kind == "online" {
            Text::UrlOnline
        } else {
            Text::UrlHomeVisit
        },
    );
    html! {
        <section class="url-kind" aria-label={label}>
            <h3>{ label }</h3>
            if let Some(m) = &*error {
                <p class="alert" role="alert">{ m.text(lang).to_owned() }</p>
            }
            if let Some(i) = &*issued {
                <p class="mono url">{ &i.url }</p>
                <p class="note">{ format!("{} {}", t(lang, Text::UrlGeneration), i.generation) }</p>
                if let Some(src) = &*qr {
                    <img class="qr-image" src={src.clone()} alt={format!("{} {}", t(lang, Text::UrlQrAlt), label)} width="200" height="200" />
                }
                <button type="button" class="button" onclick={issue}>{ t(lang, Text::UrlReissue) }</button>
                <p class="note">{ t(lang, Text::UrlReissueNote) }</p>
            } else {
                <button type="button" class="button primary" onclick={issue}>{ t(lang, Text::UrlIssue) }</button>
            }
        </section>
    }
}

/// Both URL kinds.
#[function_component]
pub fn Urls(props: &DeviceProps) -> Html {
    let lang = props.lang;
    // `None` until the list is in.
    let list = use_state(|| None::<Result<Vec<Issued>, Message>>);
    {
        let (list, device) = (list.clone(), props.device.clone());
        use_effect_with((), move |()| {
            wasm_bindgen_futures::spawn_local(async move {
                let answer = call::<UrlList>(&device, "GET", "/v1/institution/urls", None).await;
                list.set(Some(answer.map(|l| l.urls).map_err(|e| e.message)));
            });
        });
    }
    let kinds = match &*list {
        None => html! { <p class="working" role="status">{ t(lang, Text::Loading) }</p> },
        Some(Err(m)) => html! { <p class="alert" role="alert">{ m.text(lang).to_owned() }</p> },
        Some(Ok(urls)) => {
            let of = |kind: &str| urls.iter().find(|u| u.kind == kind).cloned();
            html! {
                <>
                    <KindUrl {lang} device={props.device.clone()} kind="home_visit" issued={of("home_visit")} />
                    <KindUrl {lang} device={props.device.clone()} kind="online" issued={of("online")} />
                </>
            }
        }
    };
    html! {
        <section aria-labelledby="urls">
            <h2 id="urls">{ t(lang, Text::UrlsTitle) }</h2>
            <p>{ t(lang, Text::UrlsIntro) }</p>
            { kinds }
        </section>
    }
}

//! The app shell: language, header and the current page.

use yew::prelude::*;

use crate::i18n::{Lang, Text, t};
use crate::pages::id_checker::IdChecker;

/// The whole app.
#[function_component]
pub fn App() -> Html {
    let lang = use_state(initial_lang);
    let toggle = {
        let lang = lang.clone();
        Callback::from(move |_| {
            lang.set(match *lang {
                Lang::Ja => Lang::En,
                Lang::En => Lang::Ja,
            })
        })
    };
    let html_lang = match *lang {
        Lang::Ja => "ja",
        Lang::En => "en",
    };
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", html_lang);
    }
    html! {
        <>
            <header class="bar">
                <span class="brand">{ t(*lang, Text::AppName) }</span>
                <button class="lang" onclick={toggle} lang={if *lang == Lang::Ja { "en" } else { "ja" }}>
                    { t(*lang, Text::SwitchLanguage) }
                </button>
            </header>
            <main>
                <IdChecker lang={*lang} />
            </main>
        </>
    }
}

/// `?lang=en` opens the app in English; Japanese otherwise.
fn initial_lang() -> Lang {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let english = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|p| p.get("lang"))
        .is_some_and(|l| l == "en");
    if english { Lang::En } else { Lang::Ja }
}

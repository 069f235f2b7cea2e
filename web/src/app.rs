//! The app shell: language, text size, header and the page for the current path.
//!
//! Paths (the service serves this app for each): `/` start, `/c/{token}` the consent flow at an
//! institution URL, `/me` the patient's own
//! consents, `/limited` the qualification-limited check, `/console` the staff console, `/tools/ids` the identifier checker.

use yew::prelude::*;

use crate::i18n::{Lang, Text, t};
use crate::pages::consent::{ConsentFlow, ConsentOnDevice};
use crate::pages::console::Console;
use crate::pages::home::Home;
use crate::pages::id_checker::IdChecker;
use crate::pages::limited::Limited;
use crate::pages::my_consents::MyConsents;
use crate::prefs::{self, TextSize};

/// The page a path shows.
#[derive(Debug, Clone, PartialEq)]
enum Route {
    Home,
    Consent(String),
    Ids,
    Me,
    Limited,
    Console,
    NotFound,
}

impl Route {
    fn from_path(path: &str) -> Self {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        match parts.as_slice() {
            [""] => Self::Home,
            ["c", token] if !token.is_empty() => Self::Consent((*token).to_owned()),
            ["tools", "ids"] => Self::Ids,
            ["me"] => Self::Me,
            ["limited"] => Self::Limited,
            ["console"] => Self::Console,
            _ => Self::NotFound,
        }
    }
}

fn current_route() -> Route {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    Route::from_path(&path)
}

/// Which pages a bundle has: the page for a route, in a language.
type Pages = fn(&Route, Lang) -> Html;

/// Every screen.
fn all_pages(route: &Route, lang: Lang) -> Html {
    match route {
        Route::Console => html! { <Console {lang} /> },
        Route::Limited => html! { <Limited {lang} /> },
        Route::Ids => html! { <IdChecker {lang} /> },
        // On the institution's registered device, with 目視確認.
        Route::Consent(token) => html! { <ConsentOnDevice {lang} token={token.clone()} /> },
        other => patient_pages(other, lang),
    }
}

/// The patient's screens only (the other routes load the full bundle; see index.html).
fn patient_pages(route: &Route, lang: Lang) -> Html {
    match route {
        Route::Home => html! { <Home {lang} /> },
        Route::Consent(token) => html! { <ConsentFlow {lang} token={token.clone()} /> },
        Route::Me => html! { <MyConsents {lang} /> },
        _ => html! {
            <section><h1>{ t(lang, Text::NotFoundTitle) }</h1><a href="/">{ t(lang, Text::AppName) }</a></section>
        },
    }
}

/// The whole app: every screen.
#[function_component]
pub fn App() -> Html {
    html! { <Shell pages={all_pages as Pages} /> }
}

/// The patient's app: the consent flow and the patient's own view, without any staff code.
#[function_component]
pub fn PatientApp() -> Html {
    html! { <Shell pages={patient_pages as Pages} /> }
}

#[derive(Properties)]
struct ShellProps {
    pages: Pages,
}

impl PartialEq for ShellProps {
    /// A bundle's shell is given its pages once and never another set.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Language, text size, header and the page.
#[function_component]
fn Shell(props: &ShellProps) -> Html {
    let lang = use_state(prefs::initial_lang);
    let size = use_state(prefs::initial_size);
    let route = use_memo((), |()| current_route());

    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", prefs::lang_code(*lang));
        let _ = root.set_attribute("class", &format!("size-{}", size.code()));
    }
    let toggle = {
        let lang = lang.clone();
        Callback::from(move |_| {
            let next = match *lang {
                Lang::Ja => Lang::En,
                Lang::En => Lang::Ja,
            };
            prefs::save_lang(next);
            lang.set(next);
        })
    };
    let size_button = |s: TextSize, label: Text| {
        let size = size.clone();
        let pressed = *size == s;
        let onclick = Callback::from(move |_| {
            prefs::save_size(s);
            size.set(s);
        });
        html! {
            <button type="button" class="size" aria-pressed={pressed.to_string()} {onclick}>
                { t(*lang, label) }
            </button>
        }
    };
    let lang_now = *lang;
    let page = (props.pages)(&route, lang_now);
    html! {
        <>
            <a class="skip" href="#main">{ t(lang_now, Text::SkipToContent) }</a>
            <header class="bar">
                <a class="brand" href="/">{ t(lang_now, Text::AppName) }</a>
                <div class="settings">
                    <div class="sizes" role="group" aria-label={t(lang_now, Text::SizesLabel)}>
                        { size_button(TextSize::Small, Text::SizeSmall) }
                        { size_button(TextSize::Medium, Text::SizeMedium) }
                        { size_button(TextSize::Large, Text::SizeLarge) }
                    </div>
                    <button type="button" class="lang" onclick={toggle}
                        lang={if lang_now == Lang::Ja { "en" } else { "ja" }}>
                        { t(lang_now, Text::SwitchLanguage) }
                    </button>
                </div>
            </header>
            <main id="main" class={if *route == Route::Console { "wide" } else { "" }}>{ page }</main>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_choose_pages() {
        assert_eq!(Route::from_path("/"), Route::Home);
        assert_eq!(Route::from_path("/c/abc"), Route::Consent("abc".into()));
        assert_eq!(Route::from_path("/c/"), Route::NotFound);
        assert_eq!(Route::from_path("/tools/ids"), Route::Ids);
        assert_eq!(Route::from_path("/x/y"), Route::NotFound);
    }
}

//! 識別番号チェッカー: staff type an identifier and see at once whether it is valid and why not.
//!
//! The page can be opened pre-filled: `?kind=insurer_number&value=01130013`.

use onshi_core::ids::{IdReport, IdentifierKind, report};
use web_sys::{HtmlInputElement, HtmlSelectElement, UrlSearchParams};
use yew::prelude::*;

use crate::i18n::{Lang, Text, t};

/// Properties of the checker page.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The display language.
    pub lang: Lang,
}

/// The kind and value given in the page's query string, if any.
fn from_query() -> (IdentifierKind, String) {
    let params = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|s| UrlSearchParams::new_with_str(&s).ok());
    let kind = params
        .as_ref()
        .and_then(|p| p.get("kind"))
        .and_then(|k| IdentifierKind::from_code(&k))
        .unwrap_or(IdentifierKind::InsurerNumber);
    let value = params.and_then(|p| p.get("value")).unwrap_or_default();
    (kind, value)
}

/// The identifier checker.
#[function_component]
pub fn IdChecker(props: &Props) -> Html {
    let lang = props.lang;
    let initial = use_memo((), |_| from_query());
    let kind = use_state(|| initial.0);
    let value = use_state(|| initial.1.clone());

    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(k) = IdentifierKind::from_code(&select.value()) {
                kind.set(k);
            }
        })
    };
    let on_input = {
        let value = value.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            value.set(input.value());
        })
    };

    let text = |key| t(lang, key);
    let result = if value.trim().is_empty() {
        html! { <p class="hint">{ text(Text::EmptyPrompt) }</p> }
    } else {
        view_report(lang, &report(*kind, &value))
    };

    html! {
        <section class="checker" aria-labelledby="checker-title">
            <h1 id="checker-title">{ text(Text::CheckerTitle) }</h1>
            <p class="intro">{ text(Text::CheckerIntro) }</p>
            <div class="field">
                <label for="kind">{ text(Text::KindLabel) }</label>
                <select id="kind" onchange={on_kind}>
                    { for IdentifierKind::ALL.iter().map(|k| {
                        let label = k.label();
                        html! {
                            <option value={k.code()} selected={*k == *kind}>{ label.text(lang).to_owned() }</option>
                        }
                    }) }
                </select>
            </div>
            <div class="field">
                <label for="value">{ text(Text::ValueLabel) }</label>
                <input id="value" type="text" inputmode="numeric" autocomplete="off" spellcheck="false"
                    value={(*value).clone()} oninput={on_input}
                    placeholder={text(Text::ValuePlaceholder)} aria-describedby="result" />
            </div>
            <div id="result" aria-live="polite">{ result }</div>
            <p class="note">{ text(Text::PersonalNote) }</p>
        </section>
    }
}

fn view_report(lang: Lang, r: &IdReport) -> Html {
    let text = |key| t(lang, key);
    match (&r.canonical, &r.message) {
        (Some(canonical), _) => html! {
            <div class="result valid" data-valid="true">
                <p class="verdict">{ "✔ " }{ text(Text::Valid) }</p>
                <dl>
                    <dt>{ text(Text::Canonical) }</dt><dd class="canonical">{ canonical.clone() }</dd>
                    { for r.details.iter().map(|d| html! {
                        <><dt>{ d.label.text(lang).to_owned() }</dt><dd>{ d.value.clone() }</dd></>
                    }) }
                </dl>
                { for r.warnings.iter().map(|w| html! {
                    <p class="warning" role="note"><strong>{ text(Text::Warning) }{ ": " }</strong>{ w.text(lang).to_owned() }</p>
                }) }
            </div>
        },
        (None, Some(message)) => html! {
            <div class="result invalid" data-valid="false" data-error={r.error_kind.unwrap_or_default()}>
                <p class="verdict">{ "✖ " }{ text(Text::Invalid) }</p>
                <p class="message" role="alert">{ message.text(lang).to_owned() }</p>
            </div>
        },
        (None, None) => Html::default(),
    }
}

//! はじめに: the start page, pointing each kind of user to their screen.

use yew::prelude::*;

use crate::i18n::{Lang, Text, t};

/// Properties of the start page.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
}

/// The start page.
#[function_component]
pub fn Home(props: &Props) -> Html {
    let lang = props.lang;
    let link = |href: &'static str, text: Text| {
        html! {
            <li><a class="button" href={href}>{ t(lang, text) }</a></li>
        }
    };
    html! {
        <section aria-labelledby="home">
            <h1 id="home">{ t(lang, Text::HomeTitle) }</h1>
            <p>{ t(lang, Text::HomeIntro) }</p>
            <ul class="menu">
                { link("/me", Text::HomePatient) }
                { link("/console", Text::HomeConsole) }
                { link("/limited", Text::HomeLimited) }
                { link("/tools/ids", Text::HomeIds) }
            </ul>
            <p class="note">{ t(lang, Text::HomePatientNote) }</p>
        </section>
    }
}

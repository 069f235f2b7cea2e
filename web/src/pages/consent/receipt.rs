//! 同意の控え: what the patient consented to, until when, and the service's signed receipt as a QR
//! code (it holds no personal data; anyone can check it with the service's receipt key).

use onshi_core::consent::Answer;
use yew::prelude::*;

use super::Registered;
use crate::i18n::{self, Lang, Text, t};

/// Properties of the receipt view.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub registered: Registered,
}

/// The receipt view.
#[function_component]
pub fn Receipt(props: &Props) -> Html {
    let lang = props.lang;
    let r = &props.registered;
    let s = &r.statement;
    let identity = t(
        lang,
        if s.identity == "visual" {
            Text::IdentityVisual
        } else {
            Text::IdentityPin
        },
    );
    html! {
        <section aria-labelledby="done" class="receipt">
            <h1 id="done">{ t(lang, Text::DoneTitle) }</h1>
            <p>{ t(lang, Text::DoneIntro) }</p>
            if let Some(notice) = &r.certificate_notice {
                <p class="alert" role="alert">{ notice.message().text(lang).to_owned() }</p>
            }
            <dl class="summary">
                <dt>{ t(lang, Text::InstitutionLabel) }</dt>
                <dd>{ &s.institution_name }</dd>
                { for s.items.iter().map(|(item, answer)| html! {
                    <>
                        <dt>{ i18n::item_label(lang, *item) }</dt>
                        <dd>{ t(lang, if *answer == Answer::Agree { Text::Agree } else { Text::Decline }) }</dd>
                    </>
                }) }
                <dt>{ t(lang, Text::WindowLabel) }</dt>
                <dd>{ i18n::window(lang, &s.window) }</dd>
                <dt>{ t(lang, Text::RegisteredAtLabel) }</dt>
                <dd>{ i18n::datetime_text(lang, &s.registered_at) }</dd>
                <dt>{ t(lang, Text::IdentityLabel) }</dt>
                <dd>{ identity }</dd>
                <dt>{ t(lang, Text::ReceiptIdLabel) }</dt>
                <dd class="mono">{ &r.receipt_id }</dd>
            </dl>
            <figure class="qr">
                <img src={format!("/v1/consent-receipts/{}/qr.svg", r.receipt_id)}
                    alt={t(lang, Text::ReceiptQrAlt)} width="220" height="220" />
                <figcaption>{ t(lang, Text::ReceiptQrCaption) }</figcaption>
            </figure>
            <p>{ t(lang, Text::ChangeLater) }</p>
            <a class="button" href="/me">{ t(lang, Text::MyConsentsLink) }</a>
        </section>
    }
}

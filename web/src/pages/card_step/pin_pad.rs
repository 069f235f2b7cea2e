//! 暗証番号入力: a 4-digit pad with large keys. The digits never enter the DOM (no input element, no
//! value attribute): the pad only shows ● per digit typed, and the parent holds the digits in a
//! wiped-on-drop buffer until they go to the card.

use yew::prelude::*;

use crate::i18n::{Lang, Text, t};

/// The card's 利用者証明用 PIN has four digits.
pub const PIN_LEN: usize = 4;

/// Properties of the pad.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// How many digits are typed (0–4).
    pub typed: usize,
    /// A digit key.
    pub on_digit: Callback<u8>,
    /// 訂正 (delete the last digit).
    pub on_delete: Callback<()>,
    /// 決定 (only with all four digits).
    pub on_submit: Callback<()>,
    /// While the card is being read.
    #[prop_or_default]
    pub disabled: bool,
}

/// The pad.
#[function_component]
pub fn PinPad(props: &Props) -> Html {
    let lang = props.lang;
    let typed = props.typed.min(PIN_LEN);
    let full = typed == PIN_LEN;
    let onkeydown = {
        let (digit, delete, submit) = (
            props.on_digit.clone(),
            props.on_delete.clone(),
            props.on_submit.clone(),
        );
        let disabled = props.disabled;
        Callback::from(move |e: KeyboardEvent| {
            if disabled {
                return;
            }
            let key = e.key();
            match key.as_str() {
                "Backspace" | "Delete" => delete.emit(()),
                "Enter" if full => submit.emit(()),
                k if k.len() == 1 && k.as_bytes()[0].is_ascii_digit() => {
                    digit.emit(k.as_bytes()[0] - b'0')
                }
                _ => return,
            }
            e.prevent_default();
        })
    };
    let dots = (0..PIN_LEN).map(|i| {
        let class = if i < typed { "dot filled" } else { "dot" };
        html! { <span class={class} aria-hidden="true">{ if i < typed { "●" } else { "○" } }</span> }
    });
    let key = |d: u8| {
        let on_digit = props.on_digit.clone();
        html! {
            <button type="button" class="key" disabled={props.disabled || full}
                onclick={Callback::from(move |_| on_digit.emit(d))}>{ d }</button>
        }
    };
    let on_delete = props.on_delete.reform(|_: MouseEvent| ());
    let on_submit = props.on_submit.reform(|_: MouseEvent| ());
    html! {
        <div class="pin-pad" role="group" aria-label={t(lang, Text::PinPadLabel)} tabindex="0" {onkeydown}>
            <div class="dots" role="status" aria-live="polite"
                aria-label={crate::i18n::digits_typed(lang, typed)}>
                { for dots }
            </div>
            <div class="keys">
                { for [1, 2, 3, 4, 5, 6, 7, 8, 9].into_iter().map(key) }
                <button type="button" class="key aux" disabled={props.disabled || typed == 0}
                    onclick={on_delete}>{ t(lang, Text::PinDelete) }</button>
                { key(0) }
                <button type="button" class="key submit" disabled={props.disabled || !full}
                    onclick={on_submit}>{ t(lang, Text::PinSubmit) }</button>
            </div>
        </div>
    }
}

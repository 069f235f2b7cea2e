//! 本人確認 with the card (暗証番号): the step shared by the consent flow, the patient's sign-in and the
//! qualification-limited check. The page finds the reader through the bridge, reads the PIN counter
//! before anything is typed, takes the 4-digit PIN on the pad, and has the card sign the service's
//! challenge; the signature and certificate (never the PIN) go to the page's `submit`.
//!
//! Without a bridge (a phone), the consent flow hands off to the native app by a link (`handoff`).
//!
//! 目視確認 (`visual`): on a registered device of the institution only, staff may confirm the patient
//! by the card's face photo instead of the PIN (a forgotten or locked PIN, a card without one). The
//! card's certificate is read without a PIN and goes to the page's `visual`; the service accepts it
//! only signed by that device.

use std::cell::RefCell;
use std::rc::Rc;

use onshi_core::card::CardError;
use onshi_core::card::host::to_hex;
use onshi_core::card::jpki::{
    Authenticate, CertificateRead, LastTry, PinState, Probe, ReadCertificate, TokenKind,
};
use onshi_core::card::pin::Pin;
use onshi_core::i18n::Message;
use serde::Serialize;
use yew::prelude::*;
use zeroize::Zeroizing;

mod pin_pad;

use std::future::Future;
use std::pin::Pin as Pinned;

use pin_pad::{PIN_LEN, PinPad};

use crate::card::{self, Connection, Readers};
use crate::i18n::{Lang, Text, t};

/// What the card produced: the signature over the challenge and the certificate, as upper-case hex.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignedCard {
    pub certificate: String,
    pub signature: String,
    pub holder: onshi_core::flows::CertificateHolder,
}

/// What 目視確認 sends: the card's certificate, read without a PIN (upper-case hex).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisualCard {
    pub certificate: String,
    pub holder: onshi_core::flows::CertificateHolder,
}

/// Sends the card's answer to the service; an error is shown and the person may try again.
pub type SubmitFuture = Pinned<Box<dyn Future<Output = Result<(), Message>>>>;

/// The page's way of sending what the card gave (compared by identity, as yew's properties must be).
pub struct Sender<T>(pub Rc<dyn Fn(T) -> SubmitFuture>);

/// Sends a [`SignedCard`] (the PIN path).
pub type Submit = Sender<SignedCard>;

/// Sends a [`VisualCard`] (目視確認, on a registered device).
pub type Visual = Sender<VisualCard>;

impl<T: 'static> Sender<T> {
    /// Wraps an async function.
    pub fn new<F, Fut>(f: F) -> Self
    where
        F: Fn(T) -> Fut + 'static,
        Fut: Future<Output = Result<(), Message>> + 'static,
    {
        Self(Rc::new(move |card| Box::pin(f(card))))
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T> PartialEq for Sender<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Properties of the card step.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The challenge (hex) the card signs.
    pub challenge: String,
    /// Sends the card's answer.
    pub submit: Submit,
    /// The app link for a phone without a reader; `None` where the app cannot take over.
    #[prop_or_default]
    pub handoff: Option<String>,
    /// 目視確認, offered only where the page is a registered device of the institution.
    #[prop_or_default]
    pub visual: Option<Visual>,
}

/// Where the card step stands.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    /// Asking the bridge for readers.
    Detecting,
    /// No bridge answers here (a phone): hand off to the app.
    NoBridge,
    /// The bridge answers, but no reader (`false`) or no card (`true`: a reader without a card).
    NoCard { reader: bool },
    /// A card is on `reader`, one of the `readers` holding a card; the PIN counter is known.
    Ready {
        reader: String,
        readers: Vec<String>,
        token: TokenKind,
        pin: PinState,
    },
    /// The card is working (PIN sent, signing, certificate).
    Reading,
    /// Something other than the PIN went wrong.
    Failed(Message),
}

/// The card step.
#[function_component]
pub fn CardStep(props: &Props) -> Html {
    let lang = props.lang;
    let stage = use_state(|| Stage::Detecting);
    let notice = use_state(|| None::<Message>);
    let last_try_confirmed = use_state(|| false);
    // The typed digits live here only, wiped on drop and right after they become a `Pin`.
    let digits = use_mut_ref(|| Zeroizing::new(String::new()));
    let typed = use_state(|| 0usize);

    // The reader staff chose, when more than one holds a card.
    let chosen = use_mut_ref(|| None::<String>);
    let detect = {
        let (stage, chosen) = (stage.clone(), chosen.clone());
        Callback::from(move |()| {
            let (stage, chosen) = (stage.clone(), chosen.borrow().clone());
            stage.set(Stage::Detecting);
            wasm_bindgen_futures::spawn_local(async move {
                stage.set(detect_card(chosen.as_deref()).await);
            });
        })
    };
    {
        let detect = detect.clone();
        use_effect_with((), move |()| detect.emit(()));
    }
    let on_reader = {
        let (detect, chosen) = (detect.clone(), chosen.clone());
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            *chosen.borrow_mut() = Some(select.value());
            detect.emit(());
        })
    };
    // A choice of reader, when more than one holds a card (a clinic PC with two readers; the demo's
    // four cards).
    let reader_choice = |reader: &str, readers: &[String]| {
        if readers.len() < 2 {
            return html! {};
        }
        html! {
            <div class="field">
                <label for="reader">{ t(lang, Text::ReaderChoice) }</label>
                <select id="reader" onchange={on_reader.clone()}>
                    { for readers.iter().map(|r| html! {
                        <option value={r.clone()} selected={r == reader}>{ r.clone() }</option>
                    }) }
                </select>
            </div>
        }
    };

    let on_digit = {
        let (digits, typed) = (digits.clone(), typed.clone());
        Callback::from(move |d: u8| {
            let mut buffer = digits.borrow_mut();
            if buffer.len() < PIN_LEN {
                buffer.push(char::from(b'0' + d));
                typed.set(buffer.len());
            }
        })
    };
    let on_delete = {
        let (digits, typed) = (digits.clone(), typed.clone());
        Callback::from(move |()| {
            let mut buffer = digits.borrow_mut();
            buffer.pop();
            typed.set(buffer.len());
        })
    };
    let on_submit = {
        let (stage, notice, typed) = (stage.clone(), notice.clone(), typed.clone());
        let digits: Rc<RefCell<Zeroizing<String>>> = digits.clone();
        let challenge = props.challenge.clone();
        let submit = props.submit.clone();
        let confirmed = *last_try_confirmed;
        Callback::from(move |()| {
            let Stage::Ready {
                reader,
                readers,
                token,
                pin,
            } = (*stage).clone()
            else {
                return;
            };
            let last_try = match pin {
                PinState::TriesLeft(1) if !confirmed => return,
                PinState::TriesLeft(1) => LastTry::Allow,
                _ => LastTry::Refuse,
            };
            // The digits become a `Pin` (wiped on drop) and the buffer is emptied at once.
            let made = Pin::new(digits.borrow().as_str());
            *digits.borrow_mut() = Zeroizing::new(String::new());
            typed.set(0);
            let pin_value = match made {
                Ok(p) => p,
                Err(e) => {
                    notice.set(Some(e.message()));
                    return;
                }
            };
            stage.set(Stage::Reading);
            notice.set(None);
            let (stage, notice, submit) = (stage.clone(), notice.clone(), submit.clone());
            let challenge = onshi_core::card::host::from_hex(&challenge).unwrap_or_default();
            wasm_bindgen_futures::spawn_local(async move {
                let signed = match Connection::open(&reader).await {
                    Ok(connection) => {
                        let outcome = connection
                            .run(Authenticate::new(
                                pin_value,
                                &challenge,
                                last_try,
                                CertificateRead::Read,
                            ))
                            .await;
                        connection.close().await;
                        outcome
                    }
                    Err(e) => Err(e),
                };
                match signed {
                    Ok(auth) => {
                        let signed = SignedCard {
                            certificate: auth
                                .certificate
                                .as_deref()
                                .map(to_hex)
                                .unwrap_or_default(),
                            signature: to_hex(&auth.signature),
                            holder: token.holder(),
                        };
                        if let Err(message) = (submit.0)(signed).await {
                            stage.set(Stage::Failed(message));
                        }
                    }
                    Err(e @ CardError::WrongPin { tries_left }) => {
                        notice.set(Some(e.message()));
                        let pin = if tries_left == 0 {
                            PinState::Locked
                        } else {
                            PinState::TriesLeft(tries_left)
                        };
                        stage.set(Stage::Ready {
                            reader,
                            readers,
                            token,
                            pin,
                        });
                    }
                    Err(CardError::PinLocked) => stage.set(Stage::Ready {
                        reader,
                        readers,
                        token,
                        pin: PinState::Locked,
                    }),
                    Err(e) => stage.set(Stage::Failed(e.message())),
                }
            });
        })
    };

    let visual_confirmed = use_state(|| false);
    let on_visual = {
        let (stage, notice, visual) = (stage.clone(), notice.clone(), props.visual.clone());
        Callback::from(move |_: MouseEvent| {
            let Stage::Ready { reader, token, .. } = (*stage).clone() else {
                return;
            };
            let Some(visual) = visual.clone() else { return };
            stage.set(Stage::Reading);
            notice.set(None);
            let stage = stage.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let read = match Connection::open(&reader).await {
                    Ok(connection) => {
                        let outcome = connection.run(ReadCertificate::new()).await;
                        connection.close().await;
                        outcome
                    }
                    Err(e) => Err(e),
                };
                let sent = match read {
                    Ok(certificate) => {
                        (visual.0)(VisualCard {
                            certificate: to_hex(&certificate),
                            holder: token.holder(),
                        })
                        .await
                    }
                    Err(e) => Err(e.message()),
                };
                if let Err(message) = sent {
                    stage.set(Stage::Failed(message));
                }
            });
        })
    };
    // 目視確認 goes by the plastic card's photo; a smartphone's certificate needs its PIN anyway.
    let visual_section = |token: TokenKind| {
        if props.visual.is_none() || token != TokenKind::Card {
            return html! {};
        }
        let on_check = {
            let confirmed = visual_confirmed.clone();
            Callback::from(move |e: Event| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                confirmed.set(input.checked());
            })
        };
        html! {
            <section class="visual" aria-labelledby="visual">
                <h2 id="visual">{ t(lang, Text::VisualTitle) }</h2>
                <p>{ t(lang, Text::VisualIntro) }</p>
                <label class="check">
                    <input type="checkbox" checked={*visual_confirmed} onchange={on_check} />
                    { t(lang, Text::VisualConfirm) }
                </label>
                <button type="button" class="button" disabled={!*visual_confirmed} onclick={on_visual.clone()}>
                    { t(lang, Text::VisualGo) }
                </button>
            </section>
        }
    };

    let retry = detect.reform(|_: MouseEvent| ());
    let hold_card = html! {
        <ul class="guidance">
            <li>{ t(lang, Text::HoldCardFlat) }</li>
            <li>{ t(lang, Text::HoldCardStill) }</li>
            <li>{ t(lang, Text::HoldPhone) }</li>
        </ul>
    };
    let body = match &*stage {
        Stage::Detecting => html! {
            <p class="working" role="status">{ t(lang, Text::LookingForReader) }</p>
        },
        Stage::NoBridge => match &props.handoff {
            Some(link) => html! {
                <section aria-labelledby="handoff">
                    <h2 id="handoff">{ t(lang, Text::HandoffTitle) }</h2>
                    <p>{ t(lang, Text::HandoffIntro) }</p>
                    <a class="button primary" href={link.clone()}>{ t(lang, Text::HandoffOpen) }</a>
                    <p class="note">{ t(lang, Text::HandoffNoApp) }</p>
                    <button type="button" class="button" onclick={retry}>{ t(lang, Text::ReaderRetry) }</button>
                </section>
            },
            None => html! {
                <section class="alert" role="alert">
                    <h2>{ t(lang, Text::NoBridgeTitle) }</h2>
                    <p>{ t(lang, Text::NoBridgeWhat) }</p>
                    <button type="button" class="button" onclick={retry}>{ t(lang, Text::ReaderRetry) }</button>
                </section>
            },
        },
        Stage::NoCard { reader } => html! {
            <section aria-labelledby="place">
                <h2 id="place">{ t(lang, if *reader { Text::PlaceCard } else { Text::NoReader }) }</h2>
                { hold_card }
                <button type="button" class="button primary" onclick={retry}>{ t(lang, Text::ReaderRetry) }</button>
            </section>
        },
        Stage::Ready {
            pin: PinState::Locked,
            token,
            reader,
            readers,
        } => html! {
            <>
                { reader_choice(reader, readers) }
                <section class="alert" role="alert">
                    <h2>{ t(lang, Text::PinLockedTitle) }</h2>
                    <p>{ CardError::PinLocked.message().text(lang).to_owned() }</p>
                    <p>{ t(lang, Text::PinLockedWhatToDo) }</p>
                </section>
                { visual_section(*token) }
            </>
        },
        Stage::Ready {
            pin,
            token,
            reader,
            readers,
        } => {
            let tries = match pin {
                PinState::TriesLeft(n) => Some(*n),
                _ => None,
            };
            let last = tries == Some(1);
            let on_confirm = {
                let confirmed = last_try_confirmed.clone();
                Callback::from(move |e: Event| {
                    let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                    confirmed.set(input.checked());
                })
            };
            html! {
                <>
                { reader_choice(reader, readers) }
                <section aria-labelledby="pin">
                    <h2 id="pin">{ t(lang, Text::PinTitle) }</h2>
                    <p>{ t(lang, if *token == TokenKind::Card { Text::PinIntroCard } else { Text::PinIntroPhone }) }</p>
                    if let Some(n) = tries {
                        <p class={if last { "tries last" } else { "tries" }}>{ crate::i18n::tries_left(lang, n) }</p>
                    }
                    if last {
                        <div class="alert" role="alert">
                            <p>{ CardError::LastTryNotConfirmed.message().text(lang).to_owned() }</p>
                            <label class="check">
                                <input type="checkbox" checked={*last_try_confirmed} onchange={on_confirm} />
                                { t(lang, Text::LastTryConfirm) }
                            </label>
                        </div>
                    }
                    <p class="note">{ t(lang, Text::PinMasked) }</p>
                    <PinPad {lang} typed={*typed} on_digit={on_digit.clone()} on_delete={on_delete.clone()}
                        on_submit={on_submit.clone()} disabled={last && !*last_try_confirmed} />
                </section>
                { visual_section(*token) }
                </>
            }
        }
        Stage::Reading => html! {
            <section aria-labelledby="reading">
                <h2 id="reading" class="working" role="status">{ t(lang, Text::ReadingCard) }</h2>
                { hold_card }
            </section>
        },
        Stage::Failed(message) => html! {
            <section class="alert" role="alert">
                <p>{ message.text(lang).to_owned() }</p>
                <button type="button" class="button primary" onclick={retry}>{ t(lang, Text::TryAgain) }</button>
            </section>
        },
    };
    html! {
        <>
            if let Some(n) = &*notice {
                <p class="alert" role="alert">{ n.text(lang).to_owned() }</p>
            }
            { body }
        </>
    }
}

/// Finds the readers with a card and reads the PIN counter of the card in `chosen` (when it still
/// holds one) or else the first (no PIN is spent).
async fn detect_card(chosen: Option<&str>) -> Stage {
    let readers = match card::readers().await {
        Ok(Readers::NoBridge) => return Stage::NoBridge,
        Ok(Readers::Found(readers)) => readers,
        Err(e) => return Stage::Failed(e.message),
    };
    let holding = card::with_card(&readers);
    let Some(reader) = chosen
        .and_then(|c| holding.iter().find(|r| *r == c))
        .or_else(|| holding.first())
        .cloned()
    else {
        return Stage::NoCard {
            reader: !readers.is_empty(),
        };
    };
    let connection = match Connection::open(&reader).await {
        Ok(c) => c,
        Err(e) => return Stage::Failed(e.message()),
    };
    let status = connection.run(Probe::new()).await;
    connection.close().await;
    match status {
        Ok(status) => Stage::Ready {
            reader,
            readers: holding,
            token: status.token,
            pin: status.pin,
        },
        Err(e) => Stage::Failed(e.message()),
    }
}

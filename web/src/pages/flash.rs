//! お知らせ (a screen's one-line notice): what just happened, told apart from what went wrong — a
//! calm status for the one, an alert for the other, so screen readers announce each as it is.

use yew::prelude::*;

use crate::i18n::{Lang, Message};

/// A notice shown above a screen's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Flash {
    /// Done, or waiting as planned (sent, queued, offline with kept data).
    Info(Message),
    /// Something failed and needs the person's attention.
    Error(Message),
}

impl Flash {
    /// The notice as a paragraph in `lang`.
    pub fn view(&self, lang: Lang) -> Html {
        match self {
            Self::Info(m) => {
                html! { <p class="notice" role="status">{ m.text(lang).to_owned() }</p> }
            }
            Self::Error(m) => {
                html! { <p class="alert" role="alert">{ m.text(lang).to_owned() }</p> }
            }
        }
    }
}

//! onshi-web: the browser app. Every rule it shows comes from onshi-core, compiled to Wasm with it,
//! so the browser decides exactly as the service does.
#![forbid(unsafe_code)]

mod api;
// The registered device lives in the library, where its wasm-bindgen tests run.
use onshi_web::device;

mod app;
mod card;
mod clock;
mod i18n;
mod pages;
mod prefs;

fn main() {
    yew::Renderer::<app::App>::new().render();
}

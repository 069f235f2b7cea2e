//! The patient's bundle: the consent flow at the institution URL and the patient's own view only.
#![forbid(unsafe_code)]

fn main() {
    yew::Renderer::<onshi_web::app::PatientApp>::new().render();
}

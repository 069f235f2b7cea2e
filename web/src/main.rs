//! The full bundle: every screen (staff console, limited check, tools and the patient's screens).
#![forbid(unsafe_code)]

fn main() {
    yew::Renderer::<onshi_web::app::App>::new().render();
}

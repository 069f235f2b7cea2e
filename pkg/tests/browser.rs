//! The identifier vectors through the Wasm build, in headless Chromium.
#![cfg(target_arch = "wasm32")]

mod common;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn identifier_vectors_in_chromium() {
    common::replay();
}

#[wasm_bindgen_test]
fn rule_vectors_in_chromium() {
    common::replay_rules();
}

#[wasm_bindgen_test]
fn card_scripts_in_chromium() {
    common::replay_card();
}

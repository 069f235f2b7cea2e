//! The identifier vectors through the Wasm build, in Node.
#![cfg(target_arch = "wasm32")]

mod common;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn identifier_vectors_in_node() {
    common::replay();
}

#[wasm_bindgen_test]
fn rule_vectors_in_node() {
    common::replay_rules();
}

#[wasm_bindgen_test]
fn card_scripts_in_node() {
    common::replay_card();
}

//! Every rule of onshi-core through its one JSON entry point (see `onshi_core::api`).

use wasm_bindgen::prelude::*;

/// The rule names `callRule` accepts.
#[wasm_bindgen(js_name = ruleNames)]
pub fn rule_names() -> Vec<String> {
    onshi_core::api::RULES
        .iter()
        .map(|r| (*r).to_owned())
        .collect()
}

/// Calls `rule` with a JSON request; answers JSON: `{"ok": …}` or
/// `{"error": {"code", "ja", "en"}}`. Never throws.
#[wasm_bindgen(js_name = callRule)]
pub fn call_rule(rule: &str, request: &str) -> String {
    onshi_core::api::call(rule, request)
}

//! Every rule of onshi-core through its one JSON entry point (see `onshi_core::api`).

/// The rule names [`call_rule`] accepts.
#[uniffi::export]
pub fn rule_names() -> Vec<String> {
    onshi_core::api::RULES
        .iter()
        .map(|r| (*r).to_owned())
        .collect()
}

/// Calls `rule` with a JSON request; answers JSON: `{"ok": …}` or
/// `{"error": {"code", "ja", "en"}}`. Never throws.
#[uniffi::export]
pub fn call_rule(rule: String, request: String) -> String {
    onshi_core::api::call(&rule, &request)
}

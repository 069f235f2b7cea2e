//! The Wasm replay of the identifier vectors, shared by the Node and the browser test files.

use onshi_tests::IdAnswer;

/// The answer of the exported `checkIdentifier`, in the vectors' terms.
pub fn wasm_answer(kind: &str, input: &str) -> IdAnswer {
    let c = match onshi_wasm::check_identifier(kind, input) {
        Ok(c) => c,
        Err(_) => panic!("checkIdentifier refused the kind {kind}"),
    };
    IdAnswer {
        valid: c.valid,
        canonical: c.canonical,
        warnings: c.valid.then_some(c.warnings_ja.len()),
        error: c.error_kind,
        expected_digit: c.expected_digit,
    }
}

/// Replays every identifier vector and fails with the list of mismatches.
pub fn replay() {
    let mismatches = onshi_tests::replay_ids(wasm_answer);
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// Replays every rule vector through the exported `callRule`.
pub fn replay_rules() {
    let mismatches = onshi_tests::replay_rules(onshi_wasm::call_rule);
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// Replays every card script through the exported `CardProcedure`, as a page drives it.
pub fn replay_card() {
    use onshi_tests::card::{ScriptTransport, replay_card};
    let mismatches = replay_card(|case, transport: &mut ScriptTransport| {
        let mut p = onshi_wasm::CardProcedure::start(&case.procedure, &case.input.to_string());
        let mut step = p.next(None);
        while let Some(command) = step.send.take() {
            step = p.next(Some(transport.answer(&command)));
        }
        let outcome = step.outcome.unwrap_or_default();
        serde_json::from_str(&outcome).unwrap_or_else(|e| panic!("outcome is not JSON: {e}"))
    });
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

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

//! The conformance vectors (`tests/vectors/*.json`) as Rust values, shared by every Rust-side replay:
//! the native tests here and the Wasm tests in `pkg/`. Kotlin, Python and JS read the same files.

pub mod card;

use onshi_core::ids::{IdentifierKind, report};
use serde::{Deserialize, Serialize};

/// The identifier vectors, embedded so that Wasm tests need no file system.
pub const IDS_JSON: &str = include_str!("../vectors/ids.json");

/// The file of identifier vectors.
#[derive(Debug, Deserialize)]
pub struct IdVectors {
    /// The cases, in file order.
    pub cases: Vec<IdCase>,
}

/// One identifier case: validate `input` as `kind` and expect `expect`.
#[derive(Debug, Deserialize)]
pub struct IdCase {
    /// The identifier kind's stable code, e.g. `insurer_number`.
    pub kind: String,
    /// What a person typed or a file held.
    pub input: String,
    /// Why the case exists.
    #[serde(default)]
    pub note: String,
    /// The answer every layer must give.
    pub expect: IdAnswer,
}

/// The comparable part of an identifier check's answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct IdAnswer {
    /// Whether the input is a valid identifier.
    pub valid: bool,
    /// The canonical form, for valid input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    /// How many warnings a valid input carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings: Option<usize>,
    /// The error kind's code, for invalid input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The expected check digit, for a check-digit error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_digit: Option<u8>,
}

/// Loads the identifier vectors.
pub fn id_vectors() -> IdVectors {
    serde_json::from_str(IDS_JSON)
        .unwrap_or_else(|e| panic!("tests/vectors/ids.json is malformed: {e}"))
}

/// The answer onshi-core gives, in the vectors' terms.
pub fn core_answer(kind: &str, input: &str) -> IdAnswer {
    let Some(kind) = IdentifierKind::from_code(kind) else {
        panic!("unknown identifier kind in vectors: {kind}");
    };
    let r = report(kind, input);
    IdAnswer {
        valid: r.is_valid(),
        warnings: r.is_valid().then_some(r.warnings.len()),
        canonical: r.canonical,
        error: r.error_kind.map(str::to_owned),
        expected_digit: r.expected_digit,
    }
}

/// Replays every identifier case through `answer`, returning a description of each mismatch.
pub fn replay_ids(answer: impl Fn(&str, &str) -> IdAnswer) -> Vec<String> {
    id_vectors()
        .cases
        .iter()
        .enumerate()
        .filter_map(|(i, case)| {
            let got = answer(&case.kind, &case.input);
            (got != case.expect).then(|| {
                format!(
                    "case {i} ({} {:?}, {}): expected {:?}, got {got:?}",
                    case.kind, case.input, case.note, case.expect
                )
            })
        })
        .collect()
}

/// The rule vectors, embedded for the same reason as [`IDS_JSON`].
pub const RULES_JSON: &str = include_str!("../vectors/rules.json");

/// One rule case: call `rule` with `request` and expect `expect` (`{"ok": …}` compared whole, or
/// `{"error": code}` compared by code).
#[derive(Debug, Deserialize)]
pub struct RuleCase {
    /// The rule's name, e.g. `consent.state`.
    pub rule: String,
    /// The request.
    pub request: serde_json::Value,
    /// The expected answer.
    pub expect: serde_json::Value,
    /// Why the case exists.
    #[serde(default)]
    pub note: String,
}

/// Loads the rule vectors.
pub fn rule_vectors() -> Vec<RuleCase> {
    #[derive(Deserialize)]
    struct File {
        cases: Vec<RuleCase>,
    }
    serde_json::from_str::<File>(RULES_JSON)
        .unwrap_or_else(|e| panic!("tests/vectors/rules.json is malformed: {e}"))
        .cases
}

/// Whether an answer (the JSON text `call` returned) meets a case's expectation.
pub fn rule_answer_matches(expect: &serde_json::Value, answer: &str) -> bool {
    let Ok(answer) = serde_json::from_str::<serde_json::Value>(answer) else {
        return false;
    };
    match (expect.get("ok"), expect.get("error")) {
        (Some(ok), _) => answer.get("ok") == Some(ok),
        (None, Some(code)) => answer.get("error").and_then(|e| e.get("code")) == Some(code),
        (None, None) => false,
    }
}

/// Replays every rule case through `call` (rule name, request JSON → answer JSON), returning a
/// description of each mismatch.
pub fn replay_rules(call: impl Fn(&str, &str) -> String) -> Vec<String> {
    rule_vectors()
        .iter()
        .enumerate()
        .filter_map(|(i, case)| {
            let answer = call(&case.rule, &case.request.to_string());
            (!rule_answer_matches(&case.expect, &answer)).then(|| {
                format!(
                    "case {i} ({} {}, {}): expected {}, got {answer}",
                    case.rule, case.request, case.note, case.expect
                )
            })
        })
        .collect()
}

//! The `card_response` fuzz target's body, shared with `core/tests/card_fuzz_replay.rs` so that saved
//! inputs replay exactly as the fuzzer ran them. The first byte picks the procedure, the rest is cut
//! into card responses, each prefixed by its length byte.

use onshi_core::card::host::{HostProcedure, HostStep};

const PROCEDURES: [(&str, &str); 5] = [
    ("probe", ""),
    ("read_certificate", ""),
    (
        "authenticate",
        r#"{"pin":"1234","challenge":"00","last_try":"allow"}"#,
    ),
    (
        "authenticate",
        r#"{"pin":"1234","challenge":"00","certificate":"known"}"#,
    ),
    ("read_basic_info", r#"{"pin":"1234"}"#),
];

/// Runs one input: the outcome JSON, or `None` when the responses ran out first.
pub fn run(data: &[u8]) -> Option<String> {
    let (&pick, mut rest) = data.split_first()?;
    let (name, input) = PROCEDURES[usize::from(pick) % PROCEDURES.len()];
    let mut procedure = HostProcedure::new(name, input).ok()?;
    let mut step = procedure.next(None);
    loop {
        match step {
            HostStep::Done(outcome) => return Some(outcome),
            HostStep::Send(_) => {
                let (&len, tail) = rest.split_first()?;
                let (response, tail) = tail.split_at(usize::from(len).min(tail.len()));
                rest = tail;
                step = procedure.next(Some(response));
            }
        }
    }
}

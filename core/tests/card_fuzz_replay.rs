//! Every input in tests/vectors/card/fuzz/ (fuzzer crashers and hand-made hostile answers) ends its
//! card procedure without panic, as the `card_response` fuzz target requires.

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

/// The fuzz target's body: returns the outcome, or `None` when the responses ran out first.
fn replay(data: &[u8]) -> Option<String> {
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

#[test]
fn every_saved_input_ends_without_panic() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/card/fuzz");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Some(outcome) = replay(&data) {
            assert!(
                outcome.contains("\"error\"") || outcome.contains("\"ok\""),
                "{}",
                path.display()
            );
        }
        seen += 1;
    }
    assert!(seen >= 6, "expected the saved inputs, found {seen}");
}

#[test]
fn hostile_headers_are_refused() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/card/fuzz");
    for name in [
        "read-cert-length-beyond-15-bit.bin",
        "read-cert-endless-empty-ok.bin",
    ] {
        let data = std::fs::read(format!("{dir}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"));
        let outcome = replay(&data).unwrap_or_else(|| panic!("{name}: still asking for more"));
        assert!(
            outcome.contains("CARD_MALFORMED_RESPONSE"),
            "{name}: {outcome}"
        );
    }
}

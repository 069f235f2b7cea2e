//! The JPKI client over arbitrary card responses: the first byte picks the procedure, the rest is cut
//! into responses (each prefixed by its length byte). No input may panic or loop.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onshi_core::card::host::{HostProcedure, HostStep};

const PROCEDURES: [(&str, &str); 5] = [
    ("probe", ""),
    ("read_certificate", ""),
    ("authenticate", r#"{"pin":"1234","challenge":"00","last_try":"allow"}"#),
    ("authenticate", r#"{"pin":"1234","challenge":"00","certificate":"known"}"#),
    ("read_basic_info", r#"{"pin":"1234"}"#),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, mut rest)) = data.split_first() else { return };
    let (name, input) = PROCEDURES[usize::from(pick) % PROCEDURES.len()];
    let Ok(mut procedure) = HostProcedure::new(name, input) else { return };
    let mut step = procedure.next(None);
    while let HostStep::Send(_) = step {
        let Some((&len, tail)) = rest.split_first() else { return };
        let (response, tail) = tail.split_at(usize::from(len).min(tail.len()));
        rest = tail;
        step = procedure.next(Some(response));
    }
});

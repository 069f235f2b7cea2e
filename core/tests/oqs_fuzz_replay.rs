//! Replays every input under `tests/vectors/oqs/fuzz/` through the same steps as the cargo-fuzz
//! target `core/fuzz/fuzz_targets/oqs_read.rs`, so inputs that once crashed stay fixed. The
//! hand-made `hostile-*` inputs must also be refused with an error.

use std::path::Path;

use onshi_core::oqs::{BulkRegistrationReader, BulkResultReader, read_message};

/// The fuzz target's file names, in its order (the first byte of an input indexes them).
const NAMES: &[&str] = &[
    "OQSsiquc01req_1.xml",
    "OQSsiquc01res_1.xml",
    "OQSsiimm01req_1.xml",
    "OQSsiimm01res_1.xml",
    "OQSmuquc01req_1.xml",
    "OQSmuimm01req_1.xml",
    "OQSmutic01req_1.xml",
    "OQSmuhvq01req_1.xml",
    "OQSmuonq01req_1.xml",
    "OQSmuquc01res_1.xml",
    "OQSmuimm02req_1.xml",
    "OQSmuquc02res_1.xml",
    "OQSmutic02res_1.xml",
    "OQSmuimm02res_1.xml",
    "YZKsiquc01req_1.xml",
    "YZKsiquc01res_1.xml",
    "TKKsiquc01req_1.xml",
    "TKKsiquc01res_1.xml",
    "OQSsiquc01res_face_13612345684da5260a16de5a3d3ad7_20260929160112.xml",
    "OQSmuquc02res_1.zip",
    "EPSsipre01req_1.xml",
];

/// The fuzz target's body; answers whether `read_message` accepted the input.
fn run(data: &[u8]) -> Option<bool> {
    let (&pick, bytes) = data.split_first()?;
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let accepted = read_message(name, bytes).is_ok();
    if let Ok(reader) = BulkResultReader::new(bytes) {
        for _ in reader {}
    }
    if let Ok(reader) = BulkRegistrationReader::new(bytes) {
        for _ in reader {}
    }
    Some(accepted)
}

#[test]
fn every_saved_fuzz_input_is_answered_without_a_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/oqs/fuzz");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.ends_with(".md") {
            continue;
        }
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let accepted = run(&data);
        if name.starts_with("hostile-") {
            assert_ne!(accepted, Some(true), "{name} must be refused");
        }
        replayed += 1;
    }
    assert!(
        replayed >= 9,
        "only {replayed} inputs under {}",
        dir.display()
    );
}

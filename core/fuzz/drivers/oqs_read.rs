//! The `oqs_read` fuzz target's body, shared with `core/tests/oqs_fuzz_replay.rs` so that saved inputs
//! replay exactly as the fuzzer ran them. The first byte picks the file name, the rest is the file.

use onshi_core::oqs::{BulkRegistrationReader, BulkResultReader, read_message};

/// Every file name a reader is chosen by, plus names that must be refused before reading.
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

/// Runs one input through `read_message` and both streaming readers; answers whether `read_message`
/// accepted it (`None` for an empty input).
pub fn run(data: &[u8]) -> Option<bool> {
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

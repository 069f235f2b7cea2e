//! Any bytes under any OQS file name: `read_message` and the streaming bulk readers must answer
//! with a message or an error, never a panic or a hang. The first byte picks the file name; a crash
//! found here is saved under `tests/vectors/oqs/fuzz/` (same layout) and replayed by
//! `core/tests/oqs_fuzz_replay.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;
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

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let _ = read_message(name, bytes);
    if let Ok(reader) = BulkResultReader::new(bytes) {
        for _ in reader {}
    }
    if let Ok(reader) = BulkRegistrationReader::new(bytes) {
        for _ in reader {}
    }
});

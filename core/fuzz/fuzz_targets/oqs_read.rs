//! Any bytes under any OQS file name: `read_message` and the streaming bulk readers must answer
//! with a message or an error, never a panic or a hang. The first byte picks the file name; a crash
//! found here is saved under `tests/vectors/oqs/fuzz/` (same layout) and replayed by
//! `core/tests/oqs_fuzz_replay.rs` through the same driver.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../drivers/oqs_read.rs"]
mod driver;

fuzz_target!(|data: &[u8]| {
    let _ = driver::run(data);
});

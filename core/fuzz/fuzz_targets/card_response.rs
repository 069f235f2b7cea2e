//! The JPKI client over arbitrary card responses (see `drivers/card_response.rs`). No input may panic
//! or loop.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../drivers/card_response.rs"]
mod driver;

fuzz_target!(|data: &[u8]| {
    let _ = driver::run(data);
});

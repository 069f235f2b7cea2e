//! Replays every input under `tests/vectors/oqs/fuzz/` through the same steps as the cargo-fuzz
//! target `core/fuzz/fuzz_targets/oqs_read.rs`, so inputs that once crashed stay fixed. The
//! hand-made `hostile-*` inputs must also be refused with an error.

use std::path::Path;

#[path = "../fuzz/drivers/oqs_read.rs"]
mod driver;

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
        let accepted = driver::run(&data);
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

//! Every input in tests/vectors/card/fuzz/ (fuzzer crashers and hand-made hostile answers) ends its
//! card procedure without panic, through the `card_response` fuzz target's own driver.

#[path = "../fuzz/drivers/card_response.rs"]
mod driver;

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
        if let Some(outcome) = driver::run(&data) {
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
        let outcome = driver::run(&data).unwrap_or_else(|| panic!("{name}: still asking for more"));
        assert!(
            outcome.contains("CARD_MALFORMED_RESPONSE"),
            "{name}: {outcome}"
        );
    }
}

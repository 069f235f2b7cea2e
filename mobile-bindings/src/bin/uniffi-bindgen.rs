//! The uniffi binding generator, built from this workspace (`cargo xtask` calls it).

fn main() {
    uniffi::uniffi_bindgen_main()
}

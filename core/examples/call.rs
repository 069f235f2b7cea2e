//! Calls one rule: `cargo run -p onshi-core --example call -- <rule> <request.json>`.
fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(rule), Some(path)) = (args.next(), args.next()) else {
        eprintln!("usage: call <rule> <request.json>");
        std::process::exit(2);
    };
    match std::fs::read_to_string(&path) {
        Ok(request) => println!("{}", onshi_core::api::call(&rule, &request)),
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    }
}

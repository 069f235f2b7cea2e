//! `cargo xtask <verb>`: the one entry point for working on onshi.
//!
//! - `setup`: installs what the project needs (idempotent; part of `run` and `test`).
//! - `run`: builds the web app and the service, and serves the app on localhost.
//! - `test`: every check CI runs, ending with the plain line `N passed, N failed`.
//! - `npm`: builds the npm package into `target/npm/onshi`.
//! - `bench`: the criterion benchmarks and the service's load generator (numbers go to
//!   BENCHMARKS.md by hand, with the machine).

mod build;
mod postgres;
mod process;
mod service;
mod setup;
mod test;
mod wasm;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The workspace root (the parent of this crate's folder).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// An xtask failure: what went wrong, for a person to read.
pub type Result<T = ()> = std::result::Result<T, String>;

/// The benchmarks: core's criterion benches, the service's (device authentication, 一括照会, seed),
/// and the load generator against the service on loopback.
fn bench(extra: &[String]) -> Result {
    let cargo = |args: &[&str]| {
        let mut c = std::process::Command::new("cargo");
        c.current_dir(root()).args(args).args(extra);
        c
    };
    process::run(&mut cargo(&[
        "bench",
        "-p",
        "onshi-core",
        "--features",
        "virtual-card",
    ]))?;
    for bench in ["device", "bulk", "seed"] {
        process::run(&mut cargo(&[
            "bench",
            "-p",
            "onshi-server",
            "--bench",
            bench,
        ]))?;
    }
    process::run(&mut cargo(&[
        "bench",
        "-p",
        "onshi-server",
        "--bench",
        "load",
    ]))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verb = args.first().map(String::as_str).unwrap_or("help");
    let outcome = match verb {
        "setup" => setup::setup().map(|_| ()),
        "run" => build::run(&args[1..]),
        "test" => test::test(),
        "e2e" => test::e2e(&args[1..]),
        "npm" => setup::setup().and_then(|tools| build::npm_package(&tools).map(|_| ())),
        "bench" => bench(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <setup|run|test|e2e|npm|bench>\n\n  run [--addr 127.0.0.1:8080] [--pcsc]  serve the web app (reader bridge: demo cards, or PC/SC)\n  e2e [web/e2e/FILE.test.mjs …]          the browser tests alone (all of them by default)"
            );
            return if verb == "help" {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {verb}: {e}");
            ExitCode::FAILURE
        }
    }
}

//! `cargo xtask test`: every check CI runs. Each suite's own runner output is shown as it comes and
//! its counts are read from it; the run ends with one plain line `N passed, N failed`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::build::{npm_package, server, web_app};
use crate::process::{describe, run_teed};
use crate::setup::{Tools, setup};
use crate::wasm::TARGET;
use crate::{Result, root};

/// Tests counted across suites, and the suites that failed.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    failed_suites: Vec<String>,
    lines: Vec<String>,
}

impl Tally {
    /// Runs one suite; a failing command that reported no failing test counts as one failure.
    fn suite(&mut self, name: &str, cmd: &mut Command) {
        println!("\n=== {name}: {}", describe(cmd));
        let (ok, text) = match run_teed(cmd) {
            Ok(result) => result,
            Err(e) => (false, e),
        };
        let (passed, mut failed) = count(&text);
        if !ok && failed == 0 {
            failed = 1;
        }
        self.record(name, ok, passed, failed);
    }

    /// A step that is not a test suite (a build) but whose failure must fail the run.
    fn step(&mut self, name: &str, result: Result) -> bool {
        if let Err(e) = &result {
            println!("{name}: {e}");
            self.record(name, false, 0, 1);
        }
        result.is_ok()
    }

    fn record(&mut self, name: &str, ok: bool, passed: u64, failed: u64) {
        self.passed += passed;
        self.failed += failed;
        let verdict = if ok && failed == 0 { "ok" } else { "FAILED" };
        self.lines.push(format!(
            "  {name:<40} {passed:>5} passed {failed:>3} failed  {verdict}"
        ));
        if verdict == "FAILED" {
            self.failed_suites.push(name.to_owned());
        }
    }
}

/// Counts from the runners' closing lines: cargo test and wasm-bindgen-test (`test result:`),
/// node's test runner (`# pass`, `# fail`), Python's unittest (`Ran N tests`, `FAILED (…)`) and
/// the plain `name: N passed, N failed` of onshi's Kotlin harness.
fn count(text: &str) -> (u64, u64) {
    let (mut passed, mut failed) = (0, 0);
    let mut python_ran = None;
    let mut python_failed = 0;
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.split("test result:").nth(1) {
            passed += number_before(rest, " passed");
            failed += number_before(rest, " failed");
        } else if let Some(n) = line.strip_prefix("# pass ") {
            passed += n.trim().parse().unwrap_or(0);
        } else if let Some(n) = line.strip_prefix("# fail ") {
            failed += n.trim().parse().unwrap_or(0);
        } else if let Some(rest) = line.strip_prefix("Ran ") {
            python_ran = rest
                .split_whitespace()
                .next()
                .and_then(|n| n.parse::<u64>().ok());
        } else if let Some(rest) = line.strip_prefix("FAILED (") {
            python_failed = number_after(rest, "failures=") + number_after(rest, "errors=");
        } else if line.contains(" passed, ") && line.ends_with(" failed") {
            passed += number_before(line, " passed");
            failed += number_before(line, " failed");
        }
    }
    if let Some(ran) = python_ran {
        passed += ran.saturating_sub(python_failed);
        failed += python_failed;
    }
    (passed, failed)
}

/// The number written just before `word` in `text`.
fn number_before(text: &str, word: &str) -> u64 {
    text.find(word)
        .and_then(|i| text[..i].split(|c: char| !c.is_ascii_digit()).next_back())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The number written just after `word` in `text`.
fn number_after(text: &str, word: &str) -> u64 {
    text.find(word)
        .map(|i| &text[i + word.len()..])
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn cargo(args: &[&str]) -> Command {
    let mut c = Command::new("cargo");
    c.current_dir(root()).args(args);
    c
}

/// Runs every suite; fails when any did.
pub fn test() -> Result {
    let tools = setup()?;
    let mut tally = Tally::default();

    tally.suite("rustfmt", &mut cargo(&["fmt", "--all", "--", "--check"]));
    tally.suite(
        "clippy (native)",
        &mut cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    );
    if tools.wasm.has_clippy() {
        let mut clippy = tools.wasm.cargo(
            "clippy",
            &["-p", "onshi-wasm", "-p", "onshi-web", "--all-targets"],
        );
        clippy.args(["--", "-D", "warnings"]);
        tally.suite("clippy (wasm32)", &mut clippy);
    }
    // The service's tests run on SQLite always and on this PostgreSQL too.
    let postgres = step_value(
        &mut tally,
        "postgresql (test server)",
        crate::postgres::TestPostgres::start(),
    );
    let mut rust = cargo(&["test", "--workspace"]);
    if let Some(pg) = &postgres {
        rust.env("ONSHI_TEST_POSTGRES_URL", &pg.url);
    }
    tally.suite("rust tests (SQLite + PostgreSQL)", &mut rust);
    drop(postgres);
    wasm_tests(&tools, &mut tally);
    live_device_tests(&tools, &mut tally);
    let npm = npm_tests(&tools, &mut tally);
    binding_tests(&tools, &mut tally);
    pcsc_tests(&mut tally);
    browser_tests(&tools, npm.as_deref(), &mut tally);

    println!("\nsuites:");
    for line in &tally.lines {
        println!("{line}");
    }
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed_suites.is_empty() {
        Ok(())
    } else {
        Err(format!("failed: {}", tally.failed_suites.join(", ")))
    }
}

/// The card through a real pcscd: the PC/SC tests of `reader/tests/pcscd.rs`, the reader bridge's of
/// `server/tests/bridge_pcscd.rs` and OpenSC's conformance checks, by `reader/tests/pcsc-suite.sh`
/// inside a private network namespace (vpcd binds every interface; the namespace keeps its port off
/// the network). pcscd is started and stopped there.
fn pcsc_tests(tally: &mut Tally) {
    let built = test_executable("onshi-reader", "pcscd").and_then(|reader| {
        let bridge = test_executable("onshi-server", "bridge_pcscd")?;
        let mut bin = cargo(&["build", "-p", "onshi-reader", "--bin", "onshi-virtual-card"]);
        crate::process::run(&mut bin).map(|()| (reader, bridge))
    });
    let Some((reader_tests, bridge_tests)) = step_value(tally, "pc/sc build", built) else {
        return;
    };
    let script = root().join("reader/tests/pcsc-suite.sh");
    let card = root().join("target/debug/onshi-virtual-card");
    // As root, `unshare -n` gives the suite a loopback of its own; elsewhere it runs in the open.
    let mut cmd = if can_unshare_network() {
        let mut c = Command::new("unshare");
        c.args(["-n", "bash"]);
        c
    } else {
        println!("pc/sc: no network namespace available; vpcd's port is open while the suite runs");
        Command::new("bash")
    };
    cmd.current_dir(root())
        .arg(script)
        .arg(reader_tests)
        .arg(card)
        .arg(bridge_tests);
    tally.suite("pc/sc (pcscd + vpcd + OpenSC)", &mut cmd);
}

/// Builds the integration test `test` of `package` and returns its executable.
fn test_executable(package: &str, test: &str) -> Result<std::path::PathBuf> {
    let output = cargo(&["test", "-p", package, "--test", test, "--no-run"])
        .output()
        .map_err(|e| format!("cargo test --no-run: {e}"))?;
    let text = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        return Err(text);
    }
    // "Executable tests/pcscd.rs (target/debug/deps/pcscd-…)"
    let prefix = format!("Executable tests/{test}.rs (");
    text.lines()
        .find_map(|l| l.trim().strip_prefix(prefix.as_str()))
        .and_then(|rest| rest.strip_suffix(')'))
        .map(|path| root().join(path))
        .ok_or_else(|| format!("no test executable in:\n{text}"))
}

/// The vectors through Wasm, in Node and in headless Chromium, and the browser device (端末) in
/// Chromium (wasm-bindgen-test).
fn wasm_tests(tools: &Tools, tally: &mut Tally) {
    let mut cmd = wasm_test(tools, &["-p", "onshi-wasm", "-p", "onshi-web", "--tests"]);
    cmd.env(
        "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
        root().join("webdriver.json"),
    );
    tally.suite("wasm tests (node + chromium)", &mut cmd);
}

/// `cargo test` for Wasm through wasm-bindgen-test-runner (Node, or Chromium by chromedriver).
fn wasm_test(tools: &Tools, args: &[&str]) -> Command {
    let mut cmd = tools.wasm.cargo("test", args);
    let runner_var = format!(
        "CARGO_TARGET_{}_RUNNER",
        TARGET.to_uppercase().replace('-', "_")
    );
    cmd.env(runner_var, &tools.wasm_bindgen_test_runner)
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    cmd
}

/// The browser device (端末) of onshi-web against the service on its demo, in Chromium: the key file
/// the service wrote is imported, and requests are authenticated by the service itself. The test
/// page comes from wasm-bindgen-test's own server, another origin than the service's, so this run's
/// Chromium skips CORS (`--disable-web-security`); the protocol is untouched by that.
fn live_device_tests(tools: &Tools, tally: &mut Tally) {
    let started = server().and_then(|server| {
        crate::service::DemoService::start(&server, &root().join("target/live-device"))
    });
    let Some(service) = step_value(tally, "service on its demo", started) else {
        return;
    };
    let Some(key_file) = step_value(tally, "demo device key file", service.key_file("clinic-pc"))
    else {
        return;
    };
    let webdriver = service.dir.join("webdriver.json");
    let written = std::fs::write(
        &webdriver,
        r#"{"goog:chromeOptions": {"args": ["--headless=new", "--no-sandbox", "--disable-gpu",
  "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
  "--no-first-run", "--disable-sync", "--disable-quic", "--disable-web-security"]}}"#,
    )
    .map_err(|e| format!("{}: {e}", webdriver.display()));
    if !tally.step("webdriver.json (cross-origin)", written) {
        return;
    }
    let mut cmd = wasm_test(
        tools,
        &[
            "-p",
            "onshi-web",
            "--features",
            "live-service",
            "--test",
            "live_device",
        ],
    );
    cmd.env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &webdriver)
        .env("WASM_BINDGEN_TEST_ONLY_WEB", "1")
        .env("ONSHI_LIVE_SERVICE", &service.origin)
        .env("ONSHI_LIVE_KEY_FILE", &key_file);
    tally.suite("browser device against the service (chromium)", &mut cmd);
}

/// The npm package from JS, as an app uses it. Returns the package's folder once built.
fn npm_tests(tools: &Tools, tally: &mut Tally) -> Option<PathBuf> {
    let dir = step_value(tally, "npm package build", npm_package(tools))?;
    let mut node = Command::new("node");
    node.current_dir(root())
        .args(["--test", "pkg/npm/test/"])
        .env("ONSHI_NPM_DIR", &dir);
    tally.suite("npm package (node --test)", &mut node);
    Some(dir)
}

/// Kotlin on the JVM through JNA, and Python, through the uniffi bindings.
fn binding_tests(tools: &Tools, tally: &mut Tally) {
    let built = cargo(&["build", "-q", "-p", "onshi-mobile", "--features", "cli"]).status();
    if !tally.step(
        "uniffi library build",
        match built {
            Ok(s) if s.success() => Ok(()),
            other => Err(format!("cargo build -p onshi-mobile: {other:?}")),
        },
    ) {
        return;
    }
    let debug = root().join("target/debug");
    let library = debug.join("libonshi_mobile.so");
    let out = root().join("target/bindings");
    // Swift is generated to prove the bindings build for iOS; compiling it needs Apple's toolchain.
    for language in ["kotlin", "python", "swift"] {
        let mut generate = Command::new(debug.join("uniffi-bindgen"));
        generate
            .args([
                "generate",
                "--no-format",
                "--language",
                language,
                "--library",
            ])
            .arg(&library)
            .arg("--out-dir")
            .arg(out.join(language));
        if !tally.step(
            &format!("uniffi {language} bindings"),
            crate::process::run(&mut generate),
        ) {
            return;
        }
    }

    let jar = root().join("target/kotlin-tests.jar");
    let classpath = format!("{}:{}", tools.jna_jar.display(), tools.gson_jar.display());
    let mut kotlinc = Command::new(&tools.kotlinc);
    kotlinc
        .arg(out.join("kotlin/uniffi/onshi_mobile/onshi_mobile.kt"))
        .arg(root().join("mobile-bindings/tests/kotlin/VectorsTest.kt"))
        .arg(root().join("mobile-bindings/tests/kotlin/CardTest.kt"))
        .arg(root().join("mobile-bindings/tests/kotlin/VirtualCardTest.kt"))
        .args(["-nowarn", "-cp", &classpath, "-include-runtime", "-d"])
        .arg(&jar);
    if tally.step("kotlinc", crate::process::run(&mut kotlinc)) {
        let mut java = Command::new("java");
        java.arg(format!("-Djna.library.path={}", debug.display()))
            .arg("-cp")
            .arg(format!("{}:{classpath}", jar.display()))
            .arg("VectorsTestKt")
            .arg(root().join("tests/vectors"));
        tally.suite("kotlin (JVM + JNA)", &mut java);
    }

    let python = out.join("python");
    let copied = std::fs::copy(&library, python.join("libonshi_mobile.so"))
        .map(|_| ())
        .map_err(|e| format!("copying the library next to the Python module: {e}"));
    if tally.step("python module", copied) {
        let mut py = Command::new("python3");
        py.current_dir(root())
            .args([
                "-m",
                "unittest",
                "discover",
                "-v",
                "-s",
                "mobile-bindings/tests/python",
            ])
            .env("PYTHONPATH", &python)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("ONSHI_VECTORS", root().join("tests/vectors"));
        tally.suite("python (uniffi)", &mut py);
    }
}

/// Whether `unshare -n` works here (as root): a private network namespace with its own loopback.
fn can_unshare_network() -> bool {
    Command::new("unshare")
        .args(["-n", "true"])
        .status()
        .is_ok_and(|s| s.success())
}

/// The served web app in headless Chromium through playwright-core (`web/e2e/harness.mjs`), with
/// screenshots in `target/screenshots`. Node runs in a private network namespace whose loopback is
/// brought up: the tests that put the virtual card into pcscd's reader need it (vpcd listens on
/// every interface), and nothing a browser test starts reaches past this machine. Where no
/// namespace can be made, the suite runs in the open and those tests fail saying why. The npm
/// package (`npm`) plays onshi's phone app in the hand-off tests: its virtual card signs.
/// `cargo xtask e2e [FILE…]`: the browser tests alone (the given test files, or every one), with
/// the npm package they use for the phone app's side.
pub fn e2e(files: &[String]) -> Result {
    let tools = setup()?;
    let mut tally = Tally::default();
    let npm = step_value(&mut tally, "npm package", crate::build::npm_package(&tools));
    browser_tests_of(&tools, npm.as_deref(), files, &mut tally);
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed_suites.is_empty() {
        Ok(())
    } else {
        Err(format!("failed: {}", tally.failed_suites.join(", ")))
    }
}

fn browser_tests(tools: &Tools, npm: Option<&Path>, tally: &mut Tally) {
    browser_tests_of(tools, npm, &[], tally);
}

fn browser_tests_of(tools: &Tools, npm: Option<&Path>, files: &[String], tally: &mut Tally) {
    let Some(web) = step_value(tally, "web app build", web_app(tools)) else {
        return;
    };
    let Some(server) = step_value(tally, "server build", server()) else {
        return;
    };
    let mut card = cargo(&[
        "build",
        "-q",
        "-p",
        "onshi-reader",
        "--bin",
        "onshi-virtual-card",
    ]);
    if !tally.step("virtual card build", crate::process::run(&mut card)) {
        return;
    }
    let shots = root().join("target/screenshots");
    let _ = std::fs::create_dir_all(&shots);
    let mut node = if can_unshare_network() {
        let mut c = Command::new("unshare");
        c.args([
            "-n",
            "sh",
            "-c",
            "ip link set lo up && exec \"$0\" \"$@\"",
            "node",
        ]);
        c
    } else {
        println!("e2e: no network namespace available; the PC/SC browser tests will fail");
        Command::new("node")
    };
    node.current_dir(root())
        .args(["--test", "--test-concurrency=1"])
        .args(if files.is_empty() {
            vec!["web/e2e/".to_owned()]
        } else {
            files.to_vec()
        })
        .env("ONSHI_SERVER_BIN", &server)
        .env(
            "ONSHI_VIRTUAL_CARD_BIN",
            root().join("target/debug/onshi-virtual-card"),
        )
        .env("ONSHI_WEB_DIR", &web)
        .env("ONSHI_SCREENSHOTS", &shots)
        .env("ONSHI_E2E_MODULES", &tools.e2e_modules)
        .env("CHROMIUM", &tools.chromium);
    if let Some(dir) = npm {
        node.env("ONSHI_NPM_DIR", dir);
    }
    tally.suite("web app in chromium (e2e)", &mut node);
}

fn step_value<T>(tally: &mut Tally, name: &str, result: Result<T>) -> Option<T> {
    match result {
        Ok(v) => Some(v),
        Err(e) => {
            tally.step(name, Err(e));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn reads_each_runner_closing_lines() {
        let text = "test result: ok. 27 passed; 0 failed; 0 ignored\n\
                    test result: FAILED. 3 passed; 2 failed; 0 ignored\n\
                    # pass 5\n# fail 1\n\
                    kotlin: 4 passed, 0 failed\n\
                    Ran 3 tests in 0.015s\nFAILED (failures=1, errors=1)\n";
        assert_eq!(count(text), (27 + 3 + 5 + 4 + 1, 2 + 1 + 2));
    }

    #[test]
    fn nothing_counted_from_other_output() {
        assert_eq!(count("Compiling onshi-core\nFinished\n"), (0, 0));
    }
}

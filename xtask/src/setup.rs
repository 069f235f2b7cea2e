//! `cargo xtask setup`: installs what onshi's builds and tests need, and nothing twice.
//!
//! Debian packages through apt (Chromium and its driver, CJK fonts for screenshots, JNA and Gson
//! for the Kotlin tests, the PC/SC stack with the virtual reader driver and OpenSC, and Debian's
//! Rust for Wasm when rustup's target is not available), the wasm-bindgen CLI at exactly the
//! version in Cargo.lock, and from npm: the Kotlin compiler,
//! binaryen's wasm-opt (Debian's binaryen 108 breaks wasm-bindgen output), and for the browser
//! tests playwright-core (which drives Debian's Chromium; it never downloads a browser) and
//! axe-core.

use std::path::PathBuf;
use std::process::Command;

use crate::process::{output, run};
use crate::wasm::Wasm;
use crate::{Result, root};

const KOTLIN_VERSION: &str = "2.4.20";
const BINARYEN_VERSION: &str = "132.0.0";
/// The browser tests' npm packages, exact versions.
const E2E_PACKAGES: &[&str] = &["playwright-core@1.65.1", "axe-core@4.14.1"];

/// Debian packages every machine needs.
const APT_ALWAYS: &[&str] = &[
    "chromium",
    "chromium-driver",
    "fonts-noto-cjk",
    "libjna-java",
    "libgoogle-gson-java",
    "pkg-config",
    // PC/SC: the daemon, the library the `pcsc` crate links, the virtual reader driver (vpcd) that the
    // virtual card plugs into, and OpenSC as an independent JPKI client for conformance.
    "pcscd",
    "libpcsclite-dev",
    "vsmartcard-vpcd",
    "pcsc-tools",
    "opensc",
    "iproute2",
    // The service's second storage backend, started by the tests; wrk loads the service in benches.
    "postgresql",
    "wrk",
];

/// Debian packages for building Wasm without rustup's target.
const APT_DEBIAN_WASM: &[&str] = &["rustc-web", "cargo-web", "rust-web-src", "lld-22"];

/// Paths to the installed tools.
#[derive(Debug, Clone)]
pub struct Tools {
    /// How Wasm is built.
    pub wasm: Wasm,
    /// The wasm-bindgen CLI.
    pub wasm_bindgen: PathBuf,
    /// wasm-bindgen-test-runner (the cargo runner for Wasm tests).
    pub wasm_bindgen_test_runner: PathBuf,
    /// binaryen's wasm-opt (npm build).
    pub wasm_opt: PathBuf,
    /// The Kotlin compiler.
    pub kotlinc: PathBuf,
    /// The JNA jar.
    pub jna_jar: PathBuf,
    /// The Gson jar (the Kotlin tests read the JSON vectors with it).
    pub gson_jar: PathBuf,
    /// Chromium.
    pub chromium: PathBuf,
    /// The `node_modules` folder holding playwright-core and axe-core for the browser tests.
    pub e2e_modules: PathBuf,
}

/// Installs whatever is missing and says where everything is.
pub fn setup() -> Result<Tools> {
    let wasm = Wasm::choose();
    let mut packages: Vec<&str> = APT_ALWAYS.to_vec();
    if wasm == Wasm::Debian {
        packages.extend(APT_DEBIAN_WASM);
    }
    apt_install(&packages)?;
    let (wasm_bindgen, wasm_bindgen_test_runner) = wasm_bindgen_cli()?;
    let tools = Tools {
        wasm,
        wasm_bindgen,
        wasm_bindgen_test_runner,
        wasm_opt: npm_tool(
            "binaryen",
            BINARYEN_VERSION,
            "node_modules/.bin/wasm-opt",
            install_binaryen,
        )?,
        kotlinc: npm_tool("kotlin", KOTLIN_VERSION, "bin/kotlinc", install_kotlin)?,
        jna_jar: PathBuf::from("/usr/share/java/jna.jar"),
        gson_jar: PathBuf::from("/usr/share/java/gson.jar"),
        chromium: PathBuf::from("/usr/bin/chromium"),
        e2e_modules: npm_tool("e2e", &E2E_PACKAGES.join(" "), "node_modules", install_e2e)?,
    };
    println!("setup: ready (Wasm via {:?})", tools.wasm);
    Ok(tools)
}

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

fn apt_install(packages: &[&str]) -> Result {
    let missing: Vec<&str> = packages.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!("setup: installing Debian packages: {}", missing.join(" "));
    let sudo = !is_root();
    let apt = |args: &[&str]| {
        let mut c = if sudo {
            let mut c = Command::new("sudo");
            c.arg("apt-get");
            c
        } else {
            Command::new("apt-get")
        };
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run(apt(&["update", "-qq"]).arg("-o=Dpkg::Use-Pty=0"))?;
    run(apt(&["install", "-y", "-qq", "--no-install-recommends"]).args(&missing))
}

fn is_root() -> bool {
    output(Command::new("id").arg("-u")).is_ok_and(|uid| uid == "0")
}

fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

/// The wasm-bindgen version Cargo.lock pins (the crate is pinned with `=` in Cargo.toml).
fn pinned_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_owned());
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".to_owned())
}

fn wasm_bindgen_cli() -> Result<(PathBuf, PathBuf)> {
    let version = pinned_wasm_bindgen()?;
    let bin = cargo_bin();
    let cli = bin.join("wasm-bindgen");
    let current = output(Command::new(&cli).arg("--version")).unwrap_or_default();
    if current != format!("wasm-bindgen {version}") {
        println!("setup: installing wasm-bindgen-cli {version} (a few minutes on 2 cores)");
        // Not --locked: the CLI's lock file names versions the registry here does not serve.
        run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]))?;
    }
    Ok((cli, bin.join("wasm-bindgen-test-runner")))
}

/// A tool kept in `.tools/<dir>`, installed by `install` unless its recorded version matches.
fn npm_tool(
    dir: &str,
    version: &str,
    exe: &str,
    install: fn(&PathBuf, &str) -> Result,
) -> Result<PathBuf> {
    let home = root().join(".tools").join(dir);
    let stamp = home.join(".onshi-version");
    let path = home.join(exe);
    let current = std::fs::read_to_string(&stamp).unwrap_or_default();
    if current.trim() != version || !path.exists() {
        println!("setup: installing {dir} {version} from npm");
        let _ = std::fs::remove_dir_all(&home);
        std::fs::create_dir_all(&home).map_err(|e| format!("creating {}: {e}", home.display()))?;
        install(&home, version)?;
        std::fs::write(&stamp, version).map_err(|e| format!("writing {}: {e}", stamp.display()))?;
    }
    Ok(path)
}

fn install_binaryen(home: &PathBuf, version: &str) -> Result {
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
        .arg(home)
        .arg(format!("binaryen@{version}")))
}

/// `packages` is the space-separated list of `name@version` the browser tests import.
fn install_e2e(home: &PathBuf, packages: &str) -> Result {
    run(Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--silent",
            "--save-exact",
            "--prefix",
        ])
        .arg(home)
        .args(packages.split_whitespace()))
}

fn install_kotlin(home: &PathBuf, version: &str) -> Result {
    let tgz = home.join(format!("kotlin-compiler-{version}.tgz"));
    run(Command::new("npm")
        .args(["pack", "--silent", "--pack-destination"])
        .arg(home)
        .arg(format!("kotlin-compiler@{version}")))?;
    run(Command::new("tar")
        .arg("xzf")
        .arg(&tgz)
        .arg("-C")
        .arg(home)
        .arg("--strip-components=1"))?;
    std::fs::remove_file(&tgz).map_err(|e| format!("removing {}: {e}", tgz.display()))
}

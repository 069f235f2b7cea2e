//! Building the outputs people use: the npm package, the web app, and serving it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::run as run_cmd;
use crate::setup::{Tools, setup};
use crate::{Result, root};

/// The Cargo profile for shipped Wasm: small (`opt-level = "s"`), LTO, `panic = "abort"`.
const WASM_PROFILE: &str = "wasm-release";

/// Builds `artifact` (a library's or binary's file name) of crate `package` for Wasm, runs
/// wasm-bindgen (`--target web`) into `out` as `<name>.js` and `<name>_bg.wasm` (beside what is
/// there already), and shrinks the module with wasm-opt.
fn wasm_bindgen_build(
    tools: &Tools,
    package: &str,
    artifact: &str,
    out: &Path,
    typescript: bool,
) -> Result {
    run_cmd(
        &mut tools
            .wasm
            .cargo("build", &["--profile", WASM_PROFILE, "-p", package]),
    )?;
    let wasm = tools
        .wasm
        .artifact_dir(WASM_PROFILE)
        .join(format!("{artifact}.wasm"));
    let name = artifact.replace('-', "_");
    let mut bindgen = Command::new(&tools.wasm_bindgen);
    bindgen
        .args(["--target", "web", "--out-name", &name, "--out-dir"])
        .arg(out)
        .arg(&wasm);
    if !typescript {
        bindgen.arg("--no-typescript");
    }
    run_cmd(&mut bindgen)?;
    let module = out.join(format!("{name}_bg.wasm"));
    run_cmd(
        Command::new(&tools.wasm_opt)
            .arg("-Oz")
            .arg(&module)
            .arg("-o")
            .arg(&module),
    )
}

/// Builds the npm package `onshi` into `target/npm/onshi` and returns that folder.
pub fn npm_package(tools: &Tools) -> Result<PathBuf> {
    let out = root().join("target/npm/onshi");
    let _ = std::fs::remove_dir_all(&out);
    wasm_bindgen_build(tools, "onshi-wasm", "onshi_wasm", &out, true)?;
    let template = root().join("pkg/npm/package.json");
    let manifest = std::fs::read_to_string(&template)
        .map_err(|e| format!("reading {}: {e}", template.display()))?
        .replace(
            "\"version\": \"0.0.0\"",
            &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        );
    write(&out.join("package.json"), &manifest)?;
    copy(&root().join("pkg/npm/README.md"), &out.join("README.md"))?;
    println!("npm package: {}", out.display());
    Ok(out)
}

/// Builds the web app into `target/web-dist` and returns that folder. Every file gets a gzip twin
/// (`name.gz`) that onshi-server sends to browsers that take gzip: compressed once here, at the
/// highest level, instead of on every request.
pub fn web_app(tools: &Tools) -> Result<PathBuf> {
    let out = root().join("target/web-dist");
    let _ = std::fs::remove_dir_all(&out);
    // Both bundles come from one cargo build of the crate: every screen, and the patient's only.
    wasm_bindgen_build(tools, "onshi-web", "onshi-web", &out, false)?;
    wasm_bindgen_build(tools, "onshi-web", "onshi-patient", &out, false)?;
    for file in ["index.html", "style.css", "favicon.svg", "sw.js"] {
        copy(&root().join("web/static").join(file), &out.join(file))?;
    }
    write_app_files(&out)?;
    gzip_twins(&out)?;
    Ok(out)
}

/// Writes `app-files.json`: the staff app's files, which its service worker (`sw.js`) keeps as one
/// set for use without signal — every file of the build but the patient's bundle (a staff device
/// loads the full app) and the worker's own; the page itself as `/` — and the build's version, by
/// which the worker knows a new build.
fn write_app_files(out: &Path) -> Result {
    let mut files = vec!["/".to_owned()];
    collect_files(out, out, &mut files)?;
    files.retain(|f| {
        !(f.starts_with("/onshi_patient")
            || f == "/index.html"
            || f == "/sw.js"
            || f.ends_with(".gz"))
    });
    files.sort();
    // The build's version: a hash of every kept file's name and bytes (a cache name, not a secret).
    let mut hasher = std::hash::DefaultHasher::new();
    for f in &files {
        let path = out.join(f.trim_start_matches('/'));
        let path = if f == "/" {
            out.join("index.html")
        } else {
            path
        };
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        std::hash::Hash::hash(&(f, bytes), &mut hasher);
    }
    let version = std::hash::Hasher::finish(&hasher);
    let list: Vec<String> = files.iter().map(|f| format!("\"{f}\"")).collect();
    write(
        &out.join("app-files.json"),
        &format!(
            "{{\"version\": \"{version:016x}\", \"files\": [{}]}}\n",
            list.join(", ")
        ),
    )
}

/// The files under `dir`, as paths from `root` (`/snippets/…/inline0.js`).
fn collect_files(root: &Path, dir: &Path, found: &mut Vec<String>) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("reading {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            collect_files(root, &path, found)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            found.push(format!("/{}", relative.to_string_lossy()));
        }
    }
    Ok(())
}

/// Writes `name.gz` beside every file in `dir` and its folders (gzip -9, no name or time stored,
/// so a rebuild of the same files gives the same bytes).
fn gzip_twins(dir: &Path) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("reading {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            gzip_twins(&path)?;
        } else if path.extension().is_none_or(|e| e != "gz") {
            run_cmd(
                Command::new("gzip")
                    .args(["-9", "-n", "-k", "-f"])
                    .arg(&path),
            )?;
        }
    }
    Ok(())
}

/// Builds onshi-server and returns its binary.
pub fn server() -> Result<PathBuf> {
    run_cmd(
        Command::new("cargo")
            .current_dir(root())
            .args(["build", "-q", "-p", "onshi-server"]),
    )?;
    Ok(root().join("target/debug/onshi-server"))
}

/// `cargo xtask run [--addr HOST:PORT] [--pcsc]`: builds everything the main program needs and
/// starts the service on the demo (population, institutions, devices, URLs and demo cards printed),
/// with the reader bridge on the demo cards — or, with `--pcsc`, on PC/SC readers through pcscd (a
/// real reader, or vpcd with `onshi-virtual-card`). The bridge is loopback only: on another address
/// the service runs without it.
pub fn run(args: &[String]) -> Result {
    let usage = || "usage: cargo xtask run [--addr HOST:PORT] [--pcsc]".to_owned();
    let mut addr = "127.0.0.1:8080".to_owned();
    let mut readers = "virtual";
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => addr = args.next().ok_or_else(usage)?.clone(),
            "--pcsc" => readers = "pcsc",
            _ => return Err(usage()),
        }
    }
    let loopback = addr
        .parse::<std::net::SocketAddr>()
        .is_ok_and(|a| a.ip().is_loopback());
    if !loopback && readers == "pcsc" {
        return Err(format!(
            "--pcsc: the reader bridge listens on loopback only, not {addr}"
        ));
    }
    let tools = setup()?;
    let web = web_app(&tools)?;
    let server = server()?;
    // The demo lives in target/demo: its SQLite file, device keys and population survive restarts.
    let demo = root().join("target/demo");
    std::fs::create_dir_all(&demo).map_err(|e| format!("{}: {e}", demo.display()))?;
    let database = format!("sqlite://{}", demo.join("onshi.db").display());
    let bridge: &[&str] = if loopback {
        &["--reader-bridge", readers]
    } else {
        println!("reader bridge off: {addr} is not a loopback address");
        &[]
    };
    run_cmd(
        Command::new(server)
            .args([
                "serve",
                "--addr",
                &addr,
                "--database-url",
                &database,
                "--demo",
            ])
            .arg(&demo)
            .arg("--web-dir")
            .arg(web)
            .args(bridge),
    )
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("copying {} to {}: {e}", from.display(), to.display()))
}

//! Building for `wasm32-unknown-unknown`: with rustup's target when it can be had, otherwise with
//! Debian's rustc-web and a rebuilt std (`-Zbuild-std`) in its own target folder, so that the two
//! compilers never rebuild each other's artifacts.

use std::path::PathBuf;
use std::process::Command;

use crate::process::succeeds;
use crate::root;

/// The target triple.
pub const TARGET: &str = "wasm32-unknown-unknown";

/// Which Rust toolchain builds Wasm on this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wasm {
    /// rustup's toolchain with its `wasm32-unknown-unknown` target.
    Rustup,
    /// Debian's rustc-web 1.96 with `-Zbuild-std`, in `target/wasm`.
    Debian,
}

impl Wasm {
    /// rustup's target when it is installed or can be added, unless `ONSHI_WASM_TOOLCHAIN=debian`
    /// asks for the Debian route (CI can prove both).
    pub fn choose() -> Self {
        if std::env::var("ONSHI_WASM_TOOLCHAIN").as_deref() == Ok("debian") {
            return Self::Debian;
        }
        let installed = Command::new("rustup")
            .args(["target", "list", "--installed"])
            .output()
            .is_ok_and(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .any(|l| l.trim() == TARGET)
            });
        if installed || succeeds(Command::new("rustup").args(["target", "add", TARGET])) {
            Self::Rustup
        } else {
            Self::Debian
        }
    }

    /// A `cargo <verb>` for the Wasm target with this toolchain's settings; `args` come after the
    /// verb and before the target flags.
    pub fn cargo(self, verb: &str, args: &[&str]) -> Command {
        let mut cmd = match self {
            Self::Rustup => Command::new("cargo"),
            Self::Debian => {
                let mut c = Command::new("/usr/bin/cargo");
                // Debian's cargo must find Debian's rustc, not rustup's proxy.
                let path = std::env::var("PATH").unwrap_or_default();
                c.env("PATH", format!("/usr/bin:{path}"))
                    .env("RUSTC_BOOTSTRAP", "1")
                    .env("CARGO_TARGET_DIR", root().join("target/wasm"))
                    .env_remove("RUSTUP_TOOLCHAIN")
                    .env_remove("RUSTC")
                    .env_remove("CARGO");
                c
            }
        };
        cmd.current_dir(root())
            .arg(verb)
            .args(args)
            .args(["--target", TARGET]);
        if self == Self::Debian {
            cmd.arg("-Zbuild-std=std,panic_abort");
        }
        cmd
    }

    /// Where this toolchain puts Wasm artifacts of `profile`.
    pub fn artifact_dir(self, profile: &str) -> PathBuf {
        let base = match self {
            Self::Rustup => root().join("target"),
            Self::Debian => root().join("target/wasm"),
        };
        base.join(TARGET).join(profile)
    }

    /// Whether clippy can lint Wasm builds (Debian ships no clippy for rustc-web).
    pub fn has_clippy(self) -> bool {
        self == Self::Rustup
    }
}

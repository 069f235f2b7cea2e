//! A running onshi-server on its demo, for suites that talk to the service from outside (the
//! browser device). Stopped when dropped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::Result;

/// The service, listening on a free loopback port, with its demo in `dir`.
pub struct DemoService {
    child: Child,
    /// Its origin, `http://127.0.0.1:PORT`.
    pub origin: String,
    /// The demo folder (database, device key files).
    pub dir: PathBuf,
}

impl DemoService {
    /// Starts `server` on a fresh demo in `dir` with a small population, and waits until it listens.
    pub fn start(server: &Path, dir: &Path) -> Result<Self> {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let database = format!("sqlite://{}", dir.join("onshi.db").display());
        let mut child = Command::new(server)
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--database-url",
                &database,
            ])
            .args(["--demo-people", "50", "--demo"])
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", server.display()))?;
        let stdout = child.stdout.take();
        let mut service = Self {
            child,
            origin: String::new(),
            dir: dir.to_path_buf(),
        };
        // "onshi service: http://127.0.0.1:PORT/" comes once the demo is ready. The rest of the
        // output is read on, so the service never writes into a closed pipe.
        let (found, origin) = std::sync::mpsc::channel();
        if let Some(out) = stdout {
            std::thread::spawn(move || {
                for line in BufReader::new(out).lines().map_while(|l| l.ok()) {
                    if let Some(url) = line.strip_prefix("onshi service: ") {
                        let _ = found.send(url.trim().trim_end_matches('/').to_owned());
                    }
                }
            });
        }
        service.origin = origin
            .recv()
            .map_err(|_| "onshi-server stopped before it listened".to_owned())?;
        Ok(service)
    }

    /// The key file text of the demo device `name` (`clinic-pc`).
    pub fn key_file(&self, name: &str) -> Result<String> {
        let path = self.dir.join("devices").join(format!("{name}.json"));
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
    }
}

impl Drop for DemoService {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

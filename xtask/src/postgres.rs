//! A throwaway PostgreSQL server for the service's tests: Debian's `postgresql` binaries, a fresh
//! cluster in `target/pg-test` with trust authentication on loopback only, started before the Rust
//! tests and stopped (and deleted) after. As root, the server runs as the `postgres` user, since
//! PostgreSQL refuses to run as root.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, root};

/// A running test server; stopped and removed when dropped.
pub struct TestPostgres {
    bin: PathBuf,
    data: PathBuf,
    as_postgres: bool,
    /// `postgres://onshi@127.0.0.1:<port>` (no database: tests create their own).
    pub url: String,
}

fn bin_dir() -> Result<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| format!("PostgreSQL is not installed (/usr/lib/postgresql: {e})"))?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("pg_ctl").is_file())
        .collect();
    versions.sort();
    versions
        .pop()
        .ok_or_else(|| "no PostgreSQL server binaries under /usr/lib/postgresql".to_owned())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl TestPostgres {
    /// Creates and starts a cluster on a free loopback port.
    pub fn start() -> Result<Self> {
        let bin = bin_dir()?;
        let data = root().join("target/pg-test");
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir_all(&data).map_err(|e| format!("{}: {e}", data.display()))?;
        let as_postgres = is_root();
        if as_postgres {
            crate::process::run(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&data),
            )?;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let server = Self {
            bin,
            data,
            as_postgres,
            url: format!("postgres://onshi@127.0.0.1:{port}"),
        };
        server.pg("initdb", |c| {
            c.args([
                "-A",
                "trust",
                "-U",
                "onshi",
                "-E",
                "UTF8",
                "--no-sync",
                "-D",
            ]);
        })?;
        let options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c max_connections=400",
            server.data.display()
        );
        let log = server.data.join("server.log");
        server.pg("pg_ctl", |c| {
            c.args(["-w", "-l"])
                .arg(&log)
                .args(["-o", &options, "start", "-D"]);
        })?;
        Ok(server)
    }

    fn pg(&self, tool: &str, args: impl FnOnce(&mut Command)) -> Result {
        let program = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        args(&mut cmd);
        cmd.arg(&self.data).current_dir(Path::new("/"));
        let out = cmd
            .output()
            .map_err(|e| format!("{}: {e}", program.display()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{tool} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        let _ = self.pg("pg_ctl", |c| {
            c.args(["-w", "-m", "immediate", "stop", "-D"]);
        });
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Starts and stops a real cluster (run by hand: it needs Debian's postgresql).
    #[test]
    #[ignore]
    fn a_cluster_starts_and_stops() {
        let pg = TestPostgres::start().unwrap_or_else(|e| panic!("{e}"));
        let ok = Command::new("psql")
            .arg(format!("{}/postgres", pg.url))
            .args(["-c", "SELECT 1"])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok);
    }
}

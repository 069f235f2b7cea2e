//! Running commands: plainly, or with their output shown and kept for counting tests.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::thread;

use crate::Result;

/// Runs `cmd`, inheriting its output; an error names the command and its exit status.
pub fn run(cmd: &mut Command) -> Result {
    let status = cmd
        .status()
        .map_err(|e| format!("could not start {}: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(cmd)))
    }
}

/// Runs `cmd` and returns its standard output, trimmed.
pub fn output(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not start {}: {e}", describe(cmd)))?;
    if !out.status.success() {
        return Err(format!("{} failed ({})", describe(cmd), out.status));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Whether `cmd` runs and exits 0 (its output is discarded).
pub fn succeeds(cmd: &mut Command) -> bool {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs `cmd`, showing its output as it comes, and returns whether it succeeded and all it printed.
pub fn run_teed(cmd: &mut Command) -> Result<(bool, String)> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", describe(cmd)))?;
    let out = child.stdout.take().map(|s| tee(s, false));
    let err = child.stderr.take().map(|s| tee(s, true));
    let status = child
        .wait()
        .map_err(|e| format!("waiting for {}: {e}", describe(cmd)))?;
    let mut text = String::new();
    for handle in [out, err].into_iter().flatten() {
        text.push_str(&handle.join().unwrap_or_default());
    }
    Ok((status.success(), text))
}

fn tee(stream: impl Read + Send + 'static, to_stderr: bool) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut kept = String::new();
        for line in BufReader::new(stream)
            .lines()
            .map_while(std::result::Result::ok)
        {
            if to_stderr {
                eprintln!("{line}");
            } else {
                println!("{line}");
            }
            kept.push_str(&line);
            kept.push('\n');
        }
        kept
    })
}

/// The command as a person would type it.
pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        s.push(' ');
        s.push_str(&arg.to_string_lossy());
    }
    s
}

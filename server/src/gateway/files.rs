//! The folder side of the gateway: atomic writes (a reader of `res` or `face` never sees half a
//! file), moving answered requests out of `req`, and listing what waits there.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Writes `bytes` as `dir/name` atomically: into `.name.tmp` in the same folder, fsync, rename,
/// then fsync the folder so the rename itself survives a power cut. An earlier file of the same
/// name is replaced whole (a redo writes the same bytes).
pub fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    let temp = dir.join(format!(".{name}.tmp"));
    {
        let mut f = fs::File::create(&temp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    fs::rename(&temp, dir.join(name))?;
    sync_dir(dir)
}

/// Makes a folder's entries (renames) durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
    }
    Ok(())
}

/// Moves `from` into `to_dir` under its own name, or with `.<tag>` added when that name is taken
/// (a request name used again on another day). Returns where it went; a file already gone is fine.
pub fn move_into(from: &Path, to_dir: &Path, tag: &str) -> io::Result<Option<PathBuf>> {
    let Some(name) = from.file_name() else {
        return Ok(None);
    };
    let mut target = to_dir.join(name);
    if target.exists() {
        let mut with_tag = name.to_os_string();
        with_tag.push(format!(".{tag}"));
        target = to_dir.join(with_tag);
    }
    match fs::rename(from, &target) {
        Ok(()) => {
            sync_dir(to_dir)?;
            if let Some(parent) = from.parent() {
                sync_dir(parent)?;
            }
            Ok(Some(target))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// A file waiting in `req`: its name, size and modification time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    /// The file name.
    pub name: String,
    /// Where it is.
    pub path: PathBuf,
    /// Its size in bytes.
    pub len: u64,
    /// Its modification time.
    pub modified: Option<SystemTime>,
}

/// The files in `dir`, by name; hidden files and `*.tmp` (a writer's file in progress) are not
/// requests yet.
pub fn waiting(dir: &Path) -> io::Result<Vec<Waiting>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        if !meta.is_file() {
            continue;
        }
        // A name that is not UTF-8 cannot be an OQS name; the caller reports it by its lossy form.
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with(".tmp") {
            continue;
        }
        out.push(Waiting {
            name,
            path: entry.path(),
            len: meta.len(),
            modified: meta.modified().ok(),
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

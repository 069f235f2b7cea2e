//! 端末登録の操作 (device administration from the command line): `onshi-server device add` makes a
//! key, writes it to a file only its owner can read, and registers the public half;
//! `onshi-server device revoke` stops a device.

use std::io::Write;
use std::path::Path;

use onshi_core::device::DeviceKeyFile;
use onshi_core::jst::JstDateTime;
use p256::ecdsa::SigningKey;

use super::DeviceKind;
use crate::db::Db;

/// Creates a device key, writes it to `key_out` (mode 0600, never over an existing file),
/// registers the device and returns its id. On a failed registration the key file is removed.
pub async fn add(
    db: &Db,
    institution: &str,
    name: &str,
    kind: DeviceKind,
    key_out: &Path,
    now: JstDateTime,
) -> Result<String, String> {
    let secret = super::random_secret().map_err(|e| e.to_string())?;
    let key = SigningKey::from(&secret);
    let mut file =
        create_private(key_out).map_err(|e| format!("cannot create {}: {e}", key_out.display()))?;
    let id = match super::register(db, institution, name, kind, key.verifying_key(), now).await {
        Ok(id) => id,
        Err(e) => {
            drop(file);
            let _ = std::fs::remove_file(key_out);
            return Err(format!("{}: {}", e.code, e.message.en));
        }
    };
    let contents = DeviceKeyFile::new(&id, institution, kind, &secret);
    let json = contents.to_json().map_err(|e| e.to_string())?;
    file.write_all(&json)
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", key_out.display()))?;
    Ok(id)
}

/// Revokes a device.
pub async fn revoke(db: &Db, device_id: &str, now: JstDateTime) -> Result<(), String> {
    super::revoke(db, device_id, now)
        .await
        .map_err(|e| format!("{}: {}", e.code, e.message.en))
}

/// A new file readable and writable by its owner only; an existing file is never overwritten.
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

//! 端末鍵ファイル (the device key file) that `onshi-server device add --key-out` writes and a device
//! imports, and 端末種別 (the kind of device) it records.

use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::SigningKey;
use p256::pkcs8::EncodePrivateKey;
use p256::{PublicKey, SecretKey};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use super::ProtocolError;

/// 端末種別: what kind of device it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    /// タブレット: a mobile device carried on home visits (訪問診療・訪問看護).
    Tablet,
    /// PC: a computer at the institution (受付, 診察室).
    Pc,
}

impl DeviceKind {
    /// The stored and command-line name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tablet => "tablet",
            Self::Pc => "pc",
        }
    }

    /// The Japanese name.
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Tablet => "タブレット端末",
            Self::Pc => "PC端末",
        }
    }

    /// The English name.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Tablet => "tablet",
            Self::Pc => "PC",
        }
    }
}

impl FromStr for DeviceKind {
    type Err = ProtocolError;
    fn from_str(s: &str) -> Result<Self, ProtocolError> {
        match s {
            "tablet" => Ok(Self::Tablet),
            "pc" => Ok(Self::Pc),
            _ => Err(ProtocolError::Kind),
        }
    }
}

impl std::fmt::Display for DeviceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// 端末鍵ファイル (a device key file): JSON `{"device_id", "institution", "kind", "private_key"}`,
/// the private key being the P-256 scalar, 32 bytes base64url. `Debug` never shows the key, and
/// the key's text is wiped when the value is dropped.
#[derive(Clone, Serialize, Deserialize)]
pub struct DeviceKeyFile {
    /// The device id.
    pub device_id: String,
    /// 医療機関等コード.
    pub institution: String,
    /// 端末種別.
    pub kind: DeviceKind,
    private_key: String,
}

impl std::fmt::Debug for DeviceKeyFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceKeyFile")
            .field("device_id", &self.device_id)
            .field("institution", &self.institution)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl Drop for DeviceKeyFile {
    fn drop(&mut self) {
        self.private_key.zeroize();
    }
}

impl DeviceKeyFile {
    /// The key file of a registered device with its key.
    pub fn new(device_id: &str, institution: &str, kind: DeviceKind, key: &SecretKey) -> Self {
        Self {
            device_id: device_id.to_owned(),
            institution: institution.to_owned(),
            kind,
            private_key: URL_SAFE_NO_PAD.encode(key.to_bytes()),
        }
    }

    /// Reads a key file's text; the device id, the institution and the key must be present and
    /// the key a P-256 scalar.
    pub fn parse(text: &str) -> Result<Self, ProtocolError> {
        let file: Self =
            serde_json::from_str(text).map_err(|_| ProtocolError::KeyFile("not its JSON form"))?;
        if file.device_id.trim().is_empty() {
            return Err(ProtocolError::KeyFile("device_id"));
        }
        if file.institution.trim().is_empty() {
            return Err(ProtocolError::KeyFile("institution"));
        }
        file.secret_key()?;
        Ok(file)
    }

    /// The file's JSON text (pretty, as written to disk).
    pub fn to_json(&self) -> Result<Zeroizing<Vec<u8>>, ProtocolError> {
        serde_json::to_vec_pretty(self)
            .map(Zeroizing::new)
            .map_err(|_| ProtocolError::KeyFile("json"))
    }

    /// The device's secret key.
    pub fn secret_key(&self) -> Result<SecretKey, ProtocolError> {
        let scalar = Zeroizing::new(
            URL_SAFE_NO_PAD
                .decode(self.private_key.trim().trim_end_matches('='))
                .map_err(|_| ProtocolError::KeyFile("private_key is not base64url"))?,
        );
        SecretKey::from_slice(&scalar)
            .map_err(|_| ProtocolError::KeyFile("private_key is not a P-256 key"))
    }

    /// The device's signing key (ES256).
    pub fn signing_key(&self) -> Result<SigningKey, ProtocolError> {
        Ok(SigningKey::from(&self.secret_key()?))
    }

    /// The device's public key, as registered.
    pub fn public_key(&self) -> Result<PublicKey, ProtocolError> {
        Ok(self.secret_key()?.public_key())
    }

    /// The key as PKCS#8 DER, the form platform key stores import (WebCrypto `importKey("pkcs8")`,
    /// Android Keystore), so the raw scalar need not stay with the app.
    pub fn pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, ProtocolError> {
        let der = self
            .secret_key()?
            .to_pkcs8_der()
            .map_err(|_| ProtocolError::KeyFile("private_key"))?;
        Ok(Zeroizing::new(der.as_bytes().to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::secret_from_bytes;

    fn ok<T>(r: Result<T, ProtocolError>) -> T {
        r.unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_key_file_round_trips_and_hides_its_key() {
        let secret = ok(secret_from_bytes(&[3; 32]));
        let file = DeviceKeyFile::new("d1", "0110113719", DeviceKind::Tablet, &secret);
        let json = ok(file.to_json());
        let text = std::str::from_utf8(&json).unwrap_or_else(|e| panic!("{e}"));
        assert!(text.contains(r#""kind": "tablet""#));
        let read = ok(DeviceKeyFile::parse(text));
        assert_eq!(read.device_id, "d1");
        assert_eq!(read.institution, "0110113719");
        assert_eq!(read.kind, DeviceKind::Tablet);
        assert_eq!(ok(read.public_key()), secret.public_key());
        assert!(!format!("{read:?}").contains(&URL_SAFE_NO_PAD.encode([3u8; 32])));
        // PKCS#8 holds the same scalar.
        let der = ok(read.pkcs8_der());
        let back = <SecretKey as p256::pkcs8::DecodePrivateKey>::from_pkcs8_der(&der)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.to_bytes(), secret.to_bytes());
    }

    #[test]
    fn other_files_are_typed_errors() {
        let bad = |text: &str| DeviceKeyFile::parse(text).err();
        assert_eq!(bad("{"), Some(ProtocolError::KeyFile("not its JSON form")));
        let with = |id: &str, key: &str| {
            format!(
                r#"{{"device_id":"{id}","institution":"0110113719","kind":"pc","private_key":"{key}"}}"#
            )
        };
        let key = URL_SAFE_NO_PAD.encode([3u8; 32]);
        assert_eq!(
            bad(&with("", &key)),
            Some(ProtocolError::KeyFile("device_id"))
        );
        assert_eq!(
            bad(&with("d1", "***")),
            Some(ProtocolError::KeyFile("private_key is not base64url"))
        );
        assert_eq!(
            bad(&with("d1", &URL_SAFE_NO_PAD.encode([0u8; 32]))),
            Some(ProtocolError::KeyFile("private_key is not a P-256 key"))
        );
        assert!(DeviceKeyFile::parse(&with("d1", &key)).is_ok());
        assert_eq!(
            bad(&with("d1", &key).replace("\"pc\"", "\"phone\"")),
            Some(ProtocolError::KeyFile("not its JSON form"))
        );
    }

    #[test]
    fn kinds_read_and_print_their_names() {
        assert_eq!("tablet".parse::<DeviceKind>(), Ok(DeviceKind::Tablet));
        assert_eq!("pc".parse::<DeviceKind>(), Ok(DeviceKind::Pc));
        assert_eq!("phone".parse::<DeviceKind>(), Err(ProtocolError::Kind));
        assert_eq!(DeviceKind::Pc.to_string(), "pc");
    }
}

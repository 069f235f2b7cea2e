//! 端末 (this browser as a registered device): the 端末認証 protocol v1 of onshi-core, with the key in
//! the browser's key store.
//!
//! - [`Device::import`] reads the key file `onshi-server device add --key-out` wrote, hands the key to
//!   WebCrypto as a non-extractable ECDSA P-256 key and keeps that `CryptoKey` with the device id and
//!   医療機関等コード in IndexedDB: after the import the page holds no raw private key.
//!   [`Device::load`] finds it again on the next start; [`Device::forget`] removes it.
//! - [`Device::request`] sends an authenticated request: it opens a session when there is none
//!   (ephemeral key and session key in Wasm, the opening signed by WebCrypto over core's
//!   to-be-signed bytes), adds `Authorization: COSE-Mac0 …`, and opens a new session once when the
//!   service says the session is gone. A session's requests go one after another, since the
//!   service refuses a counter that does not rise.
//!
//! The JavaScript of `browser` only stores, signs and draws random bytes; every message is built
//! by onshi-core.

mod browser;

use std::rc::Rc;

use futures::lock::Mutex;
use js_sys::{Reflect, Uint8Array};
pub use onshi_core::device::DeviceKind;

use onshi_core::device::{
    DeviceKeyFile, DeviceSession, NONCE_LEN, PendingSession, ProtocolError, ServiceError,
    SessionGrant, needs_new_session,
};
use onshi_core::i18n::Message;
use wasm_bindgen::{JsCast, JsValue};
use zeroize::Zeroizing;

use browser::{
    fetch, fill_random, forget_device, import_signing_key, load_device, now, sign_es256,
    store_device,
};

/// Why a device operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceError {
    /// The key file or a protocol message (core's reading).
    Protocol(ProtocolError),
    /// The service refused to open a session (unknown or revoked device, clock off, …).
    Refused {
        /// HTTP status.
        status: u16,
        /// The service's error, when it sent one.
        error: Option<ServiceError>,
    },
    /// The device stored in this browser cannot be read; forget it and import the key file again.
    Stored,
    /// The browser could not do it (IndexedDB, WebCrypto, the network); the browser's words.
    Browser(String),
}

impl From<ProtocolError> for DeviceError {
    fn from(e: ProtocolError) -> Self {
        Self::Protocol(e)
    }
}

impl From<JsValue> for DeviceError {
    fn from(e: JsValue) -> Self {
        let text = Reflect::get(&e, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .or_else(|| e.as_string())
            .unwrap_or_else(|| format!("{e:?}"));
        Self::Browser(text)
    }
}

impl DeviceError {
    /// What a person reads, Japanese and English.
    pub fn message(&self) -> Message {
        match self {
            Self::Protocol(e) => e.message(),
            Self::Refused {
                error: Some(error), ..
            } => error.message.clone(),
            Self::Refused { status, .. } => Message::new(
                format!("サービスが端末セッションを開始できませんでした（{status}）"),
                format!("the service did not open a device session ({status})"),
            ),
            Self::Stored => Message::new(
                "この端末に保存された登録を読み取れません。登録を解除し、端末鍵ファイルを取り込み直してください。",
                "The device stored in this browser cannot be read. Forget it and import the device key file again.",
            ),
            Self::Browser(text) => Message::new(
                format!("ブラウザーで処理できませんでした: {text}"),
                format!("the browser could not do it: {text}"),
            ),
        }
    }
}

impl std::fmt::Display for DeviceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for DeviceError {}

/// 登録端末 (this browser as a registered device). Cheap to clone: clones share the key and the
/// session, and their requests wait for each other.
#[derive(Clone)]
pub struct Device {
    inner: Rc<Inner>,
}

struct Inner {
    id: String,
    institution: String,
    kind: DeviceKind,
    /// The non-extractable WebCrypto `CryptoKey` (ECDSA P-256, usage `sign`).
    key: JsValue,
    /// The service's origin; empty for the page's own.
    service: String,
    /// The open session; holding the lock is holding the turn to send.
    session: Mutex<Option<DeviceSession>>,
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device")
            .field("id", &self.inner.id)
            .field("institution", &self.inner.institution)
            .field("kind", &self.inner.kind)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Device {
    /// The same device value (clones are equal), as yew compares properties.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

const ID: &str = "device_id";
const INSTITUTION: &str = "institution";
const KIND: &str = "kind";
const KEY: &str = "key";

impl Device {
    /// 端末鍵の取り込み: reads a key file's text, imports its key into WebCrypto (not extractable)
    /// and stores the device in this browser, replacing any device stored before.
    pub async fn import(key_file_text: &str) -> Result<Self, DeviceError> {
        let file = DeviceKeyFile::parse(key_file_text)?;
        let key = {
            let pkcs8 = file.pkcs8_der()?;
            import_signing_key(&pkcs8).await?
        };
        let record = js_sys::Object::new();
        for (name, value) in [
            (ID, JsValue::from_str(&file.device_id)),
            (INSTITUTION, JsValue::from_str(&file.institution)),
            (KIND, JsValue::from_str(file.kind.as_str())),
            (KEY, key.clone()),
        ] {
            Reflect::set(&record, &name.into(), &value)?;
        }
        store_device(&record).await?;
        Ok(Self::new(
            file.device_id.clone(),
            file.institution.clone(),
            file.kind,
            key,
        ))
    }

    /// The device stored in this browser, if one was imported.
    pub async fn load() -> Result<Option<Self>, DeviceError> {
        let record = load_device().await?;
        if record.is_undefined() || record.is_null() {
            return Ok(None);
        }
        let text = |name: &str| {
            Reflect::get(&record, &name.into())
                .ok()
                .and_then(|v| v.as_string())
                .ok_or(DeviceError::Stored)
        };
        let kind = text(KIND)?.parse().map_err(|_| DeviceError::Stored)?;
        let key = Reflect::get(&record, &KEY.into()).map_err(|_| DeviceError::Stored)?;
        if !key.is_object() {
            return Err(DeviceError::Stored);
        }
        Ok(Some(Self::new(text(ID)?, text(INSTITUTION)?, kind, key)))
    }

    /// 登録の解除 (forget): removes the stored device from this browser. Device values still held
    /// keep working until they are dropped.
    pub async fn forget() -> Result<(), DeviceError> {
        forget_device().await?;
        Ok(())
    }

    fn new(id: String, institution: String, kind: DeviceKind, key: JsValue) -> Self {
        Self {
            inner: Rc::new(Inner {
                id,
                institution,
                kind,
                key,
                service: String::new(),
                session: Mutex::new(None),
            }),
        }
    }

    /// The same device talking to the service at `origin` (`https://onshi.example`), for an app not
    /// served by the service itself; by default requests go to the page's own origin.
    pub fn with_service(self, origin: &str) -> Self {
        Self {
            inner: Rc::new(Inner {
                id: self.inner.id.clone(),
                institution: self.inner.institution.clone(),
                kind: self.inner.kind,
                key: self.inner.key.clone(),
                service: origin.trim_end_matches('/').to_owned(),
                session: Mutex::new(None),
            }),
        }
    }

    /// The device id the service issued.
    pub fn id(&self) -> &str {
        &self.inner.id
    }

    /// 医療機関等コード of the institution the device is registered to.
    pub fn institution(&self) -> &str {
        &self.inner.institution
    }

    /// 端末種別.
    pub fn kind(&self) -> DeviceKind {
        self.inner.kind
    }

    /// 認証付き要求: sends `body` as JSON (nothing for an empty body) to `path_and_query`
    /// (`/v1/checks?x=1`, exactly as the service will see it) and answers the status and body.
    /// Any status is an answer; an error is only a request that could not be made.
    pub async fn request(
        &self,
        method: &str,
        path_and_query: &str,
        body: &[u8],
    ) -> Result<(u16, Vec<u8>), DeviceError> {
        self.send(method, path_and_query, "application/json", body)
            .await
    }

    /// [`Self::request`] with another content type (`text/csv`, `application/cbor`).
    pub async fn send(
        &self,
        method: &str,
        path_and_query: &str,
        content_type: &str,
        body: &[u8],
    ) -> Result<(u16, Vec<u8>), DeviceError> {
        // Holding the lane until the answer keeps the session's counters in sending order.
        let mut lane = self.inner.session.lock().await;
        let mut renewed = false;
        loop {
            let open = match lane.take() {
                Some(s) if s.is_live(now()) => s,
                _ => self.open_session().await?,
            };
            let session = lane.insert(open);
            let authorization = session.authorization(method, path_and_query, body, now())?;
            let mut headers = vec![("Authorization", authorization.as_str())];
            if !body.is_empty() {
                headers.push(("Content-Type", content_type));
            }
            let url = format!("{}{path_and_query}", self.inner.service);
            let (status, answer) = fetch(method, &url, &headers, body).await?;
            if !renewed && needs_new_session(status, &answer) {
                // A restart or the 12 hours: one new session, then the same request again.
                renewed = true;
                *session = self.open_session().await?;
                continue;
            }
            return Ok((status, answer));
        }
    }

    /// 端末セッション開始: an opening signed by the WebCrypto key, sent, and the session key derived.
    async fn open_session(&self) -> Result<DeviceSession, DeviceError> {
        let mut nonce = [0u8; NONCE_LEN];
        fill_random(&mut nonce)?;
        let at = now();
        let pending = loop {
            let mut secret = Zeroizing::new([0u8; 32]);
            fill_random(secret.as_mut_slice())?;
            match PendingSession::new(&self.inner.id, &self.inner.institution, at, nonce, &secret) {
                // Bytes that are no P-256 scalar (about once in 2³² draws) are drawn again.
                Err(ProtocolError::EphemeralSecret) => continue,
                other => break other?,
            }
        };
        let sign1 = self.sign_opening(&pending).await?;
        let url = format!("{}/v1/device-sessions", self.inner.service);
        let headers = [("Content-Type", "application/cose")];
        let (status, answer) = fetch("POST", &url, &headers, &sign1).await?;
        if status != 200 {
            return Err(DeviceError::Refused {
                status,
                error: ServiceError::from_json(&answer),
            });
        }
        Ok(pending.complete(&SessionGrant::from_json(&answer)?)?)
    }

    /// The COSE_Sign1 of an opening: core's to-be-signed bytes, signed by WebCrypto (ECDSA P-256
    /// with SHA-256 gives `r ‖ s`, exactly ES256).
    async fn sign_opening(&self, pending: &PendingSession) -> Result<Vec<u8>, DeviceError> {
        let opening = pending.opening();
        let signature = sign_es256(&self.inner.key, &opening.to_be_signed()?).await?;
        let signature = signature
            .dyn_into::<Uint8Array>()
            .map_err(|_| DeviceError::Browser("ECDSA gave no bytes".into()))?
            .to_vec();
        Ok(opening.to_sign1(&signature)?)
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests;

//! The browser device in headless Chromium: the key in WebCrypto and IndexedDB, openings signed by
//! WebCrypto and verified by the service's own function, and the request path's typed errors.

use js_sys::{Array, Reflect};
use onshi_core::device::{
    DeviceKeyFile, DeviceKind, ProtocolError, SESSION_ID_LEN, SessionGrant, derive_session_key,
    read_authorization, read_opening, secret_from_bytes,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

use super::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function storedRecord() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("onshi-device", 1);
    open.onsuccess = () => {
      const get = open.result.transaction("device").objectStore("device").get("this-device");
      get.onsuccess = () => { open.result.close(); resolve(get.result); };
      get.onerror = () => reject(get.error);
    };
    open.onerror = () => reject(open.error);
  });
}
export const exportKey = (key) => crypto.subtle.exportKey("pkcs8", key);
"#)]
extern "C" {
    #[wasm_bindgen(catch, js_name = storedRecord)]
    async fn stored_record() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = exportKey)]
    async fn export_key(key: &JsValue) -> Result<JsValue, JsValue>;
}

const CLINIC: &str = "0110113719";

fn key_file(seed: u8) -> (String, DeviceKeyFile) {
    let secret = secret_from_bytes(&[seed; 32]).unwrap_or_else(|e| panic!("{e}"));
    let file = DeviceKeyFile::new("d0123456789abcdef", CLINIC, DeviceKind::Tablet, &secret);
    let json = file.to_json().unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8(json.to_vec()).unwrap_or_else(|e| panic!("{e}"));
    (text, file)
}

async fn imported(seed: u8) -> (Device, DeviceKeyFile) {
    let (text, file) = key_file(seed);
    let device = Device::import(&text)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    (device, file)
}

fn field(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &name.into()).unwrap_or_else(|e| panic!("{e:?}"))
}

fn pending(device: &Device, seed: u8) -> PendingSession {
    PendingSession::new(
        device.id(),
        device.institution(),
        now(),
        [seed; NONCE_LEN],
        &[seed; 32],
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[wasm_bindgen_test]
async fn an_imported_key_is_stored_unextractable_loaded_and_forgotten() {
    let (device, _) = imported(31).await;
    assert_eq!(device.id(), "d0123456789abcdef");
    assert_eq!(device.institution(), CLINIC);
    assert_eq!(device.kind(), DeviceKind::Tablet);

    let record = stored_record().await.unwrap_or_else(|e| panic!("{e:?}"));
    let record_object: &js_sys::Object = record.unchecked_ref();
    let names: Vec<String> = js_sys::Object::keys(record_object)
        .iter()
        .filter_map(|k| k.as_string())
        .collect();
    assert_eq!(names, ["device_id", "institution", "kind", "key"]);
    let key = field(&record, "key");
    assert_eq!(field(&key, "type").as_string().as_deref(), Some("private"));
    assert_eq!(field(&key, "extractable").as_bool(), Some(false));
    let usages: Array = field(&key, "usages").unchecked_into();
    assert_eq!(usages.to_vec(), [JsValue::from_str("sign")]);
    assert!(
        export_key(&key).await.is_err(),
        "the key must not leave WebCrypto"
    );

    let loaded = Device::load()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the imported device is stored"));
    assert_eq!(
        (loaded.id(), loaded.institution(), loaded.kind()),
        (device.id(), device.institution(), device.kind())
    );
    assert_ne!(loaded, device);
    assert_eq!(device.clone(), device);

    Device::forget().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        Device::load()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_none()
    );
}

#[wasm_bindgen_test]
async fn openings_signed_by_webcrypto_verify_with_the_registered_key() {
    let (device, file) = imported(32).await;
    let registered = file.signing_key().unwrap_or_else(|e| panic!("{e}"));
    // ECDSA draws a fresh k each time, so s lands in either half: both must verify.
    for seed in 1..=6 {
        let pending = pending(&device, seed);
        let sign1 = device
            .sign_opening(&pending)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let opening = read_opening(&sign1)
            .and_then(|read| read.verify(registered.verifying_key()))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&opening, pending.opening());
    }
    // A loaded device signs with the stored key just the same.
    let loaded = Device::load()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("stored"));
    let pending = pending(&loaded, 7);
    let sign1 = loaded
        .sign_opening(&pending)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let other = secret_from_bytes(&[33; 32]).unwrap_or_else(|e| panic!("{e}"));
    let read = read_opening(&sign1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        read.verify(&p256_verifying(&other)).err(),
        Some(ProtocolError::Signature)
    );
    Device::forget().await.unwrap_or_else(|e| panic!("{e}"));
}

fn p256_verifying(secret: &onshi_core::device::SecretKey) -> onshi_core::device::VerifyingKey {
    *onshi_core::device::SigningKey::from(secret).verifying_key()
}

#[wasm_bindgen_test]
async fn the_session_key_and_request_macs_match_the_service() {
    let (device, file) = imported(34).await;
    let pending = pending(&device, 9);
    let sign1 = device
        .sign_opening(&pending)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // The service's side, with the service's functions.
    let registered = file.signing_key().unwrap_or_else(|e| panic!("{e}"));
    let opening = read_opening(&sign1)
        .and_then(|r| r.verify(registered.verifying_key()))
        .unwrap_or_else(|e| panic!("{e}"));
    let service = secret_from_bytes(&[35; 32]).unwrap_or_else(|e| panic!("{e}"));
    let id = [8u8; SESSION_ID_LEN];
    let service_key = derive_session_key(
        &service,
        &opening.ephemeral,
        &id,
        &opening.ephemeral,
        &service.public_key(),
    );
    let grant = SessionGrant::new(&id, &service.public_key(), now() + 60);
    let mut session = pending.complete(&grant).unwrap_or_else(|e| panic!("{e}"));
    let header = session
        .authorization("POST", "/v1/checks", b"{}", now())
        .unwrap_or_else(|e| panic!("{e}"));
    let claims = read_authorization(&header)
        .and_then(|r| r.verify(&service_key))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((claims.counter, claims.path.as_str()), (1, "/v1/checks"));
    Device::forget().await.unwrap_or_else(|e| panic!("{e}"));
}

#[wasm_bindgen_test]
async fn what_cannot_work_is_a_typed_error() {
    let refused = Device::import("{\"device_id\": \"x\"}").await.err();
    assert_eq!(
        refused,
        Some(DeviceError::Protocol(ProtocolError::KeyFile(
            "not its JSON form"
        )))
    );
    // The test page's server is no onshi service: the opening is refused, with its status.
    let (device, _) = imported(36).await;
    match device.request("GET", "/v1/institutions/me", b"").await {
        Err(DeviceError::Refused {
            status,
            error: None,
        }) => assert!(status >= 400, "{status}"),
        other => panic!("expected a refused opening, got {other:?}"),
    }
    Device::forget().await.unwrap_or_else(|e| panic!("{e}"));
}

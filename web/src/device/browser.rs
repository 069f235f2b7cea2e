//! The browser's side of the device: IndexedDB for the stored device, WebCrypto for the key and
//! randomness, `fetch` for the service. Nothing here decides anything about the protocol.

use wasm_bindgen::prelude::*;

use super::DeviceError;

#[wasm_bindgen(inline_js = r#"
const DB = "onshi-device", STORE = "device", KEY = "this-device";

function database() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function inStore(mode, act) {
  const db = await database();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = act(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export const storeDevice = (record) => inStore("readwrite", (s) => s.put(record, KEY));
export const loadDevice = () => inStore("readonly", (s) => s.get(KEY));
export const forgetDevice = () => inStore("readwrite", (s) => s.delete(KEY));

export const importSigningKey = (pkcs8) =>
  crypto.subtle.importKey("pkcs8", pkcs8, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);

export async function signEs256(key, data) {
  return new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, data));
}

export function fillRandom(out) {
  crypto.getRandomValues(out);
}
"#)]
extern "C" {
    #[wasm_bindgen(catch, js_name = storeDevice)]
    pub(super) async fn store_device(record: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = loadDevice)]
    pub(super) async fn load_device() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = forgetDevice)]
    pub(super) async fn forget_device() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = importSigningKey)]
    pub(super) async fn import_signing_key(pkcs8: &[u8]) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = signEs256)]
    pub(super) async fn sign_es256(key: &JsValue, data: &[u8]) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = fillRandom)]
    pub(super) fn fill_random(out: &mut [u8]) -> Result<(), JsValue>;
}

/// The device's clock, Unix seconds.
pub(super) fn now() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

/// One HTTP exchange through the page's [`crate::api::send`]: the status and the body, whatever the
/// status. A request that never reached the service is the browser's failure.
pub(super) async fn fetch(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<(u16, Vec<u8>), DeviceError> {
    let body = (!body.is_empty()).then_some(body);
    crate::api::send(method, url, body, None, headers)
        .await
        .map(|answer| (answer.status, answer.body))
        .map_err(|e| DeviceError::Browser(e.message.en))
}

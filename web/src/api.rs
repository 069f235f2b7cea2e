//! サービスとの通信: JSON over fetch to onshi-server (same origin), with the service's typed errors
//! (`{"error": {"code", "ja", "en"}}`) kept as they are, and one error of our own when the network
//! itself fails.

use onshi_core::i18n::Message;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

/// A refusal of the service, or a failure to reach it.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status (0 when the service was not reached).
    pub status: u16,
    /// The stable code (`CARD_NOT_REGISTERED`, …, or [`ApiError::NETWORK`]).
    pub code: String,
    /// What the person should know, in both languages.
    pub message: Message,
}

impl ApiError {
    /// The code of a request that never reached the service (offline, DNS, refused connection).
    pub const NETWORK: &'static str = "NETWORK";

    /// The service could not be reached.
    pub fn network() -> Self {
        Self {
            status: 0,
            code: Self::NETWORK.to_owned(),
            message: Message::new(
                "サービスに接続できませんでした。通信状態を確かめて、もう一度お試しください。",
                "The service could not be reached. Check the connection and try again.",
            ),
        }
    }

    /// An answer that is not what the service promises.
    pub fn unreadable(status: u16) -> Self {
        Self {
            status,
            code: "UNREADABLE_ANSWER".to_owned(),
            message: Message::new(
                "サービスの応答を読み取れませんでした。時間をおいてもう一度お試しください。",
                "The service's answer could not be read. Try again later.",
            ),
        }
    }

    /// Whether the request never reached the service (so it may be queued and sent later).
    pub fn is_network(&self) -> bool {
        self.code == Self::NETWORK
    }

    /// Reads the service's error body, or names the status when the body is not one.
    pub fn from_answer(status: u16, body: &[u8]) -> Self {
        #[derive(serde::Deserialize)]
        struct Body {
            error: Inner,
        }
        #[derive(serde::Deserialize)]
        struct Inner {
            code: String,
            ja: String,
            en: String,
        }
        match serde_json::from_slice::<Body>(body) {
            Ok(Body { error }) => Self {
                status,
                code: error.code,
                message: Message::new(error.ja, error.en),
            },
            Err(_) => Self::unreadable(status),
        }
    }
}

/// An answer of the service: status and body bytes.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as `T` when the status is 2xx, else the service's error.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        if !(200..300).contains(&self.status) {
            return Err(ApiError::from_answer(self.status, &self.body));
        }
        serde_json::from_slice(&self.body).map_err(|_| ApiError::unreadable(self.status))
    }

    /// `Ok(())` when the status is 2xx, else the service's error.
    pub fn ok(&self) -> Result<(), ApiError> {
        if (200..300).contains(&self.status) {
            Ok(())
        } else {
            Err(ApiError::from_answer(self.status, &self.body))
        }
    }
}

/// Sends one request and returns the answer whatever its status; only a failure to reach the service
/// is an error. `headers` are added as given (an `Authorization` of a device, a bearer token).
pub async fn send(
    method: &str,
    url: &str,
    body: Option<&[u8]>,
    content_type: Option<&str>,
    headers: &[(&str, &str)],
) -> Result<Answer, ApiError> {
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        init.set_body(&js_sys::Uint8Array::from(body).into());
    }
    let request = Request::new_with_str_and_init(url, &init).map_err(|_| ApiError::network())?;
    let set = |name: &str, value: &str| request.headers().set(name, value);
    if let Some(kind) = content_type {
        set("Content-Type", kind).map_err(|_| ApiError::network())?;
    }
    for (name, value) in headers {
        set(name, value).map_err(|_| ApiError::network())?;
    }
    let window = web_sys::window().ok_or_else(ApiError::network)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .and_then(JsValue::dyn_into)
        .map_err(|_| ApiError::network())?;
    let buffer = response
        .array_buffer()
        .map(JsFuture::from)
        .map_err(|_| ApiError::network())?
        .await
        .map_err(|_| ApiError::network())?;
    Ok(Answer {
        status: response.status(),
        body: js_sys::Uint8Array::new(&buffer).to_vec(),
    })
}

/// `GET path` → `T`.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    send("GET", path, None, None, &[]).await?.json()
}

/// `GET path` with a bearer token (the patient's own view) → `T`.
pub async fn get_with_token<T: DeserializeOwned>(path: &str, token: &str) -> Result<T, ApiError> {
    let auth = format!("Bearer {token}");
    send("GET", path, None, None, &[("Authorization", &auth)])
        .await?
        .json()
}

/// `POST path` with a JSON body → `T`.
pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    post_with(path, body, &[]).await?.json()
}

/// `POST path` with a JSON body and extra headers, whatever the answer.
pub async fn post_with<B: Serialize>(
    path: &str,
    body: &B,
    headers: &[(&str, &str)],
) -> Result<Answer, ApiError> {
    let bytes = serde_json::to_vec(body).map_err(|_| ApiError::unreadable(0))?;
    send(
        "POST",
        path,
        Some(&bytes),
        Some("application/json"),
        headers,
    )
    .await
}

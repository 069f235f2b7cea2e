//! Driving the reader bridge over HTTP as a web page does: core's JPKI procedures, each APDU relayed
//! through `POST /bridge/v1/connections/{id}/apdu`.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use onshi_core::card::CardError;
use onshi_core::card::host::{from_hex, to_hex};
use onshi_core::card::jpki::{Next, Procedure};
use onshi_core::card::layout::{JPKI_AID, jpki_ef};
use serde_json::{Value, json};
use tower::ServiceExt;

/// An answer: status, headers, JSON body (Null when empty).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The error code of an error answer.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

/// One request through the router, with extra headers.
pub async fn call_with(
    router: &Router,
    method: Method,
    uri: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> Answer {
    let mut request = Request::builder().method(method).uri(uri);
    if body.is_some() {
        request = request.header("content-type", "application/json");
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))
        .unwrap_or_else(|e| panic!("{e}"));
    let response = router
        .clone()
        .oneshot(request)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .to_bytes();
    Answer {
        status,
        headers,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

/// One request without extra headers.
pub async fn call(router: &Router, method: Method, uri: &str, body: Option<Value>) -> Answer {
    let body = body.map(|b| b.to_string());
    call_with(router, method, uri, body.as_deref(), &[]).await
}

/// The readers as listed: (name, card present).
pub async fn readers(router: &Router) -> Vec<(String, bool)> {
    let answer = call(router, Method::GET, "/bridge/v1/readers", None).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body["readers"]
        .as_array()
        .unwrap_or_else(|| panic!("no readers in {}", answer.body))
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap_or_default().to_owned(),
                r["card"]
                    .as_bool()
                    .unwrap_or_else(|| panic!("card flag in {r}")),
            )
        })
        .collect()
}

/// Connects to the card in `reader`.
pub async fn try_connect(router: &Router, reader: &str) -> Answer {
    call(
        router,
        Method::POST,
        "/bridge/v1/connections",
        Some(json!({ "reader": reader })),
    )
    .await
}

/// Connects to the card in `reader`: (connection id, ATR hex).
pub async fn connect(router: &Router, reader: &str) -> (String, String) {
    let answer = try_connect(router, reader).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let field = |name: &str| {
        answer.body[name]
            .as_str()
            .unwrap_or_else(|| panic!("no {name} in {}", answer.body))
            .to_owned()
    };
    (field("connection"), field("atr"))
}

/// Relays one command.
pub async fn apdu(router: &Router, connection: &str, command: &str) -> Answer {
    call(
        router,
        Method::POST,
        &format!("/bridge/v1/connections/{connection}/apdu"),
        Some(json!({ "command": command })),
    )
    .await
}

/// Relays one command that must be answered: the card's response bytes.
pub async fn transmit(router: &Router, connection: &str, command: &[u8]) -> Vec<u8> {
    let answer = apdu(router, connection, &to_hex(command)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let hex = answer.body["response"]
        .as_str()
        .unwrap_or_else(|| panic!("no response in {}", answer.body));
    assert_eq!(
        hex,
        hex.to_ascii_uppercase(),
        "responses are upper-case hex"
    );
    from_hex(hex).unwrap_or_else(|| panic!("response {hex} is not hex"))
}

/// Runs a procedure of core's JPKI client to its end through the bridge; also returns how many
/// APDUs it took.
pub async fn run<P: Procedure>(
    router: &Router,
    connection: &str,
    mut procedure: P,
) -> (Result<P::Output, CardError>, u32) {
    let mut response: Option<Vec<u8>> = None;
    let mut count = 0;
    loop {
        match procedure.next(response.as_deref()) {
            Next::Send(command) => {
                count += 1;
                response = Some(transmit(router, connection, &command.to_bytes()).await);
            }
            Next::Done(result) => return (result, count),
        }
    }
}

/// Closes a connection.
pub async fn disconnect(router: &Router, connection: &str) -> Answer {
    call(
        router,
        Method::DELETE,
        &format!("/bridge/v1/connections/{connection}"),
        None,
    )
    .await
}

/// SELECT the JPKI AP (a new application session: nothing verified).
pub async fn select_jpki(router: &Router, connection: &str) {
    let select_ap = [&[0x00, 0xA4, 0x04, 0x0C, 0x0A][..], &JPKI_AID].concat();
    assert_eq!(transmit(router, connection, &select_ap).await, [0x90, 0x00]);
}

/// SELECT the authentication PIN and VERIFY `pin`: the card's status word.
pub async fn verify_pin(router: &Router, connection: &str, pin: &str) -> Vec<u8> {
    let [hi, lo] = jpki_ef::AUTH_PIN.to_be_bytes();
    let select_pin = [0x00, 0xA4, 0x02, 0x0C, 0x02, hi, lo];
    assert_eq!(
        transmit(router, connection, &select_pin).await,
        [0x90, 0x00]
    );
    let verify = [&[0x00, 0x20, 0x00, 0x80, 0x04][..], pin.as_bytes()].concat();
    transmit(router, connection, &verify).await
}

/// SELECT the authentication key EF in the current application: the card's answer (6A 82 on a
/// card just reset, where no application is selected).
pub async fn select_auth_key(router: &Router, connection: &str) -> Vec<u8> {
    let [hi, lo] = jpki_ef::AUTH_KEY.to_be_bytes();
    transmit(router, connection, &[0x00, 0xA4, 0x02, 0x0C, 0x02, hi, lo]).await
}

/// SELECT the authentication key and sign 32 bytes: the card's status word (69 82 unless the PIN
/// was verified in this session).
pub async fn sign_status(router: &Router, connection: &str) -> [u8; 2] {
    assert_eq!(select_auth_key(router, connection).await, [0x90, 0x00]);
    let sign = [&[0x80, 0x2A, 0x00, 0x80, 0x20][..], &[0x5A; 32], &[0x00]].concat();
    let answer = transmit(router, connection, &sign).await;
    let n = answer.len();
    assert!(n >= 2, "no status word in {answer:02X?}");
    [answer[n - 2], answer[n - 1]]
}

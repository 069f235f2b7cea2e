//! The JPKI card client for JS: the host carries the APDUs (a reader bridge, a native app, or the
//! virtual card), onshi-core decides every byte. See `onshi_core::card::host` for the JSON shapes.

use onshi_core::card::host::{HostProcedure, HostStep, transport_error_outcome};
use onshi_core::card::transport::TransportError;
use wasm_bindgen::prelude::*;

/// A card procedure driven one APDU at a time, so the page can `await` its transport between steps:
///
/// ```js
/// const p = CardProcedure.start("authenticate", JSON.stringify({ pin, challenge, last_try: "refuse" }));
/// let step = p.next();
/// while (step.send) step = p.next(await transmit(step.send));
/// const outcome = JSON.parse(step.outcome);
/// ```
#[wasm_bindgen]
pub struct CardProcedure {
    inner: Result<HostProcedure, Option<String>>,
}

/// One step: bytes to send to the card, or the outcome JSON.
#[wasm_bindgen(getter_with_clone)]
pub struct CardStep {
    /// The command APDU to send, until the procedure is done.
    pub send: Option<Vec<u8>>,
    /// `{"ok": …}` or `{"error": {"code", "ja", "en", "tries_left"?}}`, once done.
    pub outcome: Option<String>,
}

#[wasm_bindgen]
impl CardProcedure {
    /// Starts `probe`, `authenticate`, `read_certificate` or `read_basic_info` with its JSON input.
    /// Bad input (an unknown procedure, a PIN that is not 4 digits) makes the first step the error.
    pub fn start(procedure: &str, input: &str) -> CardProcedure {
        CardProcedure {
            inner: HostProcedure::new(procedure, input).map_err(Some),
        }
    }

    /// The next step, given the card's response to the last command (nothing at the start).
    pub fn next(&mut self, response: Option<Vec<u8>>) -> CardStep {
        let step = match &mut self.inner {
            Ok(p) => p.next(response.as_deref()),
            Err(outcome) => HostStep::Done(outcome.take().unwrap_or_else(|| {
                r#"{"error":{"code":"CARD_INPUT","ja":"手続きは終了しています","en":"the procedure has ended"}}"#
                    .to_owned()
            })),
        };
        match step {
            HostStep::Send(bytes) => CardStep {
                send: Some(bytes),
                outcome: None,
            },
            HostStep::Done(outcome) => CardStep {
                send: None,
                outcome: Some(outcome),
            },
        }
    }
}

/// Runs a procedure to its end over a synchronous `transmit(command: Uint8Array): Uint8Array`
/// (a virtual card, a test script). A `transmit` that throws ends it with `CARD_REMOVED` or `NO_CARD`
/// when the Error's message is that code, otherwise `TRANSPORT_FAILED`.
#[wasm_bindgen(js_name = runCardProcedure)]
pub fn run_card_procedure(procedure: &str, input: &str, transmit: &js_sys::Function) -> String {
    let mut p = CardProcedure::start(procedure, input);
    let mut step = p.next(None);
    while let Some(command) = step.send.take() {
        let response = match transmit.call1(
            &JsValue::NULL,
            &js_sys::Uint8Array::from(command.as_slice()),
        ) {
            Ok(r) if r.is_instance_of::<js_sys::Uint8Array>() => {
                js_sys::Uint8Array::new(&r).to_vec()
            }
            Ok(_) => {
                return transport_error_outcome(TransportError::Failed(
                    "transmit returned no Uint8Array".into(),
                ));
            }
            // A transport may throw an Error whose message is a transport code (as VirtualCard does).
            Err(e) => {
                let message = e
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_default();
                return transport_error_outcome(match message.as_str() {
                    "CARD_REMOVED" => TransportError::CardRemoved,
                    "NO_CARD" => TransportError::NoCard,
                    _ => TransportError::Failed("transmit threw".into()),
                });
            }
        };
        step = p.next(Some(response));
    }
    step.outcome.unwrap_or_default()
}

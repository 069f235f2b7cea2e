//! Card procedures for hosts that carry the bytes themselves and speak JSON (the browser through Wasm,
//! which must await a reader bridge or a native app between APDUs).
//!
//! Input: `{"pin": "1234", "challenge": "<hex>", "last_try": "refuse"|"allow", "certificate":
//! "read"|"known"}` (only what the procedure needs). Output, once done: `{"ok": …}` with bytes as
//! upper-case hex, or `{"error": {"code", "ja", "en", "tries_left"?}}` — the shapes of
//! `tests/vectors/card.json`.

use serde::Deserialize;
use serde_json::{Value, json};

use super::CardError;
use super::jpki::{
    Authenticate, CertificateRead, LastTry, Next, Probe, Procedure, ReadCertificate,
};
use super::kenmen::ReadBasicInfo;
use super::pin::Pin;
use super::transport::TransportError;
use crate::i18n::Message;

/// One of the card procedures, chosen by name.
#[derive(Debug)]
pub enum HostProcedure {
    /// `probe`: token kind and PIN counter.
    Probe(Probe),
    /// `authenticate`: PIN, signature over the challenge, certificate.
    Authenticate(Authenticate),
    /// `read_certificate`: the 利用者証明用電子証明書 without a PIN.
    ReadCertificate(ReadCertificate),
    /// `read_basic_info`: the 券面事項入力補助AP's basic four.
    ReadBasicInfo(ReadBasicInfo),
}

/// What the host does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostStep {
    /// Send these bytes to the card and call [`HostProcedure::next`] with its answer.
    Send(Vec<u8>),
    /// Finished: the outcome JSON.
    Done(String),
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Input {
    #[serde(default)]
    pin: Option<String>,
    #[serde(default)]
    challenge: Option<String>,
    #[serde(default)]
    last_try: LastTry,
    #[serde(default)]
    certificate: CertificateRead,
}

/// Upper-case hex of bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Bytes from hex (either case); `None` for odd length or a non-hex character.
pub fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() % 2 != 0 || !hex.is_ascii() {
        return None;
    }
    (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
        .collect()
}

fn error_json(code: &str, message: Message, tries_left: Option<u8>) -> String {
    let mut error = json!({"code": code, "ja": message.ja, "en": message.en});
    if let (Some(n), Some(map)) = (tries_left, error.as_object_mut()) {
        map.insert("tries_left".into(), json!(n));
    }
    json!({ "error": error }).to_string()
}

fn card_error_json(e: &CardError) -> String {
    let tries = match e {
        CardError::WrongPin { tries_left } => Some(*tries_left),
        _ => None,
    };
    error_json(e.code(), e.message(), tries)
}

/// The outcome JSON when the host's transport fails (the procedure ends there).
pub fn transport_error_outcome(e: TransportError) -> String {
    card_error_json(&CardError::Transport(e))
}

fn input_error(detail: &str) -> String {
    error_json(
        "CARD_INPUT",
        Message::new(
            format!("カード操作の指定が正しくありません: {detail}"),
            format!("Invalid card request: {detail}"),
        ),
        None,
    )
}

impl HostProcedure {
    /// Builds a procedure from its name and JSON input. An error is the outcome JSON to report at once
    /// (unknown procedure, malformed input, or a PIN that is not 4 digits — refused before any APDU).
    pub fn new(procedure: &str, input: &str) -> Result<Self, String> {
        let input: Input = if input.trim().is_empty() {
            Input::default()
        } else {
            // serde's own message can quote a value (a PIN typed as a number): give the position only.
            serde_json::from_str(input).map_err(|e| {
                input_error(&format!(
                    "unreadable input at line {}, column {}",
                    e.line(),
                    e.column()
                ))
            })?
        };
        let pin = || -> Result<Pin, String> {
            Pin::new(input.pin.as_deref().unwrap_or_default())
                .map_err(|e| error_json(e.code(), e.message(), None))
        };
        Ok(match procedure {
            "probe" => Self::Probe(Probe::new()),
            "read_certificate" => Self::ReadCertificate(ReadCertificate::new()),
            "authenticate" => {
                let pin = pin()?;
                let challenge = input
                    .challenge
                    .as_deref()
                    .and_then(from_hex)
                    .filter(|c| !c.is_empty())
                    .ok_or_else(|| input_error("challenge must be non-empty hex"))?;
                Self::Authenticate(Authenticate::new(
                    pin,
                    &challenge,
                    input.last_try,
                    input.certificate,
                ))
            }
            "read_basic_info" => Self::ReadBasicInfo(ReadBasicInfo::new(pin()?, input.last_try)),
            other => return Err(input_error(&format!("unknown procedure {other:?}"))),
        })
    }

    /// The next step, given the card's answer to the last command (`None` to start).
    pub fn next(&mut self, response: Option<&[u8]>) -> HostStep {
        fn step<P: Procedure>(
            p: &mut P,
            r: Option<&[u8]>,
            ok: impl FnOnce(P::Output) -> Value,
        ) -> HostStep {
            match p.next(r) {
                Next::Send(command) => HostStep::Send(command.to_bytes()),
                Next::Done(Ok(out)) => HostStep::Done(json!({ "ok": ok(out) }).to_string()),
                Next::Done(Err(e)) => HostStep::Done(card_error_json(&e)),
            }
        }
        match self {
            Self::Probe(p) => step(p, response, |s| json!({"token": s.token, "pin": s.pin})),
            Self::ReadCertificate(p) => step(p, response, |c| json!({"certificate": to_hex(&c)})),
            Self::Authenticate(p) => step(
                p,
                response,
                |a| json!({"signature": to_hex(&a.signature), "certificate": a.certificate.as_deref().map(to_hex)}),
            ),
            Self::ReadBasicInfo(p) => step(
                p,
                response,
                |b| json!({"name": b.name, "address": b.address, "birth_date": b.birth_date, "sex": b.sex.code()}),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_pin_is_refused_before_any_apdu() {
        let e = HostProcedure::new("authenticate", r#"{"pin":"12","challenge":"00"}"#).err();
        assert!(e.is_some_and(|e| e.contains("PIN_WRONG_LENGTH")));
    }

    #[test]
    fn input_errors_never_echo_the_pin() {
        let e = HostProcedure::new("authenticate", r#"{"pin":"9876","challenge":"zz"}"#).err();
        assert!(e.is_some_and(|e| e.contains("CARD_INPUT") && !e.contains("9876")));
        let e = HostProcedure::new("authenticate", r#"{"pin":9876}"#).err();
        assert!(e.is_some_and(|e| !e.contains("9876")));
    }

    #[test]
    fn a_probe_starts_by_selecting_the_jpki_application() {
        let mut p = HostProcedure::new("probe", "").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            p.next(None),
            HostStep::Send(from_hex("00A4040C0AD392F000260100000001").unwrap_or_default())
        );
        assert!(
            matches!(p.next(Some(&[0x6A, 0x82])), HostStep::Done(s) if s.contains("CARD_NOT_JPKI"))
        );
    }
}

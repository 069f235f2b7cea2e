//! The card-protocol vectors (`tests/vectors/card.json`): APDU scripts every binding replays through its
//! own card transport, so the JPKI client is proven to send the same bytes and decide the same way
//! everywhere.

use onshi_core::card::CardError;
use onshi_core::card::jpki::{
    self, Authenticate, CardStatus, CertificateRead, LastTry, Probe, ReadCertificate,
};
use onshi_core::card::kenmen::ReadBasicInfo;
use onshi_core::card::pin::Pin;
use onshi_core::card::transport::{CardTransport, TransportError};
use serde::Deserialize;
use serde_json::{Value, json};

/// The card vectors, embedded so that Wasm tests need no file system.
pub const CARD_JSON: &str = include_str!("../vectors/card.json");

/// The file of card vectors.
#[derive(Debug, Deserialize)]
pub struct CardVectors {
    /// The cases, in file order.
    pub cases: Vec<CardCase>,
}

/// One scripted card session.
#[derive(Debug, Clone, Deserialize)]
pub struct CardCase {
    /// What the case shows.
    pub name: String,
    /// `probe`, `authenticate`, `read_certificate` or `read_basic_info`.
    pub procedure: String,
    /// The procedure's input: `pin`, `challenge` (hex), `last_try` (`refuse`/`allow`), `certificate`
    /// (`read`/`known`).
    pub input: Value,
    /// Pairs of (command the client must send, response the card gives), hex.
    pub exchanges: Vec<(String, String)>,
    /// `{"ok": …}` or `{"error": {"code": …, "tries_left"?: n}}`.
    pub expect: Value,
}

/// Loads the card vectors.
pub fn card_vectors() -> Vec<CardCase> {
    let v: CardVectors = serde_json::from_str(CARD_JSON)
        .unwrap_or_else(|e| panic!("tests/vectors/card.json is malformed: {e}"));
    v.cases
}

/// Upper-case hex.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Bytes from hex (the vectors' own, so a bad digit is a broken vector file).
pub fn from_hex(hex: &str) -> Vec<u8> {
    (0..hex.len() / 2)
        .map(|i| {
            u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)
                .unwrap_or_else(|e| panic!("bad hex in card vectors: {e}"))
        })
        .collect()
}

/// A transport that plays the card's side of one case and notes every command that differs.
#[derive(Debug)]
pub struct ScriptTransport {
    exchanges: Vec<(String, String)>,
    next: usize,
    /// Differences between what was sent and what the script expects.
    pub mismatches: Vec<String>,
}

impl ScriptTransport {
    /// The card side of `case`.
    pub fn new(case: &CardCase) -> Self {
        Self {
            exchanges: case.exchanges.clone(),
            next: 0,
            mismatches: Vec::new(),
        }
    }

    /// Answers `command`, noting a mismatch when it is not the script's next command.
    pub fn answer(&mut self, command: &[u8]) -> Vec<u8> {
        let sent = to_hex(command);
        let Some((expected, response)) = self.exchanges.get(self.next) else {
            self.mismatches.push(format!("extra command {sent}"));
            return vec![0x6D, 0x00];
        };
        if sent != *expected {
            self.mismatches.push(format!(
                "command {}: sent {sent}, expected {expected}",
                self.next
            ));
        }
        self.next += 1;
        from_hex(response)
    }

    /// Whether every scripted command was sent.
    pub fn finished(&self) -> bool {
        self.next == self.exchanges.len()
    }
}

impl CardTransport for ScriptTransport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        Ok(self.answer(command))
    }
}

/// The outcome JSON for an error code and optional tries left.
pub fn error_outcome(code: &str, tries_left: Option<u8>) -> Value {
    match tries_left {
        Some(n) => json!({"error": {"code": code, "tries_left": n}}),
        None => json!({"error": {"code": code}}),
    }
}

fn card_error(e: &CardError) -> Value {
    let tries = match e {
        CardError::WrongPin { tries_left } => Some(*tries_left),
        _ => None,
    };
    error_outcome(e.code(), tries)
}

/// The outcome JSON of a probe.
pub fn status_outcome(s: &CardStatus) -> Value {
    json!({"ok": {"token": s.token, "pin": s.pin}})
}

fn input_str<'a>(case: &'a CardCase, key: &str) -> &'a str {
    case.input
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Runs `case` through onshi-core directly, over `transport`.
pub fn core_outcome(case: &CardCase, transport: &mut impl CardTransport) -> Value {
    let last_try = match input_str(case, "last_try") {
        "allow" => LastTry::Allow,
        _ => LastTry::Refuse,
    };
    let pin = || Pin::new(input_str(case, "pin"));
    let result = match case.procedure.as_str() {
        "probe" => jpki::run(Probe::new(), transport).map(|s| status_outcome(&s)),
        "read_certificate" => jpki::run(ReadCertificate::new(), transport)
            .map(|c| json!({"ok": {"certificate": to_hex(&c)}})),
        "authenticate" => {
            let pin = match pin() {
                Ok(pin) => pin,
                Err(e) => return error_outcome(e.code(), None),
            };
            let certificate = match input_str(case, "certificate") {
                "known" => CertificateRead::Known,
                _ => CertificateRead::Read,
            };
            let challenge = from_hex(input_str(case, "challenge"));
            jpki::run(
                Authenticate::new(pin, &challenge, last_try, certificate),
                transport,
            )
            .map(|a| {
                json!({"ok": {
                    "signature": to_hex(&a.signature),
                    "certificate": a.certificate.as_deref().map(to_hex),
                }})
            })
        }
        "read_basic_info" => {
            let pin = match pin() {
                Ok(pin) => pin,
                Err(e) => return error_outcome(e.code(), None),
            };
            jpki::run(ReadBasicInfo::new(pin, last_try), transport).map(|b| {
                json!({"ok": {
                    "name": b.name, "address": b.address, "birth_date": b.birth_date,
                    "sex": b.sex.code(),
                }})
            })
        }
        other => panic!("unknown procedure in card vectors: {other}"),
    };
    result.unwrap_or_else(|e| card_error(&e))
}

/// Whether `got` is the expected outcome: the same `ok` value, or the same error code (and tries left,
/// where the case gives them). Messages are not compared: they are for people.
pub fn outcome_matches(expect: &Value, got: &Value) -> bool {
    match (expect.get("ok"), expect.get("error")) {
        (Some(ok), _) => got.get("ok") == Some(ok),
        (_, Some(error)) => {
            let got = got.get("error");
            got.and_then(|g| g.get("code")) == error.get("code")
                && error
                    .get("tries_left")
                    .is_none_or(|t| got.and_then(|g| g.get("tries_left")) == Some(t))
        }
        _ => false,
    }
}

/// Runs `case` through the JSON host procedure (the path the browser takes), over `transport`.
pub fn host_outcome(case: &CardCase, transport: &mut impl CardTransport) -> Value {
    use onshi_core::card::host::{HostProcedure, HostStep};
    let parse =
        |s: String| serde_json::from_str(&s).unwrap_or_else(|e| panic!("outcome is not JSON: {e}"));
    let mut procedure = match HostProcedure::new(&case.procedure, &case.input.to_string()) {
        Ok(p) => p,
        Err(outcome) => return parse(outcome),
    };
    let mut response: Option<Vec<u8>> = None;
    loop {
        match procedure.next(response.as_deref()) {
            HostStep::Done(outcome) => return parse(outcome),
            HostStep::Send(command) => match transport.transmit(&command) {
                Ok(r) => response = Some(r),
                Err(e) => return error_outcome(e.code(), None),
            },
        }
    }
}

/// Replays every card case: `run` performs the case over the given script transport (in whatever layer
/// is under test) and returns the outcome JSON. Returns a description of each mismatch.
pub fn replay_card(run: impl Fn(&CardCase, &mut ScriptTransport) -> Value) -> Vec<String> {
    card_vectors()
        .iter()
        .filter_map(|case| {
            let mut transport = ScriptTransport::new(case);
            let got = run(case, &mut transport);
            let mut problems = std::mem::take(&mut transport.mismatches);
            if !outcome_matches(&case.expect, &got) {
                problems.push(format!("outcome {got}, expected {}", case.expect));
            }
            if !transport.finished() && problems.is_empty() {
                problems.push("stopped before the script ended".into());
            }
            (!problems.is_empty()).then(|| format!("{}: {}", case.name, problems.join("; ")))
        })
        .collect()
}

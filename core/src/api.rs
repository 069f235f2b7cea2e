//! One JSON entry point to every rule, for the bindings and the conformance vectors.
//!
//! `call(rule, request)` takes the rule's name and its request as JSON and answers
//! `{"ok": …}` or `{"error": {"code", "ja", "en"}}`. Bindings (Wasm, Kotlin, Swift, Python)
//! expose it as it is, so every rule is reachable from every language with no logic of its own,
//! and `tests/vectors/rules.json` replays the same requests everywhere. Typed Rust APIs remain
//! the way to call core from Rust.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::codes;
use crate::consent::{CareSetting, Consent, OnlineWindowEnd, resolve_window};
use crate::facility::{CapabilityQuery, FacilityKind, capability};
use crate::flows::{
    self, AccessRequest, CertificateHolder, LimitedEvent, VisitContext, VisitEvent,
    certificate_status, reinquiry_allowed,
};
use crate::i18n::Message;
use crate::jst::{Date, JstDateTime};
use crate::qualification::{
    MedAidQuery, MedAidSituation, Qualification, QueryKey, RegisteredRecord,
};

/// Every rule `call` knows, by name.
pub const RULES: [&str; 17] = [
    "code.label",
    "capability",
    "consent.window",
    "consent.state",
    "qualification.validity",
    "qualification.check",
    "medaid.pattern",
    "certificate.status",
    "reinquiry",
    "flow.first_visit",
    "flow.limited",
    "medical.access",
    "batch.evaluate",
    "oqs.file_name",
    "oqs.write_request",
    "oqs.read_result",
    "oqs.read_message",
];

/// A refusal of a call, with a stable code.
#[derive(Debug)]
struct CallError {
    code: String,
    message: Message,
}

impl CallError {
    fn new(code: impl Into<String>, message: Message) -> Self {
        Self {
            code: code.into(),
            message,
        }
    }
}

/// Answers `request` (JSON) with `rule`; never panics, whatever the input.
pub fn call(rule: &str, request: &str) -> String {
    let answer = match dispatch(rule, request) {
        Ok(v) => json!({ "ok": v }),
        Err(e) => json!({ "error": { "code": e.code, "ja": e.message.ja, "en": e.message.en } }),
    };
    answer.to_string()
}

fn parse<T: for<'de> Deserialize<'de>>(request: &str) -> Result<T, CallError> {
    serde_json::from_str(request).map_err(|e| {
        CallError::new(
            "BAD_REQUEST",
            Message::new(
                format!("要求の形式が正しくありません: {e}"),
                format!("malformed request: {e}"),
            ),
        )
    })
}

fn to_value(v: impl Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

#[derive(Deserialize)]
struct LabelRequest {
    table: String,
    code: String,
}

#[derive(Deserialize)]
struct WindowRequest {
    setting: CareSetting,
    #[serde(with = "crate::jst::serde_datetime")]
    given_at: JstDateTime,
    #[serde(default, with = "crate::jst::serde_opt_date")]
    planned_date: Option<Date>,
    #[serde(default)]
    online_end: OnlineWindowEnd,
}

#[derive(Deserialize)]
struct StateRequest {
    consent: Consent,
    #[serde(with = "crate::jst::serde_datetime")]
    now: JstDateTime,
    #[serde(default = "yes")]
    care_continues: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct ValidityRequest {
    records: Vec<RegisteredRecord>,
    key: QueryKey,
    #[serde(with = "crate::jst::serde_date")]
    date: Date,
}

#[derive(Deserialize)]
struct CheckRequest {
    qualification: Qualification,
    #[serde(with = "crate::jst::serde_date")]
    date: Date,
}

#[derive(Deserialize)]
struct MedAidRequest {
    query: MedAidQuery,
    situation: MedAidSituation,
}

#[derive(Deserialize)]
struct CertificateRequest {
    #[serde(with = "crate::jst::serde_date")]
    expiry: Date,
    #[serde(with = "crate::jst::serde_date")]
    today: Date,
    holder: CertificateHolder,
}

#[derive(Deserialize)]
struct FirstVisitRequest {
    context: VisitContext,
    events: Vec<VisitEvent>,
}

#[derive(Deserialize)]
struct LimitedRequest {
    facility: FacilityKind,
    events: Vec<LimitedEvent>,
}

#[derive(Deserialize)]
struct BatchRequest {
    csv: String,
    records: Vec<RegisteredRecord>,
    #[serde(with = "crate::jst::serde_date")]
    date: Date,
    #[serde(default = "default_max_rows")]
    max_rows: usize,
}

fn default_max_rows() -> usize {
    crate::batch::DEFAULT_MAX_ROWS
}

fn refused(code: &str, message: &Message) -> CallError {
    CallError::new(code, message.clone())
}

/// Runs a first visit's events in order; stops at the first refusal and reports where.
fn first_visit(r: FirstVisitRequest) -> Result<Value, CallError> {
    let mut state = flows::start(&r.context).map_err(|e| refused(e.code, &e.message))?;
    let mut notices = Vec::new();
    for (i, event) in r.events.iter().enumerate() {
        match flows::step(&r.context, &state, event) {
            Ok(step) => {
                notices.extend(step.notice.map(|n| n.code));
                state = step.state;
            }
            Err(e) => {
                return Ok(
                    json!({ "state": state.name(), "notices": notices, "refused": { "event": i, "code": e.code } }),
                );
            }
        }
    }
    Ok(json!({ "state": state.name(), "notices": notices, "refused": null }))
}

fn limited(r: LimitedRequest) -> Result<Value, CallError> {
    let mut state = flows::start_limited(r.facility).map_err(|e| refused(e.code, &e.message))?;
    for (i, event) in r.events.iter().enumerate() {
        match flows::step_limited(state, *event) {
            Ok(next) => state = next,
            Err(e) => {
                return Ok(
                    json!({ "state": to_value(state), "refused": { "event": i, "code": e.code } }),
                );
            }
        }
    }
    Ok(json!({ "state": to_value(state), "refused": null }))
}

fn batch(r: BatchRequest) -> Result<Value, CallError> {
    let list = crate::batch::parse_batch_list(r.csv.as_bytes(), r.max_rows)
        .map_err(|e| CallError::new(e.code(), Message::new(e.to_string(), e.to_string())))?;
    let index = crate::qualification::RecordIndex::new(&r.records);
    let report = crate::batch::evaluate_batch(&list, &index, r.date);
    let rows: Vec<Value> = report
        .rows
        .iter()
        .map(|row| json!({ "line": row.line, "status": to_value(row.status), "validity": row.validity.map(|v| v.code()), "code": row.code }))
        .collect();
    Ok(
        json!({ "valid": report.valid, "invalid": report.invalid, "errors": report.errors, "rows": rows }),
    )
}

fn dispatch(rule: &str, request: &str) -> Result<Value, CallError> {
    match rule {
        "code.label" => {
            let r: LabelRequest = parse(request)?;
            codes::label(&r.table, &r.code)
                .map(|label| json!({ "label": label }))
                .map_err(|e| {
                    let code = match e {
                        codes::LookupError::UnknownTable(_) => "CODE_TABLE_UNKNOWN",
                        codes::LookupError::UnknownCode(_) => "CODE_UNKNOWN",
                    };
                    CallError::new(code, Message::new(e.to_string(), e.to_string()))
                })
        }
        "capability" => Ok(to_value(capability(&parse::<CapabilityQuery>(request)?))),
        "consent.window" => {
            let r: WindowRequest = parse(request)?;
            resolve_window(r.setting, r.given_at, r.planned_date, r.online_end)
                .map(to_value)
                .map_err(|e| CallError::new(e.code(), Message::new(e.to_string(), e.to_string())))
        }
        "consent.state" => {
            let r: StateRequest = parse(request)?;
            let state = r.consent.state_at(r.now, r.care_continues);
            Ok(json!({
                "state": to_value(state),
                "status": state.status_code().code(),
                "expiry_reason": state.expiry_reason().map(|c| c.code()),
            }))
        }
        "qualification.validity" => {
            let r: ValidityRequest = parse(request)?;
            let d = crate::qualification::determine_validity(&r.records, &r.key, r.date);
            Ok(json!({
                "validity": d.validity.code(),
                "record": d.record,
                "reason_of_loss": d.reason_of_loss.map(|c| c.code()),
                "code": d.code,
            }))
        }
        "qualification.check" => {
            let r: CheckRequest = parse(request)?;
            Ok(
                json!({ "warnings": to_value(crate::qualification::check_record(&r.qualification, r.date)) }),
            )
        }
        "medaid.pattern" => {
            let r: MedAidRequest = parse(request)?;
            let p = crate::qualification::medaid_pattern(r.query, r.situation);
            Ok(json!({ "pattern": to_value(p), "code": p.message().0 }))
        }
        "certificate.status" => {
            let r: CertificateRequest = parse(request)?;
            let s = certificate_status(r.expiry, r.today, r.holder);
            Ok(json!({
                "status": to_value(s),
                "qualification": s.allows_qualification(),
                "medical": s.allows_medical_information(),
                "code": s.message().map(|(c, _)| c),
            }))
        }
        "reinquiry" => {
            let ctx = parse(request)?;
            Ok(match reinquiry_allowed(&ctx) {
                Ok(()) => json!({ "allowed": true }),
                Err(denied) => {
                    json!({ "allowed": false, "denied": to_value(denied), "code": "REINQUIRY_NOT_ALLOWED" })
                }
            })
        }
        "flow.first_visit" => first_visit(parse(request)?),
        "flow.limited" => limited(parse(request)?),
        "medical.access" => {
            let r: AccessRequest = parse(request)?;
            flows::decide_access(&r)
                .map(|grant| json!({ "grant": to_value(grant) }))
                .map_err(|e| refused(e.code, &e.message))
        }
        "batch.evaluate" => batch(parse(request)?),
        "oqs.write_request" => {
            #[derive(Deserialize)]
            struct WriteRequest {
                request: crate::oqs::QualificationRequest,
            }
            let r: WriteRequest = parse(request)?;
            Ok(json!({ "xml": r.request.to_xml_text(crate::oqs::XmlEncoding::Utf8) }))
        }
        "oqs.read_result" => {
            #[derive(Deserialize)]
            struct ReadRequest {
                xml: String,
            }
            let r: ReadRequest = parse(request)?;
            let result = crate::oqs::read_qualification_result(r.xml.as_bytes()).map_err(|e| {
                let code = match e {
                    crate::oqs::OqsError::Missing { .. } => "OQS_MISSING_ELEMENT",
                    crate::oqs::OqsError::Invalid { .. } => "OQS_INVALID_VALUE",
                    crate::oqs::OqsError::Document(_) => "OQS_NOT_A_MESSAGE",
                };
                CallError::new(code, Message::new(e.to_string(), e.to_string()))
            })?;
            Ok(to_value(result))
        }
        "oqs.read_message" => {
            #[derive(Deserialize)]
            struct ReadMessageRequest {
                file_name: String,
                xml: String,
            }
            let r: ReadMessageRequest = parse(request)?;
            let message =
                crate::oqs::read_message(&r.file_name, r.xml.as_bytes()).map_err(|e| {
                    use crate::oqs::{MessageError, OqsError};
                    let code = match e {
                        MessageError::FileName(_) => "OQS_FILE_NAME",
                        MessageError::Zipped(_) => "OQS_ZIPPED",
                        MessageError::Unsupported(_) => "OQS_UNSUPPORTED_MESSAGE",
                        MessageError::Oqs(OqsError::Missing { .. }) => "OQS_MISSING_ELEMENT",
                        MessageError::Oqs(OqsError::Invalid { .. }) => "OQS_INVALID_VALUE",
                        MessageError::Oqs(OqsError::Document(_)) => "OQS_NOT_A_MESSAGE",
                    };
                    CallError::new(code, Message::new(e.to_string(), e.to_string()))
                })?;
            Ok(json!({ "api": message.api().to_string(), "message": to_value(message) }))
        }
        "oqs.file_name" => {
            #[derive(Deserialize)]
            struct NameRequest {
                name: String,
            }
            let r: NameRequest = parse(request)?;
            let name: crate::oqs::FileName =
                r.name.parse().map_err(|e: crate::oqs::FileNameError| {
                    CallError::new("OQS_FILE_NAME", Message::new(e.to_string(), e.to_string()))
                })?;
            Ok(json!({
                "api": name.api.to_string(),
                "known_name": name.api.known_name(),
                "paired": name.paired().to_string(),
                "zipped": name.zipped,
                "face": name.face.map(|f| json!({ "institution": f.institution.as_str(), "id": f.id, "read_at": crate::jst::format_datetime(f.read_at) })),
            }))
        }
        other => Err(CallError::new(
            "RULE_UNKNOWN",
            Message::new(
                format!("規則 {other} はありません"),
                format!("no rule named {other}"),
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_and_refusals_are_json() {
        assert_eq!(
            call("code.label", r#"{"table":"OQSCD006","code":"3"}"#),
            r#"{"ok":{"label":"無効（新しい資格あり）"}}"#
        );
        let bad: Value = serde_json::from_str(&call("capability", "{")).unwrap();
        assert_eq!(bad["error"]["code"], "BAD_REQUEST");
        let unknown: Value = serde_json::from_str(&call("nope", "{}")).unwrap();
        assert_eq!(unknown["error"]["code"], "RULE_UNKNOWN");
    }

    #[test]
    fn every_listed_rule_is_dispatched() {
        for rule in RULES {
            let v: Value = serde_json::from_str(&call(rule, "{}")).unwrap();
            assert_ne!(v["error"]["code"], "RULE_UNKNOWN", "{rule}");
        }
    }
}

//! Identifier checks (識別番号の検証) for JS.

use onshi_core::ids::{self, IdentifierKind};
use wasm_bindgen::prelude::*;

/// The answer to "is this identifier valid, and why not".
#[wasm_bindgen(getter_with_clone)]
#[derive(Debug, Clone)]
pub struct IdentifierCheck {
    /// The kind that was checked, e.g. `insurer_number`.
    pub kind: String,
    /// Whether the input is valid.
    pub valid: bool,
    /// The canonical form, when valid.
    pub canonical: Option<String>,
    /// The error kind's code when invalid: `empty`, `characters`, `length`, `too_long`,
    /// `prefecture`, `fee_schedule` or `check_digit`.
    #[wasm_bindgen(js_name = errorKind)]
    pub error_kind: Option<String>,
    /// The check digit the body requires, for a `check_digit` error.
    #[wasm_bindgen(js_name = expectedDigit)]
    pub expected_digit: Option<u8>,
    /// What was wrong, in Japanese (empty when valid).
    #[wasm_bindgen(js_name = messageJa)]
    pub message_ja: String,
    /// What was wrong, in English (empty when valid).
    #[wasm_bindgen(js_name = messageEn)]
    pub message_en: String,
    /// What the parts of a valid identifier mean.
    pub details: Vec<IdentifierDetail>,
    /// Warnings on a valid identifier, in Japanese.
    #[wasm_bindgen(js_name = warningsJa)]
    pub warnings_ja: Vec<String>,
    /// Warnings on a valid identifier, in English.
    #[wasm_bindgen(js_name = warningsEn)]
    pub warnings_en: Vec<String>,
}

/// One part of a valid identifier and what it means.
#[wasm_bindgen(getter_with_clone)]
#[derive(Debug, Clone)]
pub struct IdentifierDetail {
    /// The part's name in Japanese.
    #[wasm_bindgen(js_name = labelJa)]
    pub label_ja: String,
    /// The part's name in English.
    #[wasm_bindgen(js_name = labelEn)]
    pub label_en: String,
    /// Its value.
    pub value: String,
}

/// The identifier kinds `checkIdentifier` accepts.
#[wasm_bindgen(js_name = identifierKinds)]
pub fn identifier_kinds() -> Vec<String> {
    IdentifierKind::ALL
        .iter()
        .map(|k| k.code().to_owned())
        .collect()
}

/// Validates `input` as an identifier of `kind` (one of `identifierKinds()`); throws on an unknown
/// kind.
#[wasm_bindgen(js_name = checkIdentifier)]
pub fn check_identifier(kind: &str, input: &str) -> Result<IdentifierCheck, JsError> {
    let parsed = IdentifierKind::from_code(kind)
        .ok_or_else(|| JsError::new(&format!("unknown identifier kind: {kind}")))?;
    Ok(ids::report(parsed, input).into())
}

impl From<ids::IdReport> for IdentifierCheck {
    fn from(r: ids::IdReport) -> Self {
        let valid = r.is_valid();
        let (message_ja, message_en) = r.message.map(|m| (m.ja, m.en)).unwrap_or_default();
        Self {
            kind: r.kind.code().to_owned(),
            valid,
            canonical: r.canonical,
            error_kind: r.error_kind.map(str::to_owned),
            expected_digit: r.expected_digit,
            message_ja,
            message_en,
            details: r
                .details
                .into_iter()
                .map(|d| IdentifierDetail {
                    label_ja: d.label.ja,
                    label_en: d.label.en,
                    value: d.value,
                })
                .collect(),
            warnings_ja: r.warnings.iter().map(|w| w.ja.clone()).collect(),
            warnings_en: r.warnings.into_iter().map(|w| w.en).collect(),
        }
    }
}

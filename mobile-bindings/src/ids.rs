//! Identifier checks (識別番号の検証) for Kotlin, Swift and Python.

use onshi_core::ids::{self, IdentifierKind};

/// The answer to "is this identifier valid, and why not".
#[derive(Debug, Clone, uniffi::Record)]
pub struct IdentifierCheck {
    /// The kind that was checked, e.g. `insurer_number`.
    pub kind: String,
    /// Whether the input is valid.
    pub valid: bool,
    /// The canonical form, when valid.
    pub canonical: Option<String>,
    /// The error kind's code when invalid (`empty`, `characters`, `length`, `too_long`,
    /// `prefecture`, `fee_schedule`, `check_digit`).
    pub error_kind: Option<String>,
    /// The check digit the body requires, for a `check_digit` error.
    pub expected_digit: Option<u8>,
    /// What was wrong, in Japanese (empty when valid).
    pub message_ja: String,
    /// What was wrong, in English (empty when valid).
    pub message_en: String,
    /// What the parts of a valid identifier mean.
    pub details: Vec<IdentifierDetail>,
    /// Warnings on a valid identifier, in Japanese.
    pub warnings_ja: Vec<String>,
    /// Warnings on a valid identifier, in English.
    pub warnings_en: Vec<String>,
}

/// One part of a valid identifier and what it means.
#[derive(Debug, Clone, uniffi::Record)]
pub struct IdentifierDetail {
    /// The part's name in Japanese.
    pub label_ja: String,
    /// The part's name in English.
    pub label_en: String,
    /// Its value.
    pub value: String,
}

/// The kind name given to [`check_identifier`] is not one onshi knows.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum IdentifierKindError {
    /// Not one of [`identifier_kinds`].
    #[error("unknown identifier kind: {kind}")]
    Unknown {
        /// The name that was given.
        kind: String,
    },
}

/// The identifier kinds [`check_identifier`] accepts.
#[uniffi::export]
pub fn identifier_kinds() -> Vec<String> {
    IdentifierKind::ALL
        .iter()
        .map(|k| k.code().to_owned())
        .collect()
}

/// Validates `input` as an identifier of `kind` (one of [`identifier_kinds`]).
#[uniffi::export]
pub fn check_identifier(
    kind: String,
    input: String,
) -> Result<IdentifierCheck, IdentifierKindError> {
    let parsed = IdentifierKind::from_code(&kind)
        .ok_or_else(|| IdentifierKindError::Unknown { kind: kind.clone() })?;
    Ok(ids::report(parsed, &input).into())
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

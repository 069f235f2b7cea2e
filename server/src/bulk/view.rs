//! What a row holds in storage (the input as read, the result as determined) and how staff see it.

use onshi_core::codes::{QualificationValidity, ReasonOfLoss};
use onshi_core::i18n::Message;
use onshi_core::jst::format_date;
use onshi_core::oqs::SearchInfo;
use onshi_core::qualification::{Qualification, QueryKey};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::RowStatus;
use crate::error::ApiError;

/// A row as read from the upload (the `input` column).
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct RowInput {
    /// The line in the CSV, the element of the JSON list, or the person in the XML (from 1).
    pub line: u64,
    /// 照会番号 or the clinic's patient number; for XML the `ArbitraryIdentifier`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The query keys, when the row could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<QueryKey>,
    /// The XML person, echoed in the OQS result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<SearchInfo>,
}

/// A row's determination (the `result` column).
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct RowOutcome {
    /// 資格有効性, when the row was queried.
    #[serde(default)]
    pub validity: Option<QualificationValidity>,
    /// 資格喪失事由 of the record shown.
    #[serde(default)]
    pub reason_of_loss: Option<ReasonOfLoss>,
    /// onshi's code (core's `QUAL_*`, or the input error's).
    pub code: String,
    /// The message, Japanese.
    pub ja: String,
    /// The message, English.
    pub en: String,
    /// The column at fault, for an input error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The record shown (the current one, or the last one for reference).
    #[serde(default)]
    pub qualification: Option<Qualification>,
    /// The 照会番号 the institution registered for the person.
    #[serde(default)]
    pub reference_number: Option<String>,
}

impl RowOutcome {
    /// An エラー row: the input could not be queried.
    pub fn error(code: &str, message: &Message, column: Option<String>) -> Self {
        Self {
            validity: None,
            reason_of_loss: None,
            code: code.to_owned(),
            ja: message.ja.clone(),
            en: message.en.clone(),
            column,
            qualification: None,
            reference_number: None,
        }
    }

    /// The result list's status.
    pub fn status(&self) -> RowStatus {
        self.validity
            .map_or(RowStatus::Error, RowStatus::of_validity)
    }
}

/// 資格情報の要約: the parts of the shown record staff compare with their own.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct QualificationSummary {
    /// 被保険者証区分 (OQSCD010 code).
    pub card_classification: String,
    /// Its label.
    pub card_classification_label: String,
    /// 保険者番号.
    pub insurer_number: Option<String>,
    /// 保険者名称.
    pub insurer_name: Option<String>,
    /// 記号.
    pub symbol: Option<String>,
    /// 番号.
    pub number: Option<String>,
    /// 枝番.
    pub branch: Option<String>,
    /// 氏名.
    pub name: String,
    /// 氏名カナ.
    pub name_kana: Option<String>,
    /// 生年月日 (`YYYYMMDD`).
    pub birthdate: String,
    /// 資格取得年月日.
    pub qualification_date: Option<String>,
    /// 資格喪失年月日.
    pub disqualification_date: Option<String>,
    /// 一部負担金割合 (3-digit percent).
    pub copay_ratio: Option<String>,
    /// 資格喪失事由 (OQSCD008 code).
    pub reason_of_loss: Option<String>,
}

impl std::fmt::Debug for QualificationSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QualificationSummary")
            .field("card_classification", &self.card_classification)
            .finish_non_exhaustive()
    }
}

impl QualificationSummary {
    /// The summary of a record.
    pub fn of(q: &Qualification) -> Self {
        Self {
            card_classification: q.card_classification.code().to_owned(),
            card_classification_label: q.card_classification.label_ja().to_owned(),
            insurer_number: q.insurer_number.as_ref().map(|n| n.as_str().to_owned()),
            insurer_name: q.insurer_name.clone(),
            symbol: q.symbol.as_ref().map(|s| s.as_str().to_owned()),
            number: q.number.as_ref().map(|n| n.as_str().to_owned()),
            branch: q.branch.as_ref().map(|b| b.as_str().to_owned()),
            name: q.name.clone(),
            name_kana: q.name_kana.clone(),
            birthdate: format_date(q.birthdate),
            qualification_date: q.qualification_date.map(format_date),
            disqualification_date: q.disqualification_date.map(format_date),
            copay_ratio: q.copay_ratio.map(|c| c.to_wire()),
            reason_of_loss: q.reason_of_loss.map(|r| r.code().to_owned()),
        }
    }
}

/// One row of a job's result list (照会結果一覧の1行).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct RowView {
    /// Position in the upload (from 0).
    pub row_no: u64,
    /// The line in the CSV, the element of the JSON list, or the person in the XML (from 1).
    pub line: u64,
    /// 照会番号 or patient number from the list.
    pub reference: Option<String>,
    /// 有効 / 無効 / 無効（新しい資格あり） / 該当なし / 複数該当 / エラー (or 未処理).
    pub status: RowStatus,
    /// The status's label.
    pub status_label: String,
    /// 資格有効性 (OQSCD006 code), when queried.
    pub validity: Option<String>,
    /// Its label.
    pub validity_label: Option<String>,
    /// onshi's code (`QUAL_VALID`, `QUAL_NOT_FOUND`, `ID_CHECK_DIGIT`, …), once processed.
    pub code: Option<String>,
    /// What it means and what to do, once processed.
    pub message: Option<Message>,
    /// The column at fault, for an input error.
    pub column: Option<String>,
    /// The 照会番号 this institution registered for the person.
    pub reference_number: Option<String>,
    /// The record shown.
    pub qualification: Option<QualificationSummary>,
}

impl std::fmt::Debug for RowView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowView")
            .field("row_no", &self.row_no)
            .field("status", &self.status)
            .field("code", &self.code)
            .finish_non_exhaustive()
    }
}

pub(crate) fn read_input(json: &str) -> Result<RowInput, ApiError> {
    serde_json::from_str(json)
        .map_err(|e| ApiError::internal(format_args!("stored bulk row input unreadable: {e}")))
}

pub(crate) fn read_outcome(json: &str) -> Result<RowOutcome, ApiError> {
    serde_json::from_str(json)
        .map_err(|e| ApiError::internal(format_args!("stored bulk row result unreadable: {e}")))
}

pub(crate) fn to_json<T: Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string(v).map_err(|e| ApiError::internal(format_args!("bulk row json: {e}")))
}

/// A stored row: its number, input and outcome (when processed).
pub(crate) fn stored_row(
    row: &sqlx::any::AnyRow,
) -> Result<(u64, RowInput, Option<RowOutcome>), ApiError> {
    let row_no: i64 = row.try_get("row_no")?;
    let input: String = row.try_get("input")?;
    let result: Option<String> = row.try_get("result")?;
    Ok((
        u64::try_from(row_no).unwrap_or_default(),
        read_input(&input)?,
        result.as_deref().map(read_outcome).transpose()?,
    ))
}

pub(crate) fn row_view(row: &sqlx::any::AnyRow) -> Result<RowView, ApiError> {
    let (row_no, input, outcome) = stored_row(row)?;
    let status = outcome
        .as_ref()
        .map_or(RowStatus::Pending, RowOutcome::status);
    Ok(RowView {
        row_no,
        line: input.line,
        reference: input.reference,
        status,
        status_label: status.label_ja().to_owned(),
        validity: outcome
            .as_ref()
            .and_then(|o| o.validity)
            .map(|v| v.code().to_owned()),
        validity_label: outcome
            .as_ref()
            .and_then(|o| o.validity)
            .map(|v| v.label_ja().to_owned()),
        code: outcome.as_ref().map(|o| o.code.clone()),
        message: outcome.as_ref().map(|o| Message::new(&o.ja, &o.en)),
        column: outcome.as_ref().and_then(|o| o.column.clone()),
        reference_number: outcome.as_ref().and_then(|o| o.reference_number.clone()),
        qualification: outcome
            .as_ref()
            .and_then(|o| o.qualification.as_ref())
            .map(QualificationSummary::of),
    })
}

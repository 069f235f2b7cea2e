//! Evaluating a list: every row to 有効 / 無効 / エラー (手引き2020: エラー = an input error,
//! 無効 = the qualification has lapsed or cannot be matched), with onshi's code and message.

use serde::Serialize;

use super::list::BatchList;
use crate::codes::QualificationValidity;
use crate::i18n::Message;
use crate::jst::Date;
use crate::qualification::RecordIndex;

/// 資格確認結果 of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchStatus {
    /// 有効
    Valid,
    /// 無効 (資格有効性 2–5)
    Invalid,
    /// エラー (the row could not be queried)
    Error,
}

impl BatchStatus {
    /// The label on the result list.
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Valid => "有効",
            Self::Invalid => "無効",
            Self::Error => "エラー",
        }
    }
}

/// One row's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowResult {
    /// The line in the list.
    pub line: usize,
    /// 照会番号 / patient number from the list.
    pub reference: Option<String>,
    /// 有効 / 無効 / エラー.
    pub status: BatchStatus,
    /// 資格有効性, when the row was queried.
    pub validity: Option<QualificationValidity>,
    /// onshi's code.
    pub code: String,
    /// Why.
    pub message: Message,
}

/// The whole list's results, in line order, with counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchReport {
    /// Every row, read or not.
    pub rows: Vec<RowResult>,
    /// 有効 rows.
    pub valid: usize,
    /// 無効 rows.
    pub invalid: usize,
    /// エラー rows (duplicates included: they were not queried).
    pub errors: usize,
}

/// Evaluates every row of `list` on `date` against the registered records.
pub fn evaluate_batch(list: &BatchList, index: &RecordIndex<'_>, date: Date) -> BatchReport {
    let mut rows: Vec<RowResult> = list
        .rows
        .iter()
        .map(|row| {
            let d = index.determine(&row.key, date);
            let status = match d.validity {
                QualificationValidity::Valid | QualificationValidity::ValidUnregistered => {
                    BatchStatus::Valid
                }
                _ => BatchStatus::Invalid,
            };
            RowResult {
                line: row.line,
                reference: row.reference.clone(),
                status,
                validity: Some(d.validity),
                code: d.code.to_owned(),
                message: d.message,
            }
        })
        .chain(list.errors.iter().map(|e| RowResult {
            line: e.line,
            reference: None,
            status: BatchStatus::Error,
            validity: None,
            code: e.code.clone(),
            message: e.message.clone(),
        }))
        .collect();
    rows.sort_by_key(|r| r.line);
    let count = |s| rows.iter().filter(|r| r.status == s).count();
    BatchReport {
        valid: count(BatchStatus::Valid),
        invalid: count(BatchStatus::Invalid),
        errors: count(BatchStatus::Error),
        rows,
    }
}

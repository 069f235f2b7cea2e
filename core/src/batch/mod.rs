//! 一括照会 (batch inquiry): reading the list of booked patients a clinic keeps (CSV in UTF-8 or
//! Shift_JIS), and evaluating every row to 有効 / 無効 / エラー with reasons.

mod evaluate;
mod list;

pub use evaluate::{BatchReport, BatchStatus, RowResult, evaluate_batch};
pub use list::{BatchList, BatchListError, BatchRow, DEFAULT_MAX_ROWS, RowError, parse_batch_list};

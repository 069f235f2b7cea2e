//! The patient list: a header row naming the columns (Japanese or English), one patient a row.
//! A bad row is reported with its line and column and the good rows are kept; duplicates are
//! removed and reported. Only the columns a query needs are kept (the address is not).

use std::collections::HashMap;

use serde::Serialize;

use crate::i18n::Message;
use crate::ids::{
    IdError, InsuredBranchNumber, InsuredCardSymbol, InsuredIdentificationNumber, InsurerNumber,
};
use crate::jst::Date;
use crate::qualification::QueryKey;
use crate::wareki::parse_any_date;

/// The most rows onshi accepts in one list by default. The central system's limit per file is not
/// public; this is a configuration default, and a larger list is refused before any work.
pub const DEFAULT_MAX_ROWS: usize = 10_000;

/// One patient to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchRow {
    /// The line in the file (1 = the header).
    pub line: usize,
    /// 照会番号 or the clinic's patient number, when the list has one.
    pub reference: Option<String>,
    /// The query keys.
    pub key: QueryKey,
}

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The line in the file.
    pub line: usize,
    /// 照会番号 or the clinic's patient number, when the row has one: staff find the patient by it.
    pub reference: Option<String>,
    /// The column's name as the list shows it, when one column is at fault.
    pub column: Option<String>,
    /// onshi's code, e.g. `ID_CHECK_DIGIT`, `BATCH_RECORD_INCOMPLETE`, `BATCH_DUPLICATE`.
    pub code: String,
    /// What was wrong.
    pub message: Message,
}

/// The list as read.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct BatchList {
    /// The rows that can be queried, in file order.
    pub rows: Vec<BatchRow>,
    /// The rows that cannot, with why.
    pub errors: Vec<RowError>,
    /// Columns in the header that onshi does not use (e.g. 住所).
    pub ignored_columns: Vec<String>,
    /// The encoding the file was read in.
    pub encoding: &'static str,
}

/// A list that cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BatchListError {
    /// Neither UTF-8 nor Shift_JIS.
    #[error(
        "文字コードを判別できません（UTF-8 または Shift_JIS で保存してください） (the file is neither UTF-8 nor Shift_JIS)"
    )]
    Encoding,
    /// The header lacks a column a query needs.
    #[error("見出し行に「{0}」の列がありません (the header has no {0} column)")]
    MissingColumn(&'static str),
    /// No header row.
    #[error("一覧が空です (the list is empty)")]
    Empty,
    /// More rows than allowed (BATCH_TOO_LARGE).
    #[error(
        "一度に照会できるのは{limit}件までです（{rows}件あります） (at most {limit} rows per list, this one has {rows})"
    )]
    TooLarge {
        /// The limit.
        limit: usize,
        /// The rows in the list.
        rows: usize,
    },
}

impl BatchListError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Encoding => "BATCH_ENCODING",
            Self::MissingColumn(_) => "BATCH_MISSING_COLUMN",
            Self::Empty => "BATCH_EMPTY",
            Self::TooLarge { .. } => "BATCH_TOO_LARGE",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Reference,
    Insurer,
    Symbol,
    Number,
    Branch,
    Birthdate,
}

/// Header names onshi recognises, Japanese first.
const HEADERS: [(Column, &[&str]); 6] = [
    (
        Column::Reference,
        &[
            "照会番号",
            "患者番号",
            "患者ID",
            "reference_number",
            "patient_id",
        ],
    ),
    (
        Column::Insurer,
        &["保険者番号", "insurer_number", "insurer"],
    ),
    (Column::Symbol, &["記号", "被保険者証記号", "symbol"]),
    (Column::Number, &["番号", "被保険者証番号", "number"]),
    (Column::Branch, &["枝番", "branch", "branch_number"]),
    (Column::Birthdate, &["生年月日", "birthdate", "birth_date"]),
];

fn decode(bytes: &[u8]) -> Result<(String, &'static str), BatchListError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_owned(), "UTF-8"));
    }
    // WHATWG Shift_JIS is Windows-31J (CP932), which is what Windows software writes.
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    if had_errors {
        Err(BatchListError::Encoding)
    } else {
        Ok((text.into_owned(), "Shift_JIS"))
    }
}

fn id_error(line: usize, column: &str, e: &IdError) -> RowError {
    RowError {
        line,
        reference: None,
        column: Some(column.to_owned()),
        code: format!("ID_{}", e.kind().code().to_uppercase()),
        message: e.message(),
    }
}

/// Reads a patient list (CSV, or tab-separated as pasted from a spreadsheet).
pub fn parse_batch_list(bytes: &[u8], max_rows: usize) -> Result<BatchList, BatchListError> {
    let (text, encoding) = decode(bytes)?;
    let first_line = text.lines().next().ok_or(BatchListError::Empty)?;
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|_| BatchListError::Empty)?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(BatchListError::Empty);
    }
    let position = |col: Column| {
        let names = HEADERS
            .iter()
            .find(|(c, _)| *c == col)
            .map_or(&[][..], |(_, n)| n);
        header
            .iter()
            .position(|h| names.iter().any(|n| n.eq_ignore_ascii_case(h)))
    };
    let need =
        |col: Column, name: &'static str| position(col).ok_or(BatchListError::MissingColumn(name));
    let insurer_at = need(Column::Insurer, "保険者番号")?;
    let number_at = need(Column::Number, "番号")?;
    let birth_at = need(Column::Birthdate, "生年月日")?;
    let (symbol_at, branch_at, reference_at) = (
        position(Column::Symbol),
        position(Column::Branch),
        position(Column::Reference),
    );
    let used = [
        Some(insurer_at),
        Some(number_at),
        Some(birth_at),
        symbol_at,
        branch_at,
        reference_at,
    ];
    let mut list = BatchList {
        ignored_columns: header
            .iter()
            .enumerate()
            .filter(|(i, h)| !h.is_empty() && !used.contains(&Some(*i)))
            .map(|(_, h)| h.clone())
            .collect(),
        encoding,
        ..BatchList::default()
    };

    let mut seen: HashMap<QueryKey, usize> = HashMap::new();
    let mut count = 0;
    for record in reader.records() {
        let Ok(record) = record else {
            list.errors.push(RowError {
                line: count + 2,
                reference: None,
                column: None,
                code: "BATCH_ROW_UNREADABLE".to_owned(),
                message: Message::new("この行を読み取れません", "this row cannot be read"),
            });
            count += 1;
            continue;
        };
        let line = record.position().map_or(count + 2, |p| p.line() as usize);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        count += 1;
        if count > max_rows {
            return Err(BatchListError::TooLarge {
                limit: max_rows,
                rows: count + reader.records().count(),
            });
        }
        let field = |at: Option<usize>| {
            at.and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        match read_row(
            line,
            &header,
            &field,
            [insurer_at, number_at, birth_at],
            [symbol_at, branch_at],
        ) {
            Ok(key) => {
                if let Some(first) = seen.get(&key) {
                    list.errors.push(RowError {
                        line,
                        reference: field(reference_at).map(str::to_owned),
                        column: None,
                        code: "BATCH_DUPLICATE".to_owned(),
                        message: Message::new(
                            format!("{first}行目と同じ患者です（重複を除きました）"),
                            format!("the same patient as line {first} (duplicate removed)"),
                        ),
                    });
                    continue;
                }
                seen.insert(key.clone(), line);
                list.rows.push(BatchRow {
                    line,
                    reference: field(reference_at).map(str::to_owned),
                    key,
                });
            }
            Err(e) => list.errors.push(RowError {
                reference: field(reference_at).map(str::to_owned),
                ..*e
            }),
        }
    }
    Ok(list)
}

fn read_row<'a>(
    line: usize,
    header: &[String],
    field: &dyn Fn(Option<usize>) -> Option<&'a str>,
    [insurer_at, number_at, birth_at]: [usize; 3],
    [symbol_at, branch_at]: [Option<usize>; 2],
) -> Result<QueryKey, Box<RowError>> {
    let missing = |at: usize| RowError {
        line,
        reference: None,
        column: Some(header[at].clone()),
        code: "BATCH_RECORD_INCOMPLETE".to_owned(),
        message: Message::new(
            format!("「{}」が空欄です", header[at]),
            format!("{} is empty", header[at]),
        ),
    };
    let insurer: InsurerNumber = field(Some(insurer_at))
        .ok_or_else(|| missing(insurer_at))?
        .parse()
        .map_err(|e| id_error(line, &header[insurer_at], &e))?;
    let number: InsuredIdentificationNumber = field(Some(number_at))
        .ok_or_else(|| missing(number_at))?
        .parse()
        .map_err(|e| id_error(line, &header[number_at], &e))?;
    let birth_text = field(Some(birth_at)).ok_or_else(|| missing(birth_at))?;
    let birthdate: Date = parse_any_date(birth_text).ok_or_else(|| RowError {
        line,
        reference: None,
        column: Some(header[birth_at].clone()),
        code: "BATCH_BAD_DATE".to_owned(),
        message: Message::new(
            "生年月日を読み取れません（例: 19800401、1980/4/1、昭和55年4月1日）",
            "the birth date cannot be read (e.g. 19800401, 1980/4/1, 昭和55年4月1日)",
        ),
    })?;
    let symbol = field(symbol_at)
        .map(str::parse::<InsuredCardSymbol>)
        .transpose()
        .map_err(|e| id_error(line, symbol_at.map_or("", |i| &header[i]), &e))?;
    let branch = field(branch_at)
        .map(str::parse::<InsuredBranchNumber>)
        .transpose()
        .map_err(|e| id_error(line, branch_at.map_or("", |i| &header[i]), &e))?;
    Ok(QueryKey::Numbers {
        insurer,
        symbol,
        number,
        branch,
        birthdate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "患者氏名,保険者番号,記号,番号,枝番,生年月日,住所\n\
        オン資 二郎,01130012,0001,111111,01,19800401,東京都港区xx-x\n\
        厚労 太郎,01130013,0002,222222,01,1975/3/3,東京都板橋区x-x\n\
        番号 花子,06130017,0003,333333,1,S55.4.1,東京都調布市x-xx\n\
        資格 春子,131011,,999999,02,,東京都新宿区x-xx\n\
        オン資 二郎,01130012,0001,111111,01,昭和55年4月1日,東京都港区xx-x\n";

    #[test]
    fn bad_rows_are_reported_and_good_rows_kept() {
        let list = parse_batch_list(LIST.as_bytes(), DEFAULT_MAX_ROWS).unwrap();
        assert_eq!(list.encoding, "UTF-8");
        assert_eq!(list.rows.len(), 1);
        assert_eq!(list.rows[0].line, 2);
        let codes: Vec<(usize, &str)> = list
            .errors
            .iter()
            .map(|e| (e.line, e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                (3, "ID_CHECK_DIGIT"),
                (4, "ID_LENGTH"),
                (5, "BATCH_RECORD_INCOMPLETE"),
                (6, "BATCH_DUPLICATE")
            ]
        );
        assert_eq!(list.ignored_columns, ["患者氏名", "住所"]);
    }

    #[test]
    fn a_bad_row_keeps_its_reference_number() {
        let list = parse_batch_list(
            "照会番号,保険者番号,番号,生年月日\nA1,01130011,1234,19800401\nA2,01130012,1234,1980/13/40\n,01130011,1,19800401\n"
                .as_bytes(),
            DEFAULT_MAX_ROWS,
        )
        .unwrap();
        let found: Vec<_> = list
            .errors
            .iter()
            .map(|e| (e.reference.as_deref(), e.code.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (Some("A1"), "ID_CHECK_DIGIT"),
                (Some("A2"), "BATCH_BAD_DATE"),
                (None, "ID_CHECK_DIGIT")
            ]
        );
    }

    #[test]
    fn shift_jis_files_are_read() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(LIST);
        let list = parse_batch_list(&bytes, DEFAULT_MAX_ROWS).unwrap();
        assert_eq!(list.encoding, "Shift_JIS");
        assert_eq!(list.rows.len(), 1);
    }

    #[test]
    fn whole_file_problems() {
        assert_eq!(parse_batch_list(b"", 10), Err(BatchListError::Empty));
        assert_eq!(
            parse_batch_list("氏名,番号,生年月日\na,1,19800101\n".as_bytes(), 10),
            Err(BatchListError::MissingColumn("保険者番号"))
        );
        assert_eq!(
            parse_batch_list(&[0x82, 0xff, 0xfe, 0x0a], 10),
            Err(BatchListError::Encoding)
        );
        let many = format!(
            "保険者番号,番号,生年月日\n{}",
            "01130012,1,19800101\n".repeat(3)
        );
        assert_eq!(
            parse_batch_list(many.as_bytes(), 2),
            Err(BatchListError::TooLarge { limit: 2, rows: 3 })
        );
    }
}

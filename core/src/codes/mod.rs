//! 業務コード (OQSCD001–044): the code tables of the OQS interface, each an enum carrying the
//! official code and the Japanese label.
//!
//! Every table parses from its wire code (`FromStr`) and prints it back (`Display`). A code the
//! table does not know is an [`UnknownCode`] error naming the table and the value — never a
//! silent default. Confidence: 001–017 are confirmed by two independent sources (except 005, see
//! [`CharacterCode`]); 018–044 come from one source.

#[macro_use]
mod macros;
mod tables;

pub use tables::*;

/// A code that its table does not define.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{table}（{name}）に未定義のコード「{value}」があります (unknown code {value:?} for {table})"
)]
pub struct UnknownCode {
    /// The table, e.g. `OQSCD006`.
    pub table: &'static str,
    /// The table's Japanese name.
    pub name: &'static str,
    /// The value received.
    pub value: String,
}

/// What every code table offers.
pub trait CodeTable: Sized + Copy + 'static {
    /// The table's identifier, e.g. `OQSCD006`.
    const ID: &'static str;
    /// The table's Japanese name, e.g. `資格有効性`.
    const NAME: &'static str;
    /// Every value, in code order.
    const ALL: &'static [Self];
    /// The wire code.
    fn code(self) -> &'static str;
    /// The Japanese label.
    fn label_ja(self) -> &'static str;
    /// Parses a wire code.
    fn from_code(code: &str) -> Result<Self, UnknownCode> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.code() == code)
            .ok_or_else(|| UnknownCode {
                table: Self::ID,
                name: Self::NAME,
                value: code.to_owned(),
            })
    }
}

/// The label of `code` in the table `table_id`, for bindings and the vectors.
pub fn label(table_id: &str, code: &str) -> Result<&'static str, LookupError> {
    let lookup = tables::LOOKUP
        .iter()
        .find(|(id, _)| *id == table_id)
        .ok_or_else(|| LookupError::UnknownTable(table_id.to_owned()))?;
    (lookup.1)(code).map_err(LookupError::UnknownCode)
}

/// A failed [`label`] lookup.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    /// No such table.
    #[error("業務コード表 {0} はありません (no code table {0})")]
    UnknownTable(String),
    /// The table has no such code.
    #[error(transparent)]
    UnknownCode(UnknownCode),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_round_trips_and_has_unique_codes() {
        for (id, parse) in tables::LOOKUP {
            let codes = tables::codes_of(id);
            assert!(!codes.is_empty(), "{id} is empty");
            for code in &codes {
                assert!(parse(code).is_ok(), "{id} {code}");
            }
            let mut sorted = codes.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), codes.len(), "{id} repeats a code");
        }
        assert_eq!(tables::LOOKUP.len(), 44);
    }

    #[test]
    fn unknown_codes_are_errors() {
        assert_eq!(
            QualificationValidity::from_code("7"),
            Err(UnknownCode {
                table: "OQSCD006",
                name: "資格有効性",
                value: "7".to_owned()
            })
        );
        assert!(label("OQSCD099", "1").is_err());
        assert_eq!(label("OQSCD006", "3"), Ok("無効（新しい資格あり）"));
    }

    #[test]
    fn parse_and_display() {
        let v: QualificationValidity = "3".parse().unwrap();
        assert_eq!(v, QualificationValidity::InvalidNewQualification);
        assert_eq!(v.to_string(), "3");
        assert_eq!(v.label_ja(), "無効（新しい資格あり）");
    }
}

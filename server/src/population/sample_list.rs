//! 一括照会の見本 (a sample patient list): the list a clinic would upload for 一括照会, drawn from the
//! synthetic population — each person's latest 被保険者証 (保険者番号, 記号, 番号, 枝番) and 生年月日, so
//! the answers are a real mix of 有効, 無効 (lost qualifications) and 無効（新しい資格あり） (job changers).
//! The demo writes one for people to try the console's upload; the browser tests upload it.
//!
//! SANDBOX ONLY: made-up people.

use onshi_core::jst::{Date, format_date};

use super::generate::person;

/// The list's header: core's patient-list columns (`onshi_core::batch::list`).
pub const HEADER: [&str; 6] = ["照会番号", "保険者番号", "記号", "番号", "枝番", "生年月日"];

/// A CSV (UTF-8, header first) of up to `rows` people of the population `seed` seeded on `seeded_on`,
/// in index order from person 0, skipping people with no 被保険者証 number (医療扶助 only). The
/// 照会番号 is the row's position (`S0001`, …).
pub fn sample_list(
    seed: u64,
    seeded_on: Date,
    people: u64,
    rows: usize,
) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(HEADER)?;
    let mut written = 0;
    for index in 0..people {
        if written == rows {
            break;
        }
        let p = person(seed, index, seeded_on);
        let Some(record) = p
            .records
            .iter()
            .rev()
            .find(|r| r.insurer_number.is_some() && r.number.is_some())
        else {
            continue;
        };
        written += 1;
        let text = |v: Option<&str>| v.unwrap_or_default().to_owned();
        out.write_record([
            format!("S{written:04}"),
            text(record.insurer_number.as_ref().map(|n| n.as_str())),
            text(record.symbol.as_ref().map(|s| s.as_str())),
            text(record.number.as_ref().map(|n| n.as_str())),
            text(record.branch.as_ref().map(|b| b.as_str())),
            format_date(p.birthdate),
        ])?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use onshi_core::batch::{DEFAULT_MAX_ROWS, parse_batch_list};

    use super::*;

    #[test]
    fn the_sample_is_a_list_core_reads_whole() {
        let today = onshi_core::jst::parse_date("20261122").unwrap_or_else(|e| panic!("{e}"));
        let bytes = sample_list(7, today, 300, 200).unwrap_or_else(|e| panic!("{e}"));
        let list = parse_batch_list(&bytes, DEFAULT_MAX_ROWS).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(list.rows.len(), 200, "{:?}", list.errors);
        assert!(list.errors.is_empty(), "{:?}", list.errors);
        assert_eq!(list.rows[0].reference.as_deref(), Some("S0001"));
    }

    #[test]
    fn a_small_population_gives_what_it_has() {
        let today = onshi_core::jst::parse_date("20261122").unwrap_or_else(|e| panic!("{e}"));
        let bytes = sample_list(7, today, 8, 1000).unwrap_or_else(|e| panic!("{e}"));
        let lines = String::from_utf8(bytes).unwrap_or_default().lines().count();
        assert!((2..=9).contains(&lines), "{lines}");
    }
}

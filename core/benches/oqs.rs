//! What large OQS files cost: a 10,000-unit 一括照会結果 (`OQSmuquc02res`) parsed unit by unit and
//! written from an iterator, in UTF-8 and Shift_JIS. Targets: ≥ 50 MB/s, and < 0.5 s per file.
//! Run with `cargo bench -p onshi-core --bench oqs`.
#![allow(missing_docs)] // criterion_group! generates an undocumented public function.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use onshi_core::oqs::{
    BulkConfirmUnit, BulkResult, BulkResultReader, XmlEncoding, read_bulk_result, write_bulk_result,
};

const UNITS: usize = 10_000;
const SAMPLE: &[u8] = include_bytes!("../../tests/vectors/oqs/bulk_result.utf8.xml");

/// 10,000 units cycling through the hand-written sample's three (valid, error, lost), each with
/// its own identifier and reference number.
fn generated() -> BulkResult {
    let sample = read_bulk_result(SAMPLE).unwrap_or_else(|e| panic!("{e}"));
    let units: Vec<BulkConfirmUnit> = (0..UNITS)
        .map(|i| {
            let mut unit = sample.units[i % sample.units.len()].clone();
            if let Some(search) = unit.search.as_mut() {
                search.arbitrary_identifier = Some(format!("カルテ{i:06}"));
            }
            unit.reference_number = Some(format!("K{i:07}"));
            unit
        })
        .collect();
    BulkResult {
        units,
        unknown_elements: Vec::new(),
        ..sample
    }
}

fn bench(c: &mut Criterion) {
    let result = generated();
    for encoding in [XmlEncoding::Utf8, XmlEncoding::ShiftJis] {
        let bytes = result.to_xml(encoding).unwrap_or_else(|e| panic!("{e}"));
        let name = match encoding {
            XmlEncoding::Utf8 => "utf8",
            XmlEncoding::ShiftJis => "sjis",
        };
        let mut group = c.benchmark_group(format!("oqs_bulk_10000_{name}"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.sample_size(10);
        group.bench_function("parse_streaming", |b| {
            b.iter(|| {
                let reader = BulkResultReader::new(black_box(bytes.as_slice()))
                    .unwrap_or_else(|e| panic!("{e}"));
                let mut n = 0usize;
                for unit in reader {
                    black_box(unit.unwrap_or_else(|e| panic!("{e}")));
                    n += 1;
                }
                assert_eq!(n, UNITS);
            });
        });
        group.bench_function("write_streaming", |b| {
            b.iter(|| {
                let out = write_bulk_result(
                    Vec::with_capacity(bytes.len()),
                    &result.header,
                    result.status.as_ref(),
                    black_box(&result.units),
                    encoding,
                )
                .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(out.len(), bytes.len());
            });
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

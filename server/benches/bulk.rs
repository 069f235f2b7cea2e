//! 一括照会 throughput: a 10,000-row list from upload to its complete result (every row
//! determined and committed, the CSV export read back) on SQLite in WAL mode on disk, against
//! 10,000 registered qualifications. Target: ≤ 2 s. Run with `cargo bench -p onshi-server --bench bulk`.
#![allow(missing_docs)] // criterion_group! generates an undocumented public function.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use onshi_core::qualification::Qualification;
use onshi_server::bulk::{self, JobState, UploadFormat};
use onshi_server::clock::FixedClock;
use onshi_server::state::AppState;
use onshi_server::{registry, testing};

const ROWS: usize = 10_000;
const CLINIC: &str = "1361234568";

fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

fn qualification(i: usize) -> Qualification {
    // Every tenth person lost the qualification in 2025, so results are not all alike.
    let lost = i.is_multiple_of(10);
    let mut v = serde_json::json!({
        "card_classification": "01", "insurer_number": "01130012", "number": format!("{}", 100_000 + i),
        "name": "試験　太郎", "name_kana": "ｼｹﾝ ﾀﾛｳ", "sex1": "1", "birthdate": "19800401",
        "qualification_date": "20100401", "copay_ratio": "030", "insurer_name": "試験健保"
    });
    if lost {
        v["disqualification_date"] = serde_json::json!("20250331");
        v["reason_of_loss"] = serde_json::json!("99");
    }
    ok(serde_json::from_value(v))
}

async fn seeded(path: &std::path::Path) -> AppState {
    let url = format!("sqlite://{}", path.display());
    let clock = Arc::new(FixedClock::new(testing::test_now()));
    let state =
        ok(
            onshi_server::state::sandbox(&url, "http://onshi.test", testing::TEST_SEED, clock)
                .await,
        );
    let mut tx = ok(state.db.pool.begin().await);
    for i in 0..ROWS {
        let q = qualification(i);
        ok(registry::register_person(
            &mut tx,
            &format!("p{i}"),
            q.birthdate,
            &[q],
            testing::test_now(),
        )
        .await);
    }
    ok(tx.commit().await);
    state
}

fn list() -> Vec<u8> {
    let mut s = String::from("照会番号,保険者番号,番号,生年月日\n");
    for i in 0..ROWS {
        s.push_str(&format!("R{i},01130012,{},19800401\n", 100_000 + i));
    }
    s.into_bytes()
}

async fn upload_to_result(state: &AppState, list: &[u8]) -> usize {
    let id = ok(bulk::submit(state, CLINIC, UploadFormat::Csv, list).await);
    ok(bulk::resume_unfinished(state).await);
    let status = ok(bulk::status(state, CLINIC, &id).await);
    assert_eq!(status.state, JobState::Completed);
    assert_eq!(status.counts.valid as usize, ROWS - ROWS / 10);
    ok(bulk::results_csv(state, CLINIC, &id).await).len()
}

fn bench(c: &mut Criterion) {
    let rt = ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build());
    let dir = std::env::temp_dir().join(format!("onshi-bulk-bench-{}", std::process::id()));
    ok(std::fs::create_dir_all(&dir));
    let state = rt.block_on(seeded(&dir.join("bench.db")));
    let list = list();
    let mut group = c.benchmark_group("bulk");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("10k_rows_upload_to_complete_result_sqlite", |b| {
        b.iter(|| black_box(rt.block_on(upload_to_result(&state, &list))));
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Seeding the synthetic population: 10,000 people (records, history, tickets) into a fresh SQLite
//! file, without the demo cards (their RSA key generations are not part of the bulk load).
#![allow(missing_docs)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use onshi_server::clock::FixedClock;
use onshi_server::population::{self, store::SeedOptions};

const PEOPLE: u64 = 10_000;

fn seed_into_fresh_sqlite(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = std::env::temp_dir().join(format!("onshi-seed-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut group = c.benchmark_group("seed");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("10k_people_sqlite_file", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for i in 0..iterations {
                let file = dir.join(format!("seed-{i}.db"));
                let _ = std::fs::remove_file(&file);
                let url = format!("sqlite://{}", file.display());
                total += runtime.block_on(async {
                    let clock = Arc::new(FixedClock::new(onshi_server::testing::test_now()));
                    let state = onshi_server::state::sandbox(&url, "http://bench", 1, clock)
                        .await
                        .unwrap_or_else(|e| panic!("{e}"));
                    let started = Instant::now();
                    let options = SeedOptions {
                        people: PEOPLE,
                        demo_cards: false,
                    };
                    population::seed(&state, options)
                        .await
                        .unwrap_or_else(|e| panic!("{e}"));
                    let elapsed = started.elapsed();
                    state.db.pool.close().await;
                    elapsed
                });
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
                }
            }
            total
        });
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, seed_into_fresh_sqlite);
criterion_main!(benches);

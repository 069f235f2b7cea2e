//! The load generator: the service on loopback (SQLite file, WAL) answering signed single checks and
//! 再照会 from many devices at once, each connection its own device session, in a closed loop.
//! Prints throughput and latency percentiles; numbers go to BENCHMARKS.md by hand.
//!
//! `cargo bench -p onshi-server --bench load [-- --seconds 10 --connections 32]`
//!
//! Server and load share the machine's cores (the client's COSE_Mac0 and JSON work counts against
//! the server), so the throughput is a lower bound for the service alone.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes_free::Body;
use hdrhistogram::Histogram;
use hyper::Request;
use hyper_util::rt::TokioIo;
use onshi_core::facility::{FacilityKind, OperatingType};
use onshi_core::qualification::Qualification;
use onshi_server::clock::SystemClock;
use onshi_server::device::{self, DeviceClient, DeviceKind};
use onshi_server::institutions::Institution;
use onshi_server::registry;
use p256::ecdsa::SigningKey;

mod bytes_free {
    //! A full-body type for hyper requests without pulling in another crate.
    pub type Body = http_body_util::Full<hyper::body::Bytes>;
}

const INSTITUTION: &str = "1361234568";
const PEOPLE: usize = 20_000;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn person(i: usize) -> Qualification {
    let json = serde_json::json!({
        "card_classification": "01", "insurer_number": "06139992",
        "number": format!("{:08}", i), "name": "負荷　試験", "sex1": "1",
        "birthdate": "19800401", "qualification_date": "20200401", "copay_ratio": "030"
    });
    serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"))
}

fn main() {
    let seconds = arg("--seconds", 10);
    let connections = arg("--connections", 32) as usize;
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = std::env::temp_dir().join(format!("onshi-load-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let url = format!("sqlite://{}", dir.join("onshi.db").display());
    let (addr, state) = server_rt.block_on(async {
        let state =
            onshi_server::state::sandbox(&url, "http://127.0.0.1", 1, Arc::new(SystemClock))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        let now = state.now();
        Institution {
            code: INSTITUTION.into(),
            name: "負荷試験ステーション".into(),
            facility: FacilityKind::HomeNursingStation,
            operating: OperatingType::ConsentAtHome,
        }
        .save(&state.db, now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let mut tx = state
            .db
            .pool
            .begin()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        for i in 0..PEOPLE {
            let q = person(i);
            registry::register_person(&mut tx, &format!("p{i}"), q.birthdate, &[q], now)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        let app = onshi_server::http::router(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        (addr, state)
    });

    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let base = format!("http://{addr}");
    let (histogram, errors, elapsed) = client_rt.block_on(async {
        let mut tasks = Vec::new();
        let start = Instant::now();
        let deadline = start + Duration::from_secs(seconds);
        for c in 0..connections {
            let key = SigningKey::from_slice(&[(c as u8).wrapping_add(1); 32])
                .unwrap_or_else(|e| panic!("{e}"));
            let id = device::register(
                &state.db,
                INSTITUTION,
                &format!("load-{c}"),
                DeviceKind::Tablet,
                key.verifying_key(),
                state.now(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
            let mut client = DeviceClient::new(&id, INSTITUTION, key);
            client
                .open_session(&base)
                .await
                .unwrap_or_else(|e| panic!("{e:?}"));
            tasks.push(tokio::spawn(connection(client, addr, c, deadline)));
        }
        let mut all = Histogram::<u64>::new(3).unwrap_or_else(|e| panic!("{e}"));
        let mut errors = 0;
        for t in tasks {
            let (h, e) = t.await.unwrap_or_else(|e| panic!("{e}"));
            all.add(h).unwrap_or_else(|e| panic!("{e}"));
            errors += e;
        }
        (all, errors, start.elapsed())
    });
    let n = histogram.len();
    println!(
        "single checks (POST /v1/checks): {n} in {:.1} s = {:.0}/s over {connections} connections, \
         p50 {:.2} ms, p99 {:.2} ms, p99.9 {:.2} ms, max {:.2} ms, errors {errors}",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64(),
        histogram.value_at_quantile(0.50) as f64 / 1000.0,
        histogram.value_at_quantile(0.99) as f64 / 1000.0,
        histogram.value_at_quantile(0.999) as f64 / 1000.0,
        histogram.max() as f64 / 1000.0,
    );
    drop(server_rt);
    let _ = std::fs::remove_dir_all(&dir);
}

/// One connection's closed loop: sign, send, wait, record.
async fn connection(
    mut client: DeviceClient,
    addr: std::net::SocketAddr,
    c: usize,
    deadline: Instant,
) -> (Histogram<u64>, u64) {
    let mut histogram = Histogram::<u64>::new(3).unwrap_or_else(|e| panic!("{e}"));
    let mut errors = 0;
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = stream.set_nodelay(true);
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(conn);
    let mut i = c;
    while Instant::now() < deadline {
        i = (i + 7919) % PEOPLE;
        let body = serde_json::json!({"key": {"by": "numbers", "insurer": "06139992",
            "number": format!("{:08}", i), "birthdate": "19800401"}})
        .to_string();
        let started = Instant::now();
        let authorization = client
            .authorization("POST", "/v1/checks", body.as_bytes())
            .unwrap_or_else(|e| panic!("{e:?}"));
        let request = Request::post("/v1/checks")
            .header("host", "127.0.0.1")
            .header("content-type", "application/json")
            .header("authorization", authorization)
            .body(Body::from(body))
            .unwrap_or_else(|e| panic!("{e}"));
        match sender.send_request(request).await {
            Ok(response) => {
                let ok = response.status().is_success();
                let _ = http_body_util::BodyExt::collect(response.into_body()).await;
                if ok {
                    let _ = histogram.record(started.elapsed().as_micros() as u64);
                } else {
                    errors += 1;
                }
            }
            Err(_) => {
                errors += 1;
                break;
            }
        }
    }
    (histogram, errors)
}

//! カードリーダー中継 (the reader bridge): lets a web page read a My Number card on a reader attached
//! to this machine — the nurse's laptop, the clinic PC. The page runs the JPKI client itself (core's
//! sans-IO procedures compiled to Wasm) and sends each command APDU here; the bridge relays it to the
//! card and returns the card's response, without reading either.
//!
//! Routes (JSON, bytes as upper-case hex):
//!
//! | route | body | answer |
//! |---|---|---|
//! | `GET /bridge/v1/readers` | | `{"readers": [{"name", "card"}]}` |
//! | `POST /bridge/v1/connections` | `{"reader"}` | `{"connection", "atr"}` |
//! | `POST /bridge/v1/connections/{id}/apdu` | `{"command"}` | `{"response"}` |
//! | `DELETE /bridge/v1/connections/{id}` | | 204 |
//!
//! A connection holds its card exclusively until DELETE, [`IDLE_LIMIT`] without use, or the card's
//! removal, so the security state a VERIFY earned lasts between APDUs and for that connection only.
//!
//! Security: bound to loopback only ([`require_loopback`]); pages of other origins are refused
//! ([`origin`]); APDUs — a VERIFY carries the PIN — are wiped once sent and never logged or kept.
//! Two backends sit behind [`ReaderBackend`]: PC/SC through pcscd ([`pcsc`]) and the demo cards in
//! process ([`demo_readers`], TEST ONLY).

pub mod backend;
pub mod connection;
pub mod demo_readers;
pub mod error;
pub mod origin;
pub mod pcsc;
mod routes;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;

pub use backend::{HeldCard, ReaderBackend, ReaderInfo};
pub use connection::IDLE_LIMIT;
pub use error::BridgeError;
pub use origin::AllowedOrigins;

use crate::clock::Clock;
use connection::Connections;
use demo_readers::DemoReaders;
use pcsc::PcscReaders;

/// Which readers the bridge serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReaderKind {
    /// PC/SC readers through pcscd: a real reader, or vpcd's virtual one.
    Pcsc,
    /// The demo cards, one per reader, in process (TEST ONLY).
    Virtual,
}

/// The largest request body: a short APDU is 522 hex digits.
const BODY_LIMIT: usize = 4096;

/// The bridge: its readers, its open connections and the origins it serves (cheap to clone).
#[derive(Clone)]
pub struct Bridge {
    backend: Arc<dyn ReaderBackend>,
    connections: Arc<Connections>,
    origins: Arc<AllowedOrigins>,
    /// What [`Bridge::of_kind`] made it of, for [`Bridge::describe`].
    made_of: Option<(ReaderKind, u64)>,
}

impl Bridge {
    /// A bridge over `backend` for pages of `origins`, closing connections after [`IDLE_LIMIT`].
    pub fn new(backend: Arc<dyn ReaderBackend>, origins: AllowedOrigins) -> Self {
        Self::with_idle_limit(backend, origins, IDLE_LIMIT)
    }

    /// Likewise, with another idle limit.
    pub fn with_idle_limit(
        backend: Arc<dyn ReaderBackend>,
        origins: AllowedOrigins,
        idle: Duration,
    ) -> Self {
        Self {
            backend,
            connections: Arc::new(Connections::new(idle)),
            origins: Arc::new(origins),
            made_of: None,
        }
    }

    /// A bridge of `kind`: the demo cards of population `seed` issued for the day `clock` shows,
    /// or PC/SC.
    pub fn of_kind(
        kind: ReaderKind,
        seed: u64,
        clock: Arc<dyn Clock>,
        origins: AllowedOrigins,
    ) -> Self {
        let backend: Arc<dyn ReaderBackend> = match kind {
            ReaderKind::Pcsc => Arc::new(PcscReaders),
            ReaderKind::Virtual => Arc::new(DemoReaders::new(seed, clock)),
        };
        Self {
            made_of: Some((kind, seed)),
            ..Self::new(backend, origins)
        }
    }

    /// The bridge mounted in the service bound at `bound`: the service's seed and clock (so its demo
    /// cards are the ones the service registered), and pages of the service's own origin only.
    pub fn for_service(
        kind: ReaderKind,
        state: &crate::state::AppState,
        bound: SocketAddr,
    ) -> Result<Self, String> {
        require_loopback(bound)?;
        let origins = AllowedOrigins::service(&state.config.public_url, bound)?;
        Ok(Self::of_kind(
            kind,
            state.config.population_seed,
            state.clock.clone(),
            origins,
        ))
    }

    /// How many connections are open.
    pub fn open_connections(&self) -> usize {
        self.connections.len()
    }

    /// The routes under `/bridge/v1/`, behind the origin guard.
    pub fn routes(&self) -> Router {
        routes::routes()
            .layer(DefaultBodyLimit::max(BODY_LIMIT))
            .layer(middleware::from_fn_with_state(
                Arc::clone(&self.origins),
                origin::guard,
            ))
            .with_state(self.clone())
    }
}

/// Refuses any address but loopback: the bridge hands a card to whoever can reach it.
pub fn require_loopback(addr: SocketAddr) -> Result<(), String> {
    if addr.ip().is_loopback() {
        Ok(())
    } else {
        Err(format!(
            "the reader bridge listens on loopback only (127.0.0.1 or [::1]), not on {addr}"
        ))
    }
}

impl Bridge {
    /// What the bridge at `base` serves, for the terminal: the route, and for the demo cards which
    /// card (and PIN) is in which reader.
    pub fn describe(&self, base: &str) -> String {
        let mut out = format!("\nreader bridge (カードリーダー中継): {base}/bridge/v1/readers\n");
        match self.made_of {
            Some((ReaderKind::Virtual, _)) => {
                out.push_str(
                "  virtual readers, one demo card each (TEST ONLY; PINs printed for the demo):\n",
            );
                for (index, card) in onshi_core::card::demo::DEMO_CARDS.iter().enumerate() {
                    out.push_str(&format!(
                        "  {:<32} {:<28} {:<8} PIN {}\n",
                        demo_readers::reader_name(index),
                        card.holder,
                        format!("{:?}", card.token),
                        card.pin
                    ));
                }
            }
            Some((ReaderKind::Pcsc, seed)) => out.push_str(&format!(
                "  PC/SC readers through pcscd: a real reader, or vpcd with\n  \
                 target/debug/onshi-virtual-card --card N --seed {seed}\n"
            )),
            None => {}
        }
        out
    }
}

/// `onshi-server bridge`: the bridge alone on `addr` (loopback only) for pages of `origins`; demo
/// cards of `seed` are issued for `date` (YYYYMMDD, JST) or today.
pub async fn standalone(
    addr: SocketAddr,
    kind: ReaderKind,
    origins: &[String],
    seed: u64,
    date: Option<&str>,
) -> Result<(), String> {
    require_loopback(addr)?;
    let origins = AllowedOrigins::parse(origins)?;
    let clock: Arc<dyn Clock> = match date {
        Some(d) => {
            let day = onshi_core::jst::parse_date(d).map_err(|e| format!("--date: {e}"))?;
            let noon = onshi_core::jst::JstDateTime::new(day, time::macros::time!(12:00));
            Arc::new(crate::clock::FixedClock::new(noon))
        }
        None => Arc::new(crate::clock::SystemClock),
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    let allowed: Vec<&str> = origins.iter().collect();
    let bridge = Bridge::of_kind(kind, seed, clock, origins.clone());
    println!("onshi reader bridge: http://{bound}/bridge/v1/");
    println!(
        "  pages allowed: {}",
        if allowed.is_empty() {
            "none (programs on this machine only)".to_owned()
        } else {
            allowed.join(", ")
        }
    );
    println!("{}", bridge.describe(&format!("http://{bound}")));
    axum::serve(listener, bridge.routes())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}

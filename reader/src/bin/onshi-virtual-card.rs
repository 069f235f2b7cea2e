//! `onshi-virtual-card`: puts a demo My Number card (TEST ONLY) into vpcd's virtual reader, so pcscd —
//! and onshi's reader bridge, OpenSC or any PC/SC program — sees a card in `Virtual PCD 00 00`.
//!
//! ```sh
//! onshi-virtual-card --card 0          # デモ 花子, PIN 1234
//! ```

use std::net::SocketAddr;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use clap::Parser;
use onshi_core::card::demo::{self, DEMO_CARDS};
use onshi_reader::vpcd;

/// Serve a demo card (TEST ONLY) to the vpcd virtual reader.
#[derive(Parser)]
struct Args {
    /// Which demo card (0-based; see the list printed at start).
    #[arg(long, default_value_t = 0)]
    card: usize,
    /// Seed of the demo keys and certificates.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// vpcd's address (its first slot is 35963).
    #[arg(long, default_value = "127.0.0.1:35963")]
    vpcd: SocketAddr,
    /// Issue the certificates as of this day (YYYYMMDD, JST); today by default.
    #[arg(long)]
    date: Option<String>,
}

fn today_jst() -> time::Date {
    (time::OffsetDateTime::now_utc() + time::Duration::hours(9)).date()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let today = match &args.date {
        Some(d) => onshi_core::jst::parse_date(d).map_err(|e| format!("--date: {e}"))?,
        None => today_jst(),
    };
    let demo_card = DEMO_CARDS[args.card % DEMO_CARDS.len()];
    eprintln!(
        "demo card {} ({:?}, {}): PIN {} — TEST ONLY",
        args.card, demo_card.token, demo_card.holder, demo_card.pin
    );
    let mut issued = demo::issue(args.seed, args.card, today)?;
    let stream = vpcd::connect(args.vpcd, Duration::from_secs(30))?;
    eprintln!("connected to vpcd at {}", args.vpcd);
    vpcd::serve(stream, &mut issued.card, &AtomicBool::new(false))?;
    Ok(())
}

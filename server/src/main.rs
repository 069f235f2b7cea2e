//! `onshi-server`: the reference eligibility service's command line.
#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use onshi_server::bridge::ReaderKind;
use onshi_server::clock::SystemClock;
use tower_http::trace::TraceLayer;

/// onshi's reference eligibility service.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the data lives: `sqlite://onshi.db` (default) or `postgres://…`.
#[derive(clap::Args)]
struct Storage {
    /// Database URL: `sqlite://path` (created when missing) or `postgres://user@host/db`.
    #[arg(long, env = "ONSHI_DATABASE_URL", default_value = "sqlite://onshi.db")]
    database_url: String,
    /// Seed of the synthetic population and its TEST card roots.
    #[arg(long, default_value_t = 1)]
    population_seed: u64,
}

#[derive(Subcommand)]
enum Command {
    /// Serves the API (and the web app, when given) on a local address.
    Serve {
        #[command(flatten)]
        storage: Storage,
        /// Where to listen; loopback by default, so nothing is exposed by accident.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The address people reach the service at, for institution URLs and QR codes
        /// (default: http://<addr>).
        #[arg(long)]
        public_url: Option<String>,
        /// The built web app (index.html, the Wasm module and its JS).
        #[arg(long)]
        web_dir: Option<PathBuf>,
        /// Prepares the demo in this folder first (seeded population, demo institutions, device
        /// keys, URLs) and prints it: what `cargo xtask run` does.
        #[arg(long)]
        demo: Option<PathBuf>,
        /// People in the demo population (seeded on the first start only).
        #[arg(long, default_value_t = 20_000)]
        demo_people: u64,
        /// Mounts the reader bridge (カードリーダー中継) under /bridge/v1/ for the service's own pages:
        /// `pcsc` (readers through pcscd) or `virtual` (the demo cards, TEST ONLY). Loopback only.
        #[arg(long, value_enum)]
        reader_bridge: Option<ReaderKind>,
    },
    /// The reader bridge (カードリーダー中継) alone: relays a web page's APDUs to a card reader on
    /// this machine. Loopback only.
    Bridge {
        /// Where to listen (a loopback address).
        #[arg(long, default_value = "127.0.0.1:8765")]
        addr: SocketAddr,
        /// `pcsc` (readers through pcscd) or `virtual` (the demo cards, TEST ONLY).
        #[arg(long, value_enum)]
        readers: ReaderKind,
        /// An origin (scheme://host[:port]) whose pages may use the bridge; repeat for more. Pages
        /// of any other origin are refused.
        #[arg(long)]
        allow_origin: Vec<String>,
        /// Population seed of the demo cards (`virtual`): the service's `--population-seed`.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Issue the demo cards as of this day (YYYYMMDD, JST); today by default.
        #[arg(long)]
        date: Option<String>,
    },
    /// Registers and revokes institution devices (端末).
    Device {
        #[command(subcommand)]
        action: DeviceCommand,
    },
    /// Stands in for the qualification terminal's 連携アプリ: answers request files dropped into
    /// `<dir>/req` in `<dir>/res`, and writes card reads into `<dir>/face`.
    Gateway {
        #[command(flatten)]
        storage: Storage,
        /// The shared folder (holding req, res, face; trash and error are added).
        #[arg(long)]
        dir: PathBuf,
        /// The institution's 医療機関等コード (10 digits).
        #[arg(long)]
        institution: String,
        /// Milliseconds between two looks at req.
        #[arg(long, default_value_t = 200)]
        poll_ms: u64,
    },
    /// Generates the synthetic population into an empty database (sandbox only: made-up people),
    /// and registers the four demo cards to persons 0–3.
    Seed {
        /// Database URL: `sqlite://path` (created when missing) or `postgres://user@host/db`.
        #[arg(long, env = "ONSHI_DATABASE_URL", default_value = "sqlite://onshi.db")]
        database_url: String,
        /// How many people.
        #[arg(long)]
        people: u64,
        /// Seed of the population and its TEST card roots: serve with the same
        /// `--population-seed`, or the cards will not verify.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Do not issue and register the demo cards (each costs a few RSA key generations).
        #[arg(long)]
        no_demo_cards: bool,
    },
}

/// 端末の登録と利用停止.
#[derive(Subcommand)]
enum DeviceCommand {
    /// Makes a device key, writes it to a file only you can read and registers the device;
    /// prints the device id.
    Add {
        #[command(flatten)]
        storage: Storage,
        /// 医療機関等コード of the institution the device belongs to.
        #[arg(long)]
        institution: String,
        /// A name staff recognise (「訪問看護タブレット1」).
        #[arg(long)]
        name: String,
        /// tablet (home visits) or pc.
        #[arg(long, default_value = "tablet")]
        kind: String,
        /// Where to write the private key (created with mode 0600; never overwritten).
        #[arg(long)]
        key_out: PathBuf,
    },
    /// Revokes a device: its sessions end and it cannot open new ones.
    Revoke {
        #[command(flatten)]
        storage: Storage,
        /// The device id.
        #[arg(long)]
        device: String,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "onshi_server=info,tower_http=warn".into()),
        )
        .init();
    let Cli { command } = Cli::parse();
    let result = match command {
        Command::Serve {
            storage,
            addr,
            public_url,
            web_dir,
            demo,
            demo_people,
            reader_bridge,
        } => {
            serve(
                storage,
                addr,
                public_url,
                web_dir,
                demo.map(|d| (d, demo_people)),
                reader_bridge,
            )
            .await
        }
        Command::Bridge {
            addr,
            readers,
            allow_origin,
            seed,
            date,
        } => {
            onshi_server::bridge::standalone(addr, readers, &allow_origin, seed, date.as_deref())
                .await
        }
        Command::Device { action } => device(action).await,
        Command::Gateway {
            storage,
            dir,
            institution,
            poll_ms,
        } => gateway(storage, dir, institution, poll_ms).await,
        Command::Seed {
            database_url,
            people,
            seed,
            no_demo_cards,
        } => seed_population(&database_url, people, seed, !no_demo_cards).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("onshi-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn device(action: DeviceCommand) -> Result<(), String> {
    use onshi_server::clock::Clock;
    let now = SystemClock.now();
    match action {
        DeviceCommand::Add {
            storage,
            institution,
            name,
            kind,
            key_out,
        } => {
            let kind: onshi_server::device::DeviceKind = kind
                .parse()
                .map_err(|e: onshi_core::device::ProtocolError| e.to_string())?;
            let db = onshi_server::db::Db::open(&storage.database_url)
                .await
                .map_err(|e| e.to_string())?;
            let id = onshi_server::device::cli::add(&db, &institution, &name, kind, &key_out, now)
                .await?;
            println!("{id}");
            Ok(())
        }
        DeviceCommand::Revoke { storage, device } => {
            let db = onshi_server::db::Db::open(&storage.database_url)
                .await
                .map_err(|e| e.to_string())?;
            onshi_server::device::cli::revoke(&db, &device, now).await
        }
    }
}

async fn seed_population(
    database_url: &str,
    people: u64,
    seed: u64,
    demo_cards: bool,
) -> Result<(), String> {
    use onshi_server::population::store::SeedOptions;
    let state = onshi_server::state::sandbox(
        database_url,
        "http://127.0.0.1:8080",
        seed,
        Arc::new(SystemClock),
    )
    .await?;
    let summary = onshi_server::population::seed(&state, SeedOptions { people, demo_cards })
        .await
        .map_err(|e| format!("{} / {}", e.message.ja, e.message.en))?;
    println!(
        "seeded {} people (seed {}) in {:.1} s",
        summary.people,
        summary.seed,
        summary.elapsed.as_secs_f64()
    );
    println!(
        "  records {}  medications {}  diagnoses {}  checkups {}  医療券・調剤券 {}  demo cards {}",
        summary.records,
        summary.medications,
        summary.diagnoses,
        summary.checkups,
        summary.tickets,
        summary.cards
    );
    for (kind, count) in &summary.kinds {
        println!("  {kind:<26} {count:>9}");
    }
    Ok(())
}

async fn serve(
    storage: Storage,
    addr: SocketAddr,
    public_url: Option<String>,
    web_dir: Option<PathBuf>,
    demo: Option<(PathBuf, u64)>,
    reader_bridge: Option<ReaderKind>,
) -> Result<(), String> {
    if reader_bridge.is_some() {
        onshi_server::bridge::require_loopback(addr)?;
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    let public_url = public_url.unwrap_or_else(|| format!("http://{bound}"));
    let state = onshi_server::state::sandbox(
        &storage.database_url,
        &public_url,
        storage.population_seed,
        Arc::new(SystemClock),
    )
    .await?;
    let demo_text = match demo {
        Some((dir, people)) => {
            let summary = onshi_server::demo::prepare(&state, &dir, people).await?;
            Some(onshi_server::demo::describe(
                &summary,
                &public_url,
                storage.population_seed,
            ))
        }
        None => None,
    };
    // 一括照会 jobs run in the background; unfinished ones resume first.
    onshi_server::bulk::spawn_worker(state.clone());
    let bridge = reader_bridge
        .map(|kind| onshi_server::bridge::Bridge::for_service(kind, &state, bound))
        .transpose()?;
    let mut app = onshi_server::http::router(state);
    if let Some(bridge) = &bridge {
        app = app.merge(bridge.routes());
    }
    if let Some(dir) = web_dir {
        app = onshi_server::web_app::serve(app, &dir)?;
    }
    let app = app.layer(TraceLayer::new_for_http());
    // The bound address, for tests that ask for port 0.
    println!("onshi service: http://{bound}/");
    if let Some(text) = demo_text {
        println!("{text}");
    }
    if let Some(bridge) = &bridge {
        println!("{}", bridge.describe(&public_url));
    }
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}

async fn gateway(
    storage: Storage,
    dir: PathBuf,
    institution: String,
    poll_ms: u64,
) -> Result<(), String> {
    let state = onshi_server::state::sandbox(
        &storage.database_url,
        "http://127.0.0.1:8080",
        storage.population_seed,
        Arc::new(SystemClock),
    )
    .await?;
    let gateway = onshi_server::gateway::Gateway::open(state.clone(), &dir, &institution)
        .map_err(|e| e.to_string())?;
    // 一括照会 uploads are processed here too; unfinished jobs resume from their last chunk.
    let worker = onshi_server::bulk::spawn_worker(state);
    println!("onshi gateway: watching {}", dir.join("req").display());
    gateway
        .run(std::time::Duration::from_millis(poll_ms.max(10)), async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    worker.abort();
    Ok(())
}

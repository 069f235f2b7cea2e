//! onshi-server: the reference eligibility service. Today it serves the onshi web app; the consent,
//! 再照会, 一括照会 and OQS gateway services grow here.
#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

/// onshi's reference eligibility service.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serves the web app on a local address.
    Serve {
        /// Where to listen; loopback by default, so nothing is exposed by accident.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The built web app (index.html, the Wasm module and its JS).
        #[arg(long)]
        web_dir: PathBuf,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "onshi_server=info,tower_http=info".into()),
        )
        .init();
    let Cli { command } = Cli::parse();
    let result = match command {
        Command::Serve { addr, web_dir } => serve(addr, web_dir).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(addr: SocketAddr, web_dir: PathBuf) -> std::io::Result<()> {
    if !web_dir.join("index.html").is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!(
                "no index.html in {}: build the web app first (cargo xtask run does)",
                web_dir.display()
            ),
        ));
    }
    let app = axum::Router::new()
        .fallback_service(ServeDir::new(&web_dir))
        .layer(TraceLayer::new_for_http());
    let listener = tokio::net::TcpListener::bind(addr).await?;
    // The bound address, for tests that ask for port 0.
    println!("onshi web app: http://{}/", listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

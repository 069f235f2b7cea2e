//! The state every handler shares: storage, clock, keys, configuration and metrics.

use std::sync::Arc;

use onshi_core::card::verify::{RevocationList, TrustAnchors};

use crate::clock::Clock;
use crate::db::Db;
use crate::keys::ServiceKeys;
use crate::metrics::Metrics;

/// What a deployment configures.
pub struct Config {
    /// The address patients and staff reach the service at (`http://127.0.0.1:8080`), without a
    /// trailing slash; institution URLs and QR codes are built on it.
    pub public_url: String,
    /// The roots card certificates must chain to (the TEST roots in the sandbox, J-LIS's in real use).
    pub trust: TrustAnchors,
    /// Revoked card certificates.
    pub revocations: RevocationList,
    /// The seed the synthetic population and its virtual cards derive from.
    pub population_seed: u64,
    /// SHA-256 of the administrator's bearer token, when administration over HTTP is enabled.
    pub admin_token_sha256: Option<[u8; 32]>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("public_url", &self.public_url)
            .field("population_seed", &self.population_seed)
            .finish_non_exhaustive()
    }
}

/// Shared by every request (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    /// Storage.
    pub db: Db,
    /// Now, in JST.
    pub clock: Arc<dyn Clock>,
    /// The service's keys.
    pub keys: Arc<ServiceKeys>,
    /// Deployment settings.
    pub config: Arc<Config>,
    /// Prometheus metrics.
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// Now, in JST.
    pub fn now(&self) -> onshi_core::jst::JstDateTime {
        self.clock.now()
    }
}

/// Opens storage, loads the keys and builds the state for a sandbox deployment, whose cards chain to
/// the TEST roots derived from `population_seed`.
pub async fn sandbox(
    database_url: &str,
    public_url: &str,
    population_seed: u64,
    clock: Arc<dyn Clock>,
) -> Result<AppState, String> {
    let db = Db::open(database_url).await.map_err(|e| e.to_string())?;
    let keys = ServiceKeys::load_or_create(&db).await?;
    let trust = sandbox_trust(population_seed)?;
    Ok(AppState {
        db,
        clock,
        keys: Arc::new(keys),
        config: Arc::new(Config {
            public_url: public_url.trim_end_matches('/').to_owned(),
            trust,
            revocations: RevocationList::new(),
            population_seed,
            admin_token_sha256: None,
        }),
        metrics: Arc::new(Metrics::default()),
    })
}

/// The TEST root that demo and synthetic cards of `seed` chain to.
pub fn sandbox_trust(seed: u64) -> Result<TrustAnchors, String> {
    use onshi_core::card::demo::DEMO_ROOT_GENERATION;
    use onshi_core::card::test_ca::TestAuthority;
    let authority =
        TestAuthority::generation(seed, DEMO_ROOT_GENERATION).map_err(|e| e.to_string())?;
    TrustAnchors::from_der_roots([authority.root_certificate_der()]).map_err(|e| e.to_string())
}

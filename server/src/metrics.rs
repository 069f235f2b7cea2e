//! 稼働指標 (metrics) for Prometheus at `/metrics`: requests by route and status, and their latency.
//! Labels never carry personal data — routes are the templates (`/v1/patients/{ref}`), not the paths.

use std::sync::Mutex;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// A route template and method.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    /// HTTP method.
    pub method: String,
    /// The route template.
    pub route: String,
}

/// A route template and the answer's status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StatusLabels {
    /// The route template.
    pub route: String,
    /// HTTP status code.
    pub status: u16,
}

/// An event counted by name (`consent_registered`, `bulk_rows_done`, `gateway_files_answered`, …).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct EventLabels {
    /// What happened.
    pub event: String,
}

/// The service's metrics.
pub struct Metrics {
    registry: Mutex<Registry>,
    /// Requests answered, by route and status.
    pub requests: Family<StatusLabels, Counter>,
    /// Seconds to answer, by route.
    pub latency: Family<RouteLabels, Histogram>,
    /// Domain events.
    pub events: Family<EventLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("onshi");
        let requests = Family::<StatusLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.000_05, 2.0, 16))
        });
        let events = Family::<EventLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "time to answer an HTTP request",
            latency.clone(),
        );
        registry.register("events", "domain events", events.clone());
        Self {
            registry: Mutex::new(registry),
            requests,
            latency,
            events,
        }
    }
}

impl Metrics {
    /// Counts one domain event.
    pub fn event(&self, event: &str) {
        self.events
            .get_or_create(&EventLabels {
                event: event.to_owned(),
            })
            .inc();
    }

    /// The OpenMetrics text.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if let Ok(registry) = self.registry.lock() {
            let _ = prometheus_client::encoding::text::encode(&mut out, &registry);
        }
        out
    }
}

//! The HTTP service: every module's routes under one router, with metrics around each request.

use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::metrics::{RouteLabels, StatusLabels};
use crate::state::AppState;

/// The service's routes (the web app's files are added by the caller when it serves them).
pub fn router(state: AppState) -> Router {
    // Each module owns its routes (`pub fn routes() -> Router<AppState>`), merged here.
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics))
        .route("/v1/openapi.json", get(openapi))
        .merge(crate::device::routes())
        .merge(crate::institution_url::routes())
        .merge(crate::routes::routes())
        .merge(crate::bulk::routes())
        .merge(crate::population::routes())
        .layer(middleware::from_fn_with_state(state.clone(), measure))
        .with_state(state)
}

/// The OpenAPI document of every route (kept beside the code; a test checks it lists them all).
pub const OPENAPI: &str = include_str!("../api/openapi.json");

async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        OPENAPI,
    )
        .into_response()
}

async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.encode(),
    )
        .into_response()
}

async fn measure(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    state
        .metrics
        .latency
        .get_or_create(&RouteLabels {
            method,
            route: route.clone(),
        })
        .observe(started.elapsed().as_secs_f64());
    state
        .metrics
        .requests
        .get_or_create(&StatusLabels {
            route,
            status: response.status().as_u16(),
        })
        .inc();
    response
}

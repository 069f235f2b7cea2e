//! onshi-server: the reference eligibility service — the counterpart the flows need. It holds the
//! qualifications insurers registered, institutions and their devices, registers consent after a
//! verified card, answers qualification checks, 再照会 and 一括照会, serves medical information only
//! under consent (every access on a hash-chained audit log), and stands in for the qualification
//! terminal's req/res/face folders for receipt computers, and relays a web page's APDUs to a card reader on
//! this machine (the reader bridge). Every rule comes from onshi-core.
#![forbid(unsafe_code)]

pub mod admin;
pub mod audit;
pub mod bridge;
pub mod bulk;
pub mod clock;
pub mod consent;
pub mod db;
pub mod demo;
pub mod device;
pub mod disaster;
pub mod error;
pub mod gateway;
pub mod http;
pub mod inquiry;
pub mod institution_url;
pub mod institutions;
pub mod keys;
pub mod medical;
pub mod metrics;
pub mod population;
pub mod registry;
pub mod routes;
pub mod state;
pub mod testing;
pub mod visit_plan;
pub mod web_app;

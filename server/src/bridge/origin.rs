//! 接続元の制限 (who may use the bridge): a browser names the page behind every cross-origin request
//! and every POST or DELETE in its `Origin` header; the bridge answers only pages of an allowed origin
//! (CORS preflights included) and refuses the rest with BRIDGE_ORIGIN_REFUSED, so no other web page
//! open in the same browser can reach the card. Requests without `Origin` come from programs on this
//! machine (or same-origin GETs) and pass. The `Host` must name this machine or an allowed origin,
//! which keeps a DNS-rebound name (a page's own host resolving to 127.0.0.1) out too.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_MAX_AGE, HOST, ORIGIN, VARY,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::BridgeError;

/// Chromium's Private Network Access: a public page's preflight to a loopback address asks for this.
const REQUEST_PRIVATE_NETWORK: &str = "access-control-request-private-network";
const ALLOW_PRIVATE_NETWORK: &str = "access-control-allow-private-network";

/// The web origins (`scheme://host[:port]`) whose pages may use the bridge.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedOrigins {
    origins: Vec<String>,
}

/// An origin as browsers serialise it: lower case, no default port, no path.
fn normalize(text: &str) -> Result<String, String> {
    let lower = text.trim().to_ascii_lowercase();
    let lower = lower.strip_suffix('/').unwrap_or(&lower);
    let (scheme, authority) = lower
        .split_once("://")
        .ok_or_else(|| format!("{text:?} is not an origin: write scheme://host[:port]"))?;
    let default_port = match scheme {
        "http" => ":80",
        "https" => ":443",
        _ => return Err(format!("{text:?}: an origin is http:// or https://")),
    };
    if authority.is_empty()
        || authority.contains(|c: char| "/?#@\\".contains(c) || c.is_whitespace())
    {
        return Err(format!(
            "{text:?} is not an origin: write scheme://host[:port], without a path"
        ));
    }
    let authority = authority.strip_suffix(default_port).unwrap_or(authority);
    Ok(format!("{scheme}://{authority}"))
}

/// The host name of a `Host` header or an origin's authority, without the port.
fn host_name(authority: &str) -> &str {
    match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => authority.split(':').next().unwrap_or(authority),
    }
}

fn is_loopback_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl AllowedOrigins {
    /// The origins given on the command line (`--allow-origin https://service.example`).
    pub fn parse<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> Result<Self, String> {
        let origins = values
            .into_iter()
            .map(|v| normalize(v.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { origins })
    }

    /// The service's own origins, for a bridge mounted in it: that of its public URL, and
    /// `http://<bound address>`.
    pub fn service(public_url: &str, bound: SocketAddr) -> Result<Self, String> {
        let (scheme, rest) = public_url
            .split_once("://")
            .ok_or_else(|| format!("public URL {public_url:?} has no scheme"))?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        Self::parse([format!("{scheme}://{authority}"), format!("http://{bound}")])
    }

    /// Whether a page of `origin` (the `Origin` header as sent) may use the bridge.
    pub fn allows(&self, origin: &str) -> bool {
        self.origins.iter().any(|o| o == origin)
    }

    fn host_allowed(&self, host: &str) -> bool {
        let name = host_name(host);
        is_loopback_name(name)
            || self.origins.iter().any(|o| {
                let authority = o.split_once("://").map_or(o.as_str(), |(_, a)| a);
                host_name(authority).eq_ignore_ascii_case(name)
            })
    }

    /// The allowed origins, for printing.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.origins.iter().map(String::as_str)
    }
}

/// The middleware in front of every bridge route.
pub async fn guard(
    State(allowed): State<Arc<AllowedOrigins>>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    if let Some(host) = headers.get(HOST) {
        let host = host.to_str().unwrap_or_default();
        if !allowed.host_allowed(host) {
            return BridgeError::OriginRefused(format!("host {host}")).into_response();
        }
    }
    let Some(origin) = headers.get(ORIGIN) else {
        return next.run(request).await;
    };
    let Some(origin) = origin
        .to_str()
        .ok()
        .filter(|o| allowed.allows(o))
        .and_then(|o| HeaderValue::from_str(o).ok())
    else {
        let shown = String::from_utf8_lossy(origin.as_bytes()).into_owned();
        return BridgeError::OriginRefused(shown).into_response();
    };
    if request.method() == Method::OPTIONS {
        return preflight(origin, headers);
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.append(VARY, HeaderValue::from_static("origin"));
    response
}

/// The CORS preflight of an allowed origin.
fn preflight(origin: HeaderValue, request: &HeaderMap) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, DELETE"),
    );
    headers.insert(
        ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("content-type"),
    );
    headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    headers.insert(VARY, HeaderValue::from_static("origin"));
    let private_network = request.get(REQUEST_PRIVATE_NETWORK);
    if private_network.is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"true")) {
        headers.insert(
            HeaderName::from_static(ALLOW_PRIVATE_NETWORK),
            HeaderValue::from_static("true"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_compared_as_browsers_send_them() {
        let allowed =
            AllowedOrigins::parse(["HTTPS://Service.Example:443/", "http://127.0.0.1:8080"])
                .unwrap_or_else(|e| panic!("{e}"));
        assert!(allowed.allows("https://service.example"));
        assert!(allowed.allows("http://127.0.0.1:8080"));
        assert!(!allowed.allows("https://service.example:8443"));
        assert!(!allowed.allows("http://service.example"));
        assert!(!allowed.allows("null"));
    }

    #[test]
    fn an_origin_with_a_path_or_another_scheme_is_refused_at_start() {
        for bad in [
            "https://a.example/app",
            "file:///tmp",
            "null",
            "a.example",
            "https://",
        ] {
            assert!(AllowedOrigins::parse([bad]).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_service_allows_its_public_origin_and_its_address() {
        let bound: SocketAddr = ([127, 0, 0, 1], 8080).into();
        let allowed = AllowedOrigins::service("https://onshi.example/app/", bound)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(allowed.allows("https://onshi.example"));
        assert!(allowed.allows("http://127.0.0.1:8080"));
        assert!(!allowed.allows("http://127.0.0.1:8081"));
    }

    #[test]
    fn only_this_machine_and_allowed_hosts_may_be_named_in_host() {
        let allowed =
            AllowedOrigins::parse(["https://service.example"]).unwrap_or_else(|e| panic!("{e}"));
        for ok in [
            "127.0.0.1:8765",
            "localhost:8765",
            "[::1]:8765",
            "127.0.0.1",
            "service.example",
        ] {
            assert!(allowed.host_allowed(ok), "{ok}");
        }
        for bad in [
            "evil.example:8765",
            "192.168.1.2:8765",
            "[fe80::1]:8765",
            "",
        ] {
            assert!(!allowed.host_allowed(bad), "{bad}");
        }
    }
}

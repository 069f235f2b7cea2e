//! 端末認証 (device authentication), protocol version 1: the wire format a registered device and
//! the service share. The service verifies with these functions and devices sign with them (the
//! service's own test client, the browser app), so there is one implementation of the protocol.
//!
//! Pure: no IO, no clock, no randomness. Callers pass the time (`at`, Unix seconds), the nonce and
//! the bytes of ephemeral secrets; the service's rules around it (registered devices, nonce
//! memory, session table, revocation) live in the service.
//!
//! # Protocol (version 1)
//!
//! All CBOR maps have text keys; byte strings are CBOR byte strings (major type 2); base64url is
//! without padding. P-256 public keys are SEC1 uncompressed (65 bytes, `04 ‖ x ‖ y`).
//!
//! **Registration.** The device holds a P-256 key pair; its public key is registered to an
//! institution (`onshi-server device add`), which gives the device id and writes a
//! [`DeviceKeyFile`].
//!
//! **1. Opening a session** — `POST /v1/device-sessions`, body the COSE_Sign1 bytes with
//! `Content-Type: application/cose`, or JSON `{"cose": "<base64url>"}`.
//! - Make an ephemeral P-256 key pair `(e, E)` and 16 random bytes `nonce`.
//! - Payload = CBOR map `{"v": 1, "device": <device id>, "institution": <医療機関等コード>,
//!   "at": <unix seconds>, "nonce": <16 bytes>, "ephemeral": <E, 65 bytes>}`.
//! - COSE_Sign1 (tag 18) with protected header `{1: -7 (ES256), 4: <device id as UTF-8 bytes>}`,
//!   empty unprotected header, that payload, and the ES256 signature (64 bytes `r ‖ s`) over the
//!   `Sig_structure` `["Signature1", protected, h'', payload]` with the device key
//!   ([`SessionOpening::to_be_signed`], then [`SessionOpening::to_sign1`]).
//! - The answer is JSON `{"session_id", "service_key", "expires_at", "max_skew_seconds"}`
//!   ([`SessionGrant`]; `session_id`: 16 bytes base64url; `service_key`: the service's ephemeral
//!   key `S`).
//! - Session key `K` = HKDF-SHA-256(salt = session id bytes, IKM = x-coordinate of ECDH(e, S),
//!   info = `"onshi device session v1"` ‖ E ‖ S), 32 bytes ([`derive_session_key`]). `K` never
//!   travels.
//! - A nonce is accepted once; `at` must be within ± 5 minutes of the service's clock.
//!
//! **2. Each request** carries `Authorization: COSE-Mac0 <base64url of a COSE_Mac0 (tag 17)>`
//! ([`DeviceSession::authorization`]):
//! - Payload = CBOR map `{"v": 1, "session": <16 bytes>, "counter": <n>, "at": <unix seconds>,
//!   "method": "POST", "path": "/v1/…?query", "body": <SHA-256 of the body bytes, 32 bytes>}`.
//!   `path` is the path and query exactly as sent; an empty body hashes the empty string.
//! - `counter` starts at 1 and rises with every request of the session; a value not above the last
//!   accepted one is refused, so send a session's requests one after another (or open a session per
//!   parallel worker).
//! - Protected header `{1: 5 (HMAC 256/256), 4: <session id bytes>}`, empty unprotected header,
//!   tag = HMAC-SHA-256(K, `MAC_structure` `["MAC0", protected, h'', payload]`), 32 bytes.
//!
//! **3. Renewal.** On `DEVICE_SESSION_UNKNOWN` (a restart) or `DEVICE_SESSION_EXPIRED` (after
//! 12 hours), open a new session and send the request again with it ([`needs_new_session`]).

mod cbor;
mod error;
mod key_file;
mod keys;
mod opening;
mod request;
mod session;

pub use error::ProtocolError;
pub use key_file::{DeviceKeyFile, DeviceKind};
pub use keys::{derive_session_key, public_key_bytes, public_key_from_bytes, secret_from_bytes};
pub use opening::{SessionOpening, UnverifiedOpening, read_opening};
pub use request::{
    RequestClaims, UnverifiedRequest, body_digest, mac_request, read_authorization, read_request,
};
pub use session::{DeviceSession, PendingSession, ServiceError, SessionGrant, needs_new_session};

/// The P-256 types the protocol's functions take: a caller needs no crate of its own to name them.
pub use p256::ecdsa::{SigningKey, VerifyingKey};
pub use p256::{PublicKey, SecretKey};

/// The protocol version carried in every payload (`"v": 1`).
pub const PROTOCOL_VERSION: u64 = 1;

/// 許容時刻差: how far a device's timestamp may be from the service's clock, either way (± 5 min).
/// Also how long a session opening's nonce is remembered: after that its timestamp is refused.
pub const MAX_SKEW_SECONDS: i64 = 300;

/// セッションの有効期間: a device session lasts 12 hours (one working day), then the device signs a
/// new opening.
pub const SESSION_LIFETIME_SECONDS: i64 = 12 * 60 * 60;

/// The HKDF info prefix; the two ephemeral keys follow it.
pub const HKDF_INFO_PREFIX: &[u8] = b"onshi device session v1";

/// Length of a session id in bytes.
pub const SESSION_ID_LEN: usize = 16;

/// Length of an opening nonce in bytes.
pub const NONCE_LEN: usize = 16;

/// The `Authorization` scheme of request MACs (`Authorization: COSE-Mac0 <base64url>`).
pub const AUTHORIZATION_SCHEME: &str = "COSE-Mac0";

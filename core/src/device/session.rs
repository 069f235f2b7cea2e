//! 端末セッション (a device session) from the device's side: an opening in progress
//! ([`PendingSession`]), the service's answer ([`SessionGrant`]) and the open session that
//! authenticates requests ([`DeviceSession`]).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::{PublicKey, SecretKey};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::i18n::Message;

use super::keys::{derive_session_key, public_key_bytes, public_key_from_bytes, secret_from_bytes};
use super::request::{RequestClaims, authorization_value, body_digest, mac_request};
use super::{MAX_SKEW_SECONDS, NONCE_LEN, ProtocolError, SESSION_ID_LEN, SessionOpening};

/// セッション開始の応答 (the service's answer to a session opening), sent as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionGrant {
    /// The session id, base64url without padding (16 bytes); the kid of every request MAC.
    pub session_id: String,
    /// The service's ephemeral P-256 key, SEC1 uncompressed, base64url without padding.
    pub service_key: String,
    /// When the session ends, seconds since the Unix epoch.
    pub expires_at: i64,
    /// The allowed clock skew, seconds.
    pub max_skew_seconds: i64,
}

impl SessionGrant {
    /// The grant for session `id` with the service's ephemeral key.
    pub fn new(id: &[u8; SESSION_ID_LEN], service_key: &PublicKey, expires_at: i64) -> Self {
        Self {
            session_id: URL_SAFE_NO_PAD.encode(id),
            service_key: URL_SAFE_NO_PAD.encode(public_key_bytes(service_key)),
            expires_at,
            max_skew_seconds: MAX_SKEW_SECONDS,
        }
    }

    /// Reads the JSON answer of `POST /v1/device-sessions`.
    pub fn from_json(body: &[u8]) -> Result<Self, ProtocolError> {
        serde_json::from_slice(body).map_err(|_| ProtocolError::Grant("not a session grant"))
    }

    /// The session id's bytes.
    pub fn session_id_bytes(&self) -> Result<[u8; SESSION_ID_LEN], ProtocolError> {
        URL_SAFE_NO_PAD
            .decode(self.session_id.as_bytes())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(ProtocolError::Grant("session_id"))
    }

    /// The service's ephemeral key.
    pub fn service_public_key(&self) -> Result<PublicKey, ProtocolError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(self.service_key.as_bytes())
            .map_err(|_| ProtocolError::Grant("service_key"))?;
        public_key_from_bytes(&bytes).map_err(|_| ProtocolError::Grant("service_key"))
    }
}

/// セッション開始中 (an opening in progress): the opening to sign and its ephemeral secret, kept
/// until the service answers.
pub struct PendingSession {
    ephemeral: SecretKey,
    opening: SessionOpening,
}

impl std::fmt::Debug for PendingSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingSession")
            .field("opening", &self.opening)
            .finish_non_exhaustive()
    }
}

impl PendingSession {
    /// An opening by device `device_id` of `institution` at `at` (Unix seconds), with a fresh
    /// random `nonce` and 32 fresh random bytes for the ephemeral secret, all drawn by the caller.
    pub fn new(
        device_id: &str,
        institution: &str,
        at: i64,
        nonce: [u8; NONCE_LEN],
        ephemeral_secret: &[u8; 32],
    ) -> Result<Self, ProtocolError> {
        let ephemeral = secret_from_bytes(ephemeral_secret)?;
        let opening = SessionOpening {
            device_id: device_id.to_owned(),
            institution: institution.to_owned(),
            at,
            nonce,
            ephemeral: ephemeral.public_key(),
        };
        Ok(Self { ephemeral, opening })
    }

    /// The opening the device signs.
    pub fn opening(&self) -> &SessionOpening {
        &self.opening
    }

    /// Derives the session key from the service's answer: the session is open.
    pub fn complete(self, grant: &SessionGrant) -> Result<DeviceSession, ProtocolError> {
        let id = grant.session_id_bytes()?;
        let service_key = grant.service_public_key()?;
        let key = derive_session_key(
            &self.ephemeral,
            &service_key,
            &id,
            &self.opening.ephemeral,
            &service_key,
        );
        Ok(DeviceSession {
            id,
            key,
            counter: 0,
            expires_at: grant.expires_at,
        })
    }
}

/// 端末セッション (an open device session) on the device: id, key and the last counter used. The
/// key lives in memory only.
pub struct DeviceSession {
    id: [u8; SESSION_ID_LEN],
    key: Zeroizing<[u8; 32]>,
    counter: u64,
    expires_at: i64,
}

impl std::fmt::Debug for DeviceSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceSession")
            .field("counter", &self.counter)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl DeviceSession {
    /// The session id.
    pub fn id(&self) -> &[u8; SESSION_ID_LEN] {
        &self.id
    }

    /// When the service ends the session (its clock), Unix seconds.
    pub fn expires_at(&self) -> i64 {
        self.expires_at
    }

    /// The counter of the last request authorized (0 before the first).
    pub fn counter(&self) -> u64 {
        self.counter
    }

    /// Whether the session is still open at `at` by the device's clock.
    pub fn is_live(&self, at: i64) -> bool {
        at < self.expires_at
    }

    /// The `Authorization` header value (`COSE-Mac0 <base64url>`) for one request sent at `at`;
    /// uses up one counter value, so send requests in the order they were authorized.
    pub fn authorization(
        &mut self,
        method: &str,
        path_and_query: &str,
        body: &[u8],
        at: i64,
    ) -> Result<String, ProtocolError> {
        self.counter = self.counter.saturating_add(1);
        let claims = RequestClaims {
            session: self.id,
            counter: self.counter,
            at,
            method: method.to_ascii_uppercase(),
            path: path_and_query.to_owned(),
            body_sha256: body_digest(body),
        };
        Ok(authorization_value(&mac_request(&self.key, &claims)?))
    }
}

/// サービスのエラー応答 (the service's error answer, `{"error": {"code", "ja", "en"}}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// The stable code (`DEVICE_SESSION_UNKNOWN`).
    pub code: String,
    /// What the service says, in Japanese and English.
    pub message: Message,
}

impl ServiceError {
    /// Reads an error answer; `None` when the body is not one.
    pub fn from_json(body: &[u8]) -> Option<Self> {
        let json: serde_json::Value = serde_json::from_slice(body).ok()?;
        let error = &json["error"];
        let text = |key: &str| error[key].as_str().unwrap_or_default().to_owned();
        Some(Self {
            code: error["code"].as_str()?.to_owned(),
            message: Message::new(text("ja"), text("en")),
        })
    }
}

/// 再接続の判断 (renewal): whether the service's answer says the session is gone
/// (`DEVICE_SESSION_UNKNOWN` after a restart, `DEVICE_SESSION_EXPIRED` after 12 hours), so the
/// device opens a new session and sends the request again.
pub fn needs_new_session(status: u16, body: &[u8]) -> bool {
    status == 401
        && ServiceError::from_json(body).is_some_and(|e| {
            matches!(
                e.code.as_str(),
                "DEVICE_SESSION_UNKNOWN" | "DEVICE_SESSION_EXPIRED"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{read_authorization, read_opening};
    use p256::ecdsa::SigningKey;

    fn ok<T>(r: Result<T, ProtocolError>) -> T {
        r.unwrap_or_else(|e| panic!("{e}"))
    }

    /// The service's side of an opening, as the service does it.
    fn grant_for(sign1: &[u8], key: &SigningKey) -> (SessionGrant, Zeroizing<[u8; 32]>) {
        let opening = ok(ok(read_opening(sign1)).verify(key.verifying_key()));
        let service = ok(secret_from_bytes(&[21; 32]));
        let id = [9u8; SESSION_ID_LEN];
        let session_key = derive_session_key(
            &service,
            &opening.ephemeral,
            &id,
            &opening.ephemeral,
            &service.public_key(),
        );
        let grant = SessionGrant::new(&id, &service.public_key(), opening.at + 3600);
        (grant, session_key)
    }

    #[test]
    fn a_device_session_authorizes_requests_the_service_verifies() {
        let key = SigningKey::from_slice(&[7; 32]).unwrap_or_else(|e| panic!("{e}"));
        let pending = ok(PendingSession::new(
            "d1",
            "1312345678",
            1_790_000_000,
            [4; NONCE_LEN],
            &[5; 32],
        ));
        let sign1 = ok(pending.opening().sign(&key));
        let (grant, service_key) = grant_for(&sign1, &key);
        let json = serde_json::to_vec(&grant).unwrap_or_else(|e| panic!("{e}"));
        let mut session = ok(pending.complete(&ok(SessionGrant::from_json(&json))));
        assert_eq!(session.id(), &[9; SESSION_ID_LEN]);
        assert!(session.is_live(1_790_000_000) && !session.is_live(1_790_003_600));

        for (n, body) in [(1u64, &b"{}"[..]), (2, b"")] {
            let header = ok(session.authorization("post", "/v1/x?a=1", body, 1_790_000_010));
            let claims = ok(ok(read_authorization(&header)).verify(&service_key));
            assert_eq!(claims.counter, n);
            assert_eq!(claims.method, "POST");
            assert_eq!(claims.path, "/v1/x?a=1");
            assert_eq!(claims.body_sha256, body_digest(body));
            assert_eq!(claims.at, 1_790_000_010);
        }
        assert_eq!(session.counter(), 2);
    }

    #[test]
    fn unreadable_grants_are_typed_errors() {
        assert_eq!(
            SessionGrant::from_json(b"{").err(),
            Some(ProtocolError::Grant("not a session grant"))
        );
        let pending = || ok(PendingSession::new("d1", "x", 0, [0; NONCE_LEN], &[5; 32]));
        let service = ok(secret_from_bytes(&[6; 32])).public_key();
        let mut grant = SessionGrant::new(&[1; SESSION_ID_LEN], &service, 10);
        grant.session_id = "AAAA".into();
        assert_eq!(
            pending().complete(&grant).err(),
            Some(ProtocolError::Grant("session_id"))
        );
        let mut grant = SessionGrant::new(&[1; SESSION_ID_LEN], &service, 10);
        grant.service_key = URL_SAFE_NO_PAD.encode([4u8; 65]);
        assert_eq!(
            pending().complete(&grant).err(),
            Some(ProtocolError::Grant("service_key"))
        );
    }

    #[test]
    fn only_a_gone_session_asks_for_a_new_one() {
        let answer = |code: &str| format!(r#"{{"error":{{"code":"{code}","ja":"","en":""}}}}"#);
        assert!(needs_new_session(
            401,
            answer("DEVICE_SESSION_UNKNOWN").as_bytes()
        ));
        assert!(needs_new_session(
            401,
            answer("DEVICE_SESSION_EXPIRED").as_bytes()
        ));
        assert!(!needs_new_session(
            401,
            answer("DEVICE_MAC_INVALID").as_bytes()
        ));
        assert!(!needs_new_session(
            200,
            answer("DEVICE_SESSION_UNKNOWN").as_bytes()
        ));
        assert!(!needs_new_session(401, b"not json"));
        let error = ServiceError::from_json(answer("DEVICE_REVOKED").as_bytes());
        assert_eq!(error.map(|e| e.code), Some("DEVICE_REVOKED".to_owned()));
        assert_eq!(ServiceError::from_json(b"{}"), None);
    }
}

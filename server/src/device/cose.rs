//! 端末認証のメッセージ (the messages of device authentication), as COSE (RFC 9052) over CBOR.
//!
//! - **Session opening**: a COSE_Sign1 (ES256) by the device's registered key over a
//!   [`SessionOpening`]: device id, institution, timestamp, a random nonce and an ephemeral P-256
//!   key for ECDH. Verified once per session (≈ 214 µs).
//! - **Session key**: ECDH of the two ephemeral keys, then HKDF-SHA-256 ([`derive_session_key`]);
//!   the key never travels.
//! - **Requests**: a COSE_Mac0 (HMAC 256/256) over [`RequestClaims`], checked with one HMAC.
//!
//! These functions are pure (no storage, no clock); [`super::session`] applies the rules around
//! them and [`super::client`] documents the protocol for implementers.

use ciborium::Value;
use coset::{
    Algorithm, CborSerializable, CoseMac0, CoseMac0Builder, CoseSign1, CoseSign1Builder,
    HeaderBuilder, TaggedCborSerializable, iana,
};
use hmac::{Hmac, Mac};
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use p256::{PublicKey, SecretKey};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::error::DeviceAuthError;

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

/// 端末セッション開始要求 (session opening): what the device signs with its registered key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionOpening {
    /// The device id the service issued at registration (also the COSE kid).
    pub device_id: String,
    /// 医療機関等コード the device says it belongs to.
    pub institution: String,
    /// When the device signed, in seconds since the Unix epoch.
    pub at: i64,
    /// A fresh random nonce; an opening is accepted once.
    pub nonce: [u8; NONCE_LEN],
    /// The device's ephemeral ECDH key for this session.
    pub ephemeral: PublicKey,
}

/// 要求の認証情報 (request claims): what a COSE_Mac0 binds for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestClaims {
    /// The session the request belongs to.
    pub session: [u8; SESSION_ID_LEN],
    /// Strictly increasing within the session, starting at 1.
    pub counter: u64,
    /// When the device sent it, in seconds since the Unix epoch.
    pub at: i64,
    /// The HTTP method, upper case (`GET`, `POST`).
    pub method: String,
    /// The path with its query, exactly as sent (`/v1/checks?x=1`).
    pub path: String,
    /// SHA-256 of the request body (of no bytes for an empty body).
    pub body_sha256: [u8; 32],
}

type HmacSha256 = Hmac<Sha256>;

/// SEC1 uncompressed encoding (65 bytes), the only form onshi sends and accepts.
pub fn public_key_bytes(key: &PublicKey) -> Vec<u8> {
    p256::Sec1Point::from(key).as_bytes().to_vec()
}

/// Decodes a SEC1 uncompressed P-256 public key.
pub fn public_key_from_bytes(bytes: &[u8]) -> Result<PublicKey, DeviceAuthError> {
    if bytes.len() != 65 || bytes.first() != Some(&4) {
        return Err(DeviceAuthError::Malformed("key is not SEC1 uncompressed"));
    }
    PublicKey::from_sec1_bytes(bytes).map_err(|_| DeviceAuthError::Malformed("key not on P-256"))
}

/// A fresh random P-256 secret (an ephemeral ECDH key or a device key).
pub fn random_secret() -> Result<SecretKey, DeviceAuthError> {
    loop {
        let candidate =
            Zeroizing::new(crate::keys::random::<32>().map_err(|_| DeviceAuthError::Randomness)?);
        // A scalar of zero or above the group order is refused; retry the rare miss.
        if let Ok(secret) = SecretKey::from_slice(candidate.as_slice()) {
            return Ok(secret);
        }
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn map_of(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(k, v)| (text(k), v)).collect())
}

fn encode(value: &Value) -> Result<Vec<u8>, DeviceAuthError> {
    let mut out = Vec::with_capacity(160);
    ciborium::into_writer(value, &mut out).map_err(|_| DeviceAuthError::Malformed("cbor"))?;
    Ok(out)
}

/// The fields of a CBOR map with text keys; a key given twice is refused.
fn fields(bytes: &[u8]) -> Result<Vec<(String, Value)>, DeviceAuthError> {
    let value: Value =
        ciborium::from_reader(bytes).map_err(|_| DeviceAuthError::Malformed("payload not CBOR"))?;
    let Value::Map(entries) = value else {
        return Err(DeviceAuthError::Malformed("payload not a map"));
    };
    let mut out: Vec<(String, Value)> = Vec::with_capacity(entries.len());
    for (k, v) in entries {
        let Value::Text(k) = k else {
            return Err(DeviceAuthError::Malformed("payload key not text"));
        };
        if out.iter().any(|(seen, _)| *seen == k) {
            return Err(DeviceAuthError::Malformed("payload key repeated"));
        }
        out.push((k, v));
    }
    Ok(out)
}

fn take(fields: &mut Vec<(String, Value)>, name: &'static str) -> Result<Value, DeviceAuthError> {
    let i = fields
        .iter()
        .position(|(k, _)| k == name)
        .ok_or(DeviceAuthError::Malformed(name))?;
    Ok(fields.swap_remove(i).1)
}

fn take_text(f: &mut Vec<(String, Value)>, name: &'static str) -> Result<String, DeviceAuthError> {
    match take(f, name)? {
        Value::Text(s) if s.len() <= 2048 => Ok(s),
        _ => Err(DeviceAuthError::Malformed(name)),
    }
}

fn take_int(f: &mut Vec<(String, Value)>, name: &'static str) -> Result<i128, DeviceAuthError> {
    match take(f, name)? {
        Value::Integer(i) => Ok(i128::from(i)),
        _ => Err(DeviceAuthError::Malformed(name)),
    }
}

fn take_bytes<const N: usize>(
    f: &mut Vec<(String, Value)>,
    name: &'static str,
) -> Result<[u8; N], DeviceAuthError> {
    match take(f, name)? {
        Value::Bytes(b) => b.try_into().map_err(|_| DeviceAuthError::Malformed(name)),
        _ => Err(DeviceAuthError::Malformed(name)),
    }
}

fn check_version(f: &mut Vec<(String, Value)>) -> Result<(), DeviceAuthError> {
    if take_int(f, "v")? != i128::from(PROTOCOL_VERSION) {
        return Err(DeviceAuthError::Malformed("unsupported protocol version"));
    }
    Ok(())
}

fn epoch(i: i128, name: &'static str) -> Result<i64, DeviceAuthError> {
    i64::try_from(i).map_err(|_| DeviceAuthError::Malformed(name))
}

impl SessionOpening {
    /// The CBOR payload: a map with text keys `v`, `device`, `institution`, `at`, `nonce`,
    /// `ephemeral`.
    pub fn to_cbor(&self) -> Result<Vec<u8>, DeviceAuthError> {
        encode(&map_of(vec![
            ("v", Value::from(PROTOCOL_VERSION)),
            ("device", text(&self.device_id)),
            ("institution", text(&self.institution)),
            ("at", Value::from(self.at)),
            ("nonce", Value::Bytes(self.nonce.to_vec())),
            ("ephemeral", Value::Bytes(public_key_bytes(&self.ephemeral))),
        ]))
    }

    /// Reads the CBOR payload.
    pub fn from_cbor(bytes: &[u8]) -> Result<Self, DeviceAuthError> {
        let mut f = fields(bytes)?;
        check_version(&mut f)?;
        let device_id = take_text(&mut f, "device")?;
        let institution = take_text(&mut f, "institution")?;
        let at = epoch(take_int(&mut f, "at")?, "at")?;
        let nonce = take_bytes::<NONCE_LEN>(&mut f, "nonce")?;
        let ephemeral = public_key_from_bytes(&take_bytes::<65>(&mut f, "ephemeral")?)?;
        Ok(Self {
            device_id,
            institution,
            at,
            nonce,
            ephemeral,
        })
    }
}

impl RequestClaims {
    /// The CBOR payload: a map with text keys `v`, `session`, `counter`, `at`, `method`, `path`,
    /// `body`.
    pub fn to_cbor(&self) -> Result<Vec<u8>, DeviceAuthError> {
        encode(&map_of(vec![
            ("v", Value::from(PROTOCOL_VERSION)),
            ("session", Value::Bytes(self.session.to_vec())),
            ("counter", Value::from(self.counter)),
            ("at", Value::from(self.at)),
            ("method", text(&self.method)),
            ("path", text(&self.path)),
            ("body", Value::Bytes(self.body_sha256.to_vec())),
        ]))
    }

    /// Reads the CBOR payload.
    pub fn from_cbor(bytes: &[u8]) -> Result<Self, DeviceAuthError> {
        let mut f = fields(bytes)?;
        check_version(&mut f)?;
        let session = take_bytes::<SESSION_ID_LEN>(&mut f, "session")?;
        let counter = u64::try_from(take_int(&mut f, "counter")?)
            .map_err(|_| DeviceAuthError::Malformed("counter"))?;
        let at = epoch(take_int(&mut f, "at")?, "at")?;
        let method = take_text(&mut f, "method")?;
        let path = take_text(&mut f, "path")?;
        let body_sha256 = take_bytes::<32>(&mut f, "body")?;
        Ok(Self {
            session,
            counter,
            at,
            method,
            path,
            body_sha256,
        })
    }
}

/// SHA-256 of a request body.
pub fn body_digest(body: &[u8]) -> [u8; 32] {
    Sha256::digest(body).into()
}

/// Signs a session opening as a tagged COSE_Sign1 (ES256, kid = device id).
pub fn sign_opening(
    key: &SigningKey,
    opening: &SessionOpening,
) -> Result<Vec<u8>, DeviceAuthError> {
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::ES256)
        .key_id(opening.device_id.as_bytes().to_vec())
        .build();
    CoseSign1Builder::new()
        .protected(protected)
        .payload(opening.to_cbor()?)
        .create_signature(&[], |tbs| {
            let signature: Signature = key.sign(tbs);
            signature.to_bytes().to_vec()
        })
        .build()
        .to_tagged_vec()
        .map_err(|_| DeviceAuthError::Malformed("cose"))
}

/// A session opening read but not yet verified: check the signature with the key of the device
/// it names before trusting any field.
#[derive(Debug, Clone)]
pub struct UnverifiedOpening {
    sign1: CoseSign1,
    /// What the device claims.
    pub opening: SessionOpening,
}

/// Reads a COSE_Sign1 session opening (tagged or not); ES256 only, kid equal to the device id.
pub fn read_opening(bytes: &[u8]) -> Result<UnverifiedOpening, DeviceAuthError> {
    let sign1 = CoseSign1::from_tagged_slice(bytes)
        .or_else(|_| CoseSign1::from_slice(bytes))
        .map_err(|_| DeviceAuthError::Malformed("not a COSE_Sign1"))?;
    if sign1.protected.header.alg != Some(Algorithm::Assigned(iana::Algorithm::ES256)) {
        return Err(DeviceAuthError::Algorithm);
    }
    let payload = sign1
        .payload
        .as_deref()
        .ok_or(DeviceAuthError::Malformed("no payload"))?;
    let opening = SessionOpening::from_cbor(payload)?;
    if sign1.protected.header.key_id != opening.device_id.as_bytes() {
        return Err(DeviceAuthError::Malformed("kid differs from the device id"));
    }
    Ok(UnverifiedOpening { sign1, opening })
}

impl UnverifiedOpening {
    /// Checks the ES256 signature with the device's registered key.
    pub fn verify(self, key: &VerifyingKey) -> Result<SessionOpening, DeviceAuthError> {
        self.sign1.verify_signature(&[], |signature, tbs| {
            let signature =
                Signature::from_slice(signature).map_err(|_| DeviceAuthError::Signature)?;
            key.verify(tbs, &signature)
                .map_err(|_| DeviceAuthError::Signature)
        })?;
        Ok(self.opening)
    }
}

/// The session MAC key both sides derive: HKDF-SHA-256 with salt = session id, input = the ECDH
/// shared x-coordinate, info = [`HKDF_INFO_PREFIX`] ‖ device ephemeral key ‖ service ephemeral key
/// (both SEC1 uncompressed), 32 bytes out.
pub fn derive_session_key(
    own: &SecretKey,
    peer: &PublicKey,
    session: &[u8; SESSION_ID_LEN],
    device_ephemeral: &PublicKey,
    service_ephemeral: &PublicKey,
) -> Zeroizing<[u8; 32]> {
    let shared = own.diffie_hellman(peer);
    let hk = hkdf::Hkdf::<Sha256>::new(Some(session), shared.raw_secret_bytes().as_slice());
    let mut info = Vec::with_capacity(HKDF_INFO_PREFIX.len() + 130);
    info.extend_from_slice(HKDF_INFO_PREFIX);
    info.extend_from_slice(&public_key_bytes(device_ephemeral));
    info.extend_from_slice(&public_key_bytes(service_ephemeral));
    let mut key = Zeroizing::new([0u8; 32]);
    // 32 bytes is far below HKDF-SHA-256's 8,160-byte limit, so expand cannot fail.
    let _ = hk.expand(&info, key.as_mut_slice());
    key
}

/// MACs a request as a tagged COSE_Mac0 (HMAC 256/256, kid = session id, payload = the claims).
pub fn mac_request(key: &[u8; 32], claims: &RequestClaims) -> Result<Vec<u8>, DeviceAuthError> {
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::HMAC_256_256)
        .key_id(claims.session.to_vec())
        .build();
    let mut mac = HmacSha256::new_from_slice(key).map_err(|_| DeviceAuthError::Mac)?;
    CoseMac0Builder::new()
        .protected(protected)
        .payload(claims.to_cbor()?)
        .create_tag(&[], |tbm| {
            mac.update(tbm);
            mac.finalize().into_bytes().to_vec()
        })
        .build()
        .to_tagged_vec()
        .map_err(|_| DeviceAuthError::Malformed("cose"))
}

/// A request MAC read but not yet verified.
#[derive(Debug, Clone)]
pub struct UnverifiedRequest {
    mac0: CoseMac0,
    /// The session it names (the kid).
    pub session: [u8; SESSION_ID_LEN],
}

/// Reads a COSE_Mac0 (tagged or not); HMAC 256/256 only, kid = a session id.
pub fn read_request(bytes: &[u8]) -> Result<UnverifiedRequest, DeviceAuthError> {
    let mac0 = CoseMac0::from_tagged_slice(bytes)
        .or_else(|_| CoseMac0::from_slice(bytes))
        .map_err(|_| DeviceAuthError::Malformed("not a COSE_Mac0"))?;
    if mac0.protected.header.alg != Some(Algorithm::Assigned(iana::Algorithm::HMAC_256_256)) {
        return Err(DeviceAuthError::Algorithm);
    }
    let session = mac0
        .protected
        .header
        .key_id
        .as_slice()
        .try_into()
        .map_err(|_| DeviceAuthError::Malformed("kid is not a session id"))?;
    Ok(UnverifiedRequest { mac0, session })
}

impl UnverifiedRequest {
    /// Checks the tag with the session key (in constant time) and reads the claims, which must
    /// name the same session.
    pub fn verify(self, key: &[u8; 32]) -> Result<RequestClaims, DeviceAuthError> {
        self.mac0.verify_payload_tag(
            &[],
            || DeviceAuthError::Malformed("no payload"),
            |tag, tbm| {
                let mut mac = HmacSha256::new_from_slice(key).map_err(|_| DeviceAuthError::Mac)?;
                mac.update(tbm);
                mac.verify_slice(tag).map_err(|_| DeviceAuthError::Mac)
            },
        )?;
        let payload = self.mac0.payload.as_deref().unwrap_or_default();
        let claims = RequestClaims::from_cbor(payload)?;
        if claims.session != self.session {
            return Err(DeviceAuthError::Malformed("payload names another session"));
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device_key() -> SigningKey {
        SigningKey::from_slice(&[7u8; 32]).unwrap_or_else(|e| panic!("{e}"))
    }

    fn opening() -> SessionOpening {
        SessionOpening {
            device_id: "d1".into(),
            institution: "1312345678".into(),
            at: 1_790_000_000,
            nonce: [1; NONCE_LEN],
            ephemeral: random_secret()
                .unwrap_or_else(|e| panic!("{e}"))
                .public_key(),
        }
    }

    #[test]
    fn an_opening_round_trips_and_verifies() {
        let o = opening();
        let bytes = sign_opening(&device_key(), &o).unwrap_or_else(|e| panic!("{e}"));
        let read = read_opening(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.opening, o);
        let verified = read
            .verify(device_key().verifying_key())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(verified, o);
    }

    #[test]
    fn another_key_fails_the_signature() {
        let bytes = sign_opening(&device_key(), &opening()).unwrap_or_else(|e| panic!("{e}"));
        let other = SigningKey::from_slice(&[9u8; 32]).unwrap_or_else(|e| panic!("{e}"));
        let read = read_opening(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            read.verify(other.verifying_key()).err(),
            Some(DeviceAuthError::Signature)
        );
    }

    #[test]
    fn both_sides_derive_the_same_key() {
        let device = random_secret().unwrap_or_else(|e| panic!("{e}"));
        let service = random_secret().unwrap_or_else(|e| panic!("{e}"));
        let (dp, sp) = (device.public_key(), service.public_key());
        let id = [3u8; SESSION_ID_LEN];
        let a = derive_session_key(&device, &sp, &id, &dp, &sp);
        let b = derive_session_key(&service, &dp, &id, &dp, &sp);
        assert_eq!(*a, *b);
        let other_id = derive_session_key(&service, &dp, &[4u8; SESSION_ID_LEN], &dp, &sp);
        assert_ne!(*a, *other_id);
    }

    #[test]
    fn a_request_mac_verifies_only_with_its_key() {
        let claims = RequestClaims {
            session: [5; SESSION_ID_LEN],
            counter: 1,
            at: 1_790_000_000,
            method: "POST".into(),
            path: "/v1/x?y=1".into(),
            body_sha256: body_digest(b"{}"),
        };
        let bytes = mac_request(&[8; 32], &claims).unwrap_or_else(|e| panic!("{e}"));
        let read = read_request(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.session, claims.session);
        assert_eq!(
            read.clone().verify(&[9; 32]).err(),
            Some(DeviceAuthError::Mac)
        );
        assert_eq!(read.verify(&[8; 32]).ok(), Some(claims));
    }

    #[test]
    fn garbage_never_panics() {
        for bytes in [&b""[..], b"\xd2", b"\x84\x40\xa0\xf6\x40", &[0xff; 40]] {
            assert!(read_opening(bytes).is_err());
            assert!(read_request(bytes).is_err());
        }
    }
}

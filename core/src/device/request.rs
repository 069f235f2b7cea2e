//! 要求の認証 (request authentication): a COSE_Mac0 (HMAC 256/256) under the session key over
//! [`RequestClaims`], carried as `Authorization: COSE-Mac0 <base64url>`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ciborium::Value;
use coset::{
    Algorithm, CborSerializable, CoseMac0, CoseMac0Builder, HeaderBuilder, TaggedCborSerializable,
    iana,
};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::cbor::{Fields, encode, map_of, text};
use super::{AUTHORIZATION_SCHEME, PROTOCOL_VERSION, ProtocolError, SESSION_ID_LEN};

type HmacSha256 = Hmac<Sha256>;

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

impl RequestClaims {
    /// The CBOR payload: a map with text keys `v`, `session`, `counter`, `at`, `method`, `path`,
    /// `body`.
    pub fn to_cbor(&self) -> Result<Vec<u8>, ProtocolError> {
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
    pub fn from_cbor(bytes: &[u8]) -> Result<Self, ProtocolError> {
        let mut f = Fields::read(bytes)?;
        Ok(Self {
            session: f.bytes::<SESSION_ID_LEN>("session")?,
            counter: u64::try_from(f.int("counter")?)
                .map_err(|_| ProtocolError::Malformed("counter"))?,
            at: f.epoch("at")?,
            method: f.text("method")?,
            path: f.text("path")?,
            body_sha256: f.bytes::<32>("body")?,
        })
    }
}

/// SHA-256 of a request body.
pub fn body_digest(body: &[u8]) -> [u8; 32] {
    Sha256::digest(body).into()
}

/// MACs a request as a tagged COSE_Mac0 (HMAC 256/256, kid = session id, payload = the claims).
pub fn mac_request(key: &[u8; 32], claims: &RequestClaims) -> Result<Vec<u8>, ProtocolError> {
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::HMAC_256_256)
        .key_id(claims.session.to_vec())
        .build();
    let mut mac = HmacSha256::new_from_slice(key).map_err(|_| ProtocolError::Mac)?;
    CoseMac0Builder::new()
        .protected(protected)
        .payload(claims.to_cbor()?)
        .create_tag(&[], |tbm| {
            mac.update(tbm);
            mac.finalize().into_bytes().to_vec()
        })
        .build()
        .to_tagged_vec()
        .map_err(|_| ProtocolError::Malformed("cose"))
}

/// A request MAC read but not yet verified.
#[derive(Debug, Clone)]
pub struct UnverifiedRequest {
    mac0: CoseMac0,
    /// The session it names (the kid).
    pub session: [u8; SESSION_ID_LEN],
}

/// Reads a COSE_Mac0 (tagged or not); HMAC 256/256 only, kid = a session id.
pub fn read_request(bytes: &[u8]) -> Result<UnverifiedRequest, ProtocolError> {
    let mac0 = CoseMac0::from_tagged_slice(bytes)
        .or_else(|_| CoseMac0::from_slice(bytes))
        .map_err(|_| ProtocolError::Malformed("not a COSE_Mac0"))?;
    if mac0.protected.header.alg != Some(Algorithm::Assigned(iana::Algorithm::HMAC_256_256)) {
        return Err(ProtocolError::Algorithm);
    }
    let session = mac0
        .protected
        .header
        .key_id
        .as_slice()
        .try_into()
        .map_err(|_| ProtocolError::Malformed("kid is not a session id"))?;
    Ok(UnverifiedRequest { mac0, session })
}

/// Reads an `Authorization` header value `COSE-Mac0 <base64url>` (padding tolerated).
pub fn read_authorization(value: &str) -> Result<UnverifiedRequest, ProtocolError> {
    let token = value
        .strip_prefix(AUTHORIZATION_SCHEME)
        .and_then(|rest| rest.strip_prefix(' '))
        .ok_or(ProtocolError::Scheme)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(token.trim().trim_end_matches('='))
        .map_err(|_| ProtocolError::Malformed("authorization is not base64url"))?;
    read_request(&bytes)
}

/// The `Authorization` header value carrying a request MAC.
pub(super) fn authorization_value(mac0: &[u8]) -> String {
    format!("{AUTHORIZATION_SCHEME} {}", URL_SAFE_NO_PAD.encode(mac0))
}

impl UnverifiedRequest {
    /// Checks the tag with the session key (in constant time) and reads the claims, which must
    /// name the same session.
    pub fn verify(self, key: &[u8; 32]) -> Result<RequestClaims, ProtocolError> {
        self.mac0.verify_payload_tag(
            &[],
            || ProtocolError::Malformed("no payload"),
            |tag, tbm| {
                let mut mac = HmacSha256::new_from_slice(key).map_err(|_| ProtocolError::Mac)?;
                mac.update(tbm);
                mac.verify_slice(tag).map_err(|_| ProtocolError::Mac)
            },
        )?;
        let payload = self.mac0.payload.as_deref().unwrap_or_default();
        let claims = RequestClaims::from_cbor(payload)?;
        if claims.session != self.session {
            return Err(ProtocolError::Malformed("payload names another session"));
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> RequestClaims {
        RequestClaims {
            session: [5; SESSION_ID_LEN],
            counter: 1,
            at: 1_790_000_000,
            method: "POST".into(),
            path: "/v1/x?y=1".into(),
            body_sha256: body_digest(b"{}"),
        }
    }

    fn ok<T>(r: Result<T, ProtocolError>) -> T {
        r.unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_request_mac_round_trips_and_verifies_only_with_its_key() {
        let c = claims();
        let bytes = ok(mac_request(&[8; 32], &c));
        let read = ok(read_request(&bytes));
        assert_eq!(read.session, c.session);
        assert_eq!(
            read.clone().verify(&[9; 32]).err(),
            Some(ProtocolError::Mac)
        );
        assert_eq!(read.verify(&[8; 32]), Ok(c.clone()));
        let header = authorization_value(&bytes);
        assert!(header.starts_with("COSE-Mac0 "));
        assert_eq!(ok(read_authorization(&header)).verify(&[8; 32]), Ok(c));
    }

    #[test]
    fn a_tampered_payload_or_kid_is_refused() {
        let c = claims();
        let genuine = ok(read_request(&ok(mac_request(&[8; 32], &c))));
        for change in [
            &(|c: &mut RequestClaims| c.counter = 2) as &dyn Fn(&mut RequestClaims),
            &|c| c.at += 1,
            &|c| c.method = "GET".into(),
            &|c| c.path = "/v1/x?y=2".into(),
            &|c| c.body_sha256 = body_digest(b"{ }"),
        ] {
            let mut other = c.clone();
            change(&mut other);
            let mut forged = genuine.mac0.clone();
            forged.payload = Some(ok(other.to_cbor()));
            let bytes = forged.to_tagged_vec().unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                ok(read_request(&bytes)).verify(&[8; 32]).err(),
                Some(ProtocolError::Mac)
            );
        }
        // The same MAC presented under another session id.
        let mut forged = genuine.mac0.clone();
        forged.protected.header.key_id = vec![6; SESSION_ID_LEN];
        forged.protected.original_data = None;
        let bytes = forged.to_tagged_vec().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            ok(read_request(&bytes)).verify(&[8; 32]).err(),
            Some(ProtocolError::Mac)
        );
    }

    #[test]
    fn other_schemes_and_bad_base64_are_refused() {
        assert_eq!(
            read_authorization("Bearer abc").err(),
            Some(ProtocolError::Scheme)
        );
        assert_eq!(
            read_authorization("COSE-Mac0abc").err(),
            Some(ProtocolError::Scheme)
        );
        assert_eq!(
            read_authorization("COSE-Mac0 !!").err(),
            Some(ProtocolError::Malformed("authorization is not base64url"))
        );
    }

    #[test]
    fn garbage_never_panics() {
        for bytes in [&b""[..], b"\xd1", b"\x84\x40\xa0\xf6\x40", &[0xff; 40]] {
            assert!(read_request(bytes).is_err());
        }
    }
}

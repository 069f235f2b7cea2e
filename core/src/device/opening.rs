//! 端末セッション開始要求 (the session opening): a COSE_Sign1 (ES256) by the device's registered
//! key. Signing is two steps, so a signer outside Rust (WebCrypto, a platform key store) can hold
//! the key: [`SessionOpening::to_be_signed`] gives the bytes to sign, and
//! [`SessionOpening::to_sign1`] assembles the message around the 64-byte `r ‖ s` signature.

use coset::{
    Algorithm, CborSerializable, CoseSign1, CoseSign1Builder, HeaderBuilder,
    TaggedCborSerializable, iana,
};
use p256::PublicKey;
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};

use super::cbor::{Fields, encode, map_of, text};
use super::keys::{public_key_bytes, public_key_from_bytes};
use super::{NONCE_LEN, PROTOCOL_VERSION, ProtocolError};
use ciborium::Value;

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

impl SessionOpening {
    /// The CBOR payload: a map with text keys `v`, `device`, `institution`, `at`, `nonce`,
    /// `ephemeral`.
    pub fn to_cbor(&self) -> Result<Vec<u8>, ProtocolError> {
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
    pub fn from_cbor(bytes: &[u8]) -> Result<Self, ProtocolError> {
        let mut f = Fields::read(bytes)?;
        Ok(Self {
            device_id: f.text("device")?,
            institution: f.text("institution")?,
            at: f.epoch("at")?,
            nonce: f.bytes::<NONCE_LEN>("nonce")?,
            ephemeral: public_key_from_bytes(&f.bytes::<65>("ephemeral")?)?,
        })
    }

    /// The COSE_Sign1 without its signature: protected header `{1: ES256, 4: device id}`.
    fn unsigned(&self) -> Result<CoseSign1, ProtocolError> {
        let protected = HeaderBuilder::new()
            .algorithm(iana::Algorithm::ES256)
            .key_id(self.device_id.as_bytes().to_vec())
            .build();
        Ok(CoseSign1Builder::new()
            .protected(protected)
            .payload(self.to_cbor()?)
            .build())
    }

    /// Step 1 of signing: the `Sig_structure` bytes (`["Signature1", protected, h'', payload]`)
    /// the device key signs with ES256 (ECDSA P-256 over SHA-256 of these bytes).
    pub fn to_be_signed(&self) -> Result<Vec<u8>, ProtocolError> {
        Ok(self.unsigned()?.tbs_data(&[]))
    }

    /// Step 2 of signing: the tagged COSE_Sign1 carrying `signature`, the 64 bytes `r ‖ s` of an
    /// ES256 signature over [`Self::to_be_signed`] (what WebCrypto's ECDSA returns).
    pub fn to_sign1(&self, signature: &[u8]) -> Result<Vec<u8>, ProtocolError> {
        if signature.len() != 64 || Signature::from_slice(signature).is_err() {
            return Err(ProtocolError::Signature);
        }
        let mut sign1 = self.unsigned()?;
        sign1.signature = signature.to_vec();
        sign1
            .to_tagged_vec()
            .map_err(|_| ProtocolError::Malformed("cose"))
    }

    /// Both steps with a key held in Rust (ES256 with RFC 6979 nonces: no randomness needed).
    pub fn sign(&self, key: &SigningKey) -> Result<Vec<u8>, ProtocolError> {
        let signature: Signature = key.sign(&self.to_be_signed()?);
        self.to_sign1(&signature.to_bytes())
    }
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
pub fn read_opening(bytes: &[u8]) -> Result<UnverifiedOpening, ProtocolError> {
    let sign1 = CoseSign1::from_tagged_slice(bytes)
        .or_else(|_| CoseSign1::from_slice(bytes))
        .map_err(|_| ProtocolError::Malformed("not a COSE_Sign1"))?;
    if sign1.protected.header.alg != Some(Algorithm::Assigned(iana::Algorithm::ES256)) {
        return Err(ProtocolError::Algorithm);
    }
    let payload = sign1
        .payload
        .as_deref()
        .ok_or(ProtocolError::Malformed("no payload"))?;
    let opening = SessionOpening::from_cbor(payload)?;
    if sign1.protected.header.key_id != opening.device_id.as_bytes() {
        return Err(ProtocolError::Malformed("kid differs from the device id"));
    }
    Ok(UnverifiedOpening { sign1, opening })
}

impl UnverifiedOpening {
    /// Checks the ES256 signature with the device's registered key.
    pub fn verify(self, key: &VerifyingKey) -> Result<SessionOpening, ProtocolError> {
        self.sign1.verify_signature(&[], |signature, tbs| {
            let signature =
                Signature::from_slice(signature).map_err(|_| ProtocolError::Signature)?;
            key.verify(tbs, &signature)
                .map_err(|_| ProtocolError::Signature)
        })?;
        Ok(self.opening)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::secret_from_bytes;
    use p256::elliptic_curve::PrimeField;

    fn device_key() -> SigningKey {
        SigningKey::from_slice(&[7u8; 32]).unwrap_or_else(|e| panic!("{e}"))
    }

    fn opening() -> SessionOpening {
        SessionOpening {
            device_id: "d1".into(),
            institution: "1312345678".into(),
            at: 1_790_000_000,
            nonce: [1; NONCE_LEN],
            ephemeral: secret_from_bytes(&[2; 32])
                .unwrap_or_else(|e| panic!("{e}"))
                .public_key(),
        }
    }

    fn ok<T>(r: Result<T, ProtocolError>) -> T {
        r.unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn an_opening_round_trips_and_verifies() {
        let o = opening();
        let bytes = ok(o.sign(&device_key()));
        let read = ok(read_opening(&bytes));
        assert_eq!(read.opening, o);
        assert_eq!(ok(read.verify(device_key().verifying_key())), o);
    }

    #[test]
    fn an_external_signature_over_the_to_be_signed_bytes_is_the_rust_path() {
        let o = opening();
        let tbs = ok(o.to_be_signed());
        // What an external signer does: ECDSA P-256 with SHA-256 over the bytes, r ‖ s out.
        let signature: Signature = device_key().sign(&tbs);
        let external = ok(o.to_sign1(&signature.to_bytes()));
        assert_eq!(external, ok(o.sign(&device_key())));
        let read = ok(read_opening(&external));
        assert_eq!(read.sign1.tbs_data(&[]), tbs);
        assert_eq!(ok(read.verify(device_key().verifying_key())), o);
    }

    #[test]
    fn a_high_s_signature_verifies_too() {
        // WebCrypto does not normalise s; the service must accept both halves of the curve.
        let o = opening();
        let signature: Signature = device_key().sign(&ok(o.to_be_signed()));
        let (r, s) = signature.split_scalars();
        let high =
            Signature::from_scalars(r.to_repr(), (-*s).to_repr()).unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(high, signature);
        let bytes = ok(o.to_sign1(&high.to_bytes()));
        assert_eq!(
            ok(ok(read_opening(&bytes)).verify(device_key().verifying_key())),
            o
        );
    }

    #[test]
    fn another_key_fails_the_signature() {
        let bytes = ok(opening().sign(&device_key()));
        let other = SigningKey::from_slice(&[9u8; 32]).unwrap_or_else(|e| panic!("{e}"));
        let read = ok(read_opening(&bytes));
        assert_eq!(
            read.verify(other.verifying_key()).err(),
            Some(ProtocolError::Signature)
        );
    }

    #[test]
    fn signatures_of_the_wrong_shape_are_refused() {
        let o = opening();
        assert_eq!(o.to_sign1(&[1; 63]), Err(ProtocolError::Signature));
        assert_eq!(o.to_sign1(&[0; 64]), Err(ProtocolError::Signature));
        // DER, as some platform signers return, is not r ‖ s.
        let signature: Signature = device_key().sign(&ok(o.to_be_signed()));
        let der = signature.to_der();
        assert_eq!(o.to_sign1(der.as_bytes()), Err(ProtocolError::Signature));
    }

    #[test]
    fn tampered_fields_are_refused() {
        let o = opening();
        let key = device_key();
        let tampered = |change: &dyn Fn(&mut SessionOpening)| {
            // The signature of the genuine opening on a changed payload.
            let signature: Signature = key.sign(&ok(o.to_be_signed()));
            let mut other = o.clone();
            change(&mut other);
            let bytes = ok(other.to_sign1(&signature.to_bytes()));
            read_opening(&bytes).and_then(|r| r.verify(key.verifying_key()))
        };
        assert_eq!(
            tampered(&|o| o.institution = "0110113719".into()),
            Err(ProtocolError::Signature)
        );
        assert_eq!(tampered(&|o| o.at += 1), Err(ProtocolError::Signature));
        assert_eq!(
            tampered(&|o| o.nonce[0] ^= 1),
            Err(ProtocolError::Signature)
        );
        assert_eq!(
            tampered(&|o| o.ephemeral = device_key().verifying_key().into()),
            Err(ProtocolError::Signature)
        );
        // Another device id changes the kid too: still the genuine signature, still refused.
        assert_eq!(
            tampered(&|o| o.device_id = "d2".into()),
            Err(ProtocolError::Signature)
        );
    }

    #[test]
    fn a_kid_other_than_the_device_id_and_other_algorithms_are_refused() {
        let o = opening();
        let mut sign1 = ok(o.unsigned());
        sign1.protected.header.key_id = b"d2".to_vec();
        sign1.signature = vec![1; 64];
        let bytes = sign1.to_tagged_vec().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            read_opening(&bytes).err(),
            Some(ProtocolError::Malformed("kid differs from the device id"))
        );
        let mut sign1 = ok(o.unsigned());
        sign1.protected.header.alg = Some(Algorithm::Assigned(iana::Algorithm::EdDSA));
        let bytes = sign1.to_tagged_vec().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read_opening(&bytes).err(), Some(ProtocolError::Algorithm));
    }

    #[test]
    fn garbage_never_panics() {
        for bytes in [&b""[..], b"\xd2", b"\x84\x40\xa0\xf6\x40", &[0xff; 40]] {
            assert!(read_opening(bytes).is_err());
        }
    }
}

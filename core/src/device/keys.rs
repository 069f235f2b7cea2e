//! 端末認証の鍵 (the protocol's keys): P-256 points on the wire, secrets from given bytes, and the
//! session key both sides derive.

use p256::{PublicKey, SecretKey};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::{HKDF_INFO_PREFIX, ProtocolError, SESSION_ID_LEN};

/// SEC1 uncompressed encoding (65 bytes), the only form onshi sends and accepts.
pub fn public_key_bytes(key: &PublicKey) -> Vec<u8> {
    p256::Sec1Point::from(key).as_bytes().to_vec()
}

/// Decodes a SEC1 uncompressed P-256 public key.
pub fn public_key_from_bytes(bytes: &[u8]) -> Result<PublicKey, ProtocolError> {
    if bytes.len() != 65 || bytes.first() != Some(&4) {
        return Err(ProtocolError::Malformed("key is not SEC1 uncompressed"));
    }
    PublicKey::from_sec1_bytes(bytes).map_err(|_| ProtocolError::Malformed("key not on P-256"))
}

/// A P-256 secret from 32 random bytes the caller drew. Zero or a value above the group order is
/// refused ([`ProtocolError::EphemeralSecret`]); the caller draws again.
pub fn secret_from_bytes(bytes: &[u8; 32]) -> Result<SecretKey, ProtocolError> {
    SecretKey::from_slice(bytes).map_err(|_| ProtocolError::EphemeralSecret)
}

/// The session MAC key both sides derive: HKDF-SHA-256 with salt = session id, input = the ECDH
/// shared x-coordinate, info = [`HKDF_INFO_PREFIX`] ‖ device ephemeral key ‖ service ephemeral key
/// (both SEC1 uncompressed), 32 bytes out. `own` is this side's ephemeral secret, `peer` the other
/// side's ephemeral key.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(seed: u8) -> SecretKey {
        secret_from_bytes(&[seed; 32]).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn both_sides_derive_the_same_key() {
        let (device, service) = (secret(3), secret(4));
        let (dp, sp) = (device.public_key(), service.public_key());
        let id = [3u8; SESSION_ID_LEN];
        let a = derive_session_key(&device, &sp, &id, &dp, &sp);
        let b = derive_session_key(&service, &dp, &id, &dp, &sp);
        assert_eq!(*a, *b);
        let other_id = derive_session_key(&service, &dp, &[4u8; SESSION_ID_LEN], &dp, &sp);
        assert_ne!(*a, *other_id);
    }

    #[test]
    fn keys_round_trip_and_bad_points_are_refused() {
        let key = secret(5).public_key();
        let bytes = public_key_bytes(&key);
        assert_eq!(bytes.len(), 65);
        assert_eq!(public_key_from_bytes(&bytes), Ok(key));
        let mut off_curve = bytes.clone();
        off_curve[64] ^= 1;
        assert_eq!(
            public_key_from_bytes(&off_curve),
            Err(ProtocolError::Malformed("key not on P-256"))
        );
        assert!(public_key_from_bytes(&bytes[..33]).is_err());
    }

    #[test]
    fn zero_and_out_of_range_secrets_are_refused() {
        assert_eq!(
            secret_from_bytes(&[0; 32]).err(),
            Some(ProtocolError::EphemeralSecret)
        );
        assert_eq!(
            secret_from_bytes(&[0xff; 32]).err(),
            Some(ProtocolError::EphemeralSecret)
        );
    }
}

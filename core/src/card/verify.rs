//! 利用者証明検証: the relying party's check of a card's answer (card.md §3.3).
//!
//! The host sends a fresh challenge, the card signs its SHA-256 DigestInfo with the
//! user-authentication key (PKCS#1 v1.5, RSA-2048), and [`verify_authentication`] checks, in order:
//!
//! 1. the certificate parses (X.509 DER, nothing after it);
//! 2. the signature over **the verifier's own challenge** verifies with the certificate's key,
//!    which must be RSA-2048;
//! 3. the certificate chains to one of the [`TrustAnchors`]: its issuer DN is the root's subject DN
//!    *and* the root's key verifies its sha256WithRSAEncryption signature. The J-LIS roots of every
//!    generation share one DN (card.md §4.1), so the key decides, never the name;
//! 4. it is a user-authentication certificate (keyUsage digitalSignature, extKeyUsage clientAuth if
//!    present, not a CA, no critical extension onshi does not know);
//! 5. validity at `now` (JST): before notBefore is an error; after notAfter the 3-month grace of
//!    [`certificate_status`] applies — a card in the grace is accepted with
//!    [`CertificateStatus::ExpiredInGrace`] (qualification only), a smartphone never is;
//! 6. revocation against an injected [`RevocationList`]. Real revocation data comes only from J-LIS,
//!    to registered verifiers (card.md §3.3 step 3); onshi's reference server verifies against TEST
//!    roots only and does not claim to be a legal verifier.
//!
//! **A certificate already known.** A client may skip reading EF 000A (6–7 READ BINARY) when the
//! host has cached the patient's certificate and keys it by [`certificate_fingerprint`]. Pass the
//! cached DER to [`verify_authentication`] as if it had just been read: the signature check (step 2)
//! proves the card holds that certificate's key, and steps 3–6 are re-run at the current time, since
//! validity and revocation change while the bytes do not.
//!
//! Everything here is RustCrypto (`rsa`, `x509-cert`, `der`, `sha2`); no cryptography is written
//! by hand. Errors and `Debug` output carry no personal data: no CN, no serial, no key.

use std::collections::HashSet;
use std::fmt;

use der::asn1::ObjectIdentifier;
use der::oid::AssociatedOid;
use der::oid::db::rfc5912::{
    ANY_EXTENDED_KEY_USAGE, ID_KP_CLIENT_AUTH, SHA_256_WITH_RSA_ENCRYPTION,
};
use der::referenced::OwnedToRef;
use der::{Decode, Encode, Reader, SliceReader, Tagged};
use rsa::RsaPublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::macros::offset;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, CertificatePolicies, ExtendedKeyUsage, KeyUsage};
use x509_cert::spki::SubjectPublicKeyInfoOwned;

use crate::flows::{CertificateHolder, CertificateStatus, certificate_status};
use crate::i18n::Message;
use crate::jst::JstDateTime;

/// RSA modulus size the JPKI user-authentication key has (card.md §2, EF 0017).
pub const RSA_MODULUS_BITS: usize = 2048;

/// SHA-256 of a certificate's DER: its fingerprint, as J-LIS publishes for its roots.
pub fn certificate_fingerprint(der: &[u8]) -> [u8; 32] {
    Sha256::digest(der).into()
}

// ---------------------------------------------------------------------------------------------------
// Trust anchors

/// One root: its subject DN, its key and its fingerprint. As in RFC 5280 §6.1.1 (d) a trust anchor
/// is a name and a key; the root certificate's own validity and self-signature are not checked.
#[derive(Clone)]
struct TrustAnchor {
    subject_der: Vec<u8>,
    spki_der: Vec<u8>,
    key: VerifyingKey<Sha256>,
    fingerprint: [u8; 32],
}

/// The user-authentication roots a verifier trusts: several generations sharing one DN
/// (authca01/02/03 in production; `test_ca` roots in tests and the demo).
#[derive(Clone, Default)]
pub struct TrustAnchors {
    roots: Vec<TrustAnchor>,
}

impl fmt::Debug for TrustAnchors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.roots.iter().map(|r| Hex(&r.fingerprint)))
            .finish()
    }
}

/// A root certificate could not be installed as a trust anchor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnchorError {
    /// The root at this position is not an X.509 certificate in DER.
    #[error("trust anchor {index}: not a DER X.509 certificate")]
    Malformed {
        /// Position in the list given.
        index: usize,
    },
    /// The root at this position has no RSA key of at least 2048 bits.
    #[error("trust anchor {index}: not an RSA key of 2048 bits or more")]
    KeyNotRsa {
        /// Position in the list given.
        index: usize,
    },
}

impl TrustAnchors {
    /// Installs root certificates (DER). Order does not matter; every root is tried.
    pub fn from_der_roots<I, B>(roots: I) -> Result<Self, AnchorError>
    where
        I: IntoIterator<Item = B>,
        B: AsRef<[u8]>,
    {
        let roots = roots
            .into_iter()
            .enumerate()
            .map(|(index, der)| {
                let der = der.as_ref();
                let cert =
                    Certificate::from_der(der).map_err(|_| AnchorError::Malformed { index })?;
                let tbs = &cert.tbs_certificate;
                let key = rsa_key(&tbs.subject_public_key_info)
                    .filter(|k| k.n().bits() >= RSA_MODULUS_BITS)
                    .ok_or(AnchorError::KeyNotRsa { index })?;
                Ok(TrustAnchor {
                    subject_der: tbs
                        .subject
                        .to_der()
                        .map_err(|_| AnchorError::Malformed { index })?,
                    spki_der: tbs
                        .subject_public_key_info
                        .to_der()
                        .map_err(|_| AnchorError::Malformed { index })?,
                    key: VerifyingKey::new(key),
                    fingerprint: certificate_fingerprint(der),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { roots })
    }

    /// How many roots are installed.
    pub fn len(&self) -> usize {
        self.roots.len()
    }

    /// Whether no root is installed (then nothing verifies).
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// The installed roots' fingerprints, in the order given.
    pub fn fingerprints(&self) -> impl Iterator<Item = [u8; 32]> + '_ {
        self.roots.iter().map(|r| r.fingerprint)
    }
}

// ---------------------------------------------------------------------------------------------------
// Revocation

/// 失効情報: revoked certificates, injected by the host (from a platform operator's answer, a test
/// fixture, …).
///
/// An entry is the root that verified the certificate (by fingerprint) and the certificate's serial.
/// The issuer DN alone would not do: every J-LIS generation has the same DN, and onshi does not
/// assume serials are unique across root keys.
#[derive(Clone, Default)]
pub struct RevocationList {
    entries: HashSet<([u8; 32], Vec<u8>)>,
}

impl fmt::Debug for RevocationList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RevocationList({} entries)", self.entries.len())
    }
}

impl RevocationList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks the certificate with `serial` (big-endian bytes; leading zeros ignored) under the root
    /// with `root_fingerprint` as revoked.
    pub fn revoke(&mut self, root_fingerprint: [u8; 32], serial: &[u8]) {
        self.entries
            .insert((root_fingerprint, trim_leading_zeros(serial).to_vec()));
    }

    /// Whether that certificate is revoked.
    pub fn is_revoked(&self, root_fingerprint: [u8; 32], serial: &[u8]) -> bool {
        self.entries
            .contains(&(root_fingerprint, trim_leading_zeros(serial).to_vec()))
    }

    /// How many certificates are listed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is revoked.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn trim_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(bytes.len().saturating_sub(1));
    bytes.get(start..).unwrap_or(bytes)
}

// ---------------------------------------------------------------------------------------------------
// Result

/// 個人の紐付けキー: onshi's stable key for *this certificate*, which a relying party's registry maps
/// to a person.
///
/// Definition (version 1): lower-case hex of SHA-256 over the DER of the issuer DN, the DER of the
/// issuing root's SubjectPublicKeyInfo and the DER of the serial-number INTEGER, concatenated (each
/// is a self-delimiting TLV, so the concatenation is unambiguous). Issuer name and serial identify a
/// certificate in X.509 (as CMS's IssuerAndSerialNumber does); the root key is added because every
/// J-LIS generation shares the DN.
///
/// What it is not: a person key. A renewed certificate has a new CN, serial and key (card.md §4),
/// so it gets a new link key. How the central system links renewals is not public (card.md §9.7);
/// linking them is the job of the relying party's registry (a later issue), not of this type.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PersonLinkKey(String);

impl PersonLinkKey {
    /// The 64 hex characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonLinkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PersonLinkKey {
    /// Only a prefix: enough to tell two keys apart in a log, not to look a person up.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonLinkKey({}…)", self.0.get(..8).unwrap_or(""))
    }
}

/// A card's answer that verified: who (as a link key), which certificate, and in what state.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifiedCertificate {
    /// The stable key of this certificate for the registry.
    pub link_key: PersonLinkKey,
    /// The certificate's serial number, lower-case hex without leading zero bytes.
    pub serial_hex: String,
    /// End of validity, JST (23:59:59 on real certificates).
    pub not_after: JstDateTime,
    /// Valid, expiring soon, or expired inside the card's 3-month grace (qualification only).
    pub status: CertificateStatus,
    /// SHA-256 of the certificate DER, for a host's cache of known certificates.
    pub fingerprint: [u8; 32],
    /// SHA-256 of the root that verified it (which generation).
    pub root_fingerprint: [u8; 32],
}

impl fmt::Debug for VerifiedCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedCertificate")
            .field("link_key", &self.link_key)
            .field("not_after", &self.not_after)
            .field("status", &self.status)
            .field("root_fingerprint", &Hex(&self.root_fingerprint))
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------------------------------
// Errors

/// Why a chain did not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainProblem {
    /// No trusted root has the certificate's issuer DN.
    UnknownIssuer,
    /// The certificate is not signed with sha256WithRSAEncryption.
    UnsupportedAlgorithm,
    /// Roots with that DN exist, but none of their keys verifies the certificate's signature.
    SignatureMismatch,
}

/// 利用者証明の検証エラー: a card's answer that must not be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The certificate is not a DER X.509 certificate.
    #[error("the certificate is malformed")]
    Malformed,
    /// The certificate's key is not RSA-2048.
    #[error("the certificate key is not RSA-2048")]
    KeyNotRsa2048,
    /// The signature over the challenge does not verify with the certificate's key.
    #[error("the signature over the challenge does not verify")]
    SignatureInvalid,
    /// The certificate does not chain to a trusted root.
    #[error("the certificate does not chain to a trusted root ({problem:?})")]
    ChainUntrusted {
        /// What failed.
        problem: ChainProblem,
    },
    /// The certificate is not one for user authentication (key usage, CA flag, critical extension).
    #[error("not a user-authentication certificate")]
    UsageInvalid,
    /// `now` is before the start of validity.
    #[error("the certificate is not yet valid (from {not_before} JST)")]
    NotYetValid {
        /// Start of validity, JST.
        not_before: JstDateTime,
    },
    /// Expired, and beyond any grace (a smartphone has none; a card has 3 months).
    #[error("the certificate expired on {not_after} JST")]
    Expired {
        /// End of validity, JST.
        not_after: JstDateTime,
    },
    /// Revoked (失効).
    #[error("the certificate is revoked")]
    Revoked,
}

impl VerifyError {
    /// Stable code for bindings, logs and vectors.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed => "CERT_MALFORMED",
            Self::KeyNotRsa2048 => "CERT_KEY_NOT_RSA2048",
            Self::SignatureInvalid => "CERT_SIGNATURE_INVALID",
            Self::ChainUntrusted { .. } => "CERT_CHAIN_UNTRUSTED",
            Self::UsageInvalid => "CERT_USAGE_INVALID",
            Self::NotYetValid { .. } => "CERT_NOT_YET_VALID",
            Self::Expired { .. } => "CERT_EXPIRED",
            Self::Revoked => "CERT_REVOKED",
        }
    }

    /// What went wrong and what to do, in Japanese and English.
    pub fn message(&self) -> Message {
        match self {
            Self::Malformed => Message::new(
                "電子証明書を読み取れませんでした。もう一度カードを読み取ってください",
                "the certificate could not be read; read the card again",
            ),
            Self::KeyNotRsa2048 => Message::new(
                "電子証明書の鍵の形式に対応していません（利用者証明用電子証明書ではありません）",
                "the certificate's key is not RSA-2048, so it is not a JPKI user-authentication certificate",
            ),
            Self::SignatureInvalid => Message::new(
                "カードの署名を確認できませんでした。もう一度カードを読み取ってください",
                "the card's signature did not verify; read the card again",
            ),
            Self::ChainUntrusted { .. } => Message::new(
                "電子証明書の発行元を確認できません。公的個人認証サービスの利用者証明用電子証明書ではありません",
                "the certificate was not issued by a trusted JPKI user-authentication authority",
            ),
            Self::UsageInvalid => Message::new(
                "利用者証明用電子証明書ではありません",
                "this is not a user-authentication certificate",
            ),
            Self::NotYetValid { .. } => Message::new(
                "電子証明書の有効期間がまだ始まっていません。端末の日時を確認してください",
                "the certificate is not valid yet; check the device's date and time",
            ),
            Self::Expired { .. } => Message::new(
                "電子証明書の有効期限が切れています。資格確認書で確認してください。市区町村で更新してください",
                "the certificate has expired; use the 資格確認書, and renew the certificate at the municipal office",
            ),
            Self::Revoked => Message::new(
                "電子証明書が失効しています。資格確認書で確認してください",
                "the certificate has been revoked; use the 資格確認書",
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Verification

/// Verifies a card's user authentication: `signature` over `challenge` by the key of
/// `certificate_der`, the chain to `anchors`, usage, validity at `now` (JST) for a certificate on
/// `holder`, and revocation. See the module documentation for the order and for cached certificates.
pub fn verify_authentication(
    challenge: &[u8],
    signature: &[u8],
    certificate_der: &[u8],
    anchors: &TrustAnchors,
    revoked: &RevocationList,
    holder: CertificateHolder,
    now: JstDateTime,
) -> Result<VerifiedCertificate, VerifyError> {
    // 1. Parse.
    let cert = Certificate::from_der(certificate_der).map_err(|_| VerifyError::Malformed)?;
    let tbs = &cert.tbs_certificate;

    // 2. The signature over our challenge, with the certificate's RSA-2048 key.
    let key = rsa_key(&tbs.subject_public_key_info)
        .filter(|k| k.n().bits() == RSA_MODULUS_BITS)
        .ok_or(VerifyError::KeyNotRsa2048)?;
    let signature = Signature::try_from(signature).map_err(|_| VerifyError::SignatureInvalid)?;
    VerifyingKey::<Sha256>::new(key)
        .verify(challenge, &signature)
        .map_err(|_| VerifyError::SignatureInvalid)?;

    certificate_checks(&cert, certificate_der, anchors, revoked, holder, now)
}

/// Verifies a card certificate read without a signature, for 目視確認 (visual check): staff compared
/// the card's photo with the patient on a registered institution device, and the certificate (readable
/// without the PIN) names the card. Everything of [`verify_authentication`] but the signature: chain,
/// usage, validity with the grace, revocation. A certificate alone proves only that such a card exists,
/// so callers must accept this only where 目視確認 is allowed.
pub fn verify_certificate(
    certificate_der: &[u8],
    anchors: &TrustAnchors,
    revoked: &RevocationList,
    holder: CertificateHolder,
    now: JstDateTime,
) -> Result<VerifiedCertificate, VerifyError> {
    let cert = Certificate::from_der(certificate_der).map_err(|_| VerifyError::Malformed)?;
    certificate_checks(&cert, certificate_der, anchors, revoked, holder, now)
}

/// Steps 3–6 of the verification, shared by both entry points.
fn certificate_checks(
    cert: &Certificate,
    certificate_der: &[u8],
    anchors: &TrustAnchors,
    revoked: &RevocationList,
    holder: CertificateHolder,
    now: JstDateTime,
) -> Result<VerifiedCertificate, VerifyError> {
    let tbs = &cert.tbs_certificate;
    // 3. Chain.
    let root = chain(cert, certificate_der, anchors)?;

    // 4. Usage.
    check_usage(cert)?;

    // 5. Validity.
    let not_before = jst(tbs.validity.not_before.to_unix_duration())?;
    let not_after = jst(tbs.validity.not_after.to_unix_duration())?;
    if now < not_before {
        return Err(VerifyError::NotYetValid { not_before });
    }
    let expiry = not_after.date();
    let today = if now > not_after {
        // Expired, even later on its last day: judge the grace as from the day after.
        now.date().max(expiry.next_day().unwrap_or(expiry))
    } else {
        now.date()
    };
    let status = certificate_status(expiry, today, holder);
    if status == CertificateStatus::ExpiredBeyondGrace {
        return Err(VerifyError::Expired { not_after });
    }

    // 6. Revocation.
    let serial = tbs.serial_number.as_bytes();
    if revoked.is_revoked(root.fingerprint, serial) {
        return Err(VerifyError::Revoked);
    }

    Ok(VerifiedCertificate {
        link_key: link_key(cert, root)?,
        serial_hex: Hex(trim_leading_zeros(serial)).to_string(),
        not_after,
        status,
        fingerprint: certificate_fingerprint(certificate_der),
        root_fingerprint: root.fingerprint,
    })
}

/// The RSA key of a SubjectPublicKeyInfo, if it is one (rsaEncryption, well-formed).
fn rsa_key(spki: &SubjectPublicKeyInfoOwned) -> Option<RsaPublicKey> {
    RsaPublicKey::try_from(spki.owned_to_ref()).ok()
}

/// The root whose key verifies the certificate's signature over its TBSCertificate.
fn chain<'a>(
    cert: &Certificate,
    der: &[u8],
    anchors: &'a TrustAnchors,
) -> Result<&'a TrustAnchor, VerifyError> {
    let untrusted = |problem| VerifyError::ChainUntrusted { problem };
    let alg = &cert.signature_algorithm;
    let params_ok = alg
        .parameters
        .as_ref()
        .is_none_or(|p| p.tag() == der::Tag::Null && p.value().is_empty());
    if alg.oid != SHA_256_WITH_RSA_ENCRYPTION
        || !params_ok
        || cert.tbs_certificate.signature != *alg
    {
        return Err(untrusted(ChainProblem::UnsupportedAlgorithm));
    }
    let issuer = cert
        .tbs_certificate
        .issuer
        .to_der()
        .map_err(|_| VerifyError::Malformed)?;
    let tbs = tbs_bytes(der).map_err(|_| VerifyError::Malformed)?;
    let signature = cert
        .signature
        .as_bytes()
        .and_then(|s| Signature::try_from(s).ok())
        .ok_or(untrusted(ChainProblem::SignatureMismatch))?;

    let mut named = anchors
        .roots
        .iter()
        .filter(|r| r.subject_der == issuer)
        .peekable();
    if named.peek().is_none() {
        return Err(untrusted(ChainProblem::UnknownIssuer));
    }
    named
        .find(|r| r.key.verify(tbs, &signature).is_ok())
        .ok_or(untrusted(ChainProblem::SignatureMismatch))
}

/// The TBSCertificate exactly as received: the bytes the issuer signed (re-encoding a parsed value
/// could differ from what was signed).
fn tbs_bytes(der: &[u8]) -> der::Result<&[u8]> {
    let mut reader = SliceReader::new(der)?;
    reader.sequence(|seq| {
        let tbs = seq.tlv_bytes()?;
        // The algorithm and the signature follow; they were parsed already.
        seq.read_slice(seq.remaining_len())?;
        Ok(tbs)
    })
}

/// keyUsage digitalSignature, extKeyUsage clientAuth (or any) when present, not a CA, and no
/// critical extension outside those and certificatePolicies.
fn check_usage(cert: &Certificate) -> Result<(), VerifyError> {
    const KNOWN_CRITICAL: [ObjectIdentifier; 4] = [
        KeyUsage::OID,
        ExtendedKeyUsage::OID,
        BasicConstraints::OID,
        CertificatePolicies::OID,
    ];
    for ext in cert.tbs_certificate.extensions.iter().flatten() {
        let value = ext.extn_value.as_bytes();
        let ok = match ext.extn_id {
            KeyUsage::OID => KeyUsage::from_der(value)
                .map_err(|_| VerifyError::Malformed)?
                .digital_signature(),
            ExtendedKeyUsage::OID => ExtendedKeyUsage::from_der(value)
                .map_err(|_| VerifyError::Malformed)?
                .0
                .iter()
                .any(|oid| *oid == ID_KP_CLIENT_AUTH || *oid == ANY_EXTENDED_KEY_USAGE),
            BasicConstraints::OID => {
                !BasicConstraints::from_der(value)
                    .map_err(|_| VerifyError::Malformed)?
                    .ca
            }
            oid => !ext.critical || KNOWN_CRITICAL.contains(&oid),
        };
        if !ok {
            return Err(VerifyError::UsageInvalid);
        }
    }
    Ok(())
}

/// Version 1 of [`PersonLinkKey`].
fn link_key(cert: &Certificate, root: &TrustAnchor) -> Result<PersonLinkKey, VerifyError> {
    let tbs = &cert.tbs_certificate;
    let mut hasher = Sha256::new();
    hasher.update(tbs.issuer.to_der().map_err(|_| VerifyError::Malformed)?);
    hasher.update(&root.spki_der);
    hasher.update(
        tbs.serial_number
            .to_der()
            .map_err(|_| VerifyError::Malformed)?,
    );
    Ok(PersonLinkKey(Hex(&hasher.finalize()).to_string()))
}

/// An X.509 time (seconds since the epoch, UTC) as a JST wall-clock time.
fn jst(since_epoch: std::time::Duration) -> Result<JstDateTime, VerifyError> {
    let secs = i64::try_from(since_epoch.as_secs()).map_err(|_| VerifyError::Malformed)?;
    let t = OffsetDateTime::from_unix_timestamp(secs)
        .map_err(|_| VerifyError::Malformed)?
        .to_offset(offset!(+9));
    Ok(JstDateTime::new(t.date(), t.time()))
}

/// Lower-case hex.
struct Hex<'a>(&'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REAL_CERT: &[u8] = include_bytes!("../../../tests/vectors/card/auth-cert-myna.cer");

    #[test]
    fn fingerprint_of_the_real_certificate() {
        assert_eq!(
            Hex(&certificate_fingerprint(REAL_CERT)).to_string(),
            "449ef3f93be0c5425330af2b41c63769190aa75a713223d96839f6537104007e"
        );
    }

    #[test]
    fn tbs_bytes_are_the_first_element() {
        let tbs = tbs_bytes(REAL_CERT).unwrap();
        let cert = Certificate::from_der(REAL_CERT).unwrap();
        assert_eq!(tbs, cert.tbs_certificate.to_der().unwrap());
        assert_eq!(&REAL_CERT[4..8], &tbs[..4]);
    }

    #[test]
    fn real_certificate_has_user_authentication_usage() {
        let cert = Certificate::from_der(REAL_CERT).unwrap();
        assert_eq!(check_usage(&cert), Ok(()));
    }

    #[test]
    fn x509_times_become_jst() {
        let cert = Certificate::from_der(REAL_CERT).unwrap();
        let not_after = jst(cert.tbs_certificate.validity.not_after.to_unix_duration()).unwrap();
        assert_eq!(not_after, time::macros::datetime!(2024-05-02 23:59:59));
    }

    #[test]
    fn serial_zeros_are_trimmed_for_revocation() {
        let mut list = RevocationList::new();
        list.revoke([1; 32], &[0, 0, 0x30, 0x39]);
        assert!(list.is_revoked([1; 32], &[0x30, 0x39]));
        assert!(!list.is_revoked([2; 32], &[0x30, 0x39]));
        assert_eq!(trim_leading_zeros(&[0]), &[0]);
        assert_eq!(trim_leading_zeros(&[]), &[] as &[u8]);
    }

    #[test]
    fn codes_are_stable_and_messages_bilingual() {
        let all = [
            VerifyError::Malformed,
            VerifyError::KeyNotRsa2048,
            VerifyError::SignatureInvalid,
            VerifyError::ChainUntrusted {
                problem: ChainProblem::UnknownIssuer,
            },
            VerifyError::UsageInvalid,
            VerifyError::NotYetValid {
                not_before: time::macros::datetime!(2024-01-01 00:00),
            },
            VerifyError::Expired {
                not_after: time::macros::datetime!(2024-01-01 00:00),
            },
            VerifyError::Revoked,
        ];
        let codes: HashSet<_> = all.iter().map(VerifyError::code).collect();
        assert_eq!(codes.len(), all.len());
        for e in &all {
            assert!(e.code().starts_with("CERT_"));
            let m = e.message();
            assert!(!m.ja.is_empty() && !m.en.is_empty());
        }
    }

    #[test]
    fn empty_anchors_trust_nothing() {
        let anchors = TrustAnchors::from_der_roots(Vec::<Vec<u8>>::new()).unwrap();
        assert!(anchors.is_empty());
        assert_eq!(
            TrustAnchors::from_der_roots([b"garbage".as_slice()]).unwrap_err(),
            AnchorError::Malformed { index: 0 }
        );
    }

    #[cfg(feature = "virtual-card")]
    mod with_test_ca {
        use rsa::pkcs1v15::SigningKey;
        use rsa::signature::{SignatureEncoding, Signer};

        use super::super::*;
        use crate::card::test_ca::fixtures::{authority, card, request};

        #[test]
        fn a_ca_certificate_is_not_a_user_certificate() {
            let root = Certificate::from_der(authority().root_certificate_der()).unwrap();
            assert_eq!(check_usage(&root), Err(VerifyError::UsageInvalid));
        }

        #[test]
        fn link_key_is_stable_and_differs_by_serial() {
            let anchors =
                TrustAnchors::from_der_roots([authority().root_certificate_der()]).unwrap();
            let signer = SigningKey::<Sha256>::new(card().clone());
            let sig = signer.sign(b"challenge").to_vec();
            let verify = |serial| {
                let der = authority().issue_user_certificate(request(serial)).unwrap();
                verify_authentication(
                    b"challenge",
                    &sig,
                    &der,
                    &anchors,
                    &RevocationList::new(),
                    CertificateHolder::Card,
                    time::macros::datetime!(2025-01-01 12:00),
                )
                .unwrap()
            };
            let a = verify(1);
            assert_eq!(a, verify(1));
            assert_ne!(a.link_key, verify(2).link_key);
            assert_eq!(a.link_key.as_str().len(), 64);
            assert_eq!(a.serial_hex, "01");
            let debug = format!("{a:?}");
            assert!(!debug.contains(a.link_key.as_str()));
        }
    }
}

//! A **TEST ONLY** JPKI user-authentication certificate authority (利用者証明用認証局のテスト版).
//!
//! It mints a self-signed RSA-2048 root per *generation* and user-authentication certificates that
//! follow the real profile of card.md §4, so the virtual card, the verifier and the demo can run
//! without a card and without J-LIS. Everything is deterministic from a `u64` seed: the same seed
//! gives the same keys and byte-identical certificates, so vectors and snapshots stay stable.
//!
//! Nothing here is secret and nothing here is trusted outside tests: every name says `TEST ONLY`,
//! the organisation is `JPKI-TEST` (card.md §4.1: real test cards chain to unpublished `O=JPKI-TEST`
//! roots, these are onshi's own), and the URLs use the reserved `.invalid` domain.
//!
//! RSA-2048 key generation costs about 200 ms even optimised: derive keys on demand, once, and
//! share them (tests keep them in a `OnceLock`).
//!
//! Choices, so that a reader need not reverse-engineer them:
//!
//! - **One DN for every generation**, as the real authca01/02/03 share one DN (card.md §4.1):
//!   [`ROOT_DN`]. A verifier must therefore tell generations apart by key and signature.
//! - **Policy OID**: the leaf carries the *real* JPKI user-authentication policy
//!   [`JPKI_USER_AUTHENTICATION_POLICY`] (`1.2.392.200149.8.5.1.3.30`), reused in a TEST ONLY
//!   certificate so that the emulator's certificate looks to any client (onshi's, OpenSC's) exactly
//!   like a card's. The TEST status is carried by the issuer DN and by the TEST root, which no
//!   production trust store holds; the CPS qualifier points at a `.invalid` URL, not at J-LIS.
//! - **Size**: the leaf is 1,258 bytes plus the serial's length — 1,259 to 1,267 for a `u64` serial
//!   (two more per validity date from 2050 on, GeneralizedTime) — so five 256-byte READ BINARY
//!   blocks, within the client's 1,536-byte budget (card.md §3 step 6). It keeps the real extensions — keyUsage,
//!   extKeyUsage, certificatePolicies, a CRL distribution point as an X.500 directory name, OCSP,
//!   authority and subject key identifiers — but drops two parts of the real 1,573-byte
//!   certificate: the issuerAltName (J-LIS's Japanese display name) and the directory name and
//!   serial inside the authorityKeyIdentifier (the key id alone is kept).

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use der::asn1::{GeneralizedTime, Ia5String, ObjectIdentifier};
use der::oid::AssociatedOid;
use der::oid::db::rfc5912::{ID_AD_OCSP, ID_KP_CLIENT_AUTH, ID_QT_CPS};
use der::referenced::OwnedToRef;
use der::{Any, Encode, Length, Writer};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use rsa::pkcs1v15::SigningKey;
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};
use time::macros::offset;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::ext::AsExtension;
use x509_cert::ext::pkix::certpolicy::{PolicyInformation, PolicyQualifierInfo};
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AccessDescription, AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, CertificatePolicies,
    CrlDistributionPoints, ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{EncodePublicKey, SubjectPublicKeyInfoOwned};
use x509_cert::time::{Time, Validity};

use super::verify::certificate_fingerprint;
use crate::jst::{Date, JstDateTime, Time as WallTime};

/// The subject and issuer DN of every TEST root generation (RFC 4514 order: last RDN first).
///
/// In DER order: `C=JP, O=JPKI-TEST, OU=JPKI for user authentication TEST ONLY,
/// OU=onshi virtual card - TEST ONLY - not J-LIS`.
pub const ROOT_DN: &str = "OU=onshi virtual card - TEST ONLY - not J-LIS,\
                           OU=JPKI for user authentication TEST ONLY,O=JPKI-TEST,C=JP";

/// The CRL distribution point's directory name (a TEST 都道府県・市区町村, as real certificates name
/// the card holder's municipality there).
const CRL_DP_DN: &str = "CN=Test-shi CRLDP,OU=Test-ken,OU=CRL Distribution Points,\
                         OU=JPKI for user authentication TEST ONLY,O=JPKI-TEST,C=JP";

/// 利用者証明用電子証明書の証明書ポリシー: the real JPKI user-authentication policy OID, reused in
/// TEST ONLY certificates (see the module documentation).
pub const JPKI_USER_AUTHENTICATION_POLICY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.1.3.30");

/// Where the real CPS would be; a reserved `.invalid` name, so nothing is ever fetched.
const TEST_CPS_URI: &str = "http://cps.jpki-test.invalid/cps.html";

/// The OCSP responder in the authority information access; `.invalid`, never reached.
const TEST_OCSP_URI: &str = "http://ocsp.jpki-test.invalid";

/// Characters of the opaque subject CN (the real ones are upper-case letters and digits).
const CN_ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// Length of the opaque subject CN, as on real certificates (`840444E37PAFHN08220003A`).
pub const CN_LEN: usize = 23;

/// RSA modulus size of every key here.
const RSA_BITS: usize = 2048;

/// The TEST CA could not build a certificate (only a bug or an out-of-range date can cause it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("test CA: {what}: {detail}")]
pub struct TestCaError {
    /// What was being done.
    pub what: &'static str,
    /// The underlying library's message.
    pub detail: String,
}

impl TestCaError {
    fn new(what: &'static str, detail: impl fmt::Display) -> Self {
        Self {
            what,
            detail: detail.to_string(),
        }
    }
}

/// One generation of the TEST user-authentication root (cf. authca01/02/03), with its private key.
pub struct TestAuthority {
    seed: u64,
    generation: u8,
    key: RsaPrivateKey,
    name: Name,
    root_der: Vec<u8>,
}

impl fmt::Debug for TestAuthority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestAuthority")
            .field("generation", &self.generation)
            .field("root_fingerprint", &hex(&self.root_fingerprint()))
            .finish_non_exhaustive()
    }
}

/// What the TEST CA needs to issue a 利用者証明用電子証明書.
#[derive(Debug, Clone)]
pub struct UserCertificateRequest {
    /// The test card (or person) the certificate is for; only a hash of it reaches the certificate,
    /// as the opaque CN.
    pub card: String,
    /// The card's RSA-2048 public key (EF 0017's public half).
    pub public_key: RsaPublicKey,
    /// The serial number (positive; a renewal gets a new one, and a new CN).
    pub serial: u64,
    /// Start of validity, JST.
    pub not_before: JstDateTime,
    /// End of validity, JST. Real certificates end at 23:59:59 JST: see [`end_of_day`].
    pub not_after: JstDateTime,
}

/// 23:59:59 JST on `date` (14:59:59Z), the end of every real certificate's validity.
pub fn end_of_day(date: Date) -> JstDateTime {
    JstDateTime::new(date, WallTime::MIDNIGHT) + time::Duration::seconds(86_399)
}

/// The card's RSA-2048 key, derived deterministically from the seed and a card id.
///
/// Key generation takes about 200 ms: derive on demand and keep the key. The derivation is
/// SHA-256 over a label, the seed and the card id, fed to ChaCha20 as its seed.
pub fn card_key(seed: u64, card: &str) -> RsaPrivateKey {
    generate_key(&mut rng(b"onshi/test-ca/card-key", seed, card.as_bytes()))
}

impl TestAuthority {
    /// Generation `generation` (1 = authca01, …) of the TEST root, with its default validity: from
    /// 1 January of `2015 + 4 × (generation − 1)` (J-LIS renews its roots about every four years)
    /// for 20 years, so every generation covers today's tests. Generation 0 is refused.
    pub fn generation(seed: u64, generation: u8) -> Result<Self, TestCaError> {
        let year = 2015 + 4 * (i32::from(generation) - 1);
        let start = Date::from_calendar_date(year, time::Month::January, 1)
            .map_err(|e| TestCaError::new("root validity", e))?;
        let end = Date::from_calendar_date(year + 20, time::Month::January, 1)
            .map_err(|e| TestCaError::new("root validity", e))?
            .previous_day()
            .ok_or_else(|| TestCaError::new("root validity", "out of range"))?;
        Self::with_validity(
            seed,
            generation,
            JstDateTime::new(start, WallTime::MIDNIGHT),
            end_of_day(end),
        )
    }

    /// Generation `generation` of the TEST root, valid from `not_before` to `not_after` (JST).
    pub fn with_validity(
        seed: u64,
        generation: u8,
        not_before: JstDateTime,
        not_after: JstDateTime,
    ) -> Result<Self, TestCaError> {
        if generation == 0 {
            return Err(TestCaError::new("generation", "generations count from 1"));
        }
        let key = generate_key(&mut rng(b"onshi/test-ca/root-key", seed, &[generation]));
        let name = Name::from_str(ROOT_DN).map_err(|e| TestCaError::new("root name", e))?;
        let signer = SigningKey::<Sha256>::new(key.clone());
        let spki = public_key_info(key.as_ref())?;
        let builder = CertificateBuilder::new(
            Profile::Root,
            SerialNumber::from(generation),
            validity(not_before, not_after)?,
            name.clone(),
            spki,
            &signer,
        )
        .map_err(|e| TestCaError::new("root certificate", e))?;
        let root_der = sign(builder)?;
        Ok(Self {
            seed,
            generation,
            key,
            name,
            root_der,
        })
    }

    /// Which generation this root is (1 = authca01, …); also its serial number.
    pub fn generation_number(&self) -> u8 {
        self.generation
    }

    /// The self-signed root certificate, DER: what a relying party installs as a trust anchor.
    pub fn root_certificate_der(&self) -> &[u8] {
        &self.root_der
    }

    /// SHA-256 of [`Self::root_certificate_der`].
    pub fn root_fingerprint(&self) -> [u8; 32] {
        certificate_fingerprint(&self.root_der)
    }

    /// The root's public key.
    pub fn public_key(&self) -> &RsaPublicKey {
        self.key.as_ref()
    }

    /// The opaque 23-character subject CN for a card's certificate with this serial: `TEST` and 19
    /// letters and digits from a hash of the seed, the card id and the serial. Like real ones it
    /// carries no name, address, birth date or sex, and it changes when a renewal changes the
    /// serial (card.md §4).
    pub fn subject_cn(&self, card: &str, serial: u64) -> String {
        let mut hasher = Sha256::new();
        hasher.update(b"onshi/test-ca/cn");
        hasher.update(self.seed.to_be_bytes());
        hasher.update(serial.to_be_bytes());
        hasher.update(card.as_bytes());
        let digest = hasher.finalize();
        let mut cn = String::from("TEST");
        cn.extend(
            digest
                .iter()
                .take(CN_LEN - 4)
                .map(|b| char::from(CN_ALPHABET[usize::from(*b) % CN_ALPHABET.len()])),
        );
        cn
    }

    /// Issues a 利用者証明用電子証明書 (user-authentication certificate) in DER, following the real
    /// profile (card.md §4) except for the parts listed in the module documentation.
    pub fn issue_user_certificate(
        &self,
        request: UserCertificateRequest,
    ) -> Result<Vec<u8>, TestCaError> {
        let subject = Name::from_str(&format!(
            "CN={},C=JP",
            self.subject_cn(&request.card, request.serial)
        ))
        .map_err(|e| TestCaError::new("subject name", e))?;
        let spki = public_key_info(&request.public_key)?;
        let issuer_spki = public_key_info(self.key.as_ref())?;
        let signer = SigningKey::<Sha256>::new(self.key.clone());
        let mut builder = CertificateBuilder::new(
            Profile::Manual {
                issuer: Some(self.name.clone()),
            },
            SerialNumber::from(request.serial),
            validity(request.not_before, request.not_after)?,
            subject,
            spki.clone(),
            &signer,
        )
        .map_err(|e| TestCaError::new("user certificate", e))?;

        let ext = |e: x509_cert::builder::Error| TestCaError::new("extension", e);
        // In the order of the real certificate.
        builder
            .add_extension(&KeyUsage(KeyUsages::DigitalSignature.into()))
            .map_err(ext)?;
        builder
            .add_extension(&Criticality::new(
                ExtendedKeyUsage(vec![ID_KP_CLIENT_AUTH]),
                false,
            ))
            .map_err(ext)?;
        builder
            .add_extension(&Criticality::new(policies()?, true))
            .map_err(ext)?;
        builder.add_extension(&crl_distribution()?).map_err(ext)?;
        builder.add_extension(&ocsp()?).map_err(ext)?;
        let aki = AuthorityKeyIdentifier::try_from(issuer_spki.owned_to_ref())
            .map_err(|e| TestCaError::new("authority key id", e))?;
        builder.add_extension(&aki).map_err(ext)?;
        let ski = SubjectKeyIdentifier::try_from(spki.owned_to_ref())
            .map_err(|e| TestCaError::new("subject key id", e))?;
        builder.add_extension(&ski).map_err(ext)?;
        sign(builder)
    }
}

/// An extension with the criticality the real profile gives it, where x509-cert's default differs
/// (it makes extKeyUsage critical and certificatePolicies not; the card's are the other way round).
struct Criticality<E> {
    inner: E,
    critical: bool,
}

impl<E> Criticality<E> {
    fn new(inner: E, critical: bool) -> Self {
        Self { inner, critical }
    }
}

impl<E: AssociatedOid> AssociatedOid for Criticality<E> {
    const OID: ObjectIdentifier = E::OID;
}

impl<E: Encode> Encode for Criticality<E> {
    fn encoded_len(&self) -> der::Result<Length> {
        self.inner.encoded_len()
    }

    fn encode(&self, encoder: &mut impl Writer) -> der::Result<()> {
        self.inner.encode(encoder)
    }
}

impl<E: AssociatedOid + Encode> AsExtension for Criticality<E> {
    fn critical(&self, _subject: &Name, _extensions: &[x509_cert::ext::Extension]) -> bool {
        self.critical
    }
}

fn policies() -> Result<CertificatePolicies, TestCaError> {
    let cps = Ia5String::new(TEST_CPS_URI).map_err(|e| TestCaError::new("CPS URI", e))?;
    Ok(CertificatePolicies(vec![PolicyInformation {
        policy_identifier: JPKI_USER_AUTHENTICATION_POLICY,
        policy_qualifiers: Some(vec![PolicyQualifierInfo {
            policy_qualifier_id: ID_QT_CPS,
            qualifier: Some(Any::from(&cps)),
        }]),
    }]))
}

fn crl_distribution() -> Result<CrlDistributionPoints, TestCaError> {
    let name = Name::from_str(CRL_DP_DN).map_err(|e| TestCaError::new("CRL DP name", e))?;
    Ok(CrlDistributionPoints(vec![DistributionPoint {
        distribution_point: Some(DistributionPointName::FullName(vec![
            GeneralName::DirectoryName(name),
        ])),
        reasons: None,
        crl_issuer: None,
    }]))
}

fn ocsp() -> Result<AuthorityInfoAccessSyntax, TestCaError> {
    let uri = Ia5String::new(TEST_OCSP_URI).map_err(|e| TestCaError::new("OCSP URI", e))?;
    Ok(AuthorityInfoAccessSyntax(vec![AccessDescription {
        access_method: ID_AD_OCSP,
        access_location: GeneralName::UniformResourceIdentifier(uri),
    }]))
}

fn sign(builder: CertificateBuilder<'_, SigningKey<Sha256>>) -> Result<Vec<u8>, TestCaError> {
    builder
        .build::<rsa::pkcs1v15::Signature>()
        .map_err(|e| TestCaError::new("signing", e))?
        .to_der()
        .map_err(|e| TestCaError::new("encoding", e))
}

fn public_key_info(key: &RsaPublicKey) -> Result<SubjectPublicKeyInfoOwned, TestCaError> {
    let der = key
        .to_public_key_der()
        .map_err(|e| TestCaError::new("public key", e))?;
    SubjectPublicKeyInfoOwned::try_from(der.as_bytes())
        .map_err(|e| TestCaError::new("public key", e))
}

fn validity(not_before: JstDateTime, not_after: JstDateTime) -> Result<Validity, TestCaError> {
    Ok(Validity {
        not_before: x509_time(not_before)?,
        not_after: x509_time(not_after)?,
    })
}

/// A JST wall-clock time as an X.509 time (UTC; the builder picks UTCTime before 2050).
fn x509_time(t: JstDateTime) -> Result<Time, TestCaError> {
    let secs = u64::try_from(t.assume_offset(offset!(+9)).unix_timestamp())
        .map_err(|e| TestCaError::new("time before 1970", e))?;
    GeneralizedTime::from_unix_duration(Duration::from_secs(secs))
        .map(Time::GeneralTime)
        .map_err(|e| TestCaError::new("time", e))
}

/// A ChaCha20 stream seeded by SHA-256 over a label, the seed and a discriminator, so that roots,
/// card keys and generations never share a stream.
fn rng(label: &[u8], seed: u64, which: &[u8]) -> ChaCha20Rng {
    let mut hasher = Sha256::new();
    hasher.update(label);
    hasher.update(seed.to_be_bytes());
    hasher.update(which);
    ChaCha20Rng::from_seed(hasher.finalize().into())
}

fn generate_key(rng: &mut ChaCha20Rng) -> RsaPrivateKey {
    // `RsaPrivateKey::new` fails only for fewer than two primes or a modulus under 64 bits; for
    // 2048 bits it loops internally until it succeeds. Retrying keeps this free of `unwrap` and
    // stays deterministic, since the stream only moves forward.
    loop {
        if let Ok(key) = RsaPrivateKey::new(rng, RSA_BITS) {
            return key;
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! Keys and authorities shared by the unit tests of the card modules (RSA keygen is slow).

    use std::sync::OnceLock;

    use super::*;

    /// The seed of every unit-test authority.
    pub(crate) const SEED: u64 = 20_240_502;

    /// Generation 1 of the TEST root.
    pub(crate) fn authority() -> &'static TestAuthority {
        static CELL: OnceLock<TestAuthority> = OnceLock::new();
        CELL.get_or_init(|| TestAuthority::generation(SEED, 1).unwrap_or_else(|e| panic!("{e}")))
    }

    /// A card key.
    pub(crate) fn card() -> &'static RsaPrivateKey {
        static CELL: OnceLock<RsaPrivateKey> = OnceLock::new();
        CELL.get_or_init(|| card_key(SEED, "card-1"))
    }

    /// A request for [`card`], valid 2024-05-02 → 2029-05-01 23:59:59 JST.
    pub(crate) fn request(serial: u64) -> UserCertificateRequest {
        UserCertificateRequest {
            card: "card-1".into(),
            public_key: card().to_public_key(),
            serial,
            not_before: JstDateTime::new(
                time::macros::date!(2024 - 05 - 02),
                time::macros::time!(10:00),
            ),
            not_after: end_of_day(time::macros::date!(2029 - 05 - 01)),
        }
    }
}

#[cfg(test)]
mod tests {
    use der::Decode;
    use rsa::traits::PublicKeyParts;
    use x509_cert::Certificate;
    use x509_cert::ext::pkix::BasicConstraints;

    use super::fixtures::{SEED, authority, card, request};
    use super::*;

    fn leaf() -> Certificate {
        let der = authority()
            .issue_user_certificate(request(0x0133_C349))
            .unwrap();
        Certificate::from_der(&der).unwrap()
    }

    #[test]
    fn root_is_self_signed_ca_with_the_shared_test_dn() {
        let root = Certificate::from_der(authority().root_certificate_der()).unwrap();
        let tbs = &root.tbs_certificate;
        assert_eq!(tbs.subject, tbs.issuer);
        assert_eq!(
            tbs.subject.to_string(),
            "OU=onshi virtual card - TEST ONLY - not J-LIS,\
             OU=JPKI for user authentication TEST ONLY,O=JPKI-TEST,C=JP"
        );
        assert_eq!(tbs.serial_number.as_bytes(), &[1]);
        let bc = tbs
            .extensions
            .as_ref()
            .unwrap()
            .iter()
            .find(|e| e.extn_id == BasicConstraints::OID)
            .unwrap();
        assert!(
            BasicConstraints::from_der(bc.extn_value.as_bytes())
                .unwrap()
                .ca
        );
        assert_eq!(authority().public_key().size(), 256);
        assert_eq!(
            tbs.validity.not_before.to_string(),
            "2014-12-31T15:00:00Z",
            "1 January 2015 00:00 JST"
        );
    }

    #[test]
    fn generation_zero_is_refused() {
        // No key is generated before the check.
        let err = TestAuthority::generation(SEED, 0).unwrap_err();
        assert_eq!(err.what, "generation");
    }

    #[test]
    fn leaf_follows_the_card_profile() {
        let cert = leaf();
        let tbs = &cert.tbs_certificate;
        assert_eq!(tbs.version, x509_cert::Version::V3);
        assert_eq!(
            tbs.issuer.to_der().unwrap(),
            authority().name.to_der().unwrap()
        );
        let subject = tbs.subject.to_string();
        let cn = subject
            .strip_prefix("CN=")
            .unwrap()
            .strip_suffix(",C=JP")
            .unwrap();
        assert_eq!(cn.len(), CN_LEN);
        assert!(cn.bytes().all(|b| CN_ALPHABET.contains(&b)));
        assert_eq!(tbs.serial_number.as_bytes(), &[0x01, 0x33, 0xC3, 0x49]);
        assert_eq!(tbs.validity.not_before.to_string(), "2024-05-02T01:00:00Z");
        assert_eq!(tbs.validity.not_after.to_string(), "2029-05-01T14:59:59Z");
        assert_eq!(
            cert.signature_algorithm.oid,
            der::oid::db::rfc5912::SHA_256_WITH_RSA_ENCRYPTION
        );

        let exts = tbs.extensions.as_ref().unwrap();
        let find = |oid| exts.iter().find(|e| e.extn_id == oid).unwrap();
        let ku = find(KeyUsage::OID);
        assert!(ku.critical);
        let usage = KeyUsage::from_der(ku.extn_value.as_bytes()).unwrap();
        assert_eq!(usage, KeyUsage(KeyUsages::DigitalSignature.into()));
        let eku = find(ExtendedKeyUsage::OID);
        assert!(!eku.critical);
        assert_eq!(
            ExtendedKeyUsage::from_der(eku.extn_value.as_bytes())
                .unwrap()
                .0,
            vec![ID_KP_CLIENT_AUTH]
        );
        let cp = find(CertificatePolicies::OID);
        assert!(cp.critical);
        let policies = CertificatePolicies::from_der(cp.extn_value.as_bytes()).unwrap();
        assert_eq!(
            policies.0[0].policy_identifier,
            JPKI_USER_AUTHENTICATION_POLICY
        );
        assert!(
            exts.iter()
                .all(|e| e.extn_id != x509_cert::ext::pkix::BasicConstraints::OID)
        );
    }

    #[test]
    fn leaf_fits_the_read_budget() {
        // 1,258 bytes plus the serial INTEGER's content (a leading zero when the top bit is set).
        for (serial, len) in [(7, 1259), (0x0133_C349, 1262), (u64::MAX, 1267)] {
            let der = authority().issue_user_certificate(request(serial)).unwrap();
            assert_eq!(der.len(), len, "serial {serial:#x}: update the module doc");
            assert!(der.len() <= 1536);
        }
    }

    #[test]
    fn issuing_is_deterministic_and_cn_changes_with_the_serial() {
        let a = authority().issue_user_certificate(request(7)).unwrap();
        let b = authority().issue_user_certificate(request(7)).unwrap();
        assert_eq!(a, b);
        assert_ne!(
            authority().subject_cn("card-1", 7),
            authority().subject_cn("card-1", 8)
        );
        assert!(authority().subject_cn("card-1", 7).starts_with("TEST"));
    }

    #[test]
    fn card_key_is_deterministic() {
        // Re-deriving costs one more keygen; the determinism is worth one.
        assert_eq!(&card_key(SEED, "card-1"), card());
        assert_eq!(card().size(), 256);
    }

    #[test]
    fn end_of_day_is_23_59_59_jst() {
        assert_eq!(
            end_of_day(time::macros::date!(2024 - 05 - 02)),
            time::macros::datetime!(2024-05-02 23:59:59)
        );
    }
}

//! 同意の控え (consent receipt): what the patient keeps after registering consent — a COSE_Sign1
//! (ES256) by the service's receipt key over a CBOR statement of which institution may see what, for
//! how long, registered when and how the identity was checked. It holds no personal data (no name, no
//! numbers), so it can be shown as a QR code and checked by anyone with the published key.

use coset::{CborSerializable, CoseSign1, CoseSign1Builder, HeaderBuilder, iana};
use onshi_core::consent::{Answer, ConsentItem, ConsentWindow};
use onshi_core::jst::JstDateTime;
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

/// The key id receipts are signed under.
pub const RECEIPT_KEY_ID: &[u8] = b"onshi-receipt-1";

/// What a receipt states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptStatement {
    /// The receipt's id.
    pub receipt: String,
    /// 医療機関等コード.
    pub institution: String,
    /// The institution's name, as registered.
    pub institution_name: String,
    /// The care setting (`home_visit`, `online_consultation`, …).
    pub setting: onshi_core::consent::CareSetting,
    /// Each item and its answer.
    pub items: Vec<(ConsentItem, Answer)>,
    /// How long the consent lasts.
    pub window: ConsentWindow,
    /// When it was registered (JST, `YYYYMMDDhhmmss`).
    pub registered_at: String,
    /// 本人確認: `pin` or `visual`.
    pub identity: onshi_core::flows::IdentityMethod,
}

/// A receipt could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum ReceiptError {
    /// Not a COSE_Sign1 of this service.
    #[error("同意の控えを読み取れません (not a consent receipt)")]
    Malformed,
    /// The signature does not verify under the receipt key.
    #[error("同意の控えの署名が正しくありません (the receipt's signature does not verify)")]
    Signature,
}

/// Signs a statement into COSE_Sign1 bytes.
pub fn sign(statement: &ReceiptStatement, key: &SigningKey) -> Result<Vec<u8>, ReceiptError> {
    let mut payload = Vec::new();
    ciborium::into_writer(statement, &mut payload).map_err(|_| ReceiptError::Malformed)?;
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::ES256)
        .key_id(RECEIPT_KEY_ID.to_vec())
        .content_type("application/onshi-consent-receipt+cbor".to_owned())
        .build();
    CoseSign1Builder::new()
        .protected(protected)
        .payload(payload)
        .create_signature(b"", |tbs| {
            let signature: Signature = key.sign(tbs);
            signature.to_bytes().to_vec()
        })
        .build()
        .to_vec()
        .map_err(|_| ReceiptError::Malformed)
}

/// Verifies receipt bytes and returns the statement.
pub fn verify(bytes: &[u8], key: &VerifyingKey) -> Result<ReceiptStatement, ReceiptError> {
    let sign1 = CoseSign1::from_slice(bytes).map_err(|_| ReceiptError::Malformed)?;
    if sign1.protected.header.alg != Some(coset::Algorithm::Assigned(iana::Algorithm::ES256)) {
        return Err(ReceiptError::Malformed);
    }
    sign1.verify_signature(b"", |signature, tbs| {
        let signature = Signature::from_slice(signature).map_err(|_| ReceiptError::Signature)?;
        key.verify(tbs, &signature)
            .map_err(|_| ReceiptError::Signature)
    })?;
    let payload = sign1.payload.ok_or(ReceiptError::Malformed)?;
    ciborium::from_reader(payload.as_slice()).map_err(|_| ReceiptError::Malformed)
}

/// The registration time in the receipt's form.
pub fn stamp(t: JstDateTime) -> String {
    onshi_core::jst::format_datetime(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use onshi_core::consent::CareSetting;
    use onshi_core::flows::IdentityMethod;

    fn statement() -> ReceiptStatement {
        ReceiptStatement {
            receipt: "r1".into(),
            institution: "1310000000".into(),
            institution_name: "デモ訪問看護ステーション".into(),
            setting: CareSetting::HomeVisit,
            items: vec![(ConsentItem::CareAndMedication, Answer::Agree)],
            window: ConsentWindow::WhileCareContinues,
            registered_at: "20261121100000".into(),
            identity: IdentityMethod::Pin,
        }
    }

    #[test]
    fn a_receipt_verifies_and_a_changed_one_does_not() {
        let key = SigningKey::from_slice(&[7u8; 32]).unwrap_or_else(|e| panic!("{e}"));
        let bytes = sign(&statement(), &key).unwrap_or_else(|e| panic!("{e}"));
        let back = verify(&bytes, key.verifying_key()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, statement());
        let mut tampered = bytes.clone();
        let at = tampered.len() / 2;
        tampered[at] ^= 1;
        assert!(verify(&tampered, key.verifying_key()).is_err());
        let other = SigningKey::from_slice(&[9u8; 32]).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            verify(&bytes, other.verifying_key()),
            Err(ReceiptError::Signature)
        ));
        assert!(matches!(
            verify(b"\x00", key.verifying_key()),
            Err(ReceiptError::Malformed)
        ));
    }
}

//! 資格確認要求 by numbers (OQS-IF-001, `OQSsiquc01req`): what a receipt computer writes into `req`.

use serde::{Deserialize, Serialize};

use super::encoding::{EncodeError, XmlEncoding, decode_xml};
use super::read::{Node, OqsError};
use super::tree::parse_tree;
use super::write::XmlWriter;
use crate::codes::LimitCertificateConsent;
use crate::ids::{
    InsuredBranchNumber, InsuredCardSymbol, InsuredIdentificationNumber, InsurerNumber,
    MedicalInstitutionCode,
};
use crate::jst::{Date, format_date};

/// A number-based qualification request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualificationRequest {
    /// 資格確認日.
    #[serde(with = "crate::jst::serde_date")]
    pub confirmation_date: Date,
    /// 医療機関等コード.
    pub institution: MedicalInstitutionCode,
    /// 任意のファイル識別子 (echoed in the result; onshi puts its correlation id here).
    #[serde(default)]
    pub arbitrary_file_identifier: Option<String>,
    /// 保険者番号 (written as 8 characters, space-padded).
    pub insurer: InsurerNumber,
    /// 記号.
    #[serde(default)]
    pub symbol: Option<InsuredCardSymbol>,
    /// 番号.
    pub number: InsuredIdentificationNumber,
    /// 枝番.
    #[serde(default)]
    pub branch: Option<InsuredBranchNumber>,
    /// 生年月日.
    #[serde(with = "crate::jst::serde_date")]
    pub birthdate: Date,
    /// 限度額 consent given orally at the desk (OQSCD001).
    pub limit_consent: LimitCertificateConsent,
    /// 任意の識別子 (医療機関固有項目).
    #[serde(default)]
    pub arbitrary_identifier: Option<String>,
}

impl QualificationRequest {
    /// The file's text, in the interface's element order.
    pub fn to_xml_text(&self, encoding: XmlEncoding) -> String {
        let mut w = XmlWriter::new(encoding);
        self.write(&mut w);
        w.text().to_owned()
    }

    /// The file's bytes.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EncodeError> {
        let mut w = XmlWriter::new(encoding);
        self.write(&mut w);
        w.finish(encoding)
    }

    fn write(&self, w: &mut XmlWriter) {
        w.open("XmlMsg")
            .open("MessageHeader")
            .leaf(
                "QualificationConfirmationDate",
                &format_date(self.confirmation_date),
            )
            .leaf("MedicalInstitutionCode", self.institution.as_str())
            .optional(
                "ArbitraryFileIdentifier",
                self.arbitrary_file_identifier.as_deref(),
            )
            .close("MessageHeader")
            .open("MessageBody")
            .open("QualificationConfirmSearchInfo")
            .leaf("InsurerNumber", &self.insurer.to_xml_field())
            .optional(
                "InsuredCardSymbol",
                self.symbol.as_ref().map(InsuredCardSymbol::as_str),
            )
            .leaf("InsuredIdentificationNumber", self.number.as_str())
            .optional(
                "InsuredBranchNumber",
                self.branch.as_ref().map(InsuredBranchNumber::as_str),
            )
            .leaf("Birthdate", &format_date(self.birthdate))
            .leaf(
                "LimitApplicationCertificateRelatedConsFlg",
                self.limit_consent.code(),
            )
            .optional("ArbitraryIdentifier", self.arbitrary_identifier.as_deref())
            .close("QualificationConfirmSearchInfo")
            .close("MessageBody")
            .close("XmlMsg");
    }

    /// Reads a request file (as the terminal, or onshi's gateway standing in for it, does).
    pub fn from_xml(bytes: &[u8]) -> Result<Self, OqsError> {
        let (text, _) = decode_xml(bytes).map_err(|e| OqsError::Document(e.to_string()))?;
        let root = parse_tree(&text).map_err(|e| OqsError::Document(e.to_string()))?;
        let msg = Node::new(&root, "XmlMsg");
        let h = msg.required_node("MessageHeader")?;
        let info = msg
            .required_node("MessageBody")?
            .required_node("QualificationConfirmSearchInfo")?;
        Ok(Self {
            confirmation_date: h.date("QualificationConfirmationDate")?.ok_or_else(|| {
                OqsError::Missing {
                    path: "XmlMsg/MessageHeader/QualificationConfirmationDate".to_owned(),
                }
            })?,
            institution: h.required("MedicalInstitutionCode")?,
            arbitrary_file_identifier: h.text("ArbitraryFileIdentifier"),
            insurer: info.required("InsurerNumber")?,
            symbol: info.parsed_personal("InsuredCardSymbol")?,
            number: info
                .parsed_personal("InsuredIdentificationNumber")?
                .ok_or_else(|| OqsError::Missing {
                    path: format!("{}/InsuredIdentificationNumber", info.path),
                })?,
            branch: info.parsed_personal("InsuredBranchNumber")?,
            birthdate: info.date("Birthdate")?.ok_or_else(|| OqsError::Missing {
                path: format!("{}/Birthdate", info.path),
            })?,
            limit_consent: info.required("LimitApplicationCertificateRelatedConsFlg")?,
            arbitrary_identifier: info.text("ArbitraryIdentifier"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn sample() -> QualificationRequest {
        QualificationRequest {
            confirmation_date: date!(2026 - 11 - 21),
            institution: "1361234568".parse().unwrap(),
            arbitrary_file_identifier: Some("onshi-0001".to_owned()),
            insurer: "131011".parse().unwrap(),
            symbol: Some("北ア".parse().unwrap()),
            number: "222222".parse().unwrap(),
            branch: Some("00".parse().unwrap()),
            birthdate: date!(1955 - 07 - 10),
            limit_consent: LimitCertificateConsent::Consented,
            arbitrary_identifier: None,
        }
    }

    #[test]
    fn written_in_element_order() {
        insta::assert_snapshot!(sample().to_xml_text(XmlEncoding::ShiftJis));
    }

    #[test]
    fn round_trips_in_both_encodings() {
        for enc in [XmlEncoding::Utf8, XmlEncoding::ShiftJis] {
            let bytes = sample().to_xml(enc).unwrap();
            assert_eq!(QualificationRequest::from_xml(&bytes).unwrap(), sample());
        }
    }
}

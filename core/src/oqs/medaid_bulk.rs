//! 医療扶助 monthly bulk fetch (`OQSmutic01req`; very likely OQS-IF-013…016): every 医療券・調剤券
//! that names this institution (委託先) for one 診療年月. Steps 2–4 are the common ones of
//! [`super::bulk`]; the results are `BulkConfirmUnit`s carrying the 医療扶助 block.

use serde::{Deserialize, Serialize};

use super::common::{read_document, write_request_header};
use super::encoding::{EncodeError, XmlEncoding};
use super::read::{Node, OqsError};
use super::write::XmlWriter;
use crate::ids::MedicalInstitutionCode;
use crate::jst::{Date, format_date};

/// 委託先資格情報一括取得要求: the institution and the month. The month sits in
/// `MessageBody/QualificationConfirmSearchInfo/MedicalTreatmentMonth` (`YYYYMM`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicalAidBulkRequest {
    /// 医療機関等コード.
    pub institution: MedicalInstitutionCode,
    /// 任意のファイル識別子.
    #[serde(default)]
    pub arbitrary_file_identifier: Option<String>,
    /// 診療年月 (`YYYYMM`, kept as the first day of the month).
    #[serde(with = "crate::jst::serde_date")]
    pub month: Date,
}

impl MedicalAidBulkRequest {
    /// The file's bytes, in element order (the day of `month` is not written).
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EncodeError> {
        let mut w = XmlWriter::new(encoding);
        w.open("XmlMsg");
        write_request_header(
            &mut w,
            &self.institution,
            self.arbitrary_file_identifier.as_deref(),
        );
        w.open("MessageBody")
            .open("QualificationConfirmSearchInfo")
            .leaf("MedicalTreatmentMonth", &format_date(self.month)[..6])
            .close("QualificationConfirmSearchInfo")
            .close("MessageBody")
            .close("XmlMsg");
        w.finish(encoding)
    }

    /// Reads a request file.
    pub fn from_xml(bytes: &[u8]) -> Result<Self, OqsError> {
        let root = read_document(bytes)?;
        let msg = Node::new(&root, "XmlMsg");
        let h = msg.required_node("MessageHeader")?;
        let info = msg
            .required_node("MessageBody")?
            .required_node("QualificationConfirmSearchInfo")?;
        Ok(Self {
            institution: h.required("MedicalInstitutionCode")?,
            arbitrary_file_identifier: h.text("ArbitraryFileIdentifier"),
            month: info
                .month("MedicalTreatmentMonth")?
                .ok_or_else(|| info.missing("MedicalTreatmentMonth"))?,
        })
    }
}

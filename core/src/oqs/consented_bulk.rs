//! 同意済資格情報一括取得 for home visits (`OQSmuhvq01req`) and online care (`OQSmuonq01req`): the
//! qualifications of patients who consented in a date range. Whether these are OQS-IF-017…024 or
//! 029…036 is not confirmed. Steps 2–4 are the common ones of [`super::bulk`].

use serde::{Deserialize, Serialize};

use super::bulk::BulkFunction;
use super::common::{read_document, write_request_header};
use super::encoding::{EncodeError, XmlEncoding};
use super::read::{Node, OqsError};
use super::write::XmlWriter;
use crate::codes::MedicalTreatmentFlag;
use crate::ids::MedicalInstitutionCode;
use crate::jst::{Date, format_date};

/// The care setting of the request, written as `MedicalTreatmentFlag` (OQSCD028).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentedSetting {
    /// 訪問診療等 (`2`, `OQSmuhvq`).
    HomeVisit,
    /// オンライン診療等 (`3`, `OQSmuonq`).
    Online,
}

impl ConsentedSetting {
    /// The OQSCD028 code written.
    pub fn flag(self) -> MedicalTreatmentFlag {
        match self {
            Self::HomeVisit => MedicalTreatmentFlag::HomeVisit,
            Self::Online => MedicalTreatmentFlag::Online,
        }
    }

    /// The bulk function of the file name.
    pub fn function(self) -> BulkFunction {
        match self {
            Self::HomeVisit => BulkFunction::HomeVisit,
            Self::Online => BulkFunction::Online,
        }
    }
}

/// Which dates the range selects: consent dates (`ConsentDateFrom/To`) or, for online care,
/// examination dates (`ExaminationDateFrom/To`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodBasis {
    /// 同意日.
    Consent,
    /// 診察日.
    Examination,
}

impl PeriodBasis {
    fn elements(self) -> (&'static str, &'static str) {
        match self {
            Self::Consent => ("ConsentDateFrom", "ConsentDateTo"),
            Self::Examination => ("ExaminationDateFrom", "ExaminationDateTo"),
        }
    }
}

/// 同意済資格情報一括取得要求. The values sit in `MessageBody/QualificationConfirmSearchInfo`, in
/// the order: the two dates, then `MedicalTreatmentFlag`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentedBulkRequest {
    /// 医療機関等コード.
    pub institution: MedicalInstitutionCode,
    /// 任意のファイル識別子.
    #[serde(default)]
    pub arbitrary_file_identifier: Option<String>,
    /// 訪問診療等 or オンライン診療等.
    pub setting: ConsentedSetting,
    /// Consent or examination dates.
    pub basis: PeriodBasis,
    /// First day of the range (`YYYYMMDD`).
    #[serde(with = "crate::jst::serde_date")]
    pub from: Date,
    /// Last day of the range, not before `from`.
    #[serde(with = "crate::jst::serde_date")]
    pub to: Date,
}

impl ConsentedBulkRequest {
    /// The file's bytes, in element order.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EncodeError> {
        let (from, to) = self.basis.elements();
        let mut w = XmlWriter::new(encoding);
        w.open("XmlMsg");
        write_request_header(
            &mut w,
            &self.institution,
            self.arbitrary_file_identifier.as_deref(),
        );
        w.open("MessageBody")
            .open("QualificationConfirmSearchInfo")
            .leaf(from, &format_date(self.from))
            .leaf(to, &format_date(self.to))
            .leaf("MedicalTreatmentFlag", self.setting.flag().code())
            .close("QualificationConfirmSearchInfo")
            .close("MessageBody")
            .close("XmlMsg");
        w.finish(encoding)
    }

    /// Reads a request file. `MedicalTreatmentFlag` must be `2` or `3`, and the range must not end
    /// before it starts.
    pub fn from_xml(bytes: &[u8]) -> Result<Self, OqsError> {
        let root = read_document(bytes)?;
        let msg = Node::new(&root, "XmlMsg");
        let h = msg.required_node("MessageHeader")?;
        let info = msg
            .required_node("MessageBody")?
            .required_node("QualificationConfirmSearchInfo")?;
        let flag: MedicalTreatmentFlag = info.required("MedicalTreatmentFlag")?;
        let setting = match flag {
            MedicalTreatmentFlag::HomeVisit => ConsentedSetting::HomeVisit,
            MedicalTreatmentFlag::Online => ConsentedSetting::Online,
            other => {
                return Err(info.invalid_value(
                    "MedicalTreatmentFlag",
                    other.code(),
                    "訪問診療等(2)またはオンライン診療等(3)ではありません (must be 2 home visit or 3 online)",
                    false,
                ));
            }
        };
        let consent =
            info.text("ConsentDateFrom").is_some() || info.text("ConsentDateTo").is_some();
        let examination =
            info.text("ExaminationDateFrom").is_some() || info.text("ExaminationDateTo").is_some();
        let basis = if examination && !consent {
            PeriodBasis::Examination
        } else {
            PeriodBasis::Consent
        };
        let (from_name, to_name) = basis.elements();
        let from = info.required_date(from_name)?;
        let to = info.required_date(to_name)?;
        if to < from {
            return Err(info.invalid_value(
                to_name,
                &format_date(to),
                "終了日が開始日より前です (the range ends before it starts)",
                false,
            ));
        }
        Ok(Self {
            institution: h.required("MedicalInstitutionCode")?,
            arbitrary_file_identifier: h.text("ArbitraryFileIdentifier"),
            setting,
            basis,
            from,
            to,
        })
    }
}

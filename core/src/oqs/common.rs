//! Parts several messages share: reading a document, the response header of the bulk and
//! registration files, the file-level 処理結果, and the keys that name an insured person in a
//! request (被保険者証 numbers, or 医療扶助 numbers).

use serde::{Deserialize, Serialize};

use super::encoding::{XmlEncoding, decode_xml};
use super::read::{Node, OqsError};
use super::tree::{Element, parse_tree};
use super::write::XmlWriter;
use crate::codes::{
    CharacterCode, LimitCertificateConsent, ProcessingResultStatus, SegmentOfResult,
};
use crate::ids::{
    BeneficiaryNumber, InsuredBranchNumber, InsuredCardSymbol, InsuredIdentificationNumber,
    InsurerNumber, MedicalInstitutionCode, PublicExpenseNumber,
};
use crate::jst::{Date, JstDateTime, format_date, format_datetime};

/// Decodes a whole file (Shift_JIS or UTF-8 by its declaration) and reads its `XmlMsg` root.
pub(crate) fn read_document(bytes: &[u8]) -> Result<Element, OqsError> {
    let (text, _) = decode_xml(bytes).map_err(|e| OqsError::Document(e.to_string()))?;
    let root = parse_tree(&text).map_err(|e| OqsError::Document(e.to_string()))?;
    check_root(&root.name)?;
    Ok(root)
}

/// Every OQS message has the root `XmlMsg`.
pub(crate) fn check_root(name: &str) -> Result<(), OqsError> {
    if name == "XmlMsg" {
        return Ok(());
    }
    Err(OqsError::Document(format!(
        "ルート要素が XmlMsg ではありません（{name}） (the root element is {name}, not XmlMsg)"
    )))
}

/// Adds `path` to `unknown` once: bulk files repeat the same unknown element in every unit.
pub(crate) fn note_unknown(unknown: &mut Vec<String>, found: Vec<String>) {
    for path in found {
        if !unknown.contains(&path) {
            unknown.push(path);
        }
    }
}

/// The code `CharacterCodeIdentifier` must carry for `encoding` (OQSCD005, see [`CharacterCode`]).
pub(crate) fn character_code(encoding: XmlEncoding) -> CharacterCode {
    match encoding {
        XmlEncoding::Utf8 => CharacterCode::Utf8,
        XmlEncoding::ShiftJis => CharacterCode::ShiftJis,
    }
}

/// `MessageHeader` of the bulk, upload and registration responses.
///
/// The reference gives this full list for the 一括照会結果 (`OQSmuquc02res`); the other responses
/// (アップロード結果, 照会番号登録結果, …) are read and written as subsets of it, in the same order:
/// a named choice (`RESPONSE_HEADER`), since their own headers are not public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseHeader {
    /// 処理実行日時.
    #[serde(default, with = "crate::jst::serde_opt_datetime")]
    pub processed_at: Option<JstDateTime>,
    /// 資格確認日.
    #[serde(default, with = "crate::jst::serde_opt_date")]
    pub confirmation_date: Option<Date>,
    /// 医療機関等コード.
    pub institution: MedicalInstitutionCode,
    /// 任意のファイル識別子 (echoed).
    #[serde(default)]
    pub arbitrary_file_identifier: Option<String>,
    /// 受付番号: the central system's key for an uploaded bulk file, sent back in the download request.
    #[serde(default)]
    pub reception_number: Option<String>,
    /// 処理結果区分 (`2` 処理中: the download request came too early; poll again).
    pub segment_of_result: SegmentOfResult,
    /// エラーコード (when not 正常終了).
    #[serde(default)]
    pub error_code: Option<String>,
    /// エラーメッセージ.
    #[serde(default)]
    pub error_message: Option<String>,
    /// 処理件数.
    #[serde(default)]
    pub processed_count: Option<u32>,
    /// 正常件数.
    #[serde(default)]
    pub normal_count: Option<u32>,
    /// エラー件数.
    #[serde(default)]
    pub error_count: Option<u32>,
    /// 文字コード識別 (a cross-check only; written to match the file's encoding).
    #[serde(default)]
    pub character_code: Option<CharacterCode>,
}

const RESPONSE_HEADER_KNOWN: &[&str] = &[
    "ProcessExecutionTime",
    "QualificationConfirmationDate",
    "MedicalInstitutionCode",
    "ArbitraryFileIdentifier",
    "ReceptionNumber",
    "SegmentOfResult",
    "ErrorCode",
    "ErrorMessage",
    "NumberOfProcessingResult",
    "NumberOfNormalProcessing",
    "NumberOfError",
    "CharacterCodeIdentifier",
];

impl ResponseHeader {
    /// A header with only the required values.
    pub fn new(institution: MedicalInstitutionCode, segment_of_result: SegmentOfResult) -> Self {
        Self {
            processed_at: None,
            confirmation_date: None,
            institution,
            arbitrary_file_identifier: None,
            reception_number: None,
            segment_of_result,
            error_code: None,
            error_message: None,
            processed_count: None,
            normal_count: None,
            error_count: None,
            character_code: None,
        }
    }

    pub(crate) fn read(h: &Node<'_>, unknown: &mut Vec<String>) -> Result<Self, OqsError> {
        h.collect_unknown(RESPONSE_HEADER_KNOWN, unknown);
        Ok(Self {
            processed_at: h.datetime("ProcessExecutionTime")?,
            confirmation_date: h.date("QualificationConfirmationDate")?,
            institution: h.required("MedicalInstitutionCode")?,
            arbitrary_file_identifier: h.text("ArbitraryFileIdentifier"),
            reception_number: h.text("ReceptionNumber"),
            segment_of_result: h.required("SegmentOfResult")?,
            error_code: h.text("ErrorCode"),
            error_message: h.text("ErrorMessage"),
            processed_count: h.parsed("NumberOfProcessingResult")?,
            normal_count: h.parsed("NumberOfNormalProcessing")?,
            error_count: h.parsed("NumberOfError")?,
            character_code: h.parsed("CharacterCodeIdentifier")?,
        })
    }

    /// Writes `MessageHeader`; `CharacterCodeIdentifier` always matches `encoding`.
    pub(crate) fn write(&self, w: &mut XmlWriter, encoding: XmlEncoding) {
        let count = |n: Option<u32>| n.map(|n| n.to_string());
        w.open("MessageHeader")
            .optional(
                "ProcessExecutionTime",
                self.processed_at.map(format_datetime).as_deref(),
            )
            .optional(
                "QualificationConfirmationDate",
                self.confirmation_date.map(format_date).as_deref(),
            )
            .leaf("MedicalInstitutionCode", self.institution.as_str())
            .optional(
                "ArbitraryFileIdentifier",
                self.arbitrary_file_identifier.as_deref(),
            )
            .optional("ReceptionNumber", self.reception_number.as_deref())
            .leaf("SegmentOfResult", self.segment_of_result.code())
            .optional("ErrorCode", self.error_code.as_deref())
            .optional("ErrorMessage", self.error_message.as_deref())
            .optional(
                "NumberOfProcessingResult",
                count(self.processed_count).as_deref(),
            )
            .optional(
                "NumberOfNormalProcessing",
                count(self.normal_count).as_deref(),
            )
            .optional("NumberOfError", count(self.error_count).as_deref())
            .leaf("CharacterCodeIdentifier", character_code(encoding).code())
            .close("MessageHeader");
    }
}

/// 処理結果: `ProcessingResultStatus`, `ProcessingResultCode` and `ProcessingResultMessage`, for a
/// whole file (アップロード結果) or one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessingResult {
    /// 処理結果状況.
    pub status: ProcessingResultStatus,
    /// 処理結果コード (the list of values is not public).
    #[serde(default)]
    pub code: Option<String>,
    /// 処理結果メッセージ.
    #[serde(default)]
    pub message: Option<String>,
}

/// The elements of [`ProcessingResult`].
pub(crate) const PROCESSING_RESULT_KNOWN: [&str; 3] = [
    "ProcessingResultStatus",
    "ProcessingResultCode",
    "ProcessingResultMessage",
];

impl ProcessingResult {
    /// Reads the three elements from `n` when any is there (the status is then required).
    pub(crate) fn read_optional(n: &Node<'_>) -> Result<Option<Self>, OqsError> {
        if PROCESSING_RESULT_KNOWN.iter().all(|e| n.text(e).is_none()) {
            return Ok(None);
        }
        Self::read(n).map(Some)
    }

    pub(crate) fn read(n: &Node<'_>) -> Result<Self, OqsError> {
        Ok(Self {
            status: n.required("ProcessingResultStatus")?,
            code: n.text("ProcessingResultCode"),
            message: n.text("ProcessingResultMessage"),
        })
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) {
        w.leaf("ProcessingResultStatus", self.status.code())
            .optional("ProcessingResultCode", self.code.as_deref())
            .optional("ProcessingResultMessage", self.message.as_deref());
    }
}

/// Who a request names: 被保険者証 numbers, or (医療扶助) 公費負担者番号 and 受給者番号.
///
/// The 医療扶助 element names in requests are not public. onshi's named choice (`MEDAID_KEY`) is
/// the names the results use, `PublicExpenseNumber` and `BeneficiaryNumber`, in place of the
/// insurance numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum InsuredKey {
    /// 保険者番号, 記号, 番号, 枝番.
    Insurance {
        /// 保険者番号 (written as 8 characters, space-padded).
        insurer: InsurerNumber,
        /// 記号.
        #[serde(default)]
        symbol: Option<InsuredCardSymbol>,
        /// 番号.
        number: InsuredIdentificationNumber,
        /// 枝番.
        #[serde(default)]
        branch: Option<InsuredBranchNumber>,
    },
    /// 医療扶助: 公費負担者番号 and 受給者番号.
    MedicalAid {
        /// 公費負担者番号.
        payer: PublicExpenseNumber,
        /// 受給者番号.
        beneficiary: BeneficiaryNumber,
    },
}

/// The elements of [`InsuredKey`].
pub(crate) const INSURED_KEY_KNOWN: [&str; 6] = [
    "InsurerNumber",
    "InsuredCardSymbol",
    "InsuredIdentificationNumber",
    "InsuredBranchNumber",
    "PublicExpenseNumber",
    "BeneficiaryNumber",
];

impl InsuredKey {
    /// Insurance numbers when `InsurerNumber` is there, 医療扶助 numbers when a
    /// `PublicExpenseNumber` or `BeneficiaryNumber` is, and otherwise `InsurerNumber` is missing.
    pub(crate) fn read(n: &Node<'_>) -> Result<Self, OqsError> {
        let medical_aid = n.text("InsurerNumber").is_none()
            && (n.text("PublicExpenseNumber").is_some() || n.text("BeneficiaryNumber").is_some());
        if medical_aid {
            return Ok(Self::MedicalAid {
                payer: n.required("PublicExpenseNumber")?,
                beneficiary: n.required_personal("BeneficiaryNumber")?,
            });
        }
        Ok(Self::Insurance {
            insurer: n.required("InsurerNumber")?,
            symbol: n.parsed_personal("InsuredCardSymbol")?,
            number: n.required_personal("InsuredIdentificationNumber")?,
            branch: n.parsed_personal("InsuredBranchNumber")?,
        })
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) {
        match self {
            Self::Insurance {
                insurer,
                symbol,
                number,
                branch,
            } => {
                w.leaf("InsurerNumber", &insurer.to_xml_field())
                    .optional(
                        "InsuredCardSymbol",
                        symbol.as_ref().map(InsuredCardSymbol::as_str),
                    )
                    .leaf("InsuredIdentificationNumber", number.as_str())
                    .optional(
                        "InsuredBranchNumber",
                        branch.as_ref().map(InsuredBranchNumber::as_str),
                    );
            }
            Self::MedicalAid { payer, beneficiary } => {
                w.leaf("PublicExpenseNumber", payer.as_str())
                    .leaf("BeneficiaryNumber", beneficiary.as_str());
            }
        }
    }
}

/// `QualificationConfirmSearchInfo` of a bulk request: one person to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchInfo {
    /// Who.
    pub key: InsuredKey,
    /// 生年月日.
    #[serde(with = "crate::jst::serde_date")]
    pub birthdate: Date,
    /// 限度額適用認定証提供同意フラグ (OQSCD001).
    #[serde(default)]
    pub limit_consent: Option<LimitCertificateConsent>,
    /// 任意の識別子 (医療機関固有項目), echoed in the unit's result.
    #[serde(default)]
    pub arbitrary_identifier: Option<String>,
}

impl SearchInfo {
    pub(crate) fn read(n: &Node<'_>, unknown: &mut Vec<String>) -> Result<Self, OqsError> {
        let mut known = INSURED_KEY_KNOWN.to_vec();
        known.extend([
            "Birthdate",
            "LimitApplicationCertificateRelatedConsFlg",
            "ArbitraryIdentifier",
        ]);
        n.collect_unknown(&known, unknown);
        Ok(Self {
            key: InsuredKey::read(n)?,
            birthdate: n.required_date("Birthdate")?,
            limit_consent: n.parsed("LimitApplicationCertificateRelatedConsFlg")?,
            arbitrary_identifier: n.text("ArbitraryIdentifier"),
        })
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) {
        w.open("QualificationConfirmSearchInfo");
        self.key.write(w);
        w.leaf("Birthdate", &format_date(self.birthdate))
            .optional(
                "LimitApplicationCertificateRelatedConsFlg",
                self.limit_consent.map(|c| c.code()),
            )
            .optional("ArbitraryIdentifier", self.arbitrary_identifier.as_deref())
            .close("QualificationConfirmSearchInfo");
    }
}

/// `MessageHeader` of the requests that carry only the institution and the file identifier.
pub(crate) fn write_request_header(
    w: &mut XmlWriter,
    institution: &MedicalInstitutionCode,
    arbitrary_file_identifier: Option<&str>,
) {
    w.open("MessageHeader")
        .leaf("MedicalInstitutionCode", institution.as_str())
        .optional("ArbitraryFileIdentifier", arbitrary_file_identifier)
        .close("MessageHeader");
}

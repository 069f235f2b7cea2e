//! 資格確認結果 (OQS-IF-002, `OQSsiquc01res`) and the face result (`OQSsiquc01res_face_*`): both
//! have one structure. Reading yields onshi's [`Qualification`] for each result, the consent flags,
//! and the elements onshi did not know.

use serde::Serialize;

use super::encoding::{EncodeError, XmlEncoding, decode_xml};
use super::read::{Node, OqsError};
use super::tree::parse_tree;
use super::write::XmlWriter;
use crate::codes::{
    CharacterCode, ConsentInformationKind, ConsentStatus, LimitCertificateChanged,
    LimitCertificateConsent, PrescriptionIssueSelect, ProcessingResultStatus,
    QualificationValidity, ReferenceClassification, SegmentOfResult,
};
use crate::ids::MedicalInstitutionCode;
use crate::jst::{Date, JstDateTime, format_date, format_datetime};
use crate::qualification::{
    CopayRatio, ElderlyRecipientCertificate, LimitCertificate, MedicalAssistance, MedicalTicket,
    Qualification, SpecificDiseaseCertificate,
};

/// `MessageHeader` of a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultHeader {
    /// 処理実行日時.
    #[serde(with = "crate::jst::serde_opt_datetime")]
    pub processed_at: Option<JstDateTime>,
    /// 資格確認日.
    #[serde(with = "crate::jst::serde_opt_date")]
    pub confirmation_date: Option<Date>,
    /// 医療機関等コード.
    pub institution: MedicalInstitutionCode,
    /// 任意のファイル識別子 (echoed).
    pub arbitrary_file_identifier: Option<String>,
    /// 照会区分.
    pub reference_classification: Option<ReferenceClassification>,
    /// 処理結果区分.
    pub segment_of_result: SegmentOfResult,
    /// エラーコード (when not 正常終了).
    pub error_code: Option<String>,
    /// エラーメッセージ.
    pub error_message: Option<String>,
    /// 文字コード識別 (a cross-check only: the XML declaration decides the decoding).
    pub character_code: Option<CharacterCode>,
}

/// One consent flag of a result (OQSCD016), with its times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentFlag {
    /// The category.
    pub kind: ConsentInformationKind,
    /// 同意区分.
    pub status: ConsentStatus,
    /// 同意日時.
    #[serde(with = "crate::jst::serde_opt_datetime")]
    pub consented_at: Option<JstDateTime>,
    /// 閲覧有効期限.
    #[serde(with = "crate::jst::serde_opt_datetime")]
    pub available_until: Option<JstDateTime>,
}

/// One `ResultOfQualificationConfirmation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultEntry {
    /// The qualification.
    pub qualification: Qualification,
    /// 照会番号, when registered.
    pub reference_number: Option<String>,
    /// 任意の識別子 (echoed).
    pub arbitrary_identifier: Option<String>,
    /// 限度額 consent flag (OQSCD001), in older results.
    pub limit_consent: Option<LimitCertificateConsent>,
    /// The consent flags present.
    pub consents: Vec<ConsentFlag>,
    /// 処方箋発行形態.
    pub prescription_issue: Option<PrescriptionIssueSelect>,
    /// 限度額適用認定証情報変更有無 (OQSCD014), given in bulk results; left out of JSON when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_certificate_changed: Option<LimitCertificateChanged>,
}

/// `MessageBody` of a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultBody {
    /// 処理結果状況.
    pub processing_result_status: ProcessingResultStatus,
    /// 処理結果コード (an error, or a supplementary notice on success).
    pub processing_result_code: Option<String>,
    /// 処理結果メッセージ.
    pub processing_result_message: Option<String>,
    /// 資格有効性.
    pub qualification_validity: Option<QualificationValidity>,
    /// The results (may repeat).
    pub results: Vec<ResultEntry>,
}

/// A whole 資格確認結果 file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QualificationResult {
    /// The header.
    pub header: ResultHeader,
    /// The body, absent when the file-level result is not 正常終了.
    pub body: Option<ResultBody>,
    /// Paths of elements onshi does not know (kept aside and reported, never a failure).
    pub unknown_elements: Vec<String>,
}

const HEADER_KNOWN: &[&str] = &[
    "ProcessExecutionTime",
    "QualificationConfirmationDate",
    "MedicalInstitutionCode",
    "ArbitraryFileIdentifier",
    "ReferenceClassification",
    "SegmentOfResult",
    "ErrorCode",
    "ErrorMessage",
    "CharacterCodeIdentifier",
];

const BODY_KNOWN: &[&str] = &[
    "ProcessingResultStatus",
    "ProcessingResultCode",
    "ProcessingResultMessage",
    "QualificationValidity",
    "QualificationConfirmSearchInfo",
    "ResultList",
    "PrescriptionIssueSelect",
    "SpecificDiseasesCertificateList",
];

const ENTRY_KNOWN: &[&str] = &[
    "InsuredCardClassification",
    "InsurerNumber",
    "InsuredCardSymbol",
    "InsuredIdentificationNumber",
    "InsuredBranchNumber",
    "PersonalFamilyClassification",
    "InsuredName",
    "Name",
    "NameOfOther",
    "NameKana",
    "NameOfOtherKana",
    "Sex1",
    "Sex2",
    "Birthdate",
    "Address",
    "PostNumber",
    "QualificationDate",
    "DisqualificationDate",
    "InsuredCertificateIssuanceDate",
    "InsuredCardValidDate",
    "InsuredCardExpirationDate",
    "InsuredPartialContributionRatio",
    "PreschoolClassification",
    "ReasonOfLoss",
    "InsurerName",
    "ElderlyRecipientCertificateInfo",
    "LimitApplicationCertificateRelatedConsFlg",
    "LimitApplicationCertificateRelatedConsTime",
    "LimitApplicationCertificateRelatedInfo",
    "LimitApplicationCertificateChanged",
    "SpecificDiseasesCertificateRelatedConsFlg",
    "SpecificDiseasesCertificateRelatedConsTime",
    "SpecificDiseasesCertificateRelatedAvailableTime",
    "SpecificDiseasesCertificateList",
    "SpecificHealthCheckupsInfoConsFlg",
    "SpecificHealthCheckupsInfoConsTime",
    "SpecificHealthCheckupsInfoAvailableTime",
    "PharmacistsInfoConsFlg",
    "PharmacistsInfoConsTime",
    "PharmacistsInfoAvailableTime",
    "DiagnosisInfoConsFlg",
    "DiagnosisInfoConsTime",
    "DiagnosisInfoAvailableTime",
    "OperationInfoConsFlg",
    "OperationInfoConsTime",
    "OperationInfoAvailableTime",
    "ArbitraryIdentifier",
    "ReferenceNumber",
    "PrescriptionIssueSelect",
    "QualificationConfirmationKey",
    "PublicExpenseNumber",
    "BeneficiaryNumber",
    "WelfareOfficeName",
    "PublicExpenseResultList",
];

/// The consent flags of a result: element prefix and category (consent.md §4).
const CONSENT_FLAGS: [(&str, ConsentInformationKind); 5] = [
    (
        "SpecificHealthCheckupsInfo",
        ConsentInformationKind::HealthCheckups,
    ),
    ("PharmacistsInfo", ConsentInformationKind::Medication),
    ("DiagnosisInfo", ConsentInformationKind::Care),
    ("OperationInfo", ConsentInformationKind::Surgery),
    (
        "SpecificDiseasesCertificateRelated",
        ConsentInformationKind::SpecificDiseaseCertificate,
    ),
];

impl std::str::FromStr for CopayRatio {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::from_wire(s)
            .ok_or_else(|| "3桁の百分率ではありません (not a 3-digit percentage)".to_owned())
    }
}

/// Reads a 資格確認結果 or face-result file (Shift_JIS or UTF-8 by its declaration).
pub fn read_qualification_result(bytes: &[u8]) -> Result<QualificationResult, OqsError> {
    let (text, _) = decode_xml(bytes).map_err(|e| OqsError::Document(e.to_string()))?;
    let root = parse_tree(&text).map_err(|e| OqsError::Document(e.to_string()))?;
    if root.name != "XmlMsg" {
        return Err(OqsError::Document(format!(
            "ルート要素が XmlMsg ではありません（{}） (the root element is {}, not XmlMsg)",
            root.name, root.name
        )));
    }
    let msg = Node::new(&root, "XmlMsg");
    let mut unknown = Vec::new();
    msg.collect_unknown(&["MessageHeader", "MessageBody"], &mut unknown);
    let h = msg.required_node("MessageHeader")?;
    h.collect_unknown(HEADER_KNOWN, &mut unknown);
    let header = ResultHeader {
        processed_at: h.datetime("ProcessExecutionTime")?,
        confirmation_date: h.date("QualificationConfirmationDate")?,
        institution: h.required("MedicalInstitutionCode")?,
        arbitrary_file_identifier: h.text("ArbitraryFileIdentifier"),
        reference_classification: h.parsed("ReferenceClassification")?,
        segment_of_result: h.required("SegmentOfResult")?,
        error_code: h.text("ErrorCode"),
        error_message: h.text("ErrorMessage"),
        character_code: h.parsed("CharacterCodeIdentifier")?,
    };
    let body = match (header.segment_of_result, msg.node("MessageBody")) {
        (SegmentOfResult::Completed, None) => {
            return Err(OqsError::Missing {
                path: "XmlMsg/MessageBody".to_owned(),
            });
        }
        (_, None) => None,
        (_, Some(b)) => Some(read_body(&b, &mut unknown)?),
    };
    Ok(QualificationResult {
        header,
        body,
        unknown_elements: unknown,
    })
}

fn read_body(b: &Node<'_>, unknown: &mut Vec<String>) -> Result<ResultBody, OqsError> {
    b.collect_unknown(BODY_KNOWN, unknown);
    let mut results = Vec::new();
    if let Some(list) = b.node("ResultList") {
        list.collect_unknown(&["ResultOfQualificationConfirmation"], unknown);
        for entry in list.nodes("ResultOfQualificationConfirmation") {
            results.push(read_entry(&entry, unknown)?);
        }
    }
    // Some results carry the 特定疾病 list in the body rather than in the entry.
    if let (Some(list), Some(first)) = (
        b.node("SpecificDiseasesCertificateList"),
        results.first_mut(),
    ) && first.qualification.specific_diseases.is_empty()
    {
        first.qualification.specific_diseases = read_diseases(&list, unknown)?;
    }
    let prescription = b.parsed("PrescriptionIssueSelect")?;
    if let Some(first) = results.first_mut() {
        first.prescription_issue = first.prescription_issue.or(prescription);
    }
    Ok(ResultBody {
        processing_result_status: b.required("ProcessingResultStatus")?,
        processing_result_code: b.text("ProcessingResultCode"),
        processing_result_message: b.text("ProcessingResultMessage"),
        qualification_validity: b.parsed("QualificationValidity")?,
        results,
    })
}

fn read_diseases(
    list: &Node<'_>,
    unknown: &mut Vec<String>,
) -> Result<Vec<SpecificDiseaseCertificate>, OqsError> {
    list.collect_unknown(&["SpecificDiseasesCertificateInfo"], unknown);
    list.nodes("SpecificDiseasesCertificateInfo")
        .iter()
        .map(|d| {
            d.collect_unknown(
                &[
                    "SpecificDiseasesDiseaseCategory",
                    "SpecificDiseasesCertificateDate",
                    "SpecificDiseasesValidStartDate",
                    "SpecificDiseasesValidEndDate",
                    "SpecificDiseasesSelfPay",
                ],
                unknown,
            );
            Ok(SpecificDiseaseCertificate {
                disease: d.required("SpecificDiseasesDiseaseCategory")?,
                valid_from: d.date("SpecificDiseasesValidStartDate")?,
                valid_until: d.date("SpecificDiseasesValidEndDate")?,
                monthly_self_pay_limit: d.parsed("SpecificDiseasesSelfPay")?,
            })
        })
        .collect()
}

pub(crate) fn read_entry(e: &Node<'_>, unknown: &mut Vec<String>) -> Result<ResultEntry, OqsError> {
    e.collect_unknown(ENTRY_KNOWN, unknown);
    let elderly = e
        .node("ElderlyRecipientCertificateInfo")
        .map(|n| {
            n.collect_unknown(
                &[
                    "ElderlyRecipientCertificateDate",
                    "ElderlyRecipientValidStartDate",
                    "ElderlyRecipientValidEndDate",
                    "ElderlyRecipientContributionRatio",
                ],
                unknown,
            );
            Ok::<_, OqsError>(ElderlyRecipientCertificate {
                valid_from: n.date("ElderlyRecipientValidStartDate")?,
                valid_until: n.date("ElderlyRecipientValidEndDate")?,
                copay_ratio: n.required("ElderlyRecipientContributionRatio")?,
            })
        })
        .transpose()?;
    let limit = e
        .node("LimitApplicationCertificateRelatedInfo")
        .map(|n| {
            n.collect_unknown(
                &[
                    "LimitApplicationCertificateClassification",
                    "LimitApplicationCertificateClassificationFlag",
                    "LimitApplicationCertificateDate",
                    "LimitApplicationCertificateValidStartDate",
                    "LimitApplicationCertificateValidEndDate",
                    "LimitApplicationCertificateLongTermDate",
                ],
                unknown,
            );
            Ok::<_, OqsError>(LimitCertificate {
                kind: n.required("LimitApplicationCertificateClassification")?,
                category: n.required("LimitApplicationCertificateClassificationFlag")?,
                valid_from: n.date("LimitApplicationCertificateValidStartDate")?,
                valid_until: n.date("LimitApplicationCertificateValidEndDate")?,
                long_term_date: n.date("LimitApplicationCertificateLongTermDate")?,
            })
        })
        .transpose()?;
    let diseases = match e.node("SpecificDiseasesCertificateList") {
        Some(list) => read_diseases(&list, unknown)?,
        None => Vec::new(),
    };
    let medical_assistance = read_medical_assistance(e, unknown)?;
    let mut consents = Vec::new();
    for (prefix, kind) in CONSENT_FLAGS {
        if let Some(status) = e.parsed::<ConsentStatus>(&format!("{prefix}ConsFlg"))? {
            consents.push(ConsentFlag {
                kind,
                status,
                consented_at: e.datetime(&format!("{prefix}ConsTime"))?,
                available_until: e.datetime(&format!("{prefix}AvailableTime"))?,
            });
        }
    }
    let qualification = Qualification {
        card_classification: e.required("InsuredCardClassification")?,
        insurer_number: e.parsed("InsurerNumber")?,
        insurer_name: e.text("InsurerName"),
        symbol: e.parsed_personal("InsuredCardSymbol")?,
        number: e.parsed_personal("InsuredIdentificationNumber")?,
        branch: e.parsed_personal("InsuredBranchNumber")?,
        personal_family: e.parsed("PersonalFamilyClassification")?,
        insured_name: e.text("InsuredName"),
        name: e.required_text("Name")?,
        name_of_other: e.text("NameOfOther"),
        name_kana: e.text("NameKana"),
        name_of_other_kana: e.text("NameOfOtherKana"),
        sex1: e.required("Sex1")?,
        sex2: e.parsed("Sex2")?,
        birthdate: e.date("Birthdate")?.ok_or_else(|| OqsError::Missing {
            path: format!("{}/Birthdate", e.path),
        })?,
        address: e.text("Address"),
        post_number: e.text("PostNumber"),
        qualification_date: e.date("QualificationDate")?,
        disqualification_date: e.date("DisqualificationDate")?,
        card_valid_date: e.date("InsuredCardValidDate")?,
        card_expiration_date: e.date("InsuredCardExpirationDate")?,
        copay_ratio: e.parsed("InsuredPartialContributionRatio")?,
        preschool: e.text("PreschoolClassification").as_deref() == Some("1"),
        reason_of_loss: e.parsed("ReasonOfLoss")?,
        elderly_recipient: elderly,
        limit_certificate: limit,
        specific_diseases: diseases,
        medical_assistance,
    };
    Ok(ResultEntry {
        qualification,
        reference_number: e.text("ReferenceNumber"),
        arbitrary_identifier: e.text("ArbitraryIdentifier"),
        limit_consent: e.parsed("LimitApplicationCertificateRelatedConsFlg")?,
        consents,
        prescription_issue: e.parsed("PrescriptionIssueSelect")?,
        limit_certificate_changed: e.parsed("LimitApplicationCertificateChanged")?,
    })
}

const TICKET_KNOWN: &[&str] = &[
    "TicketType",
    "MedicalTicketValidDate",
    "MedicalTicketExpirationDate",
    "IssueNumber",
    "MedicalTreatmentMonth",
    "DesignatedMedicalInstitutionCode",
    "DesignatedMedicalInstitutionName",
    "DesignatedMedicalInstitutionFlag",
    "PrescriptionIssuerMedicalInstitutionCode",
    "PrescriptionIssuerMedicalInstitutionName",
    "InjuryName1",
    "InjuryName2",
    "InjuryName3",
    "MedicalTreatmentType",
    "SelfPayAmount",
    "DistrictContactName",
    "HandlingContactName",
    "SingleOrCombinedUse",
    "StatusOfSocialInsurance",
    "ConsistencyFlag",
    "StatusOfInfecton",
    "StatusOfElderlyMedicalCare",
    "StatusOfPrefecturalExpenses",
    "Remarks1",
    "Remarks2",
    "Remarks3",
];

/// The 医療扶助 block: present when a welfare office or public-expense number is.
fn read_medical_assistance(
    e: &Node<'_>,
    unknown: &mut Vec<String>,
) -> Result<Option<MedicalAssistance>, OqsError> {
    let welfare = e.text("WelfareOfficeName");
    let payer = e.parsed("PublicExpenseNumber")?;
    let beneficiary = e.parsed_personal("BeneficiaryNumber")?;
    if welfare.is_none() && payer.is_none() && beneficiary.is_none() {
        return Ok(None);
    }
    let mut tickets = Vec::new();
    if let Some(list) = e.node("PublicExpenseResultList") {
        list.collect_unknown(&["MedicalTicketInfo"], unknown);
        for t in list.nodes("MedicalTicketInfo") {
            t.collect_unknown(TICKET_KNOWN, unknown);
            let month_text = t.required_text("MedicalTreatmentMonth")?;
            let month = crate::jst::parse_date(&format!("{month_text}01")).map_err(|_| {
                OqsError::Invalid {
                    path: format!("{}/MedicalTreatmentMonth", t.path),
                    value: month_text.clone(),
                    reason: "YYYYMM ではありません (not YYYYMM)".to_owned(),
                }
            })?;
            tickets.push(MedicalTicket {
                ticket_type: t.required("TicketType")?,
                month,
                designated_institution: t.required("DesignatedMedicalInstitutionCode")?,
                designated_flag: t.parsed("DesignatedMedicalInstitutionFlag")?,
                treatment_type: t.parsed("MedicalTreatmentType")?,
                single_or_combined: t.required("SingleOrCombinedUse")?,
                issue_number: t.text("IssueNumber"),
                valid_from: t.date("MedicalTicketValidDate")?,
                valid_until: t.date("MedicalTicketExpirationDate")?,
            });
        }
    }
    Ok(Some(MedicalAssistance {
        payer,
        beneficiary,
        welfare_office_name: welfare.unwrap_or_default(),
        tickets,
    }))
}

impl QualificationResult {
    /// The file's bytes in `encoding`, in the interface's element order (what onshi writes when it
    /// stands in the terminal's place). `CharacterCodeIdentifier` is written to match `encoding`.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EncodeError> {
        let mut w = XmlWriter::new(encoding);
        let h = &self.header;
        let character_code = match encoding {
            XmlEncoding::Utf8 => CharacterCode::Utf8,
            XmlEncoding::ShiftJis => CharacterCode::ShiftJis,
        };
        w.open("XmlMsg")
            .open("MessageHeader")
            .optional(
                "ProcessExecutionTime",
                h.processed_at.map(format_datetime).as_deref(),
            )
            .optional(
                "QualificationConfirmationDate",
                h.confirmation_date.map(format_date).as_deref(),
            )
            .leaf("MedicalInstitutionCode", h.institution.as_str())
            .optional(
                "ArbitraryFileIdentifier",
                h.arbitrary_file_identifier.as_deref(),
            )
            .optional(
                "ReferenceClassification",
                h.reference_classification.map(|c| c.code()),
            )
            .leaf("SegmentOfResult", h.segment_of_result.code())
            .optional("ErrorCode", h.error_code.as_deref())
            .optional("ErrorMessage", h.error_message.as_deref())
            .leaf("CharacterCodeIdentifier", character_code.code())
            .close("MessageHeader");
        if let Some(b) = &self.body {
            w.open("MessageBody")
                .leaf("ProcessingResultStatus", b.processing_result_status.code())
                .optional("ProcessingResultCode", b.processing_result_code.as_deref())
                .optional(
                    "ProcessingResultMessage",
                    b.processing_result_message.as_deref(),
                )
                .optional(
                    "QualificationValidity",
                    b.qualification_validity.map(|v| v.code()),
                );
            if !b.results.is_empty() {
                w.open("ResultList");
                for entry in &b.results {
                    write_entry(&mut w, entry);
                }
                w.close("ResultList");
            }
            w.close("MessageBody");
        }
        w.close("XmlMsg");
        w.finish(encoding)
    }
}

fn opt_date(d: Option<Date>) -> Option<String> {
    d.map(format_date)
}

pub(crate) fn write_entry(w: &mut XmlWriter, e: &ResultEntry) {
    let q = &e.qualification;
    w.open("ResultOfQualificationConfirmation")
        .leaf("InsuredCardClassification", q.card_classification.code())
        .optional(
            "InsurerNumber",
            q.insurer_number
                .as_ref()
                .map(|n| n.to_xml_field())
                .as_deref(),
        )
        .optional("InsuredCardSymbol", q.symbol.as_ref().map(|s| s.as_str()))
        .optional(
            "InsuredIdentificationNumber",
            q.number.as_ref().map(|n| n.as_str()),
        )
        .optional("InsuredBranchNumber", q.branch.as_ref().map(|b| b.as_str()))
        .optional(
            "PersonalFamilyClassification",
            q.personal_family.map(|p| p.code()),
        )
        .optional("InsuredName", q.insured_name.as_deref())
        .leaf("Name", &q.name)
        .optional("NameOfOther", q.name_of_other.as_deref())
        .optional("NameKana", q.name_kana.as_deref())
        .optional("NameOfOtherKana", q.name_of_other_kana.as_deref())
        .leaf("Sex1", q.sex1.code())
        .optional("Sex2", q.sex2.map(|s| s.code()))
        .leaf("Birthdate", &format_date(q.birthdate))
        .optional("Address", q.address.as_deref())
        .optional("PostNumber", q.post_number.as_deref())
        .optional(
            "QualificationDate",
            opt_date(q.qualification_date).as_deref(),
        )
        .optional(
            "DisqualificationDate",
            opt_date(q.disqualification_date).as_deref(),
        )
        .optional(
            "InsuredCardValidDate",
            opt_date(q.card_valid_date).as_deref(),
        )
        .optional(
            "InsuredCardExpirationDate",
            opt_date(q.card_expiration_date).as_deref(),
        )
        .optional(
            "InsuredPartialContributionRatio",
            q.copay_ratio.map(CopayRatio::to_wire).as_deref(),
        )
        .optional("PreschoolClassification", q.preschool.then_some("1"))
        .optional("ReasonOfLoss", q.reason_of_loss.map(|r| r.code()))
        .optional("InsurerName", q.insurer_name.as_deref());
    if let Some(el) = &q.elderly_recipient {
        w.open("ElderlyRecipientCertificateInfo")
            .optional(
                "ElderlyRecipientValidStartDate",
                opt_date(el.valid_from).as_deref(),
            )
            .optional(
                "ElderlyRecipientValidEndDate",
                opt_date(el.valid_until).as_deref(),
            )
            .leaf(
                "ElderlyRecipientContributionRatio",
                &el.copay_ratio.to_wire(),
            )
            .close("ElderlyRecipientCertificateInfo");
    }
    w.optional(
        "LimitApplicationCertificateRelatedConsFlg",
        e.limit_consent.map(|c| c.code()),
    );
    if let Some(l) = &q.limit_certificate {
        w.open("LimitApplicationCertificateRelatedInfo")
            .leaf("LimitApplicationCertificateClassification", l.kind.code())
            .leaf(
                "LimitApplicationCertificateClassificationFlag",
                l.category.code(),
            )
            .optional(
                "LimitApplicationCertificateValidStartDate",
                opt_date(l.valid_from).as_deref(),
            )
            .optional(
                "LimitApplicationCertificateValidEndDate",
                opt_date(l.valid_until).as_deref(),
            )
            .optional(
                "LimitApplicationCertificateLongTermDate",
                opt_date(l.long_term_date).as_deref(),
            )
            .close("LimitApplicationCertificateRelatedInfo");
    }
    w.optional(
        "LimitApplicationCertificateChanged",
        e.limit_certificate_changed.map(|c| c.code()),
    );
    if !q.specific_diseases.is_empty() {
        w.open("SpecificDiseasesCertificateList");
        for d in &q.specific_diseases {
            w.open("SpecificDiseasesCertificateInfo")
                .leaf("SpecificDiseasesDiseaseCategory", d.disease.code())
                .optional(
                    "SpecificDiseasesValidStartDate",
                    opt_date(d.valid_from).as_deref(),
                )
                .optional(
                    "SpecificDiseasesValidEndDate",
                    opt_date(d.valid_until).as_deref(),
                )
                .optional(
                    "SpecificDiseasesSelfPay",
                    d.monthly_self_pay_limit.map(|y| y.to_string()).as_deref(),
                )
                .close("SpecificDiseasesCertificateInfo");
        }
        w.close("SpecificDiseasesCertificateList");
    }
    for (prefix, kind) in CONSENT_FLAGS {
        if let Some(flag) = e.consents.iter().find(|c| c.kind == kind) {
            w.leaf(&format!("{prefix}ConsFlg"), flag.status.code())
                .optional(
                    &format!("{prefix}ConsTime"),
                    flag.consented_at.map(format_datetime).as_deref(),
                )
                .optional(
                    &format!("{prefix}AvailableTime"),
                    flag.available_until.map(format_datetime).as_deref(),
                );
        }
    }
    w.optional("ArbitraryIdentifier", e.arbitrary_identifier.as_deref())
        .optional("ReferenceNumber", e.reference_number.as_deref())
        .optional(
            "PrescriptionIssueSelect",
            e.prescription_issue.map(|p| p.code()),
        );
    if let Some(aid) = &q.medical_assistance {
        w.optional(
            "PublicExpenseNumber",
            aid.payer.as_ref().map(|p| p.as_str()),
        )
        .optional(
            "BeneficiaryNumber",
            aid.beneficiary.as_ref().map(|b| b.as_str()),
        )
        .leaf("WelfareOfficeName", &aid.welfare_office_name);
        if !aid.tickets.is_empty() {
            w.open("PublicExpenseResultList");
            for t in &aid.tickets {
                w.open("MedicalTicketInfo")
                    .leaf("TicketType", t.ticket_type.code())
                    .optional("MedicalTicketValidDate", opt_date(t.valid_from).as_deref())
                    .optional(
                        "MedicalTicketExpirationDate",
                        opt_date(t.valid_until).as_deref(),
                    )
                    .optional("IssueNumber", t.issue_number.as_deref())
                    .leaf("MedicalTreatmentMonth", &format_date(t.month)[..6])
                    .leaf(
                        "DesignatedMedicalInstitutionCode",
                        t.designated_institution.as_str(),
                    )
                    .optional(
                        "DesignatedMedicalInstitutionFlag",
                        t.designated_flag.map(|f| f.code()),
                    )
                    .optional("MedicalTreatmentType", t.treatment_type.map(|m| m.code()))
                    .leaf("SingleOrCombinedUse", t.single_or_combined.code())
                    .close("MedicalTicketInfo");
            }
            w.close("PublicExpenseResultList");
        }
    }
    w.close("ResultOfQualificationConfirmation");
}

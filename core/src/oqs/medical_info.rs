//! 薬剤情報 and 特定健診情報 files (`YZKsiquc01req/res`, `TKKsiquc01req/res`), defined in a separate
//! 外部インターフェイス仕様書 (薬剤情報、特定健診情報). Known from one implementer in production use
//! (confidence M); the request's header uses other names than the 資格確認 interface.
//!
//! A request must be sent only after consent has been confirmed. The response is `.xml` (read here)
//! or `.pdf` (not an XML message).

use serde::{Deserialize, Serialize};

use super::common::read_document;
use super::encoding::{EncodeError, XmlEncoding};
use super::read::{Node, OqsError};
use super::tree::Element;
use super::write::XmlWriter;
use crate::codes::{MedicalInformationKind, MedicalTreatmentFlag};
use crate::ids::{
    InsuredBranchNumber, InsuredCardSymbol, InsuredIdentificationNumber, InsurerNumber,
    MedicalInstitutionCode,
};
use crate::jst::{Date, format_date};

/// A small code table of this interface: an enum with its wire code, parsed by `FromStr`,
/// serialised as the code.
macro_rules! file_category {
    ($(#[$doc:meta])* $name:ident { $( $(#[$vdoc:meta])* $variant:ident = $code:literal, )+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )+
        }

        impl $name {
            /// Every value.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The wire code.
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, String> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == s)
                    .ok_or_else(|| format!(
                        "{}に未定義のコードです (unknown {} code)",
                        "ファイル種別",
                        stringify!($name)
                    ))
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

file_category! {
    /// `FileCategory` of a 薬剤情報 request: the form of the response.
    MedicationFile {
        /// `1` 薬剤情報 PDF.
        Pdf = "1",
        /// `2` 薬剤情報 XML.
        Xml = "2",
        /// `3` 薬剤情報＋診療情報 PDF.
        WithCarePdf = "3",
        /// `4` 薬剤情報＋診療情報 XML.
        WithCareXml = "4",
    }
}

file_category! {
    /// `FileCategory` of a 特定健診情報 request.
    CheckupFile {
        /// `1` PDF.
        Pdf = "1",
        /// `2` XML.
        Xml = "2",
    }
}

/// What a medical-information request asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MedicalInfoQuery {
    /// 薬剤情報 (`YZK`), optionally for a period.
    Medication {
        /// `StartDate`.
        #[serde(default, with = "crate::jst::serde_opt_date")]
        start_date: Option<Date>,
        /// `EndDate`.
        #[serde(default, with = "crate::jst::serde_opt_date")]
        end_date: Option<Date>,
        /// `FileCategory`.
        file_category: MedicationFile,
    },
    /// 特定健診情報 (`TKK`).
    HealthCheckups {
        /// `FileCategory`.
        file_category: CheckupFile,
    },
}

impl MedicalInfoQuery {
    /// 医療情報種別 (OQSCD029): the family of the file name.
    pub fn kind(&self) -> MedicalInformationKind {
        match self {
            Self::Medication { .. } => MedicalInformationKind::Medication,
            Self::HealthCheckups { .. } => MedicalInformationKind::HealthCheckups,
        }
    }
}

/// 薬剤情報・特定健診情報の取得要求 (`YZKsiquc01req`, `TKKsiquc01req`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicalInfoRequest {
    /// 医療機関等コード.
    pub institution: MedicalInstitutionCode,
    /// 保険者番号 (`InsurerNumber`, written 8 characters, space-padded).
    pub insurer: InsurerNumber,
    /// 記号 (`InsuranceCardSymbol`).
    #[serde(default)]
    pub symbol: Option<InsuredCardSymbol>,
    /// 番号 (`InsuredPersonIdentificationNumber`).
    pub number: InsuredIdentificationNumber,
    /// 枝番 (`BranchNumber`).
    #[serde(default)]
    pub branch: Option<InsuredBranchNumber>,
    /// 任意のファイル識別子.
    #[serde(default)]
    pub arbitrary_file_identifier: Option<String>,
    /// What is asked for.
    pub query: MedicalInfoQuery,
    /// `PrDiInfClassification`: meaning not public; the one implementer always sends `1`.
    #[serde(default)]
    pub classification: Option<String>,
    /// 診療区分 (OQSCD028).
    pub treatment: MedicalTreatmentFlag,
}

impl MedicalInfoRequest {
    /// The file's bytes, in element order.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EncodeError> {
        let mut w = XmlWriter::new(encoding);
        w.open("XmlMsg")
            .open("MessageHeader")
            .leaf("MedicalInstitutionCode", self.institution.as_str())
            .leaf("InsurerNumber", &self.insurer.to_xml_field())
            .optional(
                "InsuranceCardSymbol",
                self.symbol.as_ref().map(InsuredCardSymbol::as_str),
            )
            .leaf("InsuredPersonIdentificationNumber", self.number.as_str())
            .optional(
                "BranchNumber",
                self.branch.as_ref().map(InsuredBranchNumber::as_str),
            )
            .optional(
                "ArbitraryFileIdentifier",
                self.arbitrary_file_identifier.as_deref(),
            )
            .close("MessageHeader")
            .open("MessageBody");
        let category = match &self.query {
            MedicalInfoQuery::Medication {
                start_date,
                end_date,
                file_category,
            } => {
                w.optional("StartDate", start_date.map(format_date).as_deref())
                    .optional("EndDate", end_date.map(format_date).as_deref());
                file_category.code()
            }
            MedicalInfoQuery::HealthCheckups { file_category } => file_category.code(),
        };
        w.leaf("FileCategory", category)
            .optional("PrDiInfClassification", self.classification.as_deref())
            .leaf("MedicalTreatmentFlag", self.treatment.code())
            .close("MessageBody")
            .close("XmlMsg");
        w.finish(encoding)
    }

    /// Reads a request file of the family `kind` (the file name says which).
    pub fn from_xml(bytes: &[u8], kind: MedicalInformationKind) -> Result<Self, OqsError> {
        let root = read_document(bytes)?;
        let msg = Node::new(&root, "XmlMsg");
        let h = msg.required_node("MessageHeader")?;
        let b = msg.required_node("MessageBody")?;
        let query = match kind {
            MedicalInformationKind::Medication => MedicalInfoQuery::Medication {
                start_date: b.date("StartDate")?,
                end_date: b.date("EndDate")?,
                file_category: b.required("FileCategory")?,
            },
            MedicalInformationKind::HealthCheckups => MedicalInfoQuery::HealthCheckups {
                file_category: b.required("FileCategory")?,
            },
        };
        Ok(Self {
            institution: h.required("MedicalInstitutionCode")?,
            insurer: h.required("InsurerNumber")?,
            symbol: h.parsed_personal("InsuranceCardSymbol")?,
            number: h.required_personal("InsuredPersonIdentificationNumber")?,
            branch: h.parsed_personal("BranchNumber")?,
            arbitrary_file_identifier: h.text("ArbitraryFileIdentifier"),
            query,
            classification: b.text("PrDiInfClassification"),
            treatment: b.required("MedicalTreatmentFlag")?,
        })
    }
}

/// Declares a record whose fields are optional text leaves, with their element names in order.
macro_rules! leaf_record {
    ($(#[$doc:meta])* $vis:vis $name:ident { $( $(#[$fdoc:meta])* $field:ident = $el:literal, )+ }) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
        $vis struct $name {
            $( $(#[$fdoc])* #[serde(default)] pub $field: Option<String>, )+
        }

        impl std::fmt::Debug for $name {
            /// Personal and health data: the values are not shown.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name)).finish_non_exhaustive()
            }
        }

        impl $name {
            const LEAVES: &'static [&'static str] = &[$($el),+];

            fn read_leaves(n: &Node<'_>) -> Self {
                Self { $( $field: n.text($el), )+ }
            }

            fn write_leaves(&self, w: &mut XmlWriter) {
                $( w.optional($el, self.$field.as_deref()); )+
            }
        }
    };
}

leaf_record! {
    /// 受診者情報 of a 薬剤情報 file (`QuaInf`: `Name`, `KanaName`, `Birth`, `AdmGendCode`) or a
    /// 特定健診 file (`QualificationsInfo`: `Name`, `KanasName`, `Birthday`,
    /// `AdministrativeGenderCode`). Kept as text: the formats are not public.
    pub MedicalInfoPerson {
        /// 氏名.
        name = "Name",
        /// 氏名カナ.
        kana_name = "KanaName",
        /// 生年月日.
        birth = "Birth",
        /// 性別コード.
        gender_code = "AdmGendCode",
    }
}

leaf_record! {
    /// 受診者情報 of a 特定健診 file (`QualificationsInfo`), under its own element names.
    pub(crate) CheckupPerson {
        /// 氏名.
        name = "Name",
        /// 氏名カナ.
        kana_name = "KanasName",
        /// 生年月日.
        birth = "Birthday",
        /// 性別コード.
        gender_code = "AdministrativeGenderCode",
    }
}

leaf_record! {
    /// `DrugInf`: one drug dispensed or prescribed.
    pub Drug {
        /// 薬剤コード.
        code = "DrugC",
        /// 薬剤名.
        name = "DrugN",
        /// 成分名.
        ingredient = "IngreN",
        /// 数量.
        quantity = "Qua1",
        /// 単位.
        unit = "Unit",
        /// 用法.
        usage = "UsageN",
        /// 特別指示.
        special_instruction = "SpInst",
        /// 回数 (days or times).
        times = "Times",
        /// `MeTrIdCl` (meaning not public).
        classification = "MeTrIdCl",
    }
}

leaf_record! {
    /// `MeTrInf`: one 診療情報 item (with 薬剤＋診療 files).
    pub Treatment {
        /// 診療行為コード.
        code = "SinInfCd",
        /// 診療行為名.
        name = "SinInfN",
    }
}

leaf_record! {
    /// `HealthCheckupResultAndQuestionInfo`: one 特定健診 result or questionnaire item.
    pub CheckupItem {
        /// 項目コード.
        item_code = "ItemCode",
        /// 項目名.
        item_name = "ItemName",
        /// データタイプ.
        data_type = "DataType",
        /// 値.
        data_value = "DataValue",
        /// 単位.
        unit = "Unit",
        /// OID.
        oid = "Oid",
        /// 値の名称.
        data_value_name = "DataValueName",
    }
}

leaf_record! {
    /// The leaves of `MeTrMonthInf` (claims-based 薬剤情報 for one month).
    pub MonthLeaves {
        /// 医療機関等コード (`MeTrDiHCd`).
        institution_code = "MeTrDiHCd",
        /// 医療機関等名称 (`MeTrDiHNm`).
        institution_name = "MeTrDiHNm",
        /// 診療年月 (`MeTrMonth`).
        month = "MeTrMonth",
        /// 処方医療機関コード (`PrlsHCd`).
        prescriber_code = "PrlsHCd",
        /// 処方医療機関名称 (`PrlsHNm`).
        prescriber_name = "PrlsHNm",
        /// `DiOrg` (調剤機関の区分, L).
        dispensing_origin = "DiOrg",
        /// `PrIsOrg` (処方箋発行機関の区分, L).
        prescribing_origin = "PrIsOrg",
        /// 入外 (`InOut`).
        in_out = "InOut",
    }
}

/// `DiDateInf`: one day's dispensing, with its drugs and 診療情報.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MedicationDay {
    /// 調剤日 (`DiDate`).
    #[serde(default)]
    pub dispensed_on: Option<String>,
    /// 処方日 (`PrDate`).
    #[serde(default)]
    pub prescribed_on: Option<String>,
    /// `DrugInfs/DrugInf`.
    #[serde(default)]
    pub drugs: Vec<Drug>,
    /// `MeTrInfs/MeTrInf`.
    #[serde(default)]
    pub treatments: Vec<Treatment>,
}

/// `MeTrMonthInf`: one month of claims-based 薬剤情報 at one institution.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MedicationMonth {
    /// The month's leaves.
    pub leaves: MonthLeaves,
    /// `DiDateInfs/DiDateInf`.
    #[serde(default)]
    pub days: Vec<MedicationDay>,
}

/// `SpecificHealthCheckupInfo`: one checkup.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HealthCheckup {
    /// 実施日 (`EffectiveTime`).
    #[serde(default)]
    pub effective_time: Option<String>,
    /// `HealthCheckupResultAndQuestionInfos/HealthCheckupResultAndQuestionInfo`.
    #[serde(default)]
    pub items: Vec<CheckupItem>,
}

/// 薬剤情報・特定健診情報の取得結果 (`YZKsiquc01res`, `TKKsiquc01res` as XML).
///
/// Success is `ResultCode` = `1`; otherwise `MessageContents` holds the message. Named choice
/// (`MEDICAL_INFO_RESULT`): implementers look both up anywhere in the document, so onshi reads the
/// first anywhere and writes them first in `MessageHeader`, before the person. Only the
/// claims-based `MeTrMonthInf` is modelled; `ShPrInf` and `CzDiInf` (probably e-prescription
/// prescribing and dispensing) are recognised but reported with the unknown elements.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct MedicalInfoResult {
    /// 医療情報種別: from the file name.
    pub kind: MedicalInformationKind,
    /// `ResultCode` (`1` = success).
    pub result_code: Option<String>,
    /// `MessageContents`: the message when not successful.
    pub message_contents: Option<String>,
    /// `QuaInf` (薬剤) / `QualificationsInfo` (健診), as one shape.
    pub person: Option<MedicalInfoPerson>,
    /// 薬剤情報: `MessageBody/MeTrMonthInf`, repeated.
    pub medication: Vec<MedicationMonth>,
    /// 特定健診情報: `MessageBody/SpecificHealthCheckupInfo`, repeated.
    pub checkups: Vec<HealthCheckup>,
    /// Paths of elements onshi does not read.
    pub unknown_elements: Vec<String>,
}

impl std::fmt::Debug for MedicalInfoResult {
    /// Health data: only the shape is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MedicalInfoResult")
            .field("kind", &self.kind)
            .field("result_code", &self.result_code)
            .field("medication", &self.medication.len())
            .field("checkups", &self.checkups.len())
            .finish_non_exhaustive()
    }
}

fn first_text(el: &Element, name: &str) -> Option<String> {
    if let Some(t) = el.text_of(name) {
        return Some(t.to_owned());
    }
    el.children.iter().find_map(|c| first_text(c, name))
}

fn person_element(kind: MedicalInformationKind) -> &'static str {
    match kind {
        MedicalInformationKind::Medication => "QuaInf",
        MedicalInformationKind::HealthCheckups => "QualificationsInfo",
    }
}

impl MedicalInfoResult {
    /// Whether the central system answered with data (`ResultCode` = `1`).
    pub fn is_success(&self) -> bool {
        self.result_code.as_deref() == Some("1")
    }

    /// Reads a result file of the family `kind`.
    pub fn from_xml(bytes: &[u8], kind: MedicalInformationKind) -> Result<Self, OqsError> {
        let root = read_document(bytes)?;
        let msg = Node::new(&root, "XmlMsg");
        let mut unknown = Vec::new();
        msg.collect_unknown(&["MessageHeader", "MessageBody"], &mut unknown);
        let person_name = person_element(kind);
        let mut person = None;
        if let Some(h) = msg.node("MessageHeader") {
            h.collect_unknown(
                &["ResultCode", "MessageContents", person_name],
                &mut unknown,
            );
            person = h.node(person_name).map(|p| match kind {
                MedicalInformationKind::Medication => {
                    p.collect_unknown(MedicalInfoPerson::LEAVES, &mut unknown);
                    MedicalInfoPerson::read_leaves(&p)
                }
                MedicalInformationKind::HealthCheckups => {
                    p.collect_unknown(CheckupPerson::LEAVES, &mut unknown);
                    let c = CheckupPerson::read_leaves(&p);
                    MedicalInfoPerson {
                        name: c.name,
                        kana_name: c.kana_name,
                        birth: c.birth,
                        gender_code: c.gender_code,
                    }
                }
            });
        }
        let mut medication = Vec::new();
        let mut checkups = Vec::new();
        if let Some(b) = msg.node("MessageBody") {
            let known: &[&str] = match kind {
                MedicalInformationKind::Medication => {
                    &["ResultCode", "MessageContents", "MeTrMonthInf"]
                }
                MedicalInformationKind::HealthCheckups => {
                    &["ResultCode", "MessageContents", "SpecificHealthCheckupInfo"]
                }
            };
            b.collect_unknown(known, &mut unknown);
            for m in b.nodes("MeTrMonthInf") {
                medication.push(read_month(&m, &mut unknown));
            }
            for c in b.nodes("SpecificHealthCheckupInfo") {
                checkups.push(read_checkup(&c, &mut unknown));
            }
        }
        Ok(Self {
            kind,
            result_code: first_text(&root, "ResultCode"),
            message_contents: first_text(&root, "MessageContents"),
            person,
            medication,
            checkups,
            unknown_elements: unknown,
        })
    }

    /// The file's bytes, in element order (see the type's named choice).
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EncodeError> {
        let mut w = XmlWriter::new(encoding);
        w.open("XmlMsg")
            .open("MessageHeader")
            .optional("ResultCode", self.result_code.as_deref())
            .optional("MessageContents", self.message_contents.as_deref());
        if let Some(p) = &self.person {
            let name = person_element(self.kind);
            w.open(name);
            match self.kind {
                MedicalInformationKind::Medication => p.write_leaves(&mut w),
                MedicalInformationKind::HealthCheckups => CheckupPerson {
                    name: p.name.clone(),
                    kana_name: p.kana_name.clone(),
                    birth: p.birth.clone(),
                    gender_code: p.gender_code.clone(),
                }
                .write_leaves(&mut w),
            }
            w.close(name);
        }
        w.close("MessageHeader").open("MessageBody");
        for m in &self.medication {
            write_month(&mut w, m);
        }
        for c in &self.checkups {
            write_checkup(&mut w, c);
        }
        w.close("MessageBody").close("XmlMsg");
        w.finish(encoding)
    }
}

fn read_month(m: &Node<'_>, unknown: &mut Vec<String>) -> MedicationMonth {
    let mut known = MonthLeaves::LEAVES.to_vec();
    known.push("DiDateInfs");
    m.collect_unknown(&known, unknown);
    let mut days = Vec::new();
    if let Some(list) = m.node("DiDateInfs") {
        list.collect_unknown(&["DiDateInf"], unknown);
        for d in list.nodes("DiDateInf") {
            d.collect_unknown(&["DiDate", "PrDate", "DrugInfs", "MeTrInfs"], unknown);
            let mut drugs = Vec::new();
            if let Some(l) = d.node("DrugInfs") {
                l.collect_unknown(&["DrugInf"], unknown);
                for x in l.nodes("DrugInf") {
                    x.collect_unknown(Drug::LEAVES, unknown);
                    drugs.push(Drug::read_leaves(&x));
                }
            }
            let mut treatments = Vec::new();
            if let Some(l) = d.node("MeTrInfs") {
                l.collect_unknown(&["MeTrInf"], unknown);
                for x in l.nodes("MeTrInf") {
                    x.collect_unknown(Treatment::LEAVES, unknown);
                    treatments.push(Treatment::read_leaves(&x));
                }
            }
            days.push(MedicationDay {
                dispensed_on: d.text("DiDate"),
                prescribed_on: d.text("PrDate"),
                drugs,
                treatments,
            });
        }
    }
    MedicationMonth {
        leaves: MonthLeaves::read_leaves(m),
        days,
    }
}

fn write_month(w: &mut XmlWriter, m: &MedicationMonth) {
    w.open("MeTrMonthInf");
    m.leaves.write_leaves(w);
    if !m.days.is_empty() {
        w.open("DiDateInfs");
        for d in &m.days {
            w.open("DiDateInf")
                .optional("DiDate", d.dispensed_on.as_deref())
                .optional("PrDate", d.prescribed_on.as_deref());
            if !d.drugs.is_empty() {
                w.open("DrugInfs");
                for x in &d.drugs {
                    w.open("DrugInf");
                    x.write_leaves(w);
                    w.close("DrugInf");
                }
                w.close("DrugInfs");
            }
            if !d.treatments.is_empty() {
                w.open("MeTrInfs");
                for x in &d.treatments {
                    w.open("MeTrInf");
                    x.write_leaves(w);
                    w.close("MeTrInf");
                }
                w.close("MeTrInfs");
            }
            w.close("DiDateInf");
        }
        w.close("DiDateInfs");
    }
    w.close("MeTrMonthInf");
}

fn read_checkup(c: &Node<'_>, unknown: &mut Vec<String>) -> HealthCheckup {
    c.collect_unknown(
        &["EffectiveTime", "HealthCheckupResultAndQuestionInfos"],
        unknown,
    );
    let mut items = Vec::new();
    if let Some(list) = c.node("HealthCheckupResultAndQuestionInfos") {
        list.collect_unknown(&["HealthCheckupResultAndQuestionInfo"], unknown);
        for i in list.nodes("HealthCheckupResultAndQuestionInfo") {
            i.collect_unknown(CheckupItem::LEAVES, unknown);
            items.push(CheckupItem::read_leaves(&i));
        }
    }
    HealthCheckup {
        effective_time: c.text("EffectiveTime"),
        items,
    }
}

fn write_checkup(w: &mut XmlWriter, c: &HealthCheckup) {
    w.open("SpecificHealthCheckupInfo")
        .optional("EffectiveTime", c.effective_time.as_deref());
    if !c.items.is_empty() {
        w.open("HealthCheckupResultAndQuestionInfos");
        for i in &c.items {
            w.open("HealthCheckupResultAndQuestionInfo");
            i.write_leaves(w);
            w.close("HealthCheckupResultAndQuestionInfo");
        }
        w.close("HealthCheckupResultAndQuestionInfos");
    }
    w.close("SpecificHealthCheckupInfo");
}

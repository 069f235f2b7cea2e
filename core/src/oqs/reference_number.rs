//! 照会番号登録 (reference-number registration): single (OQS-IF-003/004, `OQSsiimm01req/res`) and
//! bulk (OQS-IF-009…012, `OQSmuimm…`). The 照会番号 is the institution's own patient key; once
//! registered, results carry it as `ReferenceNumber`.

use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};

use super::common::{
    INSURED_KEY_KNOWN, InsuredKey, PROCESSING_RESULT_KNOWN, ProcessingResult, ResponseHeader,
    read_document, write_request_header,
};
use super::encoding::{EncodeError, XmlEncoding};
use super::read::{Node, OqsError};
use super::stream::{BulkResponse, UnitReader, UnitWriter, WriteError};
use super::write::XmlWriter;
use crate::ids::MedicalInstitutionCode;

/// `ReferenceNumberRegistrationInfo`: a 照会番号 and the person it names.
///
/// For 医療扶助 the 公費負担者番号 and 受給者番号 are sent; their element names here are onshi's
/// named choice `MEDAID_KEY` (see [`InsuredKey`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationInfo {
    /// 照会番号.
    pub reference_number: String,
    /// The person.
    pub key: InsuredKey,
}

impl RegistrationInfo {
    fn read(n: &Node<'_>, unknown: &mut Vec<String>) -> Result<Self, OqsError> {
        let mut known = vec!["ReferenceNumber"];
        known.extend(INSURED_KEY_KNOWN);
        n.collect_unknown(&known, unknown);
        Ok(Self {
            reference_number: n.required_text("ReferenceNumber")?,
            key: InsuredKey::read(n)?,
        })
    }

    fn write(&self, w: &mut XmlWriter) {
        w.open("ReferenceNumberRegistrationInfo")
            .leaf("ReferenceNumber", &self.reference_number);
        self.key.write(w);
        w.close("ReferenceNumberRegistrationInfo");
    }
}

/// 照会番号登録要求 (OQS-IF-003, `OQSsiimm01req`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceNumberRequest {
    /// 医療機関等コード.
    pub institution: MedicalInstitutionCode,
    /// 任意のファイル識別子.
    #[serde(default)]
    pub arbitrary_file_identifier: Option<String>,
    /// What to register.
    pub info: RegistrationInfo,
}

impl ReferenceNumberRequest {
    /// The file's bytes, in element order.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EncodeError> {
        let mut w = XmlWriter::new(encoding);
        w.open("XmlMsg");
        write_request_header(
            &mut w,
            &self.institution,
            self.arbitrary_file_identifier.as_deref(),
        );
        w.open("MessageBody");
        self.info.write(&mut w);
        w.close("MessageBody").close("XmlMsg");
        w.finish(encoding)
    }

    /// Reads a request file.
    pub fn from_xml(bytes: &[u8]) -> Result<Self, OqsError> {
        let root = read_document(bytes)?;
        let msg = Node::new(&root, "XmlMsg");
        let h = msg.required_node("MessageHeader")?;
        let info = msg
            .required_node("MessageBody")?
            .required_node("ReferenceNumberRegistrationInfo")?;
        Ok(Self {
            institution: h.required("MedicalInstitutionCode")?,
            arbitrary_file_identifier: h.text("ArbitraryFileIdentifier"),
            info: RegistrationInfo::read(&info, &mut Vec::new())?,
        })
    }
}

/// The outcome of one registration: the single result's body, and the bulk result's
/// `BulkRegistrationUnit` { `ReferenceNumberRegistrationInfo`, `ProcessingResult…` }.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegistrationOutcome {
    /// The echo of what was registered.
    pub info: Option<RegistrationInfo>,
    /// 処理結果.
    pub result: ProcessingResult,
}

impl RegistrationOutcome {
    fn read(n: &Node<'_>, unknown: &mut Vec<String>) -> Result<Self, OqsError> {
        let mut known = vec!["ReferenceNumberRegistrationInfo"];
        known.extend(PROCESSING_RESULT_KNOWN);
        n.collect_unknown(&known, unknown);
        Ok(Self {
            info: n
                .node("ReferenceNumberRegistrationInfo")
                .map(|i| RegistrationInfo::read(&i, unknown))
                .transpose()?,
            result: ProcessingResult::read(n)?,
        })
    }

    /// Writes the content (the caller opens and closes the enclosing element).
    fn write_content(&self, w: &mut XmlWriter) {
        if let Some(i) = &self.info {
            i.write(w);
        }
        self.result.write(w);
    }

    fn write_unit(&self, w: &mut XmlWriter) {
        w.open("BulkRegistrationUnit");
        self.write_content(w);
        w.close("BulkRegistrationUnit");
    }

    fn read_unit(n: &Node<'_>, unknown: &mut Vec<String>) -> Result<Self, OqsError> {
        Self::read(n, unknown)
    }
}

/// 照会番号登録結果 (OQS-IF-004, `OQSsiimm01res`).
///
/// Named choice (`REGISTRATION_RESULT`): the header is [`ResponseHeader`]; the body holds the echo
/// first and then the 処理結果, in the order of the bulk unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferenceNumberResult {
    /// `MessageHeader`.
    pub header: ResponseHeader,
    /// The body, absent when the file-level result is not 正常終了.
    pub body: Option<RegistrationOutcome>,
    /// Paths of elements onshi does not know.
    pub unknown_elements: Vec<String>,
}

impl ReferenceNumberResult {
    /// The file's bytes; `CharacterCodeIdentifier` matches `encoding`.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EncodeError> {
        let mut w = XmlWriter::new(encoding);
        w.open("XmlMsg");
        self.header.write(&mut w, encoding);
        if let Some(b) = &self.body {
            w.open("MessageBody");
            b.write_content(&mut w);
            w.close("MessageBody");
        }
        w.close("XmlMsg");
        w.finish(encoding)
    }

    /// Reads a registration result.
    pub fn from_xml(bytes: &[u8]) -> Result<Self, OqsError> {
        let root = read_document(bytes)?;
        let msg = Node::new(&root, "XmlMsg");
        let mut unknown = Vec::new();
        msg.collect_unknown(&["MessageHeader", "MessageBody"], &mut unknown);
        let header = ResponseHeader::read(&msg.required_node("MessageHeader")?, &mut unknown)?;
        let body = msg
            .node("MessageBody")
            .map(|b| RegistrationOutcome::read(&b, &mut unknown))
            .transpose()?;
        Ok(Self {
            header,
            body,
            unknown_elements: unknown,
        })
    }
}

/// 照会番号一括登録要求 (OQS-IF-009, `OQSmuimm01req`): `ReferenceNumberRegistrationInfo` repeated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkReferenceNumberRequest {
    /// 医療機関等コード.
    pub institution: MedicalInstitutionCode,
    /// 任意のファイル識別子.
    #[serde(default)]
    pub arbitrary_file_identifier: Option<String>,
    /// What to register, in file order.
    pub entries: Vec<RegistrationInfo>,
}

impl BulkReferenceNumberRequest {
    /// The file's bytes, in element order.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EncodeError> {
        let mut w = XmlWriter::new(encoding);
        w.open("XmlMsg");
        write_request_header(
            &mut w,
            &self.institution,
            self.arbitrary_file_identifier.as_deref(),
        );
        w.open("MessageBody");
        for e in &self.entries {
            e.write(&mut w);
        }
        w.close("MessageBody").close("XmlMsg");
        w.finish(encoding)
    }

    /// Reads a request file.
    pub fn from_xml(bytes: &[u8]) -> Result<Self, OqsError> {
        let root = read_document(bytes)?;
        let msg = Node::new(&root, "XmlMsg");
        let h = msg.required_node("MessageHeader")?;
        let body = msg.required_node("MessageBody")?;
        let mut ignored = Vec::new();
        Ok(Self {
            institution: h.required("MedicalInstitutionCode")?,
            arbitrary_file_identifier: h.text("ArbitraryFileIdentifier"),
            entries: body
                .nodes("ReferenceNumberRegistrationInfo")
                .iter()
                .map(|n| RegistrationInfo::read(n, &mut ignored))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// 照会番号一括登録結果 (OQS-IF-012, `OQSmuimm02res`): `BulkRegistrationUnit` repeated.
pub type BulkRegistrationResult = BulkResponse<RegistrationOutcome>;

/// Reads a bulk registration result one unit at a time.
pub type BulkRegistrationReader<R> = UnitReader<R, RegistrationOutcome>;

/// Writes a bulk registration result one unit at a time.
pub type BulkRegistrationWriter<W> = UnitWriter<W, RegistrationOutcome>;

impl<R: BufRead> UnitReader<R, RegistrationOutcome> {
    /// Opens a 照会番号一括登録結果 for reading unit by unit.
    pub fn new(source: R) -> Result<Self, OqsError> {
        Self::open(
            source,
            "BulkRegistrationUnit",
            RegistrationOutcome::read_unit,
        )
    }
}

impl<W: Write> UnitWriter<W, RegistrationOutcome> {
    /// Starts writing a bulk registration result.
    pub fn new(
        out: W,
        header: &ResponseHeader,
        status: Option<&ProcessingResult>,
        encoding: XmlEncoding,
    ) -> Result<Self, WriteError> {
        Self::start(
            out,
            header,
            status,
            encoding,
            RegistrationOutcome::write_unit,
        )
    }
}

impl BulkResponse<RegistrationOutcome> {
    /// The file's bytes in `encoding` (`CharacterCodeIdentifier` matches it).
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EncodeError> {
        self.write_with(encoding, RegistrationOutcome::write_unit)
    }
}

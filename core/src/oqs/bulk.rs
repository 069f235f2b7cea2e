//! 資格確認一括照会 (OQS-IF-005…008): the 4-step pattern every bulk function shares.
//!
//! 1. `OQSmu…01req`: the request (for `quc`, the list of persons: [`BulkQualificationRequest`]);
//! 2. `OQSmu…01res`: アップロード結果 with the 受付番号 ([`UploadResult`]);
//! 3. `OQSmu…02req`: ダウンロード要求 naming the 受付番号 ([`DownloadRequest`]);
//! 4. `OQSmu…02res`: the results, `BulkConfirmUnit` repeated ([`BulkResult`]); `SegmentOfResult`
//!    `2` (処理中) means step 3 came too early.
//!
//! Steps 2 and 3 have the same structure for every function (`quc`, `imm`, `tic`, `hvq`, `onq`).

use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};

use super::common::{
    PROCESSING_RESULT_KNOWN, ProcessingResult, ResponseHeader, SearchInfo, read_document,
};
use super::encoding::{EncodeError, XmlEncoding};
use super::filename::{ApiId, Direction, Family, Multiplicity};
use super::read::{Node, OqsError};
use super::result::{ResultEntry, read_entry, write_entry};
use super::stream::{BulkResponse, UnitReader, UnitWriter, WriteError};
use super::write::XmlWriter;
use crate::codes::{ProcessingResultStatus, QualificationValidity};
use crate::ids::MedicalInstitutionCode;
use crate::jst::{Date, format_date};

/// The function of a bulk (`mu`) file: the three letters after `OQSmu`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BulkFunction {
    /// `quc`: 資格確認一括照会 (OQS-IF-005…008).
    #[serde(rename = "quc")]
    Qualification,
    /// `imm`: 照会番号一括登録 (OQS-IF-009…012).
    #[serde(rename = "imm")]
    ReferenceNumber,
    /// `tic`: 医療扶助 委託先資格情報の一括取得 (very likely OQS-IF-013…016).
    #[serde(rename = "tic")]
    MedicalAidTickets,
    /// `hvq`: 同意済資格情報一括取得（訪問診療等）.
    #[serde(rename = "hvq")]
    HomeVisit,
    /// `onq`: 同意済資格情報一括取得（オンライン診療等）.
    #[serde(rename = "onq")]
    Online,
}

impl BulkFunction {
    /// Every function.
    pub const ALL: [Self; 5] = [
        Self::Qualification,
        Self::ReferenceNumber,
        Self::MedicalAidTickets,
        Self::HomeVisit,
        Self::Online,
    ];

    /// The function code in the API識別ID.
    pub fn code(self) -> &'static str {
        match self {
            Self::Qualification => "quc",
            Self::ReferenceNumber => "imm",
            Self::MedicalAidTickets => "tic",
            Self::HomeVisit => "hvq",
            Self::Online => "onq",
        }
    }

    /// The function of a code, if onshi knows it.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The API識別ID of one step: `OQSmu<function><step><req|res>`.
    pub fn api(self, step: u8, direction: Direction) -> ApiId {
        ApiId {
            family: Family::Oqs,
            multiplicity: Multiplicity::Multi,
            function: self.code().to_owned(),
            step,
            direction,
        }
    }
}

/// 資格確認一括照会要求 (OQS-IF-005, `OQSmuquc01req`): the persons to check.
///
/// The body is not known from public sources. onshi's named choice (`BULK_REQUEST_BODY`), by
/// analogy with the bulk 照会番号 file: `QualificationConfirmSearchInfo` repeated under
/// `MessageBody`, each as in the single request (with `ArbitraryIdentifier` to match results), and
/// the header of the single request (資格確認日 once for the file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkQualificationRequest {
    /// 資格確認日.
    #[serde(with = "crate::jst::serde_date")]
    pub confirmation_date: Date,
    /// 医療機関等コード.
    pub institution: MedicalInstitutionCode,
    /// 任意のファイル識別子.
    #[serde(default)]
    pub arbitrary_file_identifier: Option<String>,
    /// The persons, in file order.
    pub persons: Vec<SearchInfo>,
}

impl BulkQualificationRequest {
    /// The file's bytes, in element order.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EncodeError> {
        let mut w = XmlWriter::new(encoding);
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
            .open("MessageBody");
        for p in &self.persons {
            p.write(&mut w);
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
            confirmation_date: h.required_date("QualificationConfirmationDate")?,
            institution: h.required("MedicalInstitutionCode")?,
            arbitrary_file_identifier: h.text("ArbitraryFileIdentifier"),
            persons: body
                .nodes("QualificationConfirmSearchInfo")
                .iter()
                .map(|n| SearchInfo::read(n, &mut ignored))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// アップロード結果 (step 2, `OQSmu…01res`; OQS-IF-006 for `quc`): whether the bulk request was
/// accepted, and its 受付番号 (`MessageHeader/ReceptionNumber`).
///
/// The reference lists the values, not where they sit. onshi's named choice (`UPLOAD_RESULT`):
/// `ReceptionNumber` and `SegmentOfResult` in the header as in the final result, the 処理結果 in the
/// body as in the single result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UploadResult {
    /// `MessageHeader` (with the 受付番号).
    pub header: ResponseHeader,
    /// 処理結果, when the file has a body.
    pub body: Option<ProcessingResult>,
    /// Paths of elements onshi does not know.
    pub unknown_elements: Vec<String>,
}

impl UploadResult {
    /// The file's bytes; `CharacterCodeIdentifier` matches `encoding`.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EncodeError> {
        let mut w = XmlWriter::new(encoding);
        w.open("XmlMsg");
        self.header.write(&mut w, encoding);
        if let Some(b) = &self.body {
            w.open("MessageBody");
            b.write(&mut w);
            w.close("MessageBody");
        }
        w.close("XmlMsg");
        w.finish(encoding)
    }

    /// Reads an upload result.
    pub fn from_xml(bytes: &[u8]) -> Result<Self, OqsError> {
        let root = read_document(bytes)?;
        let msg = Node::new(&root, "XmlMsg");
        let mut unknown = Vec::new();
        msg.collect_unknown(&["MessageHeader", "MessageBody"], &mut unknown);
        let header = ResponseHeader::read(&msg.required_node("MessageHeader")?, &mut unknown)?;
        let body = match msg.node("MessageBody") {
            Some(b) => {
                b.collect_unknown(&PROCESSING_RESULT_KNOWN, &mut unknown);
                ProcessingResult::read_optional(&b)?
            }
            None => None,
        };
        Ok(Self {
            header,
            body,
            unknown_elements: unknown,
        })
    }
}

/// ダウンロード要求 (step 3, `OQSmu…02req`; OQS-IF-007 for `quc`): only the institution and the
/// 受付番号 of the upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadRequest {
    /// 医療機関等コード.
    pub institution: MedicalInstitutionCode,
    /// 受付番号, from the upload result.
    pub reception_number: String,
}

impl DownloadRequest {
    /// The file's bytes.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EncodeError> {
        let mut w = XmlWriter::new(encoding);
        w.open("XmlMsg")
            .open("MessageHeader")
            .leaf("MedicalInstitutionCode", self.institution.as_str())
            .close("MessageHeader")
            .open("MessageBody")
            .leaf("ReceptionNumber", &self.reception_number)
            .close("MessageBody")
            .close("XmlMsg");
        w.finish(encoding)
    }

    /// Reads a download request.
    pub fn from_xml(bytes: &[u8]) -> Result<Self, OqsError> {
        let root = read_document(bytes)?;
        let msg = Node::new(&root, "XmlMsg");
        Ok(Self {
            institution: msg
                .required_node("MessageHeader")?
                .required("MedicalInstitutionCode")?,
            reception_number: msg
                .required_node("MessageBody")?
                .required_text("ReceptionNumber")?,
        })
    }
}

/// `BulkConfirmUnit`: one person's result in a bulk result (`OQSmuquc02res`, and the `tic`, `hvq`
/// and `onq` results, whose units have the same structure). The qualification itself is the
/// single result's [`ResultEntry`].
///
/// Named choice (`BULK_UNIT_RESULTS`): `ResultOfQualificationConfirmation` is written directly in
/// the unit as the reference lists it, repeated when a person has several (insurance and 医療扶助);
/// a `ResultList` wrapper, as in the single result, is read as well.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BulkConfirmUnit {
    /// `QualificationConfirmSearchInfo`: the echo of the request's person (`quc` only).
    pub search: Option<SearchInfo>,
    /// 処理結果状況 (some files give it for the whole body instead).
    pub processing_result_status: Option<ProcessingResultStatus>,
    /// 処理結果コード.
    pub processing_result_code: Option<String>,
    /// 処理結果メッセージ.
    pub processing_result_message: Option<String>,
    /// 資格有効性.
    pub qualification_validity: Option<QualificationValidity>,
    /// The results.
    pub results: Vec<ResultEntry>,
    /// 照会番号, when registered.
    pub reference_number: Option<String>,
}

const UNIT_KNOWN: &[&str] = &[
    "QualificationConfirmSearchInfo",
    "ProcessingResultStatus",
    "ProcessingResultCode",
    "ProcessingResultMessage",
    "QualificationValidity",
    "ResultOfQualificationConfirmation",
    "ResultList",
    "ReferenceNumber",
];

impl BulkConfirmUnit {
    fn read(u: &Node<'_>, unknown: &mut Vec<String>) -> Result<Self, OqsError> {
        u.collect_unknown(UNIT_KNOWN, unknown);
        let mut results = Vec::new();
        for e in u.nodes("ResultOfQualificationConfirmation") {
            results.push(read_entry(&e, unknown)?);
        }
        if let Some(list) = u.node("ResultList") {
            list.collect_unknown(&["ResultOfQualificationConfirmation"], unknown);
            for e in list.nodes("ResultOfQualificationConfirmation") {
                results.push(read_entry(&e, unknown)?);
            }
        }
        Ok(Self {
            search: u
                .node("QualificationConfirmSearchInfo")
                .map(|n| SearchInfo::read(&n, unknown))
                .transpose()?,
            processing_result_status: u.parsed("ProcessingResultStatus")?,
            processing_result_code: u.text("ProcessingResultCode"),
            processing_result_message: u.text("ProcessingResultMessage"),
            qualification_validity: u.parsed("QualificationValidity")?,
            results,
            reference_number: u.text("ReferenceNumber"),
        })
    }

    fn write(&self, w: &mut XmlWriter) {
        w.open("BulkConfirmUnit");
        if let Some(s) = &self.search {
            s.write(w);
        }
        w.optional(
            "ProcessingResultStatus",
            self.processing_result_status.map(|s| s.code()),
        )
        .optional(
            "ProcessingResultCode",
            self.processing_result_code.as_deref(),
        )
        .optional(
            "ProcessingResultMessage",
            self.processing_result_message.as_deref(),
        )
        .optional(
            "QualificationValidity",
            self.qualification_validity.map(|v| v.code()),
        );
        for r in &self.results {
            write_entry(w, r);
        }
        w.optional("ReferenceNumber", self.reference_number.as_deref())
            .close("BulkConfirmUnit");
    }
}

/// 資格確認一括照会結果 (step 4, `OQSmuquc02res`, OQS-IF-008; also the `tic`, `hvq`, `onq` results).
pub type BulkResult = BulkResponse<BulkConfirmUnit>;

/// Reads a bulk result one unit at a time (see [`UnitReader`]).
pub type BulkResultReader<R> = UnitReader<R, BulkConfirmUnit>;

/// Writes a bulk result one unit at a time (see [`UnitWriter`]).
pub type BulkResultWriter<W> = UnitWriter<W, BulkConfirmUnit>;

impl<R: BufRead> UnitReader<R, BulkConfirmUnit> {
    /// Opens a 一括照会結果 (or `tic`/`hvq`/`onq` result) for reading unit by unit.
    pub fn new(source: R) -> Result<Self, OqsError> {
        Self::open(source, "BulkConfirmUnit", BulkConfirmUnit::read)
    }
}

impl<W: Write> UnitWriter<W, BulkConfirmUnit> {
    /// Starts writing a bulk result: the header and the file-level 処理結果 are written now.
    pub fn new(
        out: W,
        header: &ResponseHeader,
        status: Option<&ProcessingResult>,
        encoding: XmlEncoding,
    ) -> Result<Self, WriteError> {
        Self::start(out, header, status, encoding, BulkConfirmUnit::write)
    }
}

/// Reads a whole bulk result in memory (streaming underneath; see [`BulkResultReader`] for files
/// too large to hold).
pub fn read_bulk_result(bytes: &[u8]) -> Result<BulkResult, OqsError> {
    BulkResultReader::new(bytes)?.collect_all()
}

/// Writes a bulk result from an iterator of units (owned or borrowed) into `out`, never holding
/// more than one unit's text; gives `out` back.
pub fn write_bulk_result<W: Write, B: std::borrow::Borrow<BulkConfirmUnit>>(
    out: W,
    header: &ResponseHeader,
    status: Option<&ProcessingResult>,
    units: impl IntoIterator<Item = B>,
    encoding: XmlEncoding,
) -> Result<W, WriteError> {
    let mut w = BulkResultWriter::new(out, header, status, encoding)?;
    w.write_all(units)?;
    w.finish()
}

impl BulkResponse<BulkConfirmUnit> {
    /// The file's bytes in `encoding` (`CharacterCodeIdentifier` matches it).
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EncodeError> {
        self.write_with(encoding, BulkConfirmUnit::write)
    }
}

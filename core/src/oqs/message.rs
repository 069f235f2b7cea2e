//! Which message a file is, from its name alone, and reading any file into one [`Message`].

use serde::Serialize;

use super::bulk::{
    BulkFunction, BulkQualificationRequest, BulkResult, DownloadRequest, UploadResult,
    read_bulk_result,
};
use super::consented_bulk::{ConsentedBulkRequest, ConsentedSetting};
use super::encoding::{EncodeError, XmlEncoding};
use super::filename::{ApiId, Direction, Family, FileName, FileNameError, Multiplicity};
use super::medaid_bulk::MedicalAidBulkRequest;
use super::medical_info::{MedicalInfoRequest, MedicalInfoResult};
use super::read::OqsError;
use super::reference_number::{
    BulkReferenceNumberRequest, BulkRegistrationReader, BulkRegistrationResult,
    ReferenceNumberRequest, ReferenceNumberResult,
};
use super::request::QualificationRequest;
use super::result::{QualificationResult, read_qualification_result};
use crate::codes::MedicalInformationKind;

/// The kind of message a file holds, as its API識別ID says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "message", rename_all = "snake_case")]
pub enum MessageKind {
    /// 資格確認要求 (OQS-IF-001, `OQSsiquc01req`).
    QualificationRequest,
    /// 資格確認結果 (OQS-IF-002, `OQSsiquc01res`), and face results.
    QualificationResult,
    /// 照会番号登録要求 (OQS-IF-003, `OQSsiimm01req`).
    ReferenceNumberRequest,
    /// 照会番号登録結果 (OQS-IF-004, `OQSsiimm01res`).
    ReferenceNumberResult,
    /// 資格確認一括照会要求 (OQS-IF-005, `OQSmuquc01req`).
    BulkQualificationRequest,
    /// 照会番号一括登録要求 (OQS-IF-009, `OQSmuimm01req`).
    BulkReferenceNumberRequest,
    /// 委託先資格情報一括取得要求 (`OQSmutic01req`).
    MedicalAidBulkRequest,
    /// 同意済資格情報一括取得要求 (`OQSmuhvq01req`, `OQSmuonq01req`).
    ConsentedBulkRequest {
        /// 訪問診療等 or オンライン診療等.
        setting: ConsentedSetting,
    },
    /// アップロード結果 of any bulk function (`OQSmu…01res`).
    UploadResult {
        /// The function.
        function: BulkFunction,
    },
    /// ダウンロード要求 of any bulk function (`OQSmu…02req`).
    DownloadRequest {
        /// The function.
        function: BulkFunction,
    },
    /// Bulk result of `BulkConfirmUnit`s (`OQSmuquc02res`, `…tic02res`, `…hvq02res`, `…onq02res`).
    BulkResult {
        /// The function.
        function: BulkFunction,
    },
    /// 照会番号一括登録結果 (OQS-IF-012, `OQSmuimm02res`).
    BulkRegistrationResult,
    /// 薬剤情報・特定健診情報の取得要求 (`YZKsiquc01req`, `TKKsiquc01req`).
    MedicalInfoRequest {
        /// 薬剤 or 特定健診.
        kind: MedicalInformationKind,
    },
    /// 薬剤情報・特定健診情報の取得結果 (`YZKsiquc01res`, `TKKsiquc01res`).
    MedicalInfoResult {
        /// 薬剤 or 特定健診.
        kind: MedicalInformationKind,
    },
}

impl MessageKind {
    /// The kind an API識別ID names, when onshi models it.
    pub fn of(api: &ApiId) -> Option<Self> {
        use Direction::{Request as Q, Response as R};
        use Multiplicity::{Multi as M, Single as S};
        let function = BulkFunction::from_code(&api.function);
        let medical = match api.family {
            Family::Yzk => Some(MedicalInformationKind::Medication),
            Family::Tkk => Some(MedicalInformationKind::HealthCheckups),
            _ => None,
        };
        Some(
            match (
                api.family,
                api.multiplicity,
                function,
                api.step,
                api.direction,
            ) {
                (Family::Oqs, S, Some(BulkFunction::Qualification), 1, Q) => {
                    Self::QualificationRequest
                }
                (Family::Oqs, S, Some(BulkFunction::Qualification), 1, R) => {
                    Self::QualificationResult
                }
                (Family::Oqs, S, Some(BulkFunction::ReferenceNumber), 1, Q) => {
                    Self::ReferenceNumberRequest
                }
                (Family::Oqs, S, Some(BulkFunction::ReferenceNumber), 1, R) => {
                    Self::ReferenceNumberResult
                }
                (Family::Oqs, M, Some(f), 1, Q) => match f {
                    BulkFunction::Qualification => Self::BulkQualificationRequest,
                    BulkFunction::ReferenceNumber => Self::BulkReferenceNumberRequest,
                    BulkFunction::MedicalAidTickets => Self::MedicalAidBulkRequest,
                    BulkFunction::HomeVisit => Self::ConsentedBulkRequest {
                        setting: ConsentedSetting::HomeVisit,
                    },
                    BulkFunction::Online => Self::ConsentedBulkRequest {
                        setting: ConsentedSetting::Online,
                    },
                },
                (Family::Oqs, M, Some(function), 1, R) => Self::UploadResult { function },
                (Family::Oqs, M, Some(function), 2, Q) => Self::DownloadRequest { function },
                (Family::Oqs, M, Some(BulkFunction::ReferenceNumber), 2, R) => {
                    Self::BulkRegistrationResult
                }
                (Family::Oqs, M, Some(function), 2, R) => Self::BulkResult { function },
                (Family::Yzk | Family::Tkk, S, Some(BulkFunction::Qualification), 1, d) => {
                    let kind = medical?;
                    match d {
                        Q => Self::MedicalInfoRequest { kind },
                        R => Self::MedicalInfoResult { kind },
                    }
                }
                _ => return None,
            },
        )
    }

    /// The API識別ID of files of this kind.
    pub fn api(self) -> ApiId {
        use Direction::{Request as Q, Response as R};
        let single = |family, function: BulkFunction, direction| ApiId {
            family,
            multiplicity: Multiplicity::Single,
            function: function.code().to_owned(),
            step: 1,
            direction,
        };
        let medical_family = |kind| match kind {
            MedicalInformationKind::Medication => Family::Yzk,
            MedicalInformationKind::HealthCheckups => Family::Tkk,
        };
        match self {
            Self::QualificationRequest => single(Family::Oqs, BulkFunction::Qualification, Q),
            Self::QualificationResult => single(Family::Oqs, BulkFunction::Qualification, R),
            Self::ReferenceNumberRequest => single(Family::Oqs, BulkFunction::ReferenceNumber, Q),
            Self::ReferenceNumberResult => single(Family::Oqs, BulkFunction::ReferenceNumber, R),
            Self::BulkQualificationRequest => BulkFunction::Qualification.api(1, Q),
            Self::BulkReferenceNumberRequest => BulkFunction::ReferenceNumber.api(1, Q),
            Self::MedicalAidBulkRequest => BulkFunction::MedicalAidTickets.api(1, Q),
            Self::ConsentedBulkRequest { setting } => setting.function().api(1, Q),
            Self::UploadResult { function } => function.api(1, R),
            Self::DownloadRequest { function } => function.api(2, Q),
            Self::BulkResult { function } => function.api(2, R),
            Self::BulkRegistrationResult => BulkFunction::ReferenceNumber.api(2, R),
            Self::MedicalInfoRequest { kind } => {
                single(medical_family(kind), BulkFunction::Qualification, Q)
            }
            Self::MedicalInfoResult { kind } => {
                single(medical_family(kind), BulkFunction::Qualification, R)
            }
        }
    }
}

/// Any message onshi models, as read from a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "message", rename_all = "snake_case")]
pub enum Message {
    /// `OQSsiquc01req`.
    QualificationRequest(QualificationRequest),
    /// `OQSsiquc01res` (and face results).
    QualificationResult(QualificationResult),
    /// `OQSsiimm01req`.
    ReferenceNumberRequest(ReferenceNumberRequest),
    /// `OQSsiimm01res`.
    ReferenceNumberResult(ReferenceNumberResult),
    /// `OQSmuquc01req`.
    BulkQualificationRequest(BulkQualificationRequest),
    /// `OQSmuimm01req`.
    BulkReferenceNumberRequest(BulkReferenceNumberRequest),
    /// `OQSmutic01req`.
    MedicalAidBulkRequest(MedicalAidBulkRequest),
    /// `OQSmuhvq01req`, `OQSmuonq01req`.
    ConsentedBulkRequest(ConsentedBulkRequest),
    /// `OQSmu…01res`.
    UploadResult {
        /// The function of the file name.
        function: BulkFunction,
        /// The result.
        result: UploadResult,
    },
    /// `OQSmu…02req`.
    DownloadRequest {
        /// The function of the file name.
        function: BulkFunction,
        /// The request.
        request: DownloadRequest,
    },
    /// `OQSmuquc02res`, `OQSmutic02res`, `OQSmuhvq02res`, `OQSmuonq02res`.
    BulkResult {
        /// The function of the file name.
        function: BulkFunction,
        /// The result.
        result: BulkResult,
    },
    /// `OQSmuimm02res`.
    BulkRegistrationResult(BulkRegistrationResult),
    /// `YZKsiquc01req`, `TKKsiquc01req`.
    MedicalInfoRequest(MedicalInfoRequest),
    /// `YZKsiquc01res`, `TKKsiquc01res`.
    MedicalInfoResult(MedicalInfoResult),
}

/// A file that cannot be read as a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    /// The name is not an OQS file name.
    #[error(transparent)]
    FileName(#[from] FileNameError),
    /// A `.zip` (large bulk result): the host unzips it and reads the XML inside.
    #[error("ZIPファイルは展開してから読み込んでください: {0} (unzip the file first)")]
    Zipped(String),
    /// A valid name of a message onshi does not model (e.g. `EPS…`, `OQSsihvq…`).
    #[error("{0} のメッセージには対応していません (message {0} is not supported)")]
    Unsupported(String),
    /// The content does not follow the interface.
    #[error(transparent)]
    Oqs(#[from] OqsError),
}

/// Which message the file `name` holds, from its name alone.
pub fn message_kind(name: &str) -> Result<MessageKind, MessageError> {
    let name: FileName = name.parse()?;
    MessageKind::of(&name.api).ok_or_else(|| MessageError::Unsupported(name.api.to_string()))
}

/// Reads the file `name` with content `bytes` (Shift_JIS or UTF-8 by its declaration) as the
/// message its name says.
pub fn read_message(name: &str, bytes: &[u8]) -> Result<Message, MessageError> {
    let file: FileName = name.parse()?;
    if file.zipped {
        return Err(MessageError::Zipped(name.to_owned()));
    }
    let kind = MessageKind::of(&file.api)
        .ok_or_else(|| MessageError::Unsupported(file.api.to_string()))?;
    Ok(match kind {
        MessageKind::QualificationRequest => {
            Message::QualificationRequest(QualificationRequest::from_xml(bytes)?)
        }
        MessageKind::QualificationResult => {
            Message::QualificationResult(read_qualification_result(bytes)?)
        }
        MessageKind::ReferenceNumberRequest => {
            Message::ReferenceNumberRequest(ReferenceNumberRequest::from_xml(bytes)?)
        }
        MessageKind::ReferenceNumberResult => {
            Message::ReferenceNumberResult(ReferenceNumberResult::from_xml(bytes)?)
        }
        MessageKind::BulkQualificationRequest => {
            Message::BulkQualificationRequest(BulkQualificationRequest::from_xml(bytes)?)
        }
        MessageKind::BulkReferenceNumberRequest => {
            Message::BulkReferenceNumberRequest(BulkReferenceNumberRequest::from_xml(bytes)?)
        }
        MessageKind::MedicalAidBulkRequest => {
            Message::MedicalAidBulkRequest(MedicalAidBulkRequest::from_xml(bytes)?)
        }
        MessageKind::ConsentedBulkRequest { setting } => {
            let request = ConsentedBulkRequest::from_xml(bytes)?;
            if request.setting != setting {
                return Err(OqsError::Invalid {
                    path: "XmlMsg/MessageBody/QualificationConfirmSearchInfo/MedicalTreatmentFlag"
                        .to_owned(),
                    value: request.setting.flag().code().to_owned(),
                    reason: format!(
                        "ファイル名（{}）と一致しません (does not match the file name)",
                        file.api
                    ),
                }
                .into());
            }
            Message::ConsentedBulkRequest(request)
        }
        MessageKind::UploadResult { function } => Message::UploadResult {
            function,
            result: UploadResult::from_xml(bytes)?,
        },
        MessageKind::DownloadRequest { function } => Message::DownloadRequest {
            function,
            request: DownloadRequest::from_xml(bytes)?,
        },
        MessageKind::BulkResult { function } => Message::BulkResult {
            function,
            result: read_bulk_result(bytes)?,
        },
        MessageKind::BulkRegistrationResult => {
            Message::BulkRegistrationResult(BulkRegistrationReader::new(bytes)?.collect_all()?)
        }
        MessageKind::MedicalInfoRequest { kind } => {
            Message::MedicalInfoRequest(MedicalInfoRequest::from_xml(bytes, kind)?)
        }
        MessageKind::MedicalInfoResult { kind } => {
            Message::MedicalInfoResult(MedicalInfoResult::from_xml(bytes, kind)?)
        }
    })
}

impl Message {
    /// The kind of this message.
    pub fn kind(&self) -> MessageKind {
        match self {
            Self::QualificationRequest(_) => MessageKind::QualificationRequest,
            Self::QualificationResult(_) => MessageKind::QualificationResult,
            Self::ReferenceNumberRequest(_) => MessageKind::ReferenceNumberRequest,
            Self::ReferenceNumberResult(_) => MessageKind::ReferenceNumberResult,
            Self::BulkQualificationRequest(_) => MessageKind::BulkQualificationRequest,
            Self::BulkReferenceNumberRequest(_) => MessageKind::BulkReferenceNumberRequest,
            Self::MedicalAidBulkRequest(_) => MessageKind::MedicalAidBulkRequest,
            Self::ConsentedBulkRequest(r) => {
                MessageKind::ConsentedBulkRequest { setting: r.setting }
            }
            Self::UploadResult { function, .. } => MessageKind::UploadResult {
                function: *function,
            },
            Self::DownloadRequest { function, .. } => MessageKind::DownloadRequest {
                function: *function,
            },
            Self::BulkResult { function, .. } => MessageKind::BulkResult {
                function: *function,
            },
            Self::BulkRegistrationResult(_) => MessageKind::BulkRegistrationResult,
            Self::MedicalInfoRequest(r) => MessageKind::MedicalInfoRequest {
                kind: r.query.kind(),
            },
            Self::MedicalInfoResult(r) => MessageKind::MedicalInfoResult { kind: r.kind },
        }
    }

    /// The API識別ID of the file this message goes in.
    pub fn api(&self) -> ApiId {
        self.kind().api()
    }

    /// The file's bytes in `encoding`, in the interface's element order.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EncodeError> {
        match self {
            Self::QualificationRequest(m) => m.to_xml(encoding),
            Self::QualificationResult(m) => m.to_xml(encoding),
            Self::ReferenceNumberRequest(m) => m.to_xml(encoding),
            Self::ReferenceNumberResult(m) => m.to_xml(encoding),
            Self::BulkQualificationRequest(m) => m.to_xml(encoding),
            Self::BulkReferenceNumberRequest(m) => m.to_xml(encoding),
            Self::MedicalAidBulkRequest(m) => m.to_xml(encoding),
            Self::ConsentedBulkRequest(m) => m.to_xml(encoding),
            Self::UploadResult { result, .. } => result.to_xml(encoding),
            Self::DownloadRequest { request, .. } => request.to_xml(encoding),
            Self::BulkResult { result, .. } => result.to_xml(encoding),
            Self::BulkRegistrationResult(m) => m.to_xml(encoding),
            Self::MedicalInfoRequest(m) => m.to_xml(encoding),
            Self::MedicalInfoResult(m) => m.to_xml(encoding),
        }
    }
}

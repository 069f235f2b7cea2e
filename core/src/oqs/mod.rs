//! The 連携 file interface (OQS): the files receipt computers (レセコン) drop into `req` and read from
//! `res` and `face` on the qualification terminal. This module names and decodes those files, and
//! reads and writes every message onshi models ([`Message`], [`read_message`]); large bulk results
//! are read and written unit by unit ([`BulkResultReader`], [`BulkResultWriter`]).

mod bulk;
mod common;
mod consented_bulk;
mod encoding;
mod filename;
mod medaid_bulk;
mod medical_info;
mod message;
mod read;
mod reference_number;
mod request;
mod result;
mod stream;
mod tree;
mod write;

pub use bulk::{
    BulkConfirmUnit, BulkFunction, BulkQualificationRequest, BulkResult, BulkResultReader,
    BulkResultWriter, DownloadRequest, UploadResult, read_bulk_result, write_bulk_result,
};
pub use common::{InsuredKey, ProcessingResult, ResponseHeader, SearchInfo};
pub use consented_bulk::{ConsentedBulkRequest, ConsentedSetting, PeriodBasis};
pub use medaid_bulk::MedicalAidBulkRequest;
pub use medical_info::{
    CheckupFile, CheckupItem, Drug, HealthCheckup, MedicalInfoPerson, MedicalInfoQuery,
    MedicalInfoRequest, MedicalInfoResult, MedicationDay, MedicationFile, MedicationMonth,
    MonthLeaves, Treatment,
};
pub use message::{Message, MessageError, MessageKind, message_kind, read_message};
pub use reference_number::{
    BulkReferenceNumberRequest, BulkRegistrationReader, BulkRegistrationResult,
    BulkRegistrationWriter, ReferenceNumberRequest, ReferenceNumberResult, RegistrationInfo,
    RegistrationOutcome,
};
pub use stream::{BulkResponse, MAX_UNIT_BYTES, UnitReader, UnitWriter, WriteError};

pub use encoding::{DecodeError, EncodeError, XmlEncoding, decode_xml, encode_xml};
pub use filename::{ApiId, Direction, FaceName, Family, FileName, FileNameError, Multiplicity};
pub use read::OqsError;
pub use request::QualificationRequest;
pub use result::{
    ConsentFlag, QualificationResult, ResultBody, ResultEntry, ResultHeader,
    read_qualification_result,
};
pub use tree::{Element, XmlError, parse_tree};

#[cfg(test)]
mod tests;

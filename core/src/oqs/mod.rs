//! The 連携 file interface (OQS): the files receipt computers (レセコン) drop into `req` and read from
//! `res` and `face` on the qualification terminal. This module names and decodes those files; the
//! message models come on top.

mod encoding;
mod filename;
mod read;
mod request;
mod result;
mod tree;
mod write;

pub use encoding::{DecodeError, EncodeError, XmlEncoding, decode_xml, encode_xml};
pub use filename::{ApiId, Direction, FaceName, Family, FileName, FileNameError, Multiplicity};
pub use read::OqsError;
pub use request::QualificationRequest;
pub use result::{
    ConsentFlag, QualificationResult, ResultBody, ResultEntry, ResultHeader,
    read_qualification_result,
};
pub use tree::{Element, XmlError, parse_tree};

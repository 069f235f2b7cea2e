//! ファイル名: `<API識別ID>_<suffix>.xml` for requests, the same with `req` → `res` for responses,
//! and `OQSsiquc01res_face_<医療機関等コード><id>_<YYYYMMDDhhmmss>.xml` for unrequested face results.
//! The API識別ID reads as family + `si`/`mu` + a 3-letter function + a 2-digit step + `req`/`res`.

use std::str::FromStr;

use serde::Serialize;

use crate::ids::MedicalInstitutionCode;
use crate::jst::{JstDateTime, format_datetime, parse_datetime};

/// The interface family: the first three letters of the API識別ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Family {
    /// `OQS`: オンライン資格確認.
    Oqs,
    /// `YZK`: 薬剤情報.
    Yzk,
    /// `TKK`: 特定健診情報.
    Tkk,
    /// `EPS`: 電子処方箋.
    Eps,
    /// `PMH`: Public Medical Hub.
    Pmh,
}

/// `si` (single) or `mu` (multi: a batch in upload/download steps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Multiplicity {
    /// `si`
    Single,
    /// `mu`
    Multi,
}

/// `req` (written by the レセコン into `req`) or `res` (written by the terminal into `res`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Direction {
    /// `req`
    Request,
    /// `res`
    Response,
}

/// An API識別ID such as `OQSsiquc01req`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ApiId {
    /// The family.
    pub family: Family,
    /// Single or batch.
    pub multiplicity: Multiplicity,
    /// The function code, e.g. `quc` (qualification check), `imm` (照会番号), `tic` (医療扶助).
    pub function: String,
    /// The step, `01` or `02`.
    pub step: u8,
    /// Request or response.
    pub direction: Direction,
}

impl ApiId {
    /// The message this is, where onshi knows it: e.g. `資格確認要求 (OQS-IF-001)`.
    pub fn known_name(&self) -> Option<&'static str> {
        use Direction::{Request as Q, Response as R};
        use Multiplicity::{Multi as M, Single as S};
        Some(
            match (
                self.family,
                self.multiplicity,
                self.function.as_str(),
                self.step,
                self.direction,
            ) {
                (Family::Oqs, S, "quc", 1, Q) => "資格確認要求 (OQS-IF-001)",
                (Family::Oqs, S, "quc", 1, R) => "資格確認結果 (OQS-IF-002)",
                (Family::Oqs, S, "imm", 1, Q) => "照会番号登録要求 (OQS-IF-003)",
                (Family::Oqs, S, "imm", 1, R) => "照会番号登録結果 (OQS-IF-004)",
                (Family::Oqs, M, "quc", 1, Q) => "資格確認一括照会要求 (OQS-IF-005)",
                (Family::Oqs, M, "quc", 1, R) => "一括照会アップロード結果 (OQS-IF-006)",
                (Family::Oqs, M, "quc", 2, Q) => "一括照会ダウンロード要求 (OQS-IF-007)",
                (Family::Oqs, M, "quc", 2, R) => "資格確認一括照会結果 (OQS-IF-008)",
                (Family::Oqs, M, "imm", 1, Q) => "照会番号一括登録要求 (OQS-IF-009)",
                (Family::Oqs, M, "imm", 1, R) => "照会番号一括登録アップロード結果 (OQS-IF-010)",
                (Family::Oqs, M, "imm", 2, Q) => "照会番号一括登録ダウンロード要求 (OQS-IF-011)",
                (Family::Oqs, M, "imm", 2, R) => "照会番号一括登録結果 (OQS-IF-012)",
                (Family::Oqs, M, "tic", 1, Q) => "委託先資格情報一括取得要求 (OQS-IF-013)",
                (Family::Oqs, M, "tic", 1, R) => {
                    "委託先資格情報一括取得アップロード結果 (OQS-IF-014)"
                }
                (Family::Oqs, M, "tic", 2, Q) => {
                    "委託先資格情報一括取得ダウンロード要求 (OQS-IF-015)"
                }
                (Family::Oqs, M, "tic", 2, R) => "委託先資格情報一括取得結果 (OQS-IF-016)",
                (Family::Oqs, M, "hvq", _, Q) => "同意済資格情報一括取得要求（訪問診療等）",
                (Family::Oqs, M, "hvq", _, R) => "同意済資格情報一括取得結果（訪問診療等）",
                (Family::Oqs, M, "onq", _, Q) => "同意済資格情報一括取得要求（オンライン診療等）",
                (Family::Oqs, M, "onq", _, R) => "同意済資格情報一括取得結果（オンライン診療等）",
                (Family::Yzk, S, "quc", 1, Q) => "薬剤情報取得要求",
                (Family::Yzk, S, "quc", 1, R) => "薬剤情報取得結果",
                (Family::Tkk, S, "quc", 1, Q) => "特定健診情報取得要求",
                (Family::Tkk, S, "quc", 1, R) => "特定健診情報取得結果",
                _ => return None,
            },
        )
    }

    /// The paired id: a request's response, or a response's request.
    pub fn paired(&self) -> Self {
        Self {
            direction: match self.direction {
                Direction::Request => Direction::Response,
                Direction::Response => Direction::Request,
            },
            ..self.clone()
        }
    }
}

impl FromStr for ApiId {
    type Err = FileNameError;

    fn from_str(s: &str) -> Result<Self, FileNameError> {
        let bad = || FileNameError::NotAnApiId(s.to_owned());
        if s.len() != 13 || !s.is_ascii() {
            return Err(bad());
        }
        let family = match &s[..3] {
            "OQS" => Family::Oqs,
            "YZK" => Family::Yzk,
            "TKK" => Family::Tkk,
            "EPS" => Family::Eps,
            "PMH" => Family::Pmh,
            _ => return Err(bad()),
        };
        let multiplicity = match &s[3..5] {
            "si" => Multiplicity::Single,
            "mu" => Multiplicity::Multi,
            _ => return Err(bad()),
        };
        let function = &s[5..8];
        if !function.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(bad());
        }
        let step = s[8..10]
            .parse::<u8>()
            .ok()
            .filter(|_| s[8..10].bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(bad)?;
        let direction = match &s[10..] {
            "req" => Direction::Request,
            "res" => Direction::Response,
            _ => return Err(bad()),
        };
        Ok(Self {
            family,
            multiplicity,
            function: function.to_owned(),
            step,
            direction,
        })
    }
}

impl std::fmt::Display for ApiId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let family = match self.family {
            Family::Oqs => "OQS",
            Family::Yzk => "YZK",
            Family::Tkk => "TKK",
            Family::Eps => "EPS",
            Family::Pmh => "PMH",
        };
        let m = match self.multiplicity {
            Multiplicity::Single => "si",
            Multiplicity::Multi => "mu",
        };
        let d = match self.direction {
            Direction::Request => "req",
            Direction::Response => "res",
        };
        write!(f, "{family}{m}{}{:02}{d}", self.function, self.step)
    }
}

/// The parts of a face-result name after `OQSsiquc01res_face_`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FaceName {
    /// The institution the reader belongs to.
    pub institution: MedicalInstitutionCode,
    /// The opaque id that follows the code (hex).
    pub id: String,
    /// When the card was read (JST).
    #[serde(with = "crate::jst::serde_datetime")]
    pub read_at: JstDateTime,
}

/// A parsed OQS file name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileName {
    /// The API識別ID.
    pub api: ApiId,
    /// The unique part after the id (for face results, everything after `face_`).
    pub suffix: String,
    /// For face results, what the name says.
    pub face: Option<FaceName>,
    /// `.zip` (large batch results) rather than `.xml`.
    pub zipped: bool,
}

/// A name that is not an OQS file name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileNameError {
    /// The part before the first `_` is not an API識別ID.
    #[error("「{0}」はAPI識別IDではありません (not an API id)")]
    NotAnApiId(String),
    /// No `_suffix`, or a suffix with characters other than letters, digits and `_`.
    #[error("ファイル名の形式が正しくありません: {0} (malformed file name)")]
    Malformed(String),
    /// A face-result name whose code or time cannot be read.
    #[error("顔認証結果ファイル名の形式が正しくありません: {0} (malformed face-result name)")]
    BadFaceName(String),
}

impl FileName {
    /// A request's name: `<api>_<suffix>.xml`.
    pub fn request(api: ApiId, suffix: &str) -> Result<Self, FileNameError> {
        format!("{api}_{suffix}.xml").parse()
    }

    /// The suffix onshi writes: `YYYYMMDD` + a 4-digit sequence that restarts each day.
    pub fn dated_suffix(at: JstDateTime, sequence: u16) -> String {
        format!("{}{:04}", &format_datetime(at)[..8], sequence % 10_000)
    }

    /// The name of the response to this request (`req` → `res`), or of the request of a response.
    pub fn paired(&self) -> Self {
        Self {
            api: self.api.paired(),
            ..self.clone()
        }
    }
}

impl FromStr for FileName {
    type Err = FileNameError;

    fn from_str(name: &str) -> Result<Self, FileNameError> {
        let malformed = || FileNameError::Malformed(name.to_owned());
        let (stem, zipped) = if let Some(s) = name.strip_suffix(".xml") {
            (s, false)
        } else if let Some(s) = name.strip_suffix(".zip") {
            (s, true)
        } else {
            return Err(malformed());
        };
        let (api, suffix) = stem.split_once('_').ok_or_else(malformed)?;
        let api: ApiId = api.parse()?;
        if suffix.is_empty()
            || !suffix
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(malformed());
        }
        let face = match suffix.strip_prefix("face_") {
            Some(rest) if api.to_string() == "OQSsiquc01res" => Some(face(name, rest)?),
            _ => None,
        };
        Ok(Self {
            api,
            suffix: suffix.to_owned(),
            face,
            zipped,
        })
    }
}

fn face(name: &str, rest: &str) -> Result<FaceName, FileNameError> {
    let bad = || FileNameError::BadFaceName(name.to_owned());
    let (code_and_id, time) = rest.rsplit_once('_').ok_or_else(bad)?;
    let code = code_and_id.get(..10).ok_or_else(bad)?;
    let id = &code_and_id[10..];
    if !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    Ok(FaceName {
        institution: code.parse().map_err(|_| bad())?,
        id: id.to_owned(),
        read_at: parse_datetime(time).map_err(|_| bad())?,
    })
}

impl std::fmt::Display for FileName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ext = if self.zipped { "zip" } else { "xml" };
        write!(f, "{}_{}.{ext}", self.api, self.suffix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn requests_pair_with_responses() {
        let req: FileName = "OQSsiquc01req_202611210001.xml".parse().unwrap();
        assert_eq!(req.api.known_name(), Some("資格確認要求 (OQS-IF-001)"));
        assert_eq!(req.paired().to_string(), "OQSsiquc01res_202611210001.xml");
        let res: FileName = "OQSmuquc02res_X1.zip".parse().unwrap();
        assert!(res.zipped);
        assert_eq!(
            res.api.known_name(),
            Some("資格確認一括照会結果 (OQS-IF-008)")
        );
        assert_eq!(
            FileName::dated_suffix(datetime!(2026-11-21 09:00:00), 7),
            "202611210007"
        );
    }

    #[test]
    fn face_results_name_the_institution_and_time() {
        // The checked institution code 1361234568 stands in for the sample's.
        let f: FileName = "OQSsiquc01res_face_13612345684da5260a16de5a3d3ad7_20260929160112.xml"
            .parse()
            .unwrap();
        let face = f.face.unwrap();
        assert_eq!(face.institution.as_str(), "1361234568");
        assert_eq!(face.id, "4da5260a16de5a3d3ad7");
        assert_eq!(face.read_at, datetime!(2026-09-29 16:01:12));
    }

    #[test]
    fn not_oqs_names() {
        for bad in [
            "readme.txt",
            "OQSsiquc01req.xml",
            "OQSxxquc01req_1.xml",
            "oqssiquc01req_1.xml",
            "OQSsiquc01req_a b.xml",
            "OQSsiquc01res_face_123_20260929160112.xml",
            "OQSsiquc1req_1.xml",
            "OQSsiQUC01req_1.xml",
        ] {
            assert!(bad.parse::<FileName>().is_err(), "{bad}");
        }
        assert_eq!(
            "OQSsiquc01req_1.xml"
                .parse::<FileName>()
                .unwrap()
                .to_string(),
            "OQSsiquc01req_1.xml"
        );
    }
}

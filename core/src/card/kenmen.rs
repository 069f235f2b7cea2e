//! 券面事項入力補助AP: the basic four items (基本4情報: 氏名・住所・生年月日・性別) behind their own 4-digit
//! PIN, for facilities that need them on screen (card.md §5). 資格確認 itself never needs this.
//!
//! The AP's EF 0001 holds the 個人番号; onshi never selects or reads it.

use std::fmt;

use super::error::{CardError, CardStep};
use super::jpki::{
    DerFileReader, FileHeader, LastTry, Next, Procedure, check_tries, check_verified,
    expect_selected, select_application, select_file, verify,
};
use super::layout::{KENMEN_HOJO_AID, kenmen_ef};
use super::pin::Pin;

/// 性別 as the card writes it (one ASCII digit, JIS X 0303).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// `1` 男性.
    Male,
    /// `2` 女性.
    Female,
    /// `0` unknown or `9` not applicable.
    NotStated,
}

impl Sex {
    /// Stable code for bindings and JSON: `male`, `female`, `not_stated`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Male => "male",
            Self::Female => "female",
            Self::NotStated => "not_stated",
        }
    }
}

/// The basic four as printed on the card. Personal data: Debug shows nothing of it.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BasicInfo {
    /// 氏名 (family and given names separated by U+3000).
    pub name: String,
    /// 住所 (with full-width digits).
    pub address: String,
    /// 生年月日 as the card holds it: `YYYYMMDD` (kept as text: some records carry `00` for an unknown
    /// month or day).
    pub birth_date: String,
    /// 性別.
    pub sex: Sex,
}

impl fmt::Debug for BasicInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BasicInfo(redacted)")
    }
}

/// Why the basic-four file could not be read; carries no card data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BasicInfoError {
    /// The file is not an `FF 20` template, or a length runs past its end.
    #[error("basic-four file is not a well-formed FF 20 template")]
    Structure,
    /// A required item (`DF 22`–`DF 25`) is missing.
    #[error("basic-four item DF {0:02X} is missing")]
    Missing(u8),
    /// Text that is not UTF-8, a birth date that is not 8 digits, or an unknown sex code.
    #[error("basic-four item DF {0:02X} is not valid")]
    Invalid(u8),
}

/// Reads BER TLVs with two-byte tags (`DF 2x`, `FF 20`).
fn tlvs(mut bytes: &[u8]) -> impl Iterator<Item = Result<([u8; 2], &[u8]), BasicInfoError>> {
    std::iter::from_fn(move || {
        if bytes.is_empty() {
            return None;
        }
        let parsed = (|| {
            let [t0, t1, rest @ ..] = bytes else {
                return Err(BasicInfoError::Structure);
            };
            let (len, rest) = match rest {
                [len @ 0..=0x7F, rest @ ..] => (usize::from(*len), rest),
                [0x81, len, rest @ ..] => (usize::from(*len), rest),
                [0x82, hi, lo, rest @ ..] => (usize::from(u16::from_be_bytes([*hi, *lo])), rest),
                _ => return Err(BasicInfoError::Structure),
            };
            if rest.len() < len {
                return Err(BasicInfoError::Structure);
            }
            let (value, rest) = rest.split_at(len);
            Ok((([*t0, *t1], value), rest))
        })();
        match parsed {
            Ok((item, rest)) => {
                bytes = rest;
                Some(Ok(item))
            }
            Err(e) => {
                bytes = &[];
                Some(Err(e))
            }
        }
    })
}

impl BasicInfo {
    /// Parses EF 0002: `FF 20 <len> { DF 21 offsets, DF 22 氏名, DF 23 住所, DF 24 生年月日, DF 25 性別 }`.
    pub fn parse(file: &[u8]) -> Result<Self, BasicInfoError> {
        let mut outer = tlvs(file);
        let ([0xFF, 0x20], body) = outer.next().ok_or(BasicInfoError::Structure)?? else {
            return Err(BasicInfoError::Structure);
        };
        let (mut name, mut address, mut birth, mut sex) = (None, None, None, None);
        for item in tlvs(body) {
            match item? {
                ([0xDF, 0x22], v) => name = Some(v),
                ([0xDF, 0x23], v) => address = Some(v),
                ([0xDF, 0x24], v) => birth = Some(v),
                ([0xDF, 0x25], v) => sex = Some(v),
                // DF 21 (the offset table) and anything newer are not needed.
                _ => {}
            }
        }
        let text = |v: Option<&[u8]>, tag: u8| -> Result<String, BasicInfoError> {
            let v = v.ok_or(BasicInfoError::Missing(tag))?;
            String::from_utf8(v.to_vec()).map_err(|_| BasicInfoError::Invalid(tag))
        };
        let birth_date = text(birth, 0x24)?;
        if birth_date.len() != 8 || !birth_date.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BasicInfoError::Invalid(0x24));
        }
        let sex = match sex.ok_or(BasicInfoError::Missing(0x25))? {
            b"1" => Sex::Male,
            b"2" => Sex::Female,
            b"0" | b"9" => Sex::NotStated,
            _ => return Err(BasicInfoError::Invalid(0x25)),
        };
        Ok(Self {
            name: text(name, 0x22)?,
            address: text(address, 0x23)?,
            birth_date,
            sex,
        })
    }
}

/// Reads the basic four with the 券面事項入力補助 PIN: SELECT AP, SELECT PIN EF, tries left, VERIFY, SELECT
/// EF 0002, READ BINARY until the template's length.
#[derive(Debug)]
pub struct ReadBasicInfo {
    pin: Option<Pin>,
    last_try: LastTry,
    state: u8,
    reader: DerFileReader,
}

impl ReadBasicInfo {
    /// A read with the helper AP's own PIN.
    pub fn new(pin: Pin, last_try: LastTry) -> Self {
        Self {
            pin: Some(pin),
            last_try,
            state: 0,
            reader: DerFileReader::new(),
        }
    }

    fn step(&mut self, bytes: Option<&[u8]>) -> Result<Next<BasicInfo>, CardError> {
        let malformed = |detail| CardError::Malformed {
            step: CardStep::ReadBinary,
            detail,
        };
        self.state += 1;
        Ok(match self.state {
            1 => Next::Send(select_application(&KENMEN_HOJO_AID)),
            2 => {
                // A card without the helper AP is not a マイナンバーカード for this purpose.
                expect_selected(bytes, CardStep::SelectApplication)?;
                Next::Send(select_file(kenmen_ef::PIN))
            }
            3 => {
                expect_selected(bytes, CardStep::SelectFile(kenmen_ef::PIN))?;
                Next::Send(verify(0x80, None))
            }
            4 => {
                check_tries(bytes, self.last_try)?;
                let pin = self.pin.take().ok_or(malformed("PIN already used"))?;
                Next::Send(verify(0x80, Some(&pin)))
            }
            5 => {
                check_verified(bytes)?;
                Next::Send(select_file(kenmen_ef::BASIC_INFO))
            }
            6 => {
                expect_selected(bytes, CardStep::SelectFile(kenmen_ef::BASIC_INFO))?;
                Next::Send(self.reader.first())
            }
            _ => match self.reader.feed(bytes, FileHeader::BasicInfo)? {
                Some(command) => Next::Send(command),
                None => {
                    let info = BasicInfo::parse(&self.reader.take_data())
                        .map_err(|_| malformed("basic-four file is not well formed"))?;
                    Next::Done(Ok(info))
                }
            },
        })
    }
}

impl Procedure for ReadBasicInfo {
    type Output = BasicInfo;

    fn next(&mut self, response: Option<&[u8]>) -> Next<BasicInfo> {
        self.step(response).unwrap_or_else(|e| {
            self.pin = None;
            Next::Done(Err(e))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: [u8; 2], value: &[u8]) -> Vec<u8> {
        let mut out = tag.to_vec();
        match value.len() {
            n @ 0..=0x7F => out.push(n as u8),
            n @ 0x80..=0xFF => out.extend([0x81, n as u8]),
            n => out.extend([0x82, (n >> 8) as u8, n as u8]),
        }
        out.extend_from_slice(value);
        out
    }

    fn sample(sex: &[u8]) -> Vec<u8> {
        let body = [
            tlv([0xDF, 0x21], &[0; 8]),
            tlv([0xDF, 0x22], "番号　花子".as_bytes()),
            tlv([0xDF, 0x23], "東京都千代田区霞が関１－２－２".as_bytes()),
            tlv([0xDF, 0x24], b"19500401"),
            tlv([0xDF, 0x25], sex),
        ]
        .concat();
        tlv([0xFF, 0x20], &body)
    }

    #[test]
    fn the_basic_four_are_read_from_the_template() {
        let info = BasicInfo::parse(&sample(b"2")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(info.name, "番号　花子");
        assert_eq!(info.birth_date, "19500401");
        assert_eq!(info.sex, Sex::Female);
        assert_eq!(format!("{info:?}"), "BasicInfo(redacted)");
    }

    #[test]
    fn broken_templates_are_typed_errors() {
        assert_eq!(
            BasicInfo::parse(&sample(b"7")),
            Err(BasicInfoError::Invalid(0x25))
        );
        let whole = sample(b"1");
        assert_eq!(
            BasicInfo::parse(&whole[..whole.len() - 3]),
            Err(BasicInfoError::Structure)
        );
        assert_eq!(
            BasicInfo::parse(&[0x30, 0x00]),
            Err(BasicInfoError::Structure)
        );
        assert_eq!(
            BasicInfo::parse(&tlv([0xFF, 0x20], &[])),
            Err(BasicInfoError::Missing(0x24))
        );
    }

    #[test]
    fn the_file_length_is_learnt_from_the_two_byte_tag() {
        let file = sample(b"1");
        assert_eq!(
            FileHeader::BasicInfo.total_len(&file[..4]),
            Some(file.len())
        );
    }
}

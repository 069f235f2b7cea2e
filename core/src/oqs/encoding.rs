//! 文字コード: OQS files are Shift_JIS (in practice Windows-31J / CP932) or UTF-8, as the XML
//! declaration says. Decoding and encoding go through encoding_rs; nothing is replaced silently.

use serde::Serialize;

/// The encodings the interface uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum XmlEncoding {
    /// UTF-8.
    Utf8,
    /// Shift_JIS, read and written as Windows-31J (CP932: NEC and IBM extensions such as 髙 and 﨑).
    ShiftJis,
}

impl XmlEncoding {
    /// The name written in the XML declaration.
    pub fn declaration_name(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::ShiftJis => "Shift_JIS",
        }
    }

    fn codec(self) -> &'static encoding_rs::Encoding {
        match self {
            Self::Utf8 => encoding_rs::UTF_8,
            // WHATWG's Shift_JIS is Windows-31J.
            Self::ShiftJis => encoding_rs::SHIFT_JIS,
        }
    }
}

/// A file that cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The declaration names an encoding the interface does not use.
    #[error("XML宣言の文字コード「{0}」には対応していません (unsupported encoding {0:?})")]
    Unsupported(String),
    /// Bytes that are not valid in the declared encoding.
    #[error(
        "{encoding}として読めないバイトがあります（{offset}バイト目付近） (bytes near offset {offset} are not valid {encoding})"
    )]
    Malformed {
        /// The declared encoding.
        encoding: &'static str,
        /// Byte offset of the first bad sequence.
        offset: usize,
    },
}

/// Text that cannot be written in the chosen encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("「{character}」は{encoding}で書けません (U+{code:04X} cannot be written in {encoding})")]
pub struct EncodeError {
    /// The character.
    pub character: char,
    /// Its code point.
    pub code: u32,
    /// The encoding.
    pub encoding: &'static str,
}

/// The encoding named in an XML declaration (`<?xml … encoding="…"?>`); UTF-8 when there is none.
pub(crate) fn declared(bytes: &[u8]) -> Result<XmlEncoding, DecodeError> {
    let head = &bytes[..bytes.len().min(200)];
    let Some(end) = head.windows(2).position(|w| w == b"?>") else {
        return Ok(XmlEncoding::Utf8);
    };
    let decl = String::from_utf8_lossy(&head[..end]);
    if !decl.trim_start_matches('\u{feff}').starts_with("<?xml") {
        return Ok(XmlEncoding::Utf8);
    }
    let Some(at) = decl.find("encoding") else {
        return Ok(XmlEncoding::Utf8);
    };
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .trim_start_matches('=')
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'');
    let name: String = match quote {
        Some(q) => rest[1..].chars().take_while(|c| *c != q).collect(),
        None => rest.chars().take_while(|c| !c.is_whitespace()).collect(),
    };
    match name.to_ascii_lowercase().as_str() {
        "utf-8" | "utf8" => Ok(XmlEncoding::Utf8),
        "shift_jis" | "shift-jis" | "sjis" | "x-sjis" | "windows-31j" | "cp932" | "ms932" => {
            Ok(XmlEncoding::ShiftJis)
        }
        _ => Err(DecodeError::Unsupported(name)),
    }
}

/// Decodes one piece of text (a text node of a streamed file) from `encoding`, refusing bad bytes.
pub(crate) fn decode_text(
    bytes: &[u8],
    encoding: XmlEncoding,
) -> Result<std::borrow::Cow<'_, str>, String> {
    encoding
        .codec()
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or_else(|| format!("bytes that are not valid {}", encoding.declaration_name()))
}

/// Decodes a file by its XML declaration.
pub fn decode_xml(bytes: &[u8]) -> Result<(String, XmlEncoding), DecodeError> {
    let encoding = declared(bytes)?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut decoder = encoding.codec().new_decoder_without_bom_handling();
    let mut out = String::with_capacity(body.len() * 3 / 2 + 16);
    let mut read = 0;
    loop {
        let (result, used) =
            decoder.decode_to_string_without_replacement(&body[read..], &mut out, true);
        read += used;
        match result {
            encoding_rs::DecoderResult::InputEmpty => return Ok((out, encoding)),
            encoding_rs::DecoderResult::OutputFull => out.reserve(body.len() - read + 16),
            encoding_rs::DecoderResult::Malformed(bad, after) => {
                return Err(DecodeError::Malformed {
                    encoding: encoding.declaration_name(),
                    offset: read - usize::from(bad) - usize::from(after),
                });
            }
        }
    }
}

/// Encodes text (whose declaration the caller wrote) in `encoding`; a character the encoding lacks
/// is an error naming it, never a `?`.
pub fn encode_xml(text: &str, encoding: XmlEncoding) -> Result<Vec<u8>, EncodeError> {
    if encoding == XmlEncoding::Utf8 {
        return Ok(text.as_bytes().to_vec());
    }
    let (bytes, _, had_errors) = encoding.codec().encode(text);
    if !had_errors {
        return Ok(bytes.into_owned());
    }
    let bad = text
        .chars()
        .find(|c| encoding.codec().encode(c.encode_utf8(&mut [0; 4])).2)
        .unwrap_or('\u{fffd}');
    Err(EncodeError {
        character: bad,
        code: bad as u32,
        encoding: encoding.declaration_name(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_jis_by_declaration_with_cp932_extensions() {
        let text = "<?xml version=\"1.0\" encoding=\"Shift_JIS\" standalone=\"no\"?><Name>髙橋 﨑 ｼﾝﾘｮｳ ﾀﾛｳ</Name>";
        let bytes = encode_xml(text, XmlEncoding::ShiftJis).unwrap();
        assert_ne!(bytes, text.as_bytes());
        assert_eq!(
            decode_xml(&bytes).unwrap(),
            (text.to_owned(), XmlEncoding::ShiftJis)
        );
    }

    #[test]
    fn utf8_by_default_and_declaration() {
        assert_eq!(
            decode_xml("<XmlMsg/>".as_bytes()).unwrap().1,
            XmlEncoding::Utf8
        );
        let b = "\u{feff}<?xml version='1.0' encoding='utf-8'?><a>東京</a>".as_bytes();
        assert_eq!(
            decode_xml(b).unwrap().0,
            "<?xml version='1.0' encoding='utf-8'?><a>東京</a>"
        );
    }

    #[test]
    fn bad_bytes_and_unknown_encodings_are_errors() {
        let mut b = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>".to_vec();
        b.extend([0xff, 0xfe]);
        assert!(matches!(
            decode_xml(&b),
            Err(DecodeError::Malformed { offset: 41, .. })
        ));
        let b = b"<?xml version=\"1.0\" encoding=\"EUC-JP\"?><a/>";
        assert_eq!(
            decode_xml(b),
            Err(DecodeError::Unsupported("EUC-JP".into()))
        );
    }

    #[test]
    fn characters_outside_shift_jis_are_named() {
        let e = encode_xml("<a>😀</a>", XmlEncoding::ShiftJis).unwrap_err();
        assert_eq!(e.character, '😀');
    }
}

//! APDU (ISO/IEC 7816-4 のコマンド・レスポンス): the bytes that cross to and from the card.
//!
//! onshi sends short APDUs only (card.md §3): data up to 255 bytes, Le up to 256 (written `00`).
//! [`Command::parse`] is the card's side of the same format, used by the virtual card.

use std::fmt;

/// A command APDU (コマンドAPDU), short form.
#[derive(Clone, PartialEq, Eq)]
pub struct Command {
    /// Class byte: `00`, or `80` for COMPUTE DIGITAL SIGNATURE.
    pub cla: u8,
    /// Instruction byte.
    pub ins: u8,
    /// Parameter 1.
    pub p1: u8,
    /// Parameter 2.
    pub p2: u8,
    /// Command data (at most 255 bytes).
    pub data: Vec<u8>,
    /// Expected response length (1–256); `None` when no data is expected.
    pub le: Option<u16>,
}

/// Largest data field of a short APDU.
pub const MAX_SHORT_DATA: usize = 255;
/// Largest Le of a short APDU (written as `00`).
pub const MAX_SHORT_LE: u16 = 256;

/// A command's bytes could not be read as a short APDU (card side).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// Fewer than the 4 header bytes.
    #[error("APDU shorter than its 4-byte header")]
    TooShort,
    /// Lc does not match the bytes that follow, or an extended APDU was sent.
    #[error("APDU length field does not match its data")]
    WrongLength,
}

impl Command {
    /// A command without data or Le (case 1).
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        Self {
            cla,
            ins,
            p1,
            p2,
            data: Vec::new(),
            le: None,
        }
    }

    /// The same command with a data field (at most [`MAX_SHORT_DATA`] bytes; longer data is cut, which
    /// onshi's own commands never need).
    pub fn with_data(mut self, data: &[u8]) -> Self {
        self.data = data[..data.len().min(MAX_SHORT_DATA)].to_vec();
        self
    }

    /// The same command expecting `le` bytes back (1–256; 0 is read as 256).
    pub fn with_le(mut self, le: u16) -> Self {
        self.le = Some(if le == 0 {
            MAX_SHORT_LE
        } else {
            le.min(MAX_SHORT_LE)
        });
        self
    }

    /// The bytes sent to the card.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(6 + self.data.len());
        out.extend_from_slice(&[self.cla, self.ins, self.p1, self.p2]);
        if !self.data.is_empty() {
            out.push(self.data.len() as u8);
            out.extend_from_slice(&self.data);
        }
        if let Some(le) = self.le {
            // Le 256 is written as 00 in a short APDU.
            out.push((le % 256) as u8);
        }
        out
    }

    /// Reads a short command APDU (cases 1–4), as a card does.
    pub fn parse(bytes: &[u8]) -> Result<Self, CommandError> {
        let [cla, ins, p1, p2, body @ ..] = bytes else {
            return Err(CommandError::TooShort);
        };
        let mut command = Self::new(*cla, *ins, *p1, *p2);
        match body {
            [] => {}
            // Case 2: Le only. 00 means 256.
            [le] => {
                command.le = Some(if *le == 0 {
                    MAX_SHORT_LE
                } else {
                    u16::from(*le)
                })
            }
            // Lc 00 starts an extended APDU, which onshi's cards do not take.
            [0, ..] => return Err(CommandError::WrongLength),
            [lc, rest @ ..] => {
                let lc = usize::from(*lc);
                match rest.len().checked_sub(lc) {
                    Some(0) => command.data = rest.to_vec(),
                    Some(1) => {
                        command.data = rest[..lc].to_vec();
                        let le = rest[lc];
                        command.le = Some(if le == 0 { MAX_SHORT_LE } else { u16::from(le) });
                    }
                    _ => return Err(CommandError::WrongLength),
                }
            }
        }
        Ok(command)
    }
}

impl fmt::Debug for Command {
    /// Header and lengths only: a VERIFY's data field is a PIN and must never reach a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Command({:02X} {:02X} {:02X} {:02X}, {} data bytes, le {:?})",
            self.cla,
            self.ins,
            self.p1,
            self.p2,
            self.data.len(),
            self.le
        )
    }
}

/// A status word (ステータスワード) SW1‖SW2 ending every response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatusWord(pub u16);

impl StatusWord {
    /// `90 00`: normal end.
    pub const OK: Self = Self(0x9000);
    /// `62 82`: end of file reached before Le bytes (some cards, instead of `6B 00`).
    pub const END_OF_FILE: Self = Self(0x6282);
    /// `67 00`: wrong length.
    pub const WRONG_LENGTH: Self = Self(0x6700);
    /// `69 82`: security status not satisfied (e.g. a signature without VERIFY).
    pub const SECURITY_STATUS_NOT_SATISFIED: Self = Self(0x6982);
    /// `69 84`: referenced data blocked (the PIN is locked).
    pub const BLOCKED: Self = Self(0x6984);
    /// `69 85`: conditions of use not satisfied.
    pub const CONDITIONS_NOT_SATISFIED: Self = Self(0x6985);
    /// `69 86`: command not allowed (no current EF).
    pub const COMMAND_NOT_ALLOWED: Self = Self(0x6986);
    /// `6A 82`: file or application not found.
    pub const FILE_NOT_FOUND: Self = Self(0x6A82);
    /// `6A 86`: incorrect P1-P2.
    pub const WRONG_P1P2: Self = Self(0x6A86);
    /// `6B 00`: offset outside the file.
    pub const WRONG_OFFSET: Self = Self(0x6B00);
    /// `6D 00`: instruction not supported.
    pub const INS_NOT_SUPPORTED: Self = Self(0x6D00);
    /// `6E 00`: class not supported.
    pub const CLA_NOT_SUPPORTED: Self = Self(0x6E00);

    /// SW1.
    pub fn sw1(self) -> u8 {
        (self.0 >> 8) as u8
    }

    /// SW2.
    pub fn sw2(self) -> u8 {
        self.0 as u8
    }

    /// `63 Cx`: verification failed (or, for an empty VERIFY, not yet done); x tries remain.
    pub fn tries_left(self) -> Option<u8> {
        (self.0 & 0xFFF0 == 0x63C0).then_some(self.sw2() & 0x0F)
    }

    /// A `63 Cx` status word with `tries` (0–15) remaining.
    pub fn with_tries_left(tries: u8) -> Self {
        Self(0x63C0 | u16::from(tries & 0x0F))
    }

    /// The two bytes.
    pub fn to_bytes(self) -> [u8; 2] {
        self.0.to_be_bytes()
    }
}

impl fmt::Display for StatusWord {
    /// `90 00` style, as the card references write it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02X} {:02X}", self.sw1(), self.sw2())
    }
}

/// A response APDU (レスポンスAPDU): data, then the status word.
#[derive(Clone, PartialEq, Eq)]
pub struct Response {
    /// Response data (may be empty).
    pub data: Vec<u8>,
    /// The status word.
    pub sw: StatusWord,
}

/// A response shorter than its 2-byte status word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("response of {len} bytes has no status word")]
pub struct MalformedResponse {
    /// How many bytes came back.
    pub len: usize,
}

impl Response {
    /// Splits the bytes a card returned into data and status word.
    pub fn parse(bytes: &[u8]) -> Result<Self, MalformedResponse> {
        match bytes {
            [data @ .., sw1, sw2] => Ok(Self {
                data: data.to_vec(),
                sw: StatusWord(u16::from_be_bytes([*sw1, *sw2])),
            }),
            _ => Err(MalformedResponse { len: bytes.len() }),
        }
    }

    /// A response with data and a status word (card side).
    pub fn new(data: Vec<u8>, sw: StatusWord) -> Self {
        Self { data, sw }
    }

    /// A bare status word (card side).
    pub fn status(sw: StatusWord) -> Self {
        Self {
            data: Vec::new(),
            sw,
        }
    }

    /// The bytes a card sends.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.data.clone();
        out.extend_from_slice(&self.sw.to_bytes());
        out
    }
}

impl fmt::Debug for Response {
    /// Length and status only: response data can be a certificate or personal text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Response({} data bytes, {})", self.data.len(), self.sw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_by_name_is_written_as_the_reference_gives_it() {
        let aid = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
        let bytes = Command::new(0x00, 0xA4, 0x04, 0x0C)
            .with_data(&aid)
            .to_bytes();
        assert_eq!(
            bytes,
            [
                0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00,
                0x01
            ]
        );
        assert_eq!(Command::parse(&bytes).map(|c| c.data), Ok(aid.to_vec()));
    }

    #[test]
    fn le_256_is_written_as_zero_and_read_back() {
        let bytes = Command::new(0x00, 0xB0, 0x01, 0x00).with_le(256).to_bytes();
        assert_eq!(bytes, [0x00, 0xB0, 0x01, 0x00, 0x00]);
        assert_eq!(Command::parse(&bytes).map(|c| c.le), Ok(Some(256)));
    }

    #[test]
    fn case_4_keeps_data_and_le() {
        let cmd = Command::new(0x80, 0x2A, 0x00, 0x80)
            .with_data(&[7; 51])
            .with_le(256);
        assert_eq!(Command::parse(&cmd.to_bytes()), Ok(cmd));
    }

    #[test]
    fn bad_lengths_are_refused() {
        assert_eq!(Command::parse(&[0x00, 0xA4]), Err(CommandError::TooShort));
        assert_eq!(
            Command::parse(&[0x00, 0xA4, 0x04, 0x0C, 0x05, 1, 2]),
            Err(CommandError::WrongLength)
        );
        assert_eq!(
            Command::parse(&[0x00, 0xB0, 0, 0, 0, 1, 0]),
            Err(CommandError::WrongLength)
        );
    }

    #[test]
    fn tries_are_read_from_the_low_nibble() {
        assert_eq!(StatusWord(0x63C2).tries_left(), Some(2));
        assert_eq!(StatusWord(0x63C0).tries_left(), Some(0));
        assert_eq!(StatusWord::OK.tries_left(), None);
        assert_eq!(StatusWord(0x6300).tries_left(), None);
        assert_eq!(StatusWord::with_tries_left(3), StatusWord(0x63C3));
    }

    #[test]
    fn responses_split_data_and_status() {
        let r = Response::parse(&[0x30, 0x82, 0x90, 0x00]);
        assert_eq!(r, Ok(Response::new(vec![0x30, 0x82], StatusWord::OK)));
        assert_eq!(Response::parse(&[0x90]), Err(MalformedResponse { len: 1 }));
        assert_eq!(StatusWord(0x6A82).to_string(), "6A 82");
    }

    #[test]
    fn debug_never_shows_data() {
        let verify = Command::new(0x00, 0x20, 0x00, 0x80).with_data(b"1234");
        assert!(!format!("{verify:?}").contains("31"));
    }
}

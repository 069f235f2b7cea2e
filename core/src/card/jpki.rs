//! The JPKI client (公的個人認証APの利用者証明): the APDU sequences of card.md §3, written "sans IO".
//!
//! Each procedure is a small state machine: [`Procedure::next`] takes the card's last response (none at
//! first) and returns the next command to send or the result. The host carries the bytes — [`run`] does so
//! over any [`CardTransport`]; a browser or a phone can drive the same machine asynchronously — so the
//! protocol lives here once, whatever carries it.
//!
//! Round trips (card.md §3, issue budget): [`Authenticate`] sends SELECT AP, SELECT PIN EF, an empty VERIFY
//! (tries left, so a last try is never spent unasked), VERIFY, SELECT key EF and the signature: 6 APDUs.
//! Reading the certificate adds SELECT and ⌈length / 256⌉ READ BINARY, the first of which learns the
//! length from the DER header: 6 + 1 + 6 = 13 for a certificate of up to 1,536 bytes. The published
//! real certificate (1,573 bytes) needs one more block, 14 in all.

use sha2::{Digest, Sha256};

use super::apdu::{Command, Response, StatusWord};
use super::error::{CardError, CardStep};
use super::layout::{self, JPKI_AID, jpki_ef};
use super::pin::Pin;
use super::transport::CardTransport;
use crate::flows::CertificateHolder;

/// SHA-256 DigestInfo prefix (DER): the card pads and signs `prefix ‖ hash` (card.md §3.2).
pub const SHA256_DIGEST_INFO_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// Length of an RSA-2048 signature.
pub const SIGNATURE_LEN: usize = 256;

/// The largest file READ BINARY can reach with a 15-bit offset.
const MAX_FILE_LEN: usize = 0x7FFF;

/// What a procedure wants next.
#[derive(Debug)]
pub enum Next<T> {
    /// Send this command and pass the response to [`Procedure::next`].
    Send(Command),
    /// Finished.
    Done(Result<T, CardError>),
}

/// A card procedure driven one APDU at a time.
pub trait Procedure {
    /// The result.
    type Output;

    /// The next step, given the raw response to the previous command (`None` to start).
    fn next(&mut self, response: Option<&[u8]>) -> Next<Self::Output>;
}

/// Runs a procedure to its end over a transport.
pub fn run<P: Procedure>(
    mut procedure: P,
    transport: &mut impl CardTransport,
) -> Result<P::Output, CardError> {
    let mut response: Option<Vec<u8>> = None;
    loop {
        match procedure.next(response.as_deref()) {
            Next::Done(result) => return result,
            Next::Send(command) => response = Some(transport.transmit(&command.to_bytes())?),
        }
    }
}

/// Which kind of token answered (EF 0006 label).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// The plastic マイナンバーカード (`JPKIAPICCTOKEN…`).
    Card,
    /// Android スマホ用電子証明書 (`JPKIAPGPSETOKEN`).
    Android,
    /// iPhoneのマイナンバーカード (`JPKIAPIOSTOKEN`).
    Iphone,
}

impl TokenKind {
    /// Reads the label of EF 0006 (space- or NUL-padded), matching on the prefix.
    pub fn from_label(label: &[u8]) -> Option<Self> {
        // The Android prefix is checked before the card's: neither is a prefix of the other, but keep the
        // longest-first habit for labels that share a stem.
        if label.starts_with(layout::LABEL_ANDROID.as_bytes()) {
            Some(Self::Android)
        } else if label.starts_with(layout::LABEL_IPHONE.as_bytes()) {
            Some(Self::Iphone)
        } else if label.starts_with(layout::LABEL_CARD.as_bytes()) {
            Some(Self::Card)
        } else {
            None
        }
    }

    /// Where the certificate lives, for the expiry grace rule (smartphones get none).
    pub fn holder(self) -> CertificateHolder {
        match self {
            Self::Card => CertificateHolder::Card,
            Self::Android | Self::Iphone => CertificateHolder::Smartphone,
        }
    }
}

/// The PIN counter as the card reports it without spending a try.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "tries_left")]
pub enum PinState {
    /// `63 Cx`: x tries remain (1–3).
    TriesLeft(u8),
    /// `63 C0` or `69 84`: locked.
    Locked,
    /// `90 00`: already verified in this card session (some cards answer so).
    Verified,
}

impl PinState {
    fn from_status(sw: StatusWord) -> Option<Self> {
        match sw.tries_left() {
            Some(0) => Some(Self::Locked),
            Some(n) => Some(Self::TriesLeft(n)),
            None if sw == StatusWord::BLOCKED => Some(Self::Locked),
            None if sw == StatusWord::OK => Some(Self::Verified),
            None => None,
        }
    }
}

/// What a card said before any PIN was typed: its kind and the PIN counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CardStatus {
    /// Card, Android or iPhone.
    pub token: TokenKind,
    /// The user-authentication PIN counter.
    pub pin: PinState,
}

// ---------------------------------------------------------------------------------------------------
// Shared steps

pub(crate) fn select_application(aid: &[u8]) -> Command {
    Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(aid)
}

pub(crate) fn select_file(ef: u16) -> Command {
    Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(&ef.to_be_bytes())
}

pub(crate) fn read_binary(offset: usize, le: u16) -> Command {
    Command::new(0x00, 0xB0, (offset >> 8) as u8 & 0x7F, offset as u8).with_le(le)
}

pub(crate) fn verify(pin_ef_reference: u8, pin: Option<&Pin>) -> Command {
    let command = Command::new(0x00, 0x20, 0x00, pin_ef_reference);
    match pin {
        Some(pin) => command.with_data(pin.verify_data()),
        None => command,
    }
}

fn sign(digest_info: &[u8]) -> Command {
    Command::new(0x80, 0x2A, 0x00, 0x80)
        .with_data(digest_info)
        .with_le(256)
}

/// Parses a response, turning a too-short one into a typed error.
pub(crate) fn response(bytes: Option<&[u8]>, step: CardStep) -> Result<Response, CardError> {
    let bytes = bytes.ok_or(CardError::Malformed {
        step,
        detail: "no response",
    })?;
    Response::parse(bytes).map_err(|_| CardError::Malformed {
        step,
        detail: "response without status word",
    })
}

/// Expects `90 00` from a SELECT; `6A 82` on the application means the card is not a JPKI card.
pub(crate) fn expect_selected(bytes: Option<&[u8]>, step: CardStep) -> Result<(), CardError> {
    let r = response(bytes, step)?;
    match (r.sw, step) {
        (StatusWord::OK, _) => Ok(()),
        (StatusWord::FILE_NOT_FOUND, CardStep::SelectApplication) => Err(CardError::NotJpki),
        (StatusWord::SECURITY_STATUS_NOT_SATISFIED, _) => {
            Err(CardError::SecurityStatusNotSatisfied { step })
        }
        (sw, _) => Err(CardError::UnexpectedStatus { step, sw }),
    }
}

/// Reads the answer to an empty VERIFY and decides whether the PIN may be tried: never on a locked PIN,
/// and on the last try only when the patient confirmed it.
pub(crate) fn check_tries(bytes: Option<&[u8]>, last_try: LastTry) -> Result<(), CardError> {
    let r = response(bytes, CardStep::Verify)?;
    match PinState::from_status(r.sw) {
        Some(PinState::Locked) => Err(CardError::PinLocked),
        Some(PinState::TriesLeft(1)) if last_try == LastTry::Refuse => {
            Err(CardError::LastTryNotConfirmed)
        }
        // Verified already or tries remain: VERIFY anyway, so this session proves the PIN.
        Some(_) => Ok(()),
        None => Err(CardError::UnexpectedStatus {
            step: CardStep::Verify,
            sw: r.sw,
        }),
    }
}

/// Reads the answer to a VERIFY with the PIN.
pub(crate) fn check_verified(bytes: Option<&[u8]>) -> Result<(), CardError> {
    let r = response(bytes, CardStep::Verify)?;
    match r.sw {
        StatusWord::OK => Ok(()),
        StatusWord::BLOCKED => Err(CardError::PinLocked),
        sw => Err(match sw.tries_left() {
            Some(tries_left) => CardError::WrongPin { tries_left },
            None => CardError::UnexpectedStatus {
                step: CardStep::Verify,
                sw,
            },
        }),
    }
}

/// SHA-256 DigestInfo over a challenge: what the card signs.
pub fn digest_info(challenge: &[u8]) -> [u8; 51] {
    let mut out = [0u8; 51];
    out[..19].copy_from_slice(&SHA256_DIGEST_INFO_PREFIX);
    out[19..].copy_from_slice(&Sha256::digest(challenge));
    out
}

/// Total length of a DER TLV from its first bytes (`30 82 HH LL` → 4 + 0xHHLL).
pub(crate) fn der_total_len(head: &[u8]) -> Option<usize> {
    match head {
        [_, len @ 0..=0x7F, ..] => Some(2 + usize::from(*len)),
        [_, 0x81, len, ..] => Some(3 + usize::from(*len)),
        [_, 0x82, hi, lo, ..] => Some(4 + usize::from(u16::from_be_bytes([*hi, *lo]))),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------------
// Reading a file whose length its own header gives

/// How a file announces its length in its first bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FileHeader {
    /// A DER SEQUENCE (`30 82 HH LL …`): certificates.
    DerSequence,
    /// A BER TLV with the two-byte tag `FF 20`: the 券面事項入力補助AP's basic four.
    BasicInfo,
}

impl FileHeader {
    pub(crate) fn total_len(self, head: &[u8]) -> Option<usize> {
        match self {
            Self::DerSequence => match head.first() {
                Some(0x30) => der_total_len(head),
                _ => None,
            },
            // Skip the first tag byte so the length sits where der_total_len reads it.
            Self::BasicInfo => match head {
                [0xFF, 0x20, ..] => der_total_len(&head[1..]).map(|n| n + 1),
                _ => None,
            },
        }
    }
}

/// Reads a DER file from the currently selected EF: first block of 256, then the rest.
#[derive(Debug)]
pub(crate) struct DerFileReader {
    data: Vec<u8>,
    total: Option<usize>,
}

impl DerFileReader {
    pub(crate) fn new() -> Self {
        Self {
            data: Vec::new(),
            total: None,
        }
    }

    pub(crate) fn first(&self) -> Command {
        read_binary(0, 256)
    }

    /// Feeds a READ BINARY response: the next read, or the whole file.
    /// The file read so far (all of it once [`Self::feed`] returned `None`).
    pub(crate) fn take_data(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.data)
    }

    pub(crate) fn feed(
        &mut self,
        bytes: Option<&[u8]>,
        header: FileHeader,
    ) -> Result<Option<Command>, CardError> {
        let step = CardStep::ReadBinary;
        let r = response(bytes, step)?;
        match r.sw {
            StatusWord::OK => {}
            StatusWord::SECURITY_STATUS_NOT_SATISFIED => {
                return Err(CardError::SecurityStatusNotSatisfied { step });
            }
            StatusWord::WRONG_OFFSET | StatusWord::END_OF_FILE if r.data.is_empty() => {
                return Err(CardError::Malformed {
                    step,
                    detail: "file shorter than its DER header says",
                });
            }
            StatusWord::END_OF_FILE => {}
            sw => return Err(CardError::UnexpectedStatus { step, sw }),
        }
        if r.data.is_empty() {
            return Err(CardError::Malformed {
                step,
                detail: "empty read before the end of the file",
            });
        }
        self.data.extend_from_slice(&r.data);
        let total = match self.total {
            Some(total) => total,
            None => {
                let total = header.total_len(&self.data).ok_or(CardError::Malformed {
                    step,
                    detail: "file does not start with the expected tag and length",
                })?;
                if total > MAX_FILE_LEN {
                    return Err(CardError::Malformed {
                        step,
                        detail: "DER length beyond what READ BINARY can reach",
                    });
                }
                self.total = Some(total);
                total
            }
        };
        if self.data.len() >= total {
            self.data.truncate(total);
            return Ok(None);
        }
        let remaining = total - self.data.len();
        Ok(Some(read_binary(
            self.data.len(),
            remaining.min(256) as u16,
        )))
    }
}

// ---------------------------------------------------------------------------------------------------
// Probe: kind of token and PIN counter, before the PIN is typed

/// Reads the token label and the PIN counter without spending a try (5 APDUs).
#[derive(Debug, Default)]
pub struct Probe {
    state: ProbeState,
    token: Option<TokenKind>,
}

#[derive(Debug, Default, Clone, Copy)]
enum ProbeState {
    #[default]
    Start,
    SelectAp,
    SelectToken,
    ReadLabel,
    SelectPin,
    Tries,
}

impl Probe {
    /// A new probe.
    pub fn new() -> Self {
        Self::default()
    }

    fn step(&mut self, bytes: Option<&[u8]>) -> Result<Next<CardStatus>, CardError> {
        use ProbeState as S;
        Ok(match self.state {
            S::Start => {
                self.state = S::SelectAp;
                Next::Send(select_application(&JPKI_AID))
            }
            S::SelectAp => {
                expect_selected(bytes, CardStep::SelectApplication)?;
                self.state = S::SelectToken;
                Next::Send(select_file(jpki_ef::TOKEN_INFO))
            }
            S::SelectToken => {
                expect_selected(bytes, CardStep::SelectFile(jpki_ef::TOKEN_INFO))?;
                self.state = S::ReadLabel;
                Next::Send(read_binary(0, 32))
            }
            S::ReadLabel => {
                let r = response(bytes, CardStep::ReadBinary)?;
                if r.sw != StatusWord::OK {
                    return Err(CardError::UnexpectedStatus {
                        step: CardStep::ReadBinary,
                        sw: r.sw,
                    });
                }
                self.token = Some(TokenKind::from_label(&r.data).ok_or(CardError::NotJpki)?);
                self.state = S::SelectPin;
                Next::Send(select_file(jpki_ef::AUTH_PIN))
            }
            S::SelectPin => {
                expect_selected(bytes, CardStep::SelectFile(jpki_ef::AUTH_PIN))?;
                self.state = S::Tries;
                Next::Send(verify(0x80, None))
            }
            S::Tries => {
                let r = response(bytes, CardStep::Verify)?;
                let pin = PinState::from_status(r.sw).ok_or(CardError::UnexpectedStatus {
                    step: CardStep::Verify,
                    sw: r.sw,
                })?;
                let token = self.token.ok_or(CardError::Malformed {
                    step: CardStep::ReadBinary,
                    detail: "no label",
                })?;
                Next::Done(Ok(CardStatus { token, pin }))
            }
        })
    }
}

impl Procedure for Probe {
    type Output = CardStatus;

    fn next(&mut self, response: Option<&[u8]>) -> Next<CardStatus> {
        self.step(response).unwrap_or_else(|e| Next::Done(Err(e)))
    }
}

// ---------------------------------------------------------------------------------------------------
// Authenticate: PIN, signature over a challenge, certificate

/// Whether to spend the last PIN try (the patient was warned and chose to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LastTry {
    /// Stop before VERIFY when one try is left ([`CardError::LastTryNotConfirmed`]).
    #[default]
    Refuse,
    /// The patient confirmed: try even with one left.
    Allow,
}

/// Whether the certificate must be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateRead {
    /// Read EF 000A after the signature.
    #[default]
    Read,
    /// The caller holds the certificate already and will match it by verifying the signature with it.
    Known,
}

/// The result of a PIN authentication: a signature over the challenge and, if read, the certificate.
#[derive(Clone, PartialEq, Eq)]
pub struct Authentication {
    /// RSA-2048 PKCS#1 v1.5 signature over the SHA-256 DigestInfo of the challenge.
    pub signature: Vec<u8>,
    /// The 利用者証明用電子証明書 (DER), unless it was [`CertificateRead::Known`].
    pub certificate: Option<Vec<u8>>,
}

impl std::fmt::Debug for Authentication {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authentication")
            .field("signature_len", &self.signature.len())
            .field("certificate_len", &self.certificate.as_ref().map(Vec::len))
            .finish()
    }
}

/// PIN authentication (利用者証明): VERIFY the PIN, sign the challenge, read the certificate.
#[derive(Debug)]
pub struct Authenticate {
    pin: Option<Pin>,
    digest_info: [u8; 51],
    last_try: LastTry,
    certificate: CertificateRead,
    state: AuthState,
    signature: Vec<u8>,
    reader: DerFileReader,
}

#[derive(Debug, Clone, Copy)]
enum AuthState {
    Start,
    SelectAp,
    SelectPin,
    Tries,
    Verify,
    SelectKey,
    Sign,
    SelectCert,
    ReadCert,
}

impl Authenticate {
    /// Authenticates with `pin`, signing `challenge` (the verifier's fresh nonce; hashed here with SHA-256).
    pub fn new(
        pin: Pin,
        challenge: &[u8],
        last_try: LastTry,
        certificate: CertificateRead,
    ) -> Self {
        Self {
            pin: Some(pin),
            digest_info: digest_info(challenge),
            last_try,
            certificate,
            state: AuthState::Start,
            signature: Vec::new(),
            reader: DerFileReader::new(),
        }
    }

    fn step(&mut self, bytes: Option<&[u8]>) -> Result<Next<Authentication>, CardError> {
        use AuthState as S;
        Ok(match self.state {
            S::Start => {
                self.state = S::SelectAp;
                Next::Send(select_application(&JPKI_AID))
            }
            S::SelectAp => {
                expect_selected(bytes, CardStep::SelectApplication)?;
                self.state = S::SelectPin;
                Next::Send(select_file(jpki_ef::AUTH_PIN))
            }
            S::SelectPin => {
                expect_selected(bytes, CardStep::SelectFile(jpki_ef::AUTH_PIN))?;
                self.state = S::Tries;
                Next::Send(verify(0x80, None))
            }
            S::Tries => {
                check_tries(bytes, self.last_try)?;
                // The PIN leaves this structure here, into one command, and is wiped when dropped below.
                let pin = self.pin.take().ok_or(CardError::Malformed {
                    step: CardStep::Verify,
                    detail: "PIN already used",
                })?;
                self.state = S::Verify;
                Next::Send(verify(0x80, Some(&pin)))
            }
            S::Verify => {
                check_verified(bytes)?;
                self.state = S::SelectKey;
                Next::Send(select_file(jpki_ef::AUTH_KEY))
            }
            S::SelectKey => {
                expect_selected(bytes, CardStep::SelectFile(jpki_ef::AUTH_KEY))?;
                self.state = S::Sign;
                Next::Send(sign(&self.digest_info))
            }
            S::Sign => {
                let r = response(bytes, CardStep::Sign)?;
                match r.sw {
                    StatusWord::OK if r.data.len() == SIGNATURE_LEN => self.signature = r.data,
                    StatusWord::OK => {
                        return Err(CardError::Malformed {
                            step: CardStep::Sign,
                            detail: "signature is not 256 bytes",
                        });
                    }
                    StatusWord::SECURITY_STATUS_NOT_SATISFIED => {
                        return Err(CardError::SecurityStatusNotSatisfied {
                            step: CardStep::Sign,
                        });
                    }
                    sw => {
                        return Err(CardError::UnexpectedStatus {
                            step: CardStep::Sign,
                            sw,
                        });
                    }
                }
                if self.certificate == CertificateRead::Known {
                    return Ok(Next::Done(Ok(Authentication {
                        signature: std::mem::take(&mut self.signature),
                        certificate: None,
                    })));
                }
                self.state = S::SelectCert;
                Next::Send(select_file(jpki_ef::AUTH_CERT))
            }
            S::SelectCert => {
                expect_selected(bytes, CardStep::SelectFile(jpki_ef::AUTH_CERT))?;
                self.state = S::ReadCert;
                Next::Send(self.reader.first())
            }
            S::ReadCert => match self.reader.feed(bytes, FileHeader::DerSequence)? {
                Some(command) => Next::Send(command),
                None => Next::Done(Ok(Authentication {
                    signature: std::mem::take(&mut self.signature),
                    certificate: Some(self.reader.take_data()),
                })),
            },
        })
    }
}

impl Procedure for Authenticate {
    type Output = Authentication;

    fn next(&mut self, response: Option<&[u8]>) -> Next<Authentication> {
        self.step(response).unwrap_or_else(|e| {
            self.pin = None;
            Next::Done(Err(e))
        })
    }
}

// ---------------------------------------------------------------------------------------------------
// Reading the certificate alone (no PIN on the plastic card)

/// Reads the 利用者証明用電子証明書 (EF 000A) without a PIN: free on the plastic card; a smartphone token
/// answers `69 82` until its PIN is verified in the same session.
#[derive(Debug)]
pub struct ReadCertificate {
    state: u8,
    reader: DerFileReader,
}

impl ReadCertificate {
    /// A new read.
    pub fn new() -> Self {
        Self {
            state: 0,
            reader: DerFileReader::new(),
        }
    }

    fn step(&mut self, bytes: Option<&[u8]>) -> Result<Next<Vec<u8>>, CardError> {
        Ok(match self.state {
            0 => {
                self.state = 1;
                Next::Send(select_application(&JPKI_AID))
            }
            1 => {
                expect_selected(bytes, CardStep::SelectApplication)?;
                self.state = 2;
                Next::Send(select_file(jpki_ef::AUTH_CERT))
            }
            2 => {
                expect_selected(bytes, CardStep::SelectFile(jpki_ef::AUTH_CERT))?;
                self.state = 3;
                Next::Send(self.reader.first())
            }
            _ => match self.reader.feed(bytes, FileHeader::DerSequence)? {
                Some(command) => Next::Send(command),
                None => Next::Done(Ok(self.reader.take_data())),
            },
        })
    }
}

impl Default for ReadCertificate {
    fn default() -> Self {
        Self::new()
    }
}

impl Procedure for ReadCertificate {
    type Output = Vec<u8>;

    fn next(&mut self, response: Option<&[u8]>) -> Next<Vec<u8>> {
        self.step(response).unwrap_or_else(|e| Next::Done(Err(e)))
    }
}

//! The card's applications and elementary files (APとEF) as the virtual card lays them out (card.md §2,
//! §5). Contents that nobody has published are marked as guesses where they are built.

use std::fmt;

use crate::card::jpki::TokenKind;
use crate::card::layout::{
    JPKI_AID, KENMEN_HOJO_AID, LABEL_ANDROID, LABEL_CARD_FULL, LABEL_IPHONE, jpki_ef, kenmen_ef,
};

use super::pins::PinRef;
use super::profile::{CardProfile, KenmenProfile, MAX_FILE_LEN, ProfileError};

/// An application the card answers a SELECT by AID for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Application {
    /// 公的個人認証AP.
    Jpki,
    /// 券面事項入力補助AP.
    Kenmen,
}

impl Application {
    /// The application with exactly this AID (no partial-name matching).
    pub(super) fn from_aid(aid: &[u8]) -> Option<Self> {
        if aid == JPKI_AID {
            Some(Self::Jpki)
        } else if aid == KENMEN_HOJO_AID {
            Some(Self::Kenmen)
        } else {
            None
        }
    }
}

/// One of the two private keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KeyRef {
    /// 利用者証明用秘密鍵, EF 0017.
    Auth,
    /// 署名用秘密鍵, EF 001A.
    Sign,
}

impl KeyRef {
    /// The PIN that opens the key.
    pub(super) fn pin(self) -> PinRef {
        match self {
            Self::Auth => PinRef::Auth,
            Self::Sign => PinRef::Sign,
        }
    }
}

/// What an EF is.
pub(super) enum FileKind {
    /// A transparent EF, read with READ BINARY; `guard` is the PIN that must be verified first.
    Binary {
        /// The file's bytes.
        data: Vec<u8>,
        /// `None`: free to read.
        guard: Option<PinRef>,
    },
    /// A PIN EF (VERIFY, CHANGE REFERENCE DATA).
    Pin(PinRef),
    /// A private-key EF (COMPUTE DIGITAL SIGNATURE).
    Key(KeyRef),
}

impl fmt::Debug for FileKind {
    /// Length and guard only: files hold certificates and personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Binary { data, guard } => {
                write!(f, "Binary({} bytes, guard {guard:?})", data.len())
            }
            Self::Pin(pin) => write!(f, "Pin({pin:?})"),
            Self::Key(key) => write!(f, "Key({key:?})"),
        }
    }
}

/// The EFs of one application, by 2-byte file id.
#[derive(Debug, Default)]
pub(super) struct Files(Vec<(u16, FileKind)>);

impl Files {
    /// The EF with this id.
    pub(super) fn get(&self, id: u16) -> Option<&FileKind> {
        self.0
            .iter()
            .find(|(ef, _)| *ef == id)
            .map(|(_, kind)| kind)
    }

    fn add(&mut self, id: u16, kind: FileKind) {
        self.0.push((id, kind));
    }
}

/// The JPKI AP's EFs. Without a signing certificate (a child under 15) EF 0001, 0002, 001A and 001B do
/// not exist: a guess, since no published source describes such a card's files.
pub(super) fn jpki_files(profile: &CardProfile) -> Files {
    let mut files = Files::default();
    let free = |data: &[u8]| FileKind::Binary {
        data: data.to_vec(),
        guard: None,
    };
    if let Some(signing) = &profile.signing {
        files.add(
            jpki_ef::SIGN_CERT,
            FileKind::Binary {
                data: signing.certificate.clone(),
                guard: Some(PinRef::Sign),
            },
        );
        files.add(jpki_ef::SIGN_CA_CERT, free(&signing.ca_certificate));
        files.add(jpki_ef::SIGN_KEY, FileKind::Key(KeyRef::Sign));
        files.add(jpki_ef::SIGN_PIN, FileKind::Pin(PinRef::Sign));
    }
    files.add(jpki_ef::TOKEN_INFO, free(&token_info(profile.token)));
    files.add(
        jpki_ef::CERT_PRESENCE,
        free(&cert_presence(profile.signing.is_some())),
    );
    // A smartphone token opens the certificate only after its PIN (card.md §2, §6).
    let auth_guard = match profile.token {
        TokenKind::Card => None,
        TokenKind::Android | TokenKind::Iphone => Some(PinRef::Auth),
    };
    files.add(
        jpki_ef::AUTH_CERT,
        FileKind::Binary {
            data: profile.auth_certificate.clone(),
            guard: auth_guard,
        },
    );
    files.add(jpki_ef::AUTH_CA_CERT, free(&profile.auth_ca_certificate));
    files.add(jpki_ef::AUTH_KEY, FileKind::Key(KeyRef::Auth));
    files.add(jpki_ef::AUTH_PIN, FileKind::Pin(PinRef::Auth));
    files
}

/// The 券面事項入力補助AP's EFs: the PIN, the basic four and the 個人番号, both behind the PIN.
pub(super) fn kenmen_files(kenmen: &KenmenProfile) -> Result<Files, ProfileError> {
    let mut files = Files::default();
    files.add(
        kenmen_ef::MY_NUMBER,
        FileKind::Binary {
            data: fake_my_number(),
            guard: Some(PinRef::Kenmen),
        },
    );
    files.add(
        kenmen_ef::BASIC_INFO,
        FileKind::Binary {
            data: basic_four(kenmen)?,
            guard: Some(PinRef::Kenmen),
        },
    );
    files.add(kenmen_ef::PIN, FileKind::Pin(PinRef::Kenmen));
    Ok(files)
}

/// EF 0006: the 32-byte label padded with spaces. What real cards hold after the label is not published,
/// so the file ends there.
fn token_info(token: TokenKind) -> Vec<u8> {
    let label = match token {
        TokenKind::Card => LABEL_CARD_FULL,
        TokenKind::Android => LABEL_ANDROID,
        TokenKind::Iphone => LABEL_IPHONE,
    };
    let mut info = label.as_bytes().to_vec();
    info.resize(32, b' ');
    info
}

/// EF 0008: `8F 8F 00` with both certificates (card.md §2, L). Without a signing certificate the card
/// holds `8F 00 00`: a guess that the first byte stands for the user-authentication certificate.
fn cert_presence(signing: bool) -> Vec<u8> {
    if signing {
        vec![0x8F, 0x8F, 0x00]
    } else {
        vec![0x8F, 0x00, 0x00]
    }
}

/// EF 0001 of the helper AP: a clearly fake 個人番号 (twelve zeros, which no person is given) in a
/// 3-byte TLV header (`FF 10 0C`, a guess). onshi never reads it.
fn fake_my_number() -> Vec<u8> {
    let mut file = vec![0xFF, 0x10, 0x0C];
    file.extend_from_slice(b"000000000000");
    file
}

/// EF 0002 of the helper AP (card.md §5): `FF 20 <len> { DF 21 offsets, DF 22 氏名, DF 23 住所,
/// DF 24 生年月日, DF 25 性別 }`. The offset table's meaning is not published; here it holds the four
/// items' offsets (big-endian u16) from the start of the template's value — a guess.
pub(super) fn basic_four(kenmen: &KenmenProfile) -> Result<Vec<u8>, ProfileError> {
    let items = [
        tlv([0xDF, 0x22], kenmen.name.as_bytes()),
        tlv([0xDF, 0x23], kenmen.address.as_bytes()),
        tlv([0xDF, 0x24], kenmen.birth_date.as_bytes()),
        tlv([0xDF, 0x25], &[kenmen.sex]),
    ];
    // The offset table is itself DF 21 08 + 8 bytes.
    let mut offset = 11;
    let mut table = Vec::with_capacity(8);
    for item in &items {
        let at = u16::try_from(offset).map_err(|_| ProfileError::BasicFourTooLong)?;
        table.extend_from_slice(&at.to_be_bytes());
        offset += item.len();
    }
    let mut body = tlv([0xDF, 0x21], &table);
    for item in &items {
        body.extend_from_slice(item);
    }
    let file = tlv([0xFF, 0x20], &body);
    if file.len() > MAX_FILE_LEN {
        return Err(ProfileError::BasicFourTooLong);
    }
    Ok(file)
}

/// A BER TLV with a two-byte tag and the shortest length form.
fn tlv(tag: [u8; 2], value: &[u8]) -> Vec<u8> {
    let mut out = tag.to_vec();
    match value.len() {
        n @ 0..=0x7F => out.push(n as u8),
        n @ 0x80..=0xFF => out.extend_from_slice(&[0x81, n as u8]),
        n => {
            // Longer values are refused by the caller's file-size check; saturate rather than wrap.
            let n = u16::try_from(n).unwrap_or(u16::MAX);
            out.push(0x82);
            out.extend_from_slice(&n.to_be_bytes());
        }
    }
    out.extend_from_slice(value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::pin::Pin;

    fn kenmen(name: &str, address: &str) -> KenmenProfile {
        KenmenProfile {
            pin: Pin::new("5678").unwrap_or_else(|e| panic!("{e}")),
            name: name.to_owned(),
            address: address.to_owned(),
            birth_date: "19800115".to_owned(),
            sex: b'1',
        }
    }

    #[test]
    fn the_basic_four_template_is_laid_out_with_offsets() {
        let file = basic_four(&kenmen("番号　太郎", "東京都")).unwrap_or_else(|e| panic!("{e}"));
        let name = "番号　太郎".as_bytes();
        let address = "東京都".as_bytes();
        let mut expected = vec![0xFF, 0x20];
        let body_len = 11 + (3 + name.len()) + (3 + address.len()) + (3 + 8) + (3 + 1);
        expected.push(body_len as u8);
        let at_name = 11u16;
        let at_address = at_name + 3 + name.len() as u16;
        let at_birth = at_address + 3 + address.len() as u16;
        let at_sex = at_birth + 11;
        expected.extend_from_slice(&[0xDF, 0x21, 0x08]);
        for at in [at_name, at_address, at_birth, at_sex] {
            expected.extend_from_slice(&at.to_be_bytes());
        }
        expected.extend_from_slice(&[0xDF, 0x22, name.len() as u8]);
        expected.extend_from_slice(name);
        expected.extend_from_slice(&[0xDF, 0x23, address.len() as u8]);
        expected.extend_from_slice(address);
        expected.extend_from_slice(&[0xDF, 0x24, 0x08]);
        expected.extend_from_slice(b"19800115");
        expected.extend_from_slice(&[0xDF, 0x25, 0x01, b'1']);
        assert_eq!(file, expected);
        // The offsets point at the items' tags.
        assert_eq!(file[3 + usize::from(at_sex)..][..2], [0xDF, 0x25]);
    }

    #[test]
    fn long_items_take_the_long_length_forms() {
        let address = "あ".repeat(60); // 180 bytes: 81 B4
        let file = basic_four(&kenmen("番号　太郎", &address)).unwrap_or_else(|e| panic!("{e}"));
        // 11 + 18 + 183 + 11 + 4 = 227 bytes of value: 81 E3.
        assert_eq!(file[..3], [0xFF, 0x20, 0x81]);
        assert_eq!(usize::from(file[3]), file.len() - 4);
        let long = "あ".repeat(100); // 300 bytes: 82 01 2C
        let file = basic_four(&kenmen(&long, &long)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(file[..3], [0xFF, 0x20, 0x82]);
        assert_eq!(
            usize::from(u16::from_be_bytes([file[3], file[4]])),
            file.len() - 5
        );
        let tlv_name = tlv([0xDF, 0x22], long.as_bytes());
        assert_eq!(tlv_name[..5], [0xDF, 0x22, 0x82, 0x01, 0x2C]);
    }

    #[test]
    fn labels_fill_32_bytes_with_spaces() {
        let info = token_info(TokenKind::Card);
        assert_eq!(info.len(), 32);
        assert!(info.starts_with(b"JPKIAPICCTOKEN2 "));
        assert!(info[15..].iter().all(|b| *b == b' '));
        assert!(token_info(TokenKind::Android).starts_with(b"JPKIAPGPSETOKEN "));
        assert!(token_info(TokenKind::Iphone).starts_with(b"JPKIAPIOSTOKEN  "));
    }
}

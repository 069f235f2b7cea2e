//! The instructions the card carries out (コマンド処理): SELECT, READ BINARY, VERIFY, CHANGE REFERENCE DATA
//! and COMPUTE DIGITAL SIGNATURE. The answers to undocumented cases are listed in the module above.

use rsa::Pkcs1v15Sign;
use rsa::traits::PublicKeyParts;
use zeroize::Zeroize;

use crate::card::apdu::{Command, Response, StatusWord};

use super::files::{Application, FileKind, Files, KeyRef};
use super::pins::{PinRef, Verification};
use super::{EmptyVerifyAnswer, Session, VirtualCard};

const INS_SELECT: u8 = 0xA4;
const INS_READ_BINARY: u8 = 0xB0;
const INS_VERIFY: u8 = 0x20;
const INS_CHANGE_REFERENCE_DATA: u8 = 0x24;
const INS_COMPUTE_SIGNATURE: u8 = 0x2A;

/// `6A 80`: incorrect data (a new PIN that breaks its rule).
const WRONG_DATA: StatusWord = StatusWord(0x6A80);
/// `6F 00`: no precise diagnosis (the RSA operation failed).
const NO_DIAGNOSIS: StatusWord = StatusWord(0x6F00);

/// PKCS#1 v1.5 type-1 padding takes at least 11 bytes of the modulus.
const PKCS1_PADDING_MIN: usize = 11;

fn status(sw: StatusWord) -> Response {
    Response::status(sw)
}

impl VirtualCard {
    /// Answers one command APDU, whatever its bytes.
    pub(super) fn respond(&mut self, bytes: &[u8]) -> Response {
        let Ok(mut command) = Command::parse(bytes) else {
            return status(StatusWord::WRONG_LENGTH);
        };
        let response = match (command.cla, command.ins) {
            (0x00, INS_SELECT) => self.select(&command),
            (0x00, INS_READ_BINARY) => self.read_binary(&command),
            (0x00, INS_VERIFY) => self.verify(&command),
            (0x00, INS_CHANGE_REFERENCE_DATA) => self.change_reference_data(&command),
            (0x80, INS_COMPUTE_SIGNATURE) => self.sign(&command),
            (
                0x00 | 0x80,
                INS_SELECT
                | INS_READ_BINARY
                | INS_VERIFY
                | INS_CHANGE_REFERENCE_DATA
                | INS_COMPUTE_SIGNATURE,
            ) => status(StatusWord::CLA_NOT_SUPPORTED),
            (0x00 | 0x80, _) => status(StatusWord::INS_NOT_SUPPORTED),
            _ => status(StatusWord::CLA_NOT_SUPPORTED),
        };
        // A VERIFY or CHANGE REFERENCE DATA carried a PIN: leave no copy behind.
        command.data.zeroize();
        response
    }

    fn files(&self) -> Option<&Files> {
        match self.session.application? {
            Application::Jpki => Some(&self.jpki),
            Application::Kenmen => self.kenmen.as_ref(),
        }
    }

    fn current_file(&self) -> Option<&FileKind> {
        self.files()?.get(self.session.current_ef?)
    }

    fn current_pin(&self) -> Option<PinRef> {
        match self.current_file()? {
            FileKind::Pin(pin) => Some(*pin),
            _ => None,
        }
    }

    fn select(&mut self, command: &Command) -> Response {
        if !matches!(command.p2, 0x0C | 0x00) {
            return status(StatusWord::WRONG_P1P2);
        }
        match command.p1 {
            // By DF name (AID): exact match only.
            0x04 => {
                let found = Application::from_aid(&command.data).filter(|app| match app {
                    Application::Jpki => true,
                    Application::Kenmen => self.kenmen.is_some(),
                });
                match found {
                    Some(application) => {
                        self.session = Session {
                            application: Some(application),
                            ..Session::default()
                        };
                        status(StatusWord::OK)
                    }
                    None => status(StatusWord::FILE_NOT_FOUND),
                }
            }
            // An EF under the current application.
            0x02 => {
                let Ok(id) = <[u8; 2]>::try_from(command.data.as_slice()) else {
                    return status(StatusWord::WRONG_LENGTH);
                };
                let id = u16::from_be_bytes(id);
                if self.files().and_then(|files| files.get(id)).is_some() {
                    self.session.current_ef = Some(id);
                    status(StatusWord::OK)
                } else {
                    status(StatusWord::FILE_NOT_FOUND)
                }
            }
            // MF, 3F00 or by file id: the card has no MF to offer.
            0x00 => status(StatusWord::FILE_NOT_FOUND),
            _ => status(StatusWord::WRONG_P1P2),
        }
    }

    fn read_binary(&self, command: &Command) -> Response {
        if command.p1 & 0x80 != 0 {
            return status(StatusWord::WRONG_P1P2);
        }
        let Some(le) = command.le.filter(|_| command.data.is_empty()) else {
            return status(StatusWord::WRONG_LENGTH);
        };
        let Some(FileKind::Binary { data, guard }) = self.current_file() else {
            return status(StatusWord::COMMAND_NOT_ALLOWED);
        };
        if guard.is_some_and(|pin| !self.session.is_verified(pin)) {
            return status(StatusWord::SECURITY_STATUS_NOT_SATISFIED);
        }
        let offset = usize::from(u16::from_be_bytes([command.p1, command.p2]));
        match data.get(offset..) {
            Some(rest) if !rest.is_empty() => {
                let n = rest.len().min(usize::from(le));
                Response::new(rest[..n].to_vec(), StatusWord::OK)
            }
            _ => status(StatusWord::WRONG_OFFSET),
        }
    }

    fn verify(&mut self, command: &Command) -> Response {
        if (command.p1, command.p2) != (0x00, 0x80) {
            return status(StatusWord::WRONG_P1P2);
        }
        let Some(pin_ref) = self.current_pin() else {
            return status(StatusWord::COMMAND_NOT_ALLOWED);
        };
        let verified = self.session.is_verified(pin_ref);
        let ok_when_verified = self.empty_verify == EmptyVerifyAnswer::OkWhenVerified;
        let Some(pin) = self.pin_mut(pin_ref) else {
            return status(StatusWord::COMMAND_NOT_ALLOWED);
        };
        if command.data.is_empty() {
            // The tries-left query: spends nothing.
            return match pin.tries_left() {
                0 => status(StatusWord::with_tries_left(0)),
                _ if verified && ok_when_verified => status(StatusWord::OK),
                n => status(StatusWord::with_tries_left(n)),
            };
        }
        match pin.verify(&command.data) {
            Verification::Verified => {
                self.session.set_verified(pin_ref, true);
                status(StatusWord::OK)
            }
            Verification::Wrong(tries_left) => {
                self.session.set_verified(pin_ref, false);
                status(StatusWord::with_tries_left(tries_left))
            }
            Verification::Blocked => status(StatusWord::BLOCKED),
        }
    }

    fn change_reference_data(&mut self, command: &Command) -> Response {
        if (command.p1, command.p2) != (0x01, 0x80) {
            return status(StatusWord::WRONG_P1P2);
        }
        if command.data.is_empty() {
            return status(StatusWord::WRONG_LENGTH);
        }
        let Some(pin_ref) = self.current_pin() else {
            return status(StatusWord::COMMAND_NOT_ALLOWED);
        };
        let verified = self.session.is_verified(pin_ref);
        let Some(pin) = self.pin_mut(pin_ref) else {
            return status(StatusWord::COMMAND_NOT_ALLOWED);
        };
        if pin.tries_left() == 0 {
            status(StatusWord::BLOCKED)
        } else if !verified {
            status(StatusWord::SECURITY_STATUS_NOT_SATISFIED)
        } else if pin.change(&command.data) {
            status(StatusWord::OK)
        } else {
            status(WRONG_DATA)
        }
    }

    fn sign(&self, command: &Command) -> Response {
        if (command.p1, command.p2) != (0x00, 0x80) {
            return status(StatusWord::WRONG_P1P2);
        }
        let Some(FileKind::Key(key_ref)) = self.current_file() else {
            return status(StatusWord::COMMAND_NOT_ALLOWED);
        };
        if !self.session.is_verified(key_ref.pin()) {
            return status(StatusWord::SECURITY_STATUS_NOT_SATISFIED);
        }
        let key = match key_ref {
            KeyRef::Auth => Some(&self.auth_key),
            KeyRef::Sign => self.sign_key.as_ref(),
        };
        let Some(key) = key else {
            return status(StatusWord::COMMAND_NOT_ALLOWED);
        };
        let room = key.size().saturating_sub(PKCS1_PADDING_MIN);
        if command.data.is_empty() || command.data.len() > room {
            return status(StatusWord::WRONG_LENGTH);
        }
        match key.sign(Pkcs1v15Sign::new_unprefixed(), &command.data) {
            Ok(signature) => Response::new(signature, StatusWord::OK),
            Err(_) => status(NO_DIAGNOSIS),
        }
    }
}

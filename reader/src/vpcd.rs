//! The virtual reader bridge (仮想カードリーダー): connects a software card to vpcd, the PC/SC driver
//! of vsmartcard, so pcscd shows it in the reader `Virtual PCD 00 00` like a card in a real reader.
//!
//! vpcd's protocol (card.md §8): TCP, every message a 2-byte big-endian length and a payload. vpcd
//! speaks first. A 1-byte payload is a control message — `00` power off, `01` power on, `02` reset,
//! `04` get ATR (the only one answered) — anything longer is a command APDU, answered with one response
//! APDU. vpcd 0.8 writes length and payload in two `send()` calls, so with delayed ACKs every APDU
//! would wait ≈ 40 ms: the card re-arms `TCP_QUICKACK` after every read (toolchain.md §6).

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use onshi_core::card::transport::CardTransport;
use onshi_core::card::virtual_card::VirtualCard;

/// vpcd's first slot (`Virtual PCD 00 00`): port 0x8C7B.
pub const DEFAULT_PORT: u16 = 35963;

/// A card that can sit in the virtual reader.
pub trait InsertedCard: Send {
    /// The answer to reset.
    fn atr(&self) -> Vec<u8>;
    /// Power off, on or reset: the card forgets its session (selection, verified PINs).
    fn power_cycle(&mut self);
    /// Answers one command APDU.
    fn answer(&mut self, command: &[u8]) -> Vec<u8>;
}

impl InsertedCard for VirtualCard {
    fn atr(&self) -> Vec<u8> {
        VirtualCard::atr(self).to_vec()
    }

    fn power_cycle(&mut self) {
        self.reset();
    }

    fn answer(&mut self, command: &[u8]) -> Vec<u8> {
        // Status word 6F 00 (no precise diagnosis) stands for a card that cannot answer at all.
        self.transmit(command).unwrap_or_else(|_| vec![0x6F, 0x00])
    }
}

/// Connects to vpcd at `addr`, retrying until `deadline` (pcscd may still be starting).
pub fn connect(addr: SocketAddr, deadline: Duration) -> io::Result<TcpStream> {
    let until = Instant::now() + deadline;
    loop {
        match TcpStream::connect(addr) {
            Ok(stream) => return Ok(stream),
            Err(e) if Instant::now() >= until => return Err(e),
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

fn read_message(stream: &mut TcpStream, stop: &AtomicBool) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 2];
    // Poll so that `stop` is noticed while vpcd is quiet.
    loop {
        match stream.read_exact(&mut len) {
            Ok(()) => break,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                if stop.load(Ordering::Relaxed) {
                    return Ok(None);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
    }
    // Re-arm after every read, the length's too: vpcd sends the payload only once the length is ACKed.
    socket2::SockRef::from(&*stream).set_tcp_quickack(true)?;
    let mut payload = vec![0u8; usize::from(u16::from_be_bytes(len))];
    stream.read_exact(&mut payload)?;
    socket2::SockRef::from(&*stream).set_tcp_quickack(true)?;
    Ok(Some(payload))
}

fn write_message(stream: &mut TcpStream, payload: &[u8]) -> io::Result<()> {
    let len = u16::try_from(payload.len())
        .map_err(|_| io::Error::other("response longer than 65535 bytes"))?;
    let mut message = Vec::with_capacity(payload.len() + 2);
    message.extend_from_slice(&len.to_be_bytes());
    message.extend_from_slice(payload);
    stream.write_all(&message)
}

/// Serves `card` to vpcd over `stream` until vpcd closes the connection or `stop` is set.
pub fn serve(
    mut stream: TcpStream,
    card: &mut impl InsertedCard,
    stop: &AtomicBool,
) -> io::Result<()> {
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(Duration::from_millis(100)))?;
    socket2::SockRef::from(&stream).set_tcp_quickack(true)?;
    while let Some(payload) = read_message(&mut stream, stop)? {
        match payload.as_slice() {
            [0x00] | [0x01] | [0x02] => card.power_cycle(),
            [0x04] => write_message(&mut stream, &card.atr())?,
            // Unknown control bytes are ignored, as vpcd expects no answer to them.
            [_] => {}
            command => write_message(&mut stream, &card.answer(command))?,
        }
    }
    Ok(())
}

//! カード読み取り in the page: onshi-core's JPKI procedures run here, and each APDU travels through
//! the reader bridge (カードリーダー中継, `/bridge/v1/…` of the onshi-server on the machine the reader
//! is attached to). The PIN is inside one VERIFY command to the card; it never goes to the central
//! service.

use onshi_core::card::CardError;
use onshi_core::card::host::{from_hex, to_hex};
use onshi_core::card::jpki::{Next, Procedure};
use onshi_core::card::transport::TransportError;
use serde::Deserialize;
use zeroize::Zeroize;

use crate::api::{self, ApiError};

/// Where the reader bridge answers: the same origin as the page, unless this browser was pointed at
/// another (a standalone `onshi-server bridge` on the nurse's laptop) with `?bridge=http://127.0.0.1:8765`.
fn bridge_base() -> String {
    const KEY: &str = "onshi.bridge";
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    let from_query = crate::prefs::query_param("bridge")
        .filter(|b| b.starts_with("http://127.0.0.1:") || b.starts_with("http://localhost:"));
    if let (Some(b), Some(s)) = (&from_query, &storage) {
        let _ = s.set_item(KEY, b);
    }
    let base = from_query
        .or_else(|| storage.and_then(|s| s.get_item(KEY).ok().flatten()))
        .unwrap_or_default();
    format!("{}/bridge/v1", base.trim_end_matches('/'))
}

/// A reader the bridge sees.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReaderInfo {
    /// The reader's name (`Virtual PCD 00 00`, `SONY FeliCa Port/PaSoRi 4.0`, …).
    pub name: String,
    /// Whether a card is on it now.
    pub card: bool,
}

/// What the bridge says about the readers.
#[derive(Debug, Clone, PartialEq)]
pub enum Readers {
    /// No bridge answers here: a phone or a PC without onshi's bridge. The app hand-off is the way.
    NoBridge,
    /// The bridge answers; these readers are connected (possibly none).
    Found(Vec<ReaderInfo>),
}

/// Asks the bridge for its readers.
pub async fn readers() -> Result<Readers, ApiError> {
    #[derive(Deserialize)]
    struct List {
        readers: Vec<ReaderInfo>,
    }
    let answer = match api::send(
        "GET",
        &format!("{}/readers", bridge_base()),
        None,
        None,
        &[],
    )
    .await
    {
        Ok(a) => a,
        Err(e) if e.is_network() => return Ok(Readers::NoBridge),
        Err(e) => return Err(e),
    };
    // A page served without a bridge gets the app's own index page (or 404) for this path.
    if answer.status == 404 || answer.json::<serde_json::Value>().is_err() {
        return Ok(Readers::NoBridge);
    }
    answer.json::<List>().map(|l| Readers::Found(l.readers))
}

/// The readers with a card on them, by name.
pub fn with_card(readers: &[ReaderInfo]) -> Vec<String> {
    readers
        .iter()
        .filter(|r| r.card)
        .map(|r| r.name.clone())
        .collect()
}

/// An exclusive connection to the card in one reader, through the bridge.
#[derive(Debug)]
pub struct Connection {
    url: String,
}

impl Connection {
    /// Connects to the card in `reader`.
    pub async fn open(reader: &str) -> Result<Self, CardError> {
        #[derive(Deserialize)]
        struct Opened {
            connection: String,
        }
        let base = bridge_base();
        let opened: Opened = api::post(
            &format!("{base}/connections"),
            &serde_json::json!({ "reader": reader }),
        )
        .await
        .map_err(transport_error)?;
        Ok(Self {
            url: format!("{base}/connections/{}", opened.connection),
        })
    }

    /// Carries one APDU. The command's hex text is wiped once sent (it may be the VERIFY with the PIN).
    async fn transmit(&self, command: Vec<u8>) -> Result<Vec<u8>, TransportError> {
        #[derive(Deserialize)]
        struct Answered {
            response: String,
        }
        let mut command = command;
        let mut body = serde_json::json!({ "command": to_hex(&command) }).to_string();
        command.zeroize();
        let answer = api::send(
            "POST",
            &format!("{}/apdu", self.url),
            Some(body.as_bytes()),
            Some("application/json"),
            &[],
        )
        .await;
        body.zeroize();
        let answered: Answered =
            answer
                .and_then(|a| a.json())
                .map_err(|e| match transport_error(e) {
                    CardError::Transport(t) => t,
                    other => TransportError::Failed(other.code().to_owned()),
                })?;
        from_hex(&answered.response)
            .ok_or_else(|| TransportError::Failed("BRIDGE_ANSWER_UNREADABLE".to_owned()))
    }

    /// Runs a procedure to its end, one APDU per round trip to the bridge.
    pub async fn run<P: Procedure>(&self, mut procedure: P) -> Result<P::Output, CardError> {
        let mut response: Option<Vec<u8>> = None;
        loop {
            match procedure.next(response.as_deref()) {
                Next::Done(result) => return result,
                Next::Send(command) => {
                    response = Some(self.transmit(command.to_bytes()).await?);
                }
            }
        }
    }

    /// Releases the card (the bridge also lets it go after two idle minutes).
    pub async fn close(self) {
        let _ = api::send("DELETE", &self.url, None, None, &[]).await;
    }
}

/// The bridge's refusals as the card transport's errors, so the person sees one kind of message.
fn transport_error(e: ApiError) -> CardError {
    CardError::Transport(match e.code.as_str() {
        "BRIDGE_CARD_REMOVED" | "BRIDGE_CONNECTION_UNKNOWN" => TransportError::CardRemoved,
        "BRIDGE_NO_CARD" => TransportError::NoCard,
        code => TransportError::Failed(code.to_owned()),
    })
}

//! カードとの接続 (card connections): each connection owns one held card on a thread of its own,
//! which carries the page's APDUs in order and releases the card on DELETE, after the idle limit, or
//! when the card leaves the reader. The card stays powered between APDUs, so the security state a
//! VERIFY earned holds for the next command — and for no other connection.
//!
//! Command bytes arrive and leave as [`Zeroizing`] buffers: wiped once transmitted (a VERIFY carries
//! the PIN), never logged.

use std::collections::HashMap;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

use tokio::sync::oneshot;
use zeroize::Zeroizing;

use super::backend::ReaderBackend;
use super::error::BridgeError;
use crate::error::ApiError;

/// How long a connection may go unused before its card is released.
pub const IDLE_LIMIT: Duration = Duration::from_secs(120);

type Answer = Result<Zeroizing<Vec<u8>>, BridgeError>;

enum Job {
    Transmit(Zeroizing<Vec<u8>>, oneshot::Sender<Answer>),
    Close(oneshot::Sender<()>),
}

type Table = Mutex<HashMap<String, mpsc::Sender<Job>>>;

fn lock(table: &Table) -> MutexGuard<'_, HashMap<String, mpsc::Sender<Job>>> {
    table.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The open connections.
pub struct Connections {
    table: Arc<Table>,
    idle: Duration,
}

impl Connections {
    /// No connections yet; each will close after `idle` without use.
    pub fn new(idle: Duration) -> Self {
        Self {
            table: Arc::default(),
            idle,
        }
    }

    /// Holds the card in `reader` on a new thread and returns the connection's id and the card's ATR.
    pub async fn open(
        &self,
        backend: Arc<dyn ReaderBackend>,
        reader: String,
    ) -> Result<(String, Vec<u8>), ApiError> {
        let id = crate::keys::random_id().map_err(ApiError::internal)?;
        let (jobs, inbox) = mpsc::channel();
        let (ready, held) = oneshot::channel();
        lock(&self.table).insert(id.clone(), jobs);
        let worker = Worker {
            id: id.clone(),
            table: Arc::downgrade(&self.table),
            idle: self.idle,
        };
        let spawned = std::thread::Builder::new()
            .name("onshi-bridge-card".to_owned())
            .spawn(move || worker.run(backend.as_ref(), &reader, inbox, ready));
        if let Err(e) = spawned {
            lock(&self.table).remove(&id);
            return Err(ApiError::internal(format_args!("bridge thread: {e}")));
        }
        match held.await {
            Ok(Ok(atr)) => Ok((id, atr)),
            Ok(Err(e)) => Err(e.into()),
            Err(_) => Err(ApiError::internal(
                "bridge thread ended before the card was held",
            )),
        }
    }

    /// Sends `command` to the connection's card and returns its response.
    pub async fn transmit(&self, id: &str, command: Zeroizing<Vec<u8>>) -> Answer {
        let jobs = self.sender(id)?;
        let (reply, answer) = oneshot::channel();
        // A send that fails hands the job back, and the command is wiped with it.
        jobs.send(Job::Transmit(command, reply))
            .map_err(|_| BridgeError::ConnectionUnknown)?;
        answer.await.map_err(|_| BridgeError::ConnectionUnknown)?
    }

    /// Closes the connection; returns once the card is released.
    pub async fn close(&self, id: &str) -> Result<(), BridgeError> {
        let jobs = lock(&self.table)
            .remove(id)
            .ok_or(BridgeError::ConnectionUnknown)?;
        let (done, released) = oneshot::channel();
        // Either fails only when the thread ended meanwhile (idle, card removed), having released
        // the card before dropping its inbox.
        if jobs.send(Job::Close(done)).is_ok() {
            let _ = released.await;
        }
        Ok(())
    }

    /// How many connections are open.
    pub fn len(&self) -> usize {
        lock(&self.table).len()
    }

    /// Whether no connection is open.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn sender(&self, id: &str) -> Result<mpsc::Sender<Job>, BridgeError> {
        lock(&self.table)
            .get(id)
            .cloned()
            .ok_or(BridgeError::ConnectionUnknown)
    }
}

/// The thread of one connection.
struct Worker {
    id: String,
    /// Weak: when the bridge goes, its senders go, and every worker ends and releases its card.
    table: Weak<Table>,
    idle: Duration,
}

impl Worker {
    fn run(
        self,
        backend: &dyn ReaderBackend,
        reader: &str,
        inbox: mpsc::Receiver<Job>,
        ready: oneshot::Sender<Result<Vec<u8>, BridgeError>>,
    ) {
        let mut held = match backend.hold(reader) {
            Ok(held) => held,
            Err(e) => {
                self.forget();
                let _ = ready.send(Err(e));
                return;
            }
        };
        if ready.send(Ok(held.atr.clone())).is_err() {
            // The request went away before the card was held: nobody knows this id.
            self.forget();
            return;
        }
        loop {
            match inbox.recv_timeout(self.idle) {
                Ok(Job::Transmit(command, reply)) => {
                    let answer = held
                        .card
                        .transmit(&command)
                        .map(Zeroizing::new)
                        .map_err(BridgeError::from);
                    drop(command);
                    let ended = answer.is_err();
                    let _ = reply.send(answer);
                    if ended {
                        // The card left or the reader failed: this handle is of no more use.
                        break;
                    }
                }
                Ok(Job::Close(done)) => {
                    drop(held);
                    let _ = done.send(());
                    return;
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        // Forgotten first, so no request reaches a card being released.
        self.forget();
        drop(held);
    }

    fn forget(&self) {
        if let Some(table) = self.table.upgrade() {
            lock(&table).remove(&self.id);
        }
    }
}

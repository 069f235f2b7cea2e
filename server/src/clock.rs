//! 時計 (clock): the service's idea of now, in JST. Rules in core take time as a value; the service
//! reads it here, so tests can set it to the second.

use std::sync::Mutex;

use onshi_core::jst::JstDateTime;

/// Where the service reads the current JST time.
pub trait Clock: Send + Sync + 'static {
    /// Now, as JST wall-clock time.
    fn now(&self) -> JstDateTime;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> JstDateTime {
        let offset = time::UtcOffset::from_hms(9, 0, 0).unwrap_or(time::UtcOffset::UTC);
        let t = time::OffsetDateTime::now_utc().to_offset(offset);
        JstDateTime::new(t.date(), t.time())
    }
}

/// A clock tests set and move by hand.
#[derive(Debug)]
pub struct FixedClock(Mutex<JstDateTime>);

impl FixedClock {
    /// A clock standing at `t`.
    pub fn new(t: JstDateTime) -> Self {
        Self(Mutex::new(t))
    }

    /// Moves the clock to `t`.
    pub fn set(&self, t: JstDateTime) {
        if let Ok(mut g) = self.0.lock() {
            *g = t;
        }
    }

    /// Moves the clock on by `d`.
    pub fn advance(&self, d: time::Duration) {
        if let Ok(mut g) = self.0.lock() {
            *g += d;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> JstDateTime {
        self.0.lock().map(|g| *g).unwrap_or(JstDateTime::MIN)
    }
}

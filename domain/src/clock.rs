//! Time, as the domain reads it: the system's in production, one a test moves by hand, so that
//! caches, rate limits and session lifetimes are tested without waiting.

use std::fmt;
use std::time::Instant;

use chrono::{DateTime, Utc};

/// Where the domain reads the time.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Monotonic time, for durations (cache ages, rate limits).
    fn now(&self) -> Instant;
    /// Wall-clock time, for what is stored (session ends).
    fn utc(&self) -> DateTime<Utc>;
}

/// The system's clocks.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn utc(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that runs like the system's, plus whatever a test has advanced it by. For tests only.
#[cfg(feature = "test-support")]
#[derive(Debug, Default)]
pub struct ManualClock {
    advanced: std::sync::Mutex<std::time::Duration>,
}

#[cfg(feature = "test-support")]
impl ManualClock {
    /// Moves this clock `by` into the future.
    pub fn advance(&self, by: std::time::Duration) {
        let mut advanced = self.advanced.lock().unwrap_or_else(|e| e.into_inner());
        *advanced += by;
    }

    fn advanced(&self) -> std::time::Duration {
        *self.advanced.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(feature = "test-support")]
impl Clock for ManualClock {
    fn now(&self) -> Instant {
        Instant::now() + self.advanced()
    }

    fn utc(&self) -> DateTime<Utc> {
        let advanced = chrono::Duration::from_std(self.advanced()).unwrap_or(chrono::Duration::MAX);
        Utc::now() + advanced
    }
}

#[cfg(all(test, feature = "test-support"))]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_manual_clock_moves_when_told() {
        let clock = ManualClock::default();
        let (before, before_utc) = (clock.now(), clock.utc());
        clock.advance(Duration::from_secs(3600));
        assert!(clock.now() >= before + Duration::from_secs(3600));
        assert!(clock.utc() >= before_utc + chrono::Duration::hours(1));
    }
}

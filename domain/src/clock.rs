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

/// A clock that runs like the system's, plus whatever a test has advanced it by; or, made with
/// [`ManualClock::stopped_at`], whose wall-clock time stands still; or, made with
/// [`ManualClock::frozen`], whose times both stand still. For tests only.
#[cfg(feature = "test-support")]
#[derive(Debug, Default)]
pub struct ManualClock {
    advanced: std::sync::Mutex<std::time::Duration>,
    /// Where the wall-clock time stands, when it does not run.
    stopped_at: Option<DateTime<Utc>>,
    /// Where the monotonic time stands, when it does not run.
    frozen_at: Option<Instant>,
}

#[cfg(feature = "test-support")]
impl ManualClock {
    /// A clock whose wall-clock time stands at `at` (plus what it is advanced by), so that tests
    /// can assert the times Meet writes; its monotonic time runs as the system's.
    pub fn stopped_at(at: DateTime<Utc>) -> Self {
        Self {
            stopped_at: Some(at),
            ..Self::default()
        }
    }

    /// A clock whose wall-clock and monotonic times both stand where they are now, and move only
    /// when advanced: rate limits and cache ages then depend on nothing but the test, however
    /// slow the machine.
    pub fn frozen() -> Self {
        Self {
            stopped_at: Some(Utc::now()),
            frozen_at: Some(Instant::now()),
            ..Self::default()
        }
    }

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
        self.frozen_at.unwrap_or_else(Instant::now) + self.advanced()
    }

    fn utc(&self) -> DateTime<Utc> {
        let advanced = chrono::Duration::from_std(self.advanced()).unwrap_or(chrono::Duration::MAX);
        self.stopped_at.unwrap_or_else(Utc::now) + advanced
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

    #[test]
    fn a_stopped_clock_stands_still_until_advanced() {
        let at = DateTime::parse_from_rfc3339("2026-03-01T09:30:00.123456Z")
            .expect("time")
            .with_timezone(&Utc);
        let clock = ManualClock::stopped_at(at);
        assert_eq!(clock.utc(), at);
        assert_eq!(clock.utc(), at);
        clock.advance(Duration::from_secs(60));
        assert_eq!(clock.utc(), at + chrono::Duration::minutes(1));
    }

    #[test]
    fn a_frozen_clock_stands_still_on_both_clocks_until_advanced() {
        let clock = ManualClock::frozen();
        let (before, before_utc) = (clock.now(), clock.utc());
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(clock.now(), before);
        assert_eq!(clock.utc(), before_utc);
        clock.advance(Duration::from_secs(3));
        assert_eq!(clock.now(), before + Duration::from_secs(3));
        assert_eq!(clock.utc(), before_utc + chrono::Duration::seconds(3));
    }
}

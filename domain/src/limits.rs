//! Rate limits per key (a user, say), so that one person cannot flood Meet with writes: the
//! generic cell rate algorithm, a token bucket kept as a single instant per key. Kept in memory,
//! per Meet instance: a deployment of `n` instances lets a user do `n` times as much, which still
//! bounds them.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How much may be done: `burst` at once, then one every `interval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub burst: u32,
    pub interval: Duration,
}

/// Rooms a user may create: 20 at once, then 20 a minute.
pub const ROOM_CREATION: RateLimit = RateLimit {
    burst: 20,
    interval: Duration::from_secs(3),
};

/// Requests to enter a room through its lobby, per user or per guest: La Suite Meet's
/// `request_entry` throttle, 150 a minute (a waiting page asks once a second).
pub const REQUEST_ENTRY: RateLimit = RateLimit {
    burst: 150,
    interval: Duration::from_millis(400),
};

impl RateLimit {
    /// A rate written as Django REST framework's throttles are (`REQUEST_ENTRY_THROTTLE_RATES`):
    /// `<count>/<period>`, the period's first letter saying which (`s`econd, `m`inute, `h`our,
    /// `d`ay): `count` at once, then `count` per period.
    pub fn parse(rate: &str) -> Result<Self, String> {
        let invalid = || format!("{rate:?} is not a rate like 150/minute");
        let (count, period) = rate.trim().split_once('/').ok_or_else(invalid)?;
        let count: u32 = count.trim().parse().map_err(|_| invalid())?;
        let seconds = match period.trim().chars().next() {
            Some('s') => 1,
            Some('m') => 60,
            Some('h') => 3600,
            Some('d') => 86_400,
            _ => return Err(invalid()),
        };
        if count == 0 {
            return Err(format!(
                "{rate:?} allows nothing: the count must be at least 1"
            ));
        }
        Ok(Self {
            burst: count,
            interval: Duration::from_secs(seconds) / count,
        })
    }
}

/// Past this many keys, keys whose bucket is full again are forgotten.
const MAX_KEYS: usize = 100_000;

/// A [`RateLimit`] applied to each key on its own.
#[derive(Debug)]
pub struct RateLimiter<K> {
    limit: RateLimit,
    /// When each key's bucket is full again (GCRA's "theoretical arrival time").
    full_at: Mutex<HashMap<K, Instant>>,
}

impl<K: Eq + Hash> RateLimiter<K> {
    pub fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            full_at: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one from `key`'s bucket at `now`; `Err(wait)` when it is empty, with how long until
    /// one more is allowed.
    pub fn check(&self, key: K, now: Instant) -> Result<(), Duration> {
        let interval = self.limit.interval;
        let tolerance = interval.saturating_mul(self.limit.burst.saturating_sub(1));
        let mut full_at = self
            .full_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if full_at.len() >= MAX_KEYS {
            full_at.retain(|_, at| *at > now);
        }
        let at = full_at.get(&key).copied().map_or(now, |at| at.max(now));
        let ahead = at - now;
        if ahead > tolerance {
            return Err(ahead - tolerance);
        }
        full_at.insert(key, at + interval);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: RateLimit = RateLimit {
        burst: 3,
        interval: Duration::from_secs(10),
    };

    #[test]
    fn a_burst_then_one_per_interval() {
        let limiter = RateLimiter::new(LIMIT);
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check("alice", start), Ok(()));
        }
        assert_eq!(limiter.check("alice", start), Err(Duration::from_secs(10)));
        let later = start + Duration::from_secs(4);
        assert_eq!(limiter.check("alice", later), Err(Duration::from_secs(6)));
        let refilled = start + Duration::from_secs(10);
        assert_eq!(limiter.check("alice", refilled), Ok(()));
        assert!(limiter.check("alice", refilled).is_err());
    }

    #[test]
    fn rates_read_as_django_writes_them() {
        assert_eq!(RateLimit::parse("150/minute"), Ok(REQUEST_ENTRY));
        assert_eq!(
            RateLimit::parse(" 2/s"),
            Ok(RateLimit {
                burst: 2,
                interval: Duration::from_millis(500)
            })
        );
        assert_eq!(
            RateLimit::parse("3/hour").map(|rate| rate.interval),
            Ok(Duration::from_secs(1200))
        );
        for bad in [
            "", "150", "x/minute", "150/week", "0/minute", "-1/m", "150/",
        ] {
            assert!(RateLimit::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn keys_are_limited_apart() {
        let limiter = RateLimiter::new(LIMIT);
        let now = Instant::now();
        for _ in 0..3 {
            limiter.check("alice", now).expect("alice's burst");
        }
        assert!(limiter.check("alice", now).is_err());
        assert_eq!(
            limiter.check("bob", now),
            Ok(()),
            "bob is not slowed by alice"
        );
    }

    #[test]
    fn an_idle_key_gets_its_whole_burst_back() {
        let limiter = RateLimiter::new(LIMIT);
        let now = Instant::now();
        for _ in 0..3 {
            limiter.check("alice", now).expect("burst");
        }
        let much_later = now + Duration::from_secs(3600);
        for _ in 0..3 {
            assert_eq!(limiter.check("alice", much_later), Ok(()));
        }
        assert!(limiter.check("alice", much_later).is_err());
    }
}

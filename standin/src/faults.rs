//! Fault injection, borrowed from LiveKit's own test server: a delay before every Twirp answer,
//! an "unavailable" switch, and one-shot errors queued per method.

use std::{
    collections::{HashMap, VecDeque},
    time::Duration,
};

use crate::error::TwirpError;

/// The faults currently configured.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    delay: Duration,
    unavailable: bool,
    queued: HashMap<String, VecDeque<TwirpError>>,
}

impl Faults {
    /// Delays every Twirp answer by `delay` (zero for none).
    pub(crate) fn set_delay(&mut self, delay: Duration) {
        self.delay = delay;
    }

    /// The delay before every Twirp answer.
    pub(crate) fn delay(&self) -> Duration {
        self.delay
    }

    /// While on, every authorised call answers 503 `unavailable`.
    pub(crate) fn set_unavailable(&mut self, unavailable: bool) {
        self.unavailable = unavailable;
    }

    /// Queues `error` for the next call of `method`; several queue up in order.
    pub(crate) fn fail_next(&mut self, method: &str, error: TwirpError) {
        self.queued
            .entry(method.to_owned())
            .or_default()
            .push_back(error);
    }

    /// The error the current call of `method` must answer, if any, consuming a queued one.
    pub(crate) fn take(&mut self, method: &str) -> Option<TwirpError> {
        if self.unavailable {
            return Some(TwirpError::unavailable());
        }
        self.queued.get_mut(method).and_then(VecDeque::pop_front)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queued_errors_fire_once_and_only_for_their_method() {
        let mut faults = Faults::default();
        faults.fail_next("CreateRoom", TwirpError::new(500, "internal", "boom"));
        assert!(faults.take("ListRooms").is_none());
        assert_eq!(faults.take("CreateRoom").unwrap().code, "internal");
        assert!(faults.take("CreateRoom").is_none());
        faults.set_unavailable(true);
        assert_eq!(faults.take("ListRooms").unwrap().status.as_u16(), 503);
    }
}

//! Identifiers and clocks: LiveKit-style sids (`RM_`, `PA_`, `TR_`, `EV_` + 12 base62 characters)
//! and the current time in the units the protocol uses.

use std::time::{SystemTime, UNIX_EPOCH};

use rand::{Rng, distr::Alphanumeric};

/// Length of the random part of a LiveKit sid.
const SID_RANDOM_LEN: usize = 12;

/// A new sid: `prefix` followed by 12 random base62 characters, as the server makes them.
pub(crate) fn new_sid(prefix: &str) -> String {
    let random: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(SID_RANDOM_LEN)
        .map(char::from)
        .collect();
    format!("{prefix}{random}")
}

/// A random base62 string of `len` characters (TURN passwords and the like).
pub(crate) fn random_string(len: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// Now, in milliseconds since the Unix epoch (0 if the clock is before 1970).
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

/// Now, in whole seconds since the Unix epoch.
pub(crate) fn now_s() -> i64 {
    now_ms() / 1000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sids_have_the_prefix_and_twelve_base62_characters() {
        let sid = new_sid("RM_");
        assert_eq!(sid.len(), 15);
        assert!(sid.starts_with("RM_"));
        assert!(sid[3..].chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(new_sid("RM_"), sid);
    }
}

//! Keys for one purpose each, derived from a deployment secret (the LiveKit API secret, which
//! every Meet instance of a deployment shares): HMAC-SHA256(secret, label). A key for one purpose
//! tells nothing about another's.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The HMAC-SHA256 key for `label`, derived from `secret`.
pub fn derive(secret: &[u8], label: &[u8]) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(label);
    let key = mac.finalize().into_bytes();
    <Hmac<Sha256> as Mac>::new_from_slice(&key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"))
}

/// Whether `given` is `expected` (a token), compared in time that depends on their lengths
/// only, never on where they differ.
pub fn same(given: &[u8], expected: &[u8]) -> bool {
    let differ = given
        .iter()
        .zip(expected)
        .fold(u8::from(given.len() != expected.len()), |differ, (a, b)| {
            differ | (a ^ b)
        });
    differ == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(mut mac: Hmac<Sha256>) -> Vec<u8> {
        mac.update(b"message");
        mac.finalize().into_bytes().to_vec()
    }

    #[test]
    fn tokens_are_compared_whole() {
        assert!(same(b"token", b"token"));
        assert!(same(b"", b""));
        assert!(!same(b"token", b"tokem"));
        assert!(!same(b"tok", b"token"));
        assert!(!same(b"token!", b"token"));
        assert!(!same(b"", b"token"));
    }

    #[test]
    fn each_label_and_secret_gives_its_own_key() {
        let base = tag(derive(b"secret", b"a"));
        assert_eq!(base, tag(derive(b"secret", b"a")));
        assert_ne!(base, tag(derive(b"secret", b"b")));
        assert_ne!(base, tag(derive(b"other", b"a")));
    }
}

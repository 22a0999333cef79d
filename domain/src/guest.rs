//! Guests' LiveKit identity: a random id that Meet issues and signs, which the edge keeps in the
//! guest's browser (a cookie) so that a reload (or the lobby) keeps the same participant.
//!
//! Only ids Meet issued are accepted back: the cookie carries the id with an HMAC-SHA256 tag, so a
//! guest cannot choose an identity (another guest's, seen in a meeting, or a user's `sub`) and make
//! LiveKit drop its holder from the meeting. The key is derived from the LiveKit API secret, which
//! every Meet instance of a deployment shares and which already allows minting any token.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

/// Length of a cookie value: the id (32 hex digits), a dot, the tag (43 base64url characters).
const VALUE_LEN: usize = 32 + 1 + 43;

/// A guest identity Meet issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestId {
    id: Uuid,
    cookie_value: String,
}

impl GuestId {
    /// The id.
    pub fn id(&self) -> Uuid {
        self.id
    }

    /// The LiveKit identity: the id, hyphenated, as La Suite Meet writes it.
    pub fn identity(&self) -> String {
        self.id.hyphenated().to_string()
    }

    /// What the guest's browser keeps: the id and its tag.
    pub fn cookie_value(&self) -> &str {
        &self.cookie_value
    }
}

/// Issues guest identities and recognises the ones it issued.
#[derive(Clone)]
pub struct GuestIds {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for GuestIds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GuestIds(***)")
    }
}

impl GuestIds {
    /// Identities signed with a key derived from `secret` (the LiveKit API secret).
    pub fn new(secret: &[u8]) -> Self {
        Self {
            mac: crate::keys::derive(secret, b"meet guest identity v1"),
        }
    }

    /// A new identity, from the thread's CSPRNG.
    pub fn issue(&self) -> GuestId {
        let bytes: [u8; 16] = rand::random();
        let id = uuid::Builder::from_random_bytes(bytes).into_uuid();
        let tag = URL_SAFE_NO_PAD.encode(self.tag(id));
        GuestId {
            id,
            cookie_value: format!("{}.{tag}", id.simple()),
        }
    }

    /// The identity in a cookie value, when Meet issued it; `None` for anything else (including
    /// the bare UUIDs of La Suite Meet's cookie, which nobody vouches for).
    pub fn verify(&self, value: &str) -> Option<GuestId> {
        if value.len() != VALUE_LEN {
            return None;
        }
        let (id_text, tag_text) = value.split_once('.')?;
        let id = Uuid::try_parse(id_text).ok()?;
        // One spelling only: the lowercase simple form this module writes.
        if id.simple().to_string() != id_text {
            return None;
        }
        let tag = URL_SAFE_NO_PAD.decode(tag_text).ok()?;
        let mut mac = self.mac.clone();
        mac.update(id.as_bytes());
        mac.verify_slice(&tag).ok()?;
        Some(GuestId {
            id,
            cookie_value: value.to_owned(),
        })
    }

    fn tag(&self, id: Uuid) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(id.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_issued_identities_are_recognised() {
        let guests = GuestIds::new(b"secret");
        let issued = guests.issue();
        assert_eq!(issued.cookie_value().len(), VALUE_LEN);
        let again = guests.verify(issued.cookie_value()).expect("recognised");
        assert_eq!(again, issued);
        assert_eq!(again.identity(), issued.id().hyphenated().to_string());

        // Another deployment's key, a chosen id, a bare UUID, a tampered tag or id.
        assert_eq!(GuestIds::new(b"other").verify(issued.cookie_value()), None);
        let chosen = Uuid::new_v4();
        assert_eq!(guests.verify(&chosen.to_string()), None);
        let (id, tag) = issued.cookie_value().split_once('.').expect("dot");
        assert_eq!(guests.verify(&format!("{}.{tag}", chosen.simple())), None);
        let mut flipped = tag.to_owned().into_bytes();
        flipped[0] = if flipped[0] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(flipped).expect("ASCII");
        assert_eq!(guests.verify(&format!("{id}.{flipped}")), None);
        assert_eq!(guests.verify(&format!("{}.{tag}", id.to_uppercase())), None);
        assert_eq!(guests.verify(""), None);
        assert_eq!(guests.verify(&"a".repeat(10_000)), None);
    }
}

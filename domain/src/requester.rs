//! Who is asking: a logged-in user, a guest with an identity Meet issued earlier, or a visitor
//! with neither. Resolved once per request at the edge (from the session and the guest cookie)
//! and passed to every operation, which checks it before doing anything.

use std::sync::{Arc, Mutex, PoisonError};

use crate::error::DomainError;
use crate::guest::GuestId;
use crate::users::User;

/// Who is asking.
#[derive(Debug, Clone, Default)]
pub struct Requester {
    /// The logged-in user, if any.
    pub user: Option<Arc<User>>,
    /// The guest identity this browser holds, verified, if any.
    pub guest: Option<GuestId>,
    /// A guest identity issued while answering, for the edge to hand back (in a cookie).
    issued: IssuedGuest,
}

impl Requester {
    /// A logged-in user.
    pub fn user(user: &User) -> Self {
        Self::new(Some(Arc::new(user.clone())), None)
    }

    /// A logged-in user (or a visitor), with the guest identity their browser holds.
    pub fn new(user: Option<Arc<User>>, guest: Option<GuestId>) -> Self {
        Self {
            user,
            guest,
            issued: IssuedGuest::default(),
        }
    }

    /// The logged-in user, or [`DomainError::Unauthenticated`].
    pub fn require_user(&self) -> Result<&User, DomainError> {
        self.user.as_deref().ok_or(DomainError::Unauthenticated)
    }

    /// The guest identity issued while answering this requester, to give back to their browser.
    pub fn issued_guest(&self) -> Option<GuestId> {
        self.issued.get()
    }

    /// Records a guest identity issued for this requester.
    pub(crate) fn issue_guest(&self, guest: GuestId) {
        self.issued.set(guest);
    }
}

/// A guest identity issued during a request, shared by the clones of its [`Requester`] (the
/// edge keeps one to read it back once the request is answered).
#[derive(Debug, Clone, Default)]
struct IssuedGuest(Arc<Mutex<Option<GuestId>>>);

impl IssuedGuest {
    fn get(&self) -> Option<GuestId> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn set(&self, guest: GuestId) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(guest);
    }
}

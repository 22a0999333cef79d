//! What the browser may know about the person using it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A logged-in user, as shown in the interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: Uuid,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub short_name: Option<String>,
}

impl UserView {
    /// The best name to show: full name, else short name, else email, else "Account".
    pub fn display_name(&self) -> &str {
        [&self.full_name, &self.short_name, &self.email]
            .into_iter()
            .flatten()
            .map(|name| name.trim())
            .find(|name| !name.is_empty())
            .unwrap_or("Account")
    }
}

/// Who is asking, as the interface shows them: a logged-in user or a visitor, and whether
/// logging in is possible on this server.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RequesterView {
    pub user: Option<UserView>,
    pub login_enabled: bool,
    /// Whether visitors may meet in rooms that exist only by their address
    /// (`ALLOW_UNREGISTERED_ROOMS`).
    pub unregistered_rooms: bool,
    /// Whether they may pick the name others see in a meeting: visitors always, logged-in people
    /// when `AUTHENTICATED_PARTICIPANTS_CAN_EDIT_DISPLAY_NAME`.
    pub can_choose_name: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(full: Option<&str>, short: Option<&str>, email: Option<&str>) -> UserView {
        UserView {
            id: Uuid::nil(),
            email: email.map(Into::into),
            full_name: full.map(Into::into),
            short_name: short.map(Into::into),
        }
    }

    #[test]
    fn the_display_name_falls_back_in_order() {
        assert_eq!(
            user(Some("Alice Martin"), Some("Alice"), None).display_name(),
            "Alice Martin"
        );
        assert_eq!(
            user(Some("  "), Some("Alice"), None).display_name(),
            "Alice"
        );
        assert_eq!(
            user(None, None, Some("a@example.org")).display_name(),
            "a@example.org"
        );
        assert_eq!(user(None, None, None).display_name(), "Account");
    }
}

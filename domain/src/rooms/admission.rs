//! Who enters a room directly, and who waits in the lobby for a host: La Suite Meet's rules.

use meet_types::{AccessLevel, Role};

/// Whether someone enters directly: anyone in a public room; anyone logged in in a trusted
/// room; in a restricted room, only people with a role in it. Everyone else goes through the
/// lobby.
pub fn enters_directly(level: AccessLevel, authenticated: bool, role: Option<Role>) -> bool {
    match level {
        AccessLevel::Public => true,
        AccessLevel::Trusted => authenticated || role.is_some(),
        AccessLevel::Restricted => role.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrix_of_the_original() {
        use AccessLevel::*;
        for role in [
            None,
            Some(Role::Member),
            Some(Role::Administrator),
            Some(Role::Owner),
        ] {
            let authenticated = role.is_some();
            assert!(enters_directly(Public, authenticated, role));
            assert_eq!(enters_directly(Trusted, authenticated, role), authenticated);
            assert_eq!(
                enters_directly(Restricted, authenticated, role),
                role.is_some()
            );
        }
        assert!(enters_directly(Public, false, None));
        assert!(!enters_directly(Trusted, false, None));
        assert!(enters_directly(Trusted, true, None));
        assert!(!enters_directly(Restricted, true, None));
    }
}

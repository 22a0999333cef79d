//! Participants acting on themselves with their LiveKit token: which rooms a token is good for,
//! raising a hand, renaming oneself. On SQLite and PostgreSQL (rooms are looked up in the store).

#![expect(clippy::expect_used, reason = "test helpers fail the test loudly")]

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use chrono::{DateTime, Utc};
use meet_domain::clock::ManualClock;
use meet_domain::livekit::caller::{self, Caller};
use meet_domain::livekit::rooms::ParticipantChanges;
use meet_domain::livekit::token::{self, Participant};
use meet_domain::notifier::Notifier;
use meet_domain::participants::{self, HAND_RAISED_AT};
use meet_domain::per_backend;
use meet_domain::testing::{
    FakeLiveKit, ParticipantUpdate, TestDatabase, registered_room, room_settings, user,
};
use meet_domain::{DomainError, Services};
use meet_types::AccessLevel;

/// When the tests' clock stands.
fn noon() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T12:00:00.250Z")
        .expect("time")
        .with_timezone(&Utc)
}

/// Services whose clock stands at [`noon`], with the fake LiveKit they call. (Their notifier
/// stays in the process: one listening on PostgreSQL could still be connecting when the test
/// ends, and hold up dropping the test's database until the server gives up on it.)
fn stopped_services(database: &TestDatabase) -> (Services, Arc<FakeLiveKit>) {
    let livekit = Arc::new(FakeLiveKit::default());
    let services = Services::builder(database.store.clone(), room_settings(), livekit.clone())
        .clock(Arc::new(ManualClock::stopped_at(noon())))
        .notifier(Notifier::in_process())
        .build();
    (services, livekit)
}

/// A token Meet mints for `identity` to join the LiveKit room `room`.
fn token_for(services: &Services, room: &str, identity: &str) -> String {
    let participant = Participant {
        identity: identity.to_owned(),
        name: "Alice".to_owned(),
        role: None,
        is_authenticated: false,
    };
    token::mint(&services.settings.token, room, &participant, None)
        .expect("token")
        .token
}

per_backend!(
    a_token_is_good_for_its_room_by_any_of_its_addresses,
    |database: TestDatabase| async move {
        let (services, _) = stopped_services(&database);
        let owner = user(&database.store, "owner").await;
        let room =
            registered_room(&database.store, &owner, "Weekly sync", AccessLevel::Public).await;
        let other = registered_room(&database.store, &owner, "Other", AccessLevel::Public).await;
        let token = token_for(&services, &room.livekit_name(), "guest-1");
        for key in [
            room.id.to_string(),
            "weekly-sync".to_owned(),
            "Weekly Sync".to_owned(),
        ] {
            let caller = caller::in_room(&services, &token, &key)
                .await
                .expect("caller");
            assert_eq!(caller.identity, "guest-1");
            assert_eq!(caller.room, room.livekit_name());
        }
        // An unregistered meeting: its code is its LiveKit room.
        let code = token_for(&services, "abc-defg-hij", "guest-2");
        let caller = caller::in_room(&services, &code, "ABCDEFGHIJ")
            .await
            .expect("caller");
        assert_eq!(caller.room, "abc-defg-hij");

        let refused = caller::in_room(&services, &token, &other.id.to_string()).await;
        assert!(
            matches!(refused, Err(DomainError::Forbidden(_))),
            "{refused:?}"
        );
        let refused = caller::in_room(&services, &token, "abc-defg-hij").await;
        assert!(
            matches!(refused, Err(DomainError::Forbidden(_))),
            "{refused:?}"
        );
        let refused = caller::in_room(&services, &token, "no-such-room").await;
        assert!(matches!(refused, Err(DomainError::NotFound)), "{refused:?}");
        let refused = caller::in_room(&services, &token, "%%%").await;
        assert!(matches!(refused, Err(DomainError::NotFound)), "{refused:?}");
        // The token is checked first: without one, nothing is learnt of the room.
        let refused = caller::in_room(&services, "not.a.token", "no-such-room").await;
        assert!(
            matches!(refused, Err(DomainError::InvalidToken)),
            "{refused:?}"
        );
    }
);

per_backend!(
    unregistered_meetings_need_the_deployment_to_allow_them,
    |database: TestDatabase| async move {
        let mut settings = room_settings();
        settings.allow_unregistered_rooms = false;
        let services = Services::builder(
            database.store.clone(),
            settings,
            Arc::new(FakeLiveKit::default()),
        )
        .notifier(Notifier::in_process())
        .build();
        let token = token_for(&services, "abc-defg-hij", "guest-1");
        let refused = caller::in_room(&services, &token, "abc-defg-hij").await;
        assert!(matches!(refused, Err(DomainError::NotFound)), "{refused:?}");
    }
);

fn alice_in(room: &str) -> Caller {
    Caller {
        identity: "alice".to_owned(),
        room: room.to_owned(),
        name: "Alice".to_owned(),
        room_admin: false,
        authenticated: true,
    }
}

fn attributes(value: &str) -> Option<HashMap<String, String>> {
    Some(HashMap::from([(
        HAND_RAISED_AT.to_owned(),
        value.to_owned(),
    )]))
}

per_backend!(
    hands_are_raised_at_the_clock_time_and_lowered_empty,
    |database: TestDatabase| async move {
        let (services, livekit) = stopped_services(&database);
        livekit.connect("room-a", "alice");
        let alice = alice_in("room-a");
        participants::toggle_hand(&services, &alice, true)
            .await
            .expect("raised");
        participants::toggle_hand(&services, &alice, false)
            .await
            .expect("lowered");
        let update = |value: &str| ParticipantUpdate {
            room: "room-a".to_owned(),
            identity: "alice".to_owned(),
            changes: ParticipantChanges {
                attributes: attributes(value),
                ..ParticipantChanges::default()
            },
        };
        assert_eq!(
            livekit.updates(),
            [update("2026-03-01T12:00:00.250000+00:00"), update("")]
        );
        assert_eq!(
            participants::hand_raised_at(noon()),
            "2026-03-01T12:00:00.250000+00:00"
        );
    }
);

per_backend!(
    renaming_sets_the_trimmed_name,
    |database: TestDatabase| async move {
        let (services, livekit) = stopped_services(&database);
        livekit.connect("room-a", "alice");
        let name = participants::rename(&services, &alice_in("room-a"), "  Alice B.  ")
            .await
            .expect("renamed");
        assert_eq!(name, "Alice B.");
        assert_eq!(
            livekit.updates(),
            [ParticipantUpdate {
                room: "room-a".to_owned(),
                identity: "alice".to_owned(),
                changes: ParticipantChanges {
                    name: Some("Alice B.".to_owned()),
                    ..ParticipantChanges::default()
                },
            }]
        );
    }
);

per_backend!(
    refusals_change_nothing,
    |database: TestDatabase| async move {
        let (services, livekit) = stopped_services(&database);
        livekit.connect("room-a", "alice");
        let alice = alice_in("room-a");
        for bad in ["", "   ", "Alice\u{7}"] {
            let refused = participants::rename(&services, &alice, bad).await;
            assert!(
                matches!(refused, Err(DomainError::Invalid(_))),
                "{refused:?}"
            );
        }
        assert_eq!(livekit.updates(), [], "nothing asked of LiveKit");

        // Not connected: LiveKit is asked, finds nobody.
        let stranger = Caller {
            identity: "mallory".to_owned(),
            ..alice.clone()
        };
        let refused = participants::toggle_hand(&services, &stranger, true).await;
        assert!(
            matches!(refused, Err(DomainError::NotInMeeting)),
            "{refused:?}"
        );
        let refused = participants::rename(&services, &alice_in("room-b"), "Alice").await;
        assert!(
            matches!(refused, Err(DomainError::NotInMeeting)),
            "{refused:?}"
        );

        livekit.down.store(true, Ordering::SeqCst);
        let refused = participants::toggle_hand(&services, &alice, true).await;
        assert!(
            matches!(refused, Err(DomainError::LiveKit(_))),
            "{refused:?}"
        );
        assert_eq!(
            refused.expect_err("refused").kind(),
            meet_types::ErrorKind::Upstream
        );
    }
);

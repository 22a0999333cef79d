//! Rooms: creation, lookup, who enters how, updates and their LiveKit metadata, deletion, and
//! concurrent creations. On SQLite and PostgreSQL.

#![expect(clippy::expect_used, reason = "test helpers fail the test loudly")]

use std::sync::atomic::Ordering;

use livekit_api::access_token::TokenVerifier;
use meet_domain::clock::ManualClock;
use meet_domain::notifier::Notifier;
use meet_domain::per_backend;
use meet_domain::rooms::{self, CreateRoom, NewMeeting, RoomChanges, RoomKey, queries};
use meet_domain::testing::TestDatabase;
use meet_domain::testing::{eventually, fake_livekit, room_settings, services, user};
use meet_domain::{DomainError, Requester, Services};
use meet_types::{AccessLevel, Role, RoomCode, RoomConfiguration, TrackSource};

fn named(name: &str) -> CreateRoom {
    CreateRoom {
        name: Some(name.to_owned()),
        ..CreateRoom::default()
    }
}

fn field_error(error: DomainError) -> (String, String) {
    match error {
        DomainError::Invalid(errors) | DomainError::Conflict(errors) => {
            let (field, messages) = errors.0.into_iter().next().expect("one field");
            (field, messages.join(" "))
        }
        other => panic!("expected a field error, got {other:?}"),
    }
}

per_backend!(
    creating_makes_the_creator_owner,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let alice = user(&store, "alice").await;
        let room = rooms::create(&services, &alice, named("Réunion d'équipe"))
            .await
            .expect("room");
        assert_eq!(room.slug, "reunion-dequipe");
        assert_eq!(room.name, "Réunion d'équipe");
        assert_eq!(room.access_level, AccessLevel::Public);
        assert_eq!(
            queries::role_of(&store, room.id, alice.id)
                .await
                .expect("q"),
            Some(Role::Owner)
        );
    }
);

per_backend!(
    creation_defaults_come_from_the_user_then_the_deployment,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let alice = user(&store, "alice").await;
        let mut preferences = alice.preferences();
        preferences.default_room_access_level = Some(AccessLevel::Restricted);
        preferences.default_room_configuration = RoomConfiguration {
            can_publish_sources: Some(vec![TrackSource::Microphone]),
            everyone_can_mute: Some(false),
        };
        let alice = meet_domain::users::update_preferences(&store, alice.id, &preferences)
            .await
            .expect("prefs");
        let room = rooms::create(&services, &alice, named("a"))
            .await
            .expect("room");
        assert_eq!(room.access_level, AccessLevel::Restricted);
        assert_eq!(room.configuration.0, preferences.default_room_configuration);

        let explicit = CreateRoom {
            name: Some("b".into()),
            access_level: Some(AccessLevel::Trusted),
            configuration: Some(RoomConfiguration {
                everyone_can_mute: Some(true),
                ..RoomConfiguration::default()
            }),
        };
        let room = rooms::create(&services, &alice, explicit)
            .await
            .expect("room");
        assert_eq!(room.access_level, AccessLevel::Trusted);
        assert_eq!(room.configuration.0.everyone_can_mute, Some(true));
    }
);

per_backend!(
    room_names_are_validated,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let alice = user(&store, "alice").await;
        let cases = [
            (CreateRoom::default(), "This field is required."),
            (named("   "), "This field may not be blank."),
            (
                named(&"x".repeat(501)),
                "Ensure this field has no more than 500 characters.",
            ),
            (
                named(&format!(" {}", "x".repeat(500))),
                "Ensure this field has no more than 500 characters.",
            ),
            (
                named("team\0room"),
                "This field may not contain control characters.",
            ),
            (
                named("two\nlines"),
                "This field may not contain control characters.",
            ),
        ];
        for (request, message) in cases {
            let error = rooms::create(&services, &alice, request)
                .await
                .expect_err("refused");
            assert_eq!(field_error(error), ("name".to_owned(), message.to_owned()));
        }
        let (rooms, count) = queries::list_for_user(&store, alice.id, 10, 0)
            .await
            .expect("q");
        assert!(rooms.is_empty() && count == 0, "nothing was created");
    }
);

per_backend!(
    names_that_cannot_be_addresses_get_a_meeting_code,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let alice = user(&store, "alice").await;
        for name in [
            "日本語",
            "0b8e9c50-7d63-4f25-9a76-3a3f3c6f3b10",
            "-0b8e9c50-7d63-4f25-9a76-3a3f3c6f3b10-",
        ] {
            let room = rooms::create(&services, &alice, named(name))
                .await
                .expect("created");
            assert_eq!(room.name, name.trim(), "the name is kept");
            assert!(
                RoomCode::parse_bare(&room.slug).is_ok(),
                "{name}: {}",
                room.slug
            );
        }
    }
);

per_backend!(
    a_taken_slug_is_refused,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let alice = user(&store, "alice").await;
        rooms::create(&services, &alice, named("Weekly sync"))
            .await
            .expect("first");
        let error = rooms::create(&services, &alice, named("weekly  SYNC"))
            .await
            .expect_err("taken");
        assert!(matches!(error, DomainError::Conflict(_)), "{error:?}");
        assert_eq!(
            field_error(error),
            (
                "slug".to_owned(),
                "Room with this Slug already exists.".to_owned()
            )
        );
    }
);

per_backend!(
    simultaneous_creations_never_share_a_slug,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let alice = user(&store, "alice").await;
        // The same name from two requests at once: exactly one wins.
        let attempts: Vec<_> = (0..2)
            .map(|_| {
                let (services, alice) = (services.clone(), alice.clone());
                tokio::spawn(
                    async move { rooms::create(&services, &alice, named("standup")).await },
                )
            })
            .collect();
        let mut created = 0;
        for attempt in attempts {
            match attempt.await.expect("task") {
                Ok(_) => created += 1,
                Err(error) => assert_eq!(field_error(error).0, "slug"),
            }
        }
        assert_eq!(created, 1);
        // Many new meetings at once: all different.
        let meetings: Vec<_> = (0..12)
            .map(|_| {
                let (services, alice) = (services.clone(), alice.clone());
                tokio::spawn(async move { rooms::create_meeting(&services, &alice).await })
            })
            .collect();
        let mut slugs = Vec::new();
        for meeting in meetings {
            slugs.push(meeting.await.expect("task").expect("meeting").slug);
        }
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), 12);
        assert!(
            slugs
                .iter()
                .all(|slug| meet_types::RoomCode::parse_bare(slug).is_ok())
        );
    }
);

per_backend!(who_enters_directly, |database: TestDatabase| async move {
    let store = database.store.clone();
    let (services, _) = services(store.clone());
    let owner = user(&store, "owner").await;
    let member = user(&store, "member").await;
    let stranger = user(&store, "stranger").await;
    let verifier = TokenVerifier::with_api_key("devkey", "secret");
    for level in AccessLevel::ALL {
        let request = CreateRoom {
            name: Some(format!("room {level}")),
            access_level: Some(level),
            ..CreateRoom::default()
        };
        let room = rooms::create(&services, &owner, request)
            .await
            .expect("room");
        meet_domain::accesses::queries::insert(&store, room.id, member.id, Role::Member)
            .await
            .expect("member");
        for (who, requester, expected) in [
            (
                "anonymous",
                Requester::default(),
                level == AccessLevel::Public,
            ),
            (
                "stranger",
                Requester::user(&stranger),
                level != AccessLevel::Restricted,
            ),
            ("member", Requester::user(&member), true),
            ("owner", Requester::user(&owner), true),
        ] {
            // What the meeting page shows: the same decision, no credentials, no guest identity.
            let shown = rooms::look_up(&services, &requester, &room.slug)
                .await
                .expect("shown");
            assert_eq!(shown.enters_directly, expected, "{who} in a {level} room");
            assert!(shown.livekit.is_none(), "{who} in a {level} room");
            assert!(requester.issued_guest().is_none(), "{who}");
            let details = rooms::retrieve(&services, &requester, &room.slug, None)
                .await
                .expect("details");
            assert_eq!(
                details.livekit.is_some(),
                expected,
                "{who} in a {level} room"
            );
            if let Some(livekit) = details.livekit {
                let claims = verifier.verify(&livekit.token).expect("valid token");
                assert_eq!(claims.video.room, room.id.to_string());
                assert_eq!(livekit.room, room.id.to_string());
            }
        }
        let livekit_room = rooms::livekit_room(&services, &room.slug).await;
        assert_eq!(livekit_room.expect("its LiveKit room"), room.id.to_string());
    }
});

per_backend!(
    guests_keep_their_identity,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let verifier = TokenVerifier::with_api_key("devkey", "secret");
        let visitor = Requester::default();
        let first = rooms::retrieve(&services, &visitor, "abc-defg-hij", Some("  Zoé  "))
            .await
            .expect("room");
        let guest = visitor.issued_guest().expect("a new guest id");
        let guest_id = guest.identity();
        let claims = verifier
            .verify(&first.livekit.expect("token").token)
            .expect("valid");
        assert_eq!(claims.sub, guest_id);
        assert_eq!(claims.name, "Zoé");
        assert_eq!(
            claims.video.room, "abc-defg-hij",
            "unregistered rooms are named by slug"
        );

        let remembered = services
            .guests
            .verify(guest.cookie_value())
            .expect("Meet recognises the identity it issued");
        let again = Requester::new(None, Some(remembered));
        let second = rooms::retrieve(&services, &again, "ABCDEFGHIJ", None)
            .await
            .expect("room");
        assert_eq!(again.issued_guest(), None);
        let claims = verifier
            .verify(&second.livekit.expect("token").token)
            .expect("valid");
        assert_eq!(claims.sub, guest_id);
        assert_eq!(claims.name, "Anonymous");

        // An identity Meet did not issue (a chosen UUID, another deployment's) is not recognised.
        let forgeries: [String; 3] = [
            guest_id.clone(),
            uuid::Uuid::new_v4().to_string(),
            meet_domain::guest::GuestIds::new(b"another deployment")
                .issue()
                .cookie_value()
                .to_owned(),
        ];
        for forged in forgeries {
            assert_eq!(services.guests.verify(&forged), None, "{forged}");
        }
        let another = Requester::default();
        rooms::retrieve(&services, &another, "abc-defg-hij", None)
            .await
            .expect("room");
        assert!(
            another
                .issued_guest()
                .is_some_and(|id| id.identity() != guest_id)
        );

        let long = "x".repeat(256);
        let error = rooms::retrieve(
            &services,
            &Requester::default(),
            "abc-defg-hij",
            Some(&long),
        )
        .await
        .expect_err("long");
        assert_eq!(field_error(error).0, "username");
    }
);

per_backend!(
    updates_are_for_administrators_and_reach_livekit,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, livekit) = services(store.clone());
        let owner = user(&store, "owner").await;
        let admin = user(&store, "admin").await;
        let member = user(&store, "member").await;
        let room = rooms::create(&services, &owner, named("standup"))
            .await
            .expect("room");
        meet_domain::accesses::queries::insert(&store, room.id, admin.id, Role::Administrator)
            .await
            .expect("admin");
        meet_domain::accesses::queries::insert(&store, room.id, member.id, Role::Member)
            .await
            .expect("member");

        let change = || RoomChanges {
            access_level: Some(AccessLevel::Trusted),
            ..RoomChanges::default()
        };
        assert!(matches!(
            rooms::update(&services, &Requester::default(), "standup", change()).await,
            Err(DomainError::Unauthenticated)
        ));
        assert!(matches!(
            rooms::update(&services, &Requester::user(&member), "standup", change()).await,
            Err(DomainError::Forbidden(_))
        ));
        assert!(livekit.merges.lock().expect("lock").is_empty());
        let stored = queries::find(&store, &RoomKey::Id(room.id))
            .await
            .expect("q")
            .expect("room");
        assert_ne!(room.access_level, AccessLevel::Trusted);
        assert_eq!(
            stored.access_level, room.access_level,
            "refusals change nothing"
        );

        livekit
            .running
            .lock()
            .expect("lock")
            .insert(room.id.to_string());
        let updated = rooms::update(&services, &Requester::user(&admin), "standup", change())
            .await
            .expect("updated");
        assert_eq!(updated.view().access_level, AccessLevel::Trusted);
        {
            let merges = livekit.merges.lock().expect("lock");
            assert_eq!(merges.len(), 1);
            assert_eq!(merges[0].0, room.id.to_string());
            assert_eq!(merges[0].1["access_level"], "trusted");
            assert_eq!(merges[0].1["configuration"], serde_json::json!({}));
        }

        // A rename changes the address, and does not touch LiveKit.
        let renamed = RoomChanges {
            name: Some("Daily Standup".into()),
            ..RoomChanges::default()
        };
        let updated = rooms::update(&services, &Requester::user(&owner), "standup", renamed)
            .await
            .expect("renamed");
        assert_eq!(updated.slug, "daily-standup");
        assert_eq!(livekit.merges.lock().expect("lock").len(), 1);

        // LiveKit down: the update still happens.
        livekit.down.store(true, Ordering::SeqCst);
        let change = RoomChanges {
            access_level: Some(AccessLevel::Restricted),
            ..RoomChanges::default()
        };
        let updated = rooms::update(&services, &Requester::user(&owner), "daily-standup", change)
            .await
            .expect("updated");
        assert_eq!(updated.view().access_level, AccessLevel::Restricted);
        let stored = queries::find(&store, &RoomKey::Id(room.id))
            .await
            .expect("q")
            .expect("room");
        assert_eq!(stored.access_level, AccessLevel::Restricted, "saved");
        assert_eq!(
            livekit.merges.lock().expect("lock").len(),
            2,
            "LiveKit was tried"
        );
    }
);

per_backend!(only_owners_delete, |database: TestDatabase| async move {
    let store = database.store.clone();
    let (services, _) = services(store.clone());
    let owner = user(&store, "owner").await;
    let admin = user(&store, "admin").await;
    let room = rooms::create(&services, &owner, named("standup"))
        .await
        .expect("room");
    meet_domain::accesses::queries::insert(&store, room.id, admin.id, Role::Administrator)
        .await
        .expect("admin");
    assert!(matches!(
        rooms::delete(&services, &Requester::user(&admin), "standup").await,
        Err(DomainError::Forbidden(_))
    ));
    assert!(matches!(
        rooms::delete(&services, &Requester::default(), "standup").await,
        Err(DomainError::Unauthenticated)
    ));
    rooms::delete(&services, &Requester::user(&owner), &room.id.to_string())
        .await
        .expect("deleted");
    assert!(matches!(
        rooms::delete(&services, &Requester::user(&owner), "standup").await,
        Err(DomainError::NotFound)
    ));
    let key = meet_domain::rooms::RoomKey::Id(room.id);
    assert_eq!(queries::find(&store, &key).await.expect("q"), None);
});

per_backend!(
    unregistered_rooms_can_be_turned_off,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (mut services, _) = services(store.clone());
        let mut settings = (*services.settings).clone();
        settings.allow_unregistered_rooms = false;
        services.settings = std::sync::Arc::new(settings);
        let error = rooms::retrieve(&services, &Requester::default(), "abc-defg-hij", None)
            .await
            .expect_err("unknown");
        assert!(matches!(error, DomainError::NotFound), "{error:?}");
    }
);

per_backend!(
    changes_show_at_once_here_and_within_the_cache_lifetime_elsewhere,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (here, _) = services(store.clone());
        // An instance that hears nothing of the others' changes, with a clock the test moves.
        let clock = std::sync::Arc::new(ManualClock::default());
        let elsewhere = Services::builder(store.clone(), room_settings(), fake_livekit())
            .clock(clock.clone())
            .notifier(Notifier::in_process())
            .build();
        let owner = user(&store, "owner").await;
        rooms::create(&here, &owner, named("standup"))
            .await
            .expect("room");
        let entered = |details: rooms::RoomDetails| details.livekit.is_some();
        // Both instances load (and cache) the public room.
        assert!(entered(
            rooms::retrieve(&here, &Requester::default(), "standup", None)
                .await
                .expect("room")
        ));
        assert!(entered(
            rooms::retrieve(&elsewhere, &Requester::default(), "standup", None)
                .await
                .expect("room")
        ));

        let restrict = RoomChanges {
            access_level: Some(AccessLevel::Restricted),
            ..RoomChanges::default()
        };
        rooms::update(&here, &Requester::user(&owner), "standup", restrict)
            .await
            .expect("updated");
        // The instance that made the change sees it at once.
        assert!(!entered(
            rooms::retrieve(&here, &Requester::default(), "standup", None)
                .await
                .expect("room")
        ));
        // Another instance sees it once its cached copy expires.
        clock.advance(meet_domain::rooms::cache::TTL);
        assert!(!entered(
            rooms::retrieve(&elsewhere, &Requester::default(), "standup", None)
                .await
                .expect("room")
        ));

        // A deleted room is gone at once for the instance that deleted it.
        rooms::delete(&here, &Requester::user(&owner), "standup")
            .await
            .expect("deleted");
        let after = rooms::retrieve(&here, &Requester::user(&owner), "standup", None).await;
        assert!(
            matches!(after, Err(DomainError::NotFound)),
            "nothing is left at an address that is not a meeting code: {after:?}"
        );
    }
);

/// Instances share a database only on PostgreSQL (one SQLite database has one instance).
#[tokio::test]
async fn with_postgresql_other_instances_hear_of_changes_at_once() {
    let Some(database) = TestDatabase::postgres().await else {
        eprintln!(
            "skipped: {} is not set",
            meet_domain::testing::TEST_POSTGRES_URL
        );
        return;
    };
    let store = database.store.clone();
    let (here, _) = services(store.clone());
    // A clock that never moves: only the notification can make the change show.
    let elsewhere = Services::builder(store.clone(), room_settings(), fake_livekit())
        .clock(std::sync::Arc::new(ManualClock::default()))
        .build();
    eventually("the notifier is live", || async {
        elsewhere.notifier.is_live()
    })
    .await;
    let owner = user(&store, "owner").await;
    rooms::create(&here, &owner, named("standup"))
        .await
        .expect("room");
    let entered = |details: rooms::RoomDetails| details.livekit.is_some();
    assert!(entered(
        rooms::retrieve(&elsewhere, &Requester::default(), "standup", None)
            .await
            .expect("room")
    ));
    let restrict = RoomChanges {
        access_level: Some(AccessLevel::Restricted),
        ..RoomChanges::default()
    };
    rooms::update(&here, &Requester::user(&owner), "standup", restrict)
        .await
        .expect("updated");
    eventually("the other instance hears of the change", || async {
        let details = rooms::retrieve(&elsewhere, &Requester::default(), "standup", None)
            .await
            .expect("room");
        !entered(details)
    })
    .await;
}

per_backend!(
    users_start_rooms_and_visitors_unregistered_meetings,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (mut services, _) = services(store.clone());
        let alice = user(&store, "alice").await;
        let NewMeeting::Room(room) = rooms::start_meeting(&services, &Requester::user(&alice))
            .await
            .expect("meeting")
        else {
            panic!("a user's meeting is a room");
        };
        assert!(RoomCode::parse_bare(&room.slug).is_ok(), "{}", room.slug);
        assert_eq!(
            queries::role_of(&store, room.id, alice.id)
                .await
                .expect("q"),
            Some(Role::Owner)
        );

        let visitors = rooms::start_meeting(&services, &Requester::default())
            .await
            .expect("meeting");
        let NewMeeting::Unregistered(code) = &visitors else {
            panic!("a visitor's meeting is unregistered: {visitors:?}");
        };
        assert_eq!(visitors.slug(), code.as_str());
        let key = RoomKey::parse(code.as_str()).expect("key");
        assert_eq!(queries::find(&store, &key).await.expect("q"), None);

        let mut settings = (*services.settings).clone();
        settings.allow_unregistered_rooms = false;
        services.settings = std::sync::Arc::new(settings);
        let error = rooms::start_meeting(&services, &Requester::default())
            .await
            .expect_err("refused");
        assert!(matches!(error, DomainError::Unauthenticated), "{error:?}");
    }
);

per_backend!(
    room_creation_is_rate_limited_per_user,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        // Time moves only when the test says: however slow the database, no token comes back
        // while the burst is spent.
        let clock = std::sync::Arc::new(ManualClock::frozen());
        let services = Services::builder(store.clone(), room_settings(), fake_livekit())
            .clock(clock.clone())
            .build();
        let alice = user(&store, "alice").await;
        let bob = user(&store, "bob").await;
        let meet_domain::limits::RateLimit { burst, interval } = meet_domain::limits::ROOM_CREATION;
        for index in 0..burst {
            let request = named(&format!("room {index}"));
            rooms::create(&services, &alice, request)
                .await
                .expect("within the burst");
        }
        let refused = rooms::create(&services, &alice, named("one too many")).await;
        let Err(DomainError::TooManyRequests { retry_after }) = refused else {
            panic!("throttled: {refused:?}");
        };
        assert!(retry_after > std::time::Duration::ZERO);
        let meeting = rooms::create_meeting(&services, &alice).await;
        assert!(
            matches!(meeting, Err(DomainError::TooManyRequests { .. })),
            "{meeting:?}"
        );
        let (_, count) = queries::list_for_user(&store, alice.id, 100, 0)
            .await
            .expect("q");
        assert_eq!(count, i64::from(burst), "nothing created past the limit");
        rooms::create(&services, &bob, named("bob's room"))
            .await
            .expect("bob is not slowed by alice");
        // One interval later, one more room, and only one.
        clock.advance(interval);
        rooms::create(&services, &alice, named("after a while"))
            .await
            .expect("one more after an interval");
        let again = rooms::create(&services, &alice, named("and another")).await;
        assert!(
            matches!(again, Err(DomainError::TooManyRequests { .. })),
            "{again:?}"
        );
    }
);

per_backend!(
    a_user_owns_at_most_the_deployments_limit,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let mut settings = meet_domain::testing::room_settings();
        settings.max_rooms_per_user = 3;
        let services = meet_domain::Services::builder(
            store.clone(),
            settings,
            std::sync::Arc::new(meet_domain::testing::FakeLiveKit::default()),
        )
        .build();
        let alice = user(&store, "alice").await;
        for index in 0..3 {
            rooms::create(&services, &alice, named(&format!("room {index}")))
                .await
                .expect("within the limit");
        }
        for refused in [
            rooms::create(&services, &alice, named("one more")).await,
            rooms::create_meeting(&services, &alice).await,
        ] {
            let Err(DomainError::Forbidden(message)) = refused else {
                panic!("refused: {refused:?}");
            };
            assert!(message.contains("You own 3 rooms"), "{message}");
        }
        let (_, count) = queries::list_for_user(&store, alice.id, 100, 0)
            .await
            .expect("q");
        assert_eq!(count, 3);
        // Deleting one makes room for another.
        rooms::delete(&services, &Requester::user(&alice), "room-0")
            .await
            .expect("deleted");
        rooms::create(&services, &alice, named("one more"))
            .await
            .expect("room again");
    }
);

per_backend!(
    the_newest_rooms_come_first,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let clock = std::sync::Arc::new(ManualClock::default());
        let services = Services::builder(store.clone(), room_settings(), fake_livekit())
            .clock(clock.clone())
            .build();
        let alice = user(&store, "alice").await;
        for name in ["Zeta", "Alpha", "Mu"] {
            rooms::create(&services, &alice, named(name))
                .await
                .expect("room");
            clock.advance(std::time::Duration::from_secs(1));
        }
        let recent = rooms::recent_mine(&services, &alice, 2).await.expect("q");
        let names: Vec<&str> = recent
            .rooms
            .iter()
            .map(|row| row.room.name.as_str())
            .collect();
        assert_eq!(names, ["Mu", "Alpha"]);
        assert!(recent.more, "Zeta is left out");
        let all = rooms::recent_mine(&services, &alice, 3).await.expect("q");
        assert_eq!(all.rooms.len(), 3);
        assert!(!all.more);
    }
);

//! Room addresses as an attacker types them: no spelling of a registered room's id passes for an
//! unregistered room (which would share its LiveKit room), names shaped like meeting codes are
//! Meet's to generate, and a property test over arbitrary strings. On SQLite and PostgreSQL.

use livekit_api::access_token::TokenVerifier;
use meet_domain::Requester;
use meet_domain::per_backend;
use meet_domain::rooms::slugify;
use meet_domain::rooms::{self, CreateRoom, RoomChanges};
use meet_domain::testing::TestDatabase;
use meet_domain::testing::{services, user};
use meet_types::{AccessLevel, RoomCode};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use uuid::Uuid;

fn room(name: &str, level: AccessLevel) -> CreateRoom {
    CreateRoom {
        name: Some(name.to_owned()),
        access_level: Some(level),
        ..CreateRoom::default()
    }
}

/// The ways the review reached a restricted room's LiveKit room, and a few more.
fn spellings(id: Uuid) -> Vec<String> {
    let text = id.to_string();
    vec![
        format!("-{text}"),
        format!("_{text}"),
        format!(".{text}"),
        format!("!{text}"),
        format!(" {text}"),
        format!("{text}-"),
        format!("{text} "),
        format!("__{text}--"),
        text.to_uppercase(),
        id.simple().to_string(),
        format!("{{{text}}}"),
        format!("urn:uuid:{text}"),
        format!("日{text}"),
        text,
    ]
}

per_backend!(
    no_spelling_of_an_id_opens_an_unregistered_room,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let owner = user(&store, "owner").await;
        let stranger = user(&store, "stranger").await;
        for level in [AccessLevel::Restricted, AccessLevel::Trusted] {
            let registered =
                rooms::create(&services, &owner, room(&format!("{level} room"), level))
                    .await
                    .expect("room");
            for spelling in spellings(registered.id) {
                let details = rooms::retrieve(&services, &Requester::default(), &spelling, None)
                    .await
                    .unwrap_or_else(|error| panic!("{spelling:?}: {error:?}"));
                assert_eq!(
                    details.room.as_ref().map(|room| room.id),
                    Some(registered.id),
                    "{spelling:?} is the room itself"
                );
                assert!(
                    details.livekit.is_none(),
                    "{spelling:?}: a guest waits in the lobby"
                );
                if level == AccessLevel::Restricted {
                    let details =
                        rooms::retrieve(&services, &Requester::user(&stranger), &spelling, None)
                            .await
                            .expect("room");
                    assert!(details.livekit.is_none(), "{spelling:?}: no role, no token");
                }
            }
        }
    }
);

per_backend!(
    names_shaped_like_codes_get_a_code_meet_draws,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let squatter = user(&store, "squatter").await;
        for name in ["abc-defg-hij", "ABCDEFGHIJ", "abc defg hij", "a1b-2c3d-4e5"] {
            let created = rooms::create(&services, &squatter, room(name, AccessLevel::Restricted))
                .await
                .expect("created");
            assert_ne!(
                created.slug,
                slugify(name),
                "{name:?}: not the code asked for"
            );
            assert!(
                RoomCode::parse_bare(&created.slug).is_ok(),
                "{}",
                created.slug
            );
            assert_eq!(created.name, created.slug);
            assert_eq!(
                created.access_level,
                AccessLevel::Restricted,
                "the rest of the request holds"
            );
        }
        // Whoever meets at that code still meets there, unregistered.
        let meeting = rooms::retrieve(&services, &Requester::default(), "abc-defg-hij", None)
            .await
            .expect("meeting");
        assert!(meeting.room.is_none());
        assert_eq!(meeting.livekit.expect("token").room, "abc-defg-hij");
    }
);

per_backend!(
    renaming_to_a_code_never_takes_that_code,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let owner = user(&store, "owner").await;
        rooms::create(&services, &owner, room("Standup", AccessLevel::Restricted))
            .await
            .expect("room");
        let rename = |name: &str| RoomChanges {
            name: Some(name.to_owned()),
            ..RoomChanges::default()
        };
        let renamed = rooms::update(
            &services,
            &Requester::user(&owner),
            "standup",
            rename("xyz-abcd-efg"),
        )
        .await
        .expect("renamed");
        assert_ne!(renamed.slug, "xyz-abcd-efg", "Meet draws the code");
        assert!(
            RoomCode::parse_bare(&renamed.slug).is_ok(),
            "{}",
            renamed.slug
        );
        assert_eq!(renamed.view().name, renamed.slug);
        let meeting = rooms::retrieve(&services, &Requester::default(), "xyz-abcd-efg", None)
            .await
            .expect("still an unregistered meeting");
        assert!(meeting.room.is_none());

        // A meeting keeps its code whatever code-shaped name it is given (a full update sends its
        // own back), and a name that cannot be an address keeps the code too.
        let meeting = rooms::create_meeting(&services, &owner)
            .await
            .expect("meeting");
        for name in [meeting.name.to_uppercase(), "abc-defg-hij".to_owned()] {
            let same = rooms::update(
                &services,
                &Requester::user(&owner),
                &meeting.slug,
                rename(&name),
            )
            .await
            .expect("renamed");
            assert_eq!(same.slug, meeting.slug, "{name}");
            assert_eq!(same.view().name, meeting.slug, "{name}");
        }
        let same = rooms::update(
            &services,
            &Requester::user(&owner),
            &meeting.slug,
            rename("日本語"),
        )
        .await
        .expect("renamed");
        assert_eq!(
            (same.slug.as_str(), same.view().name.as_str()),
            (meeting.slug.as_str(), "日本語")
        );
    }
);

per_backend!(
    no_string_yields_a_token_for_a_room_the_rules_close,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let owner = user(&store, "owner").await;
        let stranger = user(&store, "stranger").await;
        let restricted = rooms::create(&services, &owner, room("Board", AccessLevel::Restricted))
            .await
            .expect("room");
        let trusted = rooms::create(&services, &owner, room("Staff", AccessLevel::Trusted))
            .await
            .expect("room");
        let closed_to_guests = [restricted.id.to_string(), trusted.id.to_string()];
        let closed_to_strangers = [restricted.id.to_string()];
        let verifier = TokenVerifier::with_api_key("devkey", "secret");
        let handle = tokio::runtime::Handle::current();

        // Strings around the rooms' ids (decorated, re-cased, hyphens dropped or changed, or
        // wrapped), and arbitrary ones.
        let around = |id: Uuid| {
            let text = id.to_string();
            (
                "[ _.!{}\\-\t日é]{0,3}|urn:uuid:",
                proptest::collection::vec(0u8..4, text.len()),
                "[ _.!{}\\-\t日é]{0,3}",
            )
                .prop_map(move |(prefix, changes, suffix)| {
                    let middle: String = text
                        .chars()
                        .zip(changes)
                        .filter_map(|(c, change)| match (c, change) {
                            ('-', 0) => None,
                            ('-', 1) => Some(' '),
                            ('-', 2) => Some('_'),
                            (c, 3) => Some(c.to_ascii_uppercase()),
                            (c, _) => Some(c),
                        })
                        .collect();
                    format!("{prefix}{middle}{suffix}")
                })
        };
        let strategy = prop_oneof![
            around(restricted.id),
            around(trusted.id),
            any::<String>(),
            "[a-zA-Z0-9 _.!-]{0,40}",
        ];
        let result = tokio::task::spawn_blocking(move || {
            let mut runner = TestRunner::new(Config {
                cases: 512,
                failure_persistence: None,
                ..Config::default()
            });
            runner.run(&strategy, |key| {
                for (requester, closed) in [
                    (Requester::default(), &closed_to_guests[..]),
                    (Requester::user(&stranger), &closed_to_strangers[..]),
                ] {
                    let Ok(details) =
                        handle.block_on(rooms::retrieve(&services, &requester, &key, None))
                    else {
                        continue;
                    };
                    let Some(livekit) = details.livekit else {
                        continue;
                    };
                    let claims = verifier.verify(&livekit.token).expect("valid token");
                    prop_assert!(
                        !closed.contains(&claims.video.room),
                        "{key:?} opened {} for {:?}",
                        claims.video.room,
                        requester.user.as_ref().map(|user| &user.sub)
                    );
                }
                Ok(())
            })
        })
        .await
        .expect("property test ran");
        if let Err(failure) = result {
            panic!("{failure}");
        }
    }
);

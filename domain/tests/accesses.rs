//! Resource accesses: who may grant, change and remove roles, and the last owner, also under
//! concurrent changes. On SQLite and PostgreSQL.

use meet_domain::DomainError;
use meet_domain::accesses::service::{self, NewAccess};
use meet_domain::per_backend;
use meet_domain::rooms::{self, CreateRoom};
use meet_domain::testing::TestDatabase;
use meet_domain::testing::{services, user};
use meet_types::Role;

fn forbidden(result: Result<impl std::fmt::Debug, DomainError>) -> String {
    match result {
        Err(DomainError::Forbidden(message)) => message,
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

per_backend!(
    administrators_grant_and_only_owners_make_owners,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let owner = user(&store, "owner").await;
        let admin = user(&store, "admin").await;
        let bob = user(&store, "bob").await;
        let carol = user(&store, "carol").await;
        let room = rooms::create(
            &services,
            &owner,
            CreateRoom {
                name: Some("r".into()),
                ..Default::default()
            },
        )
        .await
        .expect("room");
        let grant = |who, role| NewAccess {
            user: Some(who),
            resource: Some(room.id),
            role: Some(role),
        };

        // Strangers cannot grant.
        let message =
            forbidden(service::create(&services, &bob, grant(carol.id, Role::Member)).await);
        assert_eq!(
            message,
            "You must be administrator or owner of a room to add accesses to it."
        );

        service::create(&services, &owner, grant(admin.id, Role::Administrator))
            .await
            .expect("admin");
        let member = service::create(&services, &admin, grant(bob.id, Role::Member))
            .await
            .expect("member");
        assert_eq!(member.role, Role::Member);
        let message =
            forbidden(service::create(&services, &admin, grant(carol.id, Role::Owner)).await);
        assert_eq!(
            message,
            "Only owners of a room can assign other users as owners."
        );
        service::create(&services, &owner, grant(carol.id, Role::Owner))
            .await
            .expect("owner");

        // One access per user and room.
        let error = service::create(&services, &owner, grant(bob.id, Role::Administrator))
            .await
            .expect_err("dup");
        assert!(
            matches!(error, DomainError::Conflict(ref errors) if errors.0.contains_key("non_field_errors")),
            "{error:?}"
        );
        // Unknown user or room.
        let ghost = uuid::Uuid::new_v4();
        let error = service::create(&services, &owner, grant(ghost, Role::Member))
            .await
            .expect_err("no user");
        assert!(
            matches!(error, DomainError::Invalid(ref errors) if errors.0.contains_key("user")),
            "{error:?}"
        );
        let error = service::create(
            &services,
            &owner,
            NewAccess {
                resource: Some(ghost),
                ..grant(bob.id, Role::Member)
            },
        )
        .await
        .expect_err("no room");
        assert!(
            matches!(error, DomainError::Invalid(ref errors) if errors.0.contains_key("resource")),
            "{error:?}"
        );
        let error = service::create(&services, &owner, NewAccess::default())
            .await
            .expect_err("empty");
        match error {
            DomainError::Invalid(errors) => {
                assert_eq!(errors.0.keys().collect::<Vec<_>>(), ["resource", "user"])
            }
            other => panic!("{other:?}"),
        }
    }
);

per_backend!(
    changing_and_removing_follow_the_owner_rules,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let owner = user(&store, "owner").await;
        let admin = user(&store, "admin").await;
        let bob = user(&store, "bob").await;
        let room = rooms::create(
            &services,
            &owner,
            CreateRoom {
                name: Some("r".into()),
                ..Default::default()
            },
        )
        .await
        .expect("room");
        let owner_access = meet_domain::accesses::queries::list_for_room(&store, room.id)
            .await
            .expect("q")[0]
            .access
            .clone();
        let admin_access = service::create(
            &services,
            &owner,
            NewAccess {
                user: Some(admin.id),
                resource: Some(room.id),
                role: Some(Role::Administrator),
            },
        )
        .await
        .expect("admin");
        let bob_access = service::create(
            &services,
            &admin,
            NewAccess {
                user: Some(bob.id),
                resource: Some(room.id),
                role: None,
            },
        )
        .await
        .expect("bob");

        // Bob (a member) changes nothing; the admin promotes Bob but not to owner.
        forbidden(service::update(&services, &bob, bob_access.id, Some(Role::Administrator)).await);
        let promoted = service::update(&services, &admin, bob_access.id, Some(Role::Administrator))
            .await
            .expect("ok");
        assert_eq!(promoted.role, Role::Administrator);
        forbidden(service::update(&services, &admin, bob_access.id, Some(Role::Owner)).await);
        // Nobody but the owner touches the owner's access.
        forbidden(service::update(&services, &admin, owner_access.id, Some(Role::Member)).await);
        forbidden(service::delete(&services, &admin, owner_access.id).await);
        // The last owner can neither step down nor leave.
        let error = service::update(&services, &owner, owner_access.id, Some(Role::Member))
            .await
            .expect_err("last");
        assert!(matches!(error, DomainError::LastOwner), "{error:?}");
        let error = service::delete(&services, &owner, owner_access.id)
            .await
            .expect_err("last");
        assert!(matches!(error, DomainError::LastOwner), "{error:?}");
        // Administrators remove members and administrators.
        service::delete(&services, &admin, bob_access.id)
            .await
            .expect("removed");
        assert!(matches!(
            service::retrieve(&services, &admin, bob_access.id).await,
            Err(DomainError::NotFound)
        ));
        service::delete(&services, &admin, admin_access.id)
            .await
            .expect("left");
        // With a second owner, the first may leave.
        let second = service::create(
            &services,
            &owner,
            NewAccess {
                user: Some(bob.id),
                resource: Some(room.id),
                role: Some(Role::Owner),
            },
        )
        .await
        .expect("second owner");
        forbidden(service::delete(&services, &owner, second.id).await);
        service::delete(&services, &owner, owner_access.id)
            .await
            .expect("first owner left");
        let (listed, count) = service::list(&services, &bob, 10, 0).await.expect("list");
        assert_eq!((listed.len(), count), (1, 1));
        assert_eq!(listed[0].role, Role::Owner);
    }
);

per_backend!(
    the_last_owner_survives_a_race,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        for round in 0..4 {
            let first = user(&store, &format!("first{round}")).await;
            let second = user(&store, &format!("second{round}")).await;
            let room = rooms::create(
                &services,
                &first,
                CreateRoom {
                    name: Some(format!("race {round}")),
                    ..Default::default()
                },
            )
            .await
            .expect("room");
            let first_access = meet_domain::accesses::queries::list_for_room(&store, room.id)
                .await
                .expect("q")[0]
                .access
                .clone();
            let second_access = service::create(
                &services,
                &first,
                NewAccess {
                    user: Some(second.id),
                    resource: Some(room.id),
                    role: Some(Role::Owner),
                },
            )
            .await
            .expect("second owner");
            // Both owners step down at the same time (one by leaving, one by demotion).
            let leave = {
                let (services, first) = (services.clone(), first.clone());
                tokio::spawn(
                    async move { service::delete(&services, &first, first_access.id).await },
                )
            };
            let demote = {
                let (services, second) = (services.clone(), second.clone());
                tokio::spawn(async move {
                    service::update(&services, &second, second_access.id, Some(Role::Member))
                        .await
                        .map(drop)
                })
            };
            let outcomes = [leave.await.expect("task"), demote.await.expect("task")];
            let refused = outcomes
                .iter()
                .filter(|outcome| matches!(outcome, Err(DomainError::LastOwner)))
                .count();
            let done = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
            assert_eq!((done, refused), (1, 1), "round {round}: {outcomes:?}");
            let accesses = meet_domain::accesses::queries::list_for_room(&store, room.id)
                .await
                .expect("q");
            let owners = accesses
                .iter()
                .filter(|a| a.access.role == Role::Owner)
                .count();
            assert_eq!(owners, 1, "round {round}");
        }
    }
);

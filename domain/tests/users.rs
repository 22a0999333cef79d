//! The users store, run against SQLite and PostgreSQL (see `meet_domain::testing`).

#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use meet_domain::per_backend;
use meet_domain::testing::TestDatabase;
use meet_domain::users::{self, UserClaims};
use meet_domain::{Store, StoreError};

fn alice() -> UserClaims {
    UserClaims {
        sub: Some("alice-sub".into()),
        email: Some("Alice.Martin@Example.GOUV.fr".into()),
        full_name: Some("Alice Martin".into()),
        short_name: Some("Alice".into()),
    }
}

async fn count_users(store: &Store) -> i64 {
    match store {
        Store::Sqlite(pool) => sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(pool)
            .await
            .unwrap(),
        Store::Postgres(pool) => sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(pool)
            .await
            .unwrap(),
    }
}

per_backend!(
    insert_then_find_by_sub_and_id,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let created = users::insert(&store, &alice()).await.expect("insert");
        assert_eq!(created.sub.as_deref(), Some("alice-sub"));
        assert_eq!(
            created.email.as_deref(),
            Some("Alice.Martin@Example.GOUV.fr")
        );
        assert_eq!(created.full_name.as_deref(), Some("Alice Martin"));
        assert_eq!(created.short_name.as_deref(), Some("Alice"));
        assert_eq!(created.language, "en-us");
        assert_eq!(created.timezone, "UTC");
        assert_eq!(created.created_at, created.updated_at);

        let by_sub = users::find_by_sub(&store, "alice-sub")
            .await
            .expect("query");
        assert_eq!(by_sub.as_ref(), Some(&created));
        let by_id = users::find_by_id(&store, created.id).await.expect("query");
        assert_eq!(by_id.as_ref(), Some(&created));
        assert_eq!(
            users::find_by_sub(&store, "bob-sub").await.expect("query"),
            None
        );
    }
);

per_backend!(
    a_sub_belongs_to_one_user,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        users::insert(&store, &alice()).await.expect("insert");
        let mut other = alice();
        other.email = Some("someone.else@example.org".into());
        let error = users::insert(&store, &other)
            .await
            .expect_err("duplicate sub");
        assert!(matches!(error, StoreError::Conflict(_)), "{error:?}");
        assert_eq!(count_users(&store).await, 1);
    }
);

per_backend!(
    find_by_email_ignores_case,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let created = users::insert(&store, &alice()).await.expect("insert");
        for spelling in [
            "alice.martin@example.gouv.fr",
            "ALICE.MARTIN@EXAMPLE.GOUV.FR",
            " Alice.Martin@example.gouv.FR ",
        ] {
            let found = users::find_by_email(&store, spelling).await.expect("query");
            assert_eq!(found, vec![created.clone()], "{spelling}");
        }
        assert!(
            users::find_by_email(&store, "bob@example.org")
                .await
                .expect("query")
                .is_empty()
        );
    }
);

per_backend!(
    find_by_email_folds_non_ascii_case,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let claims = UserClaims {
            sub: Some("zoe".into()),
            email: Some("ZOÉ@EXAMPLE.FR".into()),
            ..UserClaims::default()
        };
        let created = users::insert(&store, &claims).await.expect("insert");
        let found = users::find_by_email(&store, "zoé@example.fr")
            .await
            .expect("query");
        assert_eq!(found, vec![created]);
    }
);

per_backend!(
    find_by_email_returns_every_match_oldest_first,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let first = users::insert(&store, &alice()).await.expect("insert");
        let mut twin = alice();
        twin.sub = Some("alice-other-provider".into());
        twin.email = Some("alice.martin@example.gouv.fr".into());
        let second = users::insert(&store, &twin).await.expect("insert");
        let found = users::find_by_email(&store, "ALICE.MARTIN@example.gouv.fr")
            .await
            .expect("query");
        assert_eq!(found, vec![first, second]);
    }
);

per_backend!(
    provisional_users_cannot_share_an_email,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let provisional = UserClaims {
            sub: None,
            email: Some("new@example.org".into()),
            ..alice()
        };
        users::insert(&store, &provisional).await.expect("insert");
        let same_email = UserClaims {
            email: Some("NEW@example.org".into()),
            ..provisional.clone()
        };
        let error = users::insert(&store, &same_email)
            .await
            .expect_err("duplicate email");
        assert!(matches!(error, StoreError::Conflict(_)), "{error:?}");
        assert_eq!(count_users(&store).await, 1);
    }
);

per_backend!(
    update_claims_replaces_them_and_keeps_the_rest,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let created = users::insert(&store, &alice()).await.expect("insert");
        let changed = UserClaims {
            sub: Some("alice-sub".into()),
            email: Some("alice@new.example.org".into()),
            full_name: Some("Alice Dupont".into()),
            short_name: None,
        };
        let updated = users::update_claims(&store, created.id, &changed)
            .await
            .expect("update");
        assert_eq!(updated.id, created.id);
        assert_eq!(updated.claims(), changed);
        assert_eq!(updated.created_at, created.created_at);
        assert!(updated.updated_at >= created.updated_at);
        assert_eq!(updated.language, created.language);

        let stored = users::find_by_sub(&store, "alice-sub")
            .await
            .expect("query");
        assert_eq!(stored, Some(updated.clone()));
        let by_new_email = users::find_by_email(&store, "ALICE@new.example.org")
            .await
            .expect("q");
        assert_eq!(by_new_email, vec![updated]);
        assert!(
            users::find_by_email(&store, "alice.martin@example.gouv.fr")
                .await
                .expect("q")
                .is_empty()
        );
    }
);

per_backend!(
    update_claims_can_give_a_provisional_user_its_sub,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let provisional = UserClaims {
            sub: None,
            ..alice()
        };
        let created = users::insert(&store, &provisional).await.expect("insert");
        let updated = users::update_claims(&store, created.id, &alice())
            .await
            .expect("update");
        assert_eq!(updated.sub.as_deref(), Some("alice-sub"));
        assert_eq!(
            users::find_by_sub(&store, "alice-sub").await.expect("q"),
            Some(updated)
        );
    }
);

per_backend!(
    update_claims_of_a_missing_user_is_not_found,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let error = users::update_claims(&store, uuid::Uuid::new_v4(), &alice())
            .await
            .expect_err("");
        assert!(matches!(error, StoreError::NotFound), "{error:?}");
        assert_eq!(count_users(&store).await, 0);
    }
);

per_backend!(
    update_claims_refuses_a_sub_taken_by_another_user,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        users::insert(&store, &alice()).await.expect("insert");
        let bob = UserClaims {
            sub: Some("bob".into()),
            email: None,
            ..UserClaims::default()
        };
        let bob = users::insert(&store, &bob).await.expect("insert");
        let error = users::update_claims(&store, bob.id, &alice())
            .await
            .expect_err("taken");
        assert!(matches!(error, StoreError::Conflict(_)), "{error:?}");
        let unchanged = users::find_by_id(&store, bob.id).await.expect("q");
        assert_eq!(unchanged, Some(bob));
    }
);

per_backend!(
    migrating_again_changes_nothing,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let alice = meet_domain::testing::user(&store, "alice").await;
        let applied = || async {
            let sql = "SELECT COUNT(*) FROM _sqlx_migrations";
            let count: i64 = match &store {
                meet_domain::Store::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
                meet_domain::Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
            }
            .expect("count");
            count
        };
        let before = applied().await;
        assert!(before >= 6, "every migration applied: {before}");
        store.migrate().await.expect("a second migrate");
        assert_eq!(applied().await, before, "nothing applied twice");
        let found = users::find_by_id(&store, alice.id).await.expect("find");
        assert_eq!(found, Some(alice), "the data is untouched");
        store.ping().await.expect("ping");
    }
);

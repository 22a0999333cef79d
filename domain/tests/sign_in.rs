//! Claims → user: lookup by sub, email fallback, creation, claim refresh. On SQLite and
//! PostgreSQL.

use meet_domain::per_backend;
use meet_domain::sign_in::{SignInError, SignInPolicy, sign_in};
use meet_domain::testing::{TestDatabase, services};
use meet_domain::users::{self, UserClaims};

const OPEN: SignInPolicy = SignInPolicy {
    create_users: true,
    fallback_to_email: true,
};

fn claims(sub: &str, email: &str, name: &str) -> UserClaims {
    UserClaims {
        sub: Some(sub.into()),
        email: Some(email.into()),
        full_name: Some(name.into()),
        short_name: name.split(' ').next().map(Into::into),
    }
}

per_backend!(
    the_first_login_creates_the_user,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let user = sign_in(
            &services,
            &claims("s1", "alice@example.org", "Alice Martin"),
            OPEN,
        )
        .await
        .expect("signed in");
        assert_eq!(user.sub.as_deref(), Some("s1"));
        assert_eq!(user.short_name.as_deref(), Some("Alice"));
        assert_eq!(
            users::find_by_sub(&store, "s1").await.expect("q"),
            Some(user)
        );
    }
);

per_backend!(
    the_next_login_finds_the_user_and_refreshes_claims,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let first = sign_in(
            &services,
            &claims("s1", "alice@example.org", "Alice Martin"),
            OPEN,
        )
        .await
        .expect("first");
        let second = sign_in(
            &services,
            &claims("s1", "alice@new.example.org", "Alice Dupont"),
            OPEN,
        )
        .await
        .expect("second");
        assert_eq!(second.id, first.id);
        assert_eq!(second.email.as_deref(), Some("alice@new.example.org"));
        assert_eq!(second.full_name.as_deref(), Some("Alice Dupont"));
        let again = sign_in(
            &services,
            &claims("s1", "alice@new.example.org", "Alice Dupont"),
            OPEN,
        )
        .await
        .expect("third");
        assert_eq!(
            again.updated_at, second.updated_at,
            "unchanged claims are not rewritten"
        );
    }
);

per_backend!(
    an_unknown_sub_falls_back_to_the_email,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let old = sign_in(
            &services,
            &claims("old-sub", "Alice@Example.org", "Alice"),
            OPEN,
        )
        .await
        .expect("first");
        let user = sign_in(
            &services,
            &claims("new-sub", "alice@example.ORG", "Alice"),
            OPEN,
        )
        .await
        .expect("found by email");
        assert_eq!(user.id, old.id);
        assert_eq!(user.sub.as_deref(), Some("new-sub"));
        assert_eq!(
            users::find_by_sub(&store, "old-sub").await.expect("q"),
            None
        );
    }
);

per_backend!(
    without_the_fallback_an_unknown_sub_is_a_new_user,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let strict = SignInPolicy {
            fallback_to_email: false,
            ..OPEN
        };
        let old = sign_in(
            &services,
            &claims("old-sub", "alice@example.org", "Alice"),
            strict,
        )
        .await
        .expect("first");
        let user = sign_in(
            &services,
            &claims("new-sub", "alice@example.org", "Alice"),
            strict,
        )
        .await
        .expect("second");
        assert_ne!(user.id, old.id);
    }
);

per_backend!(
    several_users_with_the_email_are_refused,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let strict = SignInPolicy {
            fallback_to_email: false,
            ..OPEN
        };
        sign_in(&services, &claims("a", "shared@example.org", "A"), strict)
            .await
            .expect("a");
        sign_in(&services, &claims("b", "shared@example.org", "B"), strict)
            .await
            .expect("b");
        let error = sign_in(&services, &claims("c", "SHARED@example.org", "C"), OPEN)
            .await
            .expect_err("ambiguous");
        assert!(matches!(error, SignInError::AmbiguousEmail(2)), "{error:?}");
        assert_eq!(users::find_by_sub(&store, "c").await.expect("q"), None);
    }
);

per_backend!(
    creation_can_be_disabled,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let closed = SignInPolicy {
            create_users: false,
            fallback_to_email: true,
        };
        let error = sign_in(
            &services,
            &claims("s1", "alice@example.org", "Alice"),
            closed,
        )
        .await
        .expect_err("refused");
        assert!(matches!(error, SignInError::CreationDisabled), "{error:?}");
        assert!(
            users::find_by_email(&store, "alice@example.org")
                .await
                .expect("q")
                .is_empty()
        );

        // A user provisioned by email may still log in and gets its sub.
        let provisional = UserClaims {
            sub: None,
            ..claims("", "bob@example.org", "Bob")
        };
        let created = users::insert(&store, &provisional)
            .await
            .expect("provisioned");
        let user = sign_in(
            &services,
            &claims("bob-sub", "bob@example.org", "Bob"),
            closed,
        )
        .await
        .expect("provisional user logs in");
        assert_eq!(user.id, created.id);
        assert_eq!(user.sub.as_deref(), Some("bob-sub"));
    }
);

per_backend!(
    claims_without_a_sub_are_refused,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        let mut anonymous = claims("", "x@example.org", "X");
        let error = sign_in(&services, &anonymous, OPEN)
            .await
            .expect_err("no sub");
        assert!(matches!(error, SignInError::MissingSubject), "{error:?}");
        anonymous.sub = None;
        assert!(sign_in(&services, &anonymous, OPEN).await.is_err());
        assert!(
            users::find_by_email(&store, "x@example.org")
                .await
                .expect("q")
                .is_empty()
        );
    }
);

per_backend!(
    simultaneous_first_logins_make_one_user,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        // Collected, so that all eight run at once before the first is awaited.
        let logins: Vec<_> = (0..8)
            .map(|_| {
                let services = services.clone();
                tokio::spawn(async move {
                    sign_in(
                        &services,
                        &claims("racer", "racer@example.org", "Racer"),
                        OPEN,
                    )
                    .await
                })
            })
            .collect();
        let mut ids = Vec::new();
        for login in logins {
            ids.push(login.await.expect("task").expect("signed in").id);
        }
        ids.dedup();
        assert_eq!(ids.len(), 1, "{ids:?}");
        assert_eq!(
            users::find_by_email(&store, "racer@example.org")
                .await
                .expect("q")
                .len(),
            1
        );
    }
);

per_backend!(
    claims_with_control_characters_get_the_same_answer_on_both_databases,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = services(store.clone());
        for sub in ["s\0ub", "line\nbreak", &"x".repeat(256)] {
            let refused = sign_in(&services, &claims(sub, "a@example.org", "A"), OPEN).await;
            assert!(
                matches!(refused, Err(SignInError::InvalidSubject)),
                "{sub:?}: {refused:?}"
            );
        }
        let names = meet_domain::sign_in::ClaimNames {
            full_name: vec!["given_name".into(), "usual_name".into()],
            short_name: "given_name".into(),
        };
        let provider = serde_json::json!({
            "email": "bad\0@example.org",
            "given_name": "Ali\0ce",
            "usual_name": "Mar\u{7}tin",
        });
        let provider = provider.as_object().expect("object").clone();
        let claims = meet_domain::sign_in::user_claims("nul-test", &provider, &names);
        assert_eq!(claims.email, None, "an email with a NUL is left out");
        assert_eq!(claims.full_name.as_deref(), Some("Alice Martin"));
        let user = sign_in(&services, &claims, OPEN)
            .await
            .expect("stored on both");
        assert_eq!(user.short_name.as_deref(), Some("Alice"));
    }
);

//! Feedback after a call: what is stored, what is refused, and what becomes of a sender's
//! feedback when their account goes. On SQLite and PostgreSQL.

#![expect(clippy::expect_used, reason = "test helpers fail the test loudly")]

use std::sync::Arc;

use chrono::{DateTime, Utc};
use meet_domain::clock::ManualClock;
use meet_domain::feedback::{self, Feedback, MAX_COMMENT_CHARS, queries};
use meet_domain::notifier::Notifier;
use meet_domain::per_backend;
use meet_domain::testing::{TestDatabase, fake_livekit, room_settings, user};
use meet_domain::{DomainError, Requester, Services, Store};

fn at() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .expect("time")
        .with_timezone(&Utc)
}

/// Services whose clock stands at [`at`]. (Their notifier stays in the process: one listening
/// on PostgreSQL could still be connecting when the test ends, and hold up dropping the test's
/// database until the server gives up on it.)
fn stopped_services(store: &Store) -> Services {
    Services::builder(store.clone(), room_settings(), fake_livekit())
        .clock(Arc::new(ManualClock::stopped_at(at())))
        .notifier(Notifier::in_process())
        .build()
}

per_backend!(
    feedback_is_stored_with_its_sender,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let services = stopped_services(&store);
        let alice = user(&store, "alice").await;
        let comment = "é".repeat(MAX_COMMENT_CHARS);
        let id = feedback::record(
            &services,
            &Requester::user(&alice),
            Feedback {
                rating: 5,
                comment: Some(format!("  {comment}\n")),
                reason: Some("duplicate_identity".into()),
                room_slug: Some("ABC-DEFG-HIJ".into()),
            },
        )
        .await
        .expect("recorded");
        let stored = queries::find(&store, id).await.expect("q").expect("stored");
        assert_eq!(stored.id, id);
        assert_eq!(stored.created_at, at());
        assert_eq!(stored.rating, 5);
        assert_eq!(stored.comment, Some(comment));
        assert_eq!(stored.reason.as_deref(), Some("duplicate_identity"));
        assert_eq!(stored.room_slug.as_deref(), Some("abc-defg-hij"));
        assert_eq!(stored.user_id, Some(alice.id));

        // A guest's, with nothing but a rating.
        let id = feedback::record(
            &services,
            &Requester::default(),
            Feedback {
                rating: 1,
                ..Feedback::default()
            },
        )
        .await
        .expect("recorded");
        let stored = queries::find(&store, id).await.expect("q").expect("stored");
        assert_eq!(
            (
                stored.rating,
                stored.comment,
                stored.reason,
                stored.room_slug,
                stored.user_id
            ),
            (1, None, None, None, None)
        );
        assert_eq!(queries::count(&store).await.expect("count"), 2);
    }
);

per_backend!(
    invalid_feedback_stores_nothing,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let services = stopped_services(&store);
        let cases = [
            Feedback {
                rating: 0,
                ..Feedback::default()
            },
            Feedback {
                rating: 6,
                comment: Some("fine".into()),
                ..Feedback::default()
            },
            Feedback {
                rating: 3,
                comment: Some("a".repeat(MAX_COMMENT_CHARS + 1)),
                ..Feedback::default()
            },
            Feedback {
                rating: 3,
                comment: Some("nul \0 byte".into()),
                ..Feedback::default()
            },
            Feedback {
                rating: 3,
                reason: Some("bored".into()),
                ..Feedback::default()
            },
            Feedback {
                rating: 3,
                room_slug: Some("../etc/passwd".into()),
                ..Feedback::default()
            },
        ];
        for case in cases {
            let refused = feedback::record(&services, &Requester::default(), case.clone()).await;
            assert!(
                matches!(refused, Err(DomainError::Invalid(_))),
                "{case:?}: {refused:?}"
            );
        }
        assert_eq!(queries::count(&store).await.expect("count"), 0);
    }
);

per_backend!(
    feedback_outlives_its_senders_account,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let services = stopped_services(&store);
        let bob = user(&store, "bob").await;
        let id = feedback::record(
            &services,
            &Requester::user(&bob),
            Feedback {
                rating: 4,
                ..Feedback::default()
            },
        )
        .await
        .expect("recorded");
        let sql = "DELETE FROM users WHERE id = $1";
        match &store {
            Store::Sqlite(pool) => sqlx::query(sql).bind(bob.id).execute(pool).await.map(drop),
            Store::Postgres(pool) => sqlx::query(sql).bind(bob.id).execute(pool).await.map(drop),
        }
        .expect("delete bob");
        let stored = queries::find(&store, id).await.expect("q").expect("kept");
        assert_eq!((stored.rating, stored.user_id), (4, None));
    }
);

per_backend!(
    the_table_refuses_what_meet_would,
    |database: TestDatabase| async move {
        // Whatever writes to the table, its checks hold.
        let store = database.store.clone();
        let insert = |rating: i16, reason: Option<&'static str>, comment: Option<String>| {
            let store = store.clone();
            async move {
                let sql = "INSERT INTO feedback (id, created_at, rating, comment, reason) \
                           VALUES ($1, $2, $3, $4, $5)";
                let id = uuid::Uuid::new_v4();
                match &store {
                    Store::Sqlite(pool) => sqlx::query(sql)
                        .bind(id)
                        .bind(at())
                        .bind(rating)
                        .bind(comment)
                        .bind(reason)
                        .execute(pool)
                        .await
                        .map(drop),
                    Store::Postgres(pool) => sqlx::query(sql)
                        .bind(id)
                        .bind(at())
                        .bind(rating)
                        .bind(comment)
                        .bind(reason)
                        .execute(pool)
                        .await
                        .map(drop),
                }
            }
        };
        insert(3, Some("left"), Some("ok".into()))
            .await
            .expect("a valid row");
        insert(0, None, None).await.expect_err("rating 0");
        insert(6, None, None).await.expect_err("rating 6");
        insert(3, Some("bored"), None)
            .await
            .expect_err("unknown reason");
        insert(3, None, Some("a".repeat(MAX_COMMENT_CHARS + 1)))
            .await
            .expect_err("too long a comment");
    }
);

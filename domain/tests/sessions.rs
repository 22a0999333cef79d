//! Sessions of logged-in people: found with one query, then from memory; ended or expired at
//! once, here and (with PostgreSQL) on every other instance. On SQLite and PostgreSQL.

#![expect(clippy::expect_used, reason = "test helpers fail the test loudly")]

use std::sync::Arc;
use std::time::Duration;

use meet_domain::Requester;
use meet_domain::clock::ManualClock;
use meet_domain::per_backend;
use meet_domain::sessions::{StoredSession, cache::FRESH_FOR};
use meet_domain::sign_in::{SignInPolicy, sign_in};
use meet_domain::testing::{TestDatabase, eventually, fake_livekit, room_settings, user};
use meet_domain::users::preferences::{self, PreferenceChanges};
use meet_domain::{Services, Store};

/// An instance of Meet over `store` whose clock the test moves, once it hears the others.
async fn instance(store: &Store) -> (Services, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::default());
    let services = Services::builder(store.clone(), room_settings(), fake_livekit())
        .clock(clock.clone())
        .build();
    eventually("the notifier is live", || async {
        services.notifier.is_live()
    })
    .await;
    (services, clock)
}

/// A login of `user_id` on `services` lasting an hour.
async fn log_in(services: &Services, user_id: uuid::Uuid) -> i128 {
    let id = i128::from_le_bytes(*uuid::Uuid::new_v4().as_bytes());
    let session = StoredSession {
        id,
        user_id,
        id_token: "id-token".to_owned(),
        expires_at: services.clock.utc().timestamp() + 3600,
    };
    services.sessions.save(&session).await.expect("saved");
    id
}

async fn delete_behind_memory(store: &Store, id: i128) {
    match store {
        Store::Sqlite(pool) => {
            sqlx::query("DELETE FROM sessions WHERE id = $1")
                .bind(id.to_string())
                .execute(pool)
                .await
                .expect("deleted");
        }
        Store::Postgres(pool) => {
            sqlx::query("DELETE FROM sessions WHERE id = $1")
                .bind(id.to_string())
                .execute(pool)
                .await
                .expect("deleted");
        }
    }
}

async fn is_signed_in(services: &Services, id: i128) -> bool {
    services
        .sessions
        .signed_in(id)
        .await
        .expect("lookup")
        .is_some()
}

per_backend!(
    a_recent_session_is_answered_from_memory,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, clock) = instance(&store).await;
        let alice = user(&store, "alice").await;
        let id = log_in(&services, alice.id).await;
        let found = services.sessions.signed_in(id).await.expect("lookup");
        assert_eq!(found.as_deref(), Some(&alice));

        // Gone from the database behind Meet's back: still answered from memory…
        delete_behind_memory(&store, id).await;
        let remembered = services.sessions.signed_in(id).await.expect("lookup");
        assert_eq!(remembered.as_deref(), Some(&alice));
        // …for a while only.
        clock.advance(FRESH_FOR);
        assert_eq!(services.sessions.signed_in(id).await.expect("lookup"), None);
        // A session nobody has is nobody's.
        assert_eq!(services.sessions.signed_in(7).await.expect("lookup"), None);
    }
);

per_backend!(
    logout_and_expiry_take_effect_at_once,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, clock) = instance(&store).await;
        let alice = user(&store, "alice").await;

        let id = log_in(&services, alice.id).await;
        assert!(is_signed_in(&services, id).await);
        services.sessions.end(id).await.expect("ended");
        assert_eq!(services.sessions.signed_in(id).await.expect("lookup"), None);
        assert_eq!(services.sessions.load(id).await.expect("load"), None);

        let id = log_in(&services, alice.id).await;
        assert!(is_signed_in(&services, id).await);
        clock.advance(Duration::from_secs(3600));
        assert_eq!(
            services.sessions.signed_in(id).await.expect("lookup"),
            None,
            "past its end, even while remembered"
        );
        assert_eq!(services.sessions.delete_expired().await.expect("purge"), 1);
    }
);

per_backend!(
    a_changed_user_is_read_again,
    |database: TestDatabase| async move {
        let store = database.store.clone();
        let (services, _) = instance(&store).await;
        let alice = user(&store, "alice").await;
        let id = log_in(&services, alice.id).await;
        services.sessions.signed_in(id).await.expect("lookup");

        // Changing one's preferences…
        let changes = PreferenceChanges {
            language: Some("fr-fr".to_owned()),
            ..PreferenceChanges::default()
        };
        preferences::change(
            &services,
            &Requester::user(&alice),
            &alice.id.to_string(),
            changes,
        )
        .await
        .expect("changed");
        let found = services.sessions.signed_in(id).await.expect("lookup");
        assert_eq!(found.expect("alice").language, "fr-fr");

        // …and logging in again with new claims.
        let mut claims = alice.claims();
        claims.full_name = Some("Alice Renamed".to_owned());
        let policy = SignInPolicy {
            create_users: true,
            fallback_to_email: false,
        };
        sign_in(&services, &claims, policy)
            .await
            .expect("signed in");
        let found = services.sessions.signed_in(id).await.expect("lookup");
        assert_eq!(
            found.expect("alice").full_name.as_deref(),
            Some("Alice Renamed")
        );
    }
);

/// Instances share a database only on PostgreSQL (one SQLite database has one instance).
#[tokio::test]
async fn with_postgresql_a_logout_ends_the_session_on_every_instance() {
    let Some(database) = TestDatabase::postgres().await else {
        eprintln!(
            "skipped: {} is not set",
            meet_domain::testing::TEST_POSTGRES_URL
        );
        return;
    };
    let store = database.store.clone();
    let (here, _) = instance(&store).await;
    // Its clock never moves: only the notification can make it forget the session.
    let (elsewhere, _) = instance(&store).await;
    let alice = user(&store, "alice").await;
    let id = log_in(&here, alice.id).await;
    assert!(is_signed_in(&elsewhere, id).await);
    here.sessions.end(id).await.expect("ended");
    eventually("the other instance hears of the logout", || async {
        !is_signed_in(&elsewhere, id).await
    })
    .await;
}

/// While the connection that hears the other instances is lost, nothing is served from memory.
#[tokio::test]
async fn without_news_from_the_others_every_lookup_reads_the_database() {
    let database = TestDatabase::sqlite().await;
    let store = database.store.clone();
    let (services, _) = instance(&store).await;
    let alice = user(&store, "alice").await;
    let id = log_in(&services, alice.id).await;
    assert!(is_signed_in(&services, id).await);
    services.notifier.simulate_lost_connection();
    assert!(!services.notifier.is_live());
    delete_behind_memory(&store, id).await;
    assert_eq!(services.sessions.signed_in(id).await.expect("lookup"), None);
}

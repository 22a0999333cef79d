//! The hosts' controls over other participants, with a fake LiveKit: who may use them, and in
//! which order a role change asks LiveKit and writes the database, so that LiveKit failing (or
//! a concurrent change) leaves both as they were. On SQLite and PostgreSQL.

#![expect(clippy::expect_used, reason = "test helpers fail the test loudly")]

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use meet_domain::accesses::queries as accesses;
use meet_domain::livekit::rooms::{LiveKitError, LiveKitRooms, ParticipantChanges};
use meet_domain::moderation::{self, ModerationError};
use meet_domain::notifier::Notifier;
use meet_domain::per_backend;
use meet_domain::rooms::{self, RoomChanges};
use meet_domain::testing::{
    FakeLiveKit, ParticipantAction, TestDatabase, registered_room, room_settings, user,
};
use meet_domain::{DomainError, Requester, Services, Store};
use meet_types::{AccessLevel, Role, RoomConfiguration};

/// Services calling `livekit`, their notifications kept in the process.
fn services_with(database: &TestDatabase, livekit: Arc<dyn LiveKitRooms>) -> Services {
    Services::builder(database.store.clone(), room_settings(), livekit)
        .notifier(Notifier::in_process())
        .build()
}

fn room_role(role: &str) -> Option<HashMap<String, String>> {
    Some(HashMap::from([("room_role".to_owned(), role.to_owned())]))
}

per_backend!(
    only_hosts_moderate_and_refusals_ask_livekit_nothing,
    |database: TestDatabase| async move {
        let livekit = Arc::new(FakeLiveKit::default());
        let services = services_with(&database, livekit.clone());
        let owner = user(&database.store, "owner").await;
        let member = user(&database.store, "member").await;
        let stranger = user(&database.store, "stranger").await;
        let room = registered_room(&database.store, &owner, "Sync", AccessLevel::Restricted).await;
        accesses::insert(&database.store, room.id, member.id, Role::Member)
            .await
            .expect("member");
        let key = room.id.to_string();
        for (requester, refused) in [
            (Requester::default(), "Unauthenticated"),
            (Requester::user(&member), "Forbidden"),
            (Requester::user(&stranger), "Forbidden"),
        ] {
            let error = moderation::moderator(&services, &requester, &key)
                .await
                .expect_err("refused");
            assert!(format!("{error:?}").starts_with(refused), "{error:?}");
            let error = moderation::may_mute(&services, &requester, None, &key)
                .await
                .expect_err("refused");
            assert!(format!("{error:?}").starts_with(refused), "{error:?}");
        }
        assert!(livekit.actions().is_empty() && livekit.updates().is_empty());

        let moderator = moderation::moderator(&services, &Requester::user(&owner), &key)
            .await
            .expect("the owner moderates");
        assert_eq!(moderator.role, Role::Owner);
        livekit.connect(&room.livekit_name(), "guest");
        moderation::remove(&services, &moderator, "guest")
            .await
            .expect("removed");
        assert_eq!(
            livekit.actions(),
            [ParticipantAction::Remove(
                room.livekit_name(),
                "guest".to_owned()
            )]
        );
        let again = moderation::remove(&services, &moderator, "guest").await;
        assert!(
            matches!(again, Err(ModerationError::Missing(_))),
            "{again:?}"
        );
    }
);

per_backend!(
    a_token_mutes_only_where_everyone_may_and_only_when_connected,
    |database: TestDatabase| async move {
        let livekit = Arc::new(FakeLiveKit::default());
        let services = services_with(&database, livekit.clone());
        let owner = user(&database.store, "owner").await;
        let room = registered_room(&database.store, &owner, "Sync", AccessLevel::Public).await;
        let name = room.livekit_name();
        let key = room.id.to_string();
        let participant = meet_domain::livekit::token::Participant {
            identity: "guest".to_owned(),
            name: "Guest".to_owned(),
            role: None,
            is_authenticated: false,
        };
        let token =
            meet_domain::livekit::token::mint(&services.settings.token, &name, &participant, None)
                .expect("token")
                .token;
        let nobody = Requester::default();

        let refused = moderation::may_mute(&services, &nobody, Some(&token), &key).await;
        assert!(
            matches!(refused, Err(DomainError::Forbidden(_))),
            "not connected"
        );
        livekit.connect(&name, "guest");
        let right = moderation::may_mute(&services, &nobody, Some(&token), &key)
            .await
            .expect("everyone may mute by default");
        assert_eq!(right.room(), name);
        livekit.connect(&name, "bob");
        livekit.publish(&name, "bob", "TR_mic");
        moderation::mute(&services, &right, "bob", "TR_mic")
            .await
            .expect("muted");
        let missing = moderation::mute(&services, &right, "bob", "TR_cam").await;
        assert!(matches!(missing, Err(ModerationError::Missing(_))));
        let invalid = moderation::mute(&services, &right, "", "TR x").await;
        let Err(ModerationError::Domain(DomainError::Invalid(errors))) = invalid else {
            panic!("{invalid:?}");
        };
        assert_eq!(
            errors.0.keys().collect::<Vec<_>>(),
            ["participant_identity", "track_sid"],
            "both fields' problems at once"
        );

        rooms::update(
            &services,
            &Requester::user(&owner),
            &key,
            RoomChanges {
                configuration: Some(RoomConfiguration {
                    everyone_can_mute: Some(false),
                    ..RoomConfiguration::default()
                }),
                ..RoomChanges::default()
            },
        )
        .await
        .expect("updated");
        let asked = livekit.actions().len();
        let refused = moderation::may_mute(&services, &nobody, Some(&token), &key).await;
        assert!(
            matches!(refused, Err(DomainError::Forbidden(_))),
            "{refused:?}"
        );
        assert_eq!(
            livekit.actions().len(),
            asked,
            "refused before asking LiveKit"
        );
    }
);

/// A room with its owner, and Bob (logged in, no role), both connected to the meeting.
async fn meeting(
    store: &Store,
    livekit: &FakeLiveKit,
) -> (
    meet_domain::rooms::Room,
    meet_domain::users::User,
    meet_domain::users::User,
) {
    let owner = user(store, "owner").await;
    let bob = user(store, "bob").await;
    let room = registered_room(store, &owner, "Sync", AccessLevel::Public).await;
    livekit.connect(&room.livekit_name(), "owner");
    livekit.connect(&room.livekit_name(), "bob");
    (room, owner, bob)
}

per_backend!(
    livekit_failing_to_set_the_attribute_writes_no_role,
    |database: TestDatabase| async move {
        let livekit = Arc::new(FakeLiveKit::default());
        let services = services_with(&database, livekit.clone());
        let (room, owner, bob) = meeting(&database.store, &livekit).await;
        let moderator =
            moderation::moderator(&services, &Requester::user(&owner), &room.id.to_string())
                .await
                .expect("moderator");
        livekit.updates_down.store(true, Ordering::SeqCst);
        let failed = moderation::set_role(&services, &moderator, "bob", Role::Administrator).await;
        assert!(
            matches!(
                failed,
                Err(ModerationError::Domain(DomainError::LiveKit(_)))
            ),
            "{failed:?}"
        );
        let role = rooms::queries::role_of(&database.store, room.id, bob.id)
            .await
            .expect("role");
        assert_eq!(role, None);

        livekit.updates_down.store(false, Ordering::SeqCst);
        let change = moderation::set_role(&services, &moderator, "bob", Role::Administrator)
            .await
            .expect("changed");
        assert!(change.livekit_synced);
        let role = rooms::queries::role_of(&database.store, room.id, bob.id)
            .await
            .expect("role");
        assert_eq!(role, Some(Role::Administrator));
        let last = livekit.updates().pop().expect("an update");
        assert_eq!(last.identity, "bob");
        assert_eq!(last.changes.attributes, room_role("administrator"));
    }
);

/// A LiveKit that, when asked to set an attribute, lets a concurrent change make Bob an owner
/// first: the role change then meets an owner in the database.
struct RacingLiveKit {
    inner: Arc<FakeLiveKit>,
    store: Store,
    room: uuid::Uuid,
    bob: uuid::Uuid,
}

#[async_trait::async_trait]
impl LiveKitRooms for RacingLiveKit {
    async fn merge_room_metadata(
        &self,
        room: &str,
        patch: serde_json::Map<String, serde_json::Value>,
    ) -> Result<bool, LiveKitError> {
        self.inner.merge_room_metadata(room, patch).await
    }

    async fn update_participant(
        &self,
        room: &str,
        identity: &str,
        changes: ParticipantChanges,
    ) -> Result<bool, LiveKitError> {
        if self.inner.updates().is_empty() {
            accesses::insert(&self.store, self.room, self.bob, Role::Owner)
                .await
                .expect("made owner meanwhile");
        }
        self.inner.update_participant(room, identity, changes).await
    }

    async fn is_connected(&self, room: &str, identity: &str) -> Result<bool, LiveKitError> {
        self.inner.is_connected(room, identity).await
    }

    async fn participants(
        &self,
        room: &str,
    ) -> Result<Vec<meet_domain::livekit::rooms::ConnectedParticipant>, LiveKitError> {
        self.inner.participants(room).await
    }

    async fn delete_room(&self, room: &str) -> Result<bool, LiveKitError> {
        self.inner.delete_room(room).await
    }

    async fn mute_track(
        &self,
        room: &str,
        identity: &str,
        sid: &str,
    ) -> Result<bool, LiveKitError> {
        self.inner.mute_track(room, identity, sid).await
    }

    async fn remove_participant(&self, room: &str, identity: &str) -> Result<bool, LiveKitError> {
        self.inner.remove_participant(room, identity).await
    }

    async fn send_data(&self, room: &str, data: Vec<u8>) -> Result<bool, LiveKitError> {
        self.inner.send_data(room, data).await
    }
}

per_backend!(
    a_target_made_owner_meanwhile_keeps_ownership_and_its_attribute,
    |database: TestDatabase| async move {
        let fake = Arc::new(FakeLiveKit::default());
        let (room, owner, bob) = meeting(&database.store, &fake).await;
        let racing = Arc::new(RacingLiveKit {
            inner: fake.clone(),
            store: database.store.clone(),
            room: room.id,
            bob: bob.id,
        });
        let services = services_with(&database, racing);
        let moderator =
            moderation::moderator(&services, &Requester::user(&owner), &room.id.to_string())
                .await
                .expect("moderator");
        let refused = moderation::set_role(&services, &moderator, "bob", Role::Member).await;
        assert!(
            matches!(
                refused,
                Err(ModerationError::Domain(DomainError::Forbidden(_)))
            ),
            "{refused:?}"
        );
        let role = rooms::queries::role_of(&database.store, room.id, bob.id)
            .await
            .expect("role");
        assert_eq!(role, Some(Role::Owner), "the concurrent change stands");
        let attributes: Vec<_> = fake
            .updates()
            .into_iter()
            .map(|update| update.changes.attributes)
            .collect();
        assert_eq!(
            attributes,
            [room_role("member"), room_role("")],
            "the attribute set, then put back as it was"
        );
    }
);

//! The hosts' controls over other participants, against the LiveKit stand-in: mute-participant,
//! remove-participant, update-participant and update-participant-role, for each caller (owner,
//! administrator, member, logged-in stranger, anonymous visitor, a guest's LiveKit token, a
//! token for another room) in rooms of each access level. Every refusal changes nothing: the
//! stand-in's participants and the room's accesses are read back after each.

use meet_domain::accesses::queries as accesses;
use meet_domain::livekit::token::ATTRIBUTE_ROOM_ROLE;
use meet_domain::per_backend;
use meet_domain::rooms::Room;
use meet_domain::testing::registered_room;
use meet_domain::users::User;
use meet_livekit_standin::proto::{self, ParticipantInfo, TrackSource};
use meet_types::{AccessLevel, Role};
use serde_json::{Value, json};

use crate::helpers::{AppOptions, TestApp, browser, spawn_app_with};
use crate::openapi::{ApiSpec, call};

const MUTE: &str = "/api/v1.0/rooms/{id}/mute-participant/";
const REMOVE: &str = "/api/v1.0/rooms/{id}/remove-participant/";
const UPDATE: &str = "/api/v1.0/rooms/{id}/update-participant/";
const ROLE: &str = "/api/v1.0/rooms/{id}/update-participant-role/";

/// The guest's LiveKit identity (a guest's is a UUID Meet issued).
pub(crate) const GUEST: &str = "6f1c2a4e-9b0d-4c7e-8a55-0d6e7c1f2b3a";

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Who {
    Owner,
    Admin,
    Member,
    Stranger,
    Anonymous,
}

pub(crate) const EVERYONE: [Who; 5] = [
    Who::Owner,
    Who::Admin,
    Who::Member,
    Who::Stranger,
    Who::Anonymous,
];

/// A meeting in progress: a registered room with an owner, an administrator and a member (each
/// logged in, with a browser of their own), a logged-in stranger, and on LiveKit the owner, the
/// administrator, Bob (logged in, no role) and a guest, Bob and the guest each publishing a
/// microphone and a camera.
pub(crate) struct Meeting {
    pub(crate) app: TestApp,
    spec: ApiSpec,
    pub(crate) room: Room,
    owner: User,
    admin: User,
    pub(crate) bob: User,
    owner_browser: reqwest::Client,
    admin_browser: reqwest::Client,
    member_browser: reqwest::Client,
    stranger_browser: reqwest::Client,
}

impl Meeting {
    pub(crate) async fn start(postgres: bool) -> Option<Self> {
        let app = spawn_app_with(AppOptions {
            postgres,
            ..AppOptions::default()
        })
        .await?;
        let spec = ApiSpec::fetch(&app).await;
        let owner = app.user("owner-sub").await;
        let admin = app.user("admin-sub").await;
        let member = app.user("member-sub").await;
        let stranger = app.user("stranger-sub").await;
        let bob = app.user("bob-sub").await;
        let store = &app.database.store;
        let room = registered_room(store, &owner, "Weekly sync", AccessLevel::Public).await;
        accesses::insert(store, room.id, admin.id, Role::Administrator)
            .await
            .expect("admin access");
        accesses::insert(store, room.id, member.id, Role::Member)
            .await
            .expect("member access");
        let name = room.livekit_name();
        let no_attributes = Vec::<(String, String)>::new;
        app.livekit
            .add_participant(&name, "owner-sub", "Owner", [("room_role", "owner")]);
        app.livekit.add_participant(
            &name,
            "admin-sub",
            "Admin",
            [("room_role", "administrator")],
        );
        app.livekit
            .add_participant(&name, "bob-sub", "Bob", [("handRaisedAt", "2026-03-01")]);
        app.livekit
            .add_participant(&name, GUEST, "Guest", no_attributes());
        for identity in ["bob-sub", GUEST] {
            for source in [TrackSource::Microphone, TrackSource::Camera] {
                app.livekit
                    .add_track(&name, identity, source)
                    .expect("track");
            }
        }
        Some(Self {
            owner_browser: app.client_for(&owner).await,
            admin_browser: app.client_for(&admin).await,
            member_browser: app.client_for(&member).await,
            stranger_browser: app.client_for(&stranger).await,
            app,
            spec,
            room,
            owner,
            admin,
            bob,
        })
    }

    pub(crate) fn browser(&self, who: Who) -> reqwest::Client {
        match who {
            Who::Owner => self.owner_browser.clone(),
            Who::Admin => self.admin_browser.clone(),
            Who::Member => self.member_browser.clone(),
            Who::Stranger => self.stranger_browser.clone(),
            Who::Anonymous => browser(),
        }
    }

    pub(crate) fn key(&self) -> String {
        self.room.id.to_string()
    }

    /// `POST template` for the room `key` from `client`, with `authorization` and `body`,
    /// checked against the OpenAPI document.
    async fn post_with(
        &self,
        client: &reqwest::Client,
        template: &str,
        key: &str,
        authorization: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = client.post(self.app.url(&template.replace("{id}", key)));
        if let Some(authorization) = authorization {
            request = request.header("authorization", authorization);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        call(&self.spec, "post", template, request).await
    }

    /// `POST template` for this room as `who`.
    async fn post(&self, who: Who, template: &str, body: Value) -> (u16, Value) {
        self.post_with(&self.browser(who), template, &self.key(), None, Some(body))
            .await
    }

    /// `POST template` for this room with `Bearer token` and no session.
    async fn post_token(&self, token: &str, template: &str, body: Value) -> (u16, Value) {
        let bearer = format!("Bearer {token}");
        self.post_with(&browser(), template, &self.key(), Some(&bearer), Some(body))
            .await
    }

    /// A token Meet would mint for `identity` to join the LiveKit room `room`.
    pub(crate) fn token(&self, room: &str, identity: &str) -> String {
        meet_domain::testing::guest_token(&self.app.services.settings.token, room, identity)
    }

    /// The guest's token for this meeting.
    pub(crate) fn guest_token(&self) -> String {
        self.token(&self.room.livekit_name(), GUEST)
    }

    pub(crate) fn participant(&self, identity: &str) -> Option<ParticipantInfo> {
        self.app
            .livekit
            .participant(&self.room.livekit_name(), identity)
    }

    pub(crate) fn track(&self, identity: &str, source: TrackSource) -> proto::TrackInfo {
        self.participant(identity)
            .expect("connected")
            .tracks
            .into_iter()
            .find(|track| track.source == source as i32)
            .expect("published")
    }

    /// What a refusal must leave as it was: LiveKit's participants of the meeting, and the
    /// room's accesses (id, user, role, last change).
    pub(crate) async fn state(
        &self,
    ) -> (Vec<ParticipantInfo>, Vec<(String, String, String, String)>) {
        let participants = self.app.livekit.participants(&self.room.livekit_name());
        let accesses = accesses::list_for_room(&self.app.database.store, self.room.id)
            .await
            .expect("accesses")
            .into_iter()
            .map(|access| {
                let access = access.access;
                (
                    access.id.to_string(),
                    access.user_id.to_string(),
                    access.role.to_string(),
                    access.updated_at.to_rfc3339(),
                )
            })
            .collect();
        (participants, accesses)
    }

    /// The role `user` holds in the room.
    pub(crate) async fn role_of(&self, user: &User) -> Option<Role> {
        meet_domain::rooms::queries::role_of(&self.app.database.store, self.room.id, user.id)
            .await
            .expect("role")
    }

    /// Sets the room's access level and configuration, as its owner would.
    pub(crate) async fn configure(&self, access_level: AccessLevel, configuration: Value) {
        let response = self
            .owner_browser
            .patch(self.app.url(&format!("/api/v1.0/rooms/{}/", self.room.id)))
            .json(&json!({"access_level": access_level, "configuration": configuration}))
            .send()
            .await
            .expect("patch");
        assert_eq!(response.status(), 200);
    }
}

/// A meeting on each backend, for [`per_backend!`].
impl meet_domain::testing::OnBackend for Meeting {
    async fn on(backend: meet_domain::Backend) -> Option<Self> {
        Self::start(backend == meet_domain::Backend::Postgres).await
    }
}

/// The status each caller gets from an endpoint only administrators and owners may call.
pub(crate) fn hosts_only(who: Who) -> u16 {
    match who {
        Who::Owner | Who::Admin => 200,
        Who::Member | Who::Stranger => 403,
        Who::Anonymous => 401,
    }
}

per_backend!(
    hosts_mute_in_every_access_level_and_others_may_not,
    |meeting: Meeting| async move {
        // Unmuted again before each call, as Bob would (remote unmute allowed for that).
        meeting.app.livekit.set_remote_unmute(true);
        for level in [
            AccessLevel::Public,
            AccessLevel::Trusted,
            AccessLevel::Restricted,
        ] {
            meeting.configure(level, json!({})).await;
            for who in EVERYONE {
                let mic = meeting.track("bob-sub", TrackSource::Microphone);
                unmute(&meeting, "bob-sub", &mic.sid).await;
                let before = meeting.state().await;
                let body = json!({"participant_identity": "bob-sub", "track_sid": mic.sid});
                let (status, answer) = meeting.post(who, MUTE, body).await;
                let expected = hosts_only(who);
                assert_eq!(status, expected, "{level:?} {who:?}: {answer}");
                if expected == 200 {
                    assert_eq!(answer, json!({"status": "success"}));
                    assert!(meeting.track("bob-sub", TrackSource::Microphone).muted);
                    assert!(!meeting.track("bob-sub", TrackSource::Camera).muted);
                } else {
                    assert_eq!(meeting.state().await, before, "{level:?} {who:?}");
                }
            }
        }
    }
);

/// Unmutes a track on the stand-in, as its publisher would.
async fn unmute(meeting: &Meeting, identity: &str, sid: &str) {
    let lk = livekit_api::services::room::RoomClient::with_api_key(
        &meeting.app.livekit.url(),
        "devkey",
        "secret",
    );
    lk.mute_published_track(&meeting.room.livekit_name(), identity, sid, false)
        .await
        .expect("unmuted");
}

per_backend!(
    participants_mute_with_their_token_unless_the_room_forbids_it,
    |meeting: Meeting| async move {
        let mic = meeting.track("bob-sub", TrackSource::Microphone);
        let body = json!({"participant_identity": "bob-sub", "track_sid": mic.sid});
        // Everyone may mute, by default.
        let (status, answer) = meeting
            .post_token(&meeting.guest_token(), MUTE, body.clone())
            .await;
        assert_eq!((status, answer), (200, json!({"status": "success"})));
        assert!(meeting.track("bob-sub", TrackSource::Microphone).muted);

        // Refusals, each changing nothing.
        meeting.app.livekit.set_remote_unmute(true);
        unmute(&meeting, "bob-sub", &mic.sid).await;
        let other = registered_room(
            &meeting.app.database.store,
            &meeting.owner,
            "Another room",
            AccessLevel::Public,
        )
        .await;
        let before = meeting.state().await;
        let cases = [
            (
                "another room's token",
                meeting.token(&other.livekit_name(), GUEST),
                403,
                "This LiveKit token is for another room.",
            ),
            (
                "a token of someone not connected",
                meeting.token(&meeting.room.livekit_name(), "ghost"),
                403,
                "Could not verify that you are connected to this meeting: join it to mute others.",
            ),
            (
                "a garbled token",
                "eyJh.eyJz.c2ln".to_owned(),
                401,
                "Invalid LiveKit token.",
            ),
        ];
        for (case, token, expected, detail) in cases {
            let (status, answer) = meeting.post_token(&token, MUTE, body.clone()).await;
            assert_eq!(
                (status, answer["detail"].as_str()),
                (expected, Some(detail)),
                "{case}"
            );
            assert_eq!(meeting.state().await, before, "{case}");
        }
        // A token is checked before anything else: an invalid one learns nothing.
        let (status, _) = meeting
            .post_token("eyJh.eyJz.c2ln", MUTE, json!({"nonsense": 1}))
            .await;
        assert_eq!(status, 401);

        // The owner forbids it: tokens are refused, even an administrator's; sessions still work.
        meeting
            .configure(AccessLevel::Public, json!({"everyone_can_mute": false}))
            .await;
        let before = meeting.state().await;
        for token in [
            meeting.guest_token(),
            meeting.token(&meeting.room.livekit_name(), "admin-sub"),
        ] {
            let (status, answer) = meeting.post_token(&token, MUTE, body.clone()).await;
            assert_eq!(status, 403, "{answer}");
            assert_eq!(
                answer["detail"],
                "Only the room's administrators and owners may mute participants."
            );
            assert_eq!(meeting.state().await, before);
        }
        let (status, _) = meeting.post(Who::Admin, MUTE, body.clone()).await;
        assert_eq!(status, 200);
        assert!(meeting.track("bob-sub", TrackSource::Microphone).muted);
    }
);

/// An unregistered meeting has no configuration: its participants may mute each other; nobody
/// administers it.
#[tokio::test]
async fn participants_of_an_unregistered_meeting_may_mute() {
    let meeting = Meeting::start(false).await.expect("SQLite");
    let code = "abc-defg-hij";
    meeting
        .app
        .livekit
        .add_participant(code, GUEST, "Guest", Vec::<(String, String)>::new());
    meeting
        .app
        .livekit
        .add_participant(code, "other", "Other", Vec::<(String, String)>::new());
    let mic = meeting
        .app
        .livekit
        .add_track(code, "other", TrackSource::Microphone)
        .expect("track");
    let bearer = format!("Bearer {}", meeting.token(code, GUEST));
    let body = json!({"participant_identity": "other", "track_sid": mic.sid});
    let (status, _) = meeting
        .post_with(
            &browser(),
            MUTE,
            "ABCDEFGHIJ",
            Some(&bearer),
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        meeting
            .app
            .livekit
            .participant(code, "other")
            .expect("there")
            .tracks[0]
            .muted
    );
    let (status, _) = meeting
        .post_with(&meeting.owner_browser, MUTE, code, None, Some(body))
        .await;
    assert_eq!(status, 404, "nobody administers an unregistered meeting");
}

per_backend!(
    muting_someone_absent_or_a_track_unknown_is_not_found,
    |meeting: Meeting| async move {
        let mic = meeting.track("bob-sub", TrackSource::Microphone);
        let guest_camera = meeting.track(GUEST, TrackSource::Camera);
        let before = meeting.state().await;
        for (identity, sid) in [
            ("nobody", mic.sid.as_str()),
            ("bob-sub", "TR_unknown"),
            ("bob-sub", guest_camera.sid.as_str()),
        ] {
            let body = json!({"participant_identity": identity, "track_sid": sid});
            let (status, answer) = meeting.post(Who::Owner, MUTE, body).await;
            assert_eq!(status, 404, "{identity} {sid}: {answer}");
            assert_eq!(
                answer["detail"],
                "Participant or track not found: no such track is published in this meeting."
            );
            assert_eq!(meeting.state().await, before);
        }
        // LiveKit down: 502, nothing changed.
        meeting.app.livekit.set_unavailable(true);
        let body = json!({"participant_identity": "bob-sub", "track_sid": mic.sid});
        let (status, answer) = meeting.post(Who::Owner, MUTE, body.clone()).await;
        assert_eq!(status, 502, "{answer}");
        let (status, _) = meeting.post_token(&meeting.guest_token(), MUTE, body).await;
        assert_eq!(status, 502, "the token holder's presence cannot be checked");
        meeting.app.livekit.set_unavailable(false);
        assert_eq!(meeting.state().await, before);
    }
);

per_backend!(
    hosts_remove_participants_and_others_may_not,
    |meeting: Meeting| async move {
        let before = meeting.state().await;
        for who in [Who::Member, Who::Stranger, Who::Anonymous] {
            let (status, _) = meeting
                .post(who, REMOVE, json!({"participant_identity": GUEST}))
                .await;
            assert_eq!(status, hosts_only(who), "{who:?}");
            assert_eq!(meeting.state().await, before, "{who:?}");
        }
        // A participant's token is no moderator's credential.
        let (status, _) = meeting
            .post_token(
                &meeting.token(&meeting.room.livekit_name(), "owner-sub"),
                REMOVE,
                json!({"participant_identity": GUEST}),
            )
            .await;
        assert_eq!(status, 401);
        assert_eq!(meeting.state().await, before);

        let (status, answer) = meeting
            .post(Who::Admin, REMOVE, json!({"participant_identity": GUEST}))
            .await;
        assert_eq!((status, answer), (200, json!({"status": "success"})));
        assert!(meeting.participant(GUEST).is_none());
        let left = meeting
            .app
            .livekit
            .webhook_events()
            .into_iter()
            .rfind(|event| event.event == "participant_left")
            .expect("participant_left");
        let participant = left.participant.expect("participant");
        assert_eq!(participant.identity, GUEST);
        assert_eq!(
            participant.disconnect_reason,
            proto::DisconnectReason::ParticipantRemoved as i32
        );

        let (status, _) = meeting
            .post(
                Who::Owner,
                REMOVE,
                json!({"participant_identity": "bob-sub"}),
            )
            .await;
        assert_eq!(status, 200);
        assert!(meeting.participant("bob-sub").is_none());

        // Gone already: not found, nothing else changed.
        let before = meeting.state().await;
        let (status, answer) = meeting
            .post(Who::Owner, REMOVE, json!({"participant_identity": GUEST}))
            .await;
        assert_eq!(status, 404);
        assert_eq!(
            answer["detail"],
            "Participant is not connected to this meeting."
        );
        meeting.app.livekit.set_unavailable(true);
        let (status, _) = meeting
            .post(
                Who::Owner,
                REMOVE,
                json!({"participant_identity": "admin-sub"}),
            )
            .await;
        assert_eq!(status, 502);
        meeting.app.livekit.set_unavailable(false);
        assert_eq!(meeting.state().await, before);
    }
);

per_backend!(
    hosts_update_participants_and_others_may_not,
    |meeting: Meeting| async move {
        let body = json!({
            "participant_identity": "bob-sub",
            "permission": {
                "can_subscribe": true,
                "can_publish": true,
                "can_publish_data": true,
                "can_publish_sources": ["camera", "screen_share"],
            },
        });
        let before = meeting.state().await;
        for who in [Who::Member, Who::Stranger, Who::Anonymous] {
            let (status, _) = meeting.post(who, UPDATE, body.clone()).await;
            assert_eq!(status, hosts_only(who), "{who:?}");
            assert_eq!(meeting.state().await, before, "{who:?}");
        }
        let (status, _) = meeting
            .post_token(&meeting.guest_token(), UPDATE, body.clone())
            .await;
        assert_eq!(
            status, 401,
            "a participant's token is no moderator's credential"
        );
        assert_eq!(meeting.state().await, before);

        // Publish sources without the microphone: LiveKit drops Bob's microphone.
        let (status, answer) = meeting.post(Who::Admin, UPDATE, body).await;
        assert_eq!((status, answer), (200, json!({"status": "success"})));
        let bob = meeting.participant("bob-sub").expect("connected");
        // Every other field (hidden, recorder, agent…) false.
        assert_eq!(
            bob.permission,
            Some(proto::ParticipantPermission {
                can_subscribe: true,
                can_publish: true,
                can_publish_data: true,
                can_publish_sources: vec![
                    TrackSource::Camera as i32,
                    TrackSource::ScreenShare as i32
                ],
                ..proto::ParticipantPermission::default()
            })
        );
        let sources: Vec<i32> = bob.tracks.iter().map(|track| track.source).collect();
        assert_eq!(sources, [TrackSource::Camera as i32]);

        // Lowering a hand, renaming, metadata: as La Suite Meet's front end does.
        let (status, _) = meeting
            .post(
                Who::Owner,
                UPDATE,
                json!({
                    "participant_identity": "bob-sub",
                    "attributes": {"handRaisedAt": ""},
                    "name": "  Bob B.  ",
                    "metadata": {"note": "speaker"},
                }),
            )
            .await;
        assert_eq!(status, 200);
        let bob = meeting.participant("bob-sub").expect("connected");
        assert!(!bob.attributes.contains_key("handRaisedAt"));
        assert_eq!(bob.name, "Bob B.");
        assert_eq!(bob.metadata, r#"{"note":"speaker"}"#);

        // Someone not connected: not found. LiveKit down: 502.
        let before = meeting.state().await;
        let (status, answer) = meeting
            .post(
                Who::Owner,
                UPDATE,
                json!({"participant_identity": "nobody", "name": "X"}),
            )
            .await;
        assert_eq!(status, 404, "{answer}");
        meeting.app.livekit.set_unavailable(true);
        let (status, _) = meeting
            .post(
                Who::Owner,
                UPDATE,
                json!({"participant_identity": "bob-sub", "name": "X"}),
            )
            .await;
        assert_eq!(status, 502);
        meeting.app.livekit.set_unavailable(false);
        assert_eq!(meeting.state().await, before);
    }
);

per_backend!(
    forbidden_and_malformed_updates_change_nothing,
    |meeting: Meeting| async move {
        let before = meeting.state().await;
        let identity = "bob-sub";
        let cases = [
            (
                json!({"participant_identity": identity, "permission": {"can_publish": true, "hidden": true}}),
                "permission",
                "Setting hidden, recorder or agent is not allowed",
            ),
            (
                json!({"participant_identity": identity, "permission": {"recorder": false}}),
                "permission",
                "Setting hidden, recorder or agent is not allowed",
            ),
            (
                json!({"participant_identity": identity, "permission": {"agent": true}}),
                "permission",
                "Setting hidden, recorder or agent is not allowed",
            ),
            (
                json!({"participant_identity": identity, "permission": {"can_fly": true}}),
                "permission",
                "Unknown permission field \"can_fly\"",
            ),
            (
                json!({"participant_identity": identity, "permission": {"can_publish": "yes"}}),
                "permission",
                "can_publish: Must be a valid boolean.",
            ),
            (
                json!({"participant_identity": identity, "permission": {"can_publish_sources": ["hologram"]}}),
                "permission",
                "hologram",
            ),
            (
                json!({"participant_identity": identity, "permission": "all"}),
                "permission",
                "Expected a dictionary",
            ),
            (
                json!({"participant_identity": identity, "attributes": {"room_role": 1}}),
                "attributes",
                "must be a string",
            ),
            (
                json!({"participant_identity": identity, "metadata": "x"}),
                "metadata",
                "Expected a dictionary",
            ),
            (
                json!({"participant_identity": identity, "name": "a".repeat(256)}),
                "name",
                "no more than 255 characters",
            ),
            (
                json!({"participant_identity": identity, "name": 7}),
                "name",
                "Not a valid string.",
            ),
            (
                json!({"participant_identity": identity}),
                "non_field_errors",
                "At least one of the following fields must be provided",
            ),
            (
                json!({"participant_identity": identity, "name": "   ", "metadata": null}),
                "non_field_errors",
                "At least one of the following fields must be provided",
            ),
            (
                json!({"name": "Eve"}),
                "participant_identity",
                "This field is required.",
            ),
            (
                json!({"participant_identity": "bob\u{0}", "name": "Eve"}),
                "participant_identity",
                "control characters",
            ),
            (
                json!({"participant_identity": "x".repeat(256), "name": "Eve"}),
                "participant_identity",
                "no more than 255 characters",
            ),
            (
                json!({"participant_identity": 42, "name": "Eve"}),
                "participant_identity",
                "Not a valid string.",
            ),
        ];
        for (body, field, message) in cases {
            let (status, answer) = meeting.post(Who::Owner, UPDATE, body.clone()).await;
            assert_eq!(status, 400, "{body}: {answer}");
            let said: Vec<&str> = answer[field]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let said = said.join(" ");
            assert!(said.contains(message), "{body}: {answer}");
            assert_eq!(meeting.state().await, before, "{body}");
        }
    }
);

per_backend!(
    hostile_bodies_are_refused_clearly,
    |meeting: Meeting| async move {
        let before = meeting.state().await;
        let mic = meeting.track("bob-sub", TrackSource::Microphone).sid;
        let cases = [
            (MUTE, json!({}), "participant_identity"),
            (
                MUTE,
                json!({"participant_identity": "bob-sub"}),
                "track_sid",
            ),
            (
                MUTE,
                json!({"participant_identity": "bob-sub", "track_sid": 3}),
                "track_sid",
            ),
            (
                MUTE,
                json!({"participant_identity": "bob-sub", "track_sid": "TR x"}),
                "track_sid",
            ),
            (
                MUTE,
                json!({"participant_identity": "bob-sub", "track_sid": "T".repeat(256)}),
                "track_sid",
            ),
            (
                MUTE,
                json!({"participant_identity": "", "track_sid": mic}),
                "participant_identity",
            ),
            (
                MUTE,
                json!({"participant_identity": "bob\nsub", "track_sid": mic}),
                "participant_identity",
            ),
            (
                MUTE,
                json!({"participant_identity": ["bob-sub"], "track_sid": mic}),
                "participant_identity",
            ),
            (
                MUTE,
                json!({"participant_identity": null, "track_sid": mic}),
                "participant_identity",
            ),
            (REMOVE, json!({}), "participant_identity"),
            (
                REMOVE,
                json!({"participant_identity": "  "}),
                "participant_identity",
            ),
            (
                REMOVE,
                json!({"participant_identity": true}),
                "participant_identity",
            ),
            (
                REMOVE,
                json!({"participant_identity": "é".repeat(256)}),
                "participant_identity",
            ),
            (ROLE, json!({"participant_identity": "bob-sub"}), "role"),
            (
                ROLE,
                json!({"participant_identity": "bob-sub", "role": "owner"}),
                "role",
            ),
            (
                ROLE,
                json!({"participant_identity": "bob-sub", "role": "Administrator"}),
                "role",
            ),
            (
                ROLE,
                json!({"participant_identity": "bob-sub", "role": 1}),
                "role",
            ),
            (ROLE, json!({"role": "member"}), "participant_identity"),
            (
                ROLE,
                json!({"participant_identity": "bob\u{7f}", "role": "member"}),
                "participant_identity",
            ),
        ];
        for (template, body, field) in cases {
            let (status, answer) = meeting.post(Who::Owner, template, body.clone()).await;
            assert_eq!(status, 400, "{template} {body}: {answer}");
            assert!(answer[field].is_array(), "{template} {body}: {answer}");
            assert_eq!(meeting.state().await, before, "{template} {body}");
        }
        // Not a JSON object, or not JSON: refused the same way everywhere.
        for template in [MUTE, REMOVE, UPDATE, ROLE] {
            let (status, _) = meeting.post(Who::Owner, template, json!(["bob-sub"])).await;
            assert_eq!(status, 400, "{template}");
            let response = meeting
                .owner_browser
                .post(meeting.app.url(&template.replace("{id}", &meeting.key())))
                .header("content-type", "text/plain")
                .body("participant_identity=bob-sub")
                .send()
                .await
                .expect("post");
            assert_eq!(response.status(), 415, "{template}");
            // Who is asking comes first: strangers and visitors learn nothing from their body.
            let (status, _) = meeting.post(Who::Stranger, template, json!([1])).await;
            assert_eq!(status, 403, "{template}");
            let (status, _) = meeting.post(Who::Anonymous, template, json!([1])).await;
            assert_eq!(status, 401, "{template}");
            // Unknown rooms.
            for key in ["no-such-room", "00000000-0000-4000-8000-000000000000"] {
                let (status, _) = meeting
                    .post_with(&meeting.owner_browser, template, key, None, Some(json!({})))
                    .await;
                assert_eq!(status, 404, "{template} {key}");
            }
        }
        assert_eq!(meeting.state().await, before);
    }
);

per_backend!(
    hosts_make_and_unmake_co_hosts,
    |meeting: Meeting| async move {
        let body = |role: &str| json!({"participant_identity": "bob-sub", "role": role});
        let (status, answer) = meeting.post(Who::Owner, ROLE, body("administrator")).await;
        assert_eq!(
            (status, answer),
            (
                200,
                json!({"role": "administrator", "livekit_synced": true})
            )
        );
        assert_eq!(
            meeting.role_of(&meeting.bob).await,
            Some(Role::Administrator)
        );
        let bob = meeting.participant("bob-sub").expect("connected");
        assert_eq!(
            bob.attributes.get(ATTRIBUTE_ROOM_ROLE).map(String::as_str),
            Some("administrator")
        );
        assert_eq!(
            bob.attributes.get("handRaisedAt").map(String::as_str),
            Some("2026-03-01"),
            "other attributes stay"
        );
        // Bob now sees the room as its administrators do.
        let bob_browser = meeting.app.client_for(&meeting.bob).await;
        let seen = crate::helpers::get_json(
            &bob_browser,
            meeting
                .app
                .url(&format!("/api/v1.0/rooms/{}/", meeting.room.id)),
        )
        .await;
        assert!(seen["accesses"].is_array(), "{seen}");

        // An administrator makes him a member again.
        let (status, answer) = meeting.post(Who::Admin, ROLE, body("member")).await;
        assert_eq!(
            (status, answer),
            (200, json!({"role": "member", "livekit_synced": true}))
        );
        assert_eq!(meeting.role_of(&meeting.bob).await, Some(Role::Member));
        assert_eq!(
            meeting
                .participant("bob-sub")
                .expect("connected")
                .attributes
                .get(ATTRIBUTE_ROOM_ROLE)
                .map(String::as_str),
            Some("member")
        );
        // Again: nothing to change, the same answer.
        let (status, _) = meeting.post(Who::Admin, ROLE, body("member")).await;
        assert_eq!(status, 200);
        assert_eq!(meeting.role_of(&meeting.bob).await, Some(Role::Member));
    }
);

per_backend!(
    role_changes_are_refused_without_changing_anything,
    |meeting: Meeting| async move {
        let before = meeting.state().await;
        let body =
            |identity: &str, role: &str| json!({"participant_identity": identity, "role": role});
        let cases = [
            (
                Who::Member,
                body("bob-sub", "administrator"),
                403,
                "You must have privileges on room to perform this action.",
            ),
            (
                Who::Stranger,
                body("bob-sub", "administrator"),
                403,
                "You must have privileges on room to perform this action.",
            ),
            (
                Who::Anonymous,
                body("bob-sub", "administrator"),
                401,
                "Authentication credentials were not provided.",
            ),
            (
                Who::Owner,
                body("owner-sub", "member"),
                403,
                "You cannot change your own role.",
            ),
            (
                Who::Admin,
                body("admin-sub", "member"),
                403,
                "You cannot change your own role.",
            ),
            (
                Who::Admin,
                body("owner-sub", "member"),
                403,
                "Room owners cannot be demoted.",
            ),
            (
                Who::Admin,
                body("owner-sub", "administrator"),
                403,
                "Room owners cannot be demoted.",
            ),
            (
                Who::Owner,
                body(GUEST, "administrator"),
                404,
                "This participant has no user account and cannot be assigned a role.",
            ),
            (
                Who::Owner,
                body("nobody", "administrator"),
                404,
                "Participant is not connected to this meeting.",
            ),
            (
                Who::Owner,
                body("stranger-sub", "administrator"),
                404,
                "Participant is not connected to this meeting.",
            ),
        ];
        for (who, body, expected, detail) in cases {
            let (status, answer) = meeting.post(who, ROLE, body.clone()).await;
            assert_eq!(
                (status, answer["detail"].as_str()),
                (expected, Some(detail)),
                "{who:?} {body}"
            );
            assert_eq!(meeting.state().await, before, "{who:?} {body}");
        }
        // A participant's token is no moderator's credential.
        let (status, _) = meeting
            .post_token(
                &meeting.token(&meeting.room.livekit_name(), "owner-sub"),
                ROLE,
                body("bob-sub", "administrator"),
            )
            .await;
        assert_eq!(status, 401);

        // The moderator must be in the meeting.
        meeting
            .app
            .livekit
            .disconnect_participant(&meeting.room.livekit_name(), "admin-sub")
            .expect("left");
        let before = meeting.state().await;
        let (status, answer) = meeting
            .post(Who::Admin, ROLE, body("bob-sub", "administrator"))
            .await;
        assert_eq!(status, 403, "{answer}");
        assert_eq!(
            answer["detail"],
            "You must be connected to this meeting to change the role of its participants."
        );
        assert_eq!(meeting.state().await, before);
        assert_eq!(
            meeting.role_of(&meeting.admin).await,
            Some(Role::Administrator)
        );
    }
);

per_backend!(
    livekit_down_changes_no_role,
    |meeting: Meeting| async move {
        let body = json!({"participant_identity": "bob-sub", "role": "administrator"});
        let before = meeting.state().await;
        // Down for every call.
        meeting.app.livekit.set_unavailable(true);
        let (status, answer) = meeting.post(Who::Owner, ROLE, body.clone()).await;
        assert_eq!(status, 502, "{answer}");
        assert_eq!(
            answer["detail"],
            "The meeting service is unavailable. Try again in a moment."
        );
        meeting.app.livekit.set_unavailable(false);
        assert_eq!(meeting.state().await, before);
        assert_eq!(meeting.role_of(&meeting.bob).await, None);

        // Down just when the attribute is set, after both presences were checked.
        meeting
            .app
            .livekit
            .fail_next("UpdateParticipant", "unavailable", 503);
        let (status, _) = meeting.post(Who::Owner, ROLE, body.clone()).await;
        assert_eq!(status, 502);
        assert_eq!(meeting.state().await, before);
        assert_eq!(meeting.role_of(&meeting.bob).await, None);
        let calls: Vec<String> = meeting
            .app
            .livekit
            .calls()
            .into_iter()
            .map(|(method, _)| method)
            .filter(|method| method != "ListRooms" && method != "UpdateRoomMetadata")
            .collect();
        assert_eq!(
            calls[calls.len() - 3..],
            ["GetParticipant", "GetParticipant", "UpdateParticipant"]
        );

        // Back up: it works.
        let (status, _) = meeting.post(Who::Owner, ROLE, body).await;
        assert_eq!(status, 200);
        assert_eq!(
            meeting.role_of(&meeting.bob).await,
            Some(Role::Administrator)
        );
    }
);

/// A participant who leaves between the checks and the change still gets the role (the
/// database is the authority; their next token carries it), reported as not synced.
#[tokio::test]
async fn a_participant_who_left_meanwhile_gets_the_role_unsynced() {
    let meeting = Meeting::start(false).await.expect("SQLite");
    meeting
        .app
        .livekit
        .fail_next("UpdateParticipant", "not_found", 404);
    let (status, answer) = meeting
        .post(
            Who::Owner,
            ROLE,
            json!({"participant_identity": "bob-sub", "role": "administrator"}),
        )
        .await;
    assert_eq!(
        (status, answer),
        (
            200,
            json!({"role": "administrator", "livekit_synced": false})
        )
    );
    assert_eq!(
        meeting.role_of(&meeting.bob).await,
        Some(Role::Administrator)
    );
}

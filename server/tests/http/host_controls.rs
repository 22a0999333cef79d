//! The host controls of the meeting page, through their server functions against the LiveKit
//! stand-in: mute one or everyone, lower one hand or all, make co-host, remove, the room's
//! settings (pushed to every participant who is not a host) and ending the meeting for
//! everyone. Members, logged-in strangers and visitors are refused, with nothing changed (the
//! stand-in's participants, the room's accesses and settings read back).

use meet_domain::lobby::queries as lobby;
use meet_domain::per_backend;
use meet_livekit_standin::proto::TrackSource;
use meet_types::{AccessLevel, Role};
use serde_json::{Value, json};

use crate::api_moderation::{GUEST, Meeting, Who, hosts_only};
use crate::helpers::call_server_fn;

const REFUSED: [Who; 3] = [Who::Member, Who::Stranger, Who::Anonymous];

impl Meeting {
    /// Calls the server function `moderation/{action}` as `who`, for this room.
    async fn host(&self, who: Who, action: &str, form: &[(&str, &str)]) -> (u16, Value) {
        let key = self.room.id.to_string();
        let mut fields = vec![("key", key.as_str())];
        fields.extend_from_slice(form);
        call_server_fn(
            &self.app,
            &self.browser(who),
            &format!("/api/moderation/{action}"),
            &fields,
        )
        .await
    }

    /// Every caller but hosts is refused `action` with nothing changed; then the owner's call
    /// answers.
    async fn only_hosts_may(&self, action: &str, form: &[(&str, &str)]) -> Value {
        for who in REFUSED {
            let before = (self.state().await, self.settings().await);
            let (status, answer) = self.host(who, action, form).await;
            assert_eq!(status, hosts_only(who), "{action} as {who:?}: {answer}");
            assert_eq!(
                (self.state().await, self.settings().await),
                before,
                "{action} as {who:?}"
            );
        }
        let (status, answer) = self.host(Who::Owner, action, form).await;
        assert_eq!(status, 200, "{action}: {answer}");
        answer
    }

    /// The room's access level and configuration, as stored.
    async fn settings(&self) -> (AccessLevel, Value) {
        let room = meet_domain::rooms::queries::find(
            &self.app.database.store,
            &meet_domain::rooms::RoomKey::Id(self.room.id),
        )
        .await
        .expect("read")
        .expect("room");
        (
            room.access_level,
            serde_json::to_value(&room.configuration.0).expect("json"),
        )
    }

    /// What the participant `identity` may publish, as LiveKit's source numbers.
    fn sources_of(&self, identity: &str) -> Option<Vec<i32>> {
        self.participant(identity)
            .expect("connected")
            .permission
            .map(|permission| permission.can_publish_sources)
    }
}

per_backend!(
    hosts_mute_one_microphone_or_everyones,
    |meeting: Meeting| async move {
        // One: the server finds the microphone, the page needs no track id.
        let answer = meeting
            .only_hosts_may("mute", &[("identity", "bob-sub")])
            .await;
        assert_eq!(answer, json!(true));
        assert!(meeting.track("bob-sub", TrackSource::Microphone).muted);
        assert!(!meeting.track("bob-sub", TrackSource::Camera).muted);
        assert!(!meeting.track(GUEST, TrackSource::Microphone).muted);
        // Already off: nothing to do, said so.
        let (status, answer) = meeting
            .host(Who::Admin, "mute", &[("identity", "bob-sub")])
            .await;
        assert_eq!((status, answer), (200, json!(false)));
        // Someone not there.
        let (status, answer) = meeting
            .host(Who::Owner, "mute", &[("identity", "nobody")])
            .await;
        assert_eq!(status, 404, "{answer}");
        assert_eq!(
            answer["Missing"],
            "Participant is not connected to this meeting."
        );

        // Everyone: the guest's microphone (Bob's is off already).
        let answer = meeting.only_hosts_may("mute-everyone", &[]).await;
        assert_eq!(answer, json!([GUEST]));
        assert!(meeting.track(GUEST, TrackSource::Microphone).muted);
        assert!(!meeting.track(GUEST, TrackSource::Camera).muted);
    }
);

per_backend!(
    a_participant_mutes_with_their_token_unless_the_room_forbids_it,
    |meeting: Meeting| async move {
        let token = meeting.guest_token();
        let form = [("identity", "bob-sub"), ("token", token.as_str())];
        let (status, answer) = meeting.host(Who::Anonymous, "mute", &form).await;
        assert_eq!((status, answer), (200, json!(true)));
        assert!(meeting.track("bob-sub", TrackSource::Microphone).muted);

        meeting
            .configure(AccessLevel::Public, json!({"everyone_can_mute": false}))
            .await;
        let form = [("identity", GUEST), ("token", token.as_str())];
        let before = meeting.state().await;
        let (status, answer) = meeting.host(Who::Anonymous, "mute", &form).await;
        assert_eq!(status, 403, "{answer}");
        assert_eq!(meeting.state().await, before);
        // A token for another room proves nothing here.
        let other = meeting.token("another-room", GUEST);
        let form = [("identity", GUEST), ("token", other.as_str())];
        let (status, _) = meeting.host(Who::Anonymous, "mute", &form).await;
        assert!(matches!(status, 401 | 403), "{status}");
        assert_eq!(meeting.state().await, before);
    }
);

per_backend!(hosts_lower_one_hand_or_all, |meeting: Meeting| async move {
    let raised = |meeting: &Meeting, identity: &str| {
        meeting
            .participant(identity)
            .expect("connected")
            .attributes
            .get("handRaisedAt")
            .is_some_and(|at| !at.is_empty())
    };
    assert!(raised(&meeting, "bob-sub"));
    let answer = meeting
        .only_hosts_may("lower-hand", &[("identity", "bob-sub")])
        .await;
    assert_eq!(answer, json!(1));
    assert!(!raised(&meeting, "bob-sub"));

    meeting.app.livekit.add_participant(
        &meeting.room.livekit_name(),
        "carol-sub",
        "Carol",
        [("handRaisedAt", "2026-03-01T10:00:00.000000+00:00")],
    );
    let answer = meeting.only_hosts_may("lower-hand", &[]).await;
    assert_eq!(answer, json!(1));
    assert!(!raised(&meeting, "carol-sub"));
});

per_backend!(
    hosts_make_a_logged_in_participant_co_host_and_back,
    |meeting: Meeting| async move {
        let form = [("identity", "bob-sub"), ("cohost", "true")];
        meeting.only_hosts_may("co-host", &form).await;
        assert_eq!(
            meeting.role_of(&meeting.bob).await,
            Some(Role::Administrator)
        );
        assert_eq!(
            meeting.participant("bob-sub").expect("there").attributes["room_role"],
            "administrator"
        );
        let form = [("identity", "bob-sub"), ("cohost", "false")];
        let (status, _) = meeting.host(Who::Owner, "co-host", &form).await;
        assert_eq!(status, 200);
        assert_eq!(meeting.role_of(&meeting.bob).await, Some(Role::Member));
        // A guest has no account.
        let form = [("identity", GUEST), ("cohost", "true")];
        let (status, answer) = meeting.host(Who::Owner, "co-host", &form).await;
        assert_eq!(status, 404, "{answer}");
    }
);

per_backend!(hosts_remove_a_participant, |meeting: Meeting| async move {
    meeting
        .only_hosts_may("remove", &[("identity", GUEST)])
        .await;
    assert!(meeting.participant(GUEST).is_none());
    assert!(meeting.participant("bob-sub").is_some());
    let (status, _) = meeting
        .host(Who::Owner, "remove", &[("identity", GUEST)])
        .await;
    assert_eq!(status, 404);
});

per_backend!(
    settings_are_saved_and_pushed_to_everyone_but_the_hosts,
    |meeting: Meeting| async move {
        let form = [
            ("microphone", "false"),
            ("camera", "true"),
            ("screen_share", "true"),
            ("everyone_can_mute", "false"),
            ("access_level", "restricted"),
        ];
        let hosts_before = (
            meeting.sources_of("owner-sub"),
            meeting.sources_of("admin-sub"),
        );
        let answer = meeting.only_hosts_may("settings", &form).await;
        assert_eq!(
            answer,
            json!({
                "settings": {
                    "configuration": {
                        "can_publish_sources": ["camera", "screen_share", "screen_share_audio"],
                        "everyone_can_mute": false
                    },
                    "access_level": "restricted"
                },
                "reached_meeting": true
            })
        );
        assert_eq!(
            meeting.settings().await,
            (
                AccessLevel::Restricted,
                json!({
                    "can_publish_sources": ["camera", "screen_share", "screen_share_audio"],
                    "everyone_can_mute": false
                })
            )
        );
        // Bob and the guest may no longer publish a microphone: LiveKit dropped theirs.
        let without_microphone = vec![
            TrackSource::Camera as i32,
            TrackSource::ScreenShare as i32,
            TrackSource::ScreenShareAudio as i32,
        ];
        for identity in ["bob-sub", GUEST] {
            assert_eq!(
                meeting.sources_of(identity),
                Some(without_microphone.clone())
            );
            let tracks = meeting.participant(identity).expect("there").tracks;
            assert_eq!(tracks.len(), 1, "{identity}: only the camera is left");
        }
        // The hosts keep everything they had.
        assert_eq!(
            (
                meeting.sources_of("owner-sub"),
                meeting.sources_of("admin-sub")
            ),
            hosts_before
        );
        // The meeting's metadata says it, for every page.
        let room = meeting
            .app
            .livekit
            .room(&meeting.room.livekit_name())
            .expect("running");
        let metadata: Value = serde_json::from_str(&room.metadata).expect("json");
        assert_eq!(metadata["access_level"], "restricted");
        assert_eq!(metadata["configuration"]["everyone_can_mute"], false);

        // Nothing at all allowed, then: no publishing.
        let form = [
            ("microphone", "false"),
            ("camera", "false"),
            ("screen_share", "false"),
            ("everyone_can_mute", "true"),
            ("access_level", "public"),
        ];
        let (status, _) = meeting.host(Who::Admin, "settings", &form).await;
        assert_eq!(status, 200);
        let bob = meeting.participant("bob-sub").expect("there");
        let permission = bob.permission.expect("pushed");
        assert!(!permission.can_publish && permission.can_subscribe);
        assert!(!permission.hidden);
        assert!(bob.tracks.is_empty());
        // LiveKit down: the settings are the room's and are saved, and the answer says the
        // meeting did not get them.
        meeting.app.livekit.set_unavailable(true);
        let participants = meeting
            .app
            .livekit
            .participants(&meeting.room.livekit_name());
        let form = [
            ("microphone", "true"),
            ("camera", "true"),
            ("screen_share", "true"),
            ("everyone_can_mute", "true"),
            ("access_level", "trusted"),
        ];
        let (status, answer) = meeting.host(Who::Owner, "settings", &form).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["reached_meeting"], false);
        assert_eq!(meeting.settings().await.0, AccessLevel::Trusted);
        meeting.app.livekit.set_unavailable(false);
        assert_eq!(
            meeting
                .app
                .livekit
                .participants(&meeting.room.livekit_name()),
            participants
        );

        // A form that is not one changes nothing.
        let before = meeting.settings().await;
        let (status, _) = meeting
            .host(Who::Owner, "settings", &[("microphone", "maybe")])
            .await;
        assert_eq!(status, 400);
        assert_eq!(meeting.settings().await, before);
    }
);

per_backend!(
    ending_the_meeting_disconnects_everyone_and_forgets_admissions,
    |meeting: Meeting| async move {
        let store = &meeting.app.database.store;
        let admitted = uuid::Uuid::new_v4();
        let now = meeting.app.services.clock.utc().timestamp_millis();
        lobby::ask(
            store,
            meeting.room.id,
            admitted,
            "Zoe",
            "hsl(1, 50%, 50%)",
            now,
            now + 3_000,
        )
        .await
        .expect("asked");
        let status = meet_types::LobbyStatus::Accepted;
        assert!(
            lobby::decide(
                store,
                meeting.room.id,
                admitted,
                status,
                now,
                now + 3_600_000
            )
            .await
            .expect("admitted")
        );
        let answer = meeting.only_hosts_may("end", &[]).await;
        assert_eq!(answer, json!(true));
        assert!(
            meeting
                .app
                .livekit
                .room(&meeting.room.livekit_name())
                .is_none()
        );
        assert!(
            lobby::find(store, meeting.room.id, admitted, now)
                .await
                .expect("read")
                .is_none()
        );
        // The room itself stays, for its next meeting.
        assert_eq!(meeting.settings().await.0, AccessLevel::Public);
        // Ended already.
        let (status, answer) = meeting.host(Who::Owner, "end", &[]).await;
        assert_eq!((status, answer), (200, json!(false)));
    }
);

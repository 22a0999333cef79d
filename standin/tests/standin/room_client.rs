//! Every RoomService method through the real SDK client (protobuf transport).

use std::collections::HashMap;

use livekit_api::services::room::{CreateRoomOptions, SendDataOptions, UpdateParticipantOptions};
use meet_livekit_standin::proto;

use crate::support::{client, standin, twirp_code};

#[tokio::test]
async fn rooms_are_created_listed_updated_and_deleted() {
    let standin = standin().await;
    let lk = client(&standin);
    let options = CreateRoomOptions {
        empty_timeout: 600,
        max_participants: 50,
        metadata: r#"{"title":"Standup"}"#.into(),
        ..Default::default()
    };
    let room = lk.create_room("standup", options).await.unwrap();
    assert!(
        room.sid.starts_with("RM_") && room.sid.len() == 15,
        "{}",
        room.sid
    );
    assert_eq!(room.name, "standup");
    assert_eq!((room.empty_timeout, room.departure_timeout), (600, 20));
    assert_eq!(room.max_participants, 50);
    assert_eq!(room.creation_time, room.creation_time_ms / 1000);
    assert!(room.creation_time > 1_700_000_000);

    let again = lk
        .create_room(
            "standup",
            CreateRoomOptions {
                departure_timeout: 5,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(again.sid, room.sid, "CreateRoom is idempotent");
    assert_eq!((again.empty_timeout, again.departure_timeout), (600, 5));
    assert_eq!(
        again.metadata, room.metadata,
        "empty fields leave the room unchanged"
    );

    lk.create_room("other", CreateRoomOptions::default())
        .await
        .unwrap();
    let all = lk.list_rooms(vec![]).await.unwrap();
    assert_eq!(
        all.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["standup", "other"]
    );
    let some = lk
        .list_rooms(vec!["other".into(), "missing".into()])
        .await
        .unwrap();
    assert_eq!(some.len(), 1);
    assert_eq!(some[0].empty_timeout, 300, "server default");

    let updated = lk
        .update_room_metadata("standup", "recording")
        .await
        .unwrap();
    assert_eq!(updated.metadata, "recording");
    assert_eq!(standin.room("standup").unwrap().metadata, "recording");

    lk.delete_room("standup").await.unwrap();
    assert!(standin.room("standup").is_none());
    assert_eq!(standin.rooms().len(), 1);
}

#[tokio::test]
async fn missing_rooms_answer_not_found() {
    let standin = standin().await;
    let lk = client(&standin);
    let error = twirp_code(lk.delete_room("nope").await.unwrap_err());
    assert_eq!(error.code, "not_found");
    assert_eq!(
        error.msg,
        "twirp error unknown: requested room does not exist"
    );
    let error = twirp_code(lk.list_participants("nope").await.unwrap_err());
    assert_eq!(error.code, "not_found");
    let error = twirp_code(lk.update_room_metadata("nope", "x").await.unwrap_err());
    assert_eq!(error.code, "not_found");
    let error = twirp_code(
        lk.send_data("nope", vec![1], SendDataOptions::default())
            .await
            .unwrap_err(),
    );
    assert_eq!(error.code, "not_found");
}

#[tokio::test]
async fn participants_are_listed_fetched_updated_and_removed() {
    let standin = standin().await;
    let lk = client(&standin);
    let joined =
        standin.add_participant("r", "alice", "Alice", [("color", "red"), ("role", "guest")]);
    standin.add_participant("r", "bob", "Bob", HashMap::<String, String>::new());
    assert_eq!(
        standin.room("r").unwrap().num_participants,
        2,
        "auto-created on join"
    );

    let listed = lk.list_participants("r").await.unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|p| p.identity.as_str())
            .collect::<Vec<_>>(),
        ["alice", "bob"]
    );
    let alice = lk.get_participant("r", "alice").await.unwrap();
    assert_eq!(alice, joined);
    assert!(alice.sid.starts_with("PA_"));
    assert_eq!(alice.state, proto::participant_info::State::Active as i32);

    let options = UpdateParticipantOptions {
        name: "Alice B.".into(),
        metadata: r#"{"hand":true}"#.into(),
        attributes: [
            ("role".to_owned(), "owner".to_owned()),
            ("color".to_owned(), String::new()),
        ]
        .into(),
        permission: None,
    };
    let updated = lk.update_participant("r", "alice", options).await.unwrap();
    assert_eq!(updated.name, "Alice B.");
    assert_eq!(updated.metadata, r#"{"hand":true}"#);
    assert_eq!(
        updated.attributes,
        HashMap::from([("role".into(), "owner".into())])
    );
    assert_eq!(updated.version, alice.version + 1);
    assert_eq!(standin.participant("r", "alice").unwrap(), updated);

    let error = twirp_code(lk.get_participant("r", "carol").await.unwrap_err());
    assert_eq!(
        (error.code.as_str(), error.msg.as_str()),
        (
            "not_found",
            "twirp error unknown: participant does not exist"
        )
    );
    let error = twirp_code(
        lk.update_participant("r", "carol", UpdateParticipantOptions::default())
            .await
            .unwrap_err(),
    );
    assert_eq!(error.code, "not_found");

    lk.remove_participant("r", "alice").await.unwrap();
    assert_eq!(standin.participants("r").len(), 1);
    let error = twirp_code(lk.remove_participant("r", "alice").await.unwrap_err());
    assert_eq!(error.msg, "twirp error unknown: participant does not exist");
    lk.update_subscriptions("r", "bob", vec![], true)
        .await
        .unwrap();
}

#[tokio::test]
async fn tracks_are_muted_and_dropped_when_publishing_is_revoked() {
    let standin = standin().await;
    let lk = client(&standin);
    standin.add_participant("r", "alice", "Alice", HashMap::<String, String>::new());
    let mic = standin
        .add_track("r", "alice", proto::TrackSource::Microphone)
        .unwrap();
    let cam = standin
        .add_track("r", "alice", proto::TrackSource::Camera)
        .unwrap();
    assert!(mic.sid.starts_with("TR_"));
    assert_eq!(cam.r#type, proto::TrackType::Video as i32);
    assert_eq!(standin.room("r").unwrap().num_publishers, 1);

    let muted = lk
        .mute_published_track("r", "alice", &mic.sid, true)
        .await
        .unwrap();
    assert!(muted.muted);
    assert_eq!(muted.sid, mic.sid);
    let error = twirp_code(
        lk.mute_published_track("r", "alice", "TR_nope", true)
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (error.code.as_str(), error.msg.as_str()),
        ("not_found", "twirp error unknown: track is not found")
    );
    let error = twirp_code(
        lk.mute_published_track("r", "alice", &mic.sid, false)
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (error.code.as_str(), error.msg.as_str()),
        (
            "failed_precondition",
            "twirp error unknown: remote unmute not enabled"
        )
    );
    standin.set_remote_unmute(true);
    assert!(
        !lk.mute_published_track("r", "alice", &mic.sid, false)
            .await
            .unwrap()
            .muted
    );

    let viewer = proto::ParticipantPermission {
        can_subscribe: true,
        can_publish: false,
        can_publish_data: true,
        ..Default::default()
    };
    let options = UpdateParticipantOptions {
        permission: Some(viewer.clone()),
        ..Default::default()
    };
    let updated = lk.update_participant("r", "alice", options).await.unwrap();
    assert!(updated.tracks.is_empty());
    assert_eq!(updated.permission, Some(viewer));
    assert_eq!(standin.room("r").unwrap().num_publishers, 0);
}

#[tokio::test]
async fn send_data_is_recorded() {
    let standin = standin().await;
    let lk = client(&standin);
    lk.create_room("r", CreateRoomOptions::default())
        .await
        .unwrap();
    let options = SendDataOptions {
        kind: proto::data_packet::Kind::Reliable,
        destination_identities: vec!["alice".into()],
        topic: Some("lobby".into()),
        ..Default::default()
    };
    lk.send_data("r", br#"{"type":"knock"}"#.to_vec(), options)
        .await
        .unwrap();
    lk.send_data(
        "r",
        vec![0, 1],
        SendDataOptions {
            kind: proto::data_packet::Kind::Lossy,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let sent = standin.sent_data();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].room, "r");
    assert_eq!(sent[0].data, br#"{"type":"knock"}"#);
    assert_eq!(sent[0].kind, proto::data_packet::Kind::Reliable);
    assert_eq!(sent[0].topic.as_deref(), Some("lobby"));
    assert_eq!(sent[0].destination_identities, ["alice"]);
    assert_eq!(sent[1].kind, proto::data_packet::Kind::Lossy);
    assert_eq!(sent[1].topic, None);
}

#[tokio::test]
async fn calls_are_recorded_in_order_with_their_room() {
    let standin = standin().await;
    let lk = client(&standin);
    lk.create_room("r", CreateRoomOptions::default())
        .await
        .unwrap();
    lk.list_rooms(vec![]).await.unwrap();
    lk.list_participants("r").await.unwrap();
    lk.delete_room("missing").await.unwrap_err();
    let room = |name: &str| Some(name.to_owned());
    assert_eq!(
        standin.calls(),
        [
            ("CreateRoom".to_owned(), room("r")),
            ("ListRooms".to_owned(), None),
            ("ListParticipants".to_owned(), room("r")),
            ("DeleteRoom".to_owned(), room("missing")),
        ]
    );
}

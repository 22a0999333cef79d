//! The JSON transport and the Twirp error shapes, with plain HTTP.

use meet_livekit_standin::proto;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{admin_of, answer, room_create, standin, token, twirp_json};

#[tokio::test]
async fn create_and_list_rooms_answer_pbjson() {
    let standin = standin().await;
    let bearer = Some(format!("Bearer {}", token(room_create())));
    let created = twirp_json(
        &standin,
        "CreateRoom",
        bearer.clone(),
        &json!({"name": "my-room", "emptyTimeout": 600, "max_participants": 50, "metadata": "m"}),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert_eq!(created.content_type, "application/json");
    let room = created.json();
    assert_eq!(room["name"], "my-room");
    assert!(
        room["sid"]
            .as_str()
            .is_some_and(|sid| sid.starts_with("RM_")),
        "{room}"
    );
    assert_eq!(room["emptyTimeout"], 600, "both key styles are read");
    assert_eq!(room["maxParticipants"], 50);
    assert_eq!(room["departureTimeout"], 20);
    assert!(
        room["creationTime"].is_string(),
        "int64 as a string: {room}"
    );
    assert!(room["creationTimeMs"].is_string());
    assert!(
        room["enabledCodecs"]
            .as_array()
            .is_some_and(|codecs| !codecs.is_empty())
    );
    for omitted in [
        "numParticipants",
        "activeRecording",
        "version",
        "empty_timeout",
    ] {
        assert!(room.get(omitted).is_none(), "{omitted} in {room}");
    }
    let decoded: proto::Room = serde_json::from_str(&created.body).unwrap();
    assert_eq!(decoded.name, "my-room");
    assert_eq!(decoded.empty_timeout, 600);
    assert_eq!(decoded.max_participants, 50);
    assert_eq!(decoded.metadata, "m");
    assert_eq!(decoded.num_participants, 0);
    assert_eq!(decoded.version, None);
    assert!(decoded.creation_time > 0);

    let listed = twirp_json(&standin, "ListRooms", bearer, &json!({})).await;
    assert_eq!(listed.status, StatusCode::OK);
    let rooms: proto::ListRoomsResponse = serde_json::from_str(&listed.body).unwrap();
    assert_eq!(rooms.rooms, [decoded], "the listed room is the created one");
    assert_eq!(standin.room("my-room").unwrap(), rooms.rooms[0]);
}

#[tokio::test]
async fn participants_and_empty_answers_in_json() {
    let standin = standin().await;
    standin.add_participant("r", "alice", "Alice", [("hand_raised", "true")]);
    let bearer = Some(format!("Bearer {}", token(admin_of("r"))));
    let listed = twirp_json(
        &standin,
        "ListParticipants",
        bearer.clone(),
        &json!({"room": "r"}),
    )
    .await;
    let participant = &listed.json()["participants"][0];
    assert_eq!(participant["identity"], "alice");
    assert_eq!(participant["state"], "ACTIVE", "enums as names");
    assert!(participant["joinedAt"].is_string(), "int64 as a string");
    assert_eq!(
        participant["attributes"],
        json!({"hand_raised": "true"}),
        "attribute keys are kept as they are"
    );
    assert_eq!(participant["permission"]["canPublish"], true);
    assert!(
        participant.get("tracks").is_none(),
        "empty lists are left out"
    );
    let participants: proto::ListParticipantsResponse = serde_json::from_str(&listed.body).unwrap();
    assert_eq!(
        participants.participants,
        standin.participants("r"),
        "the answer decodes into the stand-in's participants"
    );

    let data = json!({"room": "r", "data": "aGk=", "kind": "RELIABLE", "topic": "chat"});
    let sent = twirp_json(&standin, "SendData", bearer, &data).await;
    assert_eq!((sent.status, sent.body.as_str()), (StatusCode::OK, "{}"));
    assert_eq!(standin.sent_data()[0].data, b"hi");

    let other = Some(format!("Bearer {}", token(admin_of("r2"))));
    let missing = twirp_json(&standin, "ListParticipants", other, &json!({"room": "r2"})).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing.json()["msg"],
        "twirp error unknown: requested room does not exist"
    );

    standin.add_participant("r3", "bob", "Bob", [("k", "v")]);
    standin.disconnect_participant("r3", "bob").unwrap();
    let empty_room = Some(format!("Bearer {}", token(admin_of("r3"))));
    let empty = twirp_json(
        &standin,
        "ListParticipants",
        empty_room,
        &json!({"room": "r3"}),
    )
    .await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!(empty.json(), json!({}), "an empty list is left out");
    let empty: proto::ListParticipantsResponse = serde_json::from_str(&empty.body).unwrap();
    assert!(empty.participants.is_empty());
}

#[tokio::test]
async fn not_found_has_the_server_error_shape() {
    let standin = standin().await;
    let bearer = Some(format!("Bearer {}", token(room_create())));
    let missing = twirp_json(&standin, "DeleteRoom", bearer, &json!({"room": "nope"})).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.content_type, "application/json");
    assert_eq!(
        missing.json(),
        json!({"code": "not_found", "msg": "twirp error unknown: requested room does not exist"})
    );
}

#[tokio::test]
async fn bad_routes_and_malformed_bodies() {
    let standin = standin().await;
    let bearer = format!("Bearer {}", token(room_create()));
    let http = reqwest::Client::new();
    let base = format!("{}/twirp/livekit.RoomService", standin.url());

    let unknown = twirp_json(&standin, "Nope", Some(bearer.clone()), &json!({})).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        unknown.json(),
        json!({
            "code": "bad_route",
            "msg": "no handler for path \"/twirp/livekit.RoomService/Nope\"",
            "meta": {"twirp_invalid_route": "POST /twirp/livekit.RoomService/Nope"},
        })
    );

    let get = answer(http.get(format!("{base}/ListRooms")).send().await.unwrap()).await;
    assert_eq!(get.status, StatusCode::NOT_FOUND);
    assert_eq!(get.json()["code"], "bad_route");

    let text = http
        .post(format!("{base}/ListRooms"))
        .header("authorization", &bearer)
        .header("content-type", "text/plain")
        .body("{}");
    let text = answer(text.send().await.unwrap()).await;
    assert_eq!(text.status, StatusCode::NOT_FOUND);
    assert_eq!(
        text.json()["msg"],
        "unexpected Content-Type: \"text/plain\""
    );

    let other_service = answer(
        http.post(format!(
            "{}/twirp/livekit.Ingress/ListIngress",
            standin.url()
        ))
        .json(&json!({}))
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(other_service.json()["code"], "bad_route");

    let malformed = http
        .post(format!("{base}/CreateRoom"))
        .header("authorization", &bearer)
        .header("content-type", "application/json")
        .body("{\"name\":");
    let malformed = answer(malformed.send().await.unwrap()).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        malformed.json(),
        json!({"code": "malformed", "msg": "the json request could not be decoded"})
    );

    let protobuf = http
        .post(format!("{base}/CreateRoom"))
        .header("authorization", &bearer)
        .header("content-type", "application/protobuf")
        .body(vec![0xff, 0xff, 0xff]);
    let protobuf = answer(protobuf.send().await.unwrap()).await;
    assert_eq!(protobuf.status, StatusCode::BAD_REQUEST);
    assert_eq!(protobuf.json()["code"], "malformed");
}

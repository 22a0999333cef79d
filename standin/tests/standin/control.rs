//! The `/_standin/` HTTP endpoints for out-of-process tests.

use meet_livekit_standin::proto;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{answer, client, standin};

#[tokio::test]
async fn participants_and_tracks_can_be_added_over_http() {
    let standin = standin().await;
    let http = reqwest::Client::new();
    let participants = format!("{}/_standin/rooms/team%20room/participants", standin.url());
    let body = json!({"identity": "alice", "name": "Alice", "attributes": {"role": "guest"}});
    let joined = answer(http.post(&participants).json(&body).send().await.unwrap()).await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
    assert_eq!(joined.json()["identity"], "alice");
    assert_eq!(joined.json()["attributes"]["role"], "guest");
    assert_eq!(joined.json()["state"], "ACTIVE");
    let info: proto::ParticipantInfo = serde_json::from_str(&joined.body).unwrap();
    assert_eq!(
        Some(info),
        standin.participant("team room", "alice"),
        "the answer is the pbjson form of the participant"
    );

    let listed = client(&standin)
        .list_participants("team room")
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "Alice");

    let tracks = format!("{participants}/alice/tracks");
    let track = answer(
        http.post(&tracks)
            .json(&json!({"source": "camera"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(track.json()["source"], "CAMERA");
    assert_eq!(track.json()["type"], "VIDEO");
    assert_eq!(
        standin
            .participant("team room", "alice")
            .unwrap()
            .tracks
            .len(),
        1
    );
    let bad = answer(
        http.post(&tracks)
            .json(&json!({"source": "hologram"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let nobody = format!("{participants}/bob/tracks");
    let nobody = answer(
        http.post(&nobody)
            .json(&json!({"source": "microphone"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND);

    let left = http
        .delete(format!("{participants}/alice"))
        .send()
        .await
        .unwrap();
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    assert!(standin.participants("team room").is_empty());
}

#[tokio::test]
async fn the_state_endpoint_shows_rooms_participants_and_data() {
    let standin = standin().await;
    standin.add_participant("r", "alice", "Alice", [("a", "1")]);
    let lk = client(&standin);
    lk.send_data("r", b"hello".to_vec(), Default::default())
        .await
        .unwrap();
    let state = answer(
        reqwest::get(format!("{}/_standin/state", standin.url()))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(state.status, StatusCode::OK);
    let state = state.json();
    assert_eq!(state["rooms"][0]["name"], "r");
    assert_eq!(
        state["rooms"][0]["numParticipants"], 1,
        "messages in pbjson form"
    );
    assert!(state["rooms"][0]["creationTime"].is_string());
    assert_eq!(state["participants"]["r"][0]["identity"], "alice");
    assert_eq!(
        state["participants"]["r"][0]["attributes"],
        json!({"a": "1"})
    );
    assert_eq!(state["sent_data"][0]["text"], "hello");
    assert_eq!(state["sent_data"][0]["data"], "aGVsbG8=");
    assert_eq!(state["sent_data"][0]["kind"], "RELIABLE");
    assert_eq!(state["calls"], json!([{"method": "SendData", "room": "r"}]));
    assert_eq!(state["webhook_events"][1]["event"], "participant_joined");
}

//! The Egress service, driven by the real `livekit-api` `EgressClient` (protobuf) and by raw
//! JSON: start, list, stop (and stop again), grant checks, the file written where the egress
//! would put it, and the webhooks LiveKit sends for each step.

use livekit_api::access_token::VideoGrants;
use livekit_api::services::egress::{
    EgressClient, EgressListFilter, EgressListOptions, EgressOutput, RoomCompositeOptions,
};
use livekit_protocol as proto;
use meet_livekit_standin::RECORDING_FILE_CONTENT;
use proto::EgressStatus;
use serde_json::json;

use crate::support::{KEY, SECRET, admin_of, answer, standin, token, twirp_code};

fn file_output(path: &str) -> EgressOutput {
    EgressOutput::File(proto::EncodedFileOutput {
        file_type: proto::EncodedFileType::Mp4 as i32,
        filepath: path.to_owned(),
        ..Default::default()
    })
}

#[tokio::test]
async fn an_egress_records_until_stopped_then_writes_its_file() {
    let standin = standin().await;
    let client = EgressClient::with_api_key(&standin.url(), KEY, SECRET);
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("recordings/one.mp4");

    let started = client
        .start_room_composite_egress(
            "room-a",
            vec![file_output(path.to_str().unwrap())],
            RoomCompositeOptions::default(),
        )
        .await
        .unwrap();
    assert!(
        started.egress_id.starts_with("EG_"),
        "{}",
        started.egress_id
    );
    assert_eq!(started.status, EgressStatus::EgressStarting as i32);

    let listed = client
        .list_egress(EgressListOptions {
            filter: EgressListFilter::Room("room-a".to_owned()),
            active: true,
            page_token: None,
        })
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].status, EgressStatus::EgressActive as i32);
    let other_room = client
        .list_egress(EgressListOptions {
            filter: EgressListFilter::Room("room-b".to_owned()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(other_room.is_empty());

    let stopping = client.stop_egress(&started.egress_id).await.unwrap();
    assert_eq!(stopping.status, EgressStatus::EgressEnding as i32);
    assert_eq!(std::fs::read(&path).unwrap(), RECORDING_FILE_CONTENT);
    let ended = &standin.egresses()[0];
    assert_eq!(ended.status, EgressStatus::EgressComplete as i32);
    assert!(ended.ended_at >= ended.started_at && ended.started_at > 0);

    // A finished egress cannot be stopped, and an unknown one is not found.
    let again = client.stop_egress(&started.egress_id).await.unwrap_err();
    assert_eq!(twirp_code(again).code, "failed_precondition");
    let unknown = client.stop_egress("EG_unknown").await.unwrap_err();
    assert_eq!(twirp_code(unknown).code, "not_found");

    let names: Vec<(String, i32)> = standin
        .webhook_events()
        .iter()
        .filter_map(|event| Some((event.event.clone(), event.egress_info.as_ref()?.status)))
        .collect();
    assert_eq!(
        names,
        [
            (
                "egress_started".to_owned(),
                EgressStatus::EgressStarting as i32
            ),
            (
                "egress_updated".to_owned(),
                EgressStatus::EgressActive as i32
            ),
            (
                "egress_updated".to_owned(),
                EgressStatus::EgressEnding as i32
            ),
            (
                "egress_ended".to_owned(),
                EgressStatus::EgressComplete as i32
            ),
        ]
    );
}

#[tokio::test]
async fn egress_calls_need_the_record_grant_and_speak_json() {
    let standin = standin().await;
    let url = format!("{}/twirp/livekit.Egress/ListEgress", standin.url());
    let post = |authorization: String| {
        reqwest::Client::new()
            .post(&url)
            .header(reqwest::header::AUTHORIZATION, authorization)
            .json(&json!({}))
            .send()
    };
    let admin = format!("Bearer {}", token(admin_of("room-a")));
    let refused = answer(post(admin).await.unwrap()).await;
    assert_eq!(refused.status.as_u16(), 401, "{}", refused.body);
    assert_eq!(refused.json()["code"], "unauthenticated");

    let record = format!(
        "Bearer {}",
        token(VideoGrants {
            room_record: true,
            ..Default::default()
        })
    );
    let listed = answer(post(record).await.unwrap()).await;
    assert_eq!(listed.status.as_u16(), 200, "{}", listed.body);
    assert_eq!(
        listed.json(),
        json!({}),
        "no egress yet: nothing but defaults"
    );
}

#[tokio::test]
async fn an_egress_ended_by_livekit_says_why() {
    let standin = standin().await;
    let client = EgressClient::with_api_key(&standin.url(), KEY, SECRET);
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("limit.ogg");
    let started = client
        .start_room_composite_egress(
            "room-a",
            vec![file_output(path.to_str().unwrap())],
            RoomCompositeOptions {
                audio_only: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let ended = standin
        .end_egress(&started.egress_id, EgressStatus::EgressLimitReached)
        .unwrap();
    assert_eq!(ended.status, EgressStatus::EgressLimitReached as i32);
    assert!(path.exists(), "a recording that reached its limit is saved");
    assert!(
        standin
            .end_egress(&started.egress_id, EgressStatus::EgressFailed)
            .is_err()
    );
    let stop = client.stop_egress(&started.egress_id).await.unwrap_err();
    assert_eq!(twirp_code(stop).code, "failed_precondition");
}

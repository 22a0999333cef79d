//! Fault injection as the SDK sees it.

use std::time::Duration;

use livekit_api::services::{
    ServerError, ServiceError,
    room::{CreateRoomOptions, RoomClient},
};

use crate::support::{KEY, SECRET, client, standin, twirp_code};

#[tokio::test]
async fn fail_next_answers_one_injected_error() {
    let standin = standin().await;
    let lk = client(&standin);
    standin.fail_next("CreateRoom", "internal", 500);
    standin.fail_next("CreateRoom", "resource_exhausted", 429);
    let first = twirp_code(
        lk.create_room("r", CreateRoomOptions::default())
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (first.code.as_str(), first.msg.as_str()),
        ("internal", "injected fault: internal")
    );
    lk.list_rooms(vec![]).await.unwrap();
    let second = twirp_code(
        lk.create_room("r", CreateRoomOptions::default())
            .await
            .unwrap_err(),
    );
    assert_eq!(second.code, "resource_exhausted");
    assert!(standin.room("r").is_none(), "a failed call changes nothing");
    lk.create_room("r", CreateRoomOptions::default())
        .await
        .unwrap();
    assert_eq!(standin.calls().len(), 4, "failed calls are recorded too");
}

#[tokio::test]
async fn unavailable_answers_503_to_every_call() {
    let standin = standin().await;
    let lk = client(&standin);
    standin.set_unavailable(true);
    let error = twirp_code(lk.list_rooms(vec![]).await.unwrap_err());
    assert_eq!(error.code, "unavailable");
    assert_eq!(error.msg, "twirp error unknown: no response from servers");
    let error = twirp_code(
        lk.create_room("r", CreateRoomOptions::default())
            .await
            .unwrap_err(),
    );
    assert_eq!(error.code, "unavailable");
    standin.set_unavailable(false);
    lk.create_room("r", CreateRoomOptions::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_delay_longer_than_the_client_timeout_is_a_request_timeout() {
    let standin = standin().await;
    let impatient = client(&standin).with_request_timeout(Duration::from_millis(300));
    standin.set_delay(Duration::from_secs(3));
    let error = impatient.list_rooms(vec![]).await.unwrap_err();
    let ServiceError::Twirp(ServerError::Request(inner)) = &error else {
        panic!("expected a request error, got {error:?}");
    };
    assert!(inner.is_timeout(), "{inner:?}");
    standin.set_delay(Duration::ZERO);
    // The default 10 s timeout, so that a loaded machine cannot fail this check.
    client(&standin).list_rooms(vec![]).await.unwrap();
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let lk = RoomClient::with_api_key(&format!("http://127.0.0.1:{port}"), KEY, SECRET);
    let error = lk.list_rooms(vec![]).await.unwrap_err();
    let ServiceError::Twirp(ServerError::Request(inner)) = &error else {
        panic!("expected a request error, got {error:?}");
    };
    assert!(inner.is_connect(), "{inner:?}");
}

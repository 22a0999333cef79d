//! Webhook signing and delivery, checked with the SDK's `WebhookReceiver`.

use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use axum::{Router, extract::State, http::HeaderMap, routing::post};
use livekit_api::services::room::CreateRoomOptions;
use livekit_api::{access_token::TokenVerifier, webhooks::WebhookReceiver};
use meet_livekit_standin::{
    proto,
    webhook::{self, events},
};
use tokio::net::TcpListener;

use crate::support::{KEY, SECRET, client, standin};

/// What a test receiver got: (content type, authorization, body) per request.
type Received = Arc<Mutex<Vec<(String, String, String)>>>;

/// Starts a webhook receiver on loopback; returns its URL and what it receives.
async fn receiver() -> (String, Received) {
    let received = Received::default();
    let app = Router::new()
        .route(
            "/hook",
            post(
                |State(received): State<Received>, headers: HeaderMap, body: String| async move {
                    let header = |name: &str| {
                        headers
                            .get(name)
                            .map(|v| v.to_str().unwrap().to_owned())
                            .unwrap_or_default()
                    };
                    received.lock().unwrap().push((
                        header("content-type"),
                        header("authorization"),
                        body,
                    ));
                    "ok"
                },
            ),
        )
        .with_state(Arc::clone(&received));
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

fn sdk_receiver() -> WebhookReceiver {
    WebhookReceiver::new(TokenVerifier::with_api_key(KEY, SECRET))
}

#[test]
fn signatures_verify_with_the_sdk_receiver() {
    let room = proto::Room {
        sid: "RM_abc".into(),
        name: "r".into(),
        ..Default::default()
    };
    let event = events::room_started(&room);
    assert!(event.id.starts_with("EV_"));
    assert!(event.created_at > 1_700_000_000);
    let body = webhook::webhook_body(&event).unwrap();
    let token = webhook::sign_webhook(KEY, SECRET, &body).unwrap();
    assert_eq!(sdk_receiver().receive(&body, &token).unwrap(), event);
    assert!(
        sdk_receiver()
            .receive(&body, &format!("Bearer {token}"))
            .is_err(),
        "no Bearer prefix"
    );
    let wrong_secret = webhook::sign_webhook(KEY, "other", &body).unwrap();
    assert!(sdk_receiver().receive(&body, &wrong_secret).is_err());
}

#[tokio::test]
async fn send_webhook_posts_a_signed_body() {
    let (url, received) = receiver().await;
    let participant = proto::ParticipantInfo {
        identity: "alice".into(),
        ..Default::default()
    };
    let event = events::participant_joined(
        &proto::Room {
            name: "r".into(),
            ..Default::default()
        },
        &participant,
    );
    let status = webhook::send_webhook(&url, KEY, SECRET, &event)
        .await
        .unwrap();
    assert!(status.is_success());
    let (content_type, authorization, body) = received.lock().unwrap()[0].clone();
    assert_eq!(content_type, "application/webhook+json");
    assert!(!authorization.starts_with("Bearer"));
    assert!(body.contains("\"event\":\"participant_joined\""), "{body}");
    assert_eq!(
        sdk_receiver().receive(&body, &authorization).unwrap(),
        event
    );

    let status = webhook::post_webhook(&url, "not-a-jwt", "{}".into())
        .await
        .unwrap();
    assert!(
        status.is_success(),
        "post_webhook sends whatever it is given"
    );
}

#[tokio::test]
async fn state_changes_are_delivered_in_order() {
    let standin = standin().await;
    let (url, received) = receiver().await;
    standin.set_webhook_url(Some(&url));
    let lk = client(&standin);
    lk.create_room("r", CreateRoomOptions::default())
        .await
        .unwrap();
    standin.add_participant("r", "alice", "Alice", HashMap::<String, String>::new());
    let track = standin
        .add_track("r", "alice", proto::TrackSource::Camera)
        .unwrap();
    lk.remove_participant("r", "alice").await.unwrap();
    lk.delete_room("r").await.unwrap();
    standin.flush_webhooks().await;

    let delivered: Vec<proto::WebhookEvent> = received
        .lock()
        .unwrap()
        .iter()
        .map(|(_, authorization, body)| sdk_receiver().receive(body, authorization).unwrap())
        .collect();
    let names: Vec<&str> = delivered.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(
        names,
        [
            "room_started",
            "participant_joined",
            "track_published",
            "track_unpublished",
            "participant_left",
            "room_finished"
        ]
    );
    assert_eq!(delivered, standin.webhook_events());
    let published = &delivered[2];
    assert_eq!(published.track.as_ref().unwrap().sid, track.sid);
    let minimal = published.participant.as_ref().unwrap();
    assert!(
        minimal.name.is_empty() && minimal.identity == "alice",
        "track events carry a minimal participant"
    );
    let left = delivered[4].participant.as_ref().unwrap();
    assert_eq!(
        left.state,
        proto::participant_info::State::Disconnected as i32
    );
    assert_eq!(
        left.disconnect_reason,
        proto::DisconnectReason::ParticipantRemoved as i32
    );

    standin.set_webhook_url(None);
    standin.add_participant("r2", "bob", "Bob", HashMap::<String, String>::new());
    standin.flush_webhooks().await;
    assert_eq!(
        received.lock().unwrap().len(),
        6,
        "nothing is sent without a URL"
    );
    assert_eq!(
        standin.webhook_events().len(),
        8,
        "but the events are still recorded"
    );
}

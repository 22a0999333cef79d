//! Shared helpers: a started stand-in, SDK clients and tokens for it, and raw Twirp calls.

use livekit_api::{
    access_token::{AccessToken, VideoGrants},
    services::{ServerError, ServerErrorCode, ServiceError, room::RoomClient},
};
use meet_livekit_standin::StandIn;
use reqwest::StatusCode;
use serde_json::Value;

pub const KEY: &str = "devkey";
pub const SECRET: &str = "devsecret-that-is-long-enough";

pub async fn standin() -> StandIn {
    StandIn::start(KEY, SECRET).await
}

/// The SDK client, exactly as Meet builds it.
pub fn client(standin: &StandIn) -> RoomClient {
    RoomClient::with_api_key(&standin.url(), KEY, SECRET)
}

/// A token with `grants`, signed with the stand-in's key.
pub fn token(grants: VideoGrants) -> String {
    AccessToken::with_api_key(KEY, SECRET)
        .with_grants(grants)
        .to_jwt()
        .unwrap()
}

pub fn admin_of(room: &str) -> VideoGrants {
    VideoGrants {
        room_admin: true,
        room: room.to_owned(),
        ..Default::default()
    }
}

pub fn room_create() -> VideoGrants {
    VideoGrants {
        room_create: true,
        room_list: true,
        ..Default::default()
    }
}

/// The answer to a raw HTTP call: status, content type and body.
pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// POSTs a JSON Twirp call with an optional raw `Authorization` value.
pub async fn twirp_json(
    standin: &StandIn,
    method: &str,
    authorization: Option<String>,
    body: &Value,
) -> Answer {
    let url = format!("{}/twirp/livekit.RoomService/{method}", standin.url());
    let mut request = reqwest::Client::new().post(url).json(body);
    if let Some(authorization) = authorization {
        request = request.header(reqwest::header::AUTHORIZATION, authorization);
    }
    answer(request.send().await.unwrap()).await
}

pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    Answer {
        status,
        content_type,
        body: response.text().await.unwrap(),
    }
}

/// The Twirp error inside an SDK error, or a panic naming what came instead.
pub fn twirp_code(error: ServiceError) -> ServerErrorCode {
    match error {
        ServiceError::Twirp(ServerError::Twirp(code)) => code,
        other => panic!("expected a Twirp error, got {other:?}"),
    }
}

//! The Twirp wire codec: which encoding a request uses, decoding request bodies and encoding
//! answers in the same encoding.
//!
//! Protobuf goes through `prost`. JSON goes through the `livekit_protocol` types' own serde
//! (pbjson) impls both ways. Requests may use snake_case or camelCase keys, as with the server.
//! Answers have camelCase keys and leave default values out, like LiveKit's webhook bodies. The
//! server instead writes proto field names and every field. Clients that read JSON with a
//! protobuf JSON parser, pbjson included, accept either form; the Rust SDK uses protobuf anyway.
//! In both shapes, 64-bit integers are strings, enums are names and bytes are base64.

use axum::{
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use serde::{Serialize, de::DeserializeOwned};

use crate::error::TwirpError;

/// The two body encodings Twirp accepts; the answer uses the request's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// `application/protobuf`, what the Rust SDK sends.
    Protobuf,
    /// `application/json`.
    Json,
}

impl Encoding {
    /// The encoding a `Content-Type` announces, ignoring parameters such as `charset`; `None` for
    /// anything Twirp does not serve.
    pub(crate) fn from_content_type(content_type: &str) -> Option<Self> {
        let mime = content_type.split(';').next().unwrap_or_default().trim();
        if mime.eq_ignore_ascii_case("application/protobuf") {
            Some(Self::Protobuf)
        } else if mime.eq_ignore_ascii_case("application/json") {
            Some(Self::Json)
        } else {
            None
        }
    }

    /// The `Content-Type` of an answer in this encoding.
    fn content_type(self) -> &'static str {
        match self {
            Self::Protobuf => "application/protobuf",
            Self::Json => "application/json",
        }
    }

    /// Decodes a request body, or answers 400 `malformed`.
    pub(crate) fn decode<M>(self, body: &[u8]) -> Result<M, TwirpError>
    where
        M: prost::Message + Default + DeserializeOwned,
    {
        match self {
            Self::Protobuf => M::decode(body).map_err(|_| TwirpError::malformed("protobuf")),
            Self::Json => serde_json::from_slice(body).map_err(|_| TwirpError::malformed("json")),
        }
    }

    /// Encodes a successful answer with status 200, or answers 500 `internal` if the message
    /// cannot be written as JSON.
    pub(crate) fn encode<M>(self, message: &M) -> Response
    where
        M: prost::Message + Serialize,
    {
        let body = match self {
            Self::Protobuf => message.encode_to_vec(),
            Self::Json => match serde_json::to_vec(message) {
                Ok(body) => body,
                Err(error) => {
                    return TwirpError::new(500, "internal", error.to_string()).into_response();
                }
            },
        };
        let content_type = HeaderValue::from_static(self.content_type());
        ([(header::CONTENT_TYPE, content_type)], body).into_response()
    }
}

#[cfg(test)]
mod tests {
    use livekit_protocol as proto;
    use serde_json::{Value, json};

    use super::*;

    /// The body of an answer `encoding` writes for `message`, with its content type.
    async fn encoded<M: prost::Message + Serialize>(
        encoding: Encoding,
        message: &M,
    ) -> (String, Vec<u8>) {
        let response = encoding.encode(message);
        assert_eq!(response.status(), 200);
        let content_type = response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (content_type, body.to_vec())
    }

    #[test]
    fn content_types_are_matched_without_parameters_or_case() {
        assert_eq!(
            Encoding::from_content_type("application/protobuf"),
            Some(Encoding::Protobuf)
        );
        assert_eq!(
            Encoding::from_content_type("Application/JSON; charset=utf-8"),
            Some(Encoding::Json)
        );
        assert_eq!(Encoding::from_content_type("text/plain"), None);
        assert_eq!(Encoding::from_content_type(""), None);
    }

    #[test]
    fn malformed_bodies_are_rejected_in_both_encodings() {
        let json = Encoding::Json.decode::<proto::CreateRoomRequest>(b"{not json");
        assert_eq!(json.unwrap_err().code, "malformed");
        let protobuf = Encoding::Protobuf.decode::<proto::CreateRoomRequest>(&[0xff, 0xff, 0xff]);
        assert_eq!(
            protobuf.unwrap_err().msg,
            "the protobuf request could not be decoded"
        );
    }

    #[test]
    fn json_requests_accept_both_key_styles() {
        let snake: proto::CreateRoomRequest = Encoding::Json
            .decode(br#"{"name":"a","empty_timeout":60}"#)
            .unwrap();
        let camel: proto::CreateRoomRequest = Encoding::Json
            .decode(br#"{"name":"a","emptyTimeout":60}"#)
            .unwrap();
        assert_eq!(snake, camel);
        assert_eq!(snake.empty_timeout, 60);
    }

    #[tokio::test]
    async fn json_answers_are_pbjson_camel_case_without_defaults() {
        let participant = proto::ParticipantInfo {
            sid: "PA_x".into(),
            identity: "alice".into(),
            state: proto::participant_info::State::Active as i32,
            joined_at: 1_795_839_890,
            attributes: [("hand_raised".to_owned(), "true".to_owned())].into(),
            permission: Some(proto::ParticipantPermission {
                can_publish: true,
                ..Default::default()
            }),
            ..Default::default()
        };
        let (content_type, body) = encoded(Encoding::Json, &participant).await;
        assert_eq!(content_type, "application/json");
        let value: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(value["identity"], "alice");
        assert_eq!(value["state"], "ACTIVE", "enums as names");
        assert_eq!(value["joinedAt"], "1795839890", "int64 as a string");
        assert_eq!(
            value["attributes"],
            json!({"hand_raised": "true"}),
            "map keys are kept as they are"
        );
        assert_eq!(value["permission"], json!({"canPublish": true}));
        assert!(value.get("name").is_none(), "defaults are left out");
        assert!(value.get("tracks").is_none(), "empty lists are left out");
        assert!(value.get("kind").is_none(), "the default enum is left out");
        let back: proto::ParticipantInfo = Encoding::Json.decode(&body).unwrap();
        assert_eq!(
            back, participant,
            "the answer reads back as the same message"
        );
    }

    #[tokio::test]
    async fn protobuf_answers_are_the_prost_encoding() {
        let room = proto::Room {
            sid: "RM_x".into(),
            name: "r".into(),
            ..Default::default()
        };
        let (content_type, body) = encoded(Encoding::Protobuf, &room).await;
        assert_eq!(content_type, "application/protobuf");
        assert_eq!(body, prost::Message::encode_to_vec(&room));
    }
}

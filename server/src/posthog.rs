//! A PostHog-compatible capture endpoint as an analytics sink (`ANALYTICS_BACKEND=posthog`):
//! batches of events posted to `{ANALYTICS_POSTHOG_HOST}/batch/` with the project's key, as
//! PostHog's capture API takes them. People appear by their keyed hash only; events without
//! anyone known are sent without a person profile.

use std::time::Duration;

use async_trait::async_trait;
use meet_domain::analytics::queries::properties;
use meet_domain::analytics::{Recorded, Sink, SinkError};
use serde_json::{Value, json};
use url::Url;

/// How long the capture endpoint may take with one batch; a hanging endpoint costs at most
/// this per batch while its queue fills and further events are dropped.
const TIMEOUT: Duration = Duration::from_secs(5);

/// One PostHog project at one server.
pub struct PostHogSink {
    url: Url,
    key: String,
    client: reqwest::Client,
}

impl PostHogSink {
    pub fn new(host: &Url, key: &str) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let mut url = host.clone();
        let path = format!("{}/batch/", url.path().trim_end_matches('/'));
        url.set_path(&path);
        url.set_query(None);
        Ok(Self {
            url,
            key: key.to_owned(),
            client,
        })
    }
}

/// `recorded` as a PostHog event.
pub fn capture(recorded: &Recorded) -> Value {
    let mut props = match properties(&recorded.event) {
        Value::Object(props) => props,
        _ => serde_json::Map::new(),
    };
    props.insert("$lib".into(), "meet".into());
    if let Some(room) = &recorded.room {
        props.insert("room".into(), room.clone().into());
    }
    if let Some(meeting) = &recorded.meeting {
        props.insert("meeting".into(), meeting.clone().into());
    }
    let distinct_id = match &recorded.actor {
        Some(actor) => actor.clone(),
        // Nobody known: its own id, and no person made of it.
        None => {
            props.insert("$process_person_profile".into(), false.into());
            recorded.id.to_string()
        }
    };
    json!({
        "uuid": recorded.id,
        "event": recorded.event.name(),
        "distinct_id": distinct_id,
        "timestamp": recorded.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "properties": props,
    })
}

#[async_trait]
impl Sink for PostHogSink {
    fn name(&self) -> &'static str {
        "posthog"
    }

    async fn write(&self, batch: &[Recorded]) -> Result<(), SinkError> {
        let body = json!({
            "api_key": self.key,
            "batch": batch.iter().map(capture).collect::<Vec<_>>(),
        });
        let answer = self
            .client
            .post(self.url.clone())
            .json(&body)
            .send()
            .await
            .map_err(|error| SinkError(format!("not reached: {error}")))?;
        let status = answer.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(SinkError(format!("answered {status}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use meet_domain::analytics::Event;

    use super::*;

    #[test]
    fn events_take_posthog_s_shape() {
        let recorded = Recorded {
            id: uuid::Uuid::nil(),
            occurred_at: "2026-11-30T10:00:00Z".parse().unwrap(),
            event: Event::FeedbackRated { rating: 4 },
            actor: None,
            room: Some("r".repeat(32)),
            meeting: None,
        };
        assert_eq!(
            capture(&recorded),
            json!({
                "uuid": "00000000-0000-0000-0000-000000000000",
                "event": "feedback_rated",
                "distinct_id": "00000000-0000-0000-0000-000000000000",
                "timestamp": "2026-11-30T10:00:00.000Z",
                "properties": {
                    "rating": 4,
                    "$lib": "meet",
                    "room": "r".repeat(32),
                    "$process_person_profile": false,
                },
            })
        );
        let by_someone = Recorded {
            actor: Some("a".repeat(32)),
            event: Event::Login,
            ..recorded
        };
        let value = capture(&by_someone);
        assert_eq!(value["distinct_id"], "a".repeat(32));
        assert_eq!(value["properties"].get("$process_person_profile"), None);
    }

    #[test]
    fn the_batch_path_follows_the_host() {
        let sink = PostHogSink::new(&Url::parse("https://ph.example.org").unwrap(), "k").unwrap();
        assert_eq!(sink.url.as_str(), "https://ph.example.org/batch/");
        let proxied = PostHogSink::new(
            &Url::parse("https://meet.example.org/ph/?x=1").unwrap(),
            "k",
        )
        .unwrap();
        assert_eq!(proxied.url.as_str(), "https://meet.example.org/ph/batch/");
    }
}

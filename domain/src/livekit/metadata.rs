//! LiveKit room metadata: a JSON object Meet keeps in step with what it knows of a room (its
//! access level and configuration; the recording's state to come), merged key by key so that
//! each writer changes its own keys and leaves the others'.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::livekit::rooms::LiveKitRooms;

/// Merges `patch` into the metadata of the LiveKit room `room` when it runs there, waiting at
/// most `timeout`. Never fails the caller: a room not running yet reads its state from Meet when
/// it starts, and LiveKit being down or slow is logged.
pub async fn merge_into_running_room(
    livekit: &dyn LiveKitRooms,
    timeout: Duration,
    room: &str,
    patch: Map<String, Value>,
) {
    match tokio::time::timeout(timeout, livekit.merge_room_metadata(room, patch)).await {
        Ok(Ok(true)) => tracing::debug!(room, "LiveKit room metadata updated"),
        Ok(Ok(false)) => tracing::debug!(room, "no LiveKit room yet; nothing to update"),
        Ok(Err(error)) => tracing::warn!(room, %error, "cannot update the LiveKit room metadata"),
        Err(_) => tracing::warn!(room, "LiveKit did not answer in time; metadata not updated"),
    }
}

/// `current` (a JSON object, or anything else, taken as empty) with `patch`'s keys replaced,
/// and those `patch` gives as `null` removed.
pub fn merge_metadata(current: &str, patch: Map<String, Value>) -> String {
    let mut merged = match serde_json::from_str::<Value>(current) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    for (key, value) in patch {
        if value.is_null() {
            merged.remove(&key);
        } else {
            merged.insert(key, value);
        }
    }
    Value::Object(merged).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_is_merged_key_by_key() {
        let mut patch = Map::new();
        patch.insert("access_level".into(), Value::from("trusted"));
        let merged = merge_metadata(
            r#"{"recording_status":"active","access_level":"public"}"#,
            patch.clone(),
        );
        let merged: Value = serde_json::from_str(&merged).expect("JSON");
        assert_eq!(merged["recording_status"], "active");
        assert_eq!(merged["access_level"], "trusted");
        let fresh: Value = serde_json::from_str(&merge_metadata("", patch)).expect("JSON");
        assert_eq!(fresh, serde_json::json!({"access_level": "trusted"}));
    }

    #[test]
    fn a_null_removes_the_key() {
        let mut patch = Map::new();
        patch.insert("recording_status".into(), Value::Null);
        let merged = merge_metadata(
            r#"{"recording_status":"started","access_level":"public"}"#,
            patch,
        );
        let merged: Value = serde_json::from_str(&merged).expect("JSON");
        assert_eq!(merged, serde_json::json!({"access_level": "public"}));
    }
}

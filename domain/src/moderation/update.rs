//! Changing another participant: their name, metadata, attributes or permission (how hosts lower
//! someone's hand, or take away what they may publish). The permission never makes anyone
//! hidden, a recorder or an agent: La Suite Meet refuses those fields
//! (`PARTICIPANT_FORBIDDEN_PERMISSION_FIELDS`), and so does Meet.

use std::collections::HashMap;

use meet_types::TrackSource;
use serde_json::{Map, Value};

use crate::error::{FieldErrors, json_kind};
use crate::livekit::rooms::{ParticipantChanges, ParticipantPermission};
use crate::moderation::{ModerationError, Moderator, validate_identity};
use crate::participants::validate_name;
use crate::rooms::names::CONTROL_CHARACTERS;
use crate::services::Services;

/// The most bytes of metadata, once written as JSON, and of attributes (keys and values): the
/// LiveKit server's default limits (`limit.max_metadata_size`, `limit.max_attributes_size`).
pub const MAX_METADATA_BYTES: usize = 64_000;

/// The permission fields that may be set, as LiveKit's `ParticipantPermission` names them.
const PERMISSION_FIELDS: [&str; 6] = [
    "can_subscribe",
    "can_publish",
    "can_publish_data",
    "can_publish_sources",
    "can_update_metadata",
    "can_subscribe_metrics",
];

/// The permission fields nobody may set through Meet.
const FORBIDDEN_PERMISSION_FIELDS: [&str; 3] = ["hidden", "recorder", "agent"];

/// What the refusal of a forbidden permission field says.
pub const FORBIDDEN_PERMISSION: &str =
    "Setting hidden, recorder or agent is not allowed: these permissions are not Meet's to grant.";

/// What the refusal of a request that changes nothing says.
pub const NOTHING_TO_CHANGE: &str = "At least one of the following fields must be provided: metadata, attributes, permission, name.";

/// An update of a participant as a request asks it: the JSON values of its fields (absent and
/// `null` are `None`), checked by [`UpdateRequest::validate`].
#[derive(Debug, Clone, Copy, Default)]
pub struct UpdateRequest<'a> {
    pub participant_identity: &'a str,
    /// A JSON object, which becomes the participant's metadata (written as JSON).
    pub metadata: Option<&'a Value>,
    /// A JSON object of strings, merged into the participant's attributes.
    pub attributes: Option<&'a Value>,
    /// A JSON object with LiveKit's permission fields (those not given are `false`).
    pub permission: Option<&'a Value>,
    /// The name others see; blank changes nothing.
    pub name: Option<&'a str>,
}

impl UpdateRequest<'_> {
    /// The identity acted on and the changes asked, or every problem, by field.
    pub fn validate(&self) -> Result<(String, ParticipantChanges), FieldErrors> {
        let mut errors = FieldErrors::default();
        let identity = validate_identity("participant_identity", self.participant_identity)
            .map_err(|problems| errors.0.extend(problems.0))
            .ok();
        let mut changes = ParticipantChanges::default();
        if let Some(value) = self.metadata {
            changes.metadata = object("metadata", value, &mut errors).and_then(|map| {
                let written = Value::Object(map.clone()).to_string();
                if written.len() > MAX_METADATA_BYTES {
                    errors.add("metadata", too_large());
                    return None;
                }
                Some(written)
            });
        }
        if let Some(value) = self.attributes {
            changes.attributes = object("attributes", value, &mut errors)
                .and_then(|map| attributes(map, &mut errors));
        }
        if let Some(value) = self.permission {
            changes.permission = object("permission", value, &mut errors)
                .and_then(|map| permission(map, &mut errors));
        }
        if let Some(name) = self.name.filter(|name| !name.trim().is_empty()) {
            changes.name = validate_name(name)
                .map_err(|problems| errors.0.extend(problems.0))
                .ok();
        }
        let asked = self.metadata.is_some()
            || self.attributes.is_some()
            || self.permission.is_some()
            || self.name.is_some_and(|name| !name.trim().is_empty());
        if !asked {
            errors.add("non_field_errors", NOTHING_TO_CHANGE);
        }
        errors.into_result()?;
        // No problem, so every part asked was read.
        Ok((identity.unwrap_or_default(), changes))
    }
}

/// Applies `request` (validated first: a refused input changes nothing) to a participant of the
/// moderator's meeting. [`ModerationError::Missing`] when they are not connected.
pub async fn update(
    services: &Services,
    moderator: &Moderator,
    request: UpdateRequest<'_>,
) -> Result<(), ModerationError> {
    let (identity, changes) = request.validate()?;
    let room = moderator.livekit_room();
    if !services
        .livekit
        .update_participant(&room, &identity, changes)
        .await?
    {
        return Err(ModerationError::Missing(ModerationError::NOT_IN_MEETING));
    }
    tracing::info!(%room, by = %moderator.user.id, "participant updated");
    Ok(())
}

fn too_large() -> String {
    format!("Ensure this field is at most {MAX_METADATA_BYTES} bytes once written as JSON.")
}

/// `value` as a JSON object, else a problem of `field` (worded as Django REST framework's
/// `DictField`).
fn object<'v>(
    field: &str,
    value: &'v Value,
    errors: &mut FieldErrors,
) -> Option<&'v Map<String, Value>> {
    match value {
        Value::Object(map) => Some(map),
        other => {
            errors.add(
                field,
                format!(
                    "Expected a dictionary of items but got type \"{}\".",
                    json_kind(other)
                ),
            );
            None
        }
    }
}

/// Attributes: non-blank keys without control characters, string values (empty removes the
/// key), at most [`MAX_METADATA_BYTES`] in all.
fn attributes(
    map: &Map<String, Value>,
    errors: &mut FieldErrors,
) -> Option<HashMap<String, String>> {
    let mut attributes = HashMap::with_capacity(map.len());
    let mut size = 0;
    let before = errors.0.len();
    for (key, value) in map {
        if key.trim().is_empty() {
            errors.add("attributes", "Attribute names may not be blank.");
        } else if key.chars().any(char::is_control) {
            errors.add("attributes", CONTROL_CHARACTERS);
        }
        match value {
            Value::String(text) => {
                size += key.len() + text.len();
                attributes.insert(key.clone(), text.clone());
            }
            other => errors.add(
                "attributes",
                format!(
                    "The value of \"{}\" must be a string, not {}.",
                    shorten(key),
                    json_kind(other)
                ),
            ),
        }
    }
    if size > MAX_METADATA_BYTES {
        errors.add(
            "attributes",
            format!("Ensure the attributes are at most {MAX_METADATA_BYTES} bytes in all."),
        );
    }
    (errors.0.len() == before).then_some(attributes)
}

/// A permission: LiveKit's fields, each of its type; those not given are `false` (LiveKit
/// replaces the participant's permission whole, as La Suite Meet does).
fn permission(map: &Map<String, Value>, errors: &mut FieldErrors) -> Option<ParticipantPermission> {
    if FORBIDDEN_PERMISSION_FIELDS
        .iter()
        .any(|field| map.contains_key(*field))
    {
        errors.add("permission", FORBIDDEN_PERMISSION);
        return None;
    }
    let mut problems = Vec::new();
    for key in map
        .keys()
        .filter(|key| !PERMISSION_FIELDS.contains(&key.as_str()))
    {
        problems.push(format!(
            "Unknown permission field \"{}\"; the fields are {}.",
            shorten(key),
            PERMISSION_FIELDS.join(", ")
        ));
    }
    let mut flag = |field: &str| match map.get(field) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(value)) => *value,
        Some(_) => {
            problems.push(format!("{field}: Must be a valid boolean."));
            false
        }
    };
    let mut permission = ParticipantPermission {
        can_subscribe: flag("can_subscribe"),
        can_publish: flag("can_publish"),
        can_publish_data: flag("can_publish_data"),
        can_update_metadata: flag("can_update_metadata"),
        can_subscribe_metrics: flag("can_subscribe_metrics"),
        can_publish_sources: Vec::new(),
    };
    match map.get("can_publish_sources") {
        None | Some(Value::Null) => {}
        Some(Value::Array(sources)) => {
            for source in sources {
                match parse_source(source) {
                    Some(source) if !permission.can_publish_sources.contains(&source) => {
                        permission.can_publish_sources.push(source);
                    }
                    Some(_) => {}
                    None => problems.push(format!(
                        "can_publish_sources: {} is not a valid choice (camera, microphone, \
                         screen_share, screen_share_audio).",
                        shorten(&source.to_string())
                    )),
                }
            }
        }
        Some(other) => problems.push(format!(
            "can_publish_sources: Expected a list of items but got type \"{}\".",
            json_kind(other)
        )),
    }
    if problems.is_empty() {
        Some(permission)
    } else {
        for problem in problems {
            errors.add("permission", problem);
        }
        None
    }
}

/// A track source as our API names it (`camera`), as LiveKit's enum names it (`CAMERA`), or by
/// LiveKit's number (1 to 4).
fn parse_source(value: &Value) -> Option<TrackSource> {
    match value {
        Value::String(name) => TrackSource::parse(&name.to_ascii_lowercase()),
        Value::Number(number) => match number.as_u64()? {
            1 => Some(TrackSource::Camera),
            2 => Some(TrackSource::Microphone),
            3 => Some(TrackSource::ScreenShare),
            4 => Some(TrackSource::ScreenShareAudio),
            _ => None,
        },
        _ => None,
    }
}

/// A name from the request, cut short for a message.
fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request<'a>(
        metadata: Option<&'a Value>,
        attributes: Option<&'a Value>,
        permission: Option<&'a Value>,
        name: Option<&'a str>,
    ) -> UpdateRequest<'a> {
        UpdateRequest {
            participant_identity: "bob",
            metadata,
            attributes,
            permission,
            name,
        }
    }

    fn refused(request: UpdateRequest<'_>, field: &str) -> String {
        let errors = request.validate().expect_err("refused");
        errors
            .0
            .get(field)
            .map(|messages| messages.join(" "))
            .unwrap_or_else(|| panic!("{field}: {errors:?}"))
    }

    #[test]
    fn each_part_becomes_a_change() {
        let metadata = json!({"role": "speaker"});
        let attributes = json!({"handRaisedAt": "", "x": "1"});
        let permission = json!({
            "can_subscribe": true,
            "can_publish": true,
            "can_publish_sources": ["camera", "SCREEN_SHARE", 2, "camera"],
        });
        let (identity, changes) = request(
            Some(&metadata),
            Some(&attributes),
            Some(&permission),
            Some("  Bob B.  "),
        )
        .validate()
        .expect("valid");
        assert_eq!(identity, "bob");
        assert_eq!(changes.metadata.as_deref(), Some(r#"{"role":"speaker"}"#));
        assert_eq!(
            changes.attributes,
            Some(HashMap::from([
                ("handRaisedAt".to_owned(), String::new()),
                ("x".to_owned(), "1".to_owned()),
            ]))
        );
        assert_eq!(
            changes.permission,
            Some(ParticipantPermission {
                can_subscribe: true,
                can_publish: true,
                can_publish_sources: vec![
                    TrackSource::Camera,
                    TrackSource::ScreenShare,
                    TrackSource::Microphone
                ],
                ..ParticipantPermission::default()
            })
        );
        assert_eq!(changes.name.as_deref(), Some("Bob B."));
    }

    #[test]
    fn something_must_change() {
        for name in [None, Some(""), Some("   ")] {
            let message = refused(request(None, None, None, name), "non_field_errors");
            assert_eq!(message, NOTHING_TO_CHANGE);
        }
        // An empty object is something (as in La Suite Meet): it changes nothing, harmlessly.
        let empty = json!({});
        assert!(request(None, Some(&empty), None, None).validate().is_ok());
    }

    #[test]
    fn hidden_recorder_and_agent_are_refused_whatever_their_value() {
        for field in ["hidden", "recorder", "agent"] {
            for value in [json!(true), json!(false)] {
                let permission = json!({"can_subscribe": true, field: value});
                let message = refused(request(None, None, Some(&permission), None), "permission");
                assert_eq!(message, FORBIDDEN_PERMISSION);
            }
        }
    }

    #[test]
    fn wrong_shapes_are_refused_by_field() {
        let cases = [
            (
                json!({"metadata": "x"}),
                "metadata",
                "Expected a dictionary",
            ),
            (
                json!({"metadata": {"big": "x".repeat(MAX_METADATA_BYTES)}}),
                "metadata",
                "at most",
            ),
            (
                json!({"attributes": [1]}),
                "attributes",
                "Expected a dictionary",
            ),
            (
                json!({"attributes": {"a": 1}}),
                "attributes",
                "must be a string",
            ),
            (
                json!({"attributes": {"": "x"}}),
                "attributes",
                "may not be blank",
            ),
            (
                json!({"attributes": {"a\u{7}": "x"}}),
                "attributes",
                "control characters",
            ),
            (
                json!({"attributes": {"a": "x".repeat(MAX_METADATA_BYTES)}}),
                "attributes",
                "at most",
            ),
            (
                json!({"permission": true}),
                "permission",
                "Expected a dictionary",
            ),
            (
                json!({"permission": {"can_publish": "yes"}}),
                "permission",
                "valid boolean",
            ),
            (
                json!({"permission": {"can_fly": true}}),
                "permission",
                "Unknown permission field \"can_fly\"",
            ),
            (
                json!({"permission": {"can_manage_agent_session": true}}),
                "permission",
                "Unknown",
            ),
            (
                json!({"permission": {"can_publish_sources": "camera"}}),
                "permission",
                "list",
            ),
            (
                json!({"permission": {"can_publish_sources": ["hologram"]}}),
                "permission",
                "hologram",
            ),
            (
                json!({"permission": {"can_publish_sources": [0]}}),
                "permission",
                "not a valid choice",
            ),
            (
                json!({"permission": {"can_publish_sources": [5]}}),
                "permission",
                "not a valid choice",
            ),
        ];
        for (body, field, expected) in cases {
            let request = request(
                body.get("metadata"),
                body.get("attributes"),
                body.get("permission"),
                None,
            );
            let message = refused(request, field);
            assert!(message.contains(expected), "{body}: {message}");
        }
        let long = "a".repeat(256);
        assert!(refused(request(None, None, None, Some(&long)), "name").contains("255"));
        let mut bad_identity = request(Some(&Value::Null), None, None, Some("Bob"));
        bad_identity.participant_identity = "";
        assert!(bad_identity.validate().is_err());
    }
}

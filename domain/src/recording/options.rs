//! What a start request asks for: the mode and La Suite Meet's recording options, checked.

use meet_types::RecordingMode;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{FieldErrors, json_kind};

/// The options of a recording (La Suite Meet's `RecordingOptions`). Absent ones are left out of
/// what is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordingOptions {
    /// The language spoken, for the transcript: an ISO 639 code (`fr`, `en`); absent means the
    /// transcriber detects it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// A screen recording whose sound is also transcribed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcribe: Option<bool>,
    /// Whether to collect who spoke when (for the transcript).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collect_metadata: Option<bool>,
    /// The mode people chose, when it differs from the one recorded ("transcribe and record" is
    /// recorded as a screen recording).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_mode: Option<RecordingMode>,
}

/// A request to start recording, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartRequest {
    pub mode: RecordingMode,
    pub options: RecordingOptions,
}

/// The options' keys.
const OPTION_KEYS: [&str; 4] = [
    "language",
    "transcribe",
    "collect_metadata",
    "original_mode",
];

/// Checks a start request's body: `{mode, options?}`, where `mode` is one of `modes` (those this
/// deployment records) and `options` holds only known keys with values of the right kind. Every
/// problem is named by field (`mode`, `options`, `options.language`, …).
pub fn validate_start(body: &Value, modes: &[RecordingMode]) -> Result<StartRequest, FieldErrors> {
    let mut errors = FieldErrors::default();
    let Some(object) = body.as_object() else {
        return Err(FieldErrors::one(
            "non_field_errors",
            format!(
                "Invalid data. Expected a dictionary, but got {}.",
                json_kind(body)
            ),
        ));
    };
    for key in object.keys() {
        if key != "mode" && key != "options" {
            errors.add(&clip(key), "Unknown field.");
        }
    }
    let mode = match object.get("mode") {
        None | Some(Value::Null) => {
            errors.add("mode", "This field is required.");
            None
        }
        Some(Value::String(name)) => match RecordingMode::parse(name) {
            Some(mode) if modes.contains(&mode) => Some(mode),
            _ => {
                let known: Vec<_> = modes.iter().map(|mode| mode.as_str()).collect();
                errors.add(
                    "mode",
                    format!(
                        "\"{}\" is not a valid choice (this deployment records: {}).",
                        clip(name),
                        if known.is_empty() {
                            "nothing".to_owned()
                        } else {
                            known.join(", ")
                        }
                    ),
                );
                None
            }
        },
        Some(other) => {
            errors.add(
                "mode",
                format!("Expected a string, but got {}.", json_kind(other)),
            );
            None
        }
    };
    let options = match object.get("options") {
        None | Some(Value::Null) => RecordingOptions::default(),
        Some(Value::Object(options)) => validate_options(options, modes, &mut errors),
        Some(other) => {
            errors.add(
                "options",
                format!("Expected a dictionary, but got {}.", json_kind(other)),
            );
            RecordingOptions::default()
        }
    };
    match mode {
        Some(mode) if errors.is_empty() => Ok(StartRequest { mode, options }),
        _ => Err(errors),
    }
}

fn validate_options(
    options: &serde_json::Map<String, Value>,
    modes: &[RecordingMode],
    errors: &mut FieldErrors,
) -> RecordingOptions {
    let mut checked = RecordingOptions::default();
    for key in options.keys() {
        if !OPTION_KEYS.contains(&key.as_str()) {
            errors.add(&format!("options.{}", clip(key)), "Unknown field.");
        }
    }
    match options.get("language") {
        None | Some(Value::Null) => {}
        Some(Value::String(code)) => {
            let shaped =
                (2..=3).contains(&code.len()) && code.bytes().all(|byte| byte.is_ascii_lowercase());
            if shaped {
                checked.language = Some(code.clone());
            } else {
                errors.add(
                    "options.language",
                    "Enter a language code of two or three lowercase letters, such as \"fr\".",
                );
            }
        }
        Some(other) => errors.add(
            "options.language",
            format!("Expected a string, but got {}.", json_kind(other)),
        ),
    }
    for (key, slot) in [
        ("transcribe", &mut checked.transcribe),
        ("collect_metadata", &mut checked.collect_metadata),
    ] {
        match options.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Bool(value)) => *slot = Some(*value),
            Some(other) => errors.add(
                &format!("options.{key}"),
                format!("Must be a valid boolean, not {}.", json_kind(other)),
            ),
        }
    }
    match options.get("original_mode") {
        None | Some(Value::Null) => {}
        Some(Value::String(name)) => match RecordingMode::parse(name) {
            Some(mode) if modes.contains(&mode) || mode == RecordingMode::Transcript => {
                checked.original_mode = Some(mode);
            }
            _ => errors.add(
                "options.original_mode",
                format!("\"{}\" is not a valid choice.", clip(name)),
            ),
        },
        Some(other) => errors.add(
            "options.original_mode",
            format!("Expected a string, but got {}.", json_kind(other)),
        ),
    }
    checked
}

/// At most 50 characters of a name the requester sent, for a message.
fn clip(text: &str) -> String {
    text.chars().take(50).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const BOTH: [RecordingMode; 2] = RecordingMode::ALL;

    #[test]
    fn a_mode_alone_is_a_request() {
        let request = validate_start(&json!({"mode": "transcript"}), &BOTH).unwrap();
        assert_eq!(request.mode, RecordingMode::Transcript);
        assert_eq!(request.options, RecordingOptions::default());
        assert_eq!(serde_json::to_value(&request.options).unwrap(), json!({}));
    }

    #[test]
    fn options_are_kept_as_given() {
        let body = json!({"mode": "screen_recording", "options": {
            "language": "fr", "transcribe": true, "original_mode": "transcript"}});
        let request = validate_start(&body, &BOTH).unwrap();
        assert_eq!(
            serde_json::to_value(&request.options).unwrap(),
            json!({"language": "fr", "transcribe": true, "original_mode": "transcript"})
        );
    }

    #[test]
    fn every_wrong_field_is_named() {
        let body = json!({"mode": 3, "extra": 1, "options": {
            "language": "French; DROP", "transcribe": "yes", "shell": "rm", "original_mode": "x"}});
        let errors = validate_start(&body, &BOTH).unwrap_err();
        let fields: Vec<_> = errors.0.keys().cloned().collect();
        assert_eq!(
            fields,
            [
                "extra",
                "mode",
                "options.language",
                "options.original_mode",
                "options.shell",
                "options.transcribe"
            ]
        );
    }

    #[test]
    fn a_mode_the_deployment_does_not_record_is_refused() {
        let errors = validate_start(
            &json!({"mode": "transcript"}),
            &[RecordingMode::ScreenRecording],
        )
        .unwrap_err();
        assert!(
            errors.summary().contains("screen_recording"),
            "{}",
            errors.summary()
        );
        assert!(validate_start(&json!({}), &BOTH).is_err());
        assert!(validate_start(&json!([]), &BOTH).is_err());
        assert!(validate_start(&json!({"mode": "transcript", "options": []}), &BOTH).is_err());
    }
}

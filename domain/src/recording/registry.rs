//! Which worker records each mode, decided once at startup from `RECORDING_WORKER_CLASSES`: a
//! JSON object from mode to service name, La Suite Meet's setting. Its modes are what
//! `/api/v1.0/config/` reports as `recording.available_modes`.

use std::collections::BTreeMap;
use std::sync::Arc;

use meet_types::RecordingMode;

use crate::recording::egress::{Composite, CompositeEgress};
use crate::recording::worker::{WorkerService, WorkerServiceConfig};

/// The setting's name, for messages.
pub const SETTING: &str = "RECORDING_WORKER_CLASSES";

/// What the setting holds when it is not set.
pub const DEFAULT_SETTING: &str = r#"{"screen_recording": "video-recording-composite-livekit-egress", "transcript": "audio-recording-composite-livekit-egress"}"#;

/// Why the registry could not be built: the message names the setting and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{SETTING}: {0}")]
pub struct RegistryError(String);

/// The recording worker of each mode this deployment records.
#[derive(Clone, Default)]
pub struct WorkerRegistry {
    services: BTreeMap<RecordingMode, Arc<dyn WorkerService>>,
}

impl std::fmt::Debug for WorkerRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(
                self.services
                    .iter()
                    .map(|(mode, service)| (mode, service.name())),
            )
            .finish()
    }
}

impl WorkerRegistry {
    /// The registry `setting` describes (see [`DEFAULT_SETTING`]), each service built from
    /// `config`. A service is named by its name or by La Suite Meet's class path for it.
    pub fn from_setting(
        setting: &str,
        config: &Arc<WorkerServiceConfig>,
    ) -> Result<Self, RegistryError> {
        let entries: BTreeMap<String, String> = serde_json::from_str(setting).map_err(|error| {
            RegistryError(format!(
                "expected a JSON object from mode to service name, such as {DEFAULT_SETTING} ({error})"
            ))
        })?;
        if entries.is_empty() {
            return Err(RegistryError("names no mode to record".to_owned()));
        }
        let mut registry = Self::default();
        for (mode_name, service_name) in entries {
            let mode = RecordingMode::parse(&mode_name).ok_or_else(|| {
                RegistryError(format!(
                    "unknown mode {mode_name:?} (the modes are {})",
                    names(RecordingMode::ALL.iter().map(|mode| mode.as_str()))
                ))
            })?;
            let composite = composite_named(&service_name).ok_or_else(|| {
                RegistryError(format!(
                    "unknown recording service {service_name:?} for mode {mode_name:?} (the \
                     services are {})",
                    names([Composite::Video.name(), Composite::Audio.name()].into_iter())
                ))
            })?;
            registry = registry.with(
                mode,
                Arc::new(CompositeEgress::new(composite, config.clone())),
            );
        }
        Ok(registry)
    }

    /// This registry with `service` recording `mode` (tests pass fakes this way).
    #[must_use]
    pub fn with(mut self, mode: RecordingMode, service: Arc<dyn WorkerService>) -> Self {
        self.services.insert(mode, service);
        self
    }

    /// The worker recording `mode`, if this deployment records it.
    pub fn get(&self, mode: RecordingMode) -> Option<&Arc<dyn WorkerService>> {
        self.services.get(&mode)
    }

    /// The modes this deployment records, in a stable order.
    pub fn modes(&self) -> Vec<RecordingMode> {
        self.services.keys().copied().collect()
    }
}

/// The composite egress a service name (or La Suite Meet's class path) designates.
fn composite_named(name: &str) -> Option<Composite> {
    const CLASS_PATH: &str = "core.recording.worker.services.";
    match name.strip_prefix(CLASS_PATH).unwrap_or(name) {
        "VideoCompositeEgressService" => Some(Composite::Video),
        "AudioCompositeEgressService" => Some(Composite::Audio),
        other => [Composite::Video, Composite::Audio]
            .into_iter()
            .find(|composite| composite.name() == other),
    }
}

fn names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|name| format!("{name:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::recording::worker::{LiveKitApi, Storage};
    use crate::secret::Secret;

    fn config() -> Arc<WorkerServiceConfig> {
        Arc::new(WorkerServiceConfig {
            output_folder: "recordings".to_owned(),
            livekit: LiveKitApi {
                url: "http://127.0.0.1:1".to_owned(),
                api_key: "key".to_owned(),
                api_secret: Secret::new("secret"),
                timeout: Duration::from_secs(1),
            },
            storage: Storage::Folder("/tmp".into()),
            encoding: None,
        })
    }

    #[test]
    fn the_default_records_both_modes_with_egress() {
        let registry = WorkerRegistry::from_setting(DEFAULT_SETTING, &config()).unwrap();
        assert_eq!(registry.modes(), RecordingMode::ALL);
        assert_eq!(
            registry.get(RecordingMode::Transcript).unwrap().name(),
            "audio-recording-composite-livekit-egress"
        );
    }

    #[test]
    fn la_suite_meet_class_paths_are_understood() {
        let setting =
            r#"{"transcript": "core.recording.worker.services.AudioCompositeEgressService"}"#;
        let registry = WorkerRegistry::from_setting(setting, &config()).unwrap();
        assert_eq!(registry.modes(), [RecordingMode::Transcript]);
        assert!(registry.get(RecordingMode::ScreenRecording).is_none());
    }

    #[test]
    fn a_bad_setting_stops_the_start_naming_the_setting_and_the_fault() {
        for (setting, expected) in [
            (
                r#"{"podcast": "video-recording-composite-livekit-egress"}"#,
                "unknown mode \"podcast\"",
            ),
            (
                r#"{"transcript": "core.Whatever"}"#,
                "unknown recording service \"core.Whatever\"",
            ),
            ("{}", "names no mode"),
            ("screen_recording", "expected a JSON object"),
            (r#"{"transcript": 3}"#, "expected a JSON object"),
        ] {
            let error = WorkerRegistry::from_setting(setting, &config())
                .unwrap_err()
                .to_string();
            assert!(error.starts_with("RECORDING_WORKER_CLASSES: "), "{error}");
            assert!(error.contains(expected), "{setting}: {error}");
        }
    }
}

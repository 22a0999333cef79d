//! Recording settings. Variable names follow La Suite Meet's (`RECORDING_*` and the
//! `AWS_S3_*` storage settings), plus `RECORDING_STORAGE_FOLDER` for a single machine.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use clap::builder::BoolishValueParser;
use meet_domain::Secret;
use meet_domain::recording::storage::{FolderStorage, RecordingStorage, S3Storage};
use meet_domain::recording::summary::Summary;
use meet_domain::recording::worker::{Encoding, LiveKitApi, S3Bucket, Storage};
use meet_domain::recording::{
    Recordings, RegistryError, WorkerRegistry, WorkerServiceConfig, registry,
};

/// How long Meet waits for LiveKit's Egress API: starting an egress makes LiveKit find a free
/// recorder, which takes seconds.
const EGRESS_TIMEOUT: Duration = Duration::from_secs(30);

/// Why recording could not be set up: the message names the setting.
#[derive(Debug, thiserror::Error)]
pub enum RecordingSetupError {
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// A setting S3 storage needs is not set.
    #[error("{0} must be set when AWS_S3_ENDPOINT_URL is")]
    Missing(&'static str),
    /// The summary service's token is not set.
    #[error("SUMMARY_SERVICE_API_TOKEN must be set when SUMMARY_SERVICE_ENDPOINT is")]
    SummaryToken,
    /// The summary service reads transcripts from the bucket: a folder will not do.
    #[error(
        "SUMMARY_SERVICE_ENDPOINT needs AWS_S3_ENDPOINT_URL: the summary service downloads recordings from the bucket"
    )]
    SummaryNeedsS3,
    /// The summary service's client could not be built.
    #[error("SUMMARY_SERVICE_ENDPOINT: {0}")]
    Summary(String),
    /// The S3 settings do not make a usable storage.
    #[error("AWS_S3_*: {0}")]
    Storage(String),
}

/// The recording variables.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Recording")]
pub struct RecordingConfig {
    /// Let hosts record meetings (`true` or `false`); needs LiveKit's Egress service.
    #[arg(
        long,
        env = "RECORDING_ENABLE",
        value_name = "RECORDING_ENABLE",
        value_parser = BoolishValueParser::new(),
        default_value = "false",
        action = clap::ArgAction::Set
    )]
    pub recording_enable: bool,

    /// Which service records each mode: a JSON object from mode (`screen_recording`,
    /// `transcript`) to service name (`video-recording-composite-livekit-egress`,
    /// `audio-recording-composite-livekit-egress`, or La Suite Meet's class paths for them).
    #[arg(
        long,
        env = "RECORDING_WORKER_CLASSES",
        value_name = "RECORDING_WORKER_CLASSES",
        default_value = registry::DEFAULT_SETTING
    )]
    pub recording_worker_classes: String,

    /// The folder of the storage recordings go into.
    #[arg(
        long,
        env = "RECORDING_OUTPUT_FOLDER",
        value_name = "RECORDING_OUTPUT_FOLDER",
        default_value = "recordings",
        value_parser = parse_output_folder
    )]
    pub recording_output_folder: String,

    /// Days a recording is kept; its file is then deleted. Unset: kept until its owner deletes
    /// it.
    #[arg(long, env = "RECORDING_EXPIRATION_DAYS", value_name = "RECORDING_EXPIRATION_DAYS", value_parser = clap::value_parser!(u32).range(1..))]
    pub recording_expiration_days: Option<u32>,

    /// The longest recording, in milliseconds; it must match the egress service's own limit.
    /// Unset: no limit.
    #[arg(long, env = "RECORDING_MAX_DURATION", value_name = "RECORDING_MAX_DURATION", value_parser = clap::value_parser!(u64).range(1..))]
    pub recording_max_duration: Option<u64>,

    /// A folder on this machine where the recording worker writes recordings, for a
    /// single-machine deployment; used when `AWS_S3_ENDPOINT_URL` is not set.
    #[arg(
        long,
        env = "RECORDING_STORAGE_FOLDER",
        value_name = "RECORDING_STORAGE_FOLDER",
        default_value = "media"
    )]
    pub recording_storage_folder: PathBuf,

    /// S3-compatible storage for recordings, e.g. `https://s3.fr-par.scw.cloud`.
    #[arg(long, env = "AWS_S3_ENDPOINT_URL", value_name = "AWS_S3_ENDPOINT_URL", value_parser = parse_endpoint)]
    pub aws_s3_endpoint_url: Option<String>,

    /// The storage's access key.
    #[arg(
        long,
        env = "AWS_S3_ACCESS_KEY_ID",
        value_name = "AWS_S3_ACCESS_KEY_ID",
        default_value = ""
    )]
    pub aws_s3_access_key_id: String,

    /// The storage's secret key.
    #[arg(
        long,
        env = "AWS_S3_SECRET_ACCESS_KEY",
        value_name = "AWS_S3_SECRET_ACCESS_KEY",
        hide_env_values = true
    )]
    pub aws_s3_secret_access_key: Option<Secret>,

    /// The storage's region.
    #[arg(
        long,
        env = "AWS_S3_REGION_NAME",
        value_name = "AWS_S3_REGION_NAME",
        default_value = "us-east-1"
    )]
    pub aws_s3_region_name: String,

    /// The bucket recordings go into.
    #[arg(
        long,
        env = "AWS_STORAGE_BUCKET_NAME",
        value_name = "AWS_STORAGE_BUCKET_NAME",
        default_value = "meet-media-storage"
    )]
    pub aws_storage_bucket_name: String,

    /// The address of the recording pages the "recording ready" email links to, the
    /// recording's id appended. Default: `MEET_PUBLIC_URL` + `/recording`.
    #[arg(long, env = "RECORDING_DOWNLOAD_BASE_URL", value_name = "RECORDING_DOWNLOAD_BASE_URL", value_parser = parse_endpoint)]
    pub recording_download_base_url: Option<String>,

    /// The summary service transcripts go to once saved (La Suite Meet's `src/summary`, its v2
    /// API), e.g. `https://summary.example.org/api/v2/async-jobs/transcribe`. Needs S3 storage:
    /// the service downloads the file from the bucket.
    #[arg(long, env = "SUMMARY_SERVICE_ENDPOINT", value_name = "SUMMARY_SERVICE_ENDPOINT", value_parser = parse_endpoint)]
    pub summary_service_endpoint: Option<String>,

    /// The bearer token Meet calls the summary service with.
    #[arg(
        long,
        env = "SUMMARY_SERVICE_API_TOKEN",
        value_name = "SUMMARY_SERVICE_API_TOKEN",
        hide_env_values = true
    )]
    pub summary_service_api_token: Option<Secret>,

    /// The bearer token the summary service calls Meet's hook with
    /// (`/api/v1.0/recordings/external-process-hook/`).
    #[arg(
        long,
        env = "SUMMARY_SERVICE_WEBHOOK_API_TOKEN",
        value_name = "SUMMARY_SERVICE_WEBHOOK_API_TOKEN",
        hide_env_values = true
    )]
    pub summary_service_webhook_api_token: Option<Secret>,

    /// The summary service's API version; only 2 (La Suite Meet deprecated 1).
    #[arg(long, env = "SUMMARY_SERVICE_VERSION", value_name = "SUMMARY_SERVICE_VERSION", default_value_t = 2, value_parser = clap::value_parser!(u8).range(2..=2))]
    pub summary_service_version: u8,

    /// How long the file's signed address given to the summary service lasts, in seconds.
    #[arg(long, env = "SUMMARY_SERVICE_CLOUD_STORAGE_SIGNED_URL_EXPIRY_SECONDS", value_name = "SUMMARY_SERVICE_CLOUD_STORAGE_SIGNED_URL_EXPIRY_SECONDS", default_value_t = 86_400, value_parser = clap::value_parser!(u32).range(60..=604_800))]
    pub summary_service_cloud_storage_signed_url_expiry_seconds: u32,

    /// A satisfaction form for transcripts, linked in them with `?room_id=` the room's id.
    #[arg(long, env = "TRANSCRIPTION_SATISFACTION_FORM_BASE_URL", value_name = "TRANSCRIPTION_SATISFACTION_FORM_BASE_URL", value_parser = parse_endpoint)]
    pub transcription_satisfaction_form_base_url: Option<String>,

    /// Encode screen recordings with the `RECORDING_ENCODING_*` values below (`true` or
    /// `false`); otherwise 720p at 30 frames per second.
    #[arg(
        long,
        env = "RECORDING_ENCODING_ENABLED",
        value_name = "RECORDING_ENCODING_ENABLED",
        value_parser = BoolishValueParser::new(),
        default_value = "false",
        action = clap::ArgAction::Set
    )]
    pub recording_encoding_enabled: bool,

    /// Picture width, in pixels.
    #[arg(long, env = "RECORDING_ENCODING_WIDTH", value_name = "RECORDING_ENCODING_WIDTH", default_value_t = 1280, value_parser = clap::value_parser!(u32).range(16..=4096))]
    pub recording_encoding_width: u32,

    /// Picture height, in pixels.
    #[arg(long, env = "RECORDING_ENCODING_HEIGHT", value_name = "RECORDING_ENCODING_HEIGHT", default_value_t = 720, value_parser = clap::value_parser!(u32).range(16..=4096))]
    pub recording_encoding_height: u32,

    /// Frames per second.
    #[arg(long, env = "RECORDING_ENCODING_FRAMERATE", value_name = "RECORDING_ENCODING_FRAMERATE", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=60))]
    pub recording_encoding_framerate: u32,

    /// Video bitrate, in kbit/s.
    #[arg(long, env = "RECORDING_ENCODING_VIDEO_BITRATE_KBPS", value_name = "RECORDING_ENCODING_VIDEO_BITRATE_KBPS", default_value_t = 3000, value_parser = clap::value_parser!(u32).range(100..=50_000))]
    pub recording_encoding_video_bitrate_kbps: u32,

    /// Audio bitrate, in kbit/s.
    #[arg(long, env = "RECORDING_ENCODING_AUDIO_BITRATE_KBPS", value_name = "RECORDING_ENCODING_AUDIO_BITRATE_KBPS", default_value_t = 128, value_parser = clap::value_parser!(u32).range(16..=512))]
    pub recording_encoding_audio_bitrate_kbps: u32,

    /// Seconds between key frames.
    #[arg(long, env = "RECORDING_ENCODING_KEY_FRAME_INTERVAL_S", value_name = "RECORDING_ENCODING_KEY_FRAME_INTERVAL_S", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=60))]
    pub recording_encoding_key_frame_interval_s: u32,
}

/// A storage folder: letters, digits, `-`, `_`, `.` and `/`, never `..`.
fn parse_output_folder(value: &str) -> Result<String, String> {
    let shaped = !value.is_empty()
        && value.len() <= 100
        && value
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'/'))
        && !value.split('/').any(|part| part == "..");
    if shaped {
        Ok(value.trim_matches('/').to_owned())
    } else {
        Err("expected a folder name such as recordings (letters, digits, -, _, . and /)".to_owned())
    }
}

fn parse_endpoint(value: &str) -> Result<String, String> {
    match url::Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Ok(value.trim_end_matches('/').to_owned())
        }
        _ => Err("expected an http:// or https:// URL such as https://s3.example.org".to_owned()),
    }
}

impl RecordingConfig {
    /// The defaults: recording off.
    pub fn defaults() -> Self {
        Self {
            recording_enable: false,
            recording_worker_classes: registry::DEFAULT_SETTING.to_owned(),
            recording_output_folder: "recordings".to_owned(),
            recording_expiration_days: None,
            recording_max_duration: None,
            recording_storage_folder: PathBuf::from("media"),
            recording_download_base_url: None,
            aws_s3_endpoint_url: None,
            aws_s3_access_key_id: String::new(),
            aws_s3_secret_access_key: None,
            aws_s3_region_name: "us-east-1".to_owned(),
            aws_storage_bucket_name: "meet-media-storage".to_owned(),
            summary_service_endpoint: None,
            summary_service_api_token: None,
            summary_service_webhook_api_token: None,
            summary_service_version: 2,
            summary_service_cloud_storage_signed_url_expiry_seconds: 86_400,
            transcription_satisfaction_form_base_url: None,
            recording_encoding_enabled: false,
            recording_encoding_width: 1280,
            recording_encoding_height: 720,
            recording_encoding_framerate: 30,
            recording_encoding_video_bitrate_kbps: 3000,
            recording_encoding_audio_bitrate_kbps: 128,
            recording_encoding_key_frame_interval_s: 4,
        }
    }

    /// Where recordings' files go: an S3 bucket needs its credentials.
    pub fn storage(&self) -> Result<Storage, RecordingSetupError> {
        let Some(endpoint) = &self.aws_s3_endpoint_url else {
            return Ok(Storage::Folder(self.recording_storage_folder.clone()));
        };
        let secret_key = self
            .aws_s3_secret_access_key
            .clone()
            .ok_or(RecordingSetupError::Missing("AWS_S3_SECRET_ACCESS_KEY"))?;
        if self.aws_s3_access_key_id.is_empty() {
            return Err(RecordingSetupError::Missing("AWS_S3_ACCESS_KEY_ID"));
        }
        Ok(Storage::S3(S3Bucket {
            endpoint: endpoint.clone(),
            region: self.aws_s3_region_name.clone(),
            bucket: self.aws_storage_bucket_name.clone(),
            access_key: self.aws_s3_access_key_id.clone(),
            secret_key,
            force_path_style: true,
        }))
    }

    /// Recording's settings and workers, when recording is on; the workers call LiveKit at
    /// `livekit`. A bad `RECORDING_WORKER_CLASSES` stops the start.
    pub fn recordings(
        &self,
        livekit_url: &str,
        api_key: &str,
        api_secret: &Secret,
        public_url: &str,
    ) -> Result<Option<Recordings>, RecordingSetupError> {
        if !self.recording_enable {
            return Ok(None);
        }
        let encoding = self.recording_encoding_enabled.then(|| Encoding {
            width: self.recording_encoding_width,
            height: self.recording_encoding_height,
            framerate: self.recording_encoding_framerate,
            video_bitrate_kbps: self.recording_encoding_video_bitrate_kbps,
            audio_bitrate_kbps: self.recording_encoding_audio_bitrate_kbps,
            key_frame_interval: Duration::from_secs(u64::from(
                self.recording_encoding_key_frame_interval_s,
            )),
        });
        let config = Arc::new(WorkerServiceConfig {
            output_folder: self.recording_output_folder.clone(),
            livekit: LiveKitApi {
                url: http_url(livekit_url),
                api_key: api_key.to_owned(),
                api_secret: api_secret.clone(),
                timeout: EGRESS_TIMEOUT,
            },
            storage: self.storage()?,
            encoding,
        });
        let registry = WorkerRegistry::from_setting(&self.recording_worker_classes, &config)?;
        let storage: Arc<dyn RecordingStorage> = match &config.storage {
            Storage::Folder(folder) => Arc::new(FolderStorage::new(folder)),
            Storage::S3(bucket) => Arc::new(
                S3Storage::new(bucket).map_err(|error| RecordingSetupError::Storage(error.0))?,
            ),
        };
        let summary = self.summary(&config.storage)?;
        Ok(Some(Recordings {
            expiration_days: self.recording_expiration_days,
            max_duration: self.recording_max_duration.map(Duration::from_millis),
            config,
            registry: Arc::new(registry),
            storage: Some(storage),
            download_base_url: self
                .recording_download_base_url
                .clone()
                .unwrap_or_else(|| format!("{}/recording", public_url.trim_end_matches('/'))),
            summary,
        }))
    }

    /// The summary service, when `SUMMARY_SERVICE_ENDPOINT` is set: it needs its token and S3
    /// storage.
    fn summary(&self, storage: &Storage) -> Result<Option<Summary>, RecordingSetupError> {
        let Some(endpoint) = &self.summary_service_endpoint else {
            return Ok(None);
        };
        let token = self
            .summary_service_api_token
            .clone()
            .ok_or(RecordingSetupError::SummaryToken)?;
        if !matches!(storage, Storage::S3(_)) {
            return Err(RecordingSetupError::SummaryNeedsS3);
        }
        let service = crate::summary::HttpSummaryService::new(endpoint.clone(), token)
            .map_err(|error| RecordingSetupError::Summary(error.0))?;
        Ok(Some(Summary {
            service: Arc::new(service),
            webhook_token: self.summary_service_webhook_api_token.clone(),
            url_expiry: Duration::from_secs(u64::from(
                self.summary_service_cloud_storage_signed_url_expiry_seconds,
            )),
            form_base_url: self.transcription_satisfaction_form_base_url.clone(),
        }))
    }
}

/// LiveKit's API address for a URL that may be its WebSocket one.
fn http_url(url: &str) -> String {
    if let Some(rest) = url.strip_prefix("ws://") {
        format!("http://{rest}")
    } else if let Some(rest) = url.strip_prefix("wss://") {
        format!("https://{rest}")
    } else {
        url.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_folders_are_plain_names() {
        assert_eq!(parse_output_folder("recordings/").unwrap(), "recordings");
        assert_eq!(parse_output_folder("a/b-c_d.e").unwrap(), "a/b-c_d.e");
        for bad in ["", "../etc", "a/../b", "a b", "x\u{0}"] {
            assert!(parse_output_folder(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_summary_service_needs_its_token_and_a_bucket() {
        let secret = Secret::new("secret");
        let mut config = RecordingConfig::defaults();
        config.recording_enable = true;
        config.summary_service_endpoint = Some("https://summary.example.org/api/v2".to_owned());
        let build = |config: &RecordingConfig| {
            config.recordings("ws://127.0.0.1:7880", "devkey", &secret, "http://meet.test")
        };
        assert!(matches!(
            build(&config),
            Err(RecordingSetupError::SummaryToken)
        ));
        config.summary_service_api_token = Some(Secret::new("token"));
        let error = build(&config).expect_err("a folder");
        assert!(
            error.to_string().contains("needs AWS_S3_ENDPOINT_URL"),
            "{error}"
        );
        config.aws_s3_endpoint_url = Some("http://127.0.0.1:9000".to_owned());
        config.aws_s3_access_key_id = "meet".to_owned();
        config.aws_s3_secret_access_key = Some(Secret::new("key"));
        let recordings = build(&config).unwrap().unwrap();
        let summary = recordings.summary.expect("configured");
        assert_eq!(summary.url_expiry, Duration::from_secs(86_400));
        assert!(summary.webhook_token.is_none());
    }

    #[test]
    fn off_by_default_and_a_bad_registry_names_the_setting() {
        let secret = Secret::new("secret");
        let config = RecordingConfig::defaults();
        assert!(
            config
                .recordings("ws://127.0.0.1:7880", "devkey", &secret, "http://meet.test")
                .unwrap()
                .is_none()
        );
        let mut on = RecordingConfig::defaults();
        on.recording_enable = true;
        let recordings = on
            .recordings("ws://127.0.0.1:7880", "devkey", &secret, "http://meet.test")
            .unwrap()
            .unwrap();
        assert_eq!(recordings.config.livekit.url, "http://127.0.0.1:7880");
        assert_eq!(recordings.download_base_url, "http://meet.test/recording");
        assert_eq!(recordings.registry.modes().len(), 2);
        on.recording_worker_classes = r#"{"podcast": "x"}"#.to_owned();
        let error = on
            .recordings("ws://127.0.0.1:7880", "devkey", &secret, "http://meet.test")
            .unwrap_err();
        assert!(
            error.to_string().starts_with("RECORDING_WORKER_CLASSES"),
            "{error}"
        );
    }
}

//! The recording workers La Suite Meet ships: LiveKit egress, recording a room's composite
//! (everyone, as laid out by LiveKit's `speaker-light` template) into an MP4 file, or its sound
//! alone into an OGG file for transcripts, saved to the configured storage.

use std::sync::Arc;

use async_trait::async_trait;
use livekit_api::services::egress::{
    EgressClient, EgressListFilter, EgressListOptions, EgressOutput, RoomCompositeOptions, encoding,
};
use livekit_api::services::{ServerError, ServiceError};
use livekit_protocol as proto;
use meet_types::RecordingMode;
use uuid::Uuid;

use crate::recording::worker::{
    Encoding, StopOutcome, Storage, WorkerError, WorkerReport, WorkerService, WorkerServiceConfig,
    WorkerState,
};

/// What a composite egress records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Composite {
    /// Sound and picture, into MP4 (`video-recording-composite-livekit-egress`).
    Video,
    /// Sound alone, into OGG (`audio-recording-composite-livekit-egress`).
    Audio,
}

impl Composite {
    /// The service's name in `RECORDING_WORKER_CLASSES`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Video => "video-recording-composite-livekit-egress",
            Self::Audio => "audio-recording-composite-livekit-egress",
        }
    }

    fn mode(self) -> RecordingMode {
        match self {
            Self::Video => RecordingMode::ScreenRecording,
            Self::Audio => RecordingMode::Transcript,
        }
    }
}

/// A room composite egress on the configured LiveKit server.
pub struct CompositeEgress {
    composite: Composite,
    client: EgressClient,
    config: Arc<WorkerServiceConfig>,
}

impl CompositeEgress {
    pub fn new(composite: Composite, config: Arc<WorkerServiceConfig>) -> Self {
        let livekit = &config.livekit;
        let client =
            EgressClient::with_api_key(&livekit.url, &livekit.api_key, livekit.api_secret.expose())
                .with_request_timeout(livekit.timeout);
        Self {
            composite,
            client,
            config,
        }
    }

    /// Where the egress writes the recording `recording`.
    fn output(&self, recording: Uuid) -> proto::EncodedFileOutput {
        let mode = self.composite.mode();
        let key = self.config.key(recording, mode.extension());
        let (filepath, output) = match &self.config.storage {
            Storage::S3(bucket) => (
                key,
                Some(proto::encoded_file_output::Output::S3(proto::S3Upload {
                    access_key: bucket.access_key.clone(),
                    secret: bucket.secret_key.expose().to_owned(),
                    region: bucket.region.clone(),
                    endpoint: bucket.endpoint.clone(),
                    bucket: bucket.bucket.clone(),
                    force_path_style: bucket.force_path_style,
                    ..Default::default()
                })),
            ),
            Storage::Folder(folder) => (folder.join(key).to_string_lossy().into_owned(), None),
        };
        let file_type = match self.composite {
            Composite::Video => proto::EncodedFileType::Mp4,
            Composite::Audio => proto::EncodedFileType::Ogg,
        };
        proto::EncodedFileOutput {
            file_type: file_type as i32,
            filepath,
            output,
            ..Default::default()
        }
    }

    fn options(&self) -> RoomCompositeOptions {
        match self.composite {
            Composite::Video => RoomCompositeOptions {
                layout: "speaker-light".to_owned(),
                encoding: self
                    .config
                    .encoding
                    .map_or(encoding::H264_720P_30, encoding_options),
                ..RoomCompositeOptions::default()
            },
            Composite::Audio => RoomCompositeOptions {
                audio_only: true,
                encoding: encoding::H264_720P_30,
                ..RoomCompositeOptions::default()
            },
        }
    }
}

/// The deployment's encoding as LiveKit's: H.264 main profile, AAC at 48 kHz.
fn encoding_options(chosen: Encoding) -> encoding::EncodingOptions {
    let int = |value: u32| i32::try_from(value).unwrap_or(i32::MAX);
    encoding::EncodingOptions {
        width: int(chosen.width),
        height: int(chosen.height),
        framerate: int(chosen.framerate),
        video_bitrate: int(chosen.video_bitrate_kbps),
        audio_bitrate: int(chosen.audio_bitrate_kbps),
        keyframe_interval: chosen.key_frame_interval.as_secs_f64(),
        audio_codec: proto::AudioCodec::Aac,
        audio_frequency: 48_000,
        video_codec: proto::VideoCodec::H264Main,
        ..encoding::EncodingOptions::default()
    }
}

#[async_trait]
impl WorkerService for CompositeEgress {
    fn name(&self) -> &'static str {
        self.composite.name()
    }

    async fn start(&self, room: &str, recording: Uuid) -> Result<String, WorkerError> {
        let output = EgressOutput::File(self.output(recording));
        let info = self
            .client
            .start_room_composite_egress(room, vec![output], self.options())
            .await
            .map_err(worker_error)?;
        if info.egress_id.is_empty() {
            return Err(WorkerError::Response(
                "the egress started without an id".to_owned(),
            ));
        }
        Ok(info.egress_id)
    }

    async fn stop(&self, worker_id: &str) -> Result<StopOutcome, WorkerError> {
        let info = self
            .client
            .stop_egress(worker_id)
            .await
            .map_err(worker_error)?;
        Ok(stop_outcome(info.status))
    }

    async fn report(&self, worker_id: &str) -> Result<Option<WorkerReport>, WorkerError> {
        let options = EgressListOptions {
            filter: EgressListFilter::Egress(worker_id.to_owned()),
            ..EgressListOptions::default()
        };
        let listed = self
            .client
            .list_egress(options)
            .await
            .map_err(worker_error)?;
        Ok(listed
            .into_iter()
            .find(|info| info.egress_id == worker_id)
            .map(|info| WorkerReport {
                worker_id: info.egress_id,
                state: worker_state(info.status),
                started_at: time(info.started_at),
                ended_at: time(info.ended_at),
            }))
    }
}

/// An egress status as a worker state; one this build does not know counts as failed.
fn worker_state(status: i32) -> WorkerState {
    known_state(status).unwrap_or(WorkerState::Failed)
}

/// LiveKit's `EgressStatus` number as a worker state; `None` for a number this build does not
/// know.
pub fn known_state(status: i32) -> Option<WorkerState> {
    use proto::EgressStatus::*;
    Some(match proto::EgressStatus::try_from(status).ok()? {
        EgressStarting => WorkerState::Starting,
        EgressActive => WorkerState::Active,
        EgressEnding => WorkerState::Ending,
        EgressComplete => WorkerState::Complete,
        EgressLimitReached => WorkerState::LimitReached,
        EgressAborted => WorkerState::Aborted,
        EgressFailed => WorkerState::Failed,
    })
}

/// LiveKit's `EgressStatus` by its protobuf name (`EGRESS_ACTIVE`) as a worker state; `None`
/// for a name this build does not know.
pub fn state_named(name: &str) -> Option<WorkerState> {
    known_state(proto::EgressStatus::from_str_name(name)? as i32)
}

/// Nanoseconds since the epoch (egress times), `None` for zero.
pub fn time(nanos: i64) -> Option<chrono::DateTime<chrono::Utc>> {
    (nanos > 0).then(|| chrono::DateTime::from_timestamp_nanos(nanos))
}

/// How LiveKit answered StopEgress: `EGRESS_ENDING` is stopping and saving, `EGRESS_ABORTED`
/// never started; anything else did not stop.
pub(crate) fn stop_outcome(status: i32) -> StopOutcome {
    match proto::EgressStatus::try_from(status) {
        Ok(proto::EgressStatus::EgressEnding) => StopOutcome::Stopped,
        Ok(proto::EgressStatus::EgressAborted) => StopOutcome::Aborted,
        _ => StopOutcome::FailedToStop,
    }
}

/// A failed egress call as a worker error: a Twirp refusal is the request's fault, the rest
/// (network, timeouts, LiveKit's own failures) the connection's.
fn worker_error(error: ServiceError) -> WorkerError {
    match error {
        ServiceError::Twirp(ServerError::Twirp(code))
            if !matches!(
                code.code.as_str(),
                "unavailable" | "internal" | "unknown" | "deadline_exceeded"
            ) =>
        {
            WorkerError::Request(format!("{}: {}", code.code, code.msg))
        }
        other => WorkerError::Connection(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::recording::worker::{LiveKitApi, S3Bucket};
    use crate::secret::Secret;

    fn config(storage: Storage) -> Arc<WorkerServiceConfig> {
        Arc::new(WorkerServiceConfig {
            output_folder: "recordings".to_owned(),
            livekit: LiveKitApi {
                url: "http://127.0.0.1:1".to_owned(),
                api_key: "key".to_owned(),
                api_secret: Secret::new("secret"),
                timeout: Duration::from_secs(1),
            },
            storage,
            encoding: None,
        })
    }

    #[test]
    fn files_go_to_the_bucket_or_the_folder_under_the_recordings_key() {
        let id = Uuid::nil();
        let bucket = S3Bucket {
            endpoint: "http://127.0.0.1:9000".to_owned(),
            region: "us-east-1".to_owned(),
            bucket: "meet".to_owned(),
            access_key: "access".to_owned(),
            secret_key: Secret::new("s3-secret"),
            force_path_style: true,
        };
        let video = CompositeEgress::new(Composite::Video, config(Storage::S3(bucket)));
        let output = video.output(id);
        assert_eq!(output.filepath, format!("recordings/{id}.mp4"));
        assert_eq!(output.file_type, proto::EncodedFileType::Mp4 as i32);
        let Some(proto::encoded_file_output::Output::S3(upload)) = output.output else {
            panic!("an S3 upload");
        };
        assert_eq!(
            (
                upload.bucket.as_str(),
                upload.secret.as_str(),
                upload.force_path_style
            ),
            ("meet", "s3-secret", true)
        );
        assert_eq!(video.options().layout, "speaker-light");

        let audio = CompositeEgress::new(
            Composite::Audio,
            config(Storage::Folder("/srv/meet".into())),
        );
        let output = audio.output(id);
        assert_eq!(output.filepath, format!("/srv/meet/recordings/{id}.ogg"));
        assert_eq!(output.file_type, proto::EncodedFileType::Ogg as i32);
        assert!(output.output.is_none());
        assert!(audio.options().audio_only);
    }

    #[test]
    fn stop_answers_map_to_outcomes() {
        use proto::EgressStatus::*;
        assert_eq!(stop_outcome(EgressEnding as i32), StopOutcome::Stopped);
        assert_eq!(stop_outcome(EgressAborted as i32), StopOutcome::Aborted);
        assert_eq!(stop_outcome(EgressActive as i32), StopOutcome::FailedToStop);
        assert_eq!(stop_outcome(99), StopOutcome::FailedToStop);
    }
}

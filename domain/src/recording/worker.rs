//! The recording workers: what Meet asks of whatever records a meeting, with no LiveKit type in
//! sight, and the one configuration every worker is built from.

use std::path::PathBuf;
use std::time::Duration;

use async_trait::async_trait;
use uuid::Uuid;

use crate::secret::Secret;

/// How a worker answered a request to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopOutcome {
    /// It stops and saves what it recorded.
    Stopped,
    /// It had not started recording: there is nothing to save.
    Aborted,
    /// It answered, but did not stop.
    FailedToStop,
}

/// Why a worker request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkerError {
    /// The worker could not be reached, or did not answer in time.
    #[error("recording worker unreachable: {0}")]
    Connection(String),
    /// The worker refused the request (what it said).
    #[error("recording worker refused: {0}")]
    Request(String),
    /// The worker answered something Meet cannot use (no id, no status).
    #[error("recording worker answered unexpectedly: {0}")]
    Response(String),
}

/// Where a worker stands with a recording, as it reports (LiveKit's egress statuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerState {
    Starting,
    Active,
    /// Stopping, its file being saved.
    Ending,
    /// Ended, its file saved.
    Complete,
    /// Ended at the longest duration allowed, its file saved.
    LimitReached,
    /// Ended without a usable file.
    Failed,
    /// Stopped before it recorded anything.
    Aborted,
}

impl WorkerState {
    /// It ended: nothing more will be recorded.
    pub fn has_ended(self) -> bool {
        matches!(
            self,
            Self::Complete | Self::LimitReached | Self::Failed | Self::Aborted
        )
    }
}

/// What a worker reported about one recording (a LiveKit egress webhook, or an answer to
/// listing its egresses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerReport {
    pub worker_id: String,
    pub state: WorkerState,
    /// When it started and stopped recording, as it says.
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    pub ended_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Whatever records a meeting: started for a room, it records until stopped, then saves a file
/// where [`WorkerServiceConfig`] says, named after the recording's id.
#[async_trait]
pub trait WorkerService: Send + Sync + 'static {
    /// This service's name, as `RECORDING_WORKER_CLASSES` names it.
    fn name(&self) -> &'static str;

    /// Starts recording the LiveKit room `room` as the recording `recording`; returns the
    /// worker's id for it.
    async fn start(&self, room: &str, recording: Uuid) -> Result<String, WorkerError>;

    /// Stops the recording the worker `worker_id` makes.
    async fn stop(&self, worker_id: &str) -> Result<StopOutcome, WorkerError>;

    /// What became of the recording the worker `worker_id` makes or made; `None` when the
    /// worker no longer knows it.
    async fn report(&self, worker_id: &str) -> Result<Option<WorkerReport>, WorkerError>;
}

/// Where recordings' files go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    /// An S3-compatible bucket.
    S3(S3Bucket),
    /// A folder on the machine the recording worker writes on (a single-machine deployment):
    /// files land under it, at the recordings' keys.
    Folder(PathBuf),
}

/// An S3-compatible bucket and how to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Bucket {
    /// The storage's URL, e.g. `https://s3.fr-par.scw.cloud` or `http://127.0.0.1:9000`.
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub access_key: String,
    pub secret_key: Secret,
    /// Address buckets in the path (`endpoint/bucket/key`), as MinIO and most S3-compatible
    /// servers want, rather than in the host name.
    pub force_path_style: bool,
}

/// How the worker encodes a screen recording, when the deployment says (otherwise the worker's
/// preset: 720p at 30 frames per second, H.264).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Encoding {
    pub width: u32,
    pub height: u32,
    pub framerate: u32,
    pub video_bitrate_kbps: u32,
    pub audio_bitrate_kbps: u32,
    pub key_frame_interval: Duration,
}

/// The LiveKit server the workers ask to record, and how.
#[derive(Debug, Clone)]
pub struct LiveKitApi {
    /// Its API address (`http://` or `https://`).
    pub url: String,
    pub api_key: String,
    pub api_secret: Secret,
    /// How long to wait for an answer: starting an egress can take LiveKit many seconds.
    pub timeout: Duration,
}

/// Everything a recording worker is built from, read once from the configuration
/// (`RECORDING_OUTPUT_FOLDER`, the LiveKit settings, the storage settings and the
/// `RECORDING_ENCODING_*` options).
#[derive(Debug, Clone)]
pub struct WorkerServiceConfig {
    /// The folder of the storage recordings go into (`recordings`).
    pub output_folder: String,
    pub livekit: LiveKitApi,
    pub storage: Storage,
    pub encoding: Option<Encoding>,
}

impl WorkerServiceConfig {
    /// Where the recording `id` with extension `extension` is kept in the storage:
    /// `{output_folder}/{id}.{extension}`.
    pub fn key(&self, id: Uuid, extension: &str) -> String {
        let folder = self.output_folder.trim_matches('/');
        if folder.is_empty() {
            format!("{id}.{extension}")
        } else {
            format!("{folder}/{id}.{extension}")
        }
    }
}

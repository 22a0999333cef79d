//! Recording meetings (La Suite Meet's design): hosts start and stop a recording from the
//! meeting; a [`worker::WorkerService`] chosen by mode in the [`registry::WorkerRegistry`]
//! records it (LiveKit egress, [`egress`]); the [`mediator::WorkerMediator`] alone writes where
//! each recording stands; its owners find it in their list and download it until it expires.
//!
//! Recording is off unless the deployment turns it on (`RECORDING_ENABLE`): then
//! [`Services::recordings`] holds its settings and workers, and every operation here answers
//! [`DomainError::NotFound`] while it is off, as if recording did not exist.

pub mod egress;
pub mod mediator;
pub mod notify;
pub mod options;
pub mod queries;
pub mod registry;
pub mod storage;
pub mod summary;
pub mod worker;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use mediator::{MediatorError, Reconciled, Reported, WorkerMediator};
pub use options::{RecordingOptions, StartRequest, validate_start};
pub use queries::{Recording, RecordingWithRoom};
pub use registry::{RegistryError, WorkerRegistry};
pub use worker::{
    StopOutcome, WorkerError, WorkerReport, WorkerService, WorkerServiceConfig, WorkerState,
};

use crate::error::DomainError;
use crate::moderation::Moderator;
use crate::requester::Requester;
use crate::services::Services;

/// The deployment's recording settings and workers, when recording is on.
#[derive(Clone)]
pub struct Recordings {
    /// Days a recording is kept, counted from its creation (`RECORDING_EXPIRATION_DAYS`);
    /// `None`: kept until deleted.
    pub expiration_days: Option<u32>,
    /// The longest recording (`RECORDING_MAX_DURATION`), which the worker enforces; `None`: no
    /// limit.
    pub max_duration: Option<Duration>,
    /// What the workers were built from.
    pub config: Arc<WorkerServiceConfig>,
    /// The worker of each mode.
    pub registry: Arc<WorkerRegistry>,
    /// Where the files are read back from (the folder or bucket the egress writes into);
    /// `None` only in tests that have no storage.
    pub storage: Option<Arc<dyn storage::RecordingStorage>>,
    /// The address of the recording pages, the recording's id appended
    /// (`RECORDING_DOWNLOAD_BASE_URL`, by default `{MEET_PUBLIC_URL}/recording`).
    pub download_base_url: String,
    /// The summary service transcripts go to (`SUMMARY_SERVICE_*`), if one is configured.
    pub summary: Option<summary::Summary>,
}

impl std::fmt::Debug for Recordings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recordings")
            .field("expiration_days", &self.expiration_days)
            .field("max_duration", &self.max_duration)
            .field("config", &self.config)
            .field("registry", &self.registry)
            .field("reads_storage", &self.storage.is_some())
            .field("download_base_url", &self.download_base_url)
            .field("summary", &self.summary)
            .finish()
    }
}

impl Recordings {
    /// When `recording` expires, if recordings do.
    pub fn expires_at(&self, recording: &Recording) -> Option<DateTime<Utc>> {
        self.expiration_days
            .map(|days| recording.created_at + chrono::Duration::days(i64::from(days)))
    }

    /// Where `recording`'s file is kept in the storage.
    pub fn key(&self, recording: &Recording) -> String {
        self.config.key(recording.id, recording.mode.extension())
    }
}

/// Why a recording operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error(transparent)]
    Mediator(#[from] MediatorError),
    /// Stop was asked of a room with no active recording.
    #[error("no active recording in this room")]
    NoActiveRecording,
}

impl From<crate::error::FieldErrors> for RecordingError {
    fn from(errors: crate::error::FieldErrors) -> Self {
        Self::Domain(errors.into())
    }
}

impl From<crate::store::StoreError> for RecordingError {
    fn from(error: crate::store::StoreError) -> Self {
        Self::Domain(error.into())
    }
}

/// The recording settings, or [`DomainError::NotFound`] while recording is off.
pub fn enabled(services: &Services) -> Result<&Recordings, DomainError> {
    services.recordings.as_deref().ok_or(DomainError::NotFound)
}

/// The mediator over `services`' store, workers and LiveKit, while recording is on.
pub fn mediator(services: &Services) -> Result<WorkerMediator, DomainError> {
    let recordings = enabled(services)?;
    let mediator = WorkerMediator::new(
        services.store.clone(),
        recordings.registry.clone(),
        services.livekit.clone(),
        services.clock.clone(),
        services.settings.livekit_timeout,
    );
    let mediator = mediator.with_mailer(
        services.mailer.clone(),
        recordings.download_base_url.clone(),
        recordings.expiration_days,
    );
    let mediator = mediator.with_analytics(services.analytics.clone());
    let mediator = match &recordings.summary {
        Some(summary) => mediator.with_summary(summary.clone()),
        None => mediator,
    };
    Ok(match &recordings.storage {
        Some(storage) => mediator.with_storage(storage.clone(), recordings.config.clone()),
        None => mediator,
    })
}

/// Starts recording `host`'s room as `body` (`{mode, options?}`) asks; `host` owns the
/// recording. Returns it, now `active`.
pub async fn start(
    services: &Services,
    host: &Moderator,
    body: &serde_json::Value,
) -> Result<Recording, RecordingError> {
    let mediator = mediator(services)?;
    let request = validate_start(body, &mediator.modes())?;
    Ok(mediator.start(&host.room, &request, host.user.id).await?)
}

/// Why the summary service's call to Meet's hook was refused.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    /// Recording or the summary service is off, or the hook has no token.
    #[error("not found")]
    Off,
    /// The bearer token is missing or wrong.
    #[error("invalid token")]
    Unauthorized,
    #[error(transparent)]
    Mediator(#[from] MediatorError),
}

/// Whether `token` is the summary service's (`SUMMARY_SERVICE_WEBHOOK_API_TOKEN`), compared in
/// constant time; [`HookError::Off`] while recording, the service or its token is not set.
pub fn hook_authorised(services: &Services, token: Option<&str>) -> Result<(), HookError> {
    let recordings = enabled(services).map_err(|_| HookError::Off)?;
    let expected = recordings
        .summary
        .as_ref()
        .and_then(|summary| summary.webhook_token.as_ref())
        .ok_or(HookError::Off)?;
    let given = token.unwrap_or_default().as_bytes();
    if crate::keys::same(given, expected.expose().as_bytes()) {
        Ok(())
    } else {
        Err(HookError::Unauthorized)
    }
}

/// The summary service says how its job `job_id` of type `kind` ended (`status` `success` or
/// `failure`), proving itself with `token` (`SUMMARY_SERVICE_WEBHOOK_API_TOKEN`, compared in
/// constant time). Only transcript jobs move a recording; an unknown job changes nothing and is
/// answered all the same, as La Suite Meet does. The recording as it then is, if one moved.
pub async fn external_process_hook(
    services: &Services,
    token: Option<&str>,
    job_id: &str,
    kind: Option<&str>,
    status: Option<&str>,
) -> Result<Option<Recording>, HookError> {
    hook_authorised(services, token)?;
    if kind.is_some_and(|kind| kind != "transcript") {
        return Ok(None);
    }
    let success = match status {
        Some("success") => true,
        Some("failure") => false,
        _ => return Ok(None),
    };
    let mediator = mediator(services).map_err(|_| HookError::Off)?;
    Ok(mediator.external_process(job_id, success).await?)
}

/// What the meeting at `key` offers `requester` about recording: the modes (none while
/// recording is off), whether they may start them (a host of the room), and the limits.
pub async fn tools(
    services: &Services,
    requester: &Requester,
    key: &str,
) -> Result<meet_types::RecordingTools, DomainError> {
    let Ok(recordings) = enabled(services) else {
        return Ok(meet_types::RecordingTools::default());
    };
    let may_record = match crate::moderation::moderator(services, requester, key).await {
        Ok(_) => true,
        Err(DomainError::Unauthenticated | DomainError::Forbidden(_)) => false,
        Err(error) => return Err(error),
    };
    Ok(meet_types::RecordingTools {
        modes: recordings.registry.modes(),
        may_record,
        expiration_days: recordings.expiration_days,
        max_minutes: recordings
            .max_duration
            .map(|limit| limit.as_secs().div_ceil(60)),
    })
}

/// Stops the active recording of `host`'s room. Returns it as it then is.
pub async fn stop(services: &Services, host: &Moderator) -> Result<Recording, RecordingError> {
    let mediator = mediator(services)?;
    let active = queries::find_in_room(
        &services.store,
        host.room.id,
        meet_types::RecordingStatus::Active,
    )
    .await?
    .ok_or(RecordingError::NoActiveRecording)?;
    Ok(mediator.stop(&active, &host.room).await?)
}

/// The recordings the logged-in requester has a role on, newest first: one page, and how many
/// there are.
pub async fn list(
    services: &Services,
    requester: &Requester,
    limit: i64,
    offset: i64,
) -> Result<(Vec<RecordingWithRoom>, i64), DomainError> {
    enabled(services)?;
    let user = requester.require_user()?;
    Ok(queries::list_for_user(&services.store, user.id, limit, offset).await?)
}

/// The recording `id`, for an administrator or owner of it. [`DomainError::NotFound`] for
/// someone with no role on it (who may not know it exists), [`DomainError::Forbidden`] for a
/// member.
pub async fn retrieve(
    services: &Services,
    requester: &Requester,
    id: Uuid,
) -> Result<RecordingWithRoom, DomainError> {
    enabled(services)?;
    let user = requester.require_user()?;
    let role = queries::role_of(&services.store, id, user.id)
        .await?
        .ok_or(DomainError::NotFound)?;
    if !role.is_admin_or_owner() {
        return Err(forbidden());
    }
    queries::find_with_room(&services.store, id)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Deletes the recording `id` and its file, for an administrator or owner of it, once it is
/// over ([`meet_types::RecordingStatus::is_final`]). A file that cannot be deleted now is
/// logged (the row goes regardless: its owner asked).
pub async fn delete(
    services: &Services,
    requester: &Requester,
    id: Uuid,
) -> Result<(), DomainError> {
    let recording = retrieve(services, requester, id).await?;
    if !recording.recording.status.is_final() {
        return Err(DomainError::Forbidden(
            "A recording can be deleted only once it is over.".to_owned(),
        ));
    }
    let recordings = enabled(services)?;
    if let Some(storage) = &recordings.storage {
        let key = recordings.key(&recording.recording);
        if let Err(error) = storage.delete(&key).await {
            tracing::warn!(recording = %id, %error, "cannot delete a deleted recording's file");
        }
    }
    queries::delete(&services.store, id).await?;
    Ok(())
}

/// Where a recording stands for its owners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Its file may be downloaded.
    Ready,
    /// It is being recorded.
    Recording,
    /// It stopped and its file is being saved.
    Saving,
    /// It ended without a file.
    Failed,
    /// It was kept as long as the deployment keeps recordings.
    Expired,
}

impl Recordings {
    /// Where `recording` stands for its owners at `now`.
    pub fn availability(&self, recording: &Recording, now: DateTime<Utc>) -> Availability {
        use meet_types::RecordingStatus::{Active, Initiated, Stopped};
        if self.expires_at(recording).is_some_and(|at| at <= now) {
            return Availability::Expired;
        }
        match recording.status {
            Initiated | Active => Availability::Recording,
            Stopped => Availability::Saving,
            status if status.is_saved() => Availability::Ready,
            _ => Availability::Failed,
        }
    }
}

/// Why a recording's file is not served.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// Not ready, failed or expired.
    #[error("the recording is not available: {0:?}")]
    Unavailable(Availability),
    /// The file is not in storage, or this storage is not read by Meet.
    #[error("the recording's file is missing")]
    Missing,
    #[error(transparent)]
    Storage(#[from] storage::StorageError),
}

/// The recording `id` and its file, opened, for an administrator or owner of it once it is
/// ready and until it expires.
pub async fn download(
    services: &Services,
    requester: &Requester,
    id: Uuid,
) -> Result<(RecordingWithRoom, storage::StoredFile), DownloadError> {
    let recordings = enabled(services)?;
    let found = retrieve(services, requester, id).await?;
    match recordings.availability(&found.recording, services.clock.utc()) {
        Availability::Ready => {}
        other => return Err(DownloadError::Unavailable(other)),
    }
    let storage = recordings.storage.as_ref().ok_or(DownloadError::Missing)?;
    let file = storage
        .open(&recordings.key(&found.recording))
        .await?
        .ok_or(DownloadError::Missing)?;
    Ok((found, file))
}

/// How often expired recordings' files are deleted.
pub const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// Deletes the files of recordings past their expiry (at most `batch` per call), noting each;
/// returns how many were deleted. Nothing when recordings do not expire or Meet does not read
/// their storage.
pub async fn purge_expired(services: &Services, batch: i64) -> Result<u32, DomainError> {
    let recordings = enabled(services)?;
    let (Some(days), Some(storage)) = (recordings.expiration_days, &recordings.storage) else {
        return Ok(0);
    };
    let now = services.clock.utc();
    let before = now - chrono::Duration::days(i64::from(days));
    let mut purged = 0;
    for recording in queries::expired_files(&services.store, before, batch).await? {
        match storage.delete(&recordings.key(&recording)).await {
            Ok(_) => {
                queries::mark_purged(&services.store, recording.id, now).await?;
                purged += 1;
            }
            Err(error) => {
                tracing::warn!(recording = %recording.id, %error, "cannot delete an expired recording's file");
            }
        }
    }
    Ok(purged)
}

/// Deletes expired recordings' files at once, then every [`PURGE_EVERY`], for as long as the
/// process runs.
pub async fn purge_expired_forever(services: Services) {
    if enabled(&services).is_err() {
        return;
    }
    let mut every = tokio::time::interval(PURGE_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        loop {
            match purge_expired(&services, 100).await {
                Ok(100) => {}
                Ok(0) => break,
                Ok(purged) => {
                    tracing::info!(purged, "expired recordings' files deleted");
                    break;
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot delete expired recordings' files");
                    break;
                }
            }
        }
    }
}

fn forbidden() -> DomainError {
    DomainError::Forbidden("You do not have permission to perform this action.".to_owned())
}

/// How often recordings a worker may still be busy with are settled with their workers.
pub const RECONCILE_EVERY: Duration = Duration::from_secs(180);

/// Settles recordings with their workers at once, then every [`RECONCILE_EVERY`], for as long
/// as the process runs (nothing while recording is off). Several instances may do so at once:
/// each change is taken once.
pub async fn reconcile_forever(services: Services) {
    let Ok(mediator) = mediator(&services) else {
        return;
    };
    let mut every = tokio::time::interval(RECONCILE_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match mediator.reconcile().await {
            Ok(done) if done == Reconciled::default() => {}
            Ok(done) => tracing::info!(?done, "recordings settled with their workers"),
            Err(error) => tracing::warn!(%error, "cannot settle recordings with their workers"),
        }
    }
}

/// What the recording page shows the requester of the recording `id` (an administrator or owner
/// of it), with times in their time zone.
pub async fn page(
    services: &Services,
    requester: &Requester,
    id: Uuid,
) -> Result<meet_types::RecordingPageView, DomainError> {
    use meet_types::RecordingAvailability as Shown;
    let recordings = enabled(services)?;
    let user = requester.require_user()?;
    let found = retrieve(services, requester, id).await?;
    let recording = &found.recording;
    let zone: chrono_tz::Tz = user.timezone.parse().unwrap_or(chrono_tz::UTC);
    let when = |at: DateTime<Utc>| {
        format!(
            "{} ({zone})",
            at.with_timezone(&zone).format("%-d %B %Y at %H:%M")
        )
    };
    let availability = match recordings.availability(recording, services.clock.utc()) {
        Availability::Ready => Shown::Ready,
        Availability::Recording => Shown::Recording,
        Availability::Saving => Shown::Saving,
        Availability::Failed => Shown::Failed,
        Availability::Expired => Shown::Expired,
    };
    Ok(meet_types::RecordingPageView {
        room_name: found.room_name.clone(),
        room_slug: found.room_slug.clone(),
        mode: recording.mode,
        created: when(recording.created_at),
        expires: recordings.expires_at(recording).map(when),
        availability,
        download_url: (availability == Shown::Ready).then(|| {
            format!(
                "/media/recordings/{}.{}",
                recording.id,
                recording.mode.extension()
            )
        }),
    })
}

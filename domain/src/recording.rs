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
pub mod options;
pub mod queries;
pub mod registry;
pub mod storage;
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
    /// Where the files are read back from; `None` for a storage Meet does not read yet (S3:
    /// LiveKit's egress writes there, and Meet trusts what the egress reports of its files).
    pub storage: Option<Arc<dyn storage::RecordingStorage>>,
}

impl std::fmt::Debug for Recordings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recordings")
            .field("expiration_days", &self.expiration_days)
            .field("max_duration", &self.max_duration)
            .field("config", &self.config)
            .field("registry", &self.registry)
            .field("reads_storage", &self.storage.is_some())
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

/// Deletes the recording `id` (its row; its file goes with the expiry job), for an
/// administrator or owner of it, once it is over ([`meet_types::RecordingStatus::is_final`]).
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
    queries::delete(&services.store, id).await?;
    Ok(())
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

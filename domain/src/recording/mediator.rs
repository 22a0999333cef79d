//! The [`WorkerMediator`]: the only code that writes a recording's status. It stands between
//! the recording workers, the store and LiveKit's room administration, all given to it, so
//! that what a worker says becomes a status change that holds together (compare-and-set: a
//! status is changed only from the ones a step allows, so a late or repeated event changes
//! nothing twice), and the meeting's participants see the state in the room's metadata.

use std::sync::Arc;
use std::time::Duration;

use meet_types::{RecordingMode, RecordingStatus};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::clock::Clock;
use crate::livekit::metadata::merge_into_running_room;
use crate::livekit::rooms::LiveKitRooms;
use crate::mailer::Mailer;
use crate::recording::notify::ready_email;
use crate::recording::options::StartRequest;
use crate::recording::queries::{self, Changes, Recording};
use crate::recording::registry::WorkerRegistry;
use crate::recording::storage::RecordingStorage;
use crate::recording::summary;
use crate::recording::worker::WorkerServiceConfig;
use crate::recording::worker::{StopOutcome, WorkerError, WorkerReport, WorkerState};
use crate::rooms::Room;
use crate::store::{Store, StoreError};
use crate::users::User;

/// The room metadata keys the meeting's pages read the recording's state from.
pub const METADATA_MODE: &str = "recording_mode";
pub const METADATA_STATUS: &str = "recording_status";

/// Why the mediator did not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum MediatorError {
    /// The room already has a recording being started or running.
    #[error("a recording is already in progress in this room")]
    AlreadyRunning,
    /// This deployment does not record in this mode.
    #[error("this deployment does not record {0:?}")]
    ModeUnavailable(RecordingMode),
    /// The worker did not start: the recording is now `failed_to_start`.
    #[error("the recording failed to start: {0}")]
    StartFailed(#[source] WorkerError),
    /// The recording's status does not allow this step (stopping what is not active).
    #[error("the recording is {}", .0.as_str())]
    WrongStatus(RecordingStatus),
    /// The worker was asked to stop and did not: the recording is now `failed_to_stop`.
    #[error("the recording failed to stop")]
    StopFailed(#[source] Option<WorkerError>),
    /// The worker could not be reached to stop: nothing changed, and it may be asked again.
    #[error("the recording worker could not be reached: {0}")]
    WorkerUnreachable(#[source] WorkerError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What became of a worker's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reported {
    /// No recording has this worker id (yet: a report can come before the start is stored).
    Unknown,
    /// The recording, as it now is (unchanged when the report changed nothing).
    Applied(Recording),
}

/// The data message the meeting's pages get when a recording reached its longest duration.
pub fn limit_reached_message(mode: RecordingMode) -> &'static str {
    match mode {
        RecordingMode::ScreenRecording => r#"{"type":"screenRecordingLimitReached"}"#,
        RecordingMode::Transcript => r#"{"type":"transcriptionLimitReached"}"#,
    }
}

/// Turns what workers say into recordings' statuses.
#[derive(Clone)]
pub struct WorkerMediator {
    store: Store,
    registry: Arc<WorkerRegistry>,
    livekit: Arc<dyn LiveKitRooms>,
    clock: Arc<dyn Clock>,
    /// How long to wait for LiveKit when writing the room's metadata.
    metadata_timeout: Duration,
    /// Where files are checked when settling recordings, and the keys they are kept at.
    storage: Option<(Arc<dyn RecordingStorage>, Arc<WorkerServiceConfig>)>,
    /// Who tells owners their recording is ready: the mailer, the recording pages' address,
    /// and how many days recordings are kept.
    mail: Option<(Arc<dyn Mailer>, String, Option<u32>)>,
    /// The summary service transcripts go to once saved.
    summary: Option<summary::Summary>,
    /// Where starts, stops and saves are counted.
    analytics: crate::analytics::Analytics,
}

/// What one round of [`WorkerMediator::reconcile`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reconciled {
    /// Recordings whose status changed.
    pub settled: u32,
    /// Recordings left as they were because their worker or storage could not be asked.
    pub unreachable: u32,
}

/// How long a recording may stay `initiated` without a worker before it counts as failed to
/// start (its start request died half-way, as when Meet stopped in the middle of it).
pub const START_GRACE: Duration = Duration::from_secs(120);

impl WorkerMediator {
    pub fn new(
        store: Store,
        registry: Arc<WorkerRegistry>,
        livekit: Arc<dyn LiveKitRooms>,
        clock: Arc<dyn Clock>,
        metadata_timeout: Duration,
    ) -> Self {
        Self {
            store,
            registry,
            livekit,
            clock,
            metadata_timeout,
            storage: None,
            mail: None,
            summary: None,
            analytics: crate::analytics::Analytics::off(),
        }
    }

    /// This mediator, counting recordings started, stopped and saved in `analytics`.
    #[must_use]
    pub fn with_analytics(mut self, analytics: crate::analytics::Analytics) -> Self {
        self.analytics = analytics;
        self
    }

    /// Counts `event` as happening now in the LiveKit room `livekit_room`.
    fn count(&self, event: crate::analytics::Event, livekit_room: &str) {
        let place = crate::analytics::Place {
            room: Some(livekit_room),
            meeting: None,
        };
        self.analytics
            .emit(event, self.now(), crate::analytics::Actor::Nobody, place);
    }

    /// This mediator, emailing the owners of a screen recording through `mailer` once it is
    /// saved, with a link to `{download_base_url}/{id}`, kept `expiration_days`.
    #[must_use]
    pub fn with_mailer(
        mut self,
        mailer: Arc<dyn Mailer>,
        download_base_url: String,
        expiration_days: Option<u32>,
    ) -> Self {
        self.mail = Some((mailer, download_base_url, expiration_days));
        self
    }

    /// Tells whoever must know that `saved` is ready: for a screen recording, an email to each
    /// owner; for a transcript (or a screen recording to be transcribed too), the summary
    /// service, whose job id is kept. When everyone was told, it is `notification_succeeded`;
    /// otherwise it stays `saved` (La Suite Meet's rule).
    async fn notify(&self, saved: Recording) -> Result<Recording, MediatorError> {
        let emails = saved.mode == RecordingMode::ScreenRecording && self.mail.is_some();
        let summary = summary::wanted(&saved) && self.summary.is_some();
        if !emails && !summary {
            return Ok(saved);
        }
        let room_name =
            crate::rooms::queries::find(&self.store, &crate::rooms::RoomKey::Id(saved.room_id))
                .await?
                .map(|room| room.name)
                .unwrap_or_default();
        let owners = queries::owners(&self.store, saved.id).await?;
        let mut told_everyone = true;
        if emails {
            told_everyone &= self.email_owners(&saved, &room_name, &owners).await;
        }
        let mut changes = Changes {
            notified_at: Some(self.now()),
            ..Changes::default()
        };
        if summary {
            match self.submit_summary(&saved, &room_name, &owners).await {
                Ok(job_id) => changes.external_process_id = Some(job_id),
                Err(error) => {
                    tracing::warn!(recording = %saved.id, %error, "the summary service did not take the recording");
                    told_everyone = false;
                }
            }
        }
        if !told_everyone {
            // The job id, if any, is kept all the same: the service will call back with it.
            if changes.external_process_id.is_some() {
                changes.notified_at = None;
                return self
                    .step(
                        &saved,
                        &[RecordingStatus::Saved],
                        RecordingStatus::Saved,
                        changes,
                    )
                    .await;
            }
            return Ok(saved);
        }
        self.step(
            &saved,
            &[RecordingStatus::Saved],
            RecordingStatus::NotificationSucceeded,
            changes,
        )
        .await
    }

    /// Emails each of `owners` that `saved` is ready; whether every one with an address was.
    async fn email_owners(&self, saved: &Recording, room_name: &str, owners: &[User]) -> bool {
        let Some((mailer, base, days)) = &self.mail else {
            return false;
        };
        let link = format!("{}/{}", base.trim_end_matches('/'), saved.id);
        let expires = days.map(|days| saved.created_at + chrono::Duration::days(i64::from(days)));
        let mut told_everyone = true;
        for owner in owners {
            let Some(email) = ready_email(owner, room_name, saved, &link, expires) else {
                continue;
            };
            if let Err(error) = mailer.send(&email).await {
                tracing::warn!(recording = %saved.id, %error, "cannot tell an owner their recording is ready");
                told_everyone = false;
            }
        }
        told_everyone
    }

    /// Hands `saved` to the summary service for its first owner (as La Suite Meet does): the
    /// service's job id.
    async fn submit_summary(
        &self,
        saved: &Recording,
        room_name: &str,
        owners: &[User],
    ) -> Result<String, summary::SummaryError> {
        let failed = |why: &str| summary::SummaryError(why.to_owned());
        let Some(service) = &self.summary else {
            return Err(failed("not configured"));
        };
        let Some((storage, config)) = &self.storage else {
            return Err(failed("no storage to read the recording from"));
        };
        let key = config.key(saved.id, saved.mode.extension());
        let url = storage
            .signed_url(&key, service.url_expiry)
            .await
            .map_err(|error| failed(&error.to_string()))?
            .ok_or_else(|| failed("the storage cannot sign an address for the summary service"))?;
        let download_link = match &self.mail {
            Some((_, base, _)) => format!("{}/{}", base.trim_end_matches('/'), saved.id),
            None => String::new(),
        };
        let owner = owners
            .iter()
            .find(|owner| owner.email.is_some() && owner.sub.is_some())
            .ok_or_else(|| failed("the recording has no owner to deliver to"))?;
        let job = summary::job(
            service,
            owner,
            room_name,
            saved.room_id,
            saved,
            download_link,
            url,
            saved.started_at.unwrap_or(saved.created_at),
        )
        .ok_or_else(|| failed("the owner has no email address"))?;
        service.service.submit(&job).await
    }

    /// This mediator, handing transcripts to the summary service once saved.
    #[must_use]
    pub fn with_summary(mut self, summary: summary::Summary) -> Self {
        self.summary = Some(summary);
        self
    }

    /// What the summary service says of its job `job_id` (its hook): `success` makes the
    /// recording `external_process_successful`, otherwise `external_process_failed`. `None`
    /// for a job Meet does not know (answered all the same, as La Suite Meet does).
    pub async fn external_process(
        &self,
        job_id: &str,
        success: bool,
    ) -> Result<Option<Recording>, MediatorError> {
        let Some(recording) = queries::find_by_external_process(&self.store, job_id).await? else {
            return Ok(None);
        };
        let to = if success {
            RecordingStatus::ExternalProcessSuccessful
        } else {
            RecordingStatus::ExternalProcessFailed
        };
        let moved = self
            .step(
                &recording,
                &[
                    RecordingStatus::Saved,
                    RecordingStatus::NotificationSucceeded,
                ],
                to,
                Changes::default(),
            )
            .await?;
        Ok(Some(moved))
    }

    /// This mediator, checking recordings' files in `storage` (at `config`'s keys) when it
    /// settles them.
    #[must_use]
    pub fn with_storage(
        mut self,
        storage: Arc<dyn RecordingStorage>,
        config: Arc<WorkerServiceConfig>,
    ) -> Self {
        self.storage = Some((storage, config));
        self
    }

    /// Settles every recording a worker may still be busy with (`initiated`, `active`,
    /// `stopped`) with what its worker says now, as the webhooks would have, had none been
    /// lost: ended while Meet was down, a webhook lost, the egress gone. A recording whose
    /// worker ended with a file is `saved` only if the file is in storage, else `aborted`; one
    /// the worker no longer knows is `saved` if its file is there, else `aborted`; one that never
    /// got a worker is `failed_to_start` after [`START_GRACE`]. Nothing changes for a recording
    /// whose worker or storage cannot be asked: the next round tries again.
    pub async fn reconcile(&self) -> Result<Reconciled, MediatorError> {
        let mut done = Reconciled::default();
        for recording in queries::awaiting_worker(&self.store).await? {
            match self.settle(&recording).await {
                Ok(Some(settled)) if settled.status != recording.status => done.settled += 1,
                Ok(_) => {}
                Err(MediatorError::WorkerUnreachable(error)) => {
                    tracing::debug!(recording = %recording.id, %error, "worker not reachable; settled later");
                    done.unreachable += 1;
                }
                Err(other) => return Err(other),
            }
        }
        Ok(done)
    }

    /// Settles one recording (see [`Self::reconcile`]): the recording as it then is, `None`
    /// when nothing was to be done.
    async fn settle(&self, recording: &Recording) -> Result<Option<Recording>, MediatorError> {
        let Some(worker_id) = recording.worker_id.as_deref() else {
            let grace = chrono::Duration::from_std(START_GRACE).unwrap_or_default();
            if recording.status == RecordingStatus::Initiated
                && recording.created_at + grace < self.now()
            {
                tracing::warn!(recording = %recording.id, "a recording that never got a worker");
                let failed = self
                    .step(
                        recording,
                        &[RecordingStatus::Initiated],
                        RecordingStatus::FailedToStart,
                        Changes::default(),
                    )
                    .await?;
                return Ok(Some(failed));
            }
            return Ok(None);
        };
        let Some(worker) = self.registry.get(recording.mode) else {
            return Ok(None);
        };
        let report = worker
            .report(worker_id)
            .await
            .map_err(MediatorError::WorkerUnreachable)?;
        let report = match report {
            // The worker no longer knows it: its file tells how it ended.
            None => WorkerReport {
                worker_id: worker_id.to_owned(),
                state: if self.file_exists(recording).await? {
                    WorkerState::Complete
                } else {
                    WorkerState::Failed
                },
                started_at: None,
                ended_at: None,
            },
            Some(report)
                if matches!(
                    report.state,
                    WorkerState::Complete | WorkerState::LimitReached
                ) && !self.file_exists(recording).await? =>
            {
                tracing::warn!(recording = %recording.id, "the worker ended it, but its file is not in storage");
                WorkerReport {
                    state: WorkerState::Failed,
                    ..report
                }
            }
            Some(report) => report,
        };
        match self.report(&report).await? {
            Reported::Applied(settled) => Ok(Some(settled)),
            Reported::Unknown => Ok(None),
        }
    }

    /// Whether `recording`'s file is in storage (true when no storage is given to check).
    async fn file_exists(&self, recording: &Recording) -> Result<bool, MediatorError> {
        let Some((storage, config)) = &self.storage else {
            return Ok(true);
        };
        let key = config.key(recording.id, recording.mode.extension());
        storage
            .size(&key)
            .await
            .map(|size| size.is_some())
            .map_err(|error| {
                MediatorError::WorkerUnreachable(WorkerError::Connection(error.to_string()))
            })
    }

    /// The modes this deployment records.
    pub fn modes(&self) -> Vec<RecordingMode> {
        self.registry.modes()
    }

    /// Creates a recording of `room` as `request` asks, owned by `owner`, and has its worker
    /// start it: `active` with the worker's id, or `failed_to_start` and
    /// [`MediatorError::StartFailed`]. [`MediatorError::AlreadyRunning`] (and nothing created)
    /// when the room already has a recording being started or running. The meeting's
    /// participants are told "starting" through the room's metadata.
    pub async fn start(
        &self,
        room: &Room,
        request: &StartRequest,
        owner: Uuid,
    ) -> Result<Recording, MediatorError> {
        let worker = self
            .registry
            .get(request.mode)
            .ok_or(MediatorError::ModeUnavailable(request.mode))?
            .clone();
        let recording = match queries::insert_with_owner(
            &self.store,
            room.id,
            request,
            owner,
            self.now(),
        )
        .await
        {
            Err(StoreError::Conflict(_)) => return Err(MediatorError::AlreadyRunning),
            other => other?,
        };
        let livekit_room = room.livekit_name();
        // Told before the worker starts: its "started" (a webhook, once the worker's id is
        // stored) can then only come after, never be overwritten by this.
        let shown = request.options.original_mode.unwrap_or(request.mode);
        self.show(&livekit_room, Some((shown, "starting"))).await;
        match worker.start(&livekit_room, recording.id).await {
            Ok(worker_id) => {
                tracing::info!(recording = %recording.id, %worker_id, mode = request.mode.as_str(), "recording started");
                let started = crate::analytics::Event::RecordingStarted { mode: request.mode };
                self.count(started, &livekit_room);
                let changes = Changes {
                    worker_id: Some(worker_id),
                    ..Changes::default()
                };
                let active = self
                    .step(
                        &recording,
                        &[RecordingStatus::Initiated],
                        RecordingStatus::Active,
                        changes,
                    )
                    .await?;
                Ok(active)
            }
            Err(error) => {
                tracing::warn!(recording = %recording.id, %error, "the recording worker did not start");
                self.step(
                    &recording,
                    &[RecordingStatus::Initiated],
                    RecordingStatus::FailedToStart,
                    Changes::default(),
                )
                .await?;
                self.show(&livekit_room, None).await;
                Err(MediatorError::StartFailed(error))
            }
        }
    }

    /// Has the worker stop `recording`, which must be `active`: then `stopped` (its file is
    /// being saved) or `aborted` (nothing was recorded). A worker that answers without stopping,
    /// or refuses, leaves it `failed_to_stop` ([`MediatorError::StopFailed`]); a worker that
    /// cannot be reached changes nothing ([`MediatorError::WorkerUnreachable`]: ask again).
    pub async fn stop(
        &self,
        recording: &Recording,
        room: &Room,
    ) -> Result<Recording, MediatorError> {
        if recording.status != RecordingStatus::Active {
            return Err(MediatorError::WrongStatus(recording.status));
        }
        let worker = self
            .registry
            .get(recording.mode)
            .ok_or(MediatorError::ModeUnavailable(recording.mode))?
            .clone();
        let Some(worker_id) = recording.worker_id.as_deref() else {
            let error = WorkerError::Response("an active recording without a worker".to_owned());
            return self.failed_to_stop(recording, Some(error)).await;
        };
        let stopped = crate::analytics::Event::RecordingStopped {
            mode: recording.mode,
        };
        match worker.stop(worker_id).await {
            Ok(StopOutcome::Stopped) => {
                self.count(stopped, &room.livekit_name());
                let stopped = self
                    .step(
                        recording,
                        &[RecordingStatus::Active],
                        RecordingStatus::Stopped,
                        Changes::default(),
                    )
                    .await?;
                // The meeting is told "saving" by the worker's own report (LiveKit's ending
                // webhook): told here, it could overwrite a later "saved" that came first.
                Ok(stopped)
            }
            Ok(StopOutcome::Aborted) => {
                self.count(stopped, &room.livekit_name());
                let aborted = self
                    .step(
                        recording,
                        &[RecordingStatus::Active],
                        RecordingStatus::Aborted,
                        Changes::default(),
                    )
                    .await?;
                self.show(&room.livekit_name(), None).await;
                Ok(aborted)
            }
            Ok(StopOutcome::FailedToStop) => self.failed_to_stop(recording, None).await,
            Err(error @ WorkerError::Connection(_)) => Err(MediatorError::WorkerUnreachable(error)),
            Err(error) => self.failed_to_stop(recording, Some(error)).await,
        }
    }

    /// Applies what a worker reported (a webhook, or the reconciler's look at LiveKit) to the
    /// recording it makes. Each step is taken once: a report repeated or come late changes
    /// nothing more.
    ///
    /// - started: the meeting is told "started";
    /// - ending: the meeting is told "saving";
    /// - ended with its file (complete, or at its time limit): `saved`, after `stopped` and a
    ///   "limit reached" message to the meeting when it ran out of time;
    /// - ended without a file (failed, aborted): `aborted`, where La Suite Meet leaves it
    ///   running forever.
    pub async fn report(&self, report: &WorkerReport) -> Result<Reported, MediatorError> {
        let Some(recording) = queries::find_by_worker(&self.store, &report.worker_id).await? else {
            return Ok(Reported::Unknown);
        };
        let livekit_room = recording.room_id.to_string();
        let shown = recording.options.original_mode.unwrap_or(recording.mode);
        let timing = Changes {
            started_at: report.started_at,
            ended_at: report.ended_at,
            ..Changes::default()
        };
        let recording = match report.state {
            WorkerState::Starting => recording,
            WorkerState::Active => {
                if recording.status == RecordingStatus::Active {
                    self.show(&livekit_room, Some((shown, "started"))).await;
                }
                recording
            }
            WorkerState::Ending => {
                if recording.status.is_savable() {
                    self.show(&livekit_room, Some((shown, "saving"))).await;
                }
                recording
            }
            WorkerState::LimitReached | WorkerState::Complete => {
                let mut recording = recording;
                if report.state == WorkerState::LimitReached
                    && recording.status == RecordingStatus::Active
                {
                    let moved = queries::transition(
                        &self.store,
                        recording.id,
                        &[RecordingStatus::Active],
                        RecordingStatus::Stopped,
                        timing.clone(),
                        self.now(),
                    )
                    .await?;
                    recording = match moved {
                        // This report stopped it: the meeting is told, once.
                        Some(stopped) => {
                            self.tell(&livekit_room, limit_reached_message(recording.mode))
                                .await;
                            stopped
                        }
                        None => self.current(recording.id).await?,
                    };
                }
                if recording.status.is_savable() {
                    self.show(&livekit_room, None).await;
                    let saved = queries::transition(
                        &self.store,
                        recording.id,
                        &[RecordingStatus::Active, RecordingStatus::Stopped],
                        RecordingStatus::Saved,
                        timing,
                        self.now(),
                    )
                    .await?;
                    recording = match saved {
                        // This report saved it: its owners are told, once.
                        Some(saved) => {
                            tracing::info!(recording = %saved.id, "recording saved");
                            let ready =
                                crate::analytics::Event::RecordingReady { mode: saved.mode };
                            self.count(ready, &livekit_room);
                            self.notify(saved).await?
                        }
                        None => self.current(recording.id).await?,
                    };
                }
                recording
            }
            WorkerState::Failed | WorkerState::Aborted => {
                if recording.status.awaits_worker() {
                    self.show(&livekit_room, None).await;
                    tracing::warn!(recording = %recording.id, state = ?report.state, "the recording worker ended without a file");
                    self.step(
                        &recording,
                        &[
                            RecordingStatus::Initiated,
                            RecordingStatus::Active,
                            RecordingStatus::Stopped,
                        ],
                        RecordingStatus::Aborted,
                        timing,
                    )
                    .await?
                } else {
                    recording
                }
            }
        };
        Ok(Reported::Applied(recording))
    }

    /// Sends `message` to everyone in the meeting; LiveKit failing is logged.
    async fn tell(&self, livekit_room: &str, message: &str) {
        let sent = tokio::time::timeout(
            self.metadata_timeout,
            self.livekit
                .send_data(livekit_room, message.as_bytes().to_vec()),
        )
        .await;
        match sent {
            Ok(Ok(_)) => {}
            Ok(Err(error)) => {
                tracing::warn!(room = livekit_room, %error, "cannot tell the meeting")
            }
            Err(_) => tracing::warn!(room = livekit_room, "LiveKit did not answer in time"),
        }
    }

    async fn failed_to_stop(
        &self,
        recording: &Recording,
        error: Option<WorkerError>,
    ) -> Result<Recording, MediatorError> {
        tracing::warn!(recording = %recording.id, error = ?error, "the recording worker did not stop");
        self.step(
            recording,
            &[RecordingStatus::Active],
            RecordingStatus::FailedToStop,
            Changes::default(),
        )
        .await?;
        Err(MediatorError::StopFailed(error))
    }

    /// Moves `recording` from one of `from` to `to`. When someone else moved it first, nothing is
    /// written and the recording is returned as it now is.
    async fn step(
        &self,
        recording: &Recording,
        from: &[RecordingStatus],
        to: RecordingStatus,
        changes: Changes,
    ) -> Result<Recording, MediatorError> {
        match queries::transition(&self.store, recording.id, from, to, changes, self.now()).await? {
            Some(moved) => Ok(moved),
            None => {
                let current = self.current(recording.id).await?;
                tracing::debug!(
                    recording = %recording.id,
                    status = current.status.as_str(),
                    wanted = to.as_str(),
                    "recording already moved on; left as it is"
                );
                Ok(current)
            }
        }
    }

    /// The recording `id` as it now is.
    async fn current(&self, id: Uuid) -> Result<Recording, MediatorError> {
        Ok(queries::find(&self.store, id)
            .await?
            .ok_or(StoreError::NotFound)?)
    }

    /// Writes the recording's state into the LiveKit room's metadata, for every participant's
    /// page: `(mode, status)`, or nothing running (`None`, which removes both keys).
    async fn show(&self, livekit_room: &str, state: Option<(RecordingMode, &str)>) {
        let mut patch = Map::new();
        let (mode, status) = match state {
            Some((mode, status)) => (Value::from(mode.as_str()), Value::from(status)),
            None => (Value::Null, Value::Null),
        };
        patch.insert(METADATA_MODE.to_owned(), mode);
        patch.insert(METADATA_STATUS.to_owned(), status);
        merge_into_running_room(
            self.livekit.as_ref(),
            self.metadata_timeout,
            livekit_room,
            patch,
        )
        .await;
    }

    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.utc()
    }
}

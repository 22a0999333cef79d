//! The summary service (La Suite Meet's `src/summary`, its v2 API): once a transcript (or a
//! screen recording asked to be transcribed) is saved, Meet hands it the file's address in the
//! bucket, signed for a day, and who to deliver the transcript to; the service answers a job id,
//! which Meet keeps, and later calls Meet's external-process hook with that id and the outcome.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::Secret;
use crate::recording::queries::Recording;
use crate::users::User;

/// Why the summary service did not take a job.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("summary service: {0}")]
pub struct SummaryError(pub String);

/// What the summary service is asked to do (the v2 body, field for field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SummaryJob {
    pub user_sub: String,
    pub user_email: String,
    /// The recording's file, signed for reading (`SUMMARY_SERVICE_CLOUD_STORAGE_SIGNED_URL_EXPIRY_SECONDS`).
    pub cloud_storage_url: String,
    /// The language spoken (`fr`, `en`, …); `None` lets the transcriber detect it.
    pub language: Option<String>,
    pub context_language: Option<String>,
    pub push_to_docs_config: DocsConfig,
    /// What the metadata collector gathered; Meet has no collector, so `None`.
    pub metadata: Option<serde_json::Value>,
}

/// Where the transcript goes: a document for the recording's owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocsConfig {
    pub user_email: String,
    /// `Meeting "{room}" on {date} at {time}`, in the owner's language and time zone.
    pub title: String,
    pub download_link: String,
    pub form_link: Option<String>,
    pub auto_create_summary: bool,
}

/// The summary service's API.
#[async_trait]
pub trait SummaryService: Send + Sync + 'static {
    /// Submits `job`; the service's job id.
    async fn submit(&self, job: &SummaryJob) -> Result<String, SummaryError>;
}

/// The summary service as a deployment configures it.
#[derive(Clone)]
pub struct Summary {
    pub service: Arc<dyn SummaryService>,
    /// The bearer token the service calls Meet's hook with
    /// (`SUMMARY_SERVICE_WEBHOOK_API_TOKEN`); without it, the hook refuses everyone.
    pub webhook_token: Option<Secret>,
    /// How long the file's signed address lasts.
    pub url_expiry: Duration,
    /// The satisfaction form's address (`TRANSCRIPTION_SATISFACTION_FORM_BASE_URL`), the room's
    /// id appended as `?room_id=`.
    pub form_base_url: Option<String>,
}

impl std::fmt::Debug for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Summary")
            .field("url_expiry", &self.url_expiry)
            .field("form_base_url", &self.form_base_url)
            .finish_non_exhaustive()
    }
}

/// Whether `recording` goes to the summary service once saved: transcripts, and screen
/// recordings asked to be transcribed too.
pub fn wanted(recording: &Recording) -> bool {
    recording.mode == meet_types::RecordingMode::Transcript
        || recording.options.transcribe == Some(true)
}

/// The job for `recording` of the meeting `room_name` (room `room_id`), owned by `owner`, whose
/// file is at `cloud_storage_url`; `None` when the owner has no email or `sub` to deliver to.
#[expect(clippy::too_many_arguments, reason = "the job is made of all of these")]
pub fn job(
    summary: &Summary,
    owner: &User,
    room_name: &str,
    room_id: uuid::Uuid,
    recording: &Recording,
    download_link: String,
    cloud_storage_url: String,
    started: DateTime<Utc>,
) -> Option<SummaryJob> {
    let user_email = owner.email.clone().filter(|email| !email.is_empty())?;
    let user_sub = owner.sub.clone().filter(|sub| !sub.is_empty())?;
    let zone: chrono_tz::Tz = owner.timezone.parse().unwrap_or(chrono_tz::UTC);
    let local = started.with_timezone(&zone);
    let french = owner.language.starts_with("fr");
    let title = if french {
        format!(
            "Réunion « {room_name} » du {} à {}",
            local.format("%d/%m/%Y"),
            local.format("%H:%M")
        )
    } else {
        format!(
            "Meeting \"{room_name}\" on {} at {}",
            local.format("%Y-%m-%d"),
            local.format("%H:%M")
        )
    };
    let language = recording.options.language.clone().or_else(|| {
        owner
            .language
            .split(['-', '_'])
            .next()
            .filter(|code| !code.is_empty())
            .map(str::to_owned)
    });
    Some(SummaryJob {
        user_sub,
        user_email: user_email.clone(),
        cloud_storage_url,
        language,
        context_language: None,
        push_to_docs_config: DocsConfig {
            user_email,
            title,
            download_link,
            form_link: summary
                .form_base_url
                .as_ref()
                .map(|base| format!("{base}?room_id={room_id}")),
            // La Suite Meet asks its analytics' feature flag; without analytics the feature
            // counts as on.
            auto_create_summary: true,
        },
        metadata: None,
    })
}

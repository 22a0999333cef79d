//! The summary service over HTTP (La Suite Meet's v2 API): `POST SUMMARY_SERVICE_ENDPOINT` with
//! `Authorization: Bearer SUMMARY_SERVICE_API_TOKEN` and the job as JSON; the answer's `job_id`.

use std::time::Duration;

use async_trait::async_trait;
use meet_domain::Secret;
use meet_domain::recording::summary::{SummaryError, SummaryJob, SummaryService};

/// How long the summary service may take to take a job.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The summary service at one address.
pub struct HttpSummaryService {
    endpoint: String,
    token: Secret,
    client: reqwest::Client,
}

impl HttpSummaryService {
    pub fn new(endpoint: String, token: Secret) -> Result<Self, SummaryError> {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| SummaryError(error.to_string()))?;
        Ok(Self {
            endpoint,
            token,
            client,
        })
    }
}

#[async_trait]
impl SummaryService for HttpSummaryService {
    async fn submit(&self, job: &SummaryJob) -> Result<String, SummaryError> {
        #[derive(serde::Deserialize)]
        struct Taken {
            job_id: serde_json::Value,
        }
        let answer = self
            .client
            .post(&self.endpoint)
            .bearer_auth(self.token.expose())
            .json(job)
            .send()
            .await
            .map_err(|error| SummaryError(format!("not reached: {error}")))?;
        let status = answer.status();
        if !status.is_success() {
            return Err(SummaryError(format!("answered {status}")));
        }
        let taken: Taken = answer
            .json()
            .await
            .map_err(|error| SummaryError(format!("unreadable answer: {error}")))?;
        // A string or a number, kept as text (at most 255 characters, as stored).
        let job_id = match taken.job_id {
            serde_json::Value::String(id) => id,
            serde_json::Value::Number(id) => id.to_string(),
            _ => String::new(),
        };
        if job_id.is_empty() || job_id.chars().count() > 255 {
            return Err(SummaryError("answered no usable job_id".to_owned()));
        }
        Ok(job_id)
    }
}

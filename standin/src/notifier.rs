//! Delivers the stand-in's webhook events to a configured URL, one at a time and in the order
//! they happened (the server orders each room's events the same way), on a background task.

use std::sync::Mutex;

use livekit_protocol as proto;
use tokio::{
    sync::{mpsc, oneshot},
    task::JoinHandle,
};

use crate::{standin::lock, webhook};

/// Work for the delivery task.
enum Job {
    Deliver {
        url: String,
        event: Box<proto::WebhookEvent>,
    },
    Flush(oneshot::Sender<()>),
}

/// The sending side: where webhooks go, and the queue to the delivery task.
#[derive(Debug)]
pub(crate) struct Notifier {
    url: Mutex<Option<String>>,
    jobs: mpsc::UnboundedSender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Deliver { url, event } => write!(f, "Deliver({} to {url})", event.event),
            Self::Flush(_) => f.write_str("Flush"),
        }
    }
}

impl Notifier {
    /// Starts the delivery task, which signs with `api_key` / `api_secret`.
    pub(crate) fn spawn(api_key: String, api_secret: String) -> (Self, JoinHandle<()>) {
        let (jobs, receiver) = mpsc::unbounded_channel();
        let task = tokio::spawn(deliver(receiver, api_key, api_secret));
        (
            Self {
                url: Mutex::new(None),
                jobs,
            },
            task,
        )
    }

    /// Sends later events to `url`, or nowhere when `None`.
    pub(crate) fn set_url(&self, url: Option<String>) {
        *lock(&self.url) = url;
    }

    /// Queues `events` for delivery if a URL is set.
    pub(crate) fn dispatch(&self, events: Vec<proto::WebhookEvent>) {
        let Some(url) = lock(&self.url).clone() else {
            return;
        };
        for event in events {
            let job = Job::Deliver {
                url: url.clone(),
                event: Box::new(event),
            };
            if self.jobs.send(job).is_err() {
                tracing::warn!("webhook delivery task has stopped; event dropped");
            }
        }
    }

    /// Waits until every event queued before this call has been delivered (or failed).
    pub(crate) async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.jobs.send(Job::Flush(done)).is_ok() {
            // An error means the task stopped, so nothing is left to wait for.
            let _ = wait.await;
        }
    }
}

/// How many times a webhook is tried again after a 5xx answer or a transport error (LiveKit's
/// library default), and the first wait, which doubles each time (shorter than LiveKit's 1 s,
/// for tests).
const RETRIES: u32 = 4;
const RETRY_WAIT: std::time::Duration = std::time::Duration::from_millis(100);

async fn deliver(mut jobs: mpsc::UnboundedReceiver<Job>, api_key: String, api_secret: String) {
    while let Some(job) = jobs.recv().await {
        match job {
            Job::Deliver { url, event } => {
                // As LiveKit's notifier (go-retryablehttp): a 5xx answer or a transport error
                // is tried again with backoff, in order; here after 0.2, 0.4, 0.8 and 1.6 s.
                for attempt in 0..=RETRIES {
                    if attempt > 0 {
                        tokio::time::sleep(RETRY_WAIT * 2u32.pow(attempt)).await;
                    }
                    match webhook::send_webhook(&url, &api_key, &api_secret, &event).await {
                        Ok(status) if status.is_success() => {
                            tracing::debug!(event = %event.event, %url, %status, "webhook delivered");
                            break;
                        }
                        Ok(status) if !status.is_server_error() => {
                            tracing::warn!(event = %event.event, %url, %status, "webhook refused");
                            break;
                        }
                        Ok(status) => {
                            tracing::warn!(event = %event.event, %url, %status, attempt, "webhook refused, to try again");
                        }
                        Err(error) => {
                            tracing::warn!(event = %event.event, %url, %error, attempt, "webhook not delivered, to try again");
                        }
                    }
                }
            }
            Job::Flush(done) => {
                // The flusher may have given up waiting; nothing to do then.
                let _ = done.send(());
            }
        }
    }
}

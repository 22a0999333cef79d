//! Emails Meet sends (a recording is ready), behind a trait: the SMTP transport is the server's;
//! without one, emails are written to the log, as `make run` does.

use async_trait::async_trait;

/// One email to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// The recipient's address.
    pub to: String,
    pub subject: String,
    /// The body, as plain text.
    pub text: String,
}

/// Why an email was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot send the email: {0}")]
pub struct MailError(pub String);

/// Sends emails.
#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn send(&self, email: &Email) -> Result<(), MailError>;
}

/// Writes each email to the log instead of sending it (no SMTP server configured).
#[derive(Debug, Clone, Copy, Default)]
pub struct LogMailer;

#[async_trait]
impl Mailer for LogMailer {
    async fn send(&self, email: &Email) -> Result<(), MailError> {
        tracing::info!(
            to = email.to,
            subject = email.subject,
            "email (no SMTP server configured, so logged here):\n{}",
            email.text
        );
        Ok(())
    }
}

//! Sends Meet's emails through an SMTP server (`EMAIL_*`), with `lettre`.

use std::time::Duration;

use async_trait::async_trait;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use meet_domain::mailer::{Email, MailError, Mailer};

use crate::config::{SmtpSecurity, SmtpSettings};

/// How long one SMTP conversation may take before the email counts as not sent.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// A mailer speaking SMTP to one server.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// A mailer for `settings`; nothing is sent or connected until the first email.
    pub fn new(settings: &SmtpSettings) -> Result<Self, MailError> {
        let refused = |error: lettre::transport::smtp::Error| MailError(error.to_string());
        let mut builder = match settings.security {
            SmtpSecurity::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
            }
            SmtpSecurity::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host)
                    .map_err(refused)?
            }
            SmtpSecurity::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host).map_err(refused)?
            }
        };
        if let Some(port) = settings.port {
            builder = builder.port(port);
        }
        if let Some((user, password)) = &settings.credentials {
            builder =
                builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
        }
        Ok(Self {
            transport: builder.timeout(Some(SMTP_TIMEOUT)).build(),
            from: settings.from.clone(),
        })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, email: &Email) -> Result<(), MailError> {
        let to: Mailbox = email
            .to
            .parse()
            .map_err(|_| MailError(format!("{:?} is not an email address", email.to)))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.as_str())
            .header(ContentType::TEXT_PLAIN)
            .body(email.text.clone())
            .map_err(|error| MailError(error.to_string()))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|error| MailError(error.to_string()))
    }
}

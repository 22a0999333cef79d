//! Email settings: the SMTP server Meet sends its emails through (a recording is ready).
//! Variable names follow La Suite Meet's (`EMAIL_*`, without Django's `DJANGO_` prefix).
//! Without `EMAIL_HOST`, emails are written to Meet's log, as `make run` does.

use clap::Args;
use clap::builder::BoolishValueParser;
use lettre::message::Mailbox;
use meet_domain::Secret;

/// Why the email settings are unusable: the message names the setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailSetupError {
    #[error("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true: STARTTLS or TLS from the start")]
    BothTlsModes,
    #[error("EMAIL_HOST_PASSWORD must be set when EMAIL_HOST_USER is")]
    MissingPassword,
    #[error("EMAIL_HOST {0:?} is not a host name")]
    Host(String),
    #[error("EMAIL_FROM must be set: noreply@{0} is not an email address")]
    NoSender(String),
}

/// The email variables.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Email")]
pub struct EmailConfig {
    /// The SMTP server emails are sent through, e.g. `smtp.example.org`. Unset: emails are
    /// written to the log.
    #[arg(long, env = "EMAIL_HOST", value_name = "EMAIL_HOST")]
    pub email_host: Option<String>,

    /// The SMTP server's port. Default: 465 with `EMAIL_USE_SSL`, 587 with `EMAIL_USE_TLS`, 25
    /// otherwise.
    #[arg(long, env = "EMAIL_PORT", value_name = "EMAIL_PORT", value_parser = clap::value_parser!(u16).range(1..))]
    pub email_port: Option<u16>,

    /// The user to log in to the SMTP server as. Unset: no login.
    #[arg(long, env = "EMAIL_HOST_USER", value_name = "EMAIL_HOST_USER")]
    pub email_host_user: Option<String>,

    /// The password of `EMAIL_HOST_USER`.
    #[arg(
        long,
        env = "EMAIL_HOST_PASSWORD",
        value_name = "EMAIL_HOST_PASSWORD",
        hide_env_values = true
    )]
    pub email_host_password: Option<Secret>,

    /// Upgrade the connection with STARTTLS, and refuse to send without it (`true` or `false`).
    #[arg(
        long,
        env = "EMAIL_USE_TLS",
        value_name = "EMAIL_USE_TLS",
        value_parser = BoolishValueParser::new(),
        default_value = "false",
        action = clap::ArgAction::Set
    )]
    pub email_use_tls: bool,

    /// Speak TLS from the start (SMTPS, usually port 465) (`true` or `false`).
    #[arg(
        long,
        env = "EMAIL_USE_SSL",
        value_name = "EMAIL_USE_SSL",
        value_parser = BoolishValueParser::new(),
        default_value = "false",
        action = clap::ArgAction::Set
    )]
    pub email_use_ssl: bool,

    /// The sender, e.g. `Meet <meet@example.org>`. Default: `Meet <noreply@` + the host of
    /// `MEET_PUBLIC_URL` + `>`.
    #[arg(long, env = "EMAIL_FROM", value_name = "EMAIL_FROM", value_parser = parse_mailbox)]
    pub email_from: Option<Mailbox>,
}

fn parse_mailbox(value: &str) -> Result<Mailbox, String> {
    value.parse::<Mailbox>().map_err(|_| {
        "expected an address such as meet@example.org or Meet <meet@example.org>".to_owned()
    })
}

/// How to reach the SMTP server, checked.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: Option<u16>,
    pub security: SmtpSecurity,
    pub credentials: Option<(String, Secret)>,
    pub from: Mailbox,
}

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain SMTP (a relay on the same machine or network).
    None,
    /// STARTTLS, required.
    StartTls,
    /// TLS from the first byte.
    Tls,
}

impl EmailConfig {
    /// The defaults: no SMTP server.
    pub fn defaults() -> Self {
        Self {
            email_host: None,
            email_port: None,
            email_host_user: None,
            email_host_password: None,
            email_use_tls: false,
            email_use_ssl: false,
            email_from: None,
        }
    }

    /// The SMTP server to send through, if one is set; `public_url` names the default sender's
    /// domain.
    pub fn smtp(&self, public_url: &str) -> Result<Option<SmtpSettings>, EmailSetupError> {
        let Some(host) = self.email_host.as_deref().filter(|host| !host.is_empty()) else {
            return Ok(None);
        };
        if url::Host::parse(host).is_err() || host.contains([':', '/', '@']) {
            return Err(EmailSetupError::Host(host.to_owned()));
        }
        let security = match (self.email_use_tls, self.email_use_ssl) {
            (true, true) => return Err(EmailSetupError::BothTlsModes),
            (true, false) => SmtpSecurity::StartTls,
            (false, true) => SmtpSecurity::Tls,
            (false, false) => SmtpSecurity::None,
        };
        let credentials = match (&self.email_host_user, &self.email_host_password) {
            (Some(user), Some(password)) if !user.is_empty() => {
                Some((user.clone(), password.clone()))
            }
            (Some(user), None) if !user.is_empty() => return Err(EmailSetupError::MissingPassword),
            _ => None,
        };
        let from = match &self.email_from {
            Some(from) => from.clone(),
            None => default_sender(public_url)?,
        };
        Ok(Some(SmtpSettings {
            host: host.to_owned(),
            port: self.email_port,
            security,
            credentials,
            from,
        }))
    }
}

/// `Meet <noreply@HOST>` for the host of `public_url` (`localhost` when it has no domain).
fn default_sender(public_url: &str) -> Result<Mailbox, EmailSetupError> {
    let host = url::Url::parse(public_url)
        .ok()
        .and_then(|url| url.host_str().map(str::to_owned))
        .filter(|host| host.contains('.') && host.parse::<std::net::IpAddr>().is_err())
        .unwrap_or_else(|| "localhost".to_owned());
    format!("Meet <noreply@{host}>")
        .parse()
        .map_err(|_| EmailSetupError::NoSender(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> EmailConfig {
        EmailConfig {
            email_host: Some("smtp.example.org".to_owned()),
            ..EmailConfig::defaults()
        }
    }

    #[test]
    fn no_host_means_no_smtp() {
        assert!(
            EmailConfig::defaults()
                .smtp("https://meet.example.org")
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn the_sender_defaults_to_the_public_host() {
        let smtp = config().smtp("https://meet.example.org").unwrap().unwrap();
        assert_eq!(smtp.from.to_string(), "Meet <noreply@meet.example.org>");
        assert_eq!(smtp.security, SmtpSecurity::None);
        let local = config().smtp("http://127.0.0.1:8080").unwrap().unwrap();
        assert_eq!(local.from.email.to_string(), "noreply@localhost");
    }

    #[test]
    fn contradictions_and_gaps_are_named() {
        let both = EmailConfig {
            email_use_tls: true,
            email_use_ssl: true,
            ..config()
        };
        assert_eq!(
            both.smtp("http://x").unwrap_err(),
            EmailSetupError::BothTlsModes
        );
        let user = EmailConfig {
            email_host_user: Some("meet".to_owned()),
            ..config()
        };
        assert_eq!(
            user.smtp("http://x").unwrap_err(),
            EmailSetupError::MissingPassword
        );
        let host = EmailConfig {
            email_host: Some("smtp.example.org:25".to_owned()),
            ..config()
        };
        assert!(matches!(
            host.smtp("http://x"),
            Err(EmailSetupError::Host(_))
        ));
        assert!(parse_mailbox("not an address").is_err());
        assert_eq!(
            parse_mailbox("Meet <meet@example.org>")
                .unwrap()
                .email
                .to_string(),
            "meet@example.org"
        );
    }
}

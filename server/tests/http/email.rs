//! Emails over a real SMTP conversation: `aiosmtpd` (PyPI), started by the test on a free
//! loopback port, stores what it receives in a Maildir that the test reads back. Without
//! `aiosmtpd` on the `PATH` (`.ci/run` installs it), these tests say they are skipped.
//!
//! The whole life of a screen recording runs here too, with the stand-in's Egress: start, the
//! webhook that makes it active, stop, the end, the email through SMTP, the download from the
//! link in that email, and the expiry that deletes its file.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use meet_domain::clock::ManualClock;
use meet_domain::mailer::{Email, Mailer};
use meet_domain::testing::registered_room;
use meet_server::config::{EmailConfig, SmtpSecurity, SmtpSettings};
use meet_server::mailer::SmtpMailer;
use meet_types::AccessLevel;
use serde_json::json;
use tempfile::TempDir;
use tokio::process::{Child, Command};

use crate::helpers::{AppOptions, spawn_app_with, speaking_french, which};

/// An SMTP server on loopback that keeps every message it is given.
struct SmtpSink {
    port: u16,
    maildir: TempDir,
    _process: Child,
}

impl SmtpSink {
    /// Starts `aiosmtpd`, or says why not and returns `None`.
    async fn start() -> Option<Self> {
        let Some(path) = which("aiosmtpd") else {
            eprintln!("skipped: aiosmtpd is not on the PATH (pip install aiosmtpd)");
            return None;
        };
        let maildir = TempDir::new().expect("maildir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let process = Command::new(path)
            .args(["-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("mail"))
            .kill_on_drop(true)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Some(Self {
                    port,
                    maildir,
                    _process: process,
                });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("aiosmtpd did not listen on port {port} within 10 s");
    }

    fn settings(&self) -> SmtpSettings {
        SmtpSettings {
            host: "127.0.0.1".to_owned(),
            port: Some(self.port),
            security: SmtpSecurity::None,
            credentials: None,
            from: "Meet <noreply@meet.example.org>".parse().expect("mailbox"),
        }
    }

    /// The messages received so far, as raw RFC 5322 text.
    fn received(&self) -> Vec<Vec<u8>> {
        let new = self.maildir.path().join("mail").join("new");
        let Ok(entries) = std::fs::read_dir(new) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = entries.map(|entry| entry.expect("entry").path()).collect();
        paths.sort();
        paths
            .iter()
            .map(|path| std::fs::read(path).expect("message"))
            .collect()
    }
}

/// A received message's header `name` (decoded) and its text body.
fn read(raw: &[u8]) -> (impl Fn(&str) -> String + '_, String) {
    let parsed = mailparse::parse_mail(raw).expect("an RFC 5322 message");
    let body = parsed.get_body().expect("a text body");
    let headers = move |name: &str| {
        mailparse::parse_headers(raw)
            .expect("headers")
            .0
            .iter()
            .find(|header| header.get_key().eq_ignore_ascii_case(name))
            .map(mailparse::MailHeader::get_value)
            .unwrap_or_default()
    };
    (headers, body)
}

#[tokio::test]
async fn the_smtp_mailer_delivers_plain_text_in_any_language() {
    let Some(sink) = SmtpSink::start().await else {
        return;
    };
    let mailer = SmtpMailer::new(&sink.settings()).expect("mailer");
    let email = Email {
        to: "chloe@example.org".to_owned(),
        subject: "Votre enregistrement de « Réunion » est prêt".to_owned(),
        text: "Bonjour,\n\nTéléchargez-le ici : https://meet.example.org/recording/1\n".to_owned(),
    };
    mailer.send(&email).await.expect("sent");
    let received = sink.received();
    assert_eq!(received.len(), 1);
    let (header, body) = read(&received[0]);
    assert_eq!(header("From"), "Meet <noreply@meet.example.org>");
    assert_eq!(header("To"), "chloe@example.org");
    assert_eq!(header("Subject"), email.subject);
    assert!(
        header("Content-Type").starts_with("text/plain"),
        "{}",
        header("Content-Type")
    );
    assert_eq!(body.replace("\r\n", "\n").trim_end(), email.text.trim_end());

    // A recipient that is not an address is refused before any connection, and nothing is sent.
    let bad = Email {
        to: "meet@example.org>\r\nBcc: everyone@example.org".to_owned(),
        ..email.clone()
    };
    let error = mailer.send(&bad).await.expect_err("refused");
    assert!(error.0.contains("is not an email address"), "{error}");
    assert_eq!(sink.received().len(), 1);

    // A server that is not there is an error, not a hang.
    let port = sink.port;
    drop(sink);
    let gone = SmtpSettings {
        port: Some(port),
        ..SmtpSettings {
            host: "127.0.0.1".to_owned(),
            port: None,
            security: SmtpSecurity::None,
            credentials: None,
            from: "meet@example.org".parse().expect("mailbox"),
        }
    };
    let error = SmtpMailer::new(&gone)
        .expect("mailer")
        .send(&email)
        .await
        .expect_err("nobody listens");
    assert!(!error.0.is_empty());
}

#[tokio::test]
async fn a_recording_goes_from_start_to_email_to_download_to_expiry() {
    let Some(sink) = SmtpSink::start().await else {
        return;
    };
    let media = TempDir::new().expect("media folder");
    let folder = media.path().to_owned();
    let port = sink.port;
    let clock = Arc::new(ManualClock::default());
    let Some(app) = spawn_app_with(AppOptions {
        clock: Some(clock.clone()),
        configure: Box::new(move |config| {
            config.recording.recording_enable = true;
            config.recording.recording_expiration_days = Some(7);
            config.recording.recording_storage_folder = folder;
            config.email = EmailConfig {
                email_host: Some("127.0.0.1".to_owned()),
                email_port: Some(port),
                email_from: Some("Meet <meet@example.org>".parse().expect("mailbox")),
                ..EmailConfig::defaults()
            };
        }),
        ..AppOptions::default()
    })
    .await
    else {
        return;
    };
    let store = &app.database.store;
    let owner = speaking_french(store, &app.user("owner-sub").await).await;
    let room = registered_room(store, &owner, "Point hebdo", AccessLevel::Public).await;
    let host = app.client_for(&owner).await;
    app.livekit
        .set_webhook_url(Some(&app.url("/api/v1.0/rooms/webhooks-livekit/")));

    // Start: LiveKit's egress starts and its webhook makes the recording active.
    let start = host
        .post(app.url(&format!("/api/v1.0/rooms/{}/start-recording/", room.slug)))
        .json(&json!({"mode": "screen_recording"}))
        .send()
        .await
        .expect("start");
    assert_eq!(start.status(), 201);
    app.livekit.flush_webhooks().await;
    let list = |client: reqwest::Client| {
        let url = app.url("/api/v1.0/recordings/");
        async move {
            let list: serde_json::Value = client
                .get(url)
                .send()
                .await
                .expect("list")
                .json()
                .await
                .expect("JSON");
            list["results"][0].clone()
        }
    };
    assert_eq!(list(host.clone()).await["status"], "active");
    assert!(
        sink.received().is_empty(),
        "nothing is emailed while recording"
    );

    // Stop: the egress ends, the recording is saved and its owner emailed, once.
    let stop = host
        .post(app.url(&format!("/api/v1.0/rooms/{}/stop-recording/", room.slug)))
        .send()
        .await
        .expect("stop");
    assert_eq!(stop.status(), 200);
    app.livekit.flush_webhooks().await;
    let recording = list(host.clone()).await;
    assert_eq!(recording["status"], "notification_succeeded", "{recording}");
    let id = recording["id"].as_str().expect("id").to_owned();
    let received = sink.received();
    assert_eq!(received.len(), 1, "one email");
    let (header, body) = read(&received[0]);
    assert_eq!(header("To"), "owner-sub@example.org");
    assert_eq!(header("From"), "Meet <meet@example.org>");
    assert_eq!(
        header("Subject"),
        "Votre enregistrement de « Point hebdo » est prêt"
    );
    let link = app.url(&format!("/recording/{id}"));
    assert!(
        body.contains(&format!("Téléchargez-le ici : {link}")),
        "{body}"
    );
    assert!(body.contains("Il est conservé jusqu'au"), "{body}");

    // The link in the email leads to the page, which offers the file.
    let page = host
        .get(&link)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("HTML");
    let download = format!("/media/recordings/{id}.mp4");
    assert!(page.contains(&format!("href=\"{download}\"")), "{page}");
    let file = host.get(app.url(&download)).send().await.expect("file");
    assert_eq!(file.status(), 200);
    assert_eq!(
        &file.bytes().await.expect("bytes")[..],
        meet_livekit_standin::RECORDING_FILE_CONTENT
    );
    let on_disk: Vec<PathBuf> = walk(media.path());
    assert_eq!(on_disk.len(), 1, "{on_disk:?}");

    // A week later it has expired: the periodic purge deletes its file, and the page says so.
    clock.advance(Duration::from_secs(8 * 24 * 3600));
    let purged = meet_domain::recording::purge_expired(&app.services, 100)
        .await
        .expect("purge");
    assert_eq!(purged, 1);
    assert!(walk(media.path()).is_empty(), "the file is deleted");
    // (The login of a week ago has ended too.)
    let host = app.client_for(&owner).await;
    let file = host.get(app.url(&download)).send().await.expect("file");
    assert_eq!(file.status(), 410);
    let page = host
        .get(&link)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("HTML");
    assert!(!page.contains(&download), "{page}");
    assert_eq!(sink.received().len(), 1, "still one email");
}

/// The files under `folder`, at any depth.
fn walk(folder: &std::path::Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).expect("folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

//! Recordings kept in S3-compatible storage: moto's S3 server (PyPI `moto[server]`), started by
//! the test on a free loopback port. Meet's storage sizes, streams and deletes objects there; the
//! stand-in's egress uploads into it as a real egress with upload settings does; the whole life
//! of a recording runs against it. Without `moto_server` on the `PATH` (`.ci/run` installs it),
//! these tests say they are skipped.

use std::sync::Arc;
use std::time::Duration;

use meet_domain::Secret;
use meet_domain::clock::ManualClock;
use meet_domain::recording::storage::{RecordingStorage, S3Storage};
use meet_domain::recording::worker::S3Bucket;
use meet_domain::testing::registered_room;
use meet_types::AccessLevel;
use serde_json::json;
use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};

use crate::helpers::{AppOptions, spawn_app_with};

const BUCKET: &str = "meet-media-storage";

/// moto's S3 server with an empty bucket.
struct S3Server {
    endpoint: String,
    process: Child,
}

impl S3Server {
    async fn start() -> Option<Self> {
        let Some(program) = which("moto_server") else {
            eprintln!("skipped: moto_server is not on the PATH (pip install 'moto[server]')");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let process = Command::new(program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .kill_on_drop(true)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let endpoint = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..150 {
            // The bucket, as an operator creates it (moto takes unsigned requests).
            if let Ok(answer) = client.put(format!("{endpoint}/{BUCKET}")).send().await
                && answer.status().is_success()
            {
                return Some(Self { endpoint, process });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("moto_server did not answer on port {port} within 15 s");
    }

    fn bucket(&self) -> S3Bucket {
        S3Bucket {
            endpoint: self.endpoint.clone(),
            region: "us-east-1".to_owned(),
            bucket: BUCKET.to_owned(),
            access_key: "meet".to_owned(),
            secret_key: Secret::new("meet-secret-key"),
            force_path_style: true,
        }
    }

    /// The object at `key` (read with credentials: the uploads are private); `None` when
    /// there is none.
    async fn object(&self, key: &str) -> Option<Vec<u8>> {
        let storage = S3Storage::new(&self.bucket()).expect("storage");
        let mut file = storage.open(key).await.expect("moto answers")?;
        let mut body = Vec::new();
        file.body.read_to_end(&mut body).await.expect("read");
        Some(body)
    }
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|folder| folder.join(program))
        .find(|candidate| candidate.is_file())
}

#[tokio::test]
async fn s3_storage_sizes_streams_and_deletes_objects() {
    let Some(mut server) = S3Server::start().await else {
        return;
    };
    let storage = S3Storage::new(&server.bucket()).expect("storage");
    let put = reqwest::Client::new()
        .put(format!("{}/{BUCKET}/recordings/a.mp4", server.endpoint))
        .body("12345")
        .send()
        .await
        .expect("put");
    assert!(put.status().is_success());

    assert_eq!(storage.size("recordings/a.mp4").await.unwrap(), Some(5));
    assert_eq!(storage.size("recordings/b.mp4").await.unwrap(), None);
    let mut file = storage
        .open("recordings/a.mp4")
        .await
        .unwrap()
        .expect("found");
    assert_eq!(file.size, 5);
    let mut body = String::new();
    file.body.read_to_string(&mut body).await.expect("read");
    assert_eq!(body, "12345");
    assert!(storage.open("recordings/b.mp4").await.unwrap().is_none());
    // Keys that are not plain paths name nothing.
    for key in ["", "../a.mp4", "recordings//a.mp4", "recordings/./a.mp4"] {
        assert_eq!(storage.size(key).await.unwrap(), None, "{key:?}");
        assert!(!storage.delete(key).await.unwrap(), "{key:?}");
    }

    assert!(storage.delete("recordings/a.mp4").await.unwrap());
    assert!(!storage.delete("recordings/a.mp4").await.unwrap());
    assert_eq!(server.object("recordings/a.mp4").await, None);

    // A storage that does not answer is an error, not "no file".
    server.process.kill().await.expect("stopped");
    assert!(storage.size("recordings/a.mp4").await.is_err());
}

#[tokio::test]
async fn a_recording_kept_in_s3_is_uploaded_downloaded_and_deleted_when_expired() {
    let Some(server) = S3Server::start().await else {
        return;
    };
    let endpoint = server.endpoint.clone();
    let clock = Arc::new(ManualClock::default());
    let Some(app) = spawn_app_with(AppOptions {
        clock: Some(clock.clone()),
        configure: Box::new(move |config| {
            config.recording.recording_enable = true;
            config.recording.recording_expiration_days = Some(7);
            config.recording.aws_s3_endpoint_url = Some(endpoint);
            config.recording.aws_s3_access_key_id = "meet".to_owned();
            config.recording.aws_s3_secret_access_key = Some(Secret::new("meet-secret-key"));
        }),
        ..AppOptions::default()
    })
    .await
    else {
        return;
    };
    let owner = app.user("owner-sub").await;
    let room = registered_room(&app.database.store, &owner, "Board", AccessLevel::Public).await;
    let host = app.client_for(&owner).await;
    app.livekit
        .set_webhook_url(Some(&app.url("/api/v1.0/rooms/webhooks-livekit/")));

    let path = |action: &str| app.url(&format!("/api/v1.0/rooms/{}/{action}/", room.slug));
    let start = host
        .post(path("start-recording"))
        .json(&json!({"mode": "screen_recording"}))
        .send()
        .await
        .expect("start");
    assert_eq!(start.status(), 201);
    let stop = host
        .post(path("stop-recording"))
        .send()
        .await
        .expect("stop");
    assert_eq!(stop.status(), 200);
    app.livekit.flush_webhooks().await;

    let list: serde_json::Value = host
        .get(app.url("/api/v1.0/recordings/"))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("JSON");
    let recording = &list["results"][0];
    assert_eq!(recording["status"], "notification_succeeded", "{list}");
    let id = recording["id"].as_str().expect("id");
    let key = format!("recordings/{id}.mp4");
    assert_eq!(recording["key"], key.as_str());
    // The egress uploaded it to the bucket, where Meet reads it from.
    assert_eq!(
        server.object(&key).await.as_deref(),
        Some(meet_livekit_standin::RECORDING_FILE_CONTENT)
    );
    let download = app.url(&format!("/media/recordings/{id}.mp4"));
    let file = host.get(&download).send().await.expect("download");
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-length"], "32");
    assert_eq!(
        &file.bytes().await.expect("bytes")[..],
        meet_livekit_standin::RECORDING_FILE_CONTENT
    );

    // Expired: the periodic purge deletes the object.
    clock.advance(Duration::from_secs(8 * 24 * 3600));
    let purged = meet_domain::recording::purge_expired(&app.services, 100)
        .await
        .expect("purge");
    assert_eq!(purged, 1);
    assert_eq!(server.object(&key).await, None);
    let host = app.client_for(&owner).await;
    let file = host.get(&download).send().await.expect("download");
    assert_eq!(file.status(), 410);
}

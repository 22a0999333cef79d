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

use crate::helpers::{AppOptions, spawn_app_with, speaking_french, which};

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

    let recording = app.record_once(&host, &room.slug, "screen_recording").await;
    assert_eq!(recording["status"], "notification_succeeded", "{recording}");
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

/// A summary service on loopback that keeps what it is asked and answers a job id, or refuses
/// while `down`.
#[derive(Clone, Default)]
struct SummaryService {
    asked: Arc<std::sync::Mutex<Vec<(String, serde_json::Value)>>>,
    down: Arc<std::sync::atomic::AtomicBool>,
}

impl SummaryService {
    async fn start(&self) -> String {
        use axum::Json;
        use axum::extract::State;
        use axum::http::{HeaderMap, StatusCode};
        async fn take(
            State(service): State<SummaryService>,
            headers: HeaderMap,
            Json(body): Json<serde_json::Value>,
        ) -> (StatusCode, Json<serde_json::Value>) {
            if service.down.load(std::sync::atomic::Ordering::SeqCst) {
                return (StatusCode::SERVICE_UNAVAILABLE, Json(json!({})));
            }
            let authorization = headers
                .get("authorization")
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let mut asked = service.asked.lock().unwrap();
            asked.push((authorization, body));
            let id = format!("job-{}", asked.len());
            (StatusCode::OK, Json(json!({ "job_id": id })))
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let address = listener.local_addr().expect("address");
        let app = axum::Router::new()
            .route("/api/v2/async-jobs/transcribe", axum::routing::post(take))
            .with_state(self.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        format!("http://{address}/api/v2/async-jobs/transcribe")
    }
}

#[tokio::test]
async fn transcripts_go_to_the_summary_service_whose_hook_settles_them() {
    let Some(server) = S3Server::start().await else {
        return;
    };
    let summary = SummaryService::default();
    let summary_url = summary.start().await;
    let endpoint = server.endpoint.clone();
    let Some(app) = spawn_app_with(AppOptions {
        configure: Box::new(move |config| {
            config.recording.recording_enable = true;
            config.recording.aws_s3_endpoint_url = Some(endpoint);
            config.recording.aws_s3_access_key_id = "meet".to_owned();
            config.recording.aws_s3_secret_access_key = Some(Secret::new("meet-secret-key"));
            config.recording.summary_service_endpoint = Some(summary_url);
            config.recording.summary_service_api_token = Some(Secret::new("to-summary"));
            config.recording.summary_service_webhook_api_token = Some(Secret::new("from-summary"));
            config.recording.transcription_satisfaction_form_base_url =
                Some("https://forms.example.org/transcripts".to_owned());
        }),
        ..AppOptions::default()
    })
    .await
    else {
        return;
    };
    let store = &app.database.store;
    let owner = speaking_french(store, &app.user("owner-sub").await).await;
    let room = registered_room(store, &owner, "Board", AccessLevel::Public).await;
    let host = app.client_for(&owner).await;
    app.livekit
        .set_webhook_url(Some(&app.url("/api/v1.0/rooms/webhooks-livekit/")));
    let transcribe = || async {
        let recording = app.record_once(&host, &room.slug, "transcript").await;
        let id: uuid::Uuid = recording["id"].as_str().expect("id").parse().expect("uuid");
        meet_domain::recording::queries::find(store, id)
            .await
            .expect("read")
            .expect("there")
    };

    // Saved: handed to the summary service, which answers a job id, kept.
    let recording = transcribe().await;
    assert_eq!(recording.status.as_str(), "notification_succeeded");
    assert_eq!(recording.external_process_id.as_deref(), Some("job-1"));
    let (authorization, job) = summary.asked.lock().unwrap()[0].clone();
    assert_eq!(authorization, "Bearer to-summary");
    assert_eq!(job["user_sub"], "owner-sub");
    assert_eq!(job["user_email"], "owner-sub@example.org");
    assert_eq!(job["language"], "fr");
    assert_eq!(job["context_language"], serde_json::Value::Null);
    assert_eq!(job["metadata"], serde_json::Value::Null);
    let docs = &job["push_to_docs_config"];
    assert_eq!(docs["user_email"], "owner-sub@example.org");
    assert!(
        docs["title"]
            .as_str()
            .is_some_and(|title| title.starts_with("Réunion « Board » du ")),
        "{docs}"
    );
    assert_eq!(
        docs["download_link"],
        app.url(&format!("/recording/{}", recording.id)).as_str()
    );
    assert_eq!(
        docs["form_link"],
        format!("https://forms.example.org/transcripts?room_id={}", room.id).as_str()
    );
    assert_eq!(docs["auto_create_summary"], true);
    // The address reads the file from the bucket, signed: no credentials needed.
    let signed = job["cloud_storage_url"].as_str().expect("an address");
    assert!(signed.contains("X-Amz-Signature="), "{signed}");
    let file = reqwest::get(signed).await.expect("signed GET");
    assert_eq!(file.status(), 200);
    assert_eq!(
        &file.bytes().await.expect("bytes")[..],
        meet_livekit_standin::RECORDING_FILE_CONTENT
    );

    // Its hook: the token first, then the body; an unknown job changes nothing.
    let hook = app.url("/api/v1.0/recordings/external-process-hook/");
    let report = |token: Option<&str>, body: serde_json::Value| {
        let mut request = reqwest::Client::new().post(&hook).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move { request.send().await.expect("hook").status().as_u16() }
    };
    let done = json!({"job_id": "job-1", "type": "transcript", "status": "success"});
    assert_eq!(report(None, done.clone()).await, 401);
    assert_eq!(report(Some("to-summary"), done.clone()).await, 401);
    assert_eq!(
        report(Some("from-summary"), json!({"status": "success"})).await,
        400
    );
    assert_eq!(
        report(Some("from-summary"), json!({"job_id": 7})).await,
        400
    );
    let unknown = json!({"job_id": "job-99", "type": "transcript", "status": "success"});
    assert_eq!(report(Some("from-summary"), unknown).await, 200);
    let status = |id| async move {
        meet_domain::recording::queries::find(store, id)
            .await
            .expect("read")
            .expect("there")
            .status
    };
    assert_eq!(
        status(recording.id).await.as_str(),
        "notification_succeeded"
    );
    assert_eq!(report(Some("from-summary"), done).await, 200);
    assert_eq!(
        status(recording.id).await.as_str(),
        "external_process_successful"
    );
    // A late contrary report changes nothing.
    let failed = json!({"job_id": "job-1", "type": "transcript", "status": "failure"});
    assert_eq!(report(Some("from-summary"), failed).await, 200);
    assert_eq!(
        status(recording.id).await.as_str(),
        "external_process_successful"
    );

    // The service down: the transcript stays saved, with no job.
    summary
        .down
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let second = transcribe().await;
    assert_eq!(second.status.as_str(), "saved");
    assert_eq!(second.external_process_id, None);
}

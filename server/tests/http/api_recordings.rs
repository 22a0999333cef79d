//! Recording through the REST API, with recording on and LiveKit's Egress played by the
//! stand-in (the real `livekit-api` EgressClient over HTTP): start and stop with La Suite Meet's
//! bodies and statuses, who may, the 409 of a second start, the 502 of an egress that does not
//! start, the list and detail of one's recordings, deletion once over, and everything 404 while
//! recording is off. Every answer is checked against the OpenAPI document. On SQLite and
//! PostgreSQL.

use meet_domain::accesses::queries as accesses;
use meet_domain::per_backend;
use meet_domain::rooms::Room;
use meet_domain::testing::{OnBackend, registered_room};
use meet_livekit_standin::proto::{self, EgressStatus};
use meet_types::{AccessLevel, Role};
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::helpers::{AppOptions, TestApp, browser, spawn_app, spawn_app_with};
use crate::openapi::{ApiSpec, call};

const START: &str = "/api/v1.0/rooms/{id}/start-recording/";
const STOP: &str = "/api/v1.0/rooms/{id}/stop-recording/";
const LIST: &str = "/api/v1.0/recordings/";
const ONE: &str = "/api/v1.0/recordings/{id}/";

/// A running app with recording on (files in a temporary folder), a room, its owner, an
/// administrator, a member and a stranger.
struct Recorder {
    app: TestApp,
    spec: ApiSpec,
    room: Room,
    owner: reqwest::Client,
    admin: reqwest::Client,
    member: reqwest::Client,
    stranger: reqwest::Client,
    media: TempDir,
    /// The room's owner.
    owner_user: meet_domain::users::User,
}

impl OnBackend for Recorder {
    async fn on(backend: meet_domain::Backend) -> Option<Self> {
        let media = TempDir::new().expect("media folder");
        let folder = media.path().to_owned();
        let app = spawn_app_with(AppOptions {
            postgres: backend == meet_domain::Backend::Postgres,
            configure: Box::new(move |config| {
                config.recording.recording_enable = true;
                config.recording.recording_expiration_days = Some(7);
                config.recording.recording_max_duration = Some(3_600_000);
                config.recording.recording_storage_folder = folder;
            }),
            ..AppOptions::default()
        })
        .await?;
        let spec = ApiSpec::fetch(&app).await;
        let owner = app.user("owner-sub").await;
        let admin = app.user("admin-sub").await;
        let member = app.user("member-sub").await;
        let stranger = app.user("stranger-sub").await;
        let store = &app.database.store;
        let room = registered_room(store, &owner, "Weekly sync", AccessLevel::Public).await;
        accesses::insert(store, room.id, admin.id, Role::Administrator)
            .await
            .expect("admin");
        accesses::insert(store, room.id, member.id, Role::Member)
            .await
            .expect("member");
        Some(Self {
            owner: app.client_for(&owner).await,
            admin: app.client_for(&admin).await,
            member: app.client_for(&member).await,
            stranger: app.client_for(&stranger).await,
            app,
            spec,
            room,
            media,
            owner_user: owner,
        })
    }
}

impl Recorder {
    async fn post(
        &self,
        client: &reqwest::Client,
        template: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = client.post(self.app.url(&template.replace("{id}", &self.room.slug)));
        if let Some(body) = body {
            request = request.json(&body);
        }
        call(&self.spec, "post", template, request).await
    }

    async fn get(&self, client: &reqwest::Client, template: &str, id: &str) -> (u16, Value) {
        let request = client.get(self.app.url(&template.replace("{id}", id)));
        call(&self.spec, "get", template, request).await
    }

    async fn delete(&self, client: &reqwest::Client, id: &str) -> (u16, Value) {
        let request = client.delete(self.app.url(&ONE.replace("{id}", id)));
        call(&self.spec, "delete", ONE, request).await
    }

    fn egresses(&self) -> Vec<proto::EgressInfo> {
        self.app.livekit.egresses()
    }
}

per_backend!(
    hosts_start_and_stop_a_recording_through_livekit_egress,
    |recorder: Recorder| async move {
        let slug = recorder.room.slug.clone();
        let body = json!({"mode": "screen_recording"});
        // Refused callers start nothing, and learn nothing of the body.
        for (client, status) in [
            (browser(), 401),
            (recorder.member.clone(), 403),
            (recorder.stranger.clone(), 403),
        ] {
            let (answered, answer) = recorder
                .post(&client, START, Some(json!({"mode": 3})))
                .await;
            assert_eq!(answered, status, "{answer}");
        }
        let (status, answer) = recorder
            .post(
                &recorder.owner,
                START,
                Some(json!({"mode": "podcast", "options": {"x": 1}})),
            )
            .await;
        assert_eq!(status, 400, "{answer}");
        assert!(
            answer["mode"].is_array() && answer["options.x"].is_array(),
            "{answer}"
        );
        assert!(recorder.egresses().is_empty(), "refusals start no egress");

        let (status, answer) = recorder
            .post(&recorder.admin, START, Some(body.clone()))
            .await;
        assert_eq!(status, 201, "{answer}");
        assert_eq!(
            answer,
            json!({"message": format!("Recording successfully started for room {slug}")})
        );
        let egresses = recorder.egresses();
        assert_eq!(egresses.len(), 1);
        let egress = &egresses[0];
        assert_eq!(egress.room_name, recorder.room.livekit_name());
        let Some(proto::egress_info::Request::RoomComposite(request)) = &egress.request else {
            panic!("a room composite egress: {egress:?}");
        };
        assert_eq!(request.layout, "speaker-light");
        assert!(!request.audio_only);

        // A second start, even in the other mode, is a conflict and starts nothing.
        let (status, answer) = recorder
            .post(&recorder.owner, START, Some(json!({"mode": "transcript"})))
            .await;
        assert_eq!(status, 409, "{answer}");
        assert_eq!(
            answer["detail"],
            format!("A recording is already in progress for room {slug}")
        );
        assert_eq!(recorder.egresses().len(), 1);

        // The one who started it owns it; the other host does not see it in their list.
        let (status, mine) = recorder.get(&recorder.admin, LIST, "").await;
        assert_eq!(status, 200, "{mine}");
        assert_eq!(mine["count"], 1);
        let recording = &mine["results"][0];
        assert_eq!(recording["status"], "active");
        assert_eq!(recording["mode"], "screen_recording");
        assert_eq!(recording["room"]["slug"], slug);
        let id = recording["id"].as_str().expect("id").to_owned();
        assert_eq!(recording["key"], format!("recordings/{id}.mp4"));
        assert_eq!(recording["is_expired"], false);
        let (_, theirs) = recorder.get(&recorder.owner, LIST, "").await;
        assert_eq!(theirs["count"], 0);

        // Stop: refused callers change nothing; a host stops it, and the egress saves the file.
        for (client, status) in [(browser(), 401), (recorder.member.clone(), 403)] {
            let (answered, answer) = recorder.post(&client, STOP, None).await;
            assert_eq!(answered, status, "{answer}");
        }
        assert_eq!(
            recorder.egresses()[0].status,
            EgressStatus::EgressActive as i32
        );
        let (status, answer) = recorder.post(&recorder.owner, STOP, None).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(
            answer,
            json!({"message": format!("Recording stopped for room {slug}.")})
        );
        assert_eq!(
            recorder.egresses()[0].status,
            EgressStatus::EgressComplete as i32
        );
        let file = recorder.media.path().join(format!("recordings/{id}.mp4"));
        assert!(file.exists(), "the egress wrote {}", file.display());
        let (status, answer) = recorder.post(&recorder.owner, STOP, None).await;
        assert_eq!(status, 404, "{answer}");
        assert_eq!(answer["detail"], "No active recording found for this room.");

        let (status, detail) = recorder.get(&recorder.admin, ONE, &id).await;
        assert_eq!(status, 200, "{detail}");
        assert_eq!(detail["status"], "stopped");
        let (status, _) = recorder.get(&recorder.owner, ONE, &id).await;
        assert_eq!(status, 404, "not theirs, so not shown");
        let (status, _) = recorder.get(&recorder.admin, ONE, "not-a-uuid").await;
        assert_eq!(status, 404);

        // The room may be recorded again (a transcript: audio only).
        let (status, answer) = recorder
            .post(
                &recorder.owner,
                START,
                Some(json!({"mode": "transcript", "options": {"language": "fr"}})),
            )
            .await;
        assert_eq!(status, 201, "{answer}");
        let Some(proto::egress_info::Request::RoomComposite(request)) =
            &recorder.egresses()[1].request
        else {
            panic!("a room composite egress");
        };
        assert!(request.audio_only);
        assert_eq!(
            request.file_outputs[0].file_type,
            proto::EncodedFileType::Ogg as i32
        );

        // Deleting: not while running, by its owner once over.
        let (_, theirs) = recorder.get(&recorder.owner, LIST, "").await;
        let running = theirs["results"][0]["id"].as_str().expect("id").to_owned();
        let (status, answer) = recorder.delete(&recorder.owner, &running).await;
        assert_eq!(status, 403, "{answer}");
        let (status, answer) = recorder.delete(&recorder.owner, &id).await;
        assert_eq!(status, 404, "{answer}");
        let (status, answer) = recorder.delete(&recorder.admin, &id).await;
        assert_eq!(status, 204, "{answer}");
        let (status, _) = recorder.get(&recorder.admin, ONE, &id).await;
        assert_eq!(status, 404);
    }
);

per_backend!(
    an_egress_that_does_not_start_answers_502_and_frees_the_room,
    |recorder: Recorder| async move {
        let slug = recorder.room.slug.clone();
        recorder
            .app
            .livekit
            .fail_next("StartRoomCompositeEgress", "unavailable", 503);
        let (status, answer) = recorder
            .post(
                &recorder.owner,
                START,
                Some(json!({"mode": "screen_recording"})),
            )
            .await;
        assert_eq!(status, 502, "{answer}");
        assert_eq!(
            answer["detail"],
            format!("Recording failed to start for room {slug}")
        );
        let (_, mine) = recorder.get(&recorder.owner, LIST, "").await;
        assert_eq!(mine["results"][0]["status"], "failed_to_start");
        let (status, answer) = recorder
            .post(
                &recorder.owner,
                START,
                Some(json!({"mode": "screen_recording"})),
            )
            .await;
        assert_eq!(status, 201, "{answer}");

        // LiveKit unreachable when stopping: 502, and the recording stays active to stop again.
        recorder
            .app
            .livekit
            .fail_next("StopEgress", "unavailable", 503);
        let (status, answer) = recorder.post(&recorder.owner, STOP, None).await;
        assert_eq!(status, 502, "{answer}");
        let (_, mine) = recorder.get(&recorder.owner, LIST, "").await;
        assert_eq!(mine["results"][0]["status"], "active");
        let (status, answer) = recorder.post(&recorder.owner, STOP, None).await;
        assert_eq!(status, 200, "{answer}");
    }
);

#[tokio::test]
async fn with_recording_off_every_recording_route_is_404_and_config_says_so() {
    let app = spawn_app().await;
    let spec = ApiSpec::fetch(&app).await;
    let owner = app.user("owner-sub").await;
    let room = registered_room(&app.database.store, &owner, "Weekly", AccessLevel::Public).await;
    let client = app.client_for(&owner).await;
    for (method, template) in [
        ("post", START),
        ("post", STOP),
        ("get", LIST),
        ("get", ONE),
        ("delete", ONE),
    ] {
        let path = template.replace("{id}", &room.slug).replace(
            "recordings/{id}",
            "recordings/00000000-0000-4000-8000-000000000000",
        );
        let request = client.request(
            method.to_uppercase().parse().expect("method"),
            app.url(&path),
        );
        let request = if method == "post" {
            request.json(&json!({"mode": "screen_recording"}))
        } else {
            request
        };
        let (status, answer) = call(&spec, method, template, request).await;
        assert_eq!(status, 404, "{method} {path}: {answer}");
    }
    let config = crate::helpers::get_json(&browser(), app.url("/api/v1.0/config/")).await;
    assert_eq!(
        config["recording"],
        json!({"is_enabled": false, "available_modes": [], "expiration_days": null, "max_duration": null})
    );
}

per_backend!(
    the_config_reports_the_modes_and_limits,
    |recorder: Recorder| async move {
        let config =
            crate::helpers::get_json(&browser(), recorder.app.url("/api/v1.0/config/")).await;
        assert_eq!(
            config["recording"],
            json!({
                "is_enabled": true,
                "available_modes": ["screen_recording", "transcript"],
                "expiration_days": 7,
                "max_duration": 3_600_000
            })
        );
    }
);

const WEBHOOK: &str = "/api/v1.0/rooms/webhooks-livekit/";

impl Recorder {
    /// The recording the owner's browser lists first, as the API shows it.
    async fn latest(&self, client: &reqwest::Client) -> Value {
        let (_, list) = self.get(client, LIST, "").await;
        list["results"][0].clone()
    }

    /// The LiveKit room's metadata on the stand-in, as JSON.
    fn metadata(&self) -> Value {
        let room = self
            .app
            .livekit
            .room(&self.room.livekit_name())
            .expect("room runs");
        serde_json::from_str(&room.metadata).unwrap_or(Value::Null)
    }

    /// The stand-in's webhook event `name` for the latest egress, with `status`.
    fn event(&self, name: &str, status: EgressStatus) -> proto::WebhookEvent {
        self.app
            .livekit
            .webhook_events()
            .into_iter()
            .rev()
            .find(|event| {
                event.event == name
                    && event
                        .egress_info
                        .as_ref()
                        .is_some_and(|info| info.status == status as i32)
            })
            .expect("the stand-in sent it")
    }

    async fn deliver(&self, event: &proto::WebhookEvent) -> u16 {
        meet_livekit_standin::webhook::send_webhook(
            &self.app.url(WEBHOOK),
            "devkey",
            "secret",
            event,
        )
        .await
        .expect("delivered")
        .as_u16()
    }
}

per_backend!(
    egress_webhooks_move_the_recording_once_and_tell_the_meeting,
    |recorder: Recorder| async move {
        // The meeting runs on LiveKit, so its metadata and data messages can be read.
        let livekit_room = recorder.room.livekit_name();
        recorder.app.livekit.add_participant(
            &livekit_room,
            "owner-sub",
            "Owner",
            [("room_role", "owner")],
        );
        let (status, answer) = recorder
            .post(
                &recorder.admin,
                START,
                Some(json!({"mode": "screen_recording"})),
            )
            .await;
        assert_eq!(status, 201, "{answer}");
        assert_eq!(recorder.metadata()["recording_status"], "starting");

        // LiveKit says the egress is active: the meeting shows "started".
        let active = recorder.event("egress_updated", EgressStatus::EgressActive);
        assert_eq!(recorder.deliver(&active).await, 200);
        assert_eq!(recorder.metadata()["recording_status"], "started");
        assert_eq!(recorder.metadata()["recording_mode"], "screen_recording");

        // From now on the stand-in posts its webhooks to Meet as they happen: stopping ends the
        // egress (ending, then complete), and the recording is saved.
        recorder
            .app
            .livekit
            .set_webhook_url(Some(&recorder.app.url(WEBHOOK)));
        let (status, answer) = recorder.post(&recorder.admin, STOP, None).await;
        assert_eq!(status, 200, "{answer}");
        recorder.app.livekit.flush_webhooks().await;
        let saved = recorder.latest(&recorder.admin).await;
        assert_eq!(saved["status"], "notification_succeeded", "{saved}");
        assert!(
            recorder.metadata().get("recording_status").is_none(),
            "{}",
            recorder.metadata()
        );

        // The same event again (a replay, or LiveKit sending twice) changes nothing.
        let ended = recorder.event("egress_ended", EgressStatus::EgressComplete);
        assert_eq!(recorder.deliver(&ended).await, 200);
        assert_eq!(recorder.latest(&recorder.admin).await, saved);
        recorder.app.livekit.set_webhook_url(None);

        // A recording that reaches its time limit stops, the meeting is told once, and it is
        // saved.
        let (status, _) = recorder
            .post(&recorder.owner, START, Some(json!({"mode": "transcript"})))
            .await;
        assert_eq!(status, 201);
        let egress_id = recorder.app.livekit.egresses()[1].egress_id.clone();
        recorder
            .app
            .livekit
            .end_egress(&egress_id, EgressStatus::EgressLimitReached)
            .expect("ended");
        let limit = recorder.event("egress_ended", EgressStatus::EgressLimitReached);
        assert_eq!(recorder.deliver(&limit).await, 200);
        assert_eq!(recorder.deliver(&limit).await, 200);
        let transcript = recorder.latest(&recorder.owner).await;
        assert_eq!(transcript["status"], "saved", "{transcript}");
        let told: Vec<String> = recorder
            .app
            .livekit
            .sent_data()
            .into_iter()
            .map(|sent| String::from_utf8_lossy(&sent.data).into_owned())
            .filter(|text| text.contains("LimitReached"))
            .collect();
        assert_eq!(told, [r#"{"type":"transcriptionLimitReached"}"#]);

        // An egress that fails leaves the recording aborted (never active forever).
        let (status, _) = recorder
            .post(&recorder.owner, START, Some(json!({"mode": "transcript"})))
            .await;
        assert_eq!(status, 201);
        let egress_id = recorder.app.livekit.egresses()[2].egress_id.clone();
        recorder
            .app
            .livekit
            .end_egress(&egress_id, EgressStatus::EgressFailed)
            .expect("failed");
        let failed = recorder.event("egress_ended", EgressStatus::EgressFailed);
        assert_eq!(recorder.deliver(&failed).await, 200);
        assert_eq!(recorder.latest(&recorder.owner).await["status"], "aborted");
    }
);

per_backend!(
    webhooks_not_signed_by_livekit_change_nothing,
    |recorder: Recorder| async move {
        let (status, _) = recorder
            .post(
                &recorder.owner,
                START,
                Some(json!({"mode": "screen_recording"})),
            )
            .await;
        assert_eq!(status, 201);
        let egress_id = recorder.app.livekit.egresses()[0].egress_id.clone();
        recorder
            .app
            .livekit
            .end_egress(&egress_id, EgressStatus::EgressComplete)
            .expect("ended");
        let ended = recorder.event("egress_ended", EgressStatus::EgressComplete);
        let body = meet_livekit_standin::webhook::webhook_body(&ended).expect("body");
        let url = recorder.app.url(WEBHOOK);
        let post = |authorization: String, body: String| {
            let url = url.clone();
            async move {
                let response = reqwest::Client::new()
                    .post(url)
                    .header("content-type", "application/webhook+json")
                    .header("authorization", authorization)
                    .body(body)
                    .send()
                    .await
                    .expect("sent");
                let status = response.status().as_u16();
                (status, response.json::<Value>().await.expect("JSON"))
            }
        };
        let signed =
            meet_livekit_standin::webhook::sign_webhook("devkey", "secret", &body).expect("signed");
        let forged = meet_livekit_standin::webhook::sign_webhook("devkey", "not-the-secret", &body)
            .expect("signed");
        let other_body = body.replace("EGRESS_COMPLETE", "EGRESS_FAILED");
        for (authorization, body, why) in [
            (String::new(), body.clone(), "no signature"),
            (forged, body.clone(), "another secret"),
            (
                signed.clone(),
                other_body,
                "a body that is not the one signed",
            ),
            ("Bearer x.y.z".to_owned(), body.clone(), "garbage"),
        ] {
            let (status, answer) = post(authorization, body).await;
            assert_eq!(status, 401, "{why}: {answer}");
            assert_eq!(answer["status"], "error");
        }
        assert_eq!(
            recorder.latest(&recorder.owner).await["status"],
            "active",
            "nothing changed"
        );

        // Signed but not an event Meet can read: 400; an event LiveKit does not send: 422; an
        // egress Meet does not know: 500, so that LiveKit tries again.
        for (body, expected) in [
            ("[1, 2]".to_owned(), 400),
            (r#"{"event": "meeting_exploded", "id": "EV_1"}"#.to_owned(), 422),
            (r#"{"event": "egress_ended", "egressInfo": {"egressId": "EG_nobody", "status": "EGRESS_COMPLETE"}}"#.to_owned(), 500),
            (r#"{"event": "egress_ended", "egressInfo": {"egressId": "EG_x", "status": "EGRESS_NEW"}}"#.to_owned(), 400),
            (r#"{"event": "participant_joined", "room": {"name": "x"}}"#.to_owned(), 200),
        ] {
            let token = meet_livekit_standin::webhook::sign_webhook("devkey", "secret", &body).expect("signed");
            let (status, answer) = post(token, body.clone()).await;
            assert_eq!(status, expected, "{body}: {answer}");
        }
        assert_eq!(
            recorder.latest(&recorder.owner).await["status"],
            "active",
            "nothing changed"
        );

        // The genuine event, signed as LiveKit signs it, is applied.
        let (status, answer) = post(signed, body).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(
            recorder.latest(&recorder.owner).await["status"],
            "notification_succeeded"
        );
    }
);

per_backend!(
    a_meet_started_again_settles_what_happened_while_it_was_down,
    |recorder: Recorder| async move {
        // Two recordings run; Meet goes down; meanwhile one egress completes (its file
        // written) and the other disappears without a file. No webhook reaches anyone.
        let other = registered_room(
            &recorder.app.database.store,
            &recorder.owner_user,
            "Other room",
            AccessLevel::Public,
        )
        .await;
        let (status, _) = recorder
            .post(
                &recorder.owner,
                START,
                Some(json!({"mode": "screen_recording"})),
            )
            .await;
        assert_eq!(status, 201);
        let request = recorder
            .owner
            .post(recorder.app.url(&START.replace("{id}", &other.slug)))
            .json(&json!({"mode": "transcript"}));
        let (status, answer) = call(&recorder.spec, "post", START, request).await;
        assert_eq!(status, 201, "{answer}");
        let (_, mine) = recorder.get(&recorder.owner, LIST, "").await;
        let transcript = mine["results"][0]["id"].as_str().expect("id").to_owned();
        let screen = mine["results"][1]["id"].as_str().expect("id").to_owned();
        let egresses = recorder.egresses();
        recorder
            .app
            .livekit
            .end_egress(&egresses[0].egress_id, EgressStatus::EgressComplete)
            .expect("complete");
        std::fs::remove_file(
            recorder
                .media
                .path()
                .join(format!("recordings/{transcript}.ogg")),
        )
        .ok();
        recorder
            .app
            .livekit
            .end_egress(&egresses[1].egress_id, EgressStatus::EgressFailed)
            .expect("failed");

        // Meet starts again (another instance on the same database and LiveKit): it settles both
        // on its own.
        let livekit_url = recorder.app.livekit.url();
        let media = recorder.media.path().to_owned();
        let restarted = spawn_app_with(AppOptions {
            database: Some(recorder.app.database.another_instance().await),
            configure: Box::new(move |config| {
                config.recording.recording_enable = true;
                config.recording.recording_storage_folder = media;
                config.rooms.livekit_api_url = Some(livekit_url);
            }),
            ..AppOptions::default()
        })
        .await
        .expect("started again");
        let owner = restarted.client_for(&recorder.owner_user).await;
        let status_of = |id: String| {
            let owner = owner.clone();
            let url = restarted.url(&ONE.replace("{id}", &id));
            async move { crate::helpers::get_json(&owner, url).await["status"].clone() }
        };
        meet_domain::testing::eventually("both recordings are settled", || async {
            status_of(screen.clone()).await == "notification_succeeded"
                && status_of(transcript.clone()).await == "aborted"
        })
        .await;
    }
);

per_backend!(
    owners_download_a_saved_recording_and_nobody_else_does,
    |recorder: Recorder| async move {
        recorder
            .app
            .livekit
            .set_webhook_url(Some(&recorder.app.url(WEBHOOK)));
        let (status, _) = recorder
            .post(
                &recorder.admin,
                START,
                Some(json!({"mode": "screen_recording"})),
            )
            .await;
        assert_eq!(status, 201);
        let id = recorder.latest(&recorder.admin).await["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let file = |extension: &str| {
            recorder
                .app
                .url(&format!("/media/recordings/{id}.{extension}"))
        };
        let fetch = |client: reqwest::Client, url: String| async move {
            let response = client.get(url).send().await.expect("answer");
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            (status, headers, response.bytes().await.expect("body"))
        };
        let (status, _, body) = fetch(recorder.admin.clone(), file("mp4")).await;
        assert_eq!(status, 404, "not ready while recording");
        assert_eq!(&body[..], b"This recording is not ready yet.");
        let page_url = recorder.app.url(&format!("/recording/{id}"));
        let page = |client: reqwest::Client| {
            let page_url = page_url.clone();
            async move {
                let response = client.get(page_url).send().await.expect("page");
                crate::helpers::html(response).await
            }
        };
        let html = page(recorder.admin.clone()).await;
        assert!(
            html.contains("This meeting is still being recorded."),
            "{html}"
        );
        assert!(!html.contains("/media/recordings/"), "no download yet");

        let (status, _) = recorder.post(&recorder.admin, STOP, None).await;
        assert_eq!(status, 200);
        recorder.app.livekit.flush_webhooks().await;
        assert_eq!(
            recorder.latest(&recorder.admin).await["status"],
            "notification_succeeded"
        );

        let (status, headers, body) = fetch(recorder.admin.clone(), file("mp4")).await;
        assert_eq!(status, 200);
        assert_eq!(&body[..], meet_livekit_standin::RECORDING_FILE_CONTENT);
        assert_eq!(headers["content-type"], "video/mp4");
        assert_eq!(headers["cache-control"], "private, no-store");
        let disposition = headers["content-disposition"].to_str().expect("ASCII");
        assert!(
            disposition.starts_with(&format!(
                "attachment; filename=\"meet-{}-",
                recorder.room.slug
            )) && disposition.ends_with(".mp4\""),
            "{disposition}"
        );

        // The recording page offers the download to its owner, and to nobody else.
        let html = page(recorder.admin.clone()).await;
        assert!(
            html.contains(&format!("href=\"/media/recordings/{id}.mp4\"")),
            "{html}"
        );
        assert!(html.contains("Ready. You can download it until"), "{html}");
        assert!(html.contains("Weekly sync"), "{html}");
        let html = page(browser()).await;
        assert!(html.contains("Log in to see this recording"), "{html}");
        for client in [recorder.owner.clone(), recorder.member.clone()] {
            let html = page(client).await;
            assert!(html.contains("Recording not found"), "{html}");
            assert!(!html.contains("/media/recordings/"), "{html}");
        }
        let html = page(recorder.admin.clone()).await;
        assert!(!html.contains("Recording not found"));
        let response = recorder
            .admin
            .get(recorder.app.url("/recording/not-an-id"))
            .send()
            .await
            .expect("page");
        assert!(
            crate::helpers::html(response)
                .await
                .contains("Recording not found")
        );

        // Visitors log in first; anyone else, the room's owner included, finds nothing.
        let (status, _, _) = fetch(browser(), file("mp4")).await;
        assert_eq!(status, 401);
        for client in [
            recorder.owner.clone(),
            recorder.member.clone(),
            recorder.stranger.clone(),
        ] {
            let (status, _, body) = fetch(client, file("mp4")).await;
            assert_eq!(status, 404, "{body:?}");
        }
        for wrong in [
            file("ogg"),
            file("mp4/"),
            recorder.app.url("/media/recordings/not-an-id.mp4"),
        ] {
            let (status, _, _) = fetch(recorder.admin.clone(), wrong.clone()).await;
            assert_eq!(status, 404, "{wrong}");
        }
    }
);

impl Recorder {
    /// Calls the meeting's server function `recordings/{action}` for this room as `client`.
    async fn in_meeting(
        &self,
        client: &reqwest::Client,
        action: &str,
        form: &[(&str, &str)],
    ) -> (u16, Value) {
        let mut fields = vec![("key", self.room.slug.as_str())];
        fields.extend_from_slice(form);
        crate::helpers::call_server_fn(
            &self.app,
            client,
            &format!("/api/recordings/{action}"),
            &fields,
        )
        .await
    }
}

per_backend!(
    the_meetings_record_and_transcribe_buttons_work_for_hosts_only,
    |recorder: Recorder| async move {
        recorder.app.livekit.add_participant(
            &recorder.room.livekit_name(),
            "owner-sub",
            "Owner",
            [("room_role", "owner")],
        );
        // What "More tools" offers: the modes and limits to all, the buttons to hosts.
        let (status, tools) = recorder.in_meeting(&recorder.admin, "tools", &[]).await;
        assert_eq!(status, 200, "{tools}");
        assert_eq!(
            tools,
            json!({
                "modes": ["screen_recording", "transcript"],
                "may_record": true,
                "expiration_days": 7,
                "max_minutes": 60
            })
        );
        for client in [
            recorder.member.clone(),
            recorder.stranger.clone(),
            browser(),
        ] {
            let (status, tools) = recorder.in_meeting(&client, "tools", &[]).await;
            assert_eq!(status, 200, "{tools}");
            assert_eq!(tools["may_record"], false);
            assert_eq!(tools["modes"], json!(["screen_recording", "transcript"]));
        }

        // Only hosts start, and a refused start leaves nothing behind.
        let screen = [("mode", "screen_recording")];
        for (client, status) in [
            (recorder.member.clone(), 403),
            (recorder.stranger.clone(), 403),
            (browser(), 401),
        ] {
            let (answer, body) = recorder.in_meeting(&client, "start", &screen).await;
            assert_eq!(answer, status, "{body}");
        }
        assert!(recorder.egresses().is_empty());
        let (status, body) = recorder
            .in_meeting(&recorder.admin, "start", &[("mode", "podcast")])
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(recorder.egresses().is_empty());

        let (status, body) = recorder.in_meeting(&recorder.admin, "start", &screen).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(recorder.egresses().len(), 1);
        assert_eq!(recorder.metadata()["recording_status"], "starting");
        // A second one, in the other mode too, is refused in words a host understands.
        let transcript = [("mode", "transcript")];
        let (status, body) = recorder
            .in_meeting(&recorder.owner, "start", &transcript)
            .await;
        assert_eq!(status, 409, "{body}");
        assert!(
            body.to_string()
                .contains("A recording is already running in this meeting."),
            "{body}"
        );

        // Stop: hosts only, then nothing left to stop.
        for client in [recorder.member.clone(), browser()] {
            let (status, _) = recorder.in_meeting(&client, "stop", &[]).await;
            assert!(matches!(status, 401 | 403));
        }
        assert_eq!(recorder.latest(&recorder.admin).await["status"], "active");
        let (status, body) = recorder.in_meeting(&recorder.owner, "stop", &[]).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(recorder.latest(&recorder.admin).await["status"], "stopped");
        let (status, body) = recorder.in_meeting(&recorder.owner, "stop", &[]).await;
        assert_eq!(status, 404, "{body}");
        assert!(
            body.to_string()
                .contains("Nothing is being recorded in this meeting."),
            "{body}"
        );
    }
);

#[tokio::test]
async fn with_recording_off_the_meeting_offers_no_recording() {
    let app = spawn_app().await;
    let owner = app.user("owner-sub").await;
    let room = registered_room(&app.database.store, &owner, "Standup", AccessLevel::Public).await;
    let client = app.client_for(&owner).await;
    let (status, tools) = crate::helpers::call_server_fn(
        &app,
        &client,
        "/api/recordings/tools",
        &[("key", room.slug.as_str())],
    )
    .await;
    assert_eq!(status, 200, "{tools}");
    assert_eq!(tools["modes"], json!([]));
    let (status, _) = crate::helpers::call_server_fn(
        &app,
        &client,
        "/api/recordings/start",
        &[("key", room.slug.as_str()), ("mode", "screen_recording")],
    )
    .await;
    assert_eq!(status, 404);
}

//! Recording: the mediator with a fake worker and a fake LiveKit passed in (never patched), and
//! the operations hosts and owners use. On SQLite and PostgreSQL.

#![expect(clippy::expect_used, reason = "test helpers fail the test loudly")]

use std::sync::Arc;

use meet_domain::livekit::rooms::LiveKitRooms;
use meet_domain::moderation;
use meet_domain::notifier::Notifier;
use meet_domain::per_backend;
use meet_domain::recording::{
    self, MediatorError, RecordingError, StartRequest, StopOutcome, WorkerError, queries,
};
use meet_domain::testing::{
    FakeLiveKit, FakeWorker, TestDatabase, recordings_with, registered_room, room_settings, user,
};
use meet_domain::{DomainError, Requester, Services};
use meet_types::{AccessLevel, RecordingMode, RecordingStatus};
use serde_json::{Value, json};

/// Services with recording on, recorded by `worker`, calling `livekit`, files in a folder of
/// the system's temporary one.
fn services_with(
    database: &TestDatabase,
    livekit: Arc<dyn LiveKitRooms>,
    worker: Arc<FakeWorker>,
) -> Services {
    let media = std::env::temp_dir().join(format!("meet-media-{}", uuid::Uuid::new_v4()));
    services_in(database, livekit, worker, &media)
}

fn services_in(
    database: &TestDatabase,
    livekit: Arc<dyn LiveKitRooms>,
    worker: Arc<FakeWorker>,
    media: &std::path::Path,
) -> Services {
    Services::builder(database.store.clone(), room_settings(), livekit)
        .notifier(Notifier::in_process())
        .recordings(recordings_with(worker, media))
        .build()
}

fn screen_recording() -> StartRequest {
    StartRequest {
        mode: RecordingMode::ScreenRecording,
        options: Default::default(),
    }
}

/// The metadata patches LiveKit was asked to merge, as JSON.
fn merges(livekit: &FakeLiveKit) -> Vec<Value> {
    livekit
        .merges
        .lock()
        .expect("lock")
        .iter()
        .map(|(_, patch)| Value::Object(patch.clone()))
        .collect()
}

per_backend!(
    start_then_stop_moves_the_status_and_tells_the_meeting,
    |database: TestDatabase| async move {
        let livekit = Arc::new(FakeLiveKit::default());
        let worker = Arc::new(FakeWorker::default());
        let services = services_with(&database, livekit.clone(), worker.clone());
        let owner = user(&database.store, "owner").await;
        let room = registered_room(&database.store, &owner, "Weekly", AccessLevel::Public).await;
        livekit
            .running
            .lock()
            .expect("lock")
            .insert(room.livekit_name());
        let mediator = recording::mediator(&services).expect("on");

        let active = mediator
            .start(&room, &screen_recording(), owner.id)
            .await
            .expect("started");
        assert_eq!(active.status, RecordingStatus::Active);
        assert_eq!(active.worker_id.as_deref(), Some("EG_1"));
        assert_eq!(
            *worker.starts.lock().expect("lock"),
            [(room.livekit_name(), active.id)]
        );
        let role = queries::role_of(&database.store, active.id, owner.id)
            .await
            .expect("role");
        assert_eq!(role, Some(meet_types::Role::Owner));
        assert_eq!(
            merges(&livekit),
            [json!({"recording_mode": "screen_recording", "recording_status": "starting"})]
        );

        let stopped = mediator.stop(&active, &room).await.expect("stopped");
        assert_eq!(stopped.status, RecordingStatus::Stopped);
        assert_eq!(*worker.stops.lock().expect("lock"), ["EG_1"]);
        assert_eq!(
            merges(&livekit).len(),
            1,
            "the worker's report says \"saving\""
        );
        // Stopping again is refused without asking the worker.
        let error = mediator
            .stop(&stopped, &room)
            .await
            .expect_err("not active");
        assert!(matches!(
            error,
            MediatorError::WrongStatus(RecordingStatus::Stopped)
        ));
        assert_eq!(worker.stops.lock().expect("lock").len(), 1);
    }
);

per_backend!(
    a_worker_that_does_not_start_leaves_failed_to_start_and_frees_the_room,
    |database: TestDatabase| async move {
        let livekit = Arc::new(FakeLiveKit::default());
        let worker = Arc::new(FakeWorker::default());
        let services = services_with(&database, livekit.clone(), worker.clone());
        let owner = user(&database.store, "owner").await;
        let room = registered_room(&database.store, &owner, "Weekly", AccessLevel::Public).await;
        let mediator = recording::mediator(&services).expect("on");

        *worker.start_error.lock().expect("lock") =
            Some(WorkerError::Connection("refused".to_owned()));
        let error = mediator
            .start(&room, &screen_recording(), owner.id)
            .await
            .expect_err("failed");
        assert!(matches!(error, MediatorError::StartFailed(_)), "{error:?}");
        let (listed, count) = queries::list_for_user(&database.store, owner.id, 10, 0)
            .await
            .expect("list");
        assert_eq!(count, 1);
        assert_eq!(listed[0].recording.status, RecordingStatus::FailedToStart);
        assert_eq!(
            merges(&livekit),
            [
                json!({"recording_mode": "screen_recording", "recording_status": "starting"}),
                json!({"recording_mode": null, "recording_status": null})
            ],
            "a start that failed is taken back"
        );

        // The room may be recorded again.
        *worker.start_error.lock().expect("lock") = None;
        let active = mediator
            .start(&room, &screen_recording(), owner.id)
            .await
            .expect("started");
        assert_eq!(active.status, RecordingStatus::Active);
    }
);

per_backend!(
    each_stop_answer_has_its_status,
    |database: TestDatabase| async move {
        let livekit = Arc::new(FakeLiveKit::default());
        let worker = Arc::new(FakeWorker::default());
        let services = services_with(&database, livekit.clone(), worker.clone());
        let owner = user(&database.store, "owner").await;
        let room = registered_room(&database.store, &owner, "Weekly", AccessLevel::Public).await;
        let mediator = recording::mediator(&services).expect("on");

        for (answer, status) in [
            (Ok(StopOutcome::Aborted), RecordingStatus::Aborted),
            (Ok(StopOutcome::FailedToStop), RecordingStatus::FailedToStop),
            (
                Err(WorkerError::Request("failed_precondition".to_owned())),
                RecordingStatus::FailedToStop,
            ),
        ] {
            let active = mediator
                .start(&room, &screen_recording(), owner.id)
                .await
                .expect("started");
            *worker.stop_answer.lock().expect("lock") = Some(answer.clone());
            let outcome = mediator.stop(&active, &room).await;
            let stored = queries::find(&database.store, active.id)
                .await
                .expect("find")
                .expect("kept");
            assert_eq!(stored.status, status, "{answer:?}");
            match status {
                RecordingStatus::Aborted => assert_eq!(outcome.expect("aborted").status, status),
                _ => assert!(
                    matches!(outcome, Err(MediatorError::StopFailed(_))),
                    "{outcome:?}"
                ),
            }
        }
        // An aborted recording takes its state off the meeting's metadata.
        assert!(
            merges(&livekit).contains(&json!({"recording_mode": null, "recording_status": null}))
        );

        // A worker that cannot be reached changes nothing: the host may ask again.
        let active = mediator
            .start(&room, &screen_recording(), owner.id)
            .await
            .expect("started");
        *worker.stop_answer.lock().expect("lock") =
            Some(Err(WorkerError::Connection("timed out".to_owned())));
        let error = mediator
            .stop(&active, &room)
            .await
            .expect_err("unreachable");
        assert!(
            matches!(error, MediatorError::WorkerUnreachable(_)),
            "{error:?}"
        );
        let stored = queries::find(&database.store, active.id)
            .await
            .expect("find")
            .expect("kept");
        assert_eq!(stored.status, RecordingStatus::Active);
        *worker.stop_answer.lock().expect("lock") = None;
        assert_eq!(
            mediator.stop(&stored, &room).await.expect("stopped").status,
            RecordingStatus::Stopped
        );
    }
);

per_backend!(
    a_stale_view_of_a_recording_changes_nothing_twice,
    |database: TestDatabase| async move {
        let livekit = Arc::new(FakeLiveKit::default());
        let worker = Arc::new(FakeWorker::default());
        let services = services_with(&database, livekit.clone(), worker.clone());
        let owner = user(&database.store, "owner").await;
        let room = registered_room(&database.store, &owner, "Weekly", AccessLevel::Public).await;
        let mediator = recording::mediator(&services).expect("on");
        let active = mediator
            .start(&room, &screen_recording(), owner.id)
            .await
            .expect("started");
        let stopped = mediator.stop(&active, &room).await.expect("stopped");
        // A second host stopping from what they read before: the worker answers, but the
        // recording stays as the first stop left it.
        *worker.stop_answer.lock().expect("lock") = Some(Ok(StopOutcome::Aborted));
        let again = mediator.stop(&active, &room).await.expect("as it is");
        assert_eq!(again.status, RecordingStatus::Stopped);
        assert_eq!(again.updated_at, stopped.updated_at);
    }
);

per_backend!(
    of_concurrent_starts_in_one_room_exactly_one_wins,
    |database: TestDatabase| async move {
        let livekit = Arc::new(FakeLiveKit::default());
        let worker = Arc::new(FakeWorker::default());
        let services = services_with(&database, livekit.clone(), worker.clone());
        let owner = user(&database.store, "owner").await;
        let room = registered_room(&database.store, &owner, "Weekly", AccessLevel::Public).await;
        let mediator = recording::mediator(&services).expect("on");
        let request = screen_recording();
        let attempts = (0..8).map(|_| mediator.start(&room, &request, owner.id));
        let outcomes = futures_util::future::join_all(attempts).await;
        let won = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
        let conflicts = outcomes
            .iter()
            .filter(|outcome| matches!(outcome, Err(MediatorError::AlreadyRunning)))
            .count();
        assert_eq!((won, conflicts), (1, 7), "{outcomes:?}");
        assert_eq!(
            worker.starts.lock().expect("lock").len(),
            1,
            "losers start no worker"
        );
        let (_, count) = queries::list_for_user(&database.store, owner.id, 10, 0)
            .await
            .expect("list");
        assert_eq!(count, 1, "losers leave nothing behind");
    }
);

per_backend!(
    only_hosts_start_and_stop_and_only_owners_see_recordings,
    |database: TestDatabase| async move {
        let livekit = Arc::new(FakeLiveKit::default());
        let worker = Arc::new(FakeWorker::default());
        let services = services_with(&database, livekit.clone(), worker.clone());
        let owner = user(&database.store, "owner").await;
        let stranger = user(&database.store, "stranger").await;
        let room = registered_room(&database.store, &owner, "Weekly", AccessLevel::Public).await;
        let key = room.slug.clone();
        let body = json!({"mode": "transcript", "options": {"language": "fr"}});

        for (requester, refused) in [
            (Requester::default(), "Unauthenticated"),
            (Requester::user(&stranger), "Forbidden"),
        ] {
            let error = moderation::moderator(&services, &requester, &key)
                .await
                .expect_err("refused");
            assert!(format!("{error:?}").starts_with(refused), "{error:?}");
        }
        let host = moderation::moderator(&services, &Requester::user(&owner), &key)
            .await
            .expect("owner");
        let error = recording::start(&services, &host, &json!({"mode": "podcast"}))
            .await
            .expect_err("bad mode");
        assert!(matches!(
            error,
            RecordingError::Domain(DomainError::Invalid(_))
        ));
        assert!(
            worker.starts.lock().expect("lock").is_empty(),
            "refusals start nothing"
        );
        let error = recording::stop(&services, &host)
            .await
            .expect_err("nothing running");
        assert!(matches!(error, RecordingError::NoActiveRecording));

        let started = recording::start(&services, &host, &body)
            .await
            .expect("started");
        assert_eq!(started.mode, RecordingMode::Transcript);
        assert_eq!(started.options.0.language.as_deref(), Some("fr"));

        // The owner sees it; a stranger is not told it exists; it cannot be deleted running.
        let seen = recording::retrieve(&services, &Requester::user(&owner), started.id)
            .await
            .expect("owner sees it");
        assert_eq!(seen.room_slug, room.slug);
        let error = recording::retrieve(&services, &Requester::user(&stranger), started.id)
            .await
            .expect_err("stranger");
        assert!(matches!(error, DomainError::NotFound));
        let (mine, _) = recording::list(&services, &Requester::user(&stranger), 10, 0)
            .await
            .expect("list");
        assert!(mine.is_empty());
        let error = recording::delete(&services, &Requester::user(&owner), started.id)
            .await
            .expect_err("running");
        assert!(matches!(error, DomainError::Forbidden(_)));

        let stopped = recording::stop(&services, &host).await.expect("stopped");
        assert_eq!(stopped.status, RecordingStatus::Stopped);
        recording::delete(&services, &Requester::user(&owner), started.id)
            .await
            .expect("deleted once over");
        assert!(
            queries::find(&database.store, started.id)
                .await
                .expect("find")
                .is_none()
        );
    }
);

per_backend!(
    with_recording_off_nothing_exists,
    |database: TestDatabase| async move {
        let services = Services::builder(
            database.store.clone(),
            room_settings(),
            Arc::new(FakeLiveKit::default()),
        )
        .notifier(Notifier::in_process())
        .build();
        let owner = user(&database.store, "owner").await;
        let room = registered_room(&database.store, &owner, "Weekly", AccessLevel::Public).await;
        let host = moderation::moderator(&services, &Requester::user(&owner), &room.slug)
            .await
            .expect("owner");
        let error = recording::start(&services, &host, &json!({"mode": "screen_recording"}))
            .await
            .expect_err("off");
        assert!(matches!(
            error,
            RecordingError::Domain(DomainError::NotFound)
        ));
        let error = recording::list(&services, &Requester::user(&owner), 10, 0)
            .await
            .expect_err("off");
        assert!(matches!(error, DomainError::NotFound));
    }
);

per_backend!(
    the_reconciler_settles_what_the_webhooks_missed,
    |database: TestDatabase| async move {
        use meet_domain::recording::WorkerState;
        let media = tempfile::tempdir().expect("media");
        let livekit = Arc::new(FakeLiveKit::default());
        let worker = Arc::new(FakeWorker::default());
        let services = services_in(&database, livekit.clone(), worker.clone(), media.path());
        let owner = user(&database.store, "owner").await;
        let mediator = recording::mediator(&services).expect("on");

        // One room per case: (what the worker says, whether the file is there, stopped first).
        let cases = [
            (
                Some(WorkerState::Complete),
                true,
                false,
                RecordingStatus::NotificationSucceeded,
            ),
            (
                Some(WorkerState::Complete),
                false,
                false,
                RecordingStatus::Aborted,
            ),
            (
                Some(WorkerState::LimitReached),
                true,
                false,
                RecordingStatus::NotificationSucceeded,
            ),
            (None, true, true, RecordingStatus::NotificationSucceeded),
            (None, false, false, RecordingStatus::Aborted),
            (
                Some(WorkerState::Failed),
                false,
                true,
                RecordingStatus::Aborted,
            ),
            (
                Some(WorkerState::Active),
                false,
                false,
                RecordingStatus::Active,
            ),
            (
                Some(WorkerState::Ending),
                false,
                true,
                RecordingStatus::Stopped,
            ),
        ];
        let mut recordings = Vec::new();
        for (index, (state, file, stop_first, _)) in cases.iter().enumerate() {
            let room = registered_room(
                &database.store,
                &owner,
                &format!("Room {index}"),
                AccessLevel::Public,
            )
            .await;
            let mut started = mediator
                .start(&room, &screen_recording(), owner.id)
                .await
                .expect("started");
            if *stop_first {
                started = mediator.stop(&started, &room).await.expect("stopped");
            }
            let worker_id = started.worker_id.clone().expect("worker");
            if let Some(state) = state {
                worker
                    .reports
                    .lock()
                    .expect("lock")
                    .insert(worker_id, *state);
            }
            if *file {
                let path = media.path().join(format!("recordings/{}.mp4", started.id));
                std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
                std::fs::write(path, b"recording").expect("file");
            }
            recordings.push(started);
        }
        // A start that died half-way: initiated, no worker, three minutes ago.
        let room = registered_room(&database.store, &owner, "Died", AccessLevel::Public).await;
        let stale = queries::insert_with_owner(
            &database.store,
            room.id,
            &screen_recording(),
            owner.id,
            chrono::Utc::now() - chrono::Duration::minutes(3),
        )
        .await
        .expect("inserted");

        // The worker cannot be asked: nothing changes but the stale start.
        *worker.report_error.lock().expect("lock") =
            Some(WorkerError::Connection("down".to_owned()));
        let done = mediator.reconcile().await.expect("reconciled");
        assert_eq!((done.settled, done.unreachable), (1, 8));
        for recording in &recordings {
            let now = queries::find(&database.store, recording.id)
                .await
                .expect("find")
                .expect("kept");
            assert_eq!(now.status, recording.status);
        }
        let stale = queries::find(&database.store, stale.id)
            .await
            .expect("find")
            .expect("kept");
        assert_eq!(stale.status, RecordingStatus::FailedToStart);

        *worker.report_error.lock().expect("lock") = None;
        let done = mediator.reconcile().await.expect("reconciled");
        assert_eq!(done.unreachable, 0);
        for (recording, (state, file, _, expected)) in recordings.iter().zip(cases) {
            let now = queries::find(&database.store, recording.id)
                .await
                .expect("find")
                .expect("kept");
            assert_eq!(
                now.status, expected,
                "worker says {state:?}, file there: {file}"
            );
        }
        // Settled once: a second round changes nothing.
        let again = mediator.reconcile().await.expect("reconciled");
        assert_eq!(again.settled, 0);
    }
);

per_backend!(
    a_saved_recording_is_downloaded_until_it_expires_then_its_file_is_deleted,
    |database: TestDatabase| async move {
        use meet_domain::clock::ManualClock;
        use meet_domain::recording::{Availability, DownloadError, WorkerReport, WorkerState};
        use tokio::io::AsyncReadExt;
        let media = tempfile::tempdir().expect("media");
        let clock = Arc::new(ManualClock::default());
        let worker = Arc::new(FakeWorker::default());
        let services = Services::builder(
            database.store.clone(),
            room_settings(),
            Arc::new(FakeLiveKit::default()),
        )
        .notifier(Notifier::in_process())
        .clock(clock.clone())
        .recordings(recordings_with(worker.clone(), media.path()))
        .build();
        let owner = user(&database.store, "owner").await;
        let other = user(&database.store, "other").await;
        let room = registered_room(&database.store, &owner, "Weekly", AccessLevel::Public).await;
        let mediator = recording::mediator(&services).expect("on");
        let started = mediator
            .start(&room, &screen_recording(), owner.id)
            .await
            .expect("started");
        let as_owner = Requester::user(&owner);

        // Not ready while recording, nor while saving.
        let error = recording::download(&services, &as_owner, started.id)
            .await
            .err()
            .expect("not ready");
        assert!(
            matches!(error, DownloadError::Unavailable(Availability::Recording)),
            "{error:?}"
        );
        let stopped = mediator.stop(&started, &room).await.expect("stopped");
        let path = media.path().join(format!("recordings/{}.mp4", stopped.id));
        std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
        std::fs::write(&path, b"the meeting").expect("file");
        let report = WorkerReport {
            worker_id: stopped.worker_id.clone().expect("worker"),
            state: WorkerState::Complete,
            started_at: None,
            ended_at: None,
        };
        mediator.report(&report).await.expect("saved");

        let (found, mut file) = recording::download(&services, &as_owner, started.id)
            .await
            .expect("ready");
        assert_eq!(
            found.recording.status,
            RecordingStatus::NotificationSucceeded
        );
        let mut body = Vec::new();
        file.body.read_to_end(&mut body).await.expect("read");
        assert_eq!(
            (file.size, body.as_slice()),
            (11, b"the meeting".as_slice())
        );
        let error = recording::download(&services, &Requester::user(&other), started.id)
            .await
            .err()
            .expect("not theirs");
        assert!(
            matches!(error, DownloadError::Domain(DomainError::NotFound)),
            "{error:?}"
        );

        // Nothing expires before its time.
        assert_eq!(
            recording::purge_expired(&services, 10)
                .await
                .expect("purge"),
            0
        );
        clock.advance(std::time::Duration::from_secs(7 * 24 * 3600 + 60));
        let error = recording::download(&services, &as_owner, started.id)
            .await
            .err()
            .expect("expired");
        assert!(
            matches!(error, DownloadError::Unavailable(Availability::Expired)),
            "{error:?}"
        );
        assert_eq!(
            recording::purge_expired(&services, 10)
                .await
                .expect("purge"),
            1
        );
        assert!(!path.exists(), "the expired file is deleted");
        assert_eq!(
            recording::purge_expired(&services, 10)
                .await
                .expect("purge"),
            0
        );
        // The row stays, so its owner is told it expired.
        let kept = recording::retrieve(&services, &as_owner, started.id)
            .await
            .expect("kept");
        assert_eq!(
            kept.recording.status,
            RecordingStatus::NotificationSucceeded
        );
    }
);

per_backend!(
    owners_are_emailed_once_when_their_screen_recording_is_saved,
    |database: TestDatabase| async move {
        use meet_domain::recording::{WorkerReport, WorkerState};
        use meet_domain::testing::FakeMailer;
        let media = tempfile::tempdir().expect("media");
        let mailer = Arc::new(FakeMailer::default());
        let worker = Arc::new(FakeWorker::default());
        let services = Services::builder(
            database.store.clone(),
            room_settings(),
            Arc::new(FakeLiveKit::default()),
        )
        .notifier(Notifier::in_process())
        .mailer(mailer.clone())
        .recordings(recordings_with(worker.clone(), media.path()))
        .build();
        let owner = user(&database.store, "owner").await;
        let room =
            registered_room(&database.store, &owner, "Weekly sync", AccessLevel::Public).await;
        let mediator = recording::mediator(&services).expect("on");
        let complete = |recording: &meet_domain::recording::Recording| WorkerReport {
            worker_id: recording.worker_id.clone().expect("worker"),
            state: WorkerState::Complete,
            started_at: None,
            ended_at: None,
        };

        let started = mediator
            .start(&room, &screen_recording(), owner.id)
            .await
            .expect("started");
        mediator.report(&complete(&started)).await.expect("saved");
        mediator.report(&complete(&started)).await.expect("again");
        let sent = mailer.sent.lock().expect("lock").clone();
        assert_eq!(sent.len(), 1, "told once: {sent:?}");
        assert_eq!(sent[0].to, "owner@example.org");
        assert_eq!(
            sent[0].subject,
            "Your recording of \"Weekly sync\" is ready"
        );
        let link = format!("http://127.0.0.1:8080/recording/{}", started.id);
        assert!(
            sent[0].text.contains(&format!("Download it here: {link}")),
            "{}",
            sent[0].text
        );
        assert!(
            sent[0].text.contains("It is kept until"),
            "{}",
            sent[0].text
        );
        let now = queries::find(&database.store, started.id)
            .await
            .expect("find")
            .expect("kept");
        assert_eq!(now.status, RecordingStatus::NotificationSucceeded);
        assert!(now.notified_at.is_some());

        // In French, in Paris time, for a French owner; a mailer that fails leaves it saved.
        make_french(&services, &owner).await;
        mailer.fail.store(true, std::sync::atomic::Ordering::SeqCst);
        let second = mediator
            .start(&room, &screen_recording(), owner.id)
            .await
            .expect("started");
        mediator.report(&complete(&second)).await.expect("saved");
        let now = queries::find(&database.store, second.id)
            .await
            .expect("find")
            .expect("kept");
        assert_eq!(now.status, RecordingStatus::Saved);
        mailer
            .fail
            .store(false, std::sync::atomic::Ordering::SeqCst);
        let third = mediator
            .start(&room, &screen_recording(), owner.id)
            .await
            .expect("started");
        mediator.report(&complete(&third)).await.expect("saved");
        let sent = mailer.sent.lock().expect("lock").clone();
        let french = sent.last().expect("sent");
        assert_eq!(
            french.subject,
            "Votre enregistrement de « Weekly sync » est prêt"
        );
        assert!(french.text.contains("(Europe/Paris)"), "{}", french.text);

        // A transcript is not emailed (it goes to the summary service).
        let transcript = StartRequest {
            mode: RecordingMode::Transcript,
            options: Default::default(),
        };
        let fourth = mediator
            .start(&room, &transcript, owner.id)
            .await
            .expect("started");
        mediator.report(&complete(&fourth)).await.expect("saved");
        assert_eq!(mailer.sent.lock().expect("lock").len(), 2);
        let now = queries::find(&database.store, fourth.id)
            .await
            .expect("find")
            .expect("kept");
        assert_eq!(now.status, RecordingStatus::Saved);
    }
);

/// Makes the user `owner` French, in Paris (as they would, through their preferences).
async fn make_french(services: &Services, owner: &meet_domain::users::User) {
    let changes = meet_domain::users::preferences::PreferenceChanges {
        language: Some("fr-fr".to_owned()),
        timezone: Some("Europe/Paris".to_owned()),
        ..Default::default()
    };
    meet_domain::users::preferences::change(
        services,
        &Requester::user(owner),
        &owner.id.to_string(),
        changes,
    )
    .await
    .expect("updated");
}

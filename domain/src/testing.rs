//! Fresh, migrated databases for tests: an SQLite file in a temporary folder, or a new database
//! on the PostgreSQL server named by `TEST_POSTGRES_URL`. Each is dropped with its guard.
//!
//! `TEST_POSTGRES_URL` must name a role allowed to create databases, e.g.
//! `postgres://meet:meet@127.0.0.1:5432/meet`. When it is unset, PostgreSQL tests are skipped
//! (and say so); CI always sets it, so there a missing server fails the run.

#![expect(clippy::expect_used, reason = "test helpers fail the test loudly")]

use std::str::FromStr;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, Executor};
use uuid::Uuid;

use crate::store::{Backend, Store};

/// The environment variable naming the PostgreSQL server used by tests.
pub const TEST_POSTGRES_URL: &str = "TEST_POSTGRES_URL";

/// A migrated database that lives as long as this value.
pub struct TestDatabase {
    /// The store over the fresh database.
    pub store: Store,
    /// The URL of the fresh database, for code that opens its own connections.
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[expect(dead_code, reason = "kept alive until drop")] tempfile::TempDir),
    Postgres {
        admin: Box<PgConnectOptions>,
        name: String,
    },
    /// Another's database: it goes with that one.
    None,
}

impl TestDatabase {
    /// A new SQLite database file in its own temporary folder.
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite://{}", dir.path().join("meet.db").display());
        let store = Store::connect(&url).await.expect("open SQLite");
        store.migrate().await.expect("migrate SQLite");
        Self {
            store,
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A new database on the `TEST_POSTGRES_URL` server, or `None` when that variable is unset.
    /// Panics when it is set but the server cannot be used.
    pub async fn postgres() -> Option<Self> {
        let admin_url = std::env::var(TEST_POSTGRES_URL)
            .ok()
            .filter(|url| !url.is_empty())?;
        let admin = PgConnectOptions::from_str(&admin_url).expect("TEST_POSTGRES_URL is a URL");
        let name = format!("meet_test_{}", Uuid::new_v4().simple());
        let mut connection = admin.connect().await.unwrap_or_else(|error| {
            panic!("{TEST_POSTGRES_URL} is set but PostgreSQL is not reachable: {error}")
        });
        connection
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("CREATE DATABASE (the role needs CREATEDB)");
        connection.close().await.expect("close admin connection");

        let url = replace_database(&admin_url, &name);
        let store = Store::connect(&url).await.expect("open PostgreSQL");
        store.migrate().await.expect("migrate PostgreSQL");
        Some(Self {
            store,
            url,
            cleanup: Cleanup::Postgres {
                admin: Box::new(admin),
                name,
            },
        })
    }
}

impl TestDatabase {
    /// The same database through a pool of its own, as another Meet instance sharing it would
    /// open it; it lives as long as `self`, which must outlive it.
    pub async fn another_instance(&self) -> Self {
        Self {
            store: Store::connect(&self.url)
                .await
                .expect("open the database again"),
            url: self.url.clone(),
            cleanup: Cleanup::None,
        }
    }
}

/// `url` with its database name (the path) replaced by `name`, query string kept.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |index| index + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |index| scheme_end + index);
    format!("{}/{name}{query}", &base[..host_end])
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Cleanup::Postgres { admin, name } = &self.cleanup else {
            return;
        };
        // Drop runs outside any runtime guarantee (and maybe while panicking), so the database
        // is dropped from a thread of its own with a runtime of its own. `FORCE` closes the
        // connections the test's pool still holds.
        let admin = PgConnectOptions::clone(admin);
        let statement = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        let outcome = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async move {
                let mut connection = admin.connect().await.map_err(std::io::Error::other)?;
                connection
                    .execute(statement.as_str())
                    .await
                    .map_err(std::io::Error::other)?;
                Ok::<_, std::io::Error>(())
            })
        })
        .join();
        if !matches!(outcome, Ok(Ok(()))) {
            tracing::warn!(database = %name, "could not drop test database");
        }
    }
}

/// Waits until `holds` answers true, checking every 10 ms; panics with `what` after 10 s. For
/// what happens elsewhere in its own time (another instance hearing a change, a request reaching
/// a lock), never to time what Meet does.
pub async fn eventually<F, Fut>(what: &str, mut holds: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !holds().await {
        assert!(
            std::time::Instant::now() < deadline,
            "never happened: {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// What a test builds fresh on one database backend: a [`TestDatabase`] here, a running app in
/// the server's tests. `None` when that backend is not available (PostgreSQL without
/// `TEST_POSTGRES_URL`).
pub trait OnBackend: Sized {
    fn on(backend: Backend) -> impl std::future::Future<Output = Option<Self>>;
}

impl OnBackend for TestDatabase {
    async fn on(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => Some(Self::sqlite().await),
            Backend::Postgres => Self::postgres().await,
        }
    }
}

/// Declares one test per backend, running the same body on a fresh fixture of each (any
/// [`OnBackend`] type):
///
/// ```ignore
/// per_backend!(finds_users_by_sub, |database: TestDatabase| async move { /* … */ });
/// ```
///
/// expands to a module with `sqlite` and `postgres` tests; the latter says it is skipped when
/// `TEST_POSTGRES_URL` is unset.
#[macro_export]
macro_rules! per_backend {
    ($name:ident, |$fixture:ident: $fixture_type:ty| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let $fixture = <$fixture_type as $crate::testing::OnBackend>::on(
                    $crate::store::Backend::Sqlite,
                )
                .await
                .expect("SQLite is always available");
                $body.await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some($fixture) = <$fixture_type as $crate::testing::OnBackend>::on(
                    $crate::store::Backend::Postgres,
                )
                .await
                else {
                    eprintln!("skipped: {} is not set", $crate::testing::TEST_POSTGRES_URL);
                    return;
                };
                $body.await;
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn replaces_only_the_database_name() {
        assert_eq!(
            replace_database("postgres://u:p@127.0.0.1:5432/meet?sslmode=disable", "x"),
            "postgres://u:p@127.0.0.1:5432/x?sslmode=disable"
        );
        assert_eq!(
            replace_database("postgres://u@localhost", "x"),
            "postgres://u@localhost/x"
        );
    }
}

/// A LiveKit that records what it is asked, for domain tests (server tests use the stand-in
/// over HTTP instead).
#[derive(Default)]
pub struct FakeLiveKit {
    /// `(room, patch)` of every metadata merge asked for.
    pub merges: std::sync::Mutex<Vec<(String, serde_json::Map<String, serde_json::Value>)>>,
    /// Rooms running on this LiveKit; others answer "no such room".
    pub running: std::sync::Mutex<std::collections::HashSet<String>>,
    /// `(room, identity)` of the participants connected; others answer "no such participant".
    pub connected: std::sync::Mutex<std::collections::HashSet<(String, String)>>,
    /// `(room, identity, track sid)` of the tracks published; others answer "no such track".
    pub tracks: std::sync::Mutex<std::collections::HashSet<(String, String, String)>>,
    /// Every participant update asked for, found or not.
    pub updates: std::sync::Mutex<Vec<ParticipantUpdate>>,
    /// `(room, data)` of every data message sent, to a running room or not.
    pub sent: std::sync::Mutex<Vec<(String, Vec<u8>)>>,
    /// Every other call that acts on a participant (mute, remove), found or not.
    pub actions: std::sync::Mutex<Vec<ParticipantAction>>,
    /// When set, every call fails as if LiveKit were down.
    pub down: std::sync::atomic::AtomicBool,
    /// When set, participant updates (only) fail as if LiveKit were down.
    pub updates_down: std::sync::atomic::AtomicBool,
    /// `(room, identity)` → the attributes of a connected participant.
    pub attributes: std::sync::Mutex<
        std::collections::HashMap<(String, String), std::collections::HashMap<String, String>>,
    >,
    /// Track sid → its source, for tracks published with [`FakeLiveKit::publish_source`].
    pub sources: std::sync::Mutex<std::collections::HashMap<String, meet_types::TrackSource>>,
}

/// A participant update asked of a [`FakeLiveKit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantUpdate {
    pub room: String,
    pub identity: String,
    pub changes: crate::livekit::rooms::ParticipantChanges,
}

/// A call acting on a participant asked of a [`FakeLiveKit`], besides updates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParticipantAction {
    /// `(room, identity)` asked whether they are connected.
    IsConnected(String, String),
    /// `(room, identity, track sid)` to mute.
    Mute(String, String, String),
    /// `(room, identity)` to remove.
    Remove(String, String),
}

impl FakeLiveKit {
    /// Connects the participant `identity` to `room`.
    pub fn connect(&self, room: &str, identity: &str) {
        self.connected
            .lock()
            .expect("lock")
            .insert((room.to_owned(), identity.to_owned()));
    }

    /// The participant `identity` of `room` publishes the track `sid`.
    pub fn publish(&self, room: &str, identity: &str, sid: &str) {
        self.tracks.lock().expect("lock").insert((
            room.to_owned(),
            identity.to_owned(),
            sid.to_owned(),
        ));
    }

    /// The participant `identity` of `room` publishes the track `sid` from `source`.
    pub fn publish_source(
        &self,
        room: &str,
        identity: &str,
        sid: &str,
        source: meet_types::TrackSource,
    ) {
        self.publish(room, identity, sid);
        self.sources
            .lock()
            .expect("lock")
            .insert(sid.to_owned(), source);
    }

    /// Sets the attributes of the participant `identity` of `room`.
    pub fn set_attributes(&self, room: &str, identity: &str, attributes: &[(&str, &str)]) {
        self.attributes.lock().expect("lock").insert(
            (room.to_owned(), identity.to_owned()),
            attributes
                .iter()
                .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
                .collect(),
        );
    }

    /// Whether the participant `identity` is connected to `room`.
    pub fn is_connected_now(&self, room: &str, identity: &str) -> bool {
        self.connected
            .lock()
            .expect("lock")
            .contains(&(room.to_owned(), identity.to_owned()))
    }

    /// The participant updates asked for so far.
    pub fn updates(&self) -> Vec<ParticipantUpdate> {
        self.updates.lock().expect("lock").clone()
    }

    /// The other participant calls asked for so far.
    pub fn actions(&self) -> Vec<ParticipantAction> {
        self.actions.lock().expect("lock").clone()
    }

    /// The error of a LiveKit that is down, when it is.
    fn fail_if_down(&self) -> Result<(), crate::livekit::rooms::LiveKitError> {
        if !self.down.load(std::sync::atomic::Ordering::SeqCst) {
            return Ok(());
        }
        Err(unavailable())
    }
}

/// What a LiveKit that is down answers.
fn unavailable() -> crate::livekit::rooms::LiveKitError {
    crate::livekit::rooms::LiveKitError::Unavailable(livekit_api::services::ServiceError::Twirp(
        livekit_api::services::ServerError::Twirp(livekit_api::services::ServerErrorCode {
            code: "unavailable".to_owned(),
            msg: "down".to_owned(),
            meta: Default::default(),
        }),
    ))
}

#[async_trait::async_trait]
impl crate::livekit::rooms::LiveKitRooms for FakeLiveKit {
    async fn merge_room_metadata(
        &self,
        room: &str,
        patch: serde_json::Map<String, serde_json::Value>,
    ) -> Result<bool, crate::livekit::rooms::LiveKitError> {
        self.merges
            .lock()
            .expect("lock")
            .push((room.to_owned(), patch));
        self.fail_if_down()?;
        Ok(self.running.lock().expect("lock").contains(room))
    }

    async fn update_participant(
        &self,
        room: &str,
        identity: &str,
        changes: crate::livekit::rooms::ParticipantChanges,
    ) -> Result<bool, crate::livekit::rooms::LiveKitError> {
        self.updates.lock().expect("lock").push(ParticipantUpdate {
            room: room.to_owned(),
            identity: identity.to_owned(),
            changes,
        });
        self.fail_if_down()?;
        if self.updates_down.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(unavailable());
        }
        Ok(self.is_connected_now(room, identity))
    }

    async fn is_connected(
        &self,
        room: &str,
        identity: &str,
    ) -> Result<bool, crate::livekit::rooms::LiveKitError> {
        self.actions
            .lock()
            .expect("lock")
            .push(ParticipantAction::IsConnected(
                room.to_owned(),
                identity.to_owned(),
            ));
        self.fail_if_down()?;
        Ok(self.is_connected_now(room, identity))
    }

    async fn mute_track(
        &self,
        room: &str,
        identity: &str,
        track_sid: &str,
    ) -> Result<bool, crate::livekit::rooms::LiveKitError> {
        self.actions
            .lock()
            .expect("lock")
            .push(ParticipantAction::Mute(
                room.to_owned(),
                identity.to_owned(),
                track_sid.to_owned(),
            ));
        self.fail_if_down()?;
        let track = (room.to_owned(), identity.to_owned(), track_sid.to_owned());
        Ok(self.is_connected_now(room, identity)
            && self.tracks.lock().expect("lock").contains(&track))
    }

    async fn remove_participant(
        &self,
        room: &str,
        identity: &str,
    ) -> Result<bool, crate::livekit::rooms::LiveKitError> {
        self.actions
            .lock()
            .expect("lock")
            .push(ParticipantAction::Remove(
                room.to_owned(),
                identity.to_owned(),
            ));
        self.fail_if_down()?;
        Ok(self
            .connected
            .lock()
            .expect("lock")
            .remove(&(room.to_owned(), identity.to_owned())))
    }

    async fn participants(
        &self,
        room: &str,
    ) -> Result<Vec<crate::livekit::rooms::ConnectedParticipant>, crate::livekit::rooms::LiveKitError>
    {
        self.fail_if_down()?;
        let connected = self.connected.lock().expect("lock").clone();
        let tracks = self.tracks.lock().expect("lock").clone();
        let sources = self.sources.lock().expect("lock").clone();
        let attributes = self.attributes.lock().expect("lock").clone();
        let mut list: Vec<_> = connected
            .into_iter()
            .filter(|(in_room, _)| in_room == room)
            .map(|(_, identity)| crate::livekit::rooms::ConnectedParticipant {
                tracks: tracks
                    .iter()
                    .filter(|(in_room, of, _)| in_room == room && of == &identity)
                    .map(|(_, _, sid)| crate::livekit::rooms::PublishedTrack {
                        sid: sid.clone(),
                        source: sources.get(sid).copied(),
                        muted: self
                            .actions()
                            .iter()
                            .any(|action| matches!(action, ParticipantAction::Mute(r, i, t) if r == room && i == &identity && t == sid)),
                    })
                    .collect(),
                attributes: attributes
                    .get(&(room.to_owned(), identity.clone()))
                    .cloned()
                    .unwrap_or_default(),
                identity,
                service: false,
            })
            .collect();
        list.sort_by(|a, b| a.identity.cmp(&b.identity));
        Ok(list)
    }

    async fn delete_room(&self, room: &str) -> Result<bool, crate::livekit::rooms::LiveKitError> {
        self.fail_if_down()?;
        self.connected
            .lock()
            .expect("lock")
            .retain(|(in_room, _)| in_room != room);
        Ok(self.running.lock().expect("lock").remove(room))
    }

    async fn send_data(
        &self,
        room: &str,
        data: Vec<u8>,
    ) -> Result<bool, crate::livekit::rooms::LiveKitError> {
        self.sent
            .lock()
            .expect("lock")
            .push((room.to_owned(), data));
        self.fail_if_down()?;
        Ok(self.running.lock().expect("lock").contains(room))
    }
}

/// Room settings for tests: LiveKit's dev key, every source, unregistered rooms allowed.
pub fn room_settings() -> crate::services::RoomSettings {
    crate::services::RoomSettings {
        allow_unregistered_rooms: true,
        default_access_level: meet_types::AccessLevel::Public,
        authenticated_can_edit_display_name: true,
        max_rooms_per_user: 1000,
        livekit_timeout: std::time::Duration::from_secs(2),
        request_entry_limit: crate::limits::REQUEST_ENTRY,
        token: token_settings(),
    }
}

/// Token settings for tests: `livekit-server --dev`'s key and secret, 6-hour tokens, every source.
pub fn token_settings() -> crate::livekit::token::TokenSettings {
    crate::livekit::token::TokenSettings {
        url: "ws://127.0.0.1:7880".to_owned(),
        api_key: "devkey".to_owned(),
        api_secret: crate::Secret::new("secret"),
        ttl: std::time::Duration::from_secs(6 * 3600),
        default_sources: meet_types::TrackSource::ALL.to_vec(),
    }
}

/// The LiveKit token Meet would mint for the guest `identity` (named "Someone") to join the
/// LiveKit room `room`, signed with `settings`.
pub fn guest_token(
    settings: &crate::livekit::token::TokenSettings,
    room: &str,
    identity: &str,
) -> String {
    let participant = crate::livekit::token::Participant {
        identity: identity.to_owned(),
        name: "Someone".to_owned(),
        role: None,
        is_authenticated: false,
    };
    crate::livekit::token::mint(settings, room, &participant, None)
        .expect("token")
        .token
}

/// A [`FakeLiveKit`] for a [`crate::Services::builder`] slot.
pub fn fake_livekit() -> std::sync::Arc<dyn crate::livekit::rooms::LiveKitRooms> {
    std::sync::Arc::new(FakeLiveKit::default())
}

/// Services over `store` with a [`FakeLiveKit`], returned too so tests can inspect it.
pub fn services(store: Store) -> (crate::services::Services, std::sync::Arc<FakeLiveKit>) {
    let livekit = std::sync::Arc::new(FakeLiveKit::default());
    let services =
        crate::services::Services::builder(store, room_settings(), livekit.clone()).build();
    (services, livekit)
}

/// A user with this `sub` (email `<sub>@example.org`, name "<Sub> Test").
pub async fn user(store: &Store, sub: &str) -> crate::users::User {
    let claims = crate::users::UserClaims {
        sub: Some(sub.to_owned()),
        email: Some(format!("{sub}@example.org")),
        full_name: Some(format!("{sub} Test")),
        short_name: Some(sub.to_owned()),
    };
    crate::users::insert(store, &claims).await.expect("user")
}

/// A room registered at `name` (its slug made from it) and owned by `owner`, as Meet registers
/// the meetings it creates: this may take a code-shaped address, which requests cannot choose.
pub async fn registered_room(
    store: &Store,
    owner: &crate::users::User,
    name: &str,
    access_level: meet_types::AccessLevel,
) -> crate::rooms::Room {
    let new = crate::rooms::queries::NewRoom {
        name: name.to_owned(),
        slug: crate::rooms::slugify(name),
        access_level,
        configuration: meet_types::RoomConfiguration::default(),
    };
    crate::rooms::queries::insert_with_owner(store, &new, owner.id, chrono::Utc::now())
        .await
        .expect("room")
}

/// A recording worker that records what it is asked and answers as told: ids `EG_1`, `EG_2`…
/// for starts, [`crate::recording::StopOutcome::Stopped`] for stops, unless told otherwise.
#[derive(Default)]
pub struct FakeWorker {
    /// `(LiveKit room, recording id)` of every start asked.
    pub starts: std::sync::Mutex<Vec<(String, uuid::Uuid)>>,
    /// The worker id of every stop asked.
    pub stops: std::sync::Mutex<Vec<String>>,
    /// When set, starts fail with this error.
    pub start_error: std::sync::Mutex<Option<crate::recording::WorkerError>>,
    /// When set, stops answer this instead of `Stopped`.
    pub stop_answer: std::sync::Mutex<
        Option<Result<crate::recording::StopOutcome, crate::recording::WorkerError>>,
    >,
    /// What the worker says of each of its recordings, by worker id (absent: it does not know
    /// it); `report_error` makes every report fail.
    pub reports: std::sync::Mutex<std::collections::HashMap<String, crate::recording::WorkerState>>,
    pub report_error: std::sync::Mutex<Option<crate::recording::WorkerError>>,
}

#[async_trait::async_trait]
impl crate::recording::WorkerService for FakeWorker {
    fn name(&self) -> &'static str {
        "fake-worker"
    }

    async fn start(
        &self,
        room: &str,
        recording: uuid::Uuid,
    ) -> Result<String, crate::recording::WorkerError> {
        let count = {
            let mut starts = self.starts.lock().expect("lock");
            starts.push((room.to_owned(), recording));
            starts.len()
        };
        match self.start_error.lock().expect("lock").clone() {
            Some(error) => Err(error),
            None => Ok(format!("EG_{count}")),
        }
    }

    async fn stop(
        &self,
        worker_id: &str,
    ) -> Result<crate::recording::StopOutcome, crate::recording::WorkerError> {
        self.stops.lock().expect("lock").push(worker_id.to_owned());
        self.stop_answer
            .lock()
            .expect("lock")
            .clone()
            .unwrap_or(Ok(crate::recording::StopOutcome::Stopped))
    }

    async fn report(
        &self,
        worker_id: &str,
    ) -> Result<Option<crate::recording::WorkerReport>, crate::recording::WorkerError> {
        if let Some(error) = self.report_error.lock().expect("lock").clone() {
            return Err(error);
        }
        Ok(self
            .reports
            .lock()
            .expect("lock")
            .get(worker_id)
            .map(|state| crate::recording::WorkerReport {
                worker_id: worker_id.to_owned(),
                state: *state,
                started_at: None,
                ended_at: None,
            }))
    }
}

/// Recording turned on, both modes recorded by `worker`, files kept 7 days in the folder
/// `media` (under `recordings/`).
pub fn recordings_with(
    worker: std::sync::Arc<dyn crate::recording::WorkerService>,
    media: &std::path::Path,
) -> crate::recording::Recordings {
    let config = crate::recording::WorkerServiceConfig {
        output_folder: "recordings".to_owned(),
        livekit: crate::recording::worker::LiveKitApi {
            url: "http://127.0.0.1:7880".to_owned(),
            api_key: "devkey".to_owned(),
            api_secret: crate::Secret::new("secret"),
            timeout: std::time::Duration::from_secs(2),
        },
        storage: crate::recording::worker::Storage::Folder(media.to_owned()),
        encoding: None,
    };
    let registry = crate::recording::WorkerRegistry::default()
        .with(meet_types::RecordingMode::ScreenRecording, worker.clone())
        .with(meet_types::RecordingMode::Transcript, worker);
    crate::recording::Recordings {
        expiration_days: Some(7),
        max_duration: None,
        config: std::sync::Arc::new(config),
        registry: std::sync::Arc::new(registry),
        storage: Some(std::sync::Arc::new(
            crate::recording::storage::FolderStorage::new(media),
        )),
        download_base_url: "http://127.0.0.1:8080/recording".to_owned(),
        summary: None,
    }
}

/// A mailer that keeps what it is asked to send; `fail` makes it refuse.
#[derive(Default)]
pub struct FakeMailer {
    pub sent: std::sync::Mutex<Vec<crate::mailer::Email>>,
    pub fail: std::sync::atomic::AtomicBool,
}

#[async_trait::async_trait]
impl crate::mailer::Mailer for FakeMailer {
    async fn send(&self, email: &crate::mailer::Email) -> Result<(), crate::mailer::MailError> {
        if self.fail.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(crate::mailer::MailError("refused".to_owned()));
        }
        self.sent.lock().expect("lock").push(email.clone());
        Ok(())
    }
}

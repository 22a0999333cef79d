//! The rooms API: the authorisation matrix (anonymous, logged-in, member, administrator, owner ×
//! public, trusted, restricted × every endpoint), LiveKit tokens checked with LiveKit's own
//! verifier, input errors, unregistered rooms, guests' identity, and the LiveKit room metadata.

use livekit_api::access_token::TokenVerifier;
use meet_domain::rooms::{self, CreateRoom};
use meet_domain::users::User;
use meet_types::{AccessLevel, Role};
use reqwest::Client;
use serde_json::{Value, json};

use crate::helpers::{AppOptions, TestApp, browser, get_json, spawn_app, spawn_app_with};
use crate::openapi::{ApiSpec, call};
use meet_domain::per_backend;

const ROOM: &str = "/api/v1.0/rooms/{id}/";
const ROOMS: &str = "/api/v1.0/rooms/";

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    Anonymous,
    LoggedIn,
    Member,
    Administrator,
    Owner,
}

const ACTORS: [Actor; 5] = [
    Actor::Anonymous,
    Actor::LoggedIn,
    Actor::Member,
    Actor::Administrator,
    Actor::Owner,
];

/// Users with every role, and browsers for each actor.
struct World {
    owner: User,
    admin: User,
    member: User,
    clients: Vec<(Actor, Client)>,
}

impl World {
    async fn new(app: &TestApp) -> Self {
        let owner = app.user("owner").await;
        let admin = app.user("admin").await;
        let member = app.user("member").await;
        let stranger = app.user("stranger").await;
        let clients = vec![
            (Actor::Anonymous, browser()),
            (Actor::LoggedIn, app.client_for(&stranger).await),
            (Actor::Member, app.client_for(&member).await),
            (Actor::Administrator, app.client_for(&admin).await),
            (Actor::Owner, app.client_for(&owner).await),
        ];
        Self {
            owner,
            admin,
            member,
            clients,
        }
    }

    /// A room of `level`, owned by the owner, with the administrator and the member.
    async fn room(
        &self,
        app: &TestApp,
        name: &str,
        level: AccessLevel,
    ) -> meet_domain::rooms::Room {
        let services = &app.services;
        let request = CreateRoom {
            name: Some(name.to_owned()),
            access_level: Some(level),
            ..CreateRoom::default()
        };
        let room = rooms::create(services, &self.owner, request)
            .await
            .expect("room");
        let store = &app.database.store;
        meet_domain::accesses::queries::insert(store, room.id, self.admin.id, Role::Administrator)
            .await
            .expect("admin");
        meet_domain::accesses::queries::insert(store, room.id, self.member.id, Role::Member)
            .await
            .expect("member");
        room
    }

    fn client(&self, actor: Actor) -> &Client {
        &self
            .clients
            .iter()
            .find(|(who, _)| *who == actor)
            .expect("client")
            .1
    }
}

fn room_url(app: &TestApp, key: &str) -> String {
    app.url(&format!("/api/v1.0/rooms/{key}/"))
}

fn enters_directly(level: AccessLevel, actor: Actor) -> bool {
    match level {
        AccessLevel::Public => true,
        AccessLevel::Trusted => actor != Actor::Anonymous,
        AccessLevel::Restricted => {
            matches!(actor, Actor::Member | Actor::Administrator | Actor::Owner)
        }
    }
}

fn administers(actor: Actor) -> bool {
    matches!(actor, Actor::Administrator | Actor::Owner)
}

per_backend!(
    retrieving_follows_the_access_rules,
    |app: TestApp| async move {
        let spec = ApiSpec::fetch(&app).await;
        let world = World::new(&app).await;
        let verifier = TokenVerifier::with_api_key("devkey", "secret");
        for level in AccessLevel::ALL {
            let room = world.room(&app, &format!("{level} room"), level).await;
            for actor in ACTORS {
                let client = world.client(actor);
                let (status, body) =
                    call(&spec, "get", ROOM, client.get(room_url(&app, &room.slug))).await;
                let case = format!("{actor:?} in a {level} room: {body}");
                assert_eq!(status, 200, "{case}");
                assert_eq!(body["id"], room.id.to_string(), "{case}");
                assert_eq!(body["slug"], room.slug, "{case}");
                assert_eq!(body["access_level"], level.as_str(), "{case}");
                // As La Suite Meet: every registered room has its configuration, and only an
                // unregistered one says whether it is administrable.
                assert_eq!(body["configuration"], json!({}), "{case}");
                assert!(body.get("is_administrable").is_none(), "{case}");
                let accesses = body.get("accesses").and_then(Value::as_array).map(Vec::len);
                assert_eq!(accesses, administers(actor).then_some(3), "{case}");
                let direct = enters_directly(level, actor);
                assert_eq!(body.get("livekit").is_some(), direct, "{case}");
                assert_eq!(body.get("pin_code").is_some(), direct, "{case}");
                if direct {
                    assert_eq!(body["livekit"]["url"], "ws://127.0.0.1:7880", "{case}");
                    assert_eq!(body["livekit"]["room"], room.id.to_string(), "{case}");
                    let token = body["livekit"]["token"].as_str().expect("token");
                    let claims = verifier.verify(token).expect("a token LiveKit accepts");
                    assert_eq!(claims.video.room, room.id.to_string(), "{case}");
                    assert_eq!(claims.video.room_admin, administers(actor), "{case}");
                }
            }
        }
    }
);

#[tokio::test]
async fn tokens_carry_identity_name_rights_and_attributes() {
    let app = spawn_app().await;
    let world = World::new(&app).await;
    let verifier = TokenVerifier::with_api_key("devkey", "secret");
    world.room(&app, "standup", AccessLevel::Public).await;
    let config = json!({"can_publish_sources": ["microphone"]});
    let patched = world
        .client(Actor::Owner)
        .patch(room_url(&app, "standup"))
        .json(&json!({"configuration": config}))
        .send()
        .await
        .expect("patch");
    assert_eq!(patched.status(), 200);

    let token_of = |body: &Value| body["livekit"]["token"].as_str().expect("token").to_owned();
    // A member: its sub, its full name, the room's sources, no admin.
    let member: Value = world
        .client(Actor::Member)
        .get(room_url(&app, "standup"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let claims = verifier.verify(&token_of(&member)).expect("valid");
    assert_eq!(claims.sub, "member");
    assert_eq!(claims.name, "member Test");
    assert!(claims.video.room_join);
    assert_eq!(claims.video.can_publish, Some(true));
    assert_eq!(claims.video.can_publish_sources, vec!["microphone"]);
    assert_eq!(claims.video.can_subscribe, Some(true));
    assert_eq!(claims.video.can_update_own_metadata, Some(false));
    assert!(!claims.video.room_admin);
    assert_eq!(
        claims.attributes.get("room_role").map(String::as_str),
        Some("member")
    );
    assert_eq!(
        claims
            .attributes
            .get("is_authenticated")
            .map(String::as_str),
        Some("true")
    );
    assert_eq!(
        claims.attributes.get("color"),
        Some(&meet_domain::livekit::token::color("member"))
    );
    let lifetime = claims.exp.saturating_sub(claims.nbf);
    assert!(
        (21_590..=21_610).contains(&lifetime),
        "6 hours, got {lifetime} s"
    );

    // The owner: every source and room_admin, whatever the configuration; a chosen name.
    let owner: Value = world
        .client(Actor::Owner)
        .get(format!("{}?username=Boss", room_url(&app, "standup")))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let claims = verifier.verify(&token_of(&owner)).expect("valid");
    assert_eq!(claims.name, "Boss");
    assert!(claims.video.room_admin);
    assert_eq!(
        claims.video.can_publish_sources,
        vec!["camera", "microphone", "screen_share", "screen_share_audio"]
    );
    assert_eq!(
        claims.attributes.get("room_role").map(String::as_str),
        Some("owner")
    );

    // A guest: "Anonymous", not authenticated, no role.
    let guest: Value = get_json(&browser(), room_url(&app, "standup")).await;
    let claims = verifier.verify(&token_of(&guest)).expect("valid");
    assert_eq!(claims.name, "Anonymous");
    assert_eq!(
        claims
            .attributes
            .get("is_authenticated")
            .map(String::as_str),
        Some("false")
    );
    assert!(!claims.attributes.contains_key("room_role"));
    assert!(
        uuid::Uuid::parse_str(&claims.sub).is_ok(),
        "a random guest id: {}",
        claims.sub
    );
}

#[tokio::test]
async fn a_guest_keeps_one_identity_across_reloads() {
    let app = spawn_app().await;
    let verifier = TokenVerifier::with_api_key("devkey", "secret");
    let guest = browser();
    let first = guest
        .get(room_url(&app, "abc-defg-hij"))
        .send()
        .await
        .expect("get");
    let cookie = crate::helpers::header(&first, "set-cookie");
    assert!(cookie.starts_with("lobbyParticipantId="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=21600"] {
        assert!(cookie.contains(attribute), "{attribute}: {cookie}");
    }
    let first: Value = first.json().await.expect("json");
    let second = guest
        .get(room_url(&app, "ABCDEFGHIJ"))
        .send()
        .await
        .expect("get");
    assert!(
        second.headers().get("set-cookie").is_none(),
        "the cookie is kept"
    );
    let second: Value = second.json().await.expect("json");
    let identity = |body: &Value| {
        verifier
            .verify(body["livekit"]["token"].as_str().expect("token"))
            .expect("valid")
            .sub
    };
    assert_eq!(identity(&first), identity(&second));
    assert_ne!(
        identity(&first),
        identity(&get_json(&browser(), room_url(&app, "abc-defg-hij")).await)
    );
}

#[tokio::test]
async fn unknown_addresses_are_unregistered_rooms_unless_turned_off() {
    let app = spawn_app().await;
    let spec = ApiSpec::fetch(&app).await;
    let (status, body) = call(
        &spec,
        "get",
        ROOM,
        browser().get(room_url(&app, "XYZ-ABCD-EFG")),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["id"], Value::Null);
    assert_eq!(body["slug"], "xyz-abcd-efg");
    assert_eq!(body["access_level"], "public");
    assert_eq!(body["is_administrable"], false);
    assert_eq!(body["livekit"]["room"], "xyz-abcd-efg");

    let (status, _) = call(
        &spec,
        "get",
        ROOM,
        browser().get(room_url(&app, "00000000-0000-4000-8000-000000000000")),
    )
    .await;
    assert_eq!(status, 404, "an unknown UUID is not an address");

    let closed = spawn_app_with(AppOptions {
        configure: Box::new(|config| config.rooms.allow_unregistered_rooms = false),
        ..AppOptions::default()
    })
    .await
    .expect("app");
    let response = browser()
        .get(room_url(&closed, "xyz-abcd-efg"))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["detail"], "Not found.");
}

#[tokio::test]
async fn rooms_are_found_by_id_slug_and_code_in_any_spelling() {
    let app = spawn_app().await;
    let world = World::new(&app).await;
    let room = meet_domain::testing::registered_room(
        &app.database.store,
        &world.owner,
        "abc-defg-hij",
        AccessLevel::Public,
    )
    .await;
    for key in [
        room.id.to_string(),
        "abc-defg-hij".into(),
        "ABCDEFGHIJ".into(),
        "Abc-DefgHij".into(),
    ] {
        let body: Value = get_json(&browser(), room_url(&app, &key)).await;
        assert_eq!(body["id"], room.id.to_string(), "{key}");
    }
}

per_backend!(
    updates_and_deletes_follow_the_roles,
    |app: TestApp| async move {
        let spec = ApiSpec::fetch(&app).await;
        let world = World::new(&app).await;
        for level in AccessLevel::ALL {
            let room = world.room(&app, &format!("{level} room"), level).await;
            for actor in ACTORS {
                let client = world.client(actor);
                // Always a change, so that a refused write and an allowed one both show in the
                // database.
                let before = stored_level(&app, &room).await;
                let target = AccessLevel::ALL
                    .into_iter()
                    .find(|other| *other != before)
                    .expect("another level");
                let request = client
                    .patch(room_url(&app, &room.slug))
                    .json(&json!({"access_level": target.as_str()}));
                let (status, body) = call(&spec, "patch", ROOM, request).await;
                let expected = match actor {
                    Actor::Anonymous => 401,
                    Actor::LoggedIn | Actor::Member => 403,
                    Actor::Administrator | Actor::Owner => 200,
                };
                assert_eq!(
                    status, expected,
                    "PATCH by {actor:?} in a {level} room: {body}"
                );
                if status == 200 {
                    assert_eq!(body["accesses"].as_array().map(Vec::len), Some(3));
                    assert_eq!(stored_level(&app, &room).await, target);
                } else {
                    assert!(body["detail"].is_string(), "{body}");
                    assert_eq!(stored_level(&app, &room).await, before);
                }
            }
            for actor in ACTORS {
                let doomed = world
                    .room(&app, &format!("{level} doomed {actor:?}"), level)
                    .await;
                let (status, body) = call(
                    &spec,
                    "delete",
                    ROOM,
                    world.client(actor).delete(room_url(&app, &doomed.slug)),
                )
                .await;
                let expected = match actor {
                    Actor::Anonymous => 401,
                    Actor::Owner => 204,
                    _ => 403,
                };
                assert_eq!(
                    status, expected,
                    "DELETE by {actor:?} of a {level} room: {body}"
                );
                let still_there = meet_domain::rooms::queries::find(
                    &app.database.store,
                    &meet_domain::rooms::RoomKey::Id(doomed.id),
                )
                .await
                .expect("q")
                .is_some();
                assert_eq!(still_there, actor != Actor::Owner);
            }
        }
    }
);

per_backend!(
    creating_a_room_checks_every_field_and_changes_nothing_on_error,
    |app: TestApp| async move {
        let spec = ApiSpec::fetch(&app).await;
        let world = World::new(&app).await;
        let owner = world.client(Actor::Owner);

        let (status, body) = call(
            &spec,
            "post",
            ROOMS,
            browser().post(app.url(ROOMS)).json(&json!({"name": "x"})),
        )
        .await;
        assert_eq!(
            (status, body["detail"].as_str()),
            (401, Some("Authentication credentials were not provided."))
        );

        let bad = [
            (json!({}), "name", "This field is required."),
            (json!({"name": ""}), "name", "This field may not be blank."),
            (json!({"name": 42}), "name", "Not a valid string."),
            (
                json!({"name": "a", "access_level": "secret"}),
                "access_level",
                "\"secret\" is not a valid choice.",
            ),
            (
                json!({"name": "a", "configuration": {"colour": "red"}}),
                "configuration",
                "unknown field `colour`",
            ),
            (
                json!({"name": "a", "configuration": {"can_publish_sources": ["hologram"]}}),
                "configuration",
                "hologram",
            ),
        ];
        for (input, field, message) in bad {
            let (status, body) = call(
                &spec,
                "post",
                ROOMS,
                owner.post(app.url(ROOMS)).json(&input),
            )
            .await;
            assert_eq!(status, 400, "{input}: {body}");
            let messages = body[field]
                .as_array()
                .unwrap_or_else(|| panic!("{field} named: {body}"));
            assert!(
                messages
                    .iter()
                    .any(|m| m.as_str().is_some_and(|m| m.contains(message))),
                "{input}: {body}"
            );
            assert!(
                body["detail"]
                    .as_str()
                    .is_some_and(|detail| detail.contains(field)),
                "{body}"
            );
        }
        let (status, body) = call(
            &spec,
            "post",
            ROOMS,
            owner
                .post(app.url(ROOMS))
                .header("content-type", "application/json")
                .body("{not json"),
        )
        .await;
        assert_eq!(status, 400);
        assert!(
            body["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("JSON parse error")),
            "{body}"
        );
        let (status, _) = call(
            &spec,
            "post",
            ROOMS,
            owner
                .post(app.url(ROOMS))
                .header("content-type", "text/plain")
                .body("name=x"),
        )
        .await;
        assert_eq!(status, 415);
        for username in ["%C2%84", "a%0Ab", &"x".repeat(256)] {
            let (status, body) = call(
                &spec,
                "post",
                ROOMS,
                owner
                    .post(format!("{}?username={username}", app.url(ROOMS)))
                    .json(&json!({"name": "fine"})),
            )
            .await;
            assert_eq!(status, 400, "username {username}: {body}");
            assert!(body["username"].is_array(), "{body}");
        }
        let (rooms, _) =
            meet_domain::rooms::queries::list_for_user(&app.database.store, world.owner.id, 10, 0)
                .await
                .expect("q");
        assert!(rooms.is_empty(), "nothing was created");

        let input = json!({"name": "Réunion d'équipe", "access_level": "trusted", "configuration": {"everyone_can_mute": false}});
        let (status, body) = call(
            &spec,
            "post",
            ROOMS,
            owner
                .post(format!("{}?username=Host", app.url(ROOMS)))
                .json(&input),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["slug"], "reunion-dequipe");
        assert_eq!(body["access_level"], "trusted");
        assert_eq!(body["configuration"], json!({"everyone_can_mute": false}));
        assert!(body.get("is_administrable").is_none(), "{body}");
        assert_eq!(body["accesses"][0]["role"], "owner");
        assert_eq!(
            body["accesses"][0]["user"]["id"],
            world.owner.id.to_string()
        );
        assert!(body["livekit"]["token"].is_string());

        let (status, body) = call(
            &spec,
            "post",
            ROOMS,
            owner
                .post(app.url(ROOMS))
                .json(&json!({"name": "REUNION D'EQUIPE"})),
        )
        .await;
        assert_eq!(status, 409, "another room has this address");
        assert_eq!(body["slug"], json!(["Room with this Slug already exists."]));
    }
);

#[tokio::test]
async fn put_needs_a_name_and_patch_changes_only_what_it_names() {
    let app = spawn_app().await;
    let spec = ApiSpec::fetch(&app).await;
    let world = World::new(&app).await;
    world.room(&app, "standup", AccessLevel::Public).await;
    let owner = world.client(Actor::Owner);
    let (status, body) = call(
        &spec,
        "put",
        ROOM,
        owner
            .put(room_url(&app, "standup"))
            .json(&json!({"access_level": "trusted"})),
    )
    .await;
    assert_eq!(
        (status, &body["name"]),
        (400, &json!(["This field is required."]))
    );
    let (status, body) = call(
        &spec,
        "patch",
        ROOM,
        owner
            .patch(room_url(&app, "standup"))
            .json(&json!({"access_level": "restricted"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        (body["name"].as_str(), body["access_level"].as_str()),
        (Some("standup"), Some("restricted"))
    );
    let (status, body) = call(
        &spec,
        "put",
        ROOM,
        owner
            .put(room_url(&app, "standup"))
            .json(&json!({"name": "Daily"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        (body["slug"].as_str(), body["access_level"].as_str()),
        (Some("daily"), Some("restricted"))
    );
}

per_backend!(
    listing_shows_ones_rooms_page_by_page,
    |app: TestApp| async move {
        let spec = ApiSpec::fetch(&app).await;
        let world = World::new(&app).await;
        for index in 0..3 {
            world
                .room(&app, &format!("room {index}"), AccessLevel::Restricted)
                .await;
        }
        let (status, body) = call(&spec, "get", ROOMS, browser().get(app.url(ROOMS))).await;
        assert_eq!(status, 200);
        assert_eq!(
            body,
            json!({"count": 0, "next": null, "previous": null, "results": []})
        );

        let (status, body) = call(
            &spec,
            "get",
            ROOMS,
            world.client(Actor::LoggedIn).get(app.url(ROOMS)),
        )
        .await;
        assert_eq!((status, body["count"].as_i64()), (200, Some(0)));

        let member = world.client(Actor::Member);
        let (status, body) = call(
            &spec,
            "get",
            ROOMS,
            member.get(format!("{}?page_size=2", app.url(ROOMS))),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["count"], 3);
        assert_eq!(body["results"].as_array().map(Vec::len), Some(2));
        assert_eq!(body["results"][0]["name"], "room 0");
        assert!(
            body["results"][0]["livekit"]["token"].is_string(),
            "members enter restricted rooms"
        );
        assert_eq!(body["previous"], Value::Null);
        let next = body["next"].as_str().expect("a next page").to_owned();
        assert_eq!(next, format!("{}?page=2&page_size=2", app.url(ROOMS)));
        let (status, body) = call(&spec, "get", ROOMS, member.get(next)).await;
        assert_eq!(status, 200);
        assert_eq!(body["results"].as_array().map(Vec::len), Some(1));
        assert_eq!(body["next"], Value::Null);
        assert!(body["previous"].is_string());
        let (status, body) = call(
            &spec,
            "get",
            ROOMS,
            member.get(format!("{}?page=9", app.url(ROOMS))),
        )
        .await;
        assert_eq!(
            (status, body["detail"].as_str()),
            (404, Some("Invalid page."))
        );
    }
);

#[tokio::test]
async fn access_level_and_configuration_changes_reach_a_running_livekit_room() {
    let app = spawn_app().await;
    let world = World::new(&app).await;
    let room = world.room(&app, "standup", AccessLevel::Public).await;
    let owner = world.client(Actor::Owner);
    // By id: the rename below changes the slug.
    let room_id = room.id.to_string();
    let patch = |body: Value| owner.patch(room_url(&app, &room_id)).json(&body).send();

    // Not running on LiveKit yet: nothing to update, and nothing created there.
    assert_eq!(
        patch(json!({"access_level": "trusted"}))
            .await
            .expect("patch")
            .status(),
        200
    );
    assert!(app.livekit.room(&room.id.to_string()).is_none());

    // Running: the metadata is merged (what was there stays).
    app.livekit.add_participant(
        &room.id.to_string(),
        "someone",
        "Someone",
        Vec::<(String, String)>::new(),
    );
    let config = json!({"can_publish_sources": ["camera", "microphone"]});
    assert_eq!(
        patch(json!({"access_level": "restricted", "configuration": config}))
            .await
            .expect("patch")
            .status(),
        200
    );
    let metadata = app
        .livekit
        .room(&room.id.to_string())
        .expect("room")
        .metadata;
    let metadata: Value = serde_json::from_str(&metadata).expect("JSON metadata");
    assert_eq!(metadata["access_level"], "restricted");
    assert_eq!(metadata["configuration"], config);
    let calls = app.livekit.calls();
    assert!(
        calls
            .iter()
            .any(|(method, room_name)| method == "UpdateRoomMetadata"
                && room_name.as_deref() == Some(&room.id.to_string())),
        "{calls:?}"
    );

    // A rename alone does not touch LiveKit.
    let before = app.livekit.calls().len();
    assert_eq!(
        patch(json!({"name": "Daily standup"}))
            .await
            .expect("patch")
            .status(),
        200
    );
    assert_eq!(app.livekit.calls().len(), before);

    // LiveKit down: the change is saved all the same.
    app.livekit.set_unavailable(true);
    let response = patch(json!({"access_level": "public"}))
        .await
        .expect("patch");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["access_level"], "public");
}

/// The access level `room` has in the database.
async fn stored_level(app: &TestApp, room: &meet_domain::rooms::Room) -> AccessLevel {
    let key = meet_domain::rooms::RoomKey::Id(room.id);
    meet_domain::rooms::queries::find(&app.database.store, &key)
        .await
        .expect("q")
        .expect("room")
        .access_level
}

/// The harness passes a fake LiveKit into the running app: with LiveKit down, a change to a
/// running room is still saved and answered (the metadata merge is best-effort), and the app did
/// ask LiveKit.
#[tokio::test]
async fn a_livekit_that_is_down_does_not_stop_a_room_change() {
    let livekit = std::sync::Arc::new(meet_domain::testing::FakeLiveKit::default());
    livekit
        .down
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let app = crate::helpers::spawn_app_with(crate::helpers::AppOptions {
        livekit: Some(livekit.clone()),
        ..Default::default()
    })
    .await
    .expect("app");
    let world = World::new(&app).await;
    let room = world.room(&app, "standup", AccessLevel::Public).await;
    let response = world
        .client(Actor::Owner)
        .patch(room_url(&app, &room.id.to_string()))
        .json(&json!({"access_level": "restricted"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(response.status(), 200);
    assert_eq!(stored_level(&app, &room).await, AccessLevel::Restricted);
    let merges = livekit.merges.lock().expect("lock");
    assert_eq!(merges.len(), 1, "{merges:?}");
    assert_eq!(merges[0].0, room.id.to_string());
}

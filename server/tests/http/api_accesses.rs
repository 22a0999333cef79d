//! The resource-accesses API: who may list, grant, change and remove roles, the owner rules, and
//! the last owner.

use meet_domain::accesses::queries as accesses;
use meet_domain::rooms::{self, CreateRoom};
use meet_types::Role;
use reqwest::Client;
use serde_json::{Value, json};

use crate::helpers::{TestApp, browser};
use crate::openapi::{ApiSpec, call};
use meet_domain::per_backend;

const LIST: &str = "/api/v1.0/resource-accesses/";
const ONE: &str = "/api/v1.0/resource-accesses/{id}/";

struct Room {
    id: uuid::Uuid,
    owner_access: uuid::Uuid,
    admin_access: uuid::Uuid,
    member_access: uuid::Uuid,
}

struct World {
    anonymous: Client,
    stranger: Client,
    member: Client,
    admin: Client,
    owner: Client,
    stranger_id: uuid::Uuid,
}

async fn world(app: &TestApp) -> (World, Vec<Room>) {
    let owner = app.user("owner").await;
    let admin = app.user("admin").await;
    let member = app.user("member").await;
    let stranger = app.user("stranger").await;
    let services = app.services.clone();
    let mut rooms = Vec::new();
    for index in 0..2 {
        let request = CreateRoom {
            name: Some(format!("room {index}")),
            ..CreateRoom::default()
        };
        let room = rooms::create(&services, &owner, request)
            .await
            .expect("room");
        let store = &app.database.store;
        let owner_access = accesses::list_for_room(store, room.id).await.expect("q")[0]
            .access
            .id;
        let admin_access = accesses::insert(store, room.id, admin.id, Role::Administrator)
            .await
            .expect("a")
            .id;
        let member_access = accesses::insert(store, room.id, member.id, Role::Member)
            .await
            .expect("m")
            .id;
        rooms.push(Room {
            id: room.id,
            owner_access,
            admin_access,
            member_access,
        });
    }
    let world = World {
        anonymous: browser(),
        stranger: app.client_for(&stranger).await,
        member: app.client_for(&member).await,
        admin: app.client_for(&admin).await,
        owner: app.client_for(&owner).await,
        stranger_id: stranger.id,
    };
    (world, rooms)
}

/// The role access `id` has in the database.
async fn role_of(app: &TestApp, id: uuid::Uuid) -> Role {
    accesses::find(&app.database.store, id)
        .await
        .expect("q")
        .expect("access")
        .role
}

fn one(app: &TestApp, id: uuid::Uuid) -> String {
    app.url(&format!("/api/v1.0/resource-accesses/{id}/"))
}

per_backend!(
    listing_shows_the_accesses_of_administered_rooms,
    |app: TestApp| async move {
        let spec = ApiSpec::fetch(&app).await;
        let (world, _) = world(&app).await;
        let (status, _) = call(&spec, "get", LIST, world.anonymous.get(app.url(LIST))).await;
        assert_eq!(status, 401);
        for (client, expected) in [
            (&world.stranger, 0),
            (&world.member, 0),
            (&world.admin, 6),
            (&world.owner, 6),
        ] {
            let (status, body) = call(&spec, "get", LIST, client.get(app.url(LIST))).await;
            assert_eq!(status, 200);
            assert_eq!(body["count"], expected, "{body}");
        }
    }
);

per_backend!(
    granting_needs_administrators_and_owners_make_owners,
    |app: TestApp| async move {
        let spec = ApiSpec::fetch(&app).await;
        let (world, rooms) = world(&app).await;
        let grant =
            |role: &str| json!({"user": world.stranger_id, "resource": rooms[0].id, "role": role});
        for (client, role, expected) in [
            (&world.anonymous, "member", 401),
            (&world.stranger, "member", 403),
            (&world.member, "member", 403),
            (&world.admin, "owner", 403),
        ] {
            let (status, body) = call(
                &spec,
                "post",
                LIST,
                client.post(app.url(LIST)).json(&grant(role)),
            )
            .await;
            assert_eq!(status, expected, "{body}");
        }
        let (status, body) = call(
            &spec,
            "post",
            LIST,
            world.admin.post(app.url(LIST)).json(&grant("member")),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["role"], "member");
        assert_eq!(body["resource"], rooms[0].id.to_string());
        let (status, body) = call(
            &spec,
            "post",
            LIST,
            world.owner.post(app.url(LIST)).json(&grant("owner")),
        )
        .await;
        assert_eq!(status, 409, "already has a role: {body}");
        assert_eq!(
            body["non_field_errors"],
            json!(["The fields user, resource must make a unique set."])
        );

        let bad = [
            (json!({"resource": rooms[1].id}), "user"),
            (json!({"user": "nope", "resource": rooms[1].id}), "user"),
            (
                json!({"user": world.stranger_id, "resource": rooms[1].id, "role": "king"}),
                "role",
            ),
            (
                json!({"user": uuid::Uuid::new_v4(), "resource": rooms[1].id}),
                "user",
            ),
            (
                json!({"user": world.stranger_id, "resource": uuid::Uuid::new_v4()}),
                "resource",
            ),
        ];
        for (input, field) in bad {
            let (status, body) = call(
                &spec,
                "post",
                LIST,
                world.owner.post(app.url(LIST)).json(&input),
            )
            .await;
            assert_eq!(status, 400, "{input}: {body}");
            assert!(body[field].is_array(), "{field} named: {body}");
        }
        let roles = accesses::list_for_room(&app.database.store, rooms[1].id)
            .await
            .expect("q");
        assert_eq!(roles.len(), 3, "nothing granted in room 1");
    }
);

per_backend!(
    changing_roles_follows_the_owner_rules,
    |app: TestApp| async move {
        let spec = ApiSpec::fetch(&app).await;
        let (world, rooms) = world(&app).await;
        let room = &rooms[0];
        for (client, expected) in [
            (&world.anonymous, 401),
            (&world.stranger, 403),
            (&world.member, 403),
        ] {
            let request = client
                .patch(one(&app, room.member_access))
                .json(&json!({"role": "administrator"}));
            let (status, _) = call(&spec, "patch", ONE, request).await;
            assert_eq!(status, expected);
            assert_eq!(role_of(&app, room.member_access).await, Role::Member);
        }
        let request = world
            .admin
            .patch(one(&app, room.member_access))
            .json(&json!({"role": "administrator"}));
        let (status, body) = call(&spec, "patch", ONE, request).await;
        assert_eq!(
            (status, body["role"].as_str()),
            (200, Some("administrator"))
        );
        // Only owners make owners, and only an owner touches their own access.
        let request = world
            .admin
            .patch(one(&app, room.member_access))
            .json(&json!({"role": "owner"}));
        assert_eq!(call(&spec, "patch", ONE, request).await.0, 403);
        assert_eq!(role_of(&app, room.member_access).await, Role::Administrator);
        let request = world
            .admin
            .put(one(&app, room.owner_access))
            .json(&json!({"role": "member"}));
        let (status, body) = call(&spec, "put", ONE, request).await;
        assert_eq!(
            (status, body["detail"].as_str()),
            (
                403,
                Some("Only owners of a room can assign other users as owners.")
            )
        );
        assert_eq!(role_of(&app, room.owner_access).await, Role::Owner);
        // PUT needs a role.
        let request = world
            .owner
            .put(one(&app, room.admin_access))
            .json(&json!({}));
        let (status, body) = call(&spec, "put", ONE, request).await;
        assert_eq!(
            (status, &body["role"]),
            (400, &json!(["This field is required."]))
        );
        // The last owner cannot step down.
        let request = world
            .owner
            .patch(one(&app, room.owner_access))
            .json(&json!({"role": "member"}));
        let (status, body) = call(&spec, "patch", ONE, request).await;
        assert_eq!(
            (status, body["detail"].as_str()),
            (409, Some("A room must keep at least one owner."))
        );
        let stored = accesses::find(&app.database.store, room.owner_access)
            .await
            .expect("q")
            .expect("access");
        assert_eq!(stored.role, Role::Owner);
    }
);

per_backend!(
    removing_accesses_follows_the_owner_rules,
    |app: TestApp| async move {
        let spec = ApiSpec::fetch(&app).await;
        let (world, rooms) = world(&app).await;
        let room = &rooms[0];
        for (client, expected) in [
            (&world.anonymous, 401),
            (&world.stranger, 403),
            (&world.member, 403),
        ] {
            let (status, _) = call(
                &spec,
                "delete",
                ONE,
                client.delete(one(&app, room.admin_access)),
            )
            .await;
            assert_eq!(status, expected);
        }
        let (status, _) = call(
            &spec,
            "delete",
            ONE,
            world.admin.delete(one(&app, room.owner_access)),
        )
        .await;
        assert_eq!(status, 403, "an owner's access is theirs alone");
        let (status, body) = call(
            &spec,
            "delete",
            ONE,
            world.owner.delete(one(&app, room.owner_access)),
        )
        .await;
        assert_eq!(
            (status, body["detail"].as_str()),
            (409, Some("A room must keep at least one owner."))
        );
        let (status, body) = call(
            &spec,
            "delete",
            ONE,
            world.admin.delete(one(&app, room.member_access)),
        )
        .await;
        assert_eq!((status, body), (204, Value::Null));
        let (status, _) = call(
            &spec,
            "get",
            ONE,
            world.admin.get(one(&app, room.member_access)),
        )
        .await;
        assert_eq!(status, 404);
        let (status, body) = call(
            &spec,
            "get",
            ONE,
            world.admin.get(one(&app, room.admin_access)),
        )
        .await;
        assert_eq!(
            (status, body["role"].as_str()),
            (200, Some("administrator"))
        );
        let (status, _) = call(
            &spec,
            "get",
            ONE,
            world.stranger.get(one(&app, room.admin_access)),
        )
        .await;
        assert_eq!(status, 403);
    }
);

//! Who may see and change roles in a room, as La Suite Meet rules it: administrators and owners
//! manage accesses; only owners make owners or touch another owner's access; an owner's access
//! is deleted only by that owner; and a room always keeps an owner.

use meet_types::Role;
use uuid::Uuid;

use crate::accesses::queries::{self, AccessWriteError, ResourceAccess};
use crate::error::{DomainError, FieldErrors};
use crate::rooms::queries as rooms;
use crate::rooms::slug::RoomKey;
use crate::services::Services;
use crate::store::StoreError;
use crate::users::{self, User};

const OWNERS_ONLY: &str = "Only owners of a room can assign other users as owners.";
const ADMINS_ONLY: &str = "You must be administrator or owner of a room to add accesses to it.";
const NOT_ALLOWED: &str = "You do not have permission to perform this action.";

/// A new access, as asked for.
#[derive(Debug, Clone, Default)]
pub struct NewAccess {
    pub user: Option<Uuid>,
    pub resource: Option<Uuid>,
    pub role: Option<Role>,
}

/// The accesses of every room `user` administers or owns: one page, and how many in all.
pub async fn list(
    services: &Services,
    user: &User,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ResourceAccess>, i64), DomainError> {
    Ok(queries::list_administered_by(&services.store, user.id, limit, offset).await?)
}

/// One access, for the room's administrators and owners.
pub async fn retrieve(
    services: &Services,
    user: &User,
    id: Uuid,
) -> Result<ResourceAccess, DomainError> {
    let access = find(services, id).await?;
    let role = role_in(services, access.room_id, user).await?;
    if !role.is_some_and(Role::is_admin_or_owner) {
        return Err(DomainError::Forbidden(NOT_ALLOWED.to_owned()));
    }
    Ok(access)
}

/// Gives a user a role in a room (member unless said otherwise).
pub async fn create(
    services: &Services,
    user: &User,
    request: NewAccess,
) -> Result<ResourceAccess, DomainError> {
    let mut errors = FieldErrors::default();
    if request.user.is_none() {
        errors.add("user", "This field is required.");
    }
    if request.resource.is_none() {
        errors.add("resource", "This field is required.");
    }
    errors.into_result()?;
    let (Some(target), Some(room)) = (request.user, request.resource) else {
        return Err(DomainError::NotFound);
    };
    if rooms::find(&services.store, &RoomKey::Id(room))
        .await?
        .is_none()
    {
        return Err(FieldErrors::one(
            "resource",
            format!("Invalid pk \"{room}\" - object does not exist."),
        )
        .into());
    }
    let caller = role_in(services, room, user).await?;
    if !caller.is_some_and(Role::is_admin_or_owner) {
        return Err(DomainError::Forbidden(ADMINS_ONLY.to_owned()));
    }
    let role = request.role.unwrap_or(Role::Member);
    if role == Role::Owner && caller != Some(Role::Owner) {
        return Err(DomainError::Forbidden(OWNERS_ONLY.to_owned()));
    }
    if users::find_by_id(&services.store, target).await?.is_none() {
        return Err(FieldErrors::one(
            "user",
            format!("Invalid pk \"{target}\" - object does not exist."),
        )
        .into());
    }
    match queries::insert(&services.store, room, target, role).await {
        Ok(access) => {
            tracing::info!(access = %access.id, room = %room, by = %user.id, role = %role, "access granted");
            Ok(access)
        }
        Err(StoreError::Conflict(_)) => Err(DomainError::Conflict(FieldErrors::one(
            "non_field_errors",
            "The fields user, resource must make a unique set.",
        ))),
        Err(error) => Err(error.into()),
    }
}

/// Changes the role of an access. `None` keeps it (a PATCH without a role).
pub async fn update(
    services: &Services,
    user: &User,
    id: Uuid,
    role: Option<Role>,
) -> Result<ResourceAccess, DomainError> {
    let access = find(services, id).await?;
    let caller = role_in(services, access.room_id, user).await?;
    if !caller.is_some_and(Role::is_admin_or_owner) {
        return Err(DomainError::Forbidden(NOT_ALLOWED.to_owned()));
    }
    let new_role = role.unwrap_or(access.role);
    let makes_owner = new_role == Role::Owner && caller != Some(Role::Owner);
    let touches_other_owner = access.role == Role::Owner && access.user_id != user.id;
    if makes_owner || touches_other_owner {
        return Err(DomainError::Forbidden(OWNERS_ONLY.to_owned()));
    }
    if new_role == access.role {
        return Ok(access);
    }
    let updated = queries::update_role(&services.store, id, new_role)
        .await
        .map_err(write_error)?;
    tracing::info!(access = %id, by = %user.id, role = %new_role, "access changed");
    Ok(updated)
}

/// Deletes an access. An owner's access may be deleted only by that owner.
pub async fn delete(services: &Services, user: &User, id: Uuid) -> Result<(), DomainError> {
    let access = find(services, id).await?;
    if access.role == Role::Owner {
        if access.user_id != user.id {
            return Err(DomainError::Forbidden(NOT_ALLOWED.to_owned()));
        }
    } else if !role_in(services, access.room_id, user)
        .await?
        .is_some_and(Role::is_admin_or_owner)
    {
        return Err(DomainError::Forbidden(NOT_ALLOWED.to_owned()));
    }
    queries::delete(&services.store, id)
        .await
        .map_err(write_error)?;
    tracing::info!(access = %id, by = %user.id, "access removed");
    Ok(())
}

async fn find(services: &Services, id: Uuid) -> Result<ResourceAccess, DomainError> {
    queries::find(&services.store, id)
        .await?
        .ok_or(DomainError::NotFound)
}

async fn role_in(
    services: &Services,
    room: Uuid,
    user: &User,
) -> Result<Option<Role>, DomainError> {
    Ok(rooms::role_of(&services.store, room, user.id).await?)
}

fn write_error(error: AccessWriteError) -> DomainError {
    match error {
        AccessWriteError::NotFound => DomainError::NotFound,
        AccessWriteError::LastOwner => DomainError::LastOwner,
        AccessWriteError::Store(error) => DomainError::Store(error),
    }
}

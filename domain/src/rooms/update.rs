//! Changing a room, for its administrators and owners: its name (and so its address), access
//! level and configuration; a running LiveKit room learns the new access level and configuration.

use meet_types::{AccessLevel, Role, RoomCode, RoomConfiguration};

use crate::error::DomainError;
use crate::livekit::metadata::merge_into_running_room;
use crate::notifier::Invalidation;
use crate::requester::Requester;
use crate::rooms::code::generate_code;
use crate::rooms::details::RoomDetails;
use crate::rooms::names::{own_address, validate_name};
use crate::rooms::queries;
use crate::rooms::retrieve::as_seen_by;
use crate::rooms::slug::is_code_shaped;
use crate::rooms::{find_with_role, forbidden, slug_taken};
use crate::services::Services;
use crate::store::StoreError;

/// Changes to a room; absent fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct RoomChanges {
    pub name: Option<String>,
    pub access_level: Option<AccessLevel>,
    pub configuration: Option<RoomConfiguration>,
}

/// Updates a room, for its administrators and owners, and answers it as they now see it. A
/// changed access level or configuration is pushed to the LiveKit room's metadata when the room
/// runs there; LiveKit being down is logged and does not fail the update.
pub async fn update(
    services: &Services,
    requester: &Requester,
    key: &str,
    changes: RoomChanges,
) -> Result<RoomDetails, DomainError> {
    let user = requester.require_user()?;
    let (room, role) = find_with_role(services, user, key).await?;
    if !role.is_some_and(Role::is_admin_or_owner) {
        return Err(forbidden());
    }
    let name = match changes.name {
        Some(name) => validate_name(Some(&name))?,
        None => room.name.clone(),
    };
    let access_level = changes.access_level.unwrap_or(room.access_level);
    let configuration = changes
        .configuration
        .unwrap_or_else(|| room.configuration.0.clone());
    // The new name's address; a name that cannot be one keeps the room's meeting code, or
    // gets a code Meet draws (a code-shaped name becomes that code).
    let own = own_address(&name);
    let keeps_code = own.is_none() && RoomCode::parse_bare(&room.slug).is_ok();
    let attempts = if own.is_some() || keeps_code { 1 } else { 5 };
    let mut outcome = Err(StoreError::Conflict("no free meeting code".to_owned()));
    for _ in 0..attempts {
        let (name, slug) = match &own {
            Some(slug) => (name.clone(), slug.clone()),
            None => {
                let slug = if keeps_code {
                    room.slug.clone()
                } else {
                    generate_code().into()
                };
                let name = if is_code_shaped(&name) {
                    slug.clone()
                } else {
                    name.clone()
                };
                (name, slug)
            }
        };
        outcome = queries::update(
            &services.store,
            room.id,
            &name,
            &slug,
            access_level,
            &configuration,
        )
        .await;
        if !matches!(outcome, Err(StoreError::Conflict(_))) {
            break;
        }
    }
    let updated = match outcome {
        Ok(updated) => updated,
        Err(StoreError::Conflict(_)) => return Err(slug_taken()),
        Err(error) => return Err(error.into()),
    };
    services.notifier.publish(Invalidation::Room(room.id)).await;
    if updated.access_level != room.access_level || updated.configuration != room.configuration {
        let patch = serde_json::Map::from_iter([
            (
                "access_level".to_owned(),
                serde_json::Value::from(updated.access_level.as_str()),
            ),
            (
                "configuration".to_owned(),
                serde_json::to_value(&updated.configuration.0).unwrap_or_default(),
            ),
        ]);
        merge_into_running_room(
            services.livekit.as_ref(),
            services.settings.livekit_timeout,
            &updated.livekit_name(),
            patch,
        )
        .await;
    }
    as_seen_by(services, requester, updated, role, None).await
}

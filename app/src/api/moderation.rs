//! Server functions behind the hosts' controls in the meeting: mute, remove, make co-host, lower
//! hands, the room's settings, and ending the meeting for everyone. Each finds out who is asking
//! (a logged-in administrator or owner of the room; for muting, also anyone in the meeting when
//! the room lets everyone mute, proven by their LiveKit token) and calls one domain function.

use leptos::prelude::*;
use meet_types::{AccessLevel, RoomConfiguration};

use crate::error::AppError;

/// Mutes the microphone of the participant `identity` of the meeting at `key`: as a host, or
/// with `token` (the caller's LiveKit token for this meeting) as a participant when the room
/// lets everyone mute. `false` when it was already off.
#[server(endpoint = "moderation/mute", input = server_fn::codec::PostUrl)]
pub async fn mute(key: String, identity: String, token: Option<String>) -> Result<bool, AppError> {
    use crate::api::context::{answer, answer_moderation, requester, services};
    let services = services()?;
    let right = meet_domain::moderation::may_mute(&services, &requester(), token.as_deref(), &key)
        .await
        .map_err(answer)?;
    meet_domain::moderation::mute_microphone(&services, &right, &identity)
        .await
        .map_err(answer_moderation)
}

/// Mutes every microphone in the meeting at `key` but the host's own: the identities of those
/// muted.
#[server(endpoint = "moderation/mute-everyone", input = server_fn::codec::PostUrl)]
pub async fn mute_everyone(key: String) -> Result<Vec<String>, AppError> {
    use crate::api::context::{answer_moderation, moderator};
    let (services, moderator) = moderator(&key).await?;
    meet_domain::moderation::mute_everyone(&services, &moderator)
        .await
        .map_err(answer_moderation)
}

/// Removes the participant `identity` from the meeting at `key`.
#[server(endpoint = "moderation/remove", input = server_fn::codec::PostUrl)]
pub async fn remove(key: String, identity: String) -> Result<(), AppError> {
    use crate::api::context::{answer_moderation, moderator};
    let (services, moderator) = moderator(&key).await?;
    meet_domain::moderation::remove(&services, &moderator, &identity)
        .await
        .map_err(answer_moderation)
}

/// Makes the participant `identity` of the meeting at `key` co-host (`cohost`), or not.
#[server(endpoint = "moderation/co-host", input = server_fn::codec::PostUrl)]
pub async fn set_cohost(key: String, identity: String, cohost: bool) -> Result<(), AppError> {
    use crate::api::context::{answer_moderation, moderator};
    use meet_types::Role;
    let (services, moderator) = moderator(&key).await?;
    let role = if cohost {
        Role::Administrator
    } else {
        Role::Member
    };
    meet_domain::moderation::set_role(&services, &moderator, &identity, role)
        .await
        .map(|_| ())
        .map_err(answer_moderation)
}

/// Lowers the hand of the participant `identity` of the meeting at `key`, or everyone's when
/// none is given: how many were lowered.
#[server(endpoint = "moderation/lower-hand", input = server_fn::codec::PostUrl)]
pub async fn lower_hand(key: String, identity: Option<String>) -> Result<usize, AppError> {
    use crate::api::context::{answer_moderation, moderator};
    let (services, moderator) = moderator(&key).await?;
    match identity {
        Some(identity) => meet_domain::moderation::lower_hand(&services, &moderator, &identity)
            .await
            .map(|()| 1),
        None => meet_domain::moderation::lower_all_hands(&services, &moderator).await,
    }
    .map_err(answer_moderation)
}

/// The room's settings as the host controls show them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RoomSettings {
    pub configuration: RoomConfiguration,
    pub access_level: AccessLevel,
}

/// Settings just saved.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Saved {
    pub settings: RoomSettings,
    /// Whether the people in the meeting now got them (`false` when the media server could not
    /// be reached: they keep their permissions until they join again).
    pub reached_meeting: bool,
}

/// Saves the settings of the room at `key`: whether participants who are not hosts may turn on
/// their `microphone`, `camera` and share their screen (`screen_share`), whether
/// `everyone_can_mute`, and its `access_level`. Participants connected now get the new
/// permissions at once.
#[server(endpoint = "moderation/settings", input = server_fn::codec::PostUrl)]
pub async fn save_settings(
    key: String,
    microphone: bool,
    camera: bool,
    screen_share: bool,
    everyone_can_mute: bool,
    access_level: AccessLevel,
) -> Result<Saved, AppError> {
    use crate::api::context::{answer_moderation, requester, services};
    use meet_types::TrackSource;
    let publish = [
        (microphone, TrackSource::Microphone),
        (camera, TrackSource::Camera),
        (screen_share, TrackSource::ScreenShare),
    ]
    .into_iter()
    .filter_map(|(allowed, source)| allowed.then_some(source))
    .collect();
    let settings = meet_domain::moderation::HostSettings {
        publish,
        everyone_can_mute,
        access_level,
    };
    let configured =
        meet_domain::moderation::configure(&*services()?, &requester(), &key, &settings)
            .await
            .map_err(answer_moderation)?;
    let view = configured.room.view();
    Ok(Saved {
        settings: RoomSettings {
            configuration: view.configuration,
            access_level: view.access_level,
        },
        reached_meeting: configured.pushed.is_some(),
    })
}

/// Ends the meeting at `key` for everyone. `false` when it was not running.
#[server(endpoint = "moderation/end", input = server_fn::codec::PostUrl)]
pub async fn end_meeting(key: String) -> Result<bool, AppError> {
    use crate::api::context::{answer, moderator};
    let (services, moderator) = moderator(&key).await?;
    meet_domain::moderation::end_meeting(&services, &moderator)
        .await
        .map_err(answer)
}

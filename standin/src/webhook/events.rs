//! Constructors for the webhook events a server sends, each with a fresh `id` (`EV_…`) and
//! `created_at` = now, and with the shapes of reference §2.5: room and participant events carry
//! the full room (and participant); track events carry only the room's `sid`/`name` and the
//! participant's `sid`/`identity`, plus the full track.

use livekit_protocol as proto;

use crate::ids;

/// An event called `name` with a new id and the current time, and nothing else set.
pub fn event(name: &str) -> proto::WebhookEvent {
    proto::WebhookEvent {
        event: name.to_owned(),
        id: ids::new_sid("EV_"),
        created_at: ids::now_s(),
        ..Default::default()
    }
}

/// `room_started`: fired on CreateRoom and on the auto-create of a first join.
pub fn room_started(room: &proto::Room) -> proto::WebhookEvent {
    with_room("room_started", room)
}

/// `room_finished`: fired when a room is deleted or times out.
pub fn room_finished(room: &proto::Room) -> proto::WebhookEvent {
    with_room("room_finished", room)
}

/// `participant_joined`: the participant is active in the room.
pub fn participant_joined(
    room: &proto::Room,
    participant: &proto::ParticipantInfo,
) -> proto::WebhookEvent {
    with_participant("participant_joined", room, participant)
}

/// `participant_left`: pass the participant as it left (`state` `DISCONNECTED` and its
/// `disconnect_reason`).
pub fn participant_left(
    room: &proto::Room,
    participant: &proto::ParticipantInfo,
) -> proto::WebhookEvent {
    with_participant("participant_left", room, participant)
}

/// `track_published`.
pub fn track_published(
    room: &proto::Room,
    participant: &proto::ParticipantInfo,
    track: &proto::TrackInfo,
) -> proto::WebhookEvent {
    with_track("track_published", room, participant, track)
}

/// `track_unpublished`.
pub fn track_unpublished(
    room: &proto::Room,
    participant: &proto::ParticipantInfo,
    track: &proto::TrackInfo,
) -> proto::WebhookEvent {
    with_track("track_unpublished", room, participant, track)
}

fn with_room(name: &str, room: &proto::Room) -> proto::WebhookEvent {
    proto::WebhookEvent {
        room: Some(room.clone()),
        ..event(name)
    }
}

fn with_participant(
    name: &str,
    room: &proto::Room,
    participant: &proto::ParticipantInfo,
) -> proto::WebhookEvent {
    proto::WebhookEvent {
        participant: Some(participant.clone()),
        ..with_room(name, room)
    }
}

fn with_track(
    name: &str,
    room: &proto::Room,
    participant: &proto::ParticipantInfo,
    track: &proto::TrackInfo,
) -> proto::WebhookEvent {
    proto::WebhookEvent {
        room: Some(proto::Room {
            sid: room.sid.clone(),
            name: room.name.clone(),
            ..Default::default()
        }),
        participant: Some(proto::ParticipantInfo {
            sid: participant.sid.clone(),
            identity: participant.identity.clone(),
            ..Default::default()
        }),
        track: Some(track.clone()),
        ..event(name)
    }
}

/// `egress_started`, `egress_updated` or `egress_ended`, carrying the egress as it then is.
pub fn egress(name: &str, info: &proto::EgressInfo) -> proto::WebhookEvent {
    proto::WebhookEvent {
        egress_info: Some(info.clone()),
        ..event(name)
    }
}

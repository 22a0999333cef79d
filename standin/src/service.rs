//! The `livekit.RoomService` methods: for each, the request type, the grant it needs, the room it
//! concerns, and the state operation behind it.
//!
//! Every call goes through [`handle`]: decode the body (400 `malformed`), check the grant (401
//! `unauthenticated`), record the call, answer an injected fault if one is due, then run the
//! operation and encode its answer in the request's encoding.

use axum::response::Response;
use livekit_api::access_token::Claims;
use livekit_protocol as proto;
use serde::{Serialize, de::DeserializeOwned};

use crate::{
    auth::{self, Grant},
    codec::Encoding,
    error::{StateError, TwirpError},
    standin::Shared,
    state::State,
};

/// The `livekit.Egress` methods this stand-in serves, as they appear in the Twirp path.
pub(crate) const EGRESS_METHODS: [&str; 3] =
    ["StartRoomCompositeEgress", "StopEgress", "ListEgress"];

/// The `livekit.RoomService` method names this stand-in serves, as they appear in the Twirp path.
pub(crate) const METHODS: [&str; 11] = [
    "CreateRoom",
    "ListRooms",
    "DeleteRoom",
    "ListParticipants",
    "GetParticipant",
    "RemoveParticipant",
    "MutePublishedTrack",
    "UpdateParticipant",
    "UpdateSubscriptions",
    "SendData",
    "UpdateRoomMetadata",
];

/// One call's context: who is calling and how the body is encoded.
pub(crate) struct Call<'a> {
    pub(crate) shared: &'a Shared,
    pub(crate) method: &'a str,
    pub(crate) encoding: Encoding,
    pub(crate) claims: Option<&'a Claims>,
    pub(crate) body: &'a [u8],
}

/// Serves `call.method`, which must be one of [`METHODS`].
pub(crate) fn dispatch(call: &Call<'_>) -> Result<Response, TwirpError> {
    use proto::DisconnectReason::ParticipantRemoved;
    match call.method {
        "CreateRoom" => handle(
            call,
            |r: &proto::CreateRoomRequest| (Grant::Create, Some(r.name.as_str())),
            |s, r| s.create_room(&r),
        ),
        "ListRooms" => handle(
            call,
            |_: &proto::ListRoomsRequest| (Grant::List, None),
            |s, r| {
                Ok(proto::ListRoomsResponse {
                    rooms: s.list_rooms(&r.names),
                })
            },
        ),
        "DeleteRoom" => handle(
            call,
            |r: &proto::DeleteRoomRequest| (Grant::Create, Some(r.room.as_str())),
            |s, r| {
                s.delete_room(&r.room)
                    .map(|()| proto::DeleteRoomResponse {})
            },
        ),
        "ListParticipants" => handle(
            call,
            |r: &proto::ListParticipantsRequest| admin(&r.room),
            |s, r| {
                s.participants(&r.room)
                    .map(|participants| proto::ListParticipantsResponse { participants })
            },
        ),
        "GetParticipant" => handle(
            call,
            |r: &proto::RoomParticipantIdentity| admin(&r.room),
            |s, r| s.participant(&r.room, &r.identity),
        ),
        "RemoveParticipant" => handle(
            call,
            |r: &proto::RoomParticipantIdentity| admin(&r.room),
            |s, r| {
                s.remove_participant(&r.room, &r.identity, ParticipantRemoved)
                    .map(|_| proto::RemoveParticipantResponse {})
            },
        ),
        "MutePublishedTrack" => handle(
            call,
            |r: &proto::MuteRoomTrackRequest| admin(&r.room),
            |s, r| {
                s.mute_track(&r)
                    .map(|track| proto::MuteRoomTrackResponse { track: Some(track) })
            },
        ),
        "UpdateParticipant" => handle(
            call,
            |r: &proto::UpdateParticipantRequest| admin(&r.room),
            |s, r| s.update_participant(r),
        ),
        "UpdateSubscriptions" => handle(
            call,
            |r: &proto::UpdateSubscriptionsRequest| admin(&r.room),
            |s, r| {
                s.update_subscriptions(&r)
                    .map(|()| proto::UpdateSubscriptionsResponse {})
            },
        ),
        "SendData" => handle(
            call,
            |r: &proto::SendDataRequest| admin(&r.room),
            |s, r| s.send_data(r).map(|()| proto::SendDataResponse {}),
        ),
        "UpdateRoomMetadata" => handle(
            call,
            |r: &proto::UpdateRoomMetadataRequest| admin(&r.room),
            |s, r| s.update_room_metadata(&r.room, &r.metadata),
        ),
        "StartRoomCompositeEgress" => handle(
            call,
            |r: &proto::RoomCompositeEgressRequest| (Grant::Record, Some(r.room_name.as_str())),
            State::start_room_composite_egress,
        ),
        "StopEgress" => handle(
            call,
            |_: &proto::StopEgressRequest| (Grant::Record, None),
            |s, r| s.stop_egress(&r.egress_id),
        ),
        "ListEgress" => handle(
            call,
            |r: &proto::ListEgressRequest| {
                let room = Some(r.room_name.as_str()).filter(|room| !room.is_empty());
                (Grant::Record, room)
            },
            |s, r| Ok(s.list_egress(&r)),
        ),
        other => Err(TwirpError::new(
            501,
            "unimplemented",
            format!("{other} is not implemented"),
        )),
    }
}

/// The grant and room of the participant, data and metadata methods.
fn admin(room: &str) -> (Grant<'_>, Option<&str>) {
    (Grant::Admin(room), Some(room))
}

/// Runs one method: `scope` names the request's grant and room, `operation` does the work.
fn handle<Req, Resp>(
    call: &Call<'_>,
    scope: impl for<'r> Fn(&'r Req) -> (Grant<'r>, Option<&'r str>),
    operation: impl FnOnce(&mut State, Req) -> Result<Resp, StateError>,
) -> Result<Response, TwirpError>
where
    Req: prost::Message + Default + DeserializeOwned,
    Resp: prost::Message + Serialize,
{
    let request: Req = call.encoding.decode(call.body)?;
    let (grant, room) = scope(&request);
    auth::authorize(call.claims, grant)?;
    let room = room.map(str::to_owned);
    call.shared
        .with_state(|state| state.record_call(call.method, room.as_deref()));
    tracing::debug!(
        method = call.method,
        room = room.as_deref(),
        "LiveKit stand-in call"
    );
    if let Some(fault) = call.shared.take_fault(call.method) {
        return Err(fault);
    }
    let answer = call.shared.with_state(|state| operation(state, request))?;
    Ok(call.encoding.encode(&answer))
}

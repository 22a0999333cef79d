//! The in-memory model of a LiveKit server: rooms, their participants and tracks, plus what tests
//! inspect afterwards (data packets sent, authenticated calls made, webhook events produced).
//!
//! Every change that a real server would announce by webhook queues a
//! [`proto::WebhookEvent`]; [`State::take_pending_events`] hands them to the notifier.
//! Participant and track operations live in [`participants`].

mod egress;
mod participants;

pub use egress::RECORDING_FILE_CONTENT;

use livekit_protocol as proto;
use serde::Serialize;

use crate::{error::StateError, ids, webhook::events};

/// Server default: seconds an empty room is kept (`room.empty_timeout`).
const DEFAULT_EMPTY_TIMEOUT: u32 = 300;
/// Server default: seconds a room is kept after the last participant left.
const DEFAULT_DEPARTURE_TIMEOUT: u32 = 20;
/// Codecs a default server configuration enables, listed in every room.
const ENABLED_CODECS: [&str; 6] = [
    "audio/opus",
    "audio/red",
    "video/VP8",
    "video/H264",
    "video/VP9",
    "video/AV1",
];

/// One `SendData` call the stand-in received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentData {
    /// The room the data was sent to.
    pub room: String,
    /// The payload.
    pub data: Vec<u8>,
    /// Reliable or lossy.
    pub kind: proto::data_packet::Kind,
    /// The topic, when one was given.
    pub topic: Option<String>,
    /// The identities to deliver to; empty means everyone in the room.
    pub destination_identities: Vec<String>,
}

/// A room and the participants in it, in join order.
#[derive(Debug, Clone)]
pub(crate) struct RoomEntry {
    pub(crate) room: proto::Room,
    pub(crate) participants: Vec<proto::ParticipantInfo>,
}

impl RoomEntry {
    /// Recomputes the counters that derive from the participant list.
    fn refresh_counts(&mut self) {
        for participant in &mut self.participants {
            participant.is_publisher = !participant.tracks.is_empty();
        }
        self.room.num_participants = u32::try_from(self.participants.len()).unwrap_or(u32::MAX);
        let publishers = self.participants.iter().filter(|p| p.is_publisher).count();
        self.room.num_publishers = u32::try_from(publishers).unwrap_or(u32::MAX);
    }
}

/// The whole server state; see the module documentation.
#[derive(Debug, Default)]
pub(crate) struct State {
    rooms: Vec<RoomEntry>,
    sent_data: Vec<SentData>,
    calls: Vec<(String, Option<String>)>,
    remote_unmute: bool,
    pending_events: Vec<proto::WebhookEvent>,
    events: Vec<proto::WebhookEvent>,
    egresses: Vec<proto::EgressInfo>,
}

impl State {
    /// CreateRoom: creates the room, or returns the existing one after applying the request's
    /// non-zero fields (the call is idempotent).
    pub(crate) fn create_room(
        &mut self,
        request: &proto::CreateRoomRequest,
    ) -> Result<proto::Room, StateError> {
        if request.name.is_empty() {
            return Err(StateError::InvalidArgument(
                "room name must not be empty".to_owned(),
            ));
        }
        let entry = self.ensure_room(&request.name);
        let room = &mut entry.room;
        if request.empty_timeout != 0 {
            room.empty_timeout = request.empty_timeout;
        }
        if request.departure_timeout != 0 {
            room.departure_timeout = request.departure_timeout;
        }
        if request.max_participants != 0 {
            room.max_participants = request.max_participants;
        }
        if !request.metadata.is_empty() {
            room.metadata.clone_from(&request.metadata);
        }
        Ok(room.clone())
    }

    /// ListRooms: the named rooms that exist, or every room when `names` is empty.
    pub(crate) fn list_rooms(&self, names: &[String]) -> Vec<proto::Room> {
        self.rooms
            .iter()
            .filter(|entry| names.is_empty() || names.contains(&entry.room.name))
            .map(|entry| entry.room.clone())
            .collect()
    }

    /// One room, if it exists.
    pub(crate) fn room(&self, name: &str) -> Option<proto::Room> {
        self.entry(name).ok().map(|entry| entry.room.clone())
    }

    /// DeleteRoom: disconnects everyone (`ROOM_DELETED`) and removes the room.
    pub(crate) fn delete_room(&mut self, name: &str) -> Result<(), StateError> {
        let index = self.index_of(name)?;
        let identities: Vec<String> = self.rooms[index]
            .participants
            .iter()
            .map(|p| p.identity.clone())
            .collect();
        for identity in identities {
            self.remove_participant(name, &identity, proto::DisconnectReason::RoomDeleted)?;
        }
        let entry = self.rooms.remove(index);
        self.emit(events::room_finished(&entry.room));
        Ok(())
    }

    /// UpdateRoomMetadata: replaces the metadata and returns the room.
    pub(crate) fn update_room_metadata(
        &mut self,
        name: &str,
        metadata: &str,
    ) -> Result<proto::Room, StateError> {
        let entry = self.entry_mut(name)?;
        metadata.clone_into(&mut entry.room.metadata);
        Ok(entry.room.clone())
    }

    /// SendData: records the packet; the room must exist.
    pub(crate) fn send_data(&mut self, request: proto::SendDataRequest) -> Result<(), StateError> {
        self.entry(&request.room)?;
        self.sent_data.push(SentData {
            kind: proto::data_packet::Kind::try_from(request.kind).unwrap_or_default(),
            room: request.room,
            data: request.data,
            topic: request.topic,
            destination_identities: request.destination_identities,
        });
        Ok(())
    }

    /// Every room with its participants, in creation order.
    pub(crate) fn entries(&self) -> &[RoomEntry] {
        &self.rooms
    }

    /// Every `SendData` call so far, in order.
    pub(crate) fn sent_data(&self) -> &[SentData] {
        &self.sent_data
    }

    /// Notes an authenticated call: the Twirp method and the room it concerns.
    pub(crate) fn record_call(&mut self, method: &str, room: Option<&str>) {
        self.calls
            .push((method.to_owned(), room.map(str::to_owned)));
    }

    /// Every authenticated call so far, in order.
    pub(crate) fn calls(&self) -> &[(String, Option<String>)] {
        &self.calls
    }

    /// Whether MutePublishedTrack may unmute (`room.enable_remote_unmute`, off by default).
    pub(crate) fn set_remote_unmute(&mut self, enabled: bool) {
        self.remote_unmute = enabled;
    }

    /// Every webhook event produced so far, in order.
    pub(crate) fn events(&self) -> &[proto::WebhookEvent] {
        &self.events
    }

    /// The events produced since the last call, which the caller delivers.
    pub(crate) fn take_pending_events(&mut self) -> Vec<proto::WebhookEvent> {
        let pending = std::mem::take(&mut self.pending_events);
        self.events.extend(pending.iter().cloned());
        pending
    }

    fn emit(&mut self, event: proto::WebhookEvent) {
        self.pending_events.push(event);
    }

    /// The room called `name`, created with the server defaults if missing (like LiveKit's
    /// auto-create when the first participant joins); creation fires `room_started`.
    fn ensure_room(&mut self, name: &str) -> &mut RoomEntry {
        let index = match self.index_of(name) {
            Ok(index) => index,
            Err(_) => {
                let room = new_room(name);
                self.emit(events::room_started(&room));
                self.rooms.push(RoomEntry {
                    room,
                    participants: Vec::new(),
                });
                self.rooms.len() - 1
            }
        };
        &mut self.rooms[index]
    }

    fn index_of(&self, name: &str) -> Result<usize, StateError> {
        self.rooms
            .iter()
            .position(|entry| entry.room.name == name)
            .ok_or(StateError::RoomNotFound)
    }

    fn entry(&self, name: &str) -> Result<&RoomEntry, StateError> {
        self.index_of(name).map(|index| &self.rooms[index])
    }

    fn entry_mut(&mut self, name: &str) -> Result<&mut RoomEntry, StateError> {
        self.index_of(name).map(|index| &mut self.rooms[index])
    }
}

/// A fresh room with the server's defaults.
fn new_room(name: &str) -> proto::Room {
    let now_ms = ids::now_ms();
    proto::Room {
        sid: ids::new_sid("RM_"),
        name: name.to_owned(),
        empty_timeout: DEFAULT_EMPTY_TIMEOUT,
        departure_timeout: DEFAULT_DEPARTURE_TIMEOUT,
        creation_time: now_ms / 1000,
        creation_time_ms: now_ms,
        turn_password: ids::random_string(32),
        enabled_codecs: ENABLED_CODECS
            .iter()
            .map(|mime| proto::Codec {
                mime: (*mime).to_owned(),
                fmtp_line: String::new(),
            })
            .collect(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn create(state: &mut State, name: &str, empty_timeout: u32) -> proto::Room {
        let request = proto::CreateRoomRequest {
            name: name.into(),
            empty_timeout,
            ..Default::default()
        };
        state.create_room(&request).unwrap()
    }

    #[test]
    fn create_room_applies_defaults_and_is_idempotent() {
        let mut state = State::default();
        let first = create(&mut state, "a", 0);
        assert!(first.sid.starts_with("RM_"));
        assert_eq!((first.empty_timeout, first.departure_timeout), (300, 20));
        assert_eq!(first.creation_time, first.creation_time_ms / 1000);
        let again = create(&mut state, "a", 60);
        assert_eq!(again.sid, first.sid);
        assert_eq!(again.empty_timeout, 60);
        assert_eq!(again.departure_timeout, 20);
        assert_eq!(state.list_rooms(&[]).len(), 1);
        let events = state.take_pending_events();
        assert_eq!(events.len(), 1, "only the first call starts the room");
        assert_eq!(events[0].event, "room_started");
    }

    #[test]
    fn delete_room_disconnects_participants_then_finishes_the_room() {
        let mut state = State::default();
        state.add_participant("a", "alice", "Alice", Default::default());
        state.take_pending_events();
        state.delete_room("a").unwrap();
        let names: Vec<String> = state
            .take_pending_events()
            .into_iter()
            .map(|e| e.event)
            .collect();
        assert_eq!(names, ["participant_left", "room_finished"]);
        assert_eq!(state.delete_room("a"), Err(StateError::RoomNotFound));
    }

    #[test]
    fn list_rooms_filters_by_name() {
        let mut state = State::default();
        create(&mut state, "a", 0);
        create(&mut state, "b", 0);
        let names = |rooms: Vec<proto::Room>| rooms.into_iter().map(|r| r.name).collect::<Vec<_>>();
        assert_eq!(names(state.list_rooms(&[])), ["a", "b"]);
        assert_eq!(names(state.list_rooms(&["b".into(), "zz".into()])), ["b"]);
    }
}

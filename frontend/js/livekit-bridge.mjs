// The bridge between Meet's wasm front end and livekit-client (npm), which no Rust crate wraps
// for the browser. scripts/build-site.sh bundles it with esbuild into one ES module,
// pkg/livekit-bridge.<hash>.js; meeting pages load it on demand through their import map
// (`import("livekit-bridge")`), never the home page.
//
// Its API is app-shaped and speaks plain JSON: the Rust side (app/src/meeting/bridge.rs) keeps
// every piece of UI state in Leptos signals; this module only holds the livekit-client objects
// (the room, local tracks, the <video> elements tracks are attached to) and reports what happens
// through one callback, `onEvent(name, json)`. end2end/fake-bridge.mjs has the same exports.

import {
  ConnectionState,
  DisconnectReason,
  Room,
  RoomEvent,
  Track,
  VideoPresets,
  createLocalAudioTrack,
  createLocalVideoTrack,
  setLogLevel,
  version,
} from "livekit-client";

/** The chat topic of LiveKit's components (text streams), and the legacy data topic. */
const CHAT_TOPIC = "lk.chat";
const LEGACY_CHAT_TOPIC = "lk-chat-topic";
/** How long before a slow connection is reported, and before it is given up. */
const SLOW_AFTER_MS = 2000;
const GIVE_UP_AFTER_MS = 15000;

setLogLevel("warn");

let listener = null;
let room = null;
/** Local tracks captured before joining (the pre-join preview), by kind. */
const preview = { audio: null, video: null };
/** <video> elements the page registered, by "identity/source". */
const elements = new Map();
/** Remote audio elements the bridge plays, by track sid. */
const players = new Map();
let meter = null;
let speakerDevice = "";
let snapshotQueued = false;
/** Rooms whose connection opened. */
const joined = new WeakSet();

/** The livekit-client version bundled into the site. */
export function livekitVersion() {
  return version;
}

/** Registers the one callback that hears every event: `callback(name, json)`. */
export function onEvent(callback) {
  listener = callback;
}

function emit(name, payload) {
  if (listener) listener(name, JSON.stringify(payload ?? null));
}

// ---- errors --------------------------------------------------------------------------------

/** A media error as one of a few kinds the page explains. */
function mediaErrorKind(error) {
  switch (error?.name) {
    case "NotAllowedError":
    case "SecurityError":
      return "denied";
    case "NotFoundError":
    case "OverconstrainedError":
    case "DevicesNotFoundError":
      return "missing";
    case "NotReadableError":
    case "TrackStartError":
    case "AbortError":
      return "in_use";
    default:
      return navigator.mediaDevices ? "failed" : "unsupported";
  }
}

function describe(error) {
  return { kind: mediaErrorKind(error), message: String(error?.message ?? error) };
}

// ---- devices and preview -------------------------------------------------------------------

/** The media devices as JSON: `[{kind, id, label}]` (labels once permission is granted). */
export async function listDevices() {
  if (!navigator.mediaDevices?.enumerateDevices) return "[]";
  const devices = await navigator.mediaDevices.enumerateDevices();
  return JSON.stringify(
    devices
      .filter((d) => d.deviceId && ["audioinput", "videoinput", "audiooutput"].includes(d.kind))
      .map((d) => ({ kind: d.kind, id: d.deviceId, label: d.label })),
  );
}

if (navigator.mediaDevices?.addEventListener) {
  navigator.mediaDevices.addEventListener("devicechange", () => emit("devicesChanged", {}));
}

function deviceOf(track) {
  return track?.mediaStreamTrack?.getSettings?.().deviceId ?? "";
}

async function capture(kind, deviceId) {
  const options = deviceId ? { deviceId } : {};
  if (kind === "video") {
    return createLocalVideoTrack({ ...options, resolution: VideoPresets.h720.resolution });
  }
  return createLocalAudioTrack({ ...options, echoCancellation: true, noiseSuppression: true });
}

/**
 * Brings the preview to `options` ({audio, video, audioDevice, videoDevice} as JSON): captures
 * what is wanted and missing (or on another device), stops what is not wanted. Answers
 * `{audio: {on, device, error}, video: {on, device, error}}`; one kind failing does not stop the
 * other.
 */
export async function setPreview(json) {
  const wanted = JSON.parse(json);
  const result = {};
  for (const kind of ["audio", "video"]) {
    const device = wanted[`${kind}Device`] || "";
    let track = preview[kind];
    if (track && (!wanted[kind] || (device && device !== deviceOf(track)))) {
      track.stop();
      track = preview[kind] = null;
    }
    let error = null;
    if (wanted[kind] && !track) {
      try {
        track = preview[kind] = await capture(kind, device);
        track.mediaStreamTrack.addEventListener("ended", () => {
          if (preview[kind] === track) emit("deviceLost", { source: sourceName(track.source) });
        });
      } catch (e) {
        error = describe(e);
      }
    }
    result[kind] = { on: !!track, device: deviceOf(track), error };
  }
  reattach("local", "camera");
  if (preview.audio) startMeter(preview.audio.mediaStreamTrack);
  else stopMeter();
  return JSON.stringify(result);
}

/** Stops the preview's tracks (leaving the page, or they were handed to the room). */
export function stopPreview() {
  for (const kind of ["audio", "video"]) {
    preview[kind]?.stop();
    preview[kind] = null;
  }
  stopMeter();
}

function startMeter(mediaStreamTrack) {
  if (meter?.track === mediaStreamTrack) return;
  stopMeter();
  try {
    const context = new AudioContext();
    const source = context.createMediaStreamSource(new MediaStream([mediaStreamTrack]));
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    meter = { track: mediaStreamTrack, context, analyser, data: new Float32Array(analyser.fftSize) };
  } catch {
    meter = null;
  }
}

function stopMeter() {
  meter?.context.close().catch(() => {});
  meter = null;
}

/** The local microphone's level, 0 to 1 (pre-join and in the meeting). */
export function micLevel() {
  if (room && !meter) {
    const mic = room.localParticipant.getTrackPublication(Track.Source.Microphone)?.track;
    if (mic && !mic.isMuted) startMeter(mic.mediaStreamTrack);
  }
  if (!meter) return 0;
  if (meter.context.state === "suspended") meter.context.resume().catch(() => {});
  meter.analyser.getFloatTimeDomainData(meter.data);
  let sum = 0;
  for (const sample of meter.data) sum += sample * sample;
  return Math.min(1, Math.sqrt(sum / meter.data.length) * 4);
}

// ---- tracks on the page ----------------------------------------------------------------------

function sourceName(source) {
  switch (source) {
    case Track.Source.Camera:
      return "camera";
    case Track.Source.ScreenShare:
      return "screen_share";
    case Track.Source.Microphone:
      return "microphone";
    case Track.Source.ScreenShareAudio:
      return "screen_share_audio";
    default:
      return "unknown";
  }
}

function trackFor(identity, source) {
  if (identity === "local" || (room && identity === room.localParticipant.identity)) {
    if (!room && source === "camera") return preview.video;
    const participant = room?.localParticipant;
    const publication = participant?.getTrackPublication(sourceOf(source));
    return publication && !publication.isMuted ? publication.track : null;
  }
  const participant = room?.remoteParticipants.get(identity);
  const publication = participant?.getTrackPublication(sourceOf(source));
  return publication?.isSubscribed && !publication.isMuted ? publication.track : null;
}

function sourceOf(name) {
  return name === "screen_share" ? Track.Source.ScreenShare : Track.Source.Camera;
}

function reattach(identity, source) {
  const element = elements.get(`${identity}/${source}`);
  if (!element) return;
  const track = trackFor(identity, source);
  if (element.__meetTrack && element.__meetTrack !== track) element.__meetTrack.detach(element);
  if (track && element.__meetTrack !== track) track.attach(element);
  element.__meetTrack = track ?? null;
}

function reattachAll() {
  for (const key of elements.keys()) {
    const [identity, source] = key.split("/");
    reattach(identity, source);
  }
}

/** Shows `identity`'s `source` ("camera" or "screen_share") in `element`, now and whenever the
 * track changes, until `detach`. `identity` "local" is oneself (preview or published). */
export function attach(identity, source, element) {
  elements.set(`${identity}/${source}`, element);
  reattach(identity, source);
}

/** Stops showing `identity`'s `source`. */
export function detach(identity, source) {
  const key = `${identity}/${source}`;
  const element = elements.get(key);
  if (element?.__meetTrack) element.__meetTrack.detach(element);
  if (element) element.__meetTrack = null;
  elements.delete(key);
}

function playAudio(track, publication) {
  if (track.kind !== Track.Kind.Audio || players.has(publication.trackSid)) return;
  const element = track.attach();
  element.dataset.meetAudio = publication.trackSid;
  if (speakerDevice && element.setSinkId) element.setSinkId(speakerDevice).catch(() => {});
  element.hidden = true;
  document.body.appendChild(element);
  players.set(publication.trackSid, { track, element });
}

function stopAudio(sid) {
  const player = players.get(sid);
  if (!player) return;
  player.track.detach(player.element);
  player.element.remove();
  players.delete(sid);
}

// ---- the meeting -----------------------------------------------------------------------------

function participantJson(participant, local) {
  const pub = (source) => participant.getTrackPublication(source);
  const on = (source) => {
    const publication = pub(source);
    return !!publication && !publication.isMuted;
  };
  return {
    identity: participant.identity,
    name: participant.name || "",
    local,
    speaking: participant.isSpeaking,
    microphone: on(Track.Source.Microphone),
    camera: on(Track.Source.Camera),
    screenShare: !!pub(Track.Source.ScreenShare),
    attributes: { ...participant.attributes },
    joinedAt: participant.joinedAt ? participant.joinedAt.getTime() : 0,
    publishes: publishes(participant.permissions),
  };
}

/** What a participant's permission lets them publish, by Meet's source names; null for
 * everything (or when it is not known). */
function publishes(permission) {
  if (!permission) return null;
  if (!permission.canPublish) return [];
  const sources = permission.canPublishSources ?? [];
  if (sources.length === 0) return null;
  const names = { 1: "camera", 2: "microphone", 3: "screen_share", 4: "screen_share_audio" };
  return sources.map((source) => names[source]).filter(Boolean);
}

function snapshot() {
  if (snapshotQueued) return;
  snapshotQueued = true;
  setTimeout(() => {
    snapshotQueued = false;
    if (!room) return;
    const all = [participantJson(room.localParticipant, true)];
    for (const participant of room.remoteParticipants.values()) {
      all.push(participantJson(participant, false));
    }
    emit("participants", all);
    reattachAll();
  }, 0);
}

/** A DisconnectReason as Meet names why a call ended (`EndReason` in meet_types). */
function reasonName(reason) {
  switch (reason) {
    case DisconnectReason.CLIENT_INITIATED:
      return "left";
    case DisconnectReason.DUPLICATE_IDENTITY:
      return "duplicate_identity";
    case DisconnectReason.PARTICIPANT_REMOVED:
      return "removed";
    case DisconnectReason.ROOM_DELETED:
    case DisconnectReason.ROOM_CLOSED:
      return "room_deleted";
    default:
      return "connection_lost";
  }
}

function connectionName(state) {
  switch (state) {
    case ConnectionState.Connected:
      return "connected";
    case ConnectionState.Connecting:
      return "connecting";
    case ConnectionState.Reconnecting:
    case ConnectionState.SignalReconnecting:
      return "reconnecting";
    default:
      return "disconnected";
  }
}

function person(participant) {
  return participant
    ? { identity: participant.identity, name: participant.name || "" }
    : { identity: "", name: "" };
}

function listen(current) {
  const mine = (handler) => (...args) => {
    if (room === current) handler(...args);
  };
  current
    .on(RoomEvent.ConnectionStateChanged, mine((state) => emit("connection", { state: connectionName(state) })))
    .on(RoomEvent.Disconnected, mine((reason) => {
      // A connection that never opened is answered by connect() itself.
      if (!joined.has(current)) return;
      cleanUp();
      emit("disconnected", { reason: reasonName(reason), code: reason ?? 0 });
    }))
    .on(RoomEvent.ParticipantConnected, mine((p) => {
      emit("joined", person(p));
      snapshot();
    }))
    .on(RoomEvent.ParticipantDisconnected, mine((p) => {
      emit("left", person(p));
      snapshot();
    }))
    .on(RoomEvent.TrackSubscribed, mine((track, publication) => {
      playAudio(track, publication);
      snapshot();
    }))
    .on(RoomEvent.TrackUnsubscribed, mine((_track, publication) => {
      stopAudio(publication.trackSid);
      snapshot();
    }))
    .on(RoomEvent.LocalTrackPublished, mine((publication) => {
      publication.track?.mediaStreamTrack.addEventListener("ended", () => {
        if (room === current) emit("deviceLost", { source: sourceName(publication.source) });
      });
      snapshot();
    }))
    .on(RoomEvent.RoomMetadataChanged, mine((metadata) => emit("roomMetadata", { metadata: metadata ?? "" })))
    .on(RoomEvent.AudioPlaybackStatusChanged, mine(() => emit("audioPlayback", { canPlay: current.canPlaybackAudio })))
    .on(RoomEvent.MediaDevicesError, mine((error) => emit("mediaError", describe(error))))
    .on(RoomEvent.MediaDevicesChanged, mine(() => emit("devicesChanged", {})))
    .on(RoomEvent.DataReceived, mine((payload, participant, _kind, topic) => {
      const text = new TextDecoder().decode(payload);
      let message = null;
      try {
        message = JSON.parse(text);
      } catch {
        return;
      }
      if (topic === LEGACY_CHAT_TOPIC) {
        if (typeof message?.message === "string") {
          emit("chat", { id: String(message.id ?? ""), from: person(participant), text: message.message, timestamp: Number(message.timestamp) || Date.now() });
        }
        return;
      }
      if (topic) return;
      // Also on the page, for gateways and bots that watch the meeting (and for tests): who
      // sent it (null for Meet's server) and the message.
      window.dispatchEvent(new CustomEvent("meet:data", { detail: { from: participant?.identity ?? null, message } }));
      emit("data", { from: person(participant), message });
    }));
  for (const event of [
    RoomEvent.TrackPublished,
    RoomEvent.TrackUnpublished,
    RoomEvent.TrackMuted,
    RoomEvent.TrackUnmuted,
    RoomEvent.LocalTrackUnpublished,
    RoomEvent.ActiveSpeakersChanged,
    RoomEvent.ParticipantNameChanged,
    RoomEvent.ParticipantAttributesChanged,
    RoomEvent.ParticipantPermissionsChanged,
    RoomEvent.Reconnected,
  ]) {
    current.on(event, mine(snapshot));
  }
  current.registerTextStreamHandler(CHAT_TOPIC, async (reader, from) => {
    const text = await reader.readAll();
    if (room !== current) return;
    const participant = current.getParticipantByIdentity(from.identity);
    emit("chat", {
      id: reader.info.id,
      from: participant ? person(participant) : { identity: from.identity, name: "" },
      text,
      timestamp: reader.info.timestamp || Date.now(),
    });
  });
}

function cleanUp() {
  for (const sid of [...players.keys()]) stopAudio(sid);
  stopMeter();
  room = null;
}

/**
 * Joins the LiveKit room at `url` with `token`, publishing what `options` says ({audio, video,
 * audioDevice, videoDevice, speakerDevice} as JSON): the preview's tracks when they match, so the
 * browser does not ask again. Reports `slow` after 2 s without an answer and gives up after 15 s.
 * Resolves to the local participant as JSON; rejects with `{kind, message}` as JSON, `kind` one
 * of `unreachable`, `not_allowed`, `timeout`, `cancelled`, `failed`.
 */
export async function connect(url, token, json) {
  const options = JSON.parse(json);
  if (room) await disconnect();
  speakerDevice = options.speakerDevice || "";
  const current = new Room({
    adaptiveStream: true,
    dynacast: true,
    videoCaptureDefaults: {
      resolution: VideoPresets.h720.resolution,
      deviceId: options.videoDevice || undefined,
    },
    audioCaptureDefaults: { deviceId: options.audioDevice || undefined },
    audioOutput: speakerDevice ? { deviceId: speakerDevice } : undefined,
  });
  room = current;
  listen(current);
  emit("connection", { state: "connecting" });
  const slow = setTimeout(() => room === current && emit("slow", {}), SLOW_AFTER_MS);
  let timedOut = false;
  const giveUp = setTimeout(() => {
    timedOut = true;
    current.disconnect();
  }, GIVE_UP_AFTER_MS);
  try {
    await current.connect(url, token, { maxRetries: 1 });
  } catch (error) {
    if (room === current) room = null;
    current.removeAllListeners();
    throw JSON.stringify(connectError(error, timedOut));
  } finally {
    clearTimeout(slow);
    clearTimeout(giveUp);
  }
  joined.add(current);
  for (const kind of ["audio", "video"]) {
    const track = preview[kind];
    preview[kind] = null;
    if (!track) continue;
    if (options[kind]) {
      try {
        await current.localParticipant.publishTrack(track);
      } catch (error) {
        track.stop();
        emit("mediaError", describe(error));
      }
    } else {
      track.stop();
    }
  }
  stopMeter();
  if (options.audio && !current.localParticipant.getTrackPublication(Track.Source.Microphone)) {
    await setMicrophone(true);
  }
  if (options.video && !current.localParticipant.getTrackPublication(Track.Source.Camera)) {
    await setCamera(true);
  }
  emit("audioPlayback", { canPlay: current.canPlaybackAudio });
  if (current.metadata) emit("roomMetadata", { metadata: current.metadata });
  snapshot();
  return JSON.stringify(person(current.localParticipant));
}

function connectError(error, timedOut) {
  const message = String(error?.message ?? error);
  if (timedOut) return { kind: "timeout", message };
  switch (error?.reason) {
    case 0:
      return { kind: "not_allowed", message };
    case 1:
    case 5:
    case 6:
    case 7:
      return { kind: "unreachable", message };
    case 3:
      return { kind: "cancelled", message };
    default:
      return { kind: "failed", message };
  }
}

/**
 * The session id (`RM_…`) of the room one is connected to, once the server said (at most 5 s
 * after connecting); "" when not connected or not known.
 */
export async function roomSid() {
  const current = room;
  if (!current) return "";
  const known = current.getSid();
  const late = new Promise((resolve) => setTimeout(() => resolve(""), 5000));
  return (await Promise.race([known, late])) || "";
}

/** Leaves the meeting (a `disconnected` event with reason `left` follows). */
export async function disconnect() {
  const current = room;
  if (!current) return;
  await current.disconnect();
}

async function toggle(enable, source, on) {
  if (!room) return JSON.stringify({ on: false, error: { kind: "failed", message: "not connected" } });
  try {
    await enable(on);
    const publication = room.localParticipant.getTrackPublication(source);
    snapshot();
    return JSON.stringify({ on: !!publication && !publication.isMuted, error: null });
  } catch (error) {
    snapshot();
    return JSON.stringify({ on: false, error: describe(error) });
  }
}

/** Turns the microphone on or off; answers `{on, error}`. */
export function setMicrophone(on) {
  return toggle((v) => room.localParticipant.setMicrophoneEnabled(v), Track.Source.Microphone, on);
}

/** Turns the camera on or off; answers `{on, error}`. */
export function setCamera(on) {
  return toggle((v) => room.localParticipant.setCameraEnabled(v), Track.Source.Camera, on);
}

/** Starts or stops sharing the screen; answers `{on, error}` (`denied` when the person cancelled). */
export function setScreenShare(on) {
  return toggle((v) => room.localParticipant.setScreenShareEnabled(v, { audio: true }), Track.Source.ScreenShare, on);
}

/** Uses device `id` for `kind` (`audioinput`, `videoinput`, `audiooutput`) in the meeting. */
export async function switchDevice(kind, id) {
  if (kind === "audiooutput") {
    speakerDevice = id;
    for (const { element } of players.values()) element.setSinkId?.(id).catch(() => {});
  }
  if (!room) return true;
  try {
    return await room.switchActiveDevice(kind, id);
  } catch (error) {
    emit("mediaError", describe(error));
    return false;
  } finally {
    snapshot();
  }
}

/** Sends a chat message to everyone; answers `{id, timestamp}`. */
export async function sendChat(text) {
  if (!room) throw JSON.stringify({ kind: "failed", message: "not connected" });
  const info = await room.localParticipant.sendText(text, { topic: CHAT_TOPIC });
  return JSON.stringify({ id: info.id, timestamp: info.timestamp || Date.now() });
}

/** Sends a JSON data message (`{type, …}`, La Suite Meet's notifications) to everyone. */
/** Sends the JSON message `json` reliably, to everyone or, when `to` is a JSON list of
 * identities, to those participants only. */
export async function sendData(json, to) {
  if (!room) return;
  const destinationIdentities = to ? JSON.parse(to) : undefined;
  await room.localParticipant.publishData(new TextEncoder().encode(json), { reliable: true, destinationIdentities });
}

/** A short two-note sound (someone asks to join); silent where the browser allows no audio. */
export function chime() {
  try {
    const context = new AudioContext();
    const gain = context.createGain();
    gain.connect(context.destination);
    [660, 880].forEach((frequency, index) => {
      const start = context.currentTime + index * 0.15;
      const note = context.createOscillator();
      note.frequency.value = frequency;
      note.connect(gain);
      gain.gain.setValueAtTime(0.15, start);
      gain.gain.exponentialRampToValueAtTime(0.001, start + 0.14);
      note.start(start);
      note.stop(start + 0.15);
    });
    setTimeout(() => context.close(), 500);
  } catch {
    // No audio: the toast says it.
  }
}

/** Plays remote audio after the browser blocked it (call from a click). */
export async function startAudio() {
  if (room) await room.startAudio();
  if (room) emit("audioPlayback", { canPlay: room.canPlaybackAudio });
}

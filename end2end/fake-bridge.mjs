// A scripted stand-in for frontend/js/livekit-bridge.mjs, with the same exports. Specs serve it in
// place of the real bundle (page.route on /pkg/livekit-bridge.*.js) to test the meeting's
// layouts, panels, badges, toasts and disconnect reasons without a media server, and drive it
// through window.fakeLiveKit: join, leave, speak, share, chat, raise hands, remove.
//
// Cameras are canvases painted in each participant's colour, so tiles show real video.

let listener = null;
let connected = false;
let local = null;
const remote = new Map();
const streams = new Map();
const sent = { chat: [], data: [] };
let canPlay = true;
let joinedAt = 1;

function emit(name, payload) {
  if (listener) listener(name, JSON.stringify(payload ?? null));
}

function stream(key, color, label) {
  if (!streams.has(key)) {
    const canvas = document.createElement("canvas");
    canvas.width = 320;
    canvas.height = 180;
    const g = canvas.getContext("2d");
    let frame = 0;
    const paint = () => {
      g.fillStyle = color;
      g.fillRect(0, 0, 320, 180);
      g.fillStyle = "#fff";
      g.font = "20px sans-serif";
      g.fillText(`${label} ${frame++ % 100}`, 12, 30);
    };
    paint();
    const timer = setInterval(paint, 100);
    streams.set(key, { stream: canvas.captureStream(10), timer });
  }
  return streams.get(key).stream;
}

function person(p) {
  return { identity: p.identity, name: p.name };
}

function snapshot() {
  if (!connected) return;
  emit("participants", [local, ...remote.values()].map((p) => ({ ...p, attributes: { ...p.attributes } })));
  for (const [key, element] of elements) refresh(key, element);
}

const elements = new Map();

function refresh(key, element) {
  const [identity, source] = key.split("/");
  const p = identity === "local" || identity === local?.identity ? local : remote.get(identity);
  const on = p && (source === "camera" ? p.camera : p.screenShare);
  const wanted = on ? stream(`${p.identity}/${source}`, source === "camera" ? p.color : "#334", `${p.name} ${source}`) : null;
  if (element.srcObject !== wanted) element.srcObject = wanted;
}

export function livekitVersion() {
  return "fake";
}

export function onEvent(callback) {
  listener = callback;
}

export async function listDevices() {
  return JSON.stringify([
    { kind: "audioinput", id: "mic-1", label: "Fake microphone" },
    { kind: "audioinput", id: "mic-2", label: "Second microphone" },
    { kind: "videoinput", id: "cam-1", label: "Fake camera" },
    { kind: "audiooutput", id: "spk-1", label: "Fake speaker" },
  ]);
}

let previewOn = { audio: false, video: false };

export async function setPreview(json) {
  const wanted = JSON.parse(json);
  previewOn = { audio: !!wanted.audio, video: !!wanted.video };
  return JSON.stringify({
    audio: { on: previewOn.audio, device: "mic-1", error: null },
    video: { on: previewOn.video, device: "cam-1", error: null },
  });
}

export function stopPreview() {
  previewOn = { audio: false, video: false };
}

export function micLevel() {
  return previewOn.audio || local?.microphone ? 0.3 : 0;
}

export function attach(identity, source, element) {
  const key = `${identity}/${source}`;
  elements.set(key, element);
  if (!connected && identity === "local") {
    element.srcObject = previewOn.video ? stream("preview", "#0a6", "preview") : null;
    return;
  }
  refresh(key, element);
}

export function detach(identity, source) {
  elements.delete(`${identity}/${source}`);
}

function claims(token) {
  const body = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(decodeURIComponent(escape(atob(body))));
}

export async function connect(url, token, json) {
  const options = JSON.parse(json);
  const jwt = claims(token);
  emit("connection", { state: "connecting" });
  await new Promise((resolve) => setTimeout(resolve, 50));
  if (window.fakeLiveKit.failConnect) {
    throw JSON.stringify({ kind: window.fakeLiveKit.failConnect, message: "scripted failure" });
  }
  connected = true;
  local = {
    identity: jwt.sub,
    name: jwt.name ?? "",
    local: true,
    speaking: false,
    microphone: !!options.audio,
    camera: !!options.video,
    screenShare: false,
    attributes: jwt.attributes ?? {},
    joinedAt: joinedAt++,
    color: "#2c3ee0",
  };
  window.fakeLiveKit.url = url;
  window.fakeLiveKit.token = token;
  emit("connection", { state: "connected" });
  emit("audioPlayback", { canPlay });
  // The metadata the meeting already has (scripted before Join), as the real bridge hands it over.
  if (window.fakeLiveKit.metadata) emit("roomMetadata", { metadata: JSON.stringify(window.fakeLiveKit.metadata) });
  snapshot();
  return JSON.stringify(person(local));
}

export async function roomSid() {
  return connected ? (window.fakeLiveKit.sid ?? "RM_FakeSession1") : "";
}

export async function disconnect() {
  if (!connected) return;
  connected = false;
  emit("disconnected", { reason: "left", code: 1 });
}

async function toggle(field, on) {
  if (!connected) return JSON.stringify({ on: false, error: null });
  local[field] = on;
  snapshot();
  return JSON.stringify({ on, error: null });
}

export function setMicrophone(on) {
  return toggle("microphone", on);
}

export function setCamera(on) {
  return toggle("camera", on);
}

export function setScreenShare(on) {
  return toggle("screenShare", on);
}

export async function switchDevice() {
  return true;
}

export async function sendChat(text) {
  sent.chat.push(text);
  return JSON.stringify({ id: `c${sent.chat.length}`, timestamp: Date.now() });
}

export async function sendData(json, to) {
  sent.data.push({ ...JSON.parse(json), ...(to ? { to: JSON.parse(to) } : {}) });
}

export async function startAudio() {
  canPlay = true;
  emit("audioPlayback", { canPlay });
}

export function chime() {
  window.fakeLiveKit.chimes += 1;
}

let messageId = 0;

window.fakeLiveKit = {
  failConnect: null,
  /** The room's metadata when one connects (null: none). */
  metadata: null,
  chimes: 0,
  sent,
  join(identity, name, extra = {}) {
    remote.set(identity, {
      identity,
      name,
      local: false,
      speaking: false,
      microphone: true,
      camera: true,
      screenShare: false,
      attributes: { color: "hsl(200, 60%, 45%)", is_authenticated: "false", ...(extra.attributes ?? {}) },
      joinedAt: joinedAt++,
      color: extra.color ?? "#a52",
      ...extra,
    });
    emit("joined", { identity, name });
    snapshot();
  },
  leave(identity) {
    const p = remote.get(identity);
    remote.delete(identity);
    if (p) emit("left", person(p));
    snapshot();
  },
  update(identity, changes) {
    const p = identity === local?.identity ? local : remote.get(identity);
    Object.assign(p, changes);
    snapshot();
  },
  /** Changes oneself as the server would (permissions, attributes). */
  updateLocal(changes) {
    Object.assign(local, changes);
    snapshot();
  },
  /** The meeting's metadata changes (a host saved the room's settings). */
  roomMetadata(value) {
    emit("roomMetadata", { metadata: JSON.stringify(value) });
  },
  hand(identity, at) {
    const p = identity === local?.identity ? local : remote.get(identity);
    p.attributes = { ...p.attributes, handRaisedAt: at };
    snapshot();
  },
  chat(identity, text) {
    const p = remote.get(identity);
    emit("chat", { id: `m${++messageId}`, from: person(p), text, timestamp: Date.now() });
  },
  data(identity, message) {
    emit("data", { from: person(remote.get(identity)), message });
  },
  /** A data message from the server (no participant sent it), as LiveKit delivers those. */
  serverData(message) {
    emit("data", { from: { identity: "", name: "" }, message });
  },
  blockAudio() {
    canPlay = false;
    emit("audioPlayback", { canPlay });
  },
  reconnecting() {
    emit("connection", { state: "reconnecting" });
  },
  reconnected() {
    emit("connection", { state: "connected" });
  },
  loseDevice(source) {
    if (source === "camera") local.camera = false;
    snapshot();
    emit("deviceLost", { source });
  },
  disconnect(reason) {
    connected = false;
    emit("disconnected", { reason, code: 0 });
  },
};

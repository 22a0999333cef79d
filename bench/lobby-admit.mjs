// How long from a host pressing Admit to the waiting guest's page knowing: for each of N guests,
// the guest asks to enter (request-entry) and follows their request (the SSE stream
// /events/rooms/{id}/entry, as the page does); once the stream says "waiting", the host admits
// them (POST enter, on HOST_URL, which may be another instance) and the clock runs until the
// guest's stream delivers "accepted" with credentials. Prints the median, p90 and max.
//
// Usage: node bench/lobby-admit.mjs GUEST_URL HOST_URL HOST_COOKIE ROOM_ID [N=100]
const [guestUrl, hostUrl, hostCookie, room, count = '100'] = process.argv.slice(2);
if (!guestUrl || !hostUrl || !hostCookie || !room) {
  console.error('usage: node bench/lobby-admit.mjs GUEST_URL HOST_URL HOST_COOKIE ROOM_ID [N]');
  process.exit(2);
}

/** Reads SSE events from `response` until one named `entry` satisfies `wanted`. */
async function until(reader, state, wanted) {
  const decoder = new TextDecoder();
  for (;;) {
    const end = state.buffer.indexOf('\n\n');
    if (end >= 0) {
      const block = state.buffer.slice(0, end);
      state.buffer = state.buffer.slice(end + 2);
      const name = /^event: ?(.*)$/m.exec(block)?.[1];
      const data = /^data: ?(.*)$/m.exec(block)?.[1];
      if (name === 'gone') throw new Error('the request lapsed');
      if (name === 'entry' && data && wanted(JSON.parse(data))) return JSON.parse(data);
      continue;
    }
    const { value, done } = await reader.read();
    if (done) throw new Error('the stream ended');
    state.buffer += decoder.decode(value, { stream: true });
  }
}

const times = [];
for (let i = 0; i < Number(count); i++) {
  const asked = await fetch(`${guestUrl}/api/v1.0/rooms/${room}/request-entry/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: `Guest ${i}` }),
  });
  const { id, status } = await asked.json();
  if (status !== 'waiting') throw new Error(`guest ${i}: ${status}`);
  const cookie = asked.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  const controller = new AbortController();
  const stream = await fetch(`${guestUrl}/events/rooms/${room}/entry`, {
    headers: { cookie },
    signal: controller.signal,
  });
  const reader = stream.body.getReader();
  const state = { buffer: '' };
  await until(reader, state, (entry) => entry.status === 'waiting');
  const start = performance.now();
  const admitted = await fetch(`${hostUrl}/api/v1.0/rooms/${room}/enter/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: hostCookie },
    body: JSON.stringify({ participant_id: id, allow_entry: true }),
  });
  if (admitted.status !== 200) throw new Error(`admit: ${admitted.status}`);
  const entry = await until(reader, state, (e) => e.status === 'accepted');
  times.push(performance.now() - start);
  if (!entry.livekit?.token) throw new Error('accepted without credentials');
  controller.abort();
}
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
console.log(
  `${times.length} admissions: median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, ` +
    `max ${times[times.length - 1].toFixed(1)} ms`,
);

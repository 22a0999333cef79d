// Opens N idle waiting guests on one instance: each asks to enter ROOM once, then keeps its push
// stream open. Prints the instance's RSS (from /proc/PID/status) with them all open, then closes
// them and prints it again. Usage: node bench/lobby-idle.mjs MEET_URL ROOM N PID
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [meet, room, count, pid] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const rss = () => /VmRSS:\s+(\d+ kB)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1];

function request(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${meet}${path}`, { method, headers, agent }, resolve);
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const streams = [];
const total = Number(count);
for (let start = 0; start < total; start += 50) {
  const batch = [];
  for (let i = start; i < Math.min(total, start + 50); i++) {
    batch.push(
      (async () => {
        const body = JSON.stringify({ username: `Idle ${i}` });
        let cookie = '';
        // On a busy machine a request may lapse (3 s) before its stream opens: ask again.
        for (let attempt = 0; attempt < 3; attempt++) {
          const asked = await request('POST', `/api/v1.0/rooms/${room}/request-entry/`, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            cookie,
          }, body);
          const set = (asked.headers['set-cookie'] ?? []).map((line) => line.split(';')[0]).join('; ');
          cookie = set || cookie;
          asked.resume();
          const stream = await request('GET', `/events/rooms/${room}/entry`, { cookie });
          if (stream.statusCode === 200) {
            stream.resume();
            streams.push(stream);
            return;
          }
          stream.resume();
        }
        throw new Error(`guest ${i}: no stream after 3 attempts`);
      })(),
    );
  }
  await Promise.all(batch);
}
// Let a few keep-alive rounds pass: the guests must still be there.
await new Promise((resolve) => setTimeout(resolve, 5_000));
console.log(`    ${streams.length} open push streams; RSS with them open: ${rss()}`);
for (const stream of streams) stream.destroy();
agent.destroy();
// Closed (the instance notices at its next keep-alive, within 15 s): what stays is what the
// allocator keeps of the burst, not the streams.
await new Promise((resolve) => setTimeout(resolve, 20_000));
console.log(`    RSS 20 s after closing them: ${rss()}`);

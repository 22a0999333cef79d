// Prepares what `make fuzz-api` fuzzes against: as the first user (whose session cookie comes
// first), a room with the others in it, and a second room to delete; prints the schemathesis
// configuration (the base file given, then one entry per operation pointing its `{id}` at one of
// these), so that operations on one room, user or access reach past "not found".
// Usage: node scripts/fuzz-fixtures.mjs MEET_URL BASE_CONFIG COOKIE OTHER_COOKIE...
import { readFileSync } from 'node:fs';

const [meet, base, cookie, ...otherCookies] = process.argv.slice(2);
const api = `${meet}/api/v1.0`;

async function call(method, path, body, as = cookie) {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { cookie: as, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

const me = await call('GET', '/users/me/');
const room = await call('POST', '/rooms/', { name: 'Fuzzed room', access_level: 'restricted' });
const doomed = await call('POST', '/rooms/', { name: 'Room to delete' });

const accesses = [];
for (const other of otherCookies) {
  const { id: user } = await call('GET', '/users/me/', undefined, other);
  accesses.push(await call('POST', '/resource-accesses/', { user, resource: room.id, role: 'member' }));
}

// `include-name` is the operation's label: one operation (separate include- keys would match
// every operation with that path *or* that method).
const entry = (method, path, id) =>
  `\n[[operations]]\ninclude-name = "${method} ${path}"\nparameters = { "path.id" = "${id}" }\n`;
let config = readFileSync(base, 'utf8');
for (const method of ['GET', 'PUT', 'PATCH']) config += entry(method, '/api/v1.0/rooms/{id}/', room.id);
config += entry('DELETE', '/api/v1.0/rooms/{id}/', doomed.id);
for (const method of ['PUT', 'PATCH']) config += entry(method, '/api/v1.0/users/{id}/', me.id);
if (accesses.length >= 2) {
  for (const method of ['GET', 'PUT', 'PATCH']) {
    config += entry(method, '/api/v1.0/resource-accesses/{id}/', accesses[0].id);
  }
  config += entry('DELETE', '/api/v1.0/resource-accesses/{id}/', accesses[1].id);
}
process.stdout.write(config);

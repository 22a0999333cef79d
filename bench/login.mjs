// Logs in to Meet through the development identity provider, as a browser would, and prints the
// `Cookie` header of the logged-in session. Usage: node bench/login.mjs MEET_URL LOGIN
const [meet, login] = process.argv.slice(2);
if (!meet || !login) {
  console.error('usage: node bench/login.mjs MEET_URL LOGIN');
  process.exit(2);
}

// One cookie jar per host (ports share cookies, as in browsers).
const jar = new Map();
function remember(url, response) {
  const host = new URL(url).hostname;
  const cookies = jar.get(host) ?? new Map();
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const index = pair.indexOf('=');
    cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
  }
  jar.set(host, cookies);
}
function cookieHeader(url) {
  const cookies = jar.get(new URL(url).hostname) ?? new Map();
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}
async function request(url, options = {}) {
  const headers = { ...(options.headers ?? {}), cookie: cookieHeader(url) };
  const response = await fetch(url, { ...options, headers, redirect: 'manual' });
  remember(url, response);
  return response;
}

let url = `${meet}/api/v1.0/authenticate/?returnTo=%2F`;
for (let step = 0; step < 12; step += 1) {
  const response = await request(url);
  if (response.status >= 300 && response.status < 400) {
    url = new URL(response.headers.get('location'), url).toString();
    if (url === `${meet}/`) break;
    continue;
  }
  const page = await response.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(page);
  if (!action) throw new Error(`no login form at ${url} (${response.status})`);
  const posted = await request(new URL(action[1].replaceAll('&amp;', '&'), url).toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ prompt: 'login', login, password: 'bench' }).toString(),
  });
  url = new URL(posted.headers.get('location'), url).toString();
}
const session = (jar.get(new URL(meet).hostname) ?? new Map()).get('meet_sessionid');
if (!session) throw new Error('the login did not produce a session');
console.log(`meet_sessionid=${session}`);

// Playwright suite for Meet: drives Debian's Chromium against the real `meet` binary, started on a
// free port with a fresh SQLite database. Run it with `make e2e` (which builds what it needs).
//
// The development identity provider (end2end/oidc/dev-provider.mjs) runs next to it on another
// free port, and Meet is configured to log in through it.
//
// Environment: MEET_BIN (the server binary, default target/debug/meet), MEET_SITE_ROOT (the built
// front end, default target/site), CHROMIUM (default /usr/bin/chromium).
import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');

/** A TCP port that is free right now on 127.0.0.1. */
function freePort(): string {
  const script =
    "const s = require('net').createServer().listen(0, '127.0.0.1', () => {" +
    ' console.log(s.address().port); s.close(); });';
  return execFileSync(process.execPath, ['-e', script]).toString().trim();
}

// Chosen once, in the main process; the worker processes inherit them through the environment.
process.env.MEET_E2E_PORT ??= freePort();
process.env.MEET_E2E_OIDC_PORT ??= freePort();
process.env.MEET_E2E_DATA ??= mkdtempSync(join(tmpdir(), 'meet-e2e-'));

// A port nothing listens on: the media server of the Meet that cannot reach one.
process.env.MEET_E2E_CLOSED_PORT ??= freePort();
process.env.MEET_E2E_UNREACHABLE_PORT ??= freePort();
// A Meet that records meetings, with the LiveKit stand-in (its Egress service, which the real
// server lacks) as its media server's API; the stand-in posts its webhooks to that Meet.
process.env.MEET_E2E_RECORDING_PORT ??= freePort();
process.env.MEET_E2E_STANDIN_PORT ??= freePort();
// A Meet that records product events into its database and a PostHog-compatible endpoint, and
// that endpoint.
process.env.MEET_E2E_ANALYTICS_PORT ??= freePort();
process.env.MEET_E2E_POSTHOG_PORT ??= freePort();
const standinBin = process.env.MEET_STANDIN_BIN ?? join(root, 'target/debug/meet-livekit-standin');

/** The `livekit-server` binary: $LIVEKIT_SERVER, else the first on the PATH; none on a machine
 * without one (the media specs then say they are skipped). */
function findLiveKit(): string | undefined {
  const candidates = [process.env.LIVEKIT_SERVER].concat(
    (process.env.PATH ?? '').split(':').map((dir) => join(dir, 'livekit-server')),
  );
  return candidates.find((path) => !!path && existsSync(path));
}

const livekitServer = findLiveKit();
if (livekitServer) {
  process.env.MEET_E2E_LIVEKIT_PORT ??= freePort();
  process.env.MEET_E2E_LIVEKIT_TCP ??= freePort();
  process.env.MEET_E2E_LIVEKIT_UDP ??= freePort();
}
const livekitPort = process.env.MEET_E2E_LIVEKIT_PORT;
const livekitConfig = join(process.env.MEET_E2E_DATA, 'livekit.yaml');
if (livekitServer && !existsSync(livekitConfig)) {
  // Loopback only, no STUN, the keys Meet's defaults use (see livekit-server's README).
  writeFileSync(
    livekitConfig,
    [
      `port: ${livekitPort}`,
      'bind_addresses: [127.0.0.1]',
      'rtc:',
      `  tcp_port: ${process.env.MEET_E2E_LIVEKIT_TCP}`,
      `  udp_port: ${process.env.MEET_E2E_LIVEKIT_UDP}`,
      '  use_external_ip: false',
      '  node_ip: 127.0.0.1',
      '  enable_loopback_candidate: true',
      '  ips:',
      '    includes: [127.0.0.1/32]',
      'keys:',
      '  devkey: secret',
      'turn:',
      '  enabled: false',
      'logging:',
      '  level: warn',
      '',
    ].join('\n'),
  );
}
/** Where the main Meet's browsers find LiveKit: the real server, or a closed port. */
const livekitUrl = livekitPort
  ? `ws://127.0.0.1:${livekitPort}`
  : `ws://127.0.0.1:${process.env.MEET_E2E_CLOSED_PORT}`;
process.env.MEET_E2E_LIVEKIT_URL = livekitPort ? livekitUrl : '';

const port = process.env.MEET_E2E_PORT;
const oidcPort = process.env.MEET_E2E_OIDC_PORT;
const baseURL = `http://127.0.0.1:${port}`;
const issuer = `http://127.0.0.1:${oidcPort}`;

/** Login through the development provider. */
const login = {
  OIDC_ISSUER_URL: issuer,
  OIDC_RP_CLIENT_ID: 'meet-dev',
  OIDC_RP_CLIENT_SECRET: 'meet-dev-secret',
  OIDC_RP_SCOPES: 'openid email given_name usual_name',
};

/** A Meet on `port` with its own SQLite file `database`, configured further by `env`. Meet's
 * warnings (RUST_LOG=warn) go to the output: why a login failed, say. */
function meet(port: string | undefined, database: string, env: Record<string, string>) {
  return {
    command: process.env.MEET_BIN ?? join(root, 'target/debug/meet'),
    cwd: root,
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    env: {
      MEET_LISTEN_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: `sqlite://${join(process.env.MEET_E2E_DATA!, database)}`,
      MEET_SITE_ROOT: process.env.MEET_SITE_ROOT ?? join(root, 'target/site'),
      RUST_LOG: process.env.RUST_LOG ?? 'warn',
      ...env,
    },
  };
}

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'test-results/results.json' }]],
  outputDir: 'test-results/artifacts',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        '--allow-loopback-in-peer-connection',
        '--autoplay-policy=no-user-gesture-required',
        '--auto-select-desktop-capture-source=Entire screen',
      ],
    },
  },
  webServer: [
    ...(livekitServer
      ? [
          {
            command: `${livekitServer} --dev --bind 127.0.0.1 --config ${livekitConfig}`,
            url: `http://127.0.0.1:${livekitPort}/`,
            reuseExistingServer: false,
            timeout: 20_000,
            stdout: 'ignore' as const,
            stderr: 'pipe' as const,
          },
        ]
      : []),
    {
      command: `node ${join(root, 'end2end/oidc/dev-provider.mjs')}`,
      url: `${issuer}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 20_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: { DEV_OIDC_PORT: oidcPort, MEET_PUBLIC_URL: baseURL },
    },
    meet(port, 'meet.db', { ...login, LIVEKIT_URL: livekitUrl }),
    {
      command: standinBin,
      url: `http://127.0.0.1:${process.env.MEET_E2E_STANDIN_PORT}/_standin/state`,
      reuseExistingServer: false,
      timeout: 20_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        STANDIN_ADDR: `127.0.0.1:${process.env.MEET_E2E_STANDIN_PORT}`,
        STANDIN_WEBHOOK_URL: `http://127.0.0.1:${process.env.MEET_E2E_RECORDING_PORT}/api/v1.0/rooms/webhooks-livekit/`,
      },
    },
    // A third Meet, which records meetings through the stand-in's Egress.
    meet(process.env.MEET_E2E_RECORDING_PORT, 'recording.db', {
      ...login,
      LIVEKIT_URL: `ws://127.0.0.1:${process.env.MEET_E2E_STANDIN_PORT}`,
      RECORDING_ENABLE: 'true',
      RECORDING_EXPIRATION_DAYS: '7',
      RECORDING_MAX_DURATION: '7200000',
      RECORDING_STORAGE_FOLDER: join(process.env.MEET_E2E_DATA, 'media'),
    }),
    {
      command: `node ${join(root, 'end2end/posthog-capture.mjs')}`,
      url: `http://127.0.0.1:${process.env.MEET_E2E_POSTHOG_PORT}/_captured`,
      reuseExistingServer: false,
      timeout: 20_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: { CAPTURE_PORT: process.env.MEET_E2E_POSTHOG_PORT },
    },
    // A fourth Meet, with product analytics on (database and PostHog) and an operator.
    meet(process.env.MEET_E2E_ANALYTICS_PORT, 'analytics.db', {
      ...login,
      LIVEKIT_URL: `ws://127.0.0.1:${process.env.MEET_E2E_CLOSED_PORT}`,
      ANALYTICS_BACKEND: 'db,posthog',
      ANALYTICS_SECRET: 'the end-to-end analytics secret, 32+ chars',
      ANALYTICS_POSTHOG_HOST: `http://127.0.0.1:${process.env.MEET_E2E_POSTHOG_PORT}`,
      ANALYTICS_POSTHOG_KEY: 'phc_e2e',
      MEET_ADMIN_EMAILS: 'ops@example.test',
    }),
    // A second Meet whose media server cannot be reached.
    meet(process.env.MEET_E2E_UNREACHABLE_PORT, 'unreachable.db', {
      LIVEKIT_URL: `ws://127.0.0.1:${process.env.MEET_E2E_CLOSED_PORT}`,
    }),
  ],
});

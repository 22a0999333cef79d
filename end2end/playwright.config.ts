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
import { mkdtempSync } from 'node:fs';
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

const port = process.env.MEET_E2E_PORT;
const oidcPort = process.env.MEET_E2E_OIDC_PORT;
const baseURL = `http://127.0.0.1:${port}`;
const issuer = `http://127.0.0.1:${oidcPort}`;

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
      ],
    },
  },
  webServer: [
    {
      command: `node ${join(root, 'end2end/oidc/dev-provider.mjs')}`,
      url: `${issuer}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 20_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: { DEV_OIDC_PORT: oidcPort, MEET_PUBLIC_URL: baseURL },
    },
    {
    command: process.env.MEET_BIN ?? join(root, 'target/debug/meet'),
    cwd: root,
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    // Meet's warnings (RUST_LOG=warn) go to the output: why a login failed, say.
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      MEET_LISTEN_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: `sqlite://${join(process.env.MEET_E2E_DATA, 'meet.db')}`,
      MEET_SITE_ROOT: process.env.MEET_SITE_ROOT ?? join(root, 'target/site'),
      RUST_LOG: process.env.RUST_LOG ?? 'warn',
      OIDC_ISSUER_URL: issuer,
      OIDC_RP_CLIENT_ID: 'meet-dev',
      OIDC_RP_CLIENT_SECRET: 'meet-dev-secret',
      OIDC_RP_SCOPES: 'openid email given_name usual_name',
    },
    },
  ],
});

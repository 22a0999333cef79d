// Shared steps of the end-to-end specs.
import { expect, type Page } from '@playwright/test';
import { join } from 'node:path';

/** Waits until the wasm bundle has hydrated the page (the entry point marks <html>). */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

/** Waits until the meeting page has the call's code (fetched in the background on the pre-join
 * screen; the debug build's is 6 MB), as it has once people have spent a moment there: timings
 * from Join then measure the call, not that download. */
export async function waitForCallCode(page: Page): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('data-call-ready', 'true', { timeout: 20_000 });
}

/** Whether `url` is one of Meet's (not the identity provider's, whose pages load fonts from
 * the internet and have no favicon). */
function isMeet(url: string): boolean {
  try {
    const port = new URL(url).port;
    return [
      process.env.MEET_E2E_PORT,
      process.env.MEET_E2E_UNREACHABLE_PORT,
      process.env.MEET_E2E_RECORDING_PORT,
      process.env.MEET_E2E_ANALYTICS_PORT,
    ].includes(port);
  } catch {
    return false;
  }
}

/** Collects console errors and uncaught exceptions of Meet's pages in `page`, to assert there
 * were none. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && isMeet(message.location().url || page.url())) {
      errors.push(`console: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => {
    if (isMeet(page.url())) errors.push(`pageerror: ${error.message}`);
  });
  return errors;
}

/** Logs in as `login` through the development provider, from the home page. */
export async function logIn(page: Page, login: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('link', { name: 'Log in', exact: true }).click();
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'anything');
  await page.click('button[type=submit]');
  await expect(page.locator('.user-menu')).toBeVisible();
}

/** Serves end2end/fake-bridge.mjs in place of the media bridge bundle, so the meeting runs
 * against scripted participants (window.fakeLiveKit) rather than a media server. */
export async function useFakeBridge(page: Page): Promise<void> {
  await page.route('**/pkg/livekit-bridge.*.js', (route) =>
    route.fulfill({ path: join(__dirname, '..', 'fake-bridge.mjs'), contentType: 'text/javascript' }),
  );
}

/** Collects the Content-Security-Policy violations `page` reports. */
export function collectCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

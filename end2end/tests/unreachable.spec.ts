// A Meet whose media server cannot be reached (LIVEKIT_URL on a closed port) says so within
// two seconds of pressing Join, with a way to try again: never an endless spinner.
import { expect, test } from '@playwright/test';
import { collectCspViolations, waitForCallCode, waitForHydration } from './helpers';

test('an unreachable media server is said within two seconds, with Try again', async ({ page, context }) => {
  await context.grantPermissions(['camera', 'microphone']);
  const csp = collectCspViolations(page);
  const base = `http://127.0.0.1:${process.env.MEET_E2E_UNREACHABLE_PORT}`;
  await page.goto(`${base}/unr-each-abl`);
  await waitForHydration(page);
  await page.fill('#display-name', 'Patient Guest');
  await waitForCallCode(page);
  const pressed = Date.now();
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'The media server cannot be reached' });
  await expect(alert).toBeVisible({ timeout: 2000 });
  expect(Date.now() - pressed).toBeLessThan(2000);
  await expect(alert.getByRole('button', { name: 'Try again' })).toBeVisible();
  // Trying again tries (and fails) again; Back returns to the pre-join screen.
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The media server cannot be reached' })).toBeVisible({ timeout: 2000 });
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.locator('#display-name')).toBeVisible();
  expect(csp).toEqual([]);
});

// The lobby through Meet's own pages, with the scripted media bridge: a guest asks to join a
// restricted meeting, the host is told at once (toast, sound, badge) and lets them in, and the
// guest's pre-join turns into the meeting by itself; a refusal, then asking again; a guest who
// closes their tab leaves the list; only hosts see the lobby.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { collectCspViolations, collectErrors, logIn, useFakeBridge, waitForHydration } from './helpers';

const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'Meeting controls' });

/** `login` logs in, creates a restricted room and joins its meeting; the room's slug. */
async function hostMeeting(page: Page, login: string): Promise<string> {
  await logIn(page, login);
  const created = await page.request.post('/api/v1.0/rooms/', {
    data: { name: `${login}-lobby`, access_level: 'restricted' },
  });
  expect(created.status()).toBe(201);
  const { slug } = await created.json();
  await useFakeBridge(page);
  await page.goto(`/${slug}`);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(toolbar(page)).toBeVisible();
  return slug;
}

/** A guest in a browser of their own asks to join `slug` as `name`. */
async function guestAsks(browser: Browser, slug: string, name: string): Promise<Page> {
  const context = await browser.newContext();
  const guest = await context.newPage();
  await useFakeBridge(guest);
  await guest.goto(`/${slug}`);
  await waitForHydration(guest);
  await expect(guest.locator('.admission-lobby')).toContainText('A host will let you in.');
  await guest.fill('#display-name', name);
  await guest.getByRole('button', { name: 'Ask to join' }).click();
  await expect(guest.getByText('Asking to join…')).toBeVisible();
  await expect(guest.getByRole('button', { name: 'Waiting for a host…' })).toBeDisabled();
  return guest;
}

test('a guest asks, the host is told at once and lets them in, and the guest is in', async ({ page, browser }) => {
  const errors = collectErrors(page);
  const csp = collectCspViolations(page);
  const slug = await hostMeeting(page, 'erin');
  const guest = await guestAsks(browser, slug, 'Gus');
  const guestErrors = collectErrors(guest);
  const guestCsp = collectCspViolations(guest);

  await expect(page.locator('.toast').filter({ hasText: 'Gus asks to join' })).toBeVisible();
  await expect(page.locator('#announcer')).toContainText('Gus asks to join');
  await expect.poll(() => page.evaluate('fakeLiveKit.chimes')).toBe(1);
  await expect(page.getByLabel('1 waiting to join')).toBeVisible();
  await page.getByRole('button', { name: /^People/ }).click();
  await expect(page.getByRole('heading', { name: 'Waiting to join (1)' })).toBeVisible();
  await page.getByRole('button', { name: 'Admit Gus' }).click();

  // No other click: the guest's pre-join becomes the meeting.
  await expect(toolbar(guest)).toBeVisible();
  await expect(page.getByLabel('1 waiting to join')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: /Waiting to join/ })).toHaveCount(0);
  expect(errors).toEqual([]);
  expect(csp).toEqual([]);
  expect(guestErrors).toEqual([]);
  expect(guestCsp).toEqual([]);
  await guest.context().close();
});

test('a refused guest may ask again; a guest who closes the tab leaves the list', async ({ page, browser }) => {
  // Three browsers, and a refusal that stands 5 s.
  test.setTimeout(90_000);
  const slug = await hostMeeting(page, 'frank');
  const guest = await guestAsks(browser, slug, 'Hana');
  await page.getByRole('button', { name: /^People/ }).click();
  await page.getByRole('button', { name: 'Deny Hana' }).click();
  await expect(guest.getByRole('alert')).toContainText('A host declined your request to join');
  await expect(page.getByRole('heading', { name: /Waiting to join/ })).toHaveCount(0);

  // The refusal stands 5 s; then asking again puts Hana back on the list.
  await guest.waitForTimeout(5_200);
  await guest.getByRole('button', { name: 'Ask again' }).click();
  await expect(guest.getByText('Asking to join…')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Waiting to join (1)' })).toBeVisible();

  // Two wait; one closes the tab and is gone from the list; the other is admitted with
  // "Admit all".
  const other = await guestAsks(browser, slug, 'Ivo');
  await expect(page.getByRole('heading', { name: 'Waiting to join (2)' })).toBeVisible();
  await other.context().close();
  await expect(page.getByRole('heading', { name: 'Waiting to join (1)' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Admit Ivo' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Admit Hana' }).click();
  await expect(toolbar(guest)).toBeVisible();

  // The admitted guest is no host: no lobby for them, even while someone waits.
  const third = await guestAsks(browser, slug, 'Jo');
  await expect(page.getByRole('heading', { name: 'Waiting to join (1)' })).toBeVisible();
  await guest.getByRole('button', { name: /^People/ }).click();
  await expect(guest.getByRole('heading', { name: /^People/ })).toBeVisible();
  await expect(guest.getByRole('heading', { name: /Waiting to join/ })).toHaveCount(0);
  await expect(guest.getByLabel(/waiting to join/)).toHaveCount(0);
  await third.context().close();
  await guest.context().close();
});

test('a request whose stream is refused says so, and may be made again', async ({ page, browser }) => {
  const slug = await hostMeeting(page, 'gina');
  const context = await browser.newContext();
  const guest = await context.newPage();
  await useFakeBridge(guest);
  // The stream the page follows its request on is refused (as when the request lapsed first).
  await guest.route('**/events/rooms/*/entry', (route) =>
    route.fulfill({ status: 404, contentType: 'application/json', body: '{"detail":"Not found."}' }),
  );
  await guest.goto(`/${slug}`);
  await waitForHydration(guest);
  await guest.fill('#display-name', 'Kim');
  await guest.getByRole('button', { name: 'Ask to join' }).click();
  await expect(guest.getByRole('alert')).toHaveText('Your request to join was withdrawn. Ask again.');
  await expect(guest.getByText('Asking to join…')).toHaveCount(0);
  await expect(guest.getByRole('button', { name: 'Ask to join' })).toBeEnabled();
  await context.close();
});

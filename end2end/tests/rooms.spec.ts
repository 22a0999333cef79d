// Meetings: creating them (now or for later), the meeting page saying how one enters, and the
// list of one's meetings.
import { expect, test } from '@playwright/test';
import { collectErrors, logIn, waitForHydration } from './helpers';

const CODE = /\/([a-z]{3}-[a-z]{4}-[a-z]{3})$/;

test('visitors are asked to log in to create a meeting', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Log in to create a meeting' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start an instant meeting' })).toHaveCount(0);
});

test('an instant meeting opens at once, and its creator enters directly', async ({ page }) => {
  const errors = collectErrors(page);
  await logIn(page, 'alice');
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Start an instant meeting' }).click();
  await expect(page).toHaveURL(CODE);
  const code = CODE.exec(page.url())![1];
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(code);
  await expect(page.getByRole('status')).toContainText('You can join this meeting directly.');
  await expect(page).toHaveTitle(`${code} · Meet`);
  expect(errors).toEqual([]);
});

test('a meeting for later shows its link to share, and is listed', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await logIn(page, 'bob');
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Create a meeting for later' }).click();
  const link = page.getByLabel('Meeting link');
  await expect(link).toBeVisible();
  const value = await link.inputValue();
  expect(value).toMatch(new RegExp(`^${baseURL}/[a-z]{3}-[a-z]{4}-[a-z]{3}$`));
  expect(page.url()).toBe(`${baseURL}/`);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);

  await page.reload();
  const slug = value.split('/').pop()!;
  await expect(page.getByRole('heading', { name: 'Your meetings' })).toBeVisible();
  await expect(page.getByRole('link', { name: slug })).toBeVisible();
});

test('a room named through the API opens from Your meetings', async ({ page }) => {
  await logIn(page, 'carol');
  await waitForHydration(page);
  const created = await page.request.post('/api/v1.0/rooms/', {
    data: { name: 'Weekly Sync', access_level: 'trusted' },
  });
  expect(created.status()).toBe(201);
  await page.reload();
  const item = page.locator('.room-item', { hasText: 'Weekly Sync' });
  await expect(item).toContainText('Logged-in people · Owner');
  await item.getByRole('link', { name: 'Weekly Sync' }).click();
  await expect(page).toHaveURL(/\/weekly-sync$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Weekly Sync');
  await expect(page.getByText('You can join this meeting directly.')).toBeVisible();
});

test('without a clipboard (plain http), copying says to copy by hand', async ({ page }) => {
  // Browsers leave navigator.clipboard out of pages that are not a secure context.
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
  });
  await logIn(page, 'erin');
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Create a meeting for later' }).click();
  await expect(page.getByLabel('Meeting link')).toBeVisible();
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(
    page.getByText('Your browser did not allow copying: select the link and copy it.'),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy link' })).toBeVisible();
});

test('the meeting page says who waits for a host', async ({ page, browser }) => {
  await logIn(page, 'carol');
  // Carol's rooms, created through the API with her session.
  const restricted = await page.request.post('/api/v1.0/rooms/', {
    data: { name: 'carol-private', access_level: 'restricted' },
  });
  expect(restricted.status()).toBe(201);
  // Named like a meeting code, as La Suite Meet's front end does: Meet draws the code.
  const trusted = await page.request.post('/api/v1.0/rooms/', {
    data: { name: 'abc-defg-hij', access_level: 'trusted' },
  });
  expect(trusted.status()).toBe(201);
  const { slug } = await trusted.json();
  expect(slug).toMatch(/^[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
  expect(slug).not.toBe('abc-defg-hij');

  // Carol herself enters directly.
  await page.goto(`/${slug}`);
  await expect(page.getByRole('status')).toContainText('You can join this meeting directly.');

  // A guest waits, and is told that logging in skips the wait in a trusted room.
  const guest = await browser.newContext();
  const visitor = await guest.newPage();
  await visitor.goto(`/${slug}`);
  await expect(visitor.getByRole('status')).toContainText('A host will let you in.');
  // The hint's own link, not the header's.
  const hint = visitor.locator('p', { hasText: 'to join without waiting' });
  await expect(hint.getByRole('link', { name: 'Log in', exact: true })).toBeVisible();
  // Another logged-in person enters the trusted room directly.
  await hint.getByRole('link', { name: 'Log in', exact: true }).click();
  await visitor.fill('input[name=login]', 'dave');
  await visitor.fill('input[name=password]', 'anything');
  await visitor.click('button[type=submit]');
  await expect(visitor).toHaveURL(new RegExp(`/${slug}$`));
  await expect(visitor.getByRole('status')).toContainText('You can join this meeting directly.');
  await guest.close();
});

test('an address nobody registered is a meeting anyone can join', async ({ page }) => {
  await page.goto('/xyz-abcd-efg');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('xyz-abcd-efg');
  await expect(page.getByRole('status')).toContainText('You can join this meeting directly.');
});

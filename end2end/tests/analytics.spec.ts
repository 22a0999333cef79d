// Product analytics end to end, on a Meet that records events into its database and a
// PostHog-compatible endpoint (end2end/posthog-capture.mjs): an operator and a guest hold a meeting
// (through the scripted media bridge), use features, leave and rate the call; each action sends
// the event it should and nothing else; the operator's usage page shows the meeting and the
// features it used; everyone else gets 404.
import { expect, test, type Page } from '@playwright/test';
import { collectCspViolations, collectErrors, logIn, useFakeBridge, waitForHydration } from './helpers';

test.use({ baseURL: `http://127.0.0.1:${process.env.MEET_E2E_ANALYTICS_PORT}` });

const CAPTURED = `http://127.0.0.1:${process.env.MEET_E2E_POSTHOG_PORT}/_captured`;

type Captured = {
  api_key: string;
  event: string;
  distinct_id: string;
  properties: Record<string, unknown>;
};

async function captured(): Promise<Captured[]> {
  const response = await fetch(CAPTURED);
  return (await response.json()) as Captured[];
}

/** The names of the events captured so far, sorted (two browsers send in no set order). */
async function names(): Promise<string[]> {
  return (await captured()).map((event) => event.event).sort();
}

async function join(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByRole('toolbar', { name: 'Meeting controls' })).toBeVisible();
}

test('a meeting reaches the usage page and the PostHog endpoint, event by event', async ({ browser }) => {
  test.setTimeout(60_000);
  expect(await captured()).toEqual([]);
  const host = await (await browser.newContext()).newPage();
  const errors = collectErrors(host);
  const csp = collectCspViolations(host);
  await useFakeBridge(host);

  // The operator logs in and starts a meeting: `login`, `room_created`.
  await logIn(host, 'ops');
  await waitForHydration(host);
  await host.getByRole('button', { name: 'Start an instant meeting' }).click();
  await expect(host).toHaveURL(/\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
  const slug = new URL(host.url()).pathname.slice(1);
  await waitForHydration(host);
  await expect.poll(names).toEqual(['login', 'room_created']);

  // Joining is sent at once; looking around sends nothing.
  await join(host);
  await expect.poll(names).toEqual(['login', 'meeting_joined', 'room_created']);
  await host.keyboard.press('Control+d');
  await host.keyboard.press('Control+Shift+P');
  await expect(host.getByRole('complementary', { name: /People/ })).toBeVisible();

  // A guest joins the same meeting and says hello.
  const guest = await (await browser.newContext()).newPage();
  const guestErrors = collectErrors(guest);
  await useFakeBridge(guest);
  await guest.goto(`/${slug}`);
  await waitForHydration(guest);
  await guest.fill('#display-name', 'Gus');
  await join(guest);
  await guest.keyboard.press('Control+Shift+M');
  await guest.keyboard.type('Hello from Gus');
  await guest.keyboard.press('Enter');

  // The host reacts, chats and shares their screen, then leaves (which sends what waits).
  await host.keyboard.press('Control+Shift+E');
  await host.getByRole('toolbar', { name: 'Reactions' }).getByRole('button', { name: 'Send 🎉' }).click();
  await host.keyboard.press('Control+Shift+M');
  await host.keyboard.type('Hello from the host');
  await host.keyboard.press('Enter');
  await host.getByRole('button', { name: 'Share your screen' }).click();
  await expect(host.locator('#announcer')).toContainText('You are presenting');
  await host.getByRole('button', { name: 'Leave' }).click();
  await expect(host).toHaveURL(/\/feedback\?/);
  await guest.getByRole('button', { name: 'Leave' }).click();
  await expect(guest).toHaveURL(/\/feedback\?/);

  // The host rates the call.
  await waitForHydration(host);
  await host.getByText('5', { exact: true }).click();
  await host.getByRole('button', { name: 'Send feedback' }).click();
  await expect(host.getByRole('status')).toHaveText('Thank you for your feedback.');

  await expect
    .poll(names)
    .toEqual(
      [
        'chat_message_sent',
        'chat_message_sent',
        'feedback_rated',
        'login',
        'meeting_joined',
        'meeting_joined',
        'meeting_left',
        'meeting_left',
        'reaction_sent',
        'room_created',
        'screen_share_started',
      ].sort(),
    );
  const events = await captured();
  expect(events.every((event) => event.api_key === 'phc_e2e')).toBe(true);
  const one = (name: string) => events.find((event) => event.event === name)!;
  // The operator is one hash everywhere; nothing names anyone.
  const ops = one('login').distinct_id;
  expect(ops).toMatch(/^[0-9a-f]{32}$/);
  expect(one('room_created').distinct_id).toBe(ops);
  const joined = events.filter((event) => event.event === 'meeting_joined');
  expect(joined.map((event) => event.distinct_id)).toContain(ops);
  expect(new Set(joined.map((event) => event.properties.meeting)).size).toBe(1);
  expect(one('reaction_sent').properties.emoji).toBe('🎉');
  expect(one('feedback_rated').properties.rating).toBe(5);
  const text = JSON.stringify(events);
  for (const clear of ['ops@example.test', 'Gus', 'Hello', slug]) expect(text).not.toContain(clear);

  // The operator's usage page: one meeting, two people, the three features used.
  await host.goto('/admin/usage');
  await expect(host.getByRole('heading', { level: 1 })).toHaveText('Usage');
  const summary = (name: string) => host.locator('.usage-summary div').filter({ has: host.locator(`dt:text-is("${name}")`) }).locator('dd');
  await expect(summary('Meetings')).toHaveText('1');
  await expect(summary('Participants')).toHaveText('2');
  await expect(summary('Peak at once')).toHaveText('2');
  await expect(summary('Logins')).toHaveText('1');
  await expect(summary('Rooms created')).toHaveText('1');
  await expect(summary('Mean rating')).toHaveText('5.0 / 5');
  const features = host.getByRole('table', { name: /Meetings using each feature/ });
  for (const [feature, share] of [
    ['Screen sharing', '100 %'],
    ['Chat', '100 %'],
    ['Reactions', '100 %'],
    ['Raised hands', '0 %'],
    ['Recording or transcription', '0 %'],
  ]) {
    await expect(features.getByRole('row', { name: new RegExp(`^${feature}`) }).getByRole('cell').last()).toHaveText(share);
  }
  // The same figures as CSV.
  const csv = await host.request.get('/admin/usage.csv?table=features');
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain('Chat,1,1.000');

  expect(errors).toEqual([]);
  expect(guestErrors).toEqual([]);
  expect(csp).toEqual([]);

  // Anyone else: the app's "Page not found".
  const nobody = await guest.goto('/admin/usage');
  expect(nobody?.status()).toBe(404);
  await expect(guest.getByRole('heading', { level: 1 })).toHaveText('Page not found');
});

test('a browser that cannot reach the media server says so, once', async ({ browser }) => {
  const before = (await captured()).filter((event) => event.event === 'media_server_unreachable').length;
  const context = await browser.newContext();
  await context.grantPermissions(['camera', 'microphone']);
  const page = await context.newPage();
  // The real bridge, and this Meet's media server on a closed port.
  await page.goto('/fak-eunr-eac');
  await waitForHydration(page);
  await page.fill('#display-name', 'Una');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The media server cannot be reached' })).toBeVisible();
  await expect
    .poll(async () => (await captured()).filter((event) => event.event === 'media_server_unreachable').length)
    .toBe(before + 1);
  const unreachable = (await captured()).filter((event) => event.event === 'media_server_unreachable').pop()!;
  // A guest before any meeting: nobody, in a room.
  expect(unreachable.properties.$process_person_profile).toBe(false);
  expect(unreachable.properties.room).toMatch(/^[0-9a-f]{32}$/);
});

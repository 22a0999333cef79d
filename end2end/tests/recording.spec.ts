// Recording from the meeting, against a Meet that records (RECORDING_ENABLE) through the LiveKit
// stand-in's Egress service, which posts its webhooks back to that Meet. The page runs on the
// scripted media bridge; what the server writes into the LiveKit room's metadata (starting,
// started, saving) is read from the stand-in and handed to the page as LiveKit would deliver
// it. A host starts and stops a recording from "More tools", everyone sees the indicator and is
// told, the recording is saved, and its page offers the file to download. Participants ask a
// host to record; hosts see the request.
import { expect, test, type Page } from '@playwright/test';
import { collectCspViolations, collectErrors, logIn, useFakeBridge, waitForHydration } from './helpers';

test.use({ baseURL: `http://127.0.0.1:${process.env.MEET_E2E_RECORDING_PORT}` });

const standin = `http://127.0.0.1:${process.env.MEET_E2E_STANDIN_PORT}`;
const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'Meeting controls' });
const toast = (page: Page, text: string | RegExp) => page.locator('.toast').filter({ hasText: text });

/** `login` logs in, creates a room and joins its meeting; the LiveKit room's name. */
async function hostMeeting(page: Page, login: string): Promise<string> {
  await logIn(page, login);
  const created = await page.request.post('/api/v1.0/rooms/', { data: { name: `${login} records` } });
  expect(created.status()).toBe(201);
  const { slug } = await created.json();
  await useFakeBridge(page);
  await page.goto(`/${slug}`);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(toolbar(page)).toBeVisible();
  // The LiveKit room the token is for, and oneself in it on the stand-in (as joining a real
  // server would make it).
  const claims = (await page.evaluate(`(() => {
    const body = fakeLiveKit.token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(body));
  })()`)) as { sub: string; name: string; video: { room: string } };
  const joined = await page.request.post(`${standin}/_standin/rooms/${claims.video.room}/participants`, {
    data: { identity: claims.sub, name: claims.name, attributes: { room_role: 'owner' } },
  });
  expect(joined.ok()).toBe(true);
  return claims.video.room;
}

/** Hands the LiveKit room's metadata, as the stand-in holds it now, to the page. */
async function relayMetadata(page: Page, room: string): Promise<void> {
  const state = await (await page.request.get(`${standin}/_standin/state`)).json();
  const found = state.rooms.find((r: { name: string }) => r.name === room);
  const metadata = found?.metadata ? JSON.parse(found.metadata) : {};
  await page.evaluate((value) => (window as any).fakeLiveKit.roomMetadata(value), metadata);
}

/** Relays the metadata until the recording indicator says `text` (or is gone, for null). */
async function untilIndicator(page: Page, room: string, text: string | null): Promise<void> {
  await expect(async () => {
    await relayMetadata(page, room);
    const indicator = page.locator('.recording-indicator');
    if (text === null) await expect(indicator).toHaveCount(0, { timeout: 300 });
    else await expect(indicator).toHaveText(text, { timeout: 300 });
  }).toPass({ timeout: 15_000 });
}

test('a host records from More tools; everyone is told; the recording is saved and downloads', async ({ page }) => {
  const errors = collectErrors(page);
  const csp = collectCspViolations(page);
  const room = await hostMeeting(page, 'rita');

  // A participant asks for a recording: the host is told, with a sound.
  await page.evaluate(`fakeLiveKit.join('gus', 'Gus')`);
  await page.evaluate(`fakeLiveKit.data('gus', { type: 'screenRecordingRequested' })`);
  await expect(toast(page, 'Gus asks to record the meeting.')).toBeVisible();
  await expect.poll(() => page.evaluate('fakeLiveKit.chimes')).toBe(1);

  // More tools, by keyboard: Record and Transcribe, with what they keep and for how long.
  const more = page.getByRole('button', { name: 'More tools', exact: true });
  await more.focus();
  await page.keyboard.press('Enter');
  await expect(more).toHaveAttribute('aria-pressed', 'true');
  const panel = page.getByRole('complementary', { name: 'More tools' });
  const record = panel.getByRole('region', { name: 'Record' });
  const transcribe = panel.getByRole('region', { name: 'Transcribe' });
  await expect(record).toContainText('It stops by itself after 2 hours.');
  await expect(record).toContainText('it is kept for 7 days');
  await expect(record.getByRole('status')).toHaveText('No recording is running.');

  // Start: the server asks the stand-in's Egress, whose webhook makes it "started".
  await record.getByRole('button', { name: 'Start the recording' }).click();
  await untilIndicator(page, room, 'Recording');
  await expect(toast(page, 'Recording started: this meeting is being recorded.')).toBeVisible();
  await expect(record.getByRole('status')).toHaveText('This meeting is being recorded.');
  // One at a time: the transcription waits.
  await expect(transcribe.getByRole('status')).toHaveText('A recording is running; only one can run at a time.');
  await expect(transcribe.getByRole('button', { name: 'Start the transcription' })).toBeDisabled();
  // While it records, a participant's request is not news.
  await page.evaluate(`fakeLiveKit.data('gus', { type: 'screenRecordingRequested' })`);
  expect(await page.evaluate('fakeLiveKit.chimes')).toBe(1);

  // Stop: the egress ends, the file is saved, and the metadata says nothing is recorded.
  await record.getByRole('button', { name: 'Stop the recording' }).click();
  await untilIndicator(page, room, null);
  await expect(toast(page, /^Recording stopped\./)).toBeVisible();
  await expect(record.getByRole('status')).toHaveText('No recording is running.');

  // Saved, and its owner was told (by email, logged by this Meet): its page offers the file.
  const list = await (await page.request.get('/api/v1.0/recordings/')).json();
  expect(list.count).toBe(1);
  const recording = list.results[0];
  expect(recording.status).toBe('notification_succeeded');
  expect(recording.mode).toBe('screen_recording');
  await page.goto(`/recording/${recording.id}`);
  await expect(page.getByText(/Ready\. You can download it until/)).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Download/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^meet-.+\.mp4$/);
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  expect(readFileSync(path, 'utf8')).toBe('Meet LiveKit stand-in recording\n');
  expect(errors).toEqual([]);
  expect(csp).toEqual([]);
});

test('participants ask a host to record, see the indicator, and hear of the time limit', async ({ page }) => {
  const errors = collectErrors(page);
  await useFakeBridge(page);
  await page.goto('/rec-ordi-ngs');
  await waitForHydration(page);
  await page.fill('#display-name', 'Guest Me');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(toolbar(page)).toBeVisible();

  await page.getByRole('button', { name: 'More tools', exact: true }).click();
  const record = page.getByRole('region', { name: 'Record' });
  await expect(record).toContainText('Only hosts can start a recording. You can ask them to.');
  await expect(record.getByRole('button', { name: /Start the/ })).toHaveCount(0);
  await record.getByRole('button', { name: 'Ask a host to start the recording' }).click();
  await expect(record.getByRole('button', { name: 'Request sent' })).toBeDisabled();
  await expect(page.locator('#announcer')).toContainText('Your request was sent to the hosts.');
  const sent = (await page.evaluate('fakeLiveKit.sent.data')) as Array<{ type: string }>;
  expect(sent).toEqual([{ type: 'screenRecordingRequested' }]);

  // A host starts a recording: everyone sees it, and is told.
  await page.evaluate(`fakeLiveKit.roomMetadata({ recording_mode: 'screen_recording', recording_status: 'starting' })`);
  await expect(page.locator('.recording-indicator')).toHaveText('Recording starting…');
  await page.evaluate(`fakeLiveKit.roomMetadata({ recording_mode: 'screen_recording', recording_status: 'started' })`);
  await expect(page.locator('.recording-indicator')).toHaveText('Recording');
  await expect(toast(page, 'Recording started: this meeting is being recorded.')).toBeVisible();
  await expect(record.getByRole('status')).toHaveText('This meeting is being recorded.');
  await expect(record.getByRole('button')).toHaveCount(0);

  // It reached its time limit: the server says so, then it is saved.
  await page.evaluate(`fakeLiveKit.serverData({ type: 'screenRecordingLimitReached' })`);
  await expect(toast(page, 'The recording reached its time limit and stopped. It is being saved.')).toBeVisible();
  await page.evaluate(`fakeLiveKit.roomMetadata({ recording_mode: 'screen_recording', recording_status: 'saving' })`);
  await expect(page.locator('.recording-indicator')).toHaveText('Recording being saved');
  await page.evaluate(`fakeLiveKit.roomMetadata({})`);
  await expect(page.locator('.recording-indicator')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('someone joining a meeting being transcribed is told so', async ({ page }) => {
  await useFakeBridge(page);
  await page.goto('/rec-ordi-ngz');
  await waitForHydration(page);
  await page.evaluate(`fakeLiveKit.metadata = { recording_mode: 'transcript', recording_status: 'started' }`);
  await page.fill('#display-name', 'Late Comer');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(toolbar(page)).toBeVisible();
  await expect(page.locator('.recording-indicator')).toHaveText('Transcribing');
  await expect(toast(page, 'This meeting is being transcribed.')).toBeVisible();
  await expect(toast(page, /started/)).toHaveCount(0);
});

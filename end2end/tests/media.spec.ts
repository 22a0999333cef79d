// Media through a real LiveKit server (livekit-server, started by playwright.config.ts on free
// loopback ports when one is found): two browsers in one meeting see and hear each other, chat
// both ways, see a raised hand, pin a screen share, and a participant removed through LiveKit's
// RoomService lands on the page after the call; a host moderates a guest through Meet's API
// (mute, permissions, removal) and through the host controls of the page (mute, what
// participants may publish, who may join, remove, end the meeting for everyone), seen by every
// browser. Skipped where no livekit-server is installed.
import { createHmac } from 'node:crypto';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { collectCspViolations, logIn, waitForCallCode, waitForHydration } from './helpers';

const livekitUrl = process.env.MEET_E2E_LIVEKIT_URL;
test.skip(!livekitUrl, 'skipped: no LiveKit server (put livekit-server on the PATH, or set LIVEKIT_SERVER)');
test.setTimeout(90_000);

/** A RoomService token for LiveKit's dev keys (what Meet's defaults use). */
function adminToken(room: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ iss: 'devkey', sub: 'e2e', nbf: now - 5, exp: now + 600, video: { room, roomAdmin: true, roomList: true } })}`;
  return `${body}.${createHmac('sha256', 'secret').update(body).digest('base64url')}`;
}

async function roomService(method: string, body: object, room: string): Promise<Response> {
  const base = livekitUrl!.replace(/^ws/, 'http');
  return fetch(`${base}/twirp/livekit.RoomService/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken(room)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** The centre pixel of the first tile video of someone else, once it has frames. */
async function remoteFrame(page: Page): Promise<number[]> {
  const video = page.locator('.tile:not([aria-label$="(you)"]) video').first();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 }).toBeGreaterThan(0);
  return video.evaluate((v: HTMLVideoElement) => {
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    const g = canvas.getContext('2d')!;
    g.drawImage(v, 0, 0);
    return [...g.getImageData(canvas.width / 2, canvas.height / 2, 1, 1).data];
  });
}

/** The loudest level heard on the remote audio this page plays, over half a second. */
async function remoteAudioLevel(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const element = document.querySelector('audio[data-meet-audio]') as HTMLAudioElement | null;
    const stream = element?.srcObject as MediaStream | null;
    if (!stream) return 0;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    context.createMediaStreamSource(stream).connect(analyser);
    const data = new Float32Array(analyser.fftSize);
    let peak = 0;
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      analyser.getFloatTimeDomainData(data);
      for (const sample of data) peak = Math.max(peak, Math.abs(sample));
    }
    await context.close();
    return peak;
  });
}

async function contextWithMedia(browser: Browser) {
  return browser.newContext({ permissions: ['camera', 'microphone'] });
}

/** A host's page and a guest's, each in a browser of their own allowed the camera and microphone. */
async function hostAndGuest(browser: Browser): Promise<{ host: Page; guest: Page }> {
  const host = await (await contextWithMedia(browser)).newPage();
  const guest = await (await contextWithMedia(browser)).newPage();
  return { host, guest };
}

/** Alice logs in and starts an instant meeting; the guest opens its link and types their name,
 * "Bob Guest". Neither has pressed Join. The meeting's link. */
async function openMeeting(host: Page, guest: Page): Promise<string> {
  await logIn(host, 'alice');
  await waitForHydration(host);
  await host.getByRole('button', { name: 'Start an instant meeting' }).click();
  await expect(host).toHaveURL(/\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
  const link = host.url();
  await waitForHydration(host);
  await guest.goto(link);
  await waitForHydration(guest);
  await guest.fill('#display-name', 'Bob Guest');
  return link;
}

test('two browsers see, hear and chat with each other; hands, screen share and removal', async ({ browser }) => {
  const { host, guest } = await hostAndGuest(browser);
  const csp = [...collectCspViolations(host), ...collectCspViolations(guest)];
  const link = await openMeeting(host, guest);

  for (const page of [host, guest]) await waitForCallCode(page);
  const pressed = Date.now();
  await host.getByRole('button', { name: 'Join', exact: true }).click();
  await guest.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(host.locator('.tile')).toHaveCount(2, { timeout: 20_000 });
  await expect(guest.locator('.tile')).toHaveCount(2, { timeout: 20_000 });

  // Each sees the other's camera (Chromium's fake camera is green) …
  const seenByHost = await remoteFrame(host);
  const firstVideo = Date.now() - pressed;
  const seenByGuest = await remoteFrame(guest);
  expect(seenByHost[1]).toBeGreaterThan(100);
  expect(seenByGuest[1]).toBeGreaterThan(100);
  console.log(`join to first remote video: ${firstVideo} ms`);
  // … and hears the other's microphone (the fake microphone beeps).
  await expect.poll(() => remoteAudioLevel(host), { timeout: 15_000 }).toBeGreaterThan(0.01);
  await expect.poll(() => remoteAudioLevel(guest), { timeout: 15_000 }).toBeGreaterThan(0.01);

  // Chat both ways.
  await guest.keyboard.press('Control+Shift+M');
  await guest.locator('#chat-input').fill('Hello from the guest');
  await guest.keyboard.press('Enter');
  await expect(
    host.locator('.toast').filter({ hasText: 'New message from Bob Guest: Hello from the guest' }),
  ).toBeVisible();
  await host.keyboard.press('Control+Shift+M');
  await host.locator('#chat-input').fill('Welcome, Bob');
  await host.keyboard.press('Enter');
  await expect(guest.locator('.chat-text').last()).toHaveText('Welcome, Bob');

  // A raised hand (through Meet's toggle-hand) shows on the other side.
  await guest.getByRole('button', { name: 'Raise your hand' }).click();
  await expect(host.locator('.tile[aria-label="Bob Guest"] .tile-hand')).toHaveText('1', { timeout: 10_000 });
  await guest.getByRole('button', { name: 'Lower your hand' }).click();
  await expect(host.locator('.tile[aria-label="Bob Guest"] .tile-hand')).toHaveCount(0, { timeout: 10_000 });

  // Renaming oneself (through Meet's rename) shows on the other side.
  await guest.keyboard.press('Control+Shift+P');
  await guest.getByLabel('Your name in this meeting').fill('Bob Renamed');
  await guest.getByRole('button', { name: 'Rename' }).click();
  await expect(guest.getByText('Your name was changed.')).toBeVisible();
  await expect(host.locator('.tile[aria-label="Bob Renamed"]')).toBeVisible({ timeout: 10_000 });

  // A screen share is pinned on the other side.
  await host.getByRole('button', { name: 'Share your screen' }).click();
  await expect(guest.locator('.focus-main .tile')).toHaveAttribute('aria-label', "Alice Martin's screen", { timeout: 15_000 });

  // Removed through LiveKit's RoomService: the guest lands on the page after the call.
  // The LiveKit room is the room's id, as Meet's API tells its host.
  const slug = new URL(link).pathname.slice(1);
  const details = await (await host.request.get(`/api/v1.0/rooms/${slug}/`)).json();
  const room = details.livekit.room as string;
  expect(room).toBe(details.id);
  const participants = await (await roomService('ListParticipants', { room }, room)).json();
  const bob = (participants.participants as { identity: string; name: string }[]).find((p) => p.name === 'Bob Renamed')!;
  const removed = await roomService('RemoveParticipant', { room, identity: bob.identity }, room);
  expect(removed.status).toBe(200);
  await expect(guest).toHaveURL(/\/feedback\?room=[a-z-]+&reason=removed$/, { timeout: 10_000 });
  await expect(guest.getByRole('heading', { level: 1 })).toHaveText('A host removed you from the meeting');
  await expect(host.locator('.tile')).toHaveCount(2); // Alice's camera and her screen
  expect(csp).toEqual([]);
  await host.context().close();
  await guest.context().close();
});

/** A participant as LiveKit's ListParticipants answers (JSON, snake_case). */
type LiveKitParticipant = {
  identity: string;
  name: string;
  tracks: { sid: string; source: string; muted: boolean }[];
  permission: { can_publish_sources: string[] };
};

/** The participant named `name` of the LiveKit room `room`, as the server has them. */
async function onLiveKit(room: string, name: string): Promise<LiveKitParticipant | undefined> {
  const answer = await (await roomService('ListParticipants', { room }, room)).json();
  return (answer.participants as LiveKitParticipant[]).find((p) => p.name === name);
}

/** Both pages join the meeting the host opened; the LiveKit room's name. */
async function bothJoin(host: Page, guest: Page, link: string): Promise<string> {
  await host.getByRole('button', { name: 'Join', exact: true }).click();
  await guest.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(host.locator('.tile')).toHaveCount(2, { timeout: 20_000 });
  await expect(guest.locator('.tile')).toHaveCount(2, { timeout: 20_000 });
  const slug = new URL(link).pathname.slice(1);
  const details = await (await host.request.get(`/api/v1.0/rooms/${slug}/`)).json();
  return details.livekit.room as string;
}

test('a host mutes a guest, takes their microphone away and removes them, through Meet', async ({ browser }) => {
  const { host, guest } = await hostAndGuest(browser);
  const link = await openMeeting(host, guest);
  const room = await bothJoin(host, guest, link);
  const slug = new URL(link).pathname.slice(1);
  /** The guest as the LiveKit server has them. */
  const guestOnLiveKit = () => onLiveKit(room, 'Bob Guest');
  const microphone = async () => (await guestOnLiveKit())?.tracks.find((t) => t.source === 'MICROPHONE');
  await expect.poll(async () => !!(await microphone()), { timeout: 15_000 }).toBe(true);
  const bob = (await guestOnLiveKit())!;
  const mic = (await microphone())!;
  expect(mic.muted).toBe(false);
  await expect(host.locator('.tile[aria-label="Bob Guest"] .tile-muted')).toHaveCount(0);

  /** A call to Meet's API from the host's page: a same-origin fetch with her session. */
  const asHost = (action: string, body: object) =>
    host.evaluate(
      async ([path, json]) => {
        const response = await fetch(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: json,
        });
        return { status: response.status, body: await response.json() };
      },
      [`/api/v1.0/rooms/${slug}/${action}/`, JSON.stringify(body)] as const,
    );

  // Mute: the server mutes the track, both pages show it.
  expect(await asHost('mute-participant', { participant_identity: bob.identity, track_sid: mic.sid })).toEqual({
    status: 200,
    body: { status: 'success' },
  });
  await expect(host.locator('.tile[aria-label="Bob Guest"] .tile-muted')).toBeVisible({ timeout: 10_000 });
  await expect(guest.locator('.tile[aria-label="Bob Guest (you)"] .tile-muted')).toBeVisible({ timeout: 10_000 });
  await expect(guest.getByRole('button', { name: 'Turn on microphone' })).toBeVisible();
  expect((await microphone())!.muted).toBe(true);
  // Someone who is not there: not found at once (the server itself would wait, then fail).
  const absent = await asHost('mute-participant', { participant_identity: 'nobody', track_sid: mic.sid });
  expect(absent.status).toBe(404);
  // A guest has no account: no role for them.
  const role = await asHost('update-participant-role', { participant_identity: bob.identity, role: 'administrator' });
  expect(role).toEqual({
    status: 404,
    body: { detail: 'This participant has no user account and cannot be assigned a role.' },
  });

  // New permissions without the microphone: the server drops the guest's microphone, and the
  // guest's client refuses to publish one again.
  const permission = {
    can_subscribe: true,
    can_publish: true,
    can_publish_data: true,
    can_publish_sources: ['camera', 'screen_share', 'screen_share_audio'],
  };
  expect(await asHost('update-participant', { participant_identity: bob.identity, permission })).toEqual({
    status: 200,
    body: { status: 'success' },
  });
  await expect.poll(async () => !!(await microphone()), { timeout: 10_000 }).toBe(false);
  expect((await guestOnLiveKit())!.permission.can_publish_sources).toEqual(['CAMERA', 'SCREEN_SHARE', 'SCREEN_SHARE_AUDIO']);
  const hidden = await asHost('update-participant', { participant_identity: bob.identity, permission: { hidden: true } });
  expect(hidden.status).toBe(400);
  // The guest's page is told, and says why the microphone stays off.
  const notice = guest.locator('.toast').filter({ hasText: 'A host turned off microphones for participants.' });
  await expect(notice).toHaveCount(1, { timeout: 10_000 });
  await guest.getByRole('button', { name: 'Turn on microphone' }).click();
  await expect(notice).toHaveCount(2);
  expect(await microphone()).toBeUndefined();
  // The camera stays: the host still sees it.
  expect((await remoteFrame(host))[1]).toBeGreaterThan(100);

  // Removed: the guest lands on the page after the call, saying why.
  expect(await asHost('remove-participant', { participant_identity: bob.identity })).toEqual({
    status: 200,
    body: { status: 'success' },
  });
  await expect(guest).toHaveURL(/\/feedback\?room=[a-z-]+&reason=removed$/, { timeout: 10_000 });
  await expect(guest.getByRole('heading', { level: 1 })).toHaveText('A host removed you from the meeting');
  await expect(host.locator('.tile')).toHaveCount(1, { timeout: 10_000 });
  expect(await guestOnLiveKit()).toBeUndefined();
  await host.context().close();
  await guest.context().close();
});

test('a host uses the host controls: mute, what participants may publish, who may join, remove', async ({ browser }) => {
  const { host, guest } = await hostAndGuest(browser);
  const csp = [...collectCspViolations(host), ...collectCspViolations(guest)];
  const link = await openMeeting(host, guest);
  const room = await bothJoin(host, guest, link);
  const microphone = async () => (await onLiveKit(room, 'Bob Guest'))?.tracks.find((t) => t.source === 'MICROPHONE');
  await expect.poll(async () => !!(await microphone()), { timeout: 15_000 }).toBe(true);

  // Mute, after a confirmation that has the focus.
  await host.keyboard.press('Control+Shift+P');
  await host.getByRole('button', { name: 'Mute Bob Guest' }).click();
  const mute = host.getByRole('alertdialog', { name: 'Mute Bob Guest?' });
  await expect(mute.getByRole('button', { name: 'Mute' })).toBeFocused();
  await mute.getByRole('button', { name: 'Mute' }).click();
  await expect(host.locator('.toast').filter({ hasText: 'Bob Guest was muted.' })).toBeVisible({ timeout: 10_000 });
  await expect(guest.getByRole('button', { name: 'Turn on microphone' })).toBeVisible({ timeout: 10_000 });
  // Bob is told who did, by a data message sent to him alone.
  await expect(guest.locator('.toast').filter({ hasText: 'Alice Martin muted your microphone.' })).toBeVisible({ timeout: 10_000 });
  expect((await microphone())!.muted).toBe(true);

  // Participants may no longer turn on their microphone: saved, pushed, told.
  await host.getByRole('button', { name: 'Host controls' }).click();
  await host.getByRole('switch', { name: 'Turn on their microphone' }).click();
  await expect(host.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(guest.locator('.toast').filter({ hasText: 'A host turned off microphones for participants.' })).toBeVisible({ timeout: 10_000 });
  await expect.poll(async () => !!(await microphone()), { timeout: 10_000 }).toBe(false);
  expect((await onLiveKit(room, 'Bob Guest'))!.permission.can_publish_sources).toEqual(['CAMERA', 'SCREEN_SHARE', 'SCREEN_SHARE_AUDIO']);
  // The host keeps hers.
  expect((await onLiveKit(room, 'Alice Martin'))!.tracks.some((t) => t.source === 'MICROPHONE')).toBe(true);
  await guest.getByRole('button', { name: 'Turn on microphone' }).click();
  await expect(guest.locator('.toast').filter({ hasText: 'A host turned off microphones for participants.' })).toHaveCount(2);
  expect(await microphone()).toBeUndefined();

  // Restricted, live: a newcomer must ask, and the meeting's participants receive LiveKit's
  // participantWaiting data message from Meet's server.
  await host.evaluate(() => {
    const seen: unknown[] = [];
    (window as unknown as { seen: unknown[] }).seen = seen;
    window.addEventListener('meet:data', (event) => seen.push((event as CustomEvent).detail));
  });
  await host.getByRole('radio', { name: 'Restricted' }).check();
  const slug = new URL(link).pathname.slice(1);
  await expect
    .poll(async () => (await (await host.request.get(`/api/v1.0/rooms/${slug}/`)).json()).access_level)
    .toBe('restricted');
  const carol = await (await contextWithMedia(browser)).newPage();
  await carol.goto(link);
  await waitForHydration(carol);
  await carol.fill('#display-name', 'Carol Guest');
  await carol.getByRole('button', { name: 'Ask to join' }).click();
  await expect(host.locator('.toast').filter({ hasText: 'Carol Guest asks to join' })).toBeVisible({ timeout: 10_000 });
  await expect
    .poll(() => host.evaluate(() => (window as unknown as { seen: { from: string | null; message: { type: string } }[] }).seen
      .filter((data) => data.from === null && data.message.type === 'participantWaiting').length), { timeout: 10_000 })
    .toBeGreaterThan(0);
  await host.keyboard.press('Control+Shift+P');
  await host.getByRole('button', { name: 'Admit Carol Guest' }).click();
  await expect(carol.getByRole('toolbar', { name: 'Meeting controls' })).toBeVisible({ timeout: 20_000 });

  // Removed from the host's page: the guest lands on the page after the call, saying why.
  await host.getByRole('button', { name: 'More actions for Bob Guest' }).click();
  await host.getByRole('button', { name: 'Remove from the call' }).click();
  await host.getByRole('alertdialog', { name: 'Remove Bob Guest from the call?' }).getByRole('button', { name: 'Remove' }).click();
  await expect(guest).toHaveURL(/\/feedback\?room=[a-z-]+&reason=removed$/, { timeout: 10_000 });
  await expect(guest.getByRole('heading', { level: 1 })).toHaveText('A host removed you from the meeting');
  expect(await onLiveKit(room, 'Bob Guest')).toBeUndefined();
  expect(csp).toEqual([]);
  await carol.context().close();
  await host.context().close();
  await guest.context().close();
});

test('a host ends the meeting for everyone', async ({ browser }) => {
  const { host, guest } = await hostAndGuest(browser);
  const link = await openMeeting(host, guest);
  const room = await bothJoin(host, guest, link);
  await host.getByRole('button', { name: 'Host controls' }).click();
  await host.getByRole('button', { name: 'End meeting for everyone' }).click();
  await host.getByRole('alertdialog', { name: 'End the meeting for everyone?' }).getByRole('button', { name: 'End meeting' }).click();
  for (const page of [guest, host]) {
    await expect(page).toHaveURL(/\/feedback\?room=[a-z-]+&reason=room_deleted$/, { timeout: 10_000 });
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('The host ended the meeting');
  }
  const rooms = await (await roomService('ListRooms', { names: [room] }, room)).json();
  expect(rooms.rooms ?? []).toEqual([]);
  await host.context().close();
  await guest.context().close();
});

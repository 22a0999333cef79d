// The conference's interface against a scripted fake of the media bridge (end2end/fake-bridge.mjs,
// driven through window.fakeLiveKit): layouts, pagination, panels, badges, toasts, shortcuts and
// the reasons a call ends, without a media server.
import { expect, test, type Page } from '@playwright/test';
import { collectCspViolations, collectErrors, useFakeBridge, waitForHydration } from './helpers';

/** Joins the meeting `slug` as the guest `name`, through the fake bridge. */
async function joinAsGuest(page: Page, slug: string, name = 'Guest Me'): Promise<void> {
  await useFakeBridge(page);
  await page.goto(`/${slug}`);
  await waitForHydration(page);
  await page.fill('#display-name', name);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByRole('toolbar', { name: 'Meeting controls' })).toBeVisible();
}

function fake(page: Page, script: string): Promise<unknown> {
  return page.evaluate(script);
}

test('people join and leave: tiles, toasts and the live region', async ({ page }) => {
  const errors = collectErrors(page);
  const csp = collectCspViolations(page);
  await joinAsGuest(page, 'fak-eroo-mab');
  await expect(page.locator('.tile')).toHaveCount(1);
  await expect(page.locator('.tile')).toHaveAttribute('aria-label', 'Guest Me (you)');
  await fake(page, `fakeLiveKit.join('bob', 'Bob Martin')`);
  await expect(page.locator('.tile')).toHaveCount(2);
  await expect(page.locator('.toast').filter({ hasText: 'Bob Martin joined' })).toBeVisible();
  await expect(page.locator('#announcer')).toContainText('Bob Martin joined');
  // The camera shows video; off, the initials on the participant's colour.
  await expect(page.locator('.tile[aria-label="Bob Martin"]')).not.toHaveClass(/video-off/);
  await fake(page, `fakeLiveKit.update('bob', { camera: false, microphone: false })`);
  const bob = page.locator('.tile[aria-label="Bob Martin"]');
  await expect(bob).toHaveClass(/video-off/);
  await expect(bob.locator('.avatar-initials')).toHaveText('BM');
  await expect(bob.getByLabel('microphone off')).toBeVisible();
  await expect(bob.getByText('Guest')).toBeVisible();
  // Speaking is highlighted.
  await fake(page, `fakeLiveKit.update('bob', { speaking: true })`);
  await expect(bob).toHaveClass(/speaking/);
  await fake(page, `fakeLiveKit.leave('bob')`);
  await expect(page.locator('.tile')).toHaveCount(1);
  await expect(page.locator('#announcer')).toHaveText('Bob Martin left');
  expect(errors).toEqual([]);
  expect(csp).toEqual([]);
});

test('the grid is paginated, and a new screen share is pinned', async ({ page }) => {
  await joinAsGuest(page, 'fak-egri-dpg');
  for (let i = 1; i <= 11; i++) await fake(page, `fakeLiveKit.join('p${i}', 'Person ${i}')`);
  await expect(page.locator('.stage-grid .tile')).toHaveCount(9);
  await expect(page.getByRole('navigation', { name: 'Pages of participants' })).toContainText('Page 1 of 2');
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.locator('.stage-grid .tile')).toHaveCount(3);
  await expect(page.getByText('Page 2 of 2')).toBeVisible();

  await fake(page, `fakeLiveKit.update('p3', { screenShare: true })`);
  await expect(page.locator('.stage-focus .focus-main .tile')).toHaveAttribute('aria-label', "Person 3's screen");
  await expect(page.locator('#announcer')).toContainText('Person 3 is presenting');
  const main = page.locator('.focus-main .tile');
  await main.getByRole('button', { name: 'Unpin' }).click();
  await expect(page.locator('.stage-grid')).toBeVisible();
  await page.getByRole('button', { name: 'Previous page' }).click();
  // Pinning a camera tile by keyboard.
  const tile = page.locator('.tile[aria-label="Person 1"]');
  await tile.getByRole('button', { name: 'Pin' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.focus-main .tile')).toHaveAttribute('aria-label', 'Person 1');
  // The share ends: back to the grid when its tile was pinned.
  await page.locator('.focus-main .tile').getByRole('button', { name: 'Unpin' }).click();
  await fake(page, `fakeLiveKit.update('p3', { screenShare: false })`);
  await expect(page.locator('.stage-grid')).toBeVisible();
});

test('raised hands show their place in the queue, on tiles and in the participants panel', async ({ page }) => {
  await joinAsGuest(page, 'fak-ehan-dsq');
  await fake(page, `fakeLiveKit.join('ann', 'Ann'); fakeLiveKit.join('ben', 'Ben', { attributes: { room_role: 'owner', is_authenticated: 'true' } })`);
  await fake(page, `fakeLiveKit.hand('ben', '2026-11-30T10:00:05Z'); fakeLiveKit.hand('ann', '2026-11-30T10:00:09Z')`);
  await expect(page.locator('.tile[aria-label="Ben"] .tile-hand')).toHaveText('1');
  await expect(page.locator('.tile[aria-label="Ann"] .tile-hand')).toHaveText('2');
  await expect(page.locator('.toast').filter({ hasText: 'Ann raised their hand' })).toBeVisible();
  await page.keyboard.press('Control+Shift+P');
  const panel = page.getByRole('complementary', { name: /People/ });
  await expect(panel.getByRole('heading', { name: 'People (3)' })).toBeVisible();
  await expect(panel.locator('.hand-list .person-name')).toHaveText(['Ben', 'Ann']);
  await expect(panel.locator('ul.people-list .person', { hasText: 'Ben' })).toContainText('Host');
  await expect(panel.getByText('Guest Me (you)')).toBeVisible();
  await fake(page, `fakeLiveKit.hand('ben', '')`);
  await expect(panel.locator('.hand-list .person-name')).toHaveText(['Ann']);
  await expect(page.locator('.tile[aria-label="Ann"] .tile-hand')).toHaveText('1');
  // A name being typed stays while the meeting goes on (someone speaks, a hand goes up).
  const rename = panel.getByLabel('Your name in this meeting');
  await expect(rename).toHaveValue('Guest Me');
  await rename.fill('Guest Renamed');
  await fake(page, `fakeLiveKit.update('ann', { speaking: true }); fakeLiveKit.hand('ben', '2026-11-30T10:01:00Z')`);
  await expect(page.locator('.tile[aria-label="Ann"]')).toHaveClass(/speaking/);
  await expect(rename).toHaveValue('Guest Renamed');
});

test('chat: unread badge, links clickable, markup shown as text, sending', async ({ page }) => {
  await joinAsGuest(page, 'fak-echa-tab');
  await fake(page, `fakeLiveKit.join('eve', 'Eve')`);
  await fake(page, `fakeLiveKit.chat('eve', 'Look <img src=x onerror=alert(1)> at https://example.org/page.')`);
  const chat = page.getByRole('button', { name: /^Chat/ });
  await expect(chat.locator('.badge')).toHaveText('1');
  await expect(page.locator('.toast').filter({ hasText: 'New message from Eve' })).toBeVisible();
  await page.keyboard.press('Control+Shift+M');
  const panel = page.getByRole('complementary', { name: 'Chat' });
  await expect(panel.locator('.chat-text')).toHaveText('Look <img src=x onerror=alert(1)> at https://example.org/page.');
  await expect(panel.locator('.chat-text img')).toHaveCount(0);
  await expect(panel.getByRole('link', { name: 'https://example.org/page' })).toHaveAttribute('href', 'https://example.org/page');
  await expect(chat.locator('.badge')).toHaveCount(0);
  await page.keyboard.type('Hello everyone');
  await page.keyboard.press('Enter');
  await expect(panel.locator('.chat-message')).toHaveCount(2);
  await expect(panel.locator('.chat-message').last()).toContainText('Guest Me');
  expect(await page.evaluate('fakeLiveKit.sent.chat')).toEqual(['Hello everyone']);
  // While the panel is open, new messages are announced rather than counted.
  await fake(page, `fakeLiveKit.chat('eve', 'Second')`);
  await expect(page.locator('#announcer')).toHaveText('Eve: Second');
});

test('reactions float, are sent, and are limited to ten a second', async ({ page }) => {
  await joinAsGuest(page, 'fak-erea-cts');
  await fake(page, `fakeLiveKit.join('zoe', 'Zoe')`);
  await fake(page, `fakeLiveKit.data('zoe', { type: 'reactionReceived', data: { emoji: '🎉' } })`);
  await expect(page.locator('.floating-reaction')).toContainText('🎉');
  await expect(page.locator('.floating-reaction')).toContainText('Zoe');
  await page.keyboard.press('Control+Shift+E');
  const bar = page.getByRole('toolbar', { name: 'Reactions' });
  await expect(bar.getByRole('button')).toHaveCount(8);
  // Fifteen clicks at once: ten go out.
  await bar.getByRole('button', { name: 'Send 👍' }).evaluate((button: HTMLButtonElement) => {
    for (let i = 0; i < 15; i++) button.click();
  });
  await expect.poll(() => page.evaluate('fakeLiveKit.sent.data.length')).toBe(10);
  const sent = (await page.evaluate('fakeLiveKit.sent.data')) as { type: string; data: { emoji: string } }[];
  expect(sent.length).toBeGreaterThan(0);
  expect(sent.length).toBeLessThanOrEqual(10);
  expect(sent[0]).toEqual({ type: 'reactionReceived', data: { emoji: '👍' } });
  // Something else than the eight is not shown.
  await fake(page, `fakeLiveKit.data('zoe', { type: 'reactionReceived', data: { emoji: '<b>x</b>' } })`);
  await expect(page.locator('.floating-reaction', { hasText: '<b>' })).toHaveCount(0);
});

test('the original keyboard shortcuts, and F2 to the toolbar', async ({ page }) => {
  await joinAsGuest(page, 'fak-ekey-sab');
  const mic = page.getByRole('button', { name: 'Turn off microphone' });
  await expect(mic).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Control+D');
  await expect(page.getByRole('button', { name: 'Turn on microphone' })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('#announcer')).toHaveText('Microphone off');
  await page.keyboard.press('Control+E');
  await expect(page.getByRole('button', { name: 'Turn on camera' })).toBeVisible();
  await page.keyboard.press('Control+Shift+P');
  await expect(page.getByRole('complementary', { name: /People/ })).toBeVisible();
  await page.keyboard.press('Control+Shift+P');
  await expect(page.getByRole('complementary', { name: /People/ })).toHaveCount(0);
  // A device menu opens from its button and Escape closes it, back on the button.
  const settings = page.getByRole('button', { name: 'Microphone settings' });
  await settings.click();
  const menu = page.getByRole('group', { name: 'Microphone settings' });
  await menu.getByRole('button', { name: 'Fake microphone' }).focus();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(settings).toBeFocused();
  await page.keyboard.press('F2');
  await expect(page.getByRole('button', { name: 'Turn on microphone' })).toBeFocused();
  // Every control is reachable with Tab, and labelled.
  const labels: string[] = [];
  for (let i = 0; i < 12; i++) {
    labels.push(await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '';
    }));
    await page.keyboard.press('Tab');
  }
  for (const wanted of ['Turn on microphone', 'Microphone settings', 'Turn on camera', 'Camera settings', 'Share your screen', 'Raise your hand', 'Leave']) {
    expect(labels).toContain(wanted);
  }
  expect(labels.every((label) => label.length > 0)).toBe(true);
});

test('connection states: reconnecting, restored, blocked audio, lost camera', async ({ page }) => {
  await joinAsGuest(page, 'fak-econ-nst');
  await fake(page, `fakeLiveKit.reconnecting()`);
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting' })).toBeVisible();
  await fake(page, `fakeLiveKit.reconnected()`);
  await expect(page.locator('.toast').filter({ hasText: 'Connection restored.' })).toBeVisible();
  await fake(page, `fakeLiveKit.blockAudio()`);
  await page.getByRole('button', { name: 'Start audio' }).click();
  await expect(page.getByRole('button', { name: 'Start audio' })).toHaveCount(0);
  await fake(page, `fakeLiveKit.loseDevice('camera')`);
  await expect(page.locator('.toast').filter({ hasText: 'Your camera stopped working' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Turn on camera' })).toBeVisible();
});

for (const [reason, heading] of [
  ['removed', 'A host removed you from the meeting'],
  ['duplicate_identity', 'You joined from another device'],
  ['room_deleted', 'The host ended the meeting'],
] as const) {
  test(`a call ended (${reason}) lands on the page after the call`, async ({ page }) => {
    await joinAsGuest(page, 'fak-eend-eds');
    await fake(page, `fakeLiveKit.disconnect('${reason}')`);
    await expect(page).toHaveURL(new RegExp(`/feedback\\?room=fak-eend-eds&reason=${reason}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  });
}

test('participants see no host controls, and are told what a host changed for them', async ({ page }) => {
  const errors = collectErrors(page);
  await joinAsGuest(page, 'fak-ehos-tno');
  await fake(page, `fakeLiveKit.join('ben', 'Ben', { attributes: { room_role: 'owner', is_authenticated: 'true' } })`);
  await page.keyboard.press('Control+Shift+P');
  const people = page.getByRole('complementary', { name: /People/ });
  await expect(people.getByText('Ben')).toBeVisible();
  // No host controls for a guest: no panel, no actions on others beyond muting (the room lets
  // everyone mute by default).
  await expect(page.getByRole('button', { name: 'Host controls' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /More actions for/ })).toHaveCount(0);
  await expect(people.getByRole('button', { name: 'Mute Ben' })).toBeVisible();
  // By keyboard: the question has the focus, Tab stays in it, Escape says no and goes back.
  await people.getByRole('button', { name: 'Mute Ben' }).focus();
  await page.keyboard.press('Enter');
  const question = page.getByRole('alertdialog', { name: 'Mute Ben?' });
  await expect(question.getByRole('button', { name: 'Mute' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(question.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(question.getByRole('button', { name: 'Mute' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
  await expect(people.getByRole('button', { name: 'Mute Ben' })).toBeFocused();
  // Muted by someone: told who, as La Suite Meet's clients tell it.
  await fake(page, `fakeLiveKit.data('ben', { type: 'participantMuted' })`);
  await expect(page.locator('.toast').filter({ hasText: 'Ben muted your microphone.' })).toBeVisible();
  // A host forbids muting others: the button goes.
  await fake(page, `fakeLiveKit.roomMetadata({ access_level: 'public', configuration: { everyone_can_mute: false } })`);
  await expect(people.getByRole('button', { name: 'Mute Ben' })).toHaveCount(0);

  // A host takes microphones and screen sharing away: said, and turning them on says why not.
  await fake(page, `fakeLiveKit.updateLocal({ microphone: false, publishes: ['camera'] })`);
  await expect(
    page.locator('.toast').filter({ hasText: 'A host turned off microphones and screen sharing for participants.' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Turn on microphone' }).click();
  await expect(page.locator('.toast').filter({ hasText: 'A host turned off microphones for participants.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Turn on microphone' })).toHaveAttribute('aria-pressed', 'false');
  await fake(page, `fakeLiveKit.updateLocal({ publishes: null })`);
  await expect(page.locator('.toast').filter({ hasText: 'A host allowed microphones and screen sharing again.' })).toBeVisible();
  expect(errors).toEqual([]);

  // Made co-host (its lobby stream is refused here: the server knows better than this scripted
  // role): told, and the host controls appear.
  await fake(page, `fakeLiveKit.updateLocal({ attributes: { room_role: 'administrator', is_authenticated: 'true' } })`);
  await expect(page.locator('.toast').filter({ hasText: 'A host made you a co-host' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Host controls' })).toBeVisible();
  const more = people.getByRole('button', { name: 'More actions for Ben' });
  await expect(more).toBeVisible();
  // Its menu, by keyboard: Escape closes it and the focus goes back to its button.
  await more.focus();
  await page.keyboard.press('Enter');
  const menu = people.getByRole('group', { name: 'Actions for Ben' });
  await expect(menu).toContainText('They own the room');
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(more).toBeFocused();
});

test('Leave ends the call and offers to rejoin', async ({ page }) => {
  await joinAsGuest(page, 'fak-elea-ves');
  await page.getByRole('button', { name: 'Leave' }).click();
  await expect(page).toHaveURL(/\/feedback\?room=fak-elea-ves&reason=left$/);
  await page.getByRole('link', { name: 'Rejoin the meeting' }).click();
  await expect(page).toHaveURL(/\/fak-elea-ves$/);
  await waitForHydration(page);
  // The name typed last time is remembered.
  await expect(page.locator('#display-name')).toHaveValue('Guest Me');
});

test("the call's code arrives while on the pre-join screen, and a failed fetch can be retried", async ({ page }) => {
  await useFakeBridge(page);
  const fetched: string[] = [];
  let offline = true;
  await page.route('**/pkg/meeting-conference.*.wasm', (route) => {
    fetched.push(route.request().url());
    return offline ? route.abort('internetdisconnected') : route.fallback();
  });
  await page.goto('/fak-espl-itx');
  await waitForHydration(page);
  // Fetched before anyone presses Join.
  await expect.poll(() => fetched.length).toBeGreaterThan(0);
  await page.fill('#display-name', 'Guest Me');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('Part of the page did not arrive. Check your connection, then try again.');
  const retry = page.getByRole('button', { name: 'Try again' });
  await expect(retry).toBeFocused();
  offline = false;
  await page.keyboard.press('Enter');
  // Back on the pre-join screen, the name kept; Join now opens the call.
  await expect(page.locator('#display-name')).toHaveValue('Guest Me');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByRole('toolbar', { name: 'Meeting controls' })).toBeVisible();
});

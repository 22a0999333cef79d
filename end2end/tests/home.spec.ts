// The home page: rendered on the server, usable without JavaScript, interactive once hydrated.
import { expect, test } from '@playwright/test';
import { collectErrors, waitForHydration } from './helpers';

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the server renders the whole home page', async ({ page }) => {
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    await expect(page).toHaveTitle('Meet');
    await expect(page.getByRole('link', { name: 'Meet, home' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Video meetings for everyone');
    await expect(page.getByRole('link', { name: 'Log in to create a meeting' })).toBeVisible();
    await expect(page.getByLabel('Join with a code')).toBeVisible();
    await expect(page.locator('html')).not.toHaveAttribute('data-hydrated', 'true');
  });

  test('the join form opens a meeting through the server', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Join with a code').fill('ABCDEFGHIJ');
    await page.getByRole('button', { name: 'Join' }).click();
    await expect(page).toHaveURL(/\/abc-defg-hij$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('abc-defg-hij');
  });

  test('a wrong code comes back with the text kept and the reason shown', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Join with a code').fill('abc_defg');
    await page.getByRole('button', { name: 'Join' }).click();
    await expect(page).toHaveURL(/\/\?code=abc_defg/);
    await expect(page.getByLabel('Join with a code')).toHaveValue('abc_defg');
    await expect(page.getByLabel('Join with a code')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#join-code-feedback')).toHaveText(
      'A meeting code has only letters and digits, like abc-defg-hij.',
    );
  });
});

test.describe('hydrated', () => {
  test('loads without errors and becomes interactive', async ({ page }) => {
    const errors = collectErrors(page);
    await page.goto('/');
    await waitForHydration(page);
    expect(errors).toEqual([]);
  });

  test('the media bundle is loaded on meeting pages only, through the import map', async ({ page }) => {
    const errors = collectErrors(page);
    const loaded: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/pkg/livekit-bridge.')) loaded.push(request.url());
    });
    await page.goto('/');
    await waitForHydration(page);
    await page.getByLabel('Join with a code').fill('abc-defg-hij');
    expect(loaded).toEqual([]);
    await page.goto('/abc-defg-hij');
    await waitForHydration(page);
    await expect.poll(() => loaded.length).toBeGreaterThan(0);
    const version = await page.evaluate(async () => {
      const bridge = await import('livekit-bridge');
      return bridge.livekitVersion();
    });
    // The version of the livekit-client npm package installed, which the site bundles.
    const { readFile } = await import('node:fs/promises');
    const installed = JSON.parse(
      await readFile(`${process.cwd()}/node_modules/livekit-client/package.json`, 'utf8'),
    ).version;
    expect(version).toBe(installed);
    expect(errors).toEqual([]);
  });

  test('the join field checks the code as you type', async ({ page }) => {
    await page.goto('/');
    await waitForHydration(page);
    const field = page.getByLabel('Join with a code');
    const feedback = page.locator('#join-code-feedback');

    await field.pressSequentially('abc-de');
    await expect(feedback).toHaveText('For example abc-defg-hij, or paste the meeting link.');
    await expect(field).toHaveAttribute('aria-invalid', 'false');

    await field.pressSequentially('_');
    await expect(feedback).toHaveText(
      'A meeting code has only letters and digits, like abc-defg-hij.',
    );
    await expect(field).toHaveAttribute('aria-invalid', 'true');

    await field.fill('');
    await field.pressSequentially('ABCDEFGHIJ');
    await expect(feedback).toHaveText('Ready to join abc-defg-hij.');
    await expect(field).toHaveAttribute('aria-invalid', 'false');
  });

  test('a valid code opens the meeting without the /join round trip', async ({ page }) => {
    await page.goto('/');
    await waitForHydration(page);
    const joinRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/join') joinRequests.push(request.url());
    });
    await page.getByLabel('Join with a code').fill('https://meet.example.org/XYZ-ABCD-EFG');
    await page.getByLabel('Join with a code').press('Enter');
    await expect(page).toHaveURL(/\/xyz-abcd-efg$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('xyz-abcd-efg');
    await expect(page).toHaveTitle('xyz-abcd-efg · Meet');
    expect(joinRequests).toEqual([]);
  });

  test('each page loads the bundle that carries it, across links both ways', async ({ page }) => {
    const errors = collectErrors(page);
    const wasm: string[] = [];
    page.on('request', (request) => {
      const name = new URL(request.url()).pathname.match(/^\/pkg\/(meet|meeting)\.[0-9a-f]+\.wasm$/);
      if (name) wasm.push(name[1]);
    });
    // The home page: the site bundle only.
    await page.goto('/');
    await waitForHydration(page);
    expect(wasm).toEqual(['meet']);
    // A code typed on the home page opens the meeting, which the meeting bundle hydrates.
    await page.getByLabel('Join with a code').fill('abc-defg-hij');
    await page.getByLabel('Join with a code').press('Enter');
    await expect(page).toHaveURL(/\/abc-defg-hij$/);
    await waitForHydration(page);
    await expect.poll(() => wasm).toEqual(['meet', 'meeting']);
    await expect(page.getByRole('button', { name: 'Join' })).toBeEnabled();
    // The header's link home, from the meeting page: the home page, hydrated by the site bundle.
    await page.getByRole('link', { name: 'Meet, home' }).click();
    await expect(page).toHaveURL(/\/$/);
    await waitForHydration(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Video meetings for everyone');
    await expect(page.getByLabel('Join with a code')).toBeEditable();
    expect(wasm.at(-1)).toBe('meet');
    // Back in the history: the meeting page again.
    await page.goBack();
    await expect(page).toHaveURL(/\/abc-defg-hij$/);
    await waitForHydration(page);
    await expect(page.getByRole('button', { name: 'Join' })).toBeEnabled();
    expect(errors).toEqual([]);
  });

  test('joining with an empty or unfinished code explains why', async ({ page }) => {
    await page.goto('/');
    await waitForHydration(page);
    await page.getByRole('button', { name: 'Join' }).click();
    await expect(page.locator('#join-code-feedback')).toHaveText('Enter a meeting code.');
    await page.getByLabel('Join with a code').fill('abc-defg');
    await page.getByRole('button', { name: 'Join' }).click();
    await expect(page.locator('#join-code-feedback')).toHaveText(
      'A meeting code has 10 letters or digits, like abc-defg-hij.',
    );
    await expect(page).toHaveURL(/\/$/);
  });
});

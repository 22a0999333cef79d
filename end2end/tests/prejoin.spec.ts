// The pre-join screen with Chromium's fake camera and microphone: the preview shows moving
// video, the toggles and device lists work, a denied permission is explained, the name can be
// typed before the wasm arrives, and no credentials are in the page.
import { chromium, expect, test, type Page } from '@playwright/test';
import { collectCspViolations, collectErrors, logIn, waitForHydration } from './helpers';

/** The preview's centre pixel and current time, read through a canvas. */
async function previewFrame(page: Page): Promise<{ time: number; pixel: number[]; width: number }> {
  return page.locator('.preview-video').evaluate((video: HTMLVideoElement) => {
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const g = canvas.getContext('2d')!;
    g.drawImage(video, 0, 0);
    const pixel = canvas.width ? [...g.getImageData(canvas.width / 2, canvas.height / 2, 1, 1).data] : [];
    return { time: video.currentTime, pixel, width: video.videoWidth };
  });
}

test('the preview shows the camera moving, and the toggles and devices work', async ({ page, context }) => {
  await context.grantPermissions(['camera', 'microphone']);
  const errors = collectErrors(page);
  const csp = collectCspViolations(page);
  await page.goto('/pre-join-chk');
  await waitForHydration(page);
  await expect.poll(async () => (await previewFrame(page)).width).toBeGreaterThan(0);
  const first = await previewFrame(page);
  await expect.poll(async () => (await previewFrame(page)).time).toBeGreaterThan(first.time);
  // Chromium's fake camera is green, not black.
  expect(first.pixel[1]).toBeGreaterThan(100);

  const camera = page.getByRole('button', { name: 'Camera on' });
  await expect(camera).toHaveAttribute('aria-pressed', 'true');
  await camera.click();
  await expect(page.getByRole('button', { name: 'Camera off' })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('.preview-placeholder')).toHaveText('Your camera is off');
  await page.getByRole('button', { name: 'Microphone on' }).click();
  await expect(page.getByRole('button', { name: 'Microphone off' })).toBeVisible();
  // Remembered for the next meeting.
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByRole('button', { name: 'Camera off' })).toBeVisible();
  await page.getByRole('button', { name: 'Camera off' }).click();
  await page.getByRole('button', { name: 'Microphone off' }).click();

  await expect(page.getByLabel('Camera', { exact: true })).toContainText('fake_device_0');
  await expect(page.getByLabel('Microphone', { exact: true })).toContainText('Fake');
  await expect.poll(() => page.locator('meter').evaluate((m: HTMLMeterElement) => m.value)).toBeGreaterThan(0);
  expect(errors).toEqual([]);
  expect(csp).toEqual([]);
});

test('a name can be typed before the page is interactive, and is kept', async ({ page }) => {
  // Hold the wasm back: the server-rendered form is all there is.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/pkg/meeting.*.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/typ-edbe-for', { waitUntil: 'domcontentloaded' });
  await page.fill('#display-name', 'Early Bird');
  await expect(page.getByRole('button', { name: 'Join' })).toBeDisabled();
  release();
  await waitForHydration(page);
  await expect(page.locator('#display-name')).toHaveValue('Early Bird');
  await expect(page.getByRole('button', { name: 'Join' })).toBeEnabled();
});

test('no LiveKit token is put in the page', async ({ page }) => {
  const response = await page.request.get('/abc-defg-hij');
  const html = await response.text();
  expect(html).toContain('abc-defg-hij');
  // A LiveKit token is a JWT: base64url of '{"' starts with eyJ.
  expect(html).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
});

test('a denied camera and microphone are explained, with a way to try again', async () => {
  // A browser that answers "not allowed" (no fake-UI auto-accept, no permission granted).
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream'],
  });
  const page = await browser.newPage({ baseURL: `http://127.0.0.1:${process.env.MEET_E2E_PORT}` });
  await page.goto('/den-iedc-hek');
  await waitForHydration(page);
  const help = page.locator('.media-help');
  await expect(help).toContainText('Meet is not allowed to use your camera');
  await expect(help).toContainText('Meet is not allowed to use your microphone');
  await expect(help.getByRole('button', { name: 'Try again' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Camera off' })).toBeVisible();
  // Joining without camera and microphone stays possible.
  await expect(page.getByRole('button', { name: 'Join' })).toBeEnabled();
  await browser.close();
});

test('people who must wait for a host ask to join, and no host answering is no dead end', async ({ page }) => {
  await page.goto('/');
  // A restricted room of someone else's: created through the API by a logged-in user.
  const other = await page.context().browser()!.newContext();
  const owner = await other.newPage();
  await logIn(owner, 'grace');
  const created = await owner.request.post('/api/v1.0/rooms/', {
    data: { name: 'grace-private', access_level: 'restricted' },
  });
  const { slug } = await created.json();
  await other.close();
  await page.goto(`/${slug}`);
  await waitForHydration(page);
  await expect(page.getByRole('status')).toContainText('A host will let you in.');
  // No Join for them: they ask, and wait (nobody is in the meeting to answer), and may cancel.
  await expect(page.getByRole('button', { name: 'Join', exact: true })).toHaveCount(0);
  await page.fill('#display-name', 'Pat');
  await page.getByRole('button', { name: 'Ask to join' }).click();
  await expect(page.getByText('Asking to join…')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Waiting for a host…' })).toBeDisabled();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Asking to join…')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Ask to join' })).toBeEnabled();
});

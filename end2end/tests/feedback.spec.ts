// The page after the call: why it ended, Rejoin and Home, and a rating with a comment.
import { expect, test } from '@playwright/test';
import { collectErrors, waitForHydration } from './helpers';

test('each reason is explained, with Rejoin and Home', async ({ page }) => {
  const cases: [string, string][] = [
    ['left', 'You left the meeting'],
    ['removed', 'A host removed you from the meeting'],
    ['duplicate_identity', 'You joined from another device'],
    ['room_deleted', 'The host ended the meeting'],
    ['connection_lost', 'You were disconnected'],
    ['unreachable', 'The media server could not be reached'],
  ];
  for (const [reason, heading] of cases) {
    await page.goto(`/feedback?room=abc-defg-hij&reason=${reason}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expect(page.getByRole('link', { name: 'Rejoin the meeting' })).toHaveAttribute('href', '/abc-defg-hij');
    await expect(page.getByRole('link', { name: 'Return to the home page' })).toHaveAttribute('href', '/');
  }
  // Only a room address is offered back, never a link elsewhere.
  await page.goto('/feedback?room=%2F%2Fevil.example&reason=left');
  await expect(page.getByRole('link', { name: 'Rejoin the meeting' })).toHaveCount(0);
});

test('a rating and a comment are sent', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/feedback?room=abc-defg-hij&reason=left');
  await waitForHydration(page);
  await page.getByText('4', { exact: true }).click();
  await page.getByLabel('Anything to tell us? (optional)').fill('Clear sound, thanks.');
  await page.getByRole('button', { name: 'Send feedback' }).click();
  await expect(page.getByRole('status')).toHaveText('Thank you for your feedback.');
  expect(errors).toEqual([]);
});

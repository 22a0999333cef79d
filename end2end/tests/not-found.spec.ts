// Addresses that lead nowhere get a real 404 page; other spellings of a code are redirected.
import { expect, test } from '@playwright/test';

for (const path of ['/no/such/page', '/abc-defg-hi', '/not_a_code']) {
  test(`${path} is a 404 page with a way back`, async ({ page }) => {
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
    await expect(page).toHaveTitle('Page not found · Meet');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
    await page.getByRole('link', { name: 'Back to the home page' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByLabel('Join with a code')).toBeVisible();
  });
}

test('a code typed in capitals and without hyphens redirects to its canonical address', async ({
  page,
}) => {
  const response = await page.goto('/ABCDEFGHIJ');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveURL(/\/abc-defg-hij$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('abc-defg-hij');
});

// Logging in through the development identity provider, staying logged in, logging out.
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, waitForHydration } from './helpers';

/** Types `login` (and any password) on the provider's sign-in page. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
  await expect(page.locator('input[name=login]')).toBeVisible();
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'anything');
  await page.click('button[type=submit]');
}

test('log in, stay logged in across a reload, log out', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Log in', exact: true }).click();

  await signInAtProvider(page, 'alice');
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
  const account = page.getByText('Alice Martin', { exact: true });
  await expect(account).toBeVisible();
  await expect(page.getByRole('link', { name: 'Log in', exact: true })).toHaveCount(0);

  await page.reload();
  await expect(account).toBeVisible();
  await waitForHydration(page);

  await account.click();
  await expect(page.getByText('alice@example.test')).toBeVisible();
  await page.getByRole('link', { name: 'Log out' }).click();
  // The provider asks to confirm its own logout, then sends us back home.
  await page.getByRole('button', { name: /sign me out/i }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
  await expect(page.getByRole('link', { name: 'Log in', exact: true })).toBeVisible();
  await expect(page.getByText('Alice Martin', { exact: true })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('logging in from a meeting page comes back to it', async ({ page }) => {
  await page.goto('/abc-defg-hij');
  await page.getByRole('link', { name: 'Log in', exact: true }).click();
  await signInAtProvider(page, 'bob');
  await expect(page).toHaveURL(/\/abc-defg-hij$/);
  await expect(page.getByText('Bob Durand', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('abc-defg-hij');
});

test('the account menu opens with the keyboard', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Log in', exact: true }).click();
  await signInAtProvider(page, 'carol');
  const summary = page.locator('.user-menu summary');
  await expect(summary).toContainText('Carol Tester');
  await summary.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('link', { name: 'Log out' })).toBeVisible();
});

test('a login error says what happened and offers to retry', async ({ page }) => {
  await page.goto('/login/error?reason=access_denied&returnTo=%2Fabc-defg-hij');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Login cancelled');
  const retry = page.getByRole('link', { name: 'Try again' });
  await expect(retry).toHaveAttribute('href', '/api/v1.0/authenticate/?returnTo=%2Fabc-defg-hij');
  await retry.click();
  await signInAtProvider(page, 'alice');
  await expect(page).toHaveURL(/\/abc-defg-hij$/);
});

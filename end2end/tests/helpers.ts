// Shared steps of the end-to-end specs.
import { expect, type Page } from '@playwright/test';

/** Waits until the wasm bundle has hydrated the page (the entry point marks <html>). */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

/** Whether `url` is one of Meet's (not the identity provider's, whose pages load fonts from
 * the internet and have no favicon). */
function isMeet(url: string): boolean {
  try {
    return new URL(url).port === process.env.MEET_E2E_PORT;
  } catch {
    return false;
  }
}

/** Collects console errors and uncaught exceptions of Meet's pages in `page`, to assert there
 * were none. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && isMeet(message.location().url || page.url())) {
      errors.push(`console: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => {
    if (isMeet(page.url())) errors.push(`pageerror: ${error.message}`);
  });
  return errors;
}

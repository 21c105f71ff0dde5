// A file that cannot tell its sampling step (one row) in the app (issue 11 item 17): without a step the error
// says so; with the Step setting (from the settings panel or a `#step=1m` link) it is analysed and the app
// says exactly how much more data it needs, instead of failing.
import { describe, expect, test } from 'vitest';
import { hasChromium } from '../helpers/env.ts';
import { appInChromium, openIsolated } from '../helpers/browser.ts';

const ONE_ROW = 'time,cpu,mem\n2026-01-05T00:00:00Z,1,2\n';

describe.skipIf(!hasChromium())('sampling step in the app', () => {
  const app = appInChromium();

  test('a one-row file needs a step; the settings panel gives it, and the link keeps it', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    await openIsolated(page, app.server.url);
    const drop = () =>
      page.setInputFiles('input[type=file]', {
        name: 'one-row.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(ONE_ROW),
      });
    await drop();
    const alert = page.locator('.error[role=alert]');
    await expect.poll(() => alert.textContent(), { timeout: 60_000 }).toMatch(/cannot detect a sampling step/);

    await page.getByLabel(/Sampling step/).fill('1m');
    await page.getByRole('button', { name: 'Apply and re-analyse' }).click();
    await expect.poll(() => page.url()).toMatch(/#.*step=1m/);
    const reason = page.getByTestId('no-windows-reason');
    await expect
      .poll(() => reason.textContent(), { timeout: 60_000 })
      .toMatch(/not enough data yet: 1 samples, at least \d+ are needed/);

    await page.getByLabel(/Sampling step/).fill('90');
    expect(await page.getByRole('button', { name: 'Apply and re-analyse' }).isDisabled()).toBe(true);
    expect(await page.locator('form .bad[role=alert]').textContent()).toMatch(/step: '90' has no unit/);
    await page.close();
  }, 240_000);
});

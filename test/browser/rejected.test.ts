// A partly broken file in the app (issue 11 item 8): the rows the importer refused are counted and the first
// ones shown with their line numbers and reasons, as text (a reason quotes the file, markup included).
import { describe, expect, test } from 'vitest';
import { hasChromium } from '../helpers/env.ts';
import { appInChromium, openIsolated, watchPage } from '../helpers/browser.ts';
import { smallFleetCsv } from './app-fixtures.ts';

/** The small fleet with two rows broken: an unreadable time on line 5, a value that is markup on line 9. */
function partlyBroken(): string {
  const lines = smallFleetCsv().split('\n');
  lines[4] = ['not-a-time', ...lines[4].split(',').slice(1)].join(',');
  const cells = lines[8].split(',');
  cells[1] = '<b id=pwned>3</b>';
  lines[8] = cells.join(',');
  return lines.join('\n');
}

describe.skipIf(!hasChromium())('rejected rows in the app', () => {
  const app = appInChromium();

  test('a dropped file with two bad rows: both counted, each shown with its line and reason', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchPage(page, app.server.url);
    await openIsolated(page, app.server.url);
    const panel = page.getByTestId('rejected-rows');
    expect(await panel.count()).toBe(0); // the demo has none
    await page.setInputFiles('input[type=file]', {
      name: 'partly-broken.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(partlyBroken()),
    });
    await expect.poll(() => panel.count(), { timeout: 60_000 }).toBe(1);
    const text = (await panel.textContent())!.replace(/\s+/g, ' ');
    expect(text).toContain('2 rows of partly-broken.csv could not be read and are not in the analysis:');
    expect(text).toContain("line 5 timestamp 'not-a-time' is neither an epoch number nor a date");
    expect(text).toContain("line 9 value '<b id=pwned>3</b>' in column");
    expect(await page.locator('#pwned').count()).toBe(0);
    expect(await panel.locator('li').count()).toBe(2);
    expect(problems.errors).toEqual([]);
    await page.close();
  }, 180_000);
});

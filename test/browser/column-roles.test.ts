// The column-roles step (issue 13 §3): a file whose columns are m0, m5 gets no predictions and a note saying
// which mapping would enable them; mapping m5 to memory in the step and applying re-runs the model, which now
// predicts; the URL hash carries the mapping, and a page opened with that hash applies it to the same file.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, repoRoot } from '../helpers/env.ts';
import { launchChromium, openIsolated, serveStatic, watchPage, type StaticServer } from '../helpers/browser.ts';

/** 8 h a minute apart: m0 a steady CPU share, m5 a used-memory share climbing towards full. */
function machineCsv(): string {
  const rows = ['timestamp,m0,m5'];
  const t0 = Date.UTC(2026, 2, 2);
  for (let i = 0; i < 480; i++) {
    const cpu = 0.3 + 0.05 * Math.sin(i / 17);
    rows.push(
      `${new Date(t0 + i * 60e3).toISOString()},${cpu.toFixed(4)},${(0.35 + 0.57 * (i / 480) ** 1.5).toFixed(4)}`,
    );
  }
  return rows.join('\n') + '\n';
}

const drop = (page: Page) =>
  page.setInputFiles('input[type=file]', {
    name: 'machine.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(machineCsv()),
  });

describe.skipIf(!hasChromium())('column roles in the app', () => {
  let browser: Browser;
  let server: StaticServer;

  beforeAll(async () => {
    server = await serveStatic();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('unnamed columns: the note, a mapping in the step, predictions, the hash, and the hash on reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems = watchPage(page, server.url);
    await openIsolated(page, server.url);
    await drop(page);

    const note = page.getByTestId('roles-note');
    await expect.poll(() => note.count(), { timeout: 90_000 }).toBe(1);
    const noteText = (await note.textContent())!.replace(/\s+/g, ' ');
    expect(noteText).toContain('none of the columns (m0, m5) is named like a metric the model knows');
    expect(noteText).toContain('m0 → CPU busy, m5 → memory: share used');
    const hosts = page.locator('article.host');
    const apply = page.getByRole('button', { name: 'Apply mapping' });
    await expect.poll(() => page.locator('.progress').count(), { timeout: 90_000 }).toBe(0);
    expect(await hosts.count()).toBe(0);

    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    await page
      .locator('section.predictions')
      .screenshot({ path: join(repoRoot, 'test-results', 'column-roles-note.png') });
    const m5 = page.getByLabel('Channel of m5');
    expect(await m5.inputValue()).toBe(''); // automatic…
    expect(await m5.locator('option:checked').textContent()).toBe('auto: not read (name unknown)');
    expect(await page.getByTestId('roles-preview').textContent()).toMatch(/all: nothing/);
    await m5.selectOption('memory:used');
    expect(await page.getByTestId('roles-preview').textContent()).toMatch(/all: memory/);
    expect(await page.getByTestId('roles-text').textContent()).toBe('m5=memory:used');
    await expect.poll(() => apply.isEnabled(), { timeout: 60_000 }).toBe(true);
    await apply.click();

    // The model now reads m5: one host with a prediction, and no note.
    await expect.poll(() => hosts.count(), { timeout: 90_000 }).toBe(1);
    expect(await note.count()).toBe(0);
    const hash = new URL(page.url()).hash;
    expect(hash).toContain('map=m5%3Dmemory%3Aused');
    const scenario = (await hosts.locator('.scenario').textContent())!;
    expect(scenario).toBe('Memory leak');
    await page.locator('section.predictions').screenshot({ path: join(repoRoot, 'test-results', 'column-roles.png') });
    await page.close();

    // A page opened with that link reads the same file with the mapping at once.
    const again = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems2 = watchPage(again, server.url);
    await openIsolated(again, server.url + hash);
    await drop(again);
    const hosts2 = again.locator('article.host');
    await expect.poll(() => hosts2.count(), { timeout: 90_000 }).toBe(1);
    expect(await hosts2.locator('.scenario').textContent()).toBe(scenario);
    expect(await again.getByLabel('Channel of m5').inputValue()).toBe('memory:used');
    expect(await again.getByTestId('roles-note').count()).toBe(0);

    // The what-if reads the columns by the mapping too: a leak injected into m5 is seen by the model.
    await expect.poll(() => again.locator('.progress').count(), { timeout: 90_000 }).toBe(0);
    const whatif = again.locator('section.whatif');
    await whatif.getByLabel('Scenario').selectOption('memory_leak');
    await whatif.getByLabel('Host').selectOption('all');
    await whatif.getByLabel('Onset (UTC)', { exact: true }).fill('2026-03-02T01:00');
    await whatif.getByLabel('Failure (UTC)', { exact: true }).fill('2026-03-02T06:00');
    await whatif.getByRole('button', { name: 'Inject and analyse' }).click();
    await expect.poll(() => whatif.locator('.summary p').count(), { timeout: 90_000 }).toBe(2);
    const firstAlarm = Number(await whatif.locator('tr[data-row="first-alarm"] td').nth(1).getAttribute('data-value'));
    expect(firstAlarm).toBeGreaterThan(Date.UTC(2026, 2, 2, 1));
    expect(firstAlarm).toBeLessThan(Date.UTC(2026, 2, 2, 6));
    expect(problems.errors).toEqual([]);
    expect(problems2.errors).toEqual([]);
    await again.close();
  }, 300_000);
});

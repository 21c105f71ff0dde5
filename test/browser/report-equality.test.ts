// The promise of src/ui/state/report-export.ts: for the same file and settings, the Report JSON the app
// exports is the one `aura analyze --json` prints, predictions included. Both run the one pipeline
// (src/lib/analysis) with the same WASM engine and the same ONNX model on onnxruntime-web's WASM backend,
// so they are compared whole. The Report has no timing fields, so nothing is left out of the comparison.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { hasChromium, repoRoot } from '../helpers/env.ts';
import { launchChromium, openIsolated, serveStatic, watchPage, type StaticServer } from '../helpers/browser.ts';
import type { Report } from '../../src/lib/report/types.ts';

const LONG = 240_000;
const aura = resolve(repoRoot, 'bin/aura.js');

function cli(dir: string, args: string[]): string {
  const r = spawnSync(process.execPath, [aura, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`aura ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

describe.skipIf(!hasChromium())('exported Report = aura analyze --json', () => {
  let browser: Browser;
  let server: StaticServer;
  let dir: string;
  let csv: Buffer;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aura-equality-'));
    // A small generated fleet: 3 hosts, so each host has its own timeline and the report has entities.
    writeFileSync(join(dir, 'fleet.csv'), cli(dir, ['synth', '--hosts', '3', '--hours', '6', '--step', '60']));
    csv = readFileSync(join(dir, 'fleet.csv'));
  });

  beforeAll(async () => {
    server = await serveStatic();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The app's export for fleet.csv with the settings in `hash`. */
  async function exported(hash: string): Promise<Report> {
    const page = await browser.newPage({ acceptDownloads: true });
    const problems = watchPage(page, server.url);
    try {
      await openIsolated(page, server.url + hash);
      // The demo analysed at start-up is replaced by the file.
      await expect
        .poll(() => page.locator('.timeline path.score-line').getAttribute('d'), { timeout: LONG, interval: 500 })
        .toMatch(/^M/);
      await page.setInputFiles('input[type=file]', { name: 'fleet.csv', mimeType: 'text/csv', buffer: csv });
      await expect.poll(() => page.locator('.top .origin').textContent(), { timeout: 30_000 }).toBe('fleet.csv');
      await expect.poll(() => page.locator('.progress').count(), { timeout: LONG, interval: 500 }).toBe(0);
      await expect.poll(() => page.locator('.predictions .host').count(), { timeout: 60_000 }).toBe(3);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Report JSON' }).click(),
      ]);
      expect(problems.errors).toEqual([]);
      return JSON.parse(readFileSync((await download.path())!, 'utf8')) as Report;
    } finally {
      await page.close();
    }
  }

  function expectSame(app: Report, cliReport: Report) {
    // The parts first, so a difference is reported where it is.
    expect(app.input).toEqual(cliReport.input);
    expect(app.settings).toEqual(cliReport.settings);
    expect(app.timeline).toEqual(cliReport.timeline);
    expect(app.anomalies).toEqual(cliReport.anomalies);
    expect(app.analysis).toEqual(cliReport.analysis);
    expect(app.fleet).toEqual(cliReport.fleet);
    expect(app.predictions.length).toBe(3);
    expect(app.predictions).toEqual(cliReport.predictions);
    expect(app.entities).toEqual(cliReport.entities);
    expect(app).toEqual(cliReport);
  }

  test(
    'default settings',
    async () => {
      const cliReport = JSON.parse(cli(dir, ['analyze', 'fleet.csv', '--json'])) as Report;
      expect(cliReport.timeline.length).toBeGreaterThan(20);
      expectSame(await exported(''), cliReport);
    },
    LONG * 2,
  );

  test(
    'window 40, stride 5 from the URL hash and from the options',
    async () => {
      const cliReport = JSON.parse(cli(dir, ['analyze', 'fleet.csv', '--json', '--window', '40', '--stride', '5']));
      expect(cliReport.settings).toMatchObject({ window: 40, stride: 5 });
      expectSame(await exported('#window=40&stride=5'), cliReport as Report);
    },
    LONG * 2,
  );
});

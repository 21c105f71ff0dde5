// A fleet file in the app, in headless Chromium (issue 12 §5): `aura synth --hosts N --hours 24 --step 60`
// (1,000 hosts × 10 metrics × 24 h at 1 min: 14.4 M points, about 270 MB of CSV) is picked with the file
// input, and the time runs until the ranked fleet view says "N hosts by instance". The tab's memory is the
// RSS of its renderer processes (page and workers share one), sampled every 250 ms from /proc; its peak is
// the figure for "the tab ≤ 1.5 GB". The app's performance marks split the time: import (stream and parse
// in the ingest worker, align there) → the timeline (analysis worker and its pool) → the report on the page.
// One run per size: a fresh browser each, and a run long enough to be stable.
//   node bin/run-ts.js bench/index.ts browser-fleet   (a built dist/; FLEET_BROWSER_HOSTS=100,1000 by default,
//   BENCH_QUICK=1: 100 only). Targets for 1,000 hosts: ≤ 30 s and ≤ 1.5 GB.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, openIsolated, rendererRss, serveStatic } from '../test/helpers/browser.ts';
import { repoRoot } from '../test/helpers/env.ts';
import { BenchTable, num } from './table.ts';

const MB = 1024 * 1024;
const HOURS = 24;
const LONG = 900_000;

/** The generated fleet file (kept in the temp folder between runs: generating 1,000 hosts takes a while). */
function fleetFile(hosts: number): string {
  const file = join(tmpdir(), `aura-fleet-browser-${hosts}x${HOURS}h.csv`);
  if (!existsSync(file)) {
    const out = openSync(file, 'w');
    try {
      execFileSync(
        'node',
        ['bin/aura.js', 'synth', '--hosts', String(hosts), '--hours', String(HOURS), '--step', '60'],
        { cwd: repoRoot, stdio: ['ignore', out, 'inherit'] },
      );
    } catch (e) {
      rmSync(file, { force: true });
      throw e;
    } finally {
      closeSync(out);
    }
  }
  return file;
}

/**
 * CPU seconds (user + system) of the renderer processes so far: the page and all its workers, whatever else
 * runs on the machine. From /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s).
 */
async function rendererCpuS(page: Page): Promise<number> {
  const cdp = await page.context().browser()!.newBrowserCDPSession();
  const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  await cdp.detach();
  let ticks = 0;
  for (const p of info.processInfo.filter((x) => x.type === 'renderer')) {
    try {
      const fields = readFileSync(`/proc/${p.id}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended between the list and the read
    }
  }
  return ticks / 100;
}

async function totalRss(page: Page): Promise<number> {
  return (await rendererRss(page)).reduce((a, b) => a + b, 0);
}

interface FleetRun {
  toFleetMs: number;
  marks: Record<string, number>;
  rssBefore: number;
  rssPeak: number;
  /** Main-thread CPU of the page's renderer while the file was analysed (CDP TaskDuration), s. */
  pageCpuS: number;
  /** CPU of the renderer processes (page and every worker) over the same span, s. */
  tabCpuS: number;
}

/** The app's measures that split the run (src/ui/state/marks.ts). */
const MEASURES = ['drop→imported', 'imported→aligned', 'aligned→timeline', 'timeline→report'];

async function pickOnce(url: string, file: string, hosts: number): Promise<FleetRun> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openIsolated(page, url);
    // The demo analysed at start-up finishes first, so the file has the CPU to itself.
    await page.locator('.overview header .num').first().waitFor({ timeout: 180_000 });
    await page.waitForFunction(() => !document.querySelector('.progress'), null, { timeout: 180_000 });
    await page.evaluate(() => {
      performance.clearMarks();
      performance.clearMeasures();
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskS = async () => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      return metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
    };
    // BROWSER_FLEET_PROFILE=FILE.cpuprofile: the page's main thread from pick to view (Chrome's profiler format).
    const profile = process.env.BROWSER_FLEET_PROFILE;
    if (profile) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
    // BROWSER_FLEET_TRACE=FILE.json: a Chrome trace of the same span (rendering, messages, tasks).
    const trace = process.env.BROWSER_FLEET_TRACE;
    // BROWSER_FLEET_TRACE_CATEGORIES (comma-separated) adds categories, e.g. what invalidated each paint:
    // disabled-by-default-devtools.timeline.invalidationTracking.
    const extra = process.env.BROWSER_FLEET_TRACE_CATEGORIES?.split(',').filter(Boolean) ?? [];
    if (trace)
      await browser.startTracing(page, { path: trace, categories: ['toplevel', 'devtools.timeline', ...extra] });
    const rssBefore = await totalRss(page);
    const tab0 = await rendererCpuS(page);
    const cpu0 = await taskS();
    let rssPeak = rssBefore;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        rssPeak = Math.max(rssPeak, await totalRss(page));
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const picked = Date.now();
    await page.locator('input[type=file]').setInputFiles(file);
    await page.waitForFunction(
      (n) =>
        new RegExp(`^\\s*${n} hosts by instance`).test(
          document.querySelector('[data-testid=fleet-summary]')?.textContent ?? '',
        ),
      hosts,
      { timeout: LONG, polling: 100 },
    );
    const toFleetMs = Date.now() - picked;
    const pageCpuS = (await taskS()) - cpu0;
    const tabCpuS = (await rendererCpuS(page)) - tab0;
    if (profile) writeFileSync(profile, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    if (trace) await browser.stopTracing();
    // The model's run follows the view; the memory is watched until it is done too.
    await page.waitForFunction(() => !document.querySelector('.progress'), null, { timeout: LONG, polling: 250 });
    sampling = false;
    await sampler;
    const marks = await page.evaluate(
      (names) =>
        Object.fromEntries(names.map((n) => [n, performance.getEntriesByName(`aura:${n}`)[0]?.duration ?? NaN])),
      MEASURES,
    );
    return { toFleetMs, marks, rssBefore, rssPeak, pageCpuS, tabCpuS };
  } finally {
    await browser.close();
  }
}

export async function run(): Promise<void> {
  const hostsList = process.env.BENCH_QUICK
    ? [100]
    : (process.env.FLEET_BROWSER_HOSTS ?? '100,1000').split(',').map(Number);
  const table = new BenchTable(
    `A fleet file in the app (headless Chromium, ${HOURS} h at 1 min × 10 metrics per host): file pick → ranked fleet view; ` +
      'tab memory = RSS of the renderer (page and its workers), peak sampled every 250 ms until the model is done too; one run per size',
    [
      'hosts',
      'file',
      'pick → fleet view',
      'import (parse + align, ingest worker)',
      'timeline (analysis worker)',
      'report → view',
      'page main-thread CPU',
      'tab CPU (page + workers)',
      'tab RSS before',
      'peak',
    ],
    'lrrrrrrrrr',
  );
  // BROWSER_FLEET_DIST=DIR: another build of the app (`npx vite build --outDir DIR`), for before/after runs.
  const server = await serveStatic(process.env.BROWSER_FLEET_DIST || undefined);
  try {
    for (const hosts of hostsList) {
      const file = fleetFile(hosts);
      const r = await pickOnce(server.url, file, hosts);
      const s = (ms: number) => `${num(ms / 1000)} s`;
      table.add(
        hosts.toLocaleString('en'),
        `${(statSync(file).size / MB).toFixed(0)} MB`,
        s(r.toFleetMs),
        s(r.marks['drop→imported']),
        s(r.marks['imported→aligned'] + r.marks['aligned→timeline']),
        s(r.marks['timeline→report']),
        `${num(r.pageCpuS)} s`,
        `${num(r.tabCpuS)} s`,
        `${(r.rssBefore / MB).toFixed(0)} MB`,
        `${(r.rssPeak / MB).toFixed(0)} MB`,
      );
    }
  } finally {
    await server.close();
  }
  table.print();
}

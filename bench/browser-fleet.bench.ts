// A fleet file in the app, in headless Chromium (issue 12 §5): `aura synth --hosts N --hours 24 --step 60`
// (1,000 hosts × 10 metrics × 24 h at 1 min: 14.4 M points, about 270 MB of CSV) is picked with the file
// input, and the time runs until the ranked fleet view says "N hosts by instance". The tab's memory is the
// RSS of the renderer process that hosts the page (its dedicated workers are threads of that process),
// sampled every 250 ms from /proc; its peak is the figure for "the tab ≤ 1.5 GB". That process is found by
// its threads: only it runs threads named DedicatedWorker (/proc/PID/task/*/comm). The service worker's
// renderer (a ServiceWorker thread), the spare renderer and the page's pre-isolation renderer are not the
// tab; the sum over every renderer is printed beside it. The app's performance marks split the time: import
// (stream and parse in the ingest worker, align there) → the timeline (analysis worker and its pool) → the
// report on the page.
// One run per size: a fresh browser each, and a run long enough to be stable.
//   node bin/run-ts.js bench/index.ts browser-fleet   (a built dist/; FLEET_BROWSER_HOSTS=100,1000 by default,
//   BENCH_QUICK=1: 100 only). Targets for 1,000 hosts: ≤ 30 s and ≤ 1.5 GB.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { launchChromium, openIsolated, serveStatic } from '../test/helpers/browser.ts';
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

/** One browser-level CDP session per browser (a new one per sample made the page repaint). */
const sessions = new WeakMap<Browser, Promise<CDPSession>>();

/** Process ids of this browser's renderers (other Chromiums on the machine are left out). */
async function rendererPids(page: Page): Promise<number[]> {
  const browser = page.context().browser()!;
  let session = sessions.get(browser);
  if (!session) sessions.set(browser, (session = browser.newBrowserCDPSession()));
  const info = (await (await session).send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; id: number }[];
  };
  return info.processInfo.filter((x) => x.type === 'renderer').map((p) => p.id);
}

/**
 * CPU seconds (user + system) so far of the tab's renderer (the page and all its workers; see rendererSample),
 * whatever else runs on the machine. From /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s).
 */
async function tabCpuS(page: Page): Promise<number> {
  const tab = (await rendererPids(page)).filter((pid) => threadNames(pid).includes('DedicatedWorker'));
  if (tab.length !== 1) return NaN;
  try {
    const fields = readFileSync(`/proc/${tab[0]}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** The browser's renderer processes, by their role: the tab (page and workers), the service worker, others. */
interface RendererSample {
  /** RSS of the renderer running the page's dedicated workers, bytes; NaN when not exactly one does. */
  tab: number;
  /** RSS of the renderer running the service worker (when it is not the tab's own), bytes. */
  serviceWorker: number;
  /** RSS summed over every renderer process, bytes. */
  all: number;
}

/** Thread names (15 characters at most) of process `pid`; empty when it has ended. */
function threadNames(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map((t) => {
      try {
        return readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim();
      } catch {
        return '';
      }
    });
  } catch {
    return [];
  }
}

function rssOf(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
  } catch {
    return 0; // the process ended between the list and the read
  }
}

async function rendererSample(page: Page): Promise<RendererSample> {
  const pids = await rendererPids(page);
  let all = 0;
  const tabs: number[] = [];
  let serviceWorker = 0;
  for (const pid of pids) {
    const rss = rssOf(pid);
    all += rss;
    const names = threadNames(pid);
    if (names.includes('DedicatedWorker')) tabs.push(rss);
    else if (names.some((n) => n.startsWith('ServiceWorker'))) serviceWorker += rss;
  }
  return { tab: tabs.length === 1 ? tabs[0] : NaN, serviceWorker, all };
}

interface FleetRun {
  toFleetMs: number;
  marks: Record<string, number>;
  before: RendererSample;
  /** Each figure's own peak over the run. */
  peak: RendererSample;
  /** Main-thread CPU of the page's renderer while the file was analysed (CDP TaskDuration), s. */
  pageCpuS: number;
  /** CPU of the tab's renderer process (page and every worker) over the same span, s. */
  tabCpuS: number;
  /** The machine's 1-minute load average at the pick and at the view. */
  load: [number, number];
}

/** Time after the model's run during which memory is still watched: the page keeps the analysis 2 s later. */
const AFTER_MS = 5000;

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
    const before = await rendererSample(page);
    const tab0 = await tabCpuS(page);
    const cpu0 = await taskS();
    const peak = { ...before };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const now = await rendererSample(page);
        peak.tab = Math.max(peak.tab, now.tab);
        peak.serviceWorker = Math.max(peak.serviceWorker, now.serviceWorker);
        peak.all = Math.max(peak.all, now.all);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const load0 = loadavg()[0];
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
    const load: [number, number] = [load0, loadavg()[0]];
    const pageCpuS = (await taskS()) - cpu0;
    const tabCpu = (await tabCpuS(page)) - tab0;
    if (profile) writeFileSync(profile, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    if (trace) await browser.stopTracing();
    // The model's run follows the view; the memory is watched until it is done too.
    await page.waitForFunction(() => !document.querySelector('.progress'), null, { timeout: LONG, polling: 250 });
    await new Promise((r) => setTimeout(r, AFTER_MS));
    sampling = false;
    await sampler;
    const marks = await page.evaluate(
      (names) =>
        Object.fromEntries(names.map((n) => [n, performance.getEntriesByName(`aura:${n}`)[0]?.duration ?? NaN])),
      MEASURES,
    );
    return { toFleetMs, marks, before, peak, pageCpuS, tabCpuS: tabCpu, load };
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
      'tab = the renderer process running the page and its dedicated workers (the one with DedicatedWorker threads); ' +
      `RSS sampled every 250 ms until ${AFTER_MS / 1000} s after the model is done; SW = the service worker's renderer; ` +
      'all = every renderer process summed; one run per size',
    [
      'hosts',
      'file',
      'pick → fleet view',
      'import (parse + align, ingest worker)',
      'timeline (analysis worker)',
      'report → view',
      'page main-thread CPU',
      'tab CPU (page + workers)',
      'tab RSS before → peak',
      'SW RSS peak',
      'all renderers before → peak',
      'load (1 min) at pick, view',
    ],
    'lrrrrrrrrrrr',
  );
  // BROWSER_FLEET_DIST=DIR: another build of the app (`npx vite build --outDir DIR`), for before/after runs.
  const server = await serveStatic(process.env.BROWSER_FLEET_DIST || undefined);
  try {
    for (const hosts of hostsList) {
      const file = fleetFile(hosts);
      const r = await pickOnce(server.url, file, hosts);
      const s = (ms: number) => `${num(ms / 1000)} s`;
      const mb = (bytes: number) => (bytes / MB).toFixed(0);
      table.add(
        hosts.toLocaleString('en'),
        `${(statSync(file).size / MB).toFixed(0)} MB`,
        s(r.toFleetMs),
        s(r.marks['drop→imported']),
        s(r.marks['imported→aligned'] + r.marks['aligned→timeline']),
        s(r.marks['timeline→report']),
        `${num(r.pageCpuS)} s`,
        `${num(r.tabCpuS)} s`,
        `${mb(r.before.tab)} → ${mb(r.peak.tab)} MB`,
        `${mb(r.peak.serviceWorker)} MB`,
        `${mb(r.before.all)} → ${mb(r.peak.all)} MB`,
        r.load.map((l) => l.toFixed(1)).join(', '),
      );
    }
  } finally {
    await server.close();
  }
  table.print();
}
